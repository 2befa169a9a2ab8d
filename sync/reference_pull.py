"""Reference data from HQ: verified with the pinned HQ key before anything is loaded.

HQ publishes ``fieldinspect.reference/1`` documents (app/reference.py) signed with
its Ed25519 key (``fieldinspect-hq publish``); the signature is over the exact
bytes of the JSON file. A bad signature, or a document that does not check, raises
and leaves the device's reference data as it was.
"""

from __future__ import annotations

import json

from app import crypto
from app.reference import ReferenceDataError, ReferenceSet, import_set, parse
from app.workspace import Workspace
from local_db.database import transaction
from sync.errors import ReferenceRejected
from sync.pairing import pairing

SOURCE = "hq"


def apply_reference(ws: Workspace, data: bytes, signature: bytes, *, actor: str = "system") -> ReferenceSet | None:
    """Verify and load reference data; None when this exact document is already loaded."""
    if not pairing(ws).verifies(signature, data):
        raise ReferenceRejected("总部签名无效", "the HQ signature does not verify")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReferenceRejected(f"不是 JSON：{exc}", f"not JSON: {exc}") from None
    try:
        ref = parse(document)
    except ReferenceDataError as exc:
        raise ReferenceRejected(exc.zh, exc.en) from None
    latest = ws.reference_sets.latest()
    if latest is not None and latest["sha256"] == ref.sha256:
        return None
    import_set(ws.db, ref, source=SOURCE, clock=ws.clock)
    with transaction(ws.db):
        ws.audit.append(actor, "sync.reference_loaded", ref.version, sha256=ref.sha256,
                        data_sha256=crypto.sha256_hex(data))
    return ref
