"""Reference data from HQ: verified with the pinned HQ key before anything is loaded.

HQ publishes ``fieldinspect.reference/1`` documents (app/reference.py) signed with
its Ed25519 key (``fieldinspect-hq publish``); the signature is over the exact
bytes of the JSON file. A bad signature, a document that does not check, or one not
issued after the HQ data already loaded raises and leaves the device's reference data
as it was.
"""

from __future__ import annotations

import json
from datetime import datetime

from app import crypto
from app.reference import ReferenceDataError, ReferenceSet, import_set, parse
from app.workspace import Workspace
from local_db.database import transaction
from sync.errors import ReferenceRejected
from sync.pairing import pairing

SOURCE = "hq"


def apply_reference(ws: Workspace, data: bytes, signature: bytes) -> ReferenceSet | None:
    """Verify and load reference data; None when this exact document is already loaded.

    Loaded on HQ's word (its signature with the pinned key), not on a person's: the
    audit entry names the system, whoever's sync fetched it.
    """
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
    # Only newer data replaces what is loaded: an older document HQ once signed, replayed
    # by whoever answers at the address, must not bring back a revoked certificate or an
    # old holiday calendar.
    if latest is not None and latest["source"] == SOURCE and ref.issued_at <= datetime.fromisoformat(latest["issued_at"]):
        raise ReferenceRejected(
            f"基础数据 {ref.version}（{ref.issued_at.isoformat()}）不晚于已加载的 {latest['version']}"
            f"（{latest['issued_at']}），未加载",
            f"reference data {ref.version} ({ref.issued_at.isoformat()}) is not newer than the loaded "
            f"{latest['version']} ({latest['issued_at']}); not loaded")
    import_set(ws.db, ref, source=SOURCE, clock=ws.clock, also=lambda: ws.audit.append(
        "system", "sync.reference_loaded", ref.version, sha256=ref.sha256, data_sha256=crypto.sha256_hex(data)))
    return ref
