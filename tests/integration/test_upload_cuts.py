"""A cut mid-transfer costs a small part of the upload, not the chunk HQ would have
taken whole: the client's chunks follow the link (sync.upload.ChunkSizer), on a real
receiver behind a real proxy that slams the connection shut."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from local_db.upload_repository import UploadRepository
from sync import upload
from sync.hq.store import HqStore

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import CuttingProxy, HqProcess, make_hq  # noqa: E402
from keys_kit import create_workspace  # noqa: E402

pytestmark = pytest.mark.integration
LARGEST = 8 << 20


def _upload(ws, path: Path, server: str) -> list[upload.UploadProgress]:  # noqa: ANN001
    steps = upload.upload_file(UploadRepository(ws.db), path, key="cut-test", server=server, device=ws.device,
                               chunk_size=LARGEST, backoff=upload.Backoff(0.01, 0.05))
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration:
            return progress


def test_a_cut_mid_transfer_resends_much_less_than_a_largest_chunk(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "data")
    try:
        hq_dir = make_hq(tmp_path / "hq")
        store = HqStore(hq_dir)
        store.enroll(ws.device.public_key_pem)
        store.close()
        payload = tmp_path / "payload.bin"
        payload.write_bytes(os.urandom(3 * LARGEST))
        size = payload.stat().st_size
        # The first cut falls where a client sending whole 8 MiB chunks would lose 95 % of
        # its first one; the second soon after, while the chunks are still small.
        first = int(0.95 * LARGEST)
        with HqProcess(hq_dir) as hq:
            proxy = CuttingProxy(hq.port, [first, first + (3 << 20)])
            try:
                progress = _upload(ws, payload, proxy.url)
            finally:
                proxy.close()
        assert proxy.cut_count == 2
        assert sum(1 for p in progress if p.retrying) == 2
        assert progress[-1].done == size
        resent = proxy.upstream_bytes - size  # what crossed the cut twice, headers included
        assert 0 < resent < LARGEST // 2, resent  # whole 8 MiB chunks would have lost 7.6 MiB
        [held] = (hq_dir / "uploads").glob("*.bin")
        assert hashlib.sha256(held.read_bytes()).digest() == hashlib.sha256(payload.read_bytes()).digest()
    finally:
        ws.close()


def test_the_sizer_grows_on_clean_sends_and_shrinks_after_a_cut() -> None:
    sizer = upload.ChunkSizer(LARGEST)
    assert sizer.size == upload.START_CHUNK
    sent = 0
    while sent < 64 << 20:
        sent += sizer.size
        sizer.confirmed(sizer.size, 0.001)  # fast: the rate does not limit
    assert sizer.size == LARGEST
    sizer.cut()
    assert sizer.size == upload.MIN_CHUNK
    sizer.confirmed(sizer.size, 0.001)
    assert sizer.size == 2 * upload.MIN_CHUNK  # doubling while the run is short
    sizer.cut()  # a link that cut after 64 MiB and again after 256 KiB: chunks of ~4 MiB at most
    for _ in range(5):
        sizer.confirmed(sizer.size, 0.001)
    assert upload.MIN_CHUNK < sizer.size <= (sent + upload.MIN_CHUNK) // 2 // upload.ChunkSizer.AFTER_CUT
    slow = upload.ChunkSizer(LARGEST)
    slow.confirmed(upload.START_CHUNK, 4.0)  # 256 KiB/s: a chunk takes about a second
    assert slow.size == 256 << 10
