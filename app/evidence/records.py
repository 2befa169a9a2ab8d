"""Records the application writes into the device's seal chain.

Some statements must be as hard to rewrite as a photo: a team leader's review
decision, the inventory of a forced demolition as it stood when the operation
ended. Each is written as one canonical JSON document (``app.crypto.canonical_json``)
carrying ``"format": "fieldinspect.<kind>/1"``, stored in the evidence store like
any original and sealed through the same locker path, so it is hashed, signed,
chained, exported in bundles and checked by ``fieldinspect verify`` with no code
of its own. Its media type is ``application/vnd.fieldinspect.<kind>+json``.

A record that concerns one original points at it with ``derived_from`` and the
derivation ``<kind>``; the original is never touched (R17).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.access import Permission, acting
from app.crypto import canonical_json
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker, IngestResult
from app.session import Session

MEDIA_TYPE_PREFIX = "application/vnd.fieldinspect."
SOURCE_DETAIL = "fieldinspect"
_KIND = re.compile(r"^[a-z][a-z0-9-]{1,40}$")


def media_type_for(kind: str) -> str:
    return f"{MEDIA_TYPE_PREFIX}{kind}+json"


def is_record(item: EvidenceItem | str) -> bool:
    """True for application-written records (not photos, videos or imported files)."""
    media_type = item if isinstance(item, str) else item.media_type
    return media_type.startswith(MEDIA_TYPE_PREFIX)


def record_bytes(kind: str, payload: Mapping[str, Any]) -> bytes:
    if not _KIND.match(kind):
        raise ValueError(f"record kind {kind!r}: lowercase letters, digits and '-' only")
    if "format" in payload:
        raise ValueError("payload must not carry its own 'format'")
    return canonical_json({"format": f"fieldinspect.{kind}/1", **payload})


def seal_record(
    locker: EvidenceLocker, kind: str, payload: Mapping[str, Any], *,
    officer_certs: Sequence[str], session: Session, inspection_id: str | None = None,
    derived_from: str | None = None, evidence_type: EvidenceType = EvidenceType.DOCUMENTARY,
    then: Callable[[EvidenceItem], None] | None = None,
) -> IngestResult:
    """Seal ``payload`` as a ``kind`` record; ``then`` runs in the same transaction.

    The same payload sealed twice is one item (content addressing): the second
    call returns it with ``duplicate=True`` and does not run ``then``. Sealed by the
    person ``session`` signed in, who must be one who may put evidence into the seal
    chain (R1: an officer or team leader with a valid certificate); anyone else, and
    nobody, is refused and audited.
    """
    inspection = locker.ws.inspections.get(inspection_id) if inspection_id else None
    acting(locker.ws, session, Permission.CAPTURE, inspection_id or kind,
           agency=inspection.agency_id if inspection else None,
           assisting=inspection.assistant_ids if inspection else ())
    data = record_bytes(kind, payload)
    return locker.ingest_stream(
        io.BytesIO(data), evidence_type=evidence_type, officer_certs=officer_certs,
        source_kind=EvidenceSourceKind.FILE, source_detail=SOURCE_DETAIL,
        original_name=f"{kind}.json", inspection_id=inspection_id,
        derived_from=derived_from, derivation=kind if derived_from else None,
        session=session, record_media_type=media_type_for(kind), then=then,
    )


def read_record(locker: EvidenceLocker, sha256: str) -> dict[str, Any]:
    """The payload of a sealed record, read back from the store."""
    with locker.store.open(sha256) as fh:
        return json.loads(fh.read().decode("utf-8"))
