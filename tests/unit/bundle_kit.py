"""Shared setup for the bundle and HQ tests: a demo device paired with a fresh HQ folder."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.device import DeviceIdentity
from keys_kit import as_
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.records import seal_record
from app.workspace import Workspace
from sync import bundle
from sync.bundle import BundleInfo
from sync.hq import keys
from sync.hq.store import HqStore
from sync.pairing import pair_with_folder

O1 = "33010621001"


@dataclass
class Kit:
    ws: Workspace
    device: DeviceIdentity
    hq_dir: Path
    hq: HqStore
    out: Path

    def seal_note(self, n: int) -> str:
        """Seal a small application record (an evidence item like any other)."""
        return seal_record(EvidenceLocker(self.ws), "note", {"n": n}, officer_certs=[O1],
                           session=as_(self.ws, "O01"), inspection_id="JC-2026-1101").item.sha256

    def seal_file(self, size: int) -> str:
        data = b"\xff\xd8\xff\xe0" + os.urandom(size - 4)  # sniffed as JPEG; content random
        return EvidenceLocker(self.ws).ingest_stream(
            io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=[O1],
            source_kind=EvidenceSourceKind.FILE,
            source_detail="test", original_name=f"clip-{size}.bin", inspection_id="JC-2026-1101",
            session=as_(self.ws, "O01")).item.sha256

    def build(self, name: str = "bundle.age") -> BundleInfo:
        return bundle.run(bundle.build_bundle(self.ws, self.out / name, device=self.device,
                                                 session=as_(self.ws, "O01")))


def make_kit(ws: Workspace, tmp_path: Path, *, hq_name: str = "hq") -> Kit:
    hq_dir = tmp_path / hq_name
    keys.keygen(hq_dir)
    pair_with_folder(ws, hq_dir, session=as_(ws, "O01"))
    device = ws.device
    # A second HQ in one test keeps its own SQLite file, whichever database the test's HQ uses.
    hq = HqStore(hq_dir, database=None if hq_name == "hq" else str(hq_dir / "hq.sqlite"))
    hq.enroll(device.public_key_pem)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return Kit(ws, device, hq_dir, hq, out)


@pytest.fixture
def kit(demo_workspace: Workspace, tmp_path: Path) -> Kit:
    k = make_kit(demo_workspace, tmp_path)
    yield k
    k.hq.close()
