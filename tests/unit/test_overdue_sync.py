"""R18 with sync on the device: a recording is overdue until a verified HQ receipt
acknowledges it, and only that receipt clears the flag."""

from __future__ import annotations

import io
import os
from datetime import datetime

from keys_kit import as_
from app.clock import CHINA_TZ
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.overdue import OverdueKind, overdue_in
from sync import state
from tests.unit.bundle_kit import O1, Kit, kit  # noqa: F401  (fixture)


def seal_video(kit: Kit, recorded: datetime) -> str:
    data = b"\x00\x00\x00\x18ftypisom" + os.urandom(4000)  # sniffed as MP4
    return EvidenceLocker(kit.ws).ingest_stream(
        io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=[O1],
        source_kind=EvidenceSourceKind.BODY_CAMERA, source_detail="DSJ-1", original_name="VID_0001.MP4",
        inspection_id="JC-2026-1101", captured_at=recorded, session=as_(kit.ws, "O01")).item.sha256


def test_R18_a_recording_stays_overdue_until_hq_acknowledges_it(kit: Kit) -> None:
    # Recorded on Saturday; duty ended 18:00, so the 24 h ran out on Sunday 18:00 — before
    # the workspace's "now" (Monday 08:30).
    sha = seal_video(kit, datetime(2026, 11, 21, 10, 0, tzinfo=CHINA_TZ))
    items = EvidenceLocker(kit.ws).items.all()
    assert state.synced_hashes(kit.ws, items) == frozenset()
    flags = overdue_in(kit.ws, items, state.synced_hashes(kit.ws, items))
    assert [(f.kind, f.ref) for f in flags] == [(OverdueKind.NOT_SYNCED, sha)]

    built = kit.build("1.age")  # a bundle made, not yet acknowledged: still overdue
    assert overdue_in(kit.ws, items, state.synced_hashes(kit.ws, items)) == flags
    state.apply_receipt(kit.ws, kit.hq.ingest(built.path, device_id=kit.device.device_id),
                        session=as_(kit.ws, "O01"))
    assert sha in state.synced_hashes(kit.ws, items)
    assert overdue_in(kit.ws, items, state.synced_hashes(kit.ws, items)) == []
