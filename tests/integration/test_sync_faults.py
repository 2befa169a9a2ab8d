"""End-of-shift sync over a real receiver on loopback, with the network, the server and
the client failing on the way (R18: recordings reach HQ after duty, nothing lost,
nothing twice; R17: what HQ holds is what was sealed, the receipt proves it)."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

from app import crypto, demo
from app.workspace import Workspace
from sync import client, upload
from sync.hq import keys
from sync.hq.store import HqStore
from sync.state import pending_summary

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import CuttingProxy, HqProcess, enroll_and_pair, hq_counts, make_hq, run_python  # noqa: E402
from keys_kit import as_, create_workspace  # noqa: E402
from tests.database_key import connect_raw  # noqa: E402

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("hq_database")]  # SQLite and PostgreSQL
CHUNK = 32 << 10
FAST = upload.Backoff(first=0.05, cap=0.5)


@pytest.fixture
def field(tmp_path: Path):
    """A demo device with sealed photos and a video, enrolled at and paired with a fresh HQ."""
    ws = create_workspace(tmp_path / "data")
    demo.seed(ws, media=True)
    hq_dir = make_hq(tmp_path / "hq")
    device = enroll_and_pair(ws, hq_dir)
    yield ws, device, hq_dir
    ws.close()


def _assert_hq_holds_everything_once(ws: Workspace, device, hq_dir: Path, bundle_id: str) -> None:  # noqa: ANN001
    seals = ws.db.execute("SELECT COUNT(*) FROM seal_records").fetchone()[0]
    counts = hq_counts(hq_dir, device.device_id)
    assert counts["bundles"] == 1 and counts["seals"] == seals > 0
    store = HqStore(hq_dir)
    try:
        receipt = store.receipt(bundle_id)
    finally:
        store.close()
    hq_pub = crypto.load_public_key_pem((hq_dir / keys.SIGNING_PUB).read_bytes())
    assert crypto.verify_signature(hq_pub, receipt.signature, receipt.body)
    stored = ws.db.execute("SELECT body FROM sync_receipts WHERE bundle_id = ?", [bundle_id]).fetchone()[0]
    assert stored.encode("utf-8") == receipt.body
    summary = pending_summary(ws)
    assert summary.pending_evidence == 0 and summary.outstanding is None
    assert not list((hq_dir / "uploads").glob("*.bin"))  # the transfer copy was terminated
    again = client.run(client.sync_to_hq(ws, _server_of(ws), device=device, session=as_(ws, "O01"), reference=False))
    assert again.nothing_to_send and hq_counts(hq_dir, device.device_id)["bundles"] == 1


def _server_of(ws: Workspace) -> str:
    return ws.db.execute("SELECT server FROM sync_uploads LIMIT 1").fetchone()[0]


def test_r18_sync_survives_the_connection_cut_at_several_points(field) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    with HqProcess(hq_dir) as hq:
        # Cuts: inside the first request's headers, inside the first chunk, mid-upload, near the end.
        proxy = CuttingProxy(hq.port, [150, 20_000, 150_000, 280_000])
        try:
            outcome = client.run(client.sync_to_hq(ws, proxy.url, device=device, session=as_(ws, "O01"),
                                                   chunk_size=CHUNK,
                                                   backoff=FAST, reference=False))
        finally:
            proxy.close()
        assert proxy.cut_count == 4
        [bundle_id] = outcome.acknowledged
        assert not outcome.rejected
        _assert_hq_holds_everything_once(ws, device, hq_dir, bundle_id)


def test_r18_sync_survives_a_server_restart_mid_upload_and_before_the_receipt(field) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    hq = HqProcess(hq_dir).start()
    try:
        steps = client.sync_to_hq(ws, hq.url, device=device, session=as_(ws, "O01"), chunk_size=CHUNK,
                                  backoff=FAST,
                                  max_failures=50, reference=False)
        seen: list[client.SyncProgress] = []
        restarted_mid = restarted_before_receipt = False
        while True:
            try:
                p = next(steps)
            except StopIteration as stop:
                outcome = stop.value
                break
            seen.append(p)
            if p.phase == "uploading" and p.done >= 3 * CHUNK and not restarted_mid:
                hq.kill()  # SIGKILL: no clean shutdown
                hq.start()
                restarted_mid = True
            if p.phase == "checking" and not restarted_before_receipt:
                hq.kill()
                hq.start()
                restarted_before_receipt = True
        assert restarted_mid and restarted_before_receipt
        uploading = [p for p in seen if p.phase == "uploading" and p.retrying is None]
        assert [p.done for p in uploading] == sorted(p.done for p in uploading)  # never went backwards
        [bundle_id] = outcome.acknowledged
        _assert_hq_holds_everything_once(ws, device, hq_dir, bundle_id)
    finally:
        hq.stop()


KILLED_CLIENT = """
import sys
from pathlib import Path
from app.device import DeviceIdentity
from app.workspace import Workspace
from sync import client, upload
import os; sys.path.insert(0, os.environ["FIELDINSPECT_TESTS"])
from keys_kit import as_, open_workspace
ws = open_workspace(Path(sys.argv[1]))
client.run(client.sync_to_hq(ws, sys.argv[2], device=ws.device, session=as_(ws, "O01"),
                             chunk_size=int(sys.argv[3]), reference=False))
"""


def test_r18_a_killed_client_resumes_from_hqs_offset_after_restart(field, tmp_path: Path) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    session = as_(ws, "O01")  # signed in before the bundle is made, so that the sign-in travels in it
    with HqProcess(hq_dir) as hq:
        slow = CuttingProxy(hq.port, [], pace=0.02)  # ~1.5 MB/s: time to kill it mid-way
        try:
            code = KILLED_CLIENT.replace("sys.argv[1]", repr(str(ws.folder))).replace(
                "sys.argv[2]", repr(slow.url)).replace("int(sys.argv[3])", str(CHUNK))
            child = run_python(code)
            db = connect_raw(f"file:{ws.folder / 'fieldinspect.sqlite'}?mode=ro", ws.keys.db_key, uri=True)
            deadline = time.monotonic() + 60
            offset = 0
            while time.monotonic() < deadline and child.poll() is None:
                row = db.execute("SELECT offset, size FROM sync_uploads").fetchone()
                if row and 2 * CHUNK <= row[0] < row[1]:
                    offset = row[0]
                    child.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.01)
            child.wait(10)
            db.close()
            assert child.returncode == -signal.SIGKILL, child.stderr.read().decode()
            assert offset > 0
            assert hq_counts(hq_dir, device.device_id)["bundles"] == 0
            # The application starts again: the same bundle, resumed where HQ stands.
            slow.pace = 0.0
            steps = client.sync_to_hq(ws, slow.url, device=device, session=session, chunk_size=CHUNK,
                                      backoff=FAST,
                                      reference=False)
            progress = []
            while True:
                try:
                    progress.append(next(steps))
                except StopIteration as stop:
                    outcome = stop.value
                    break
        finally:
            slow.close()
        uploads = [p for p in progress if p.phase == "uploading"]
        size = uploads[-1].total
        assert uploads[0].done >= offset  # started from HQ's offset, not from zero
        assert uploads[-1].done == size and uploads[-1].resent <= CHUNK  # at most one chunk sent twice
        [bundle_id] = outcome.acknowledged
        _assert_hq_holds_everything_once(ws, device, hq_dir, bundle_id)


def test_an_unenrolled_device_is_refused_at_once_with_a_clear_message(tmp_path: Path) -> None:
    from app.device import DeviceIdentity
    from sync.pairing import pair_with_folder
    from sync.reachability import ReachabilityWatch, hq_reachable
    from sync_loopback import free_port

    ws = create_workspace(tmp_path / "data")
    try:
        demo.seed(ws)
        hq_dir = make_hq(tmp_path / "hq")
        pair_with_folder(ws, hq_dir, session=as_(ws, "M01"))  # paired, but HQ never enrolled this device
        device = ws.device
        with HqProcess(hq_dir) as hq:
            assert hq_reachable(hq.url)
            started = time.monotonic()
            with pytest.raises(upload.UploadRefused) as refused:
                client.run(client.sync_to_hq(ws, hq.url, device=device, session=as_(ws, "O01"), backoff=FAST,
                                             reference=False))
            assert time.monotonic() - started < 5  # no retrying what cannot succeed
            assert refused.value.status == 401 and "not enrolled" in refused.value.en
            assert "总部拒绝了上传请求" in refused.value.zh
        assert not list((hq_dir / "uploads").glob("*.bin"))
        assert not hq_reachable(f"http://127.0.0.1:{free_port()}", timeout=1)
        watch = ReachabilityWatch()
        assert [watch.observe(x) for x in (False, True, True, False, True)] == [False, True, False, False, True]
    finally:
        ws.close()


def test_backoff_doubles_up_to_its_cap() -> None:
    b = upload.Backoff(first=0.5, cap=30)
    assert [b.delay(n) for n in range(1, 9)] == [0.5, 1, 2, 4, 8, 16, 30, 30]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_r18_sync_to_an_unreachable_hq_gives_up_after_its_retries_and_loses_nothing(field) -> None:  # noqa: ANN001
    """R18: the recordings wait on the device; a sync that cannot reach HQ ends, said in both languages."""
    ws, device, hq_dir = field
    nowhere = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    with pytest.raises(upload.HqUnreachable) as caught:
        client.run(client.sync_to_hq(ws, nowhere, device=device, session=as_(ws, "O01"), reference=False,
                                     max_failures=4, backoff=FAST))
    assert caught.value.attempts == 4 and time.monotonic() - started < 20
    assert "无法连接总部" in caught.value.zh and "could not be reached" in caught.value.en
    assert pending_summary(ws).pending_evidence > 0  # nothing marked sent

    # bounded by time as well: many attempts allowed, a short deadline
    started = time.monotonic()
    with pytest.raises(upload.HqUnreachable) as caught:
        client.run(client.sync_to_hq(ws, nowhere, device=device, session=as_(ws, "O01"), reference=False, max_failures=1000,
                                     backoff=upload.Backoff(first=0.05, cap=0.2, give_up_after=1.0)))
    assert time.monotonic() - started < 10 and 2 <= caught.value.attempts < 1000

    # once HQ answers, the same bundle goes through and is acknowledged once
    with HqProcess(hq_dir) as hq:
        outcome = client.run(client.sync_to_hq(ws, hq.url, device=device, session=as_(ws, "O01"), reference=False))
    assert len(outcome.acknowledged) == 1
    _assert_hq_holds_everything_once(ws, device, hq_dir, outcome.acknowledged[0])


def test_backoff_gives_up_at_the_attempt_limit_or_the_deadline() -> None:
    b = upload.Backoff(first=0.5, cap=30, give_up_after=60)
    now = time.monotonic()
    assert not b.exhausted(3, 8, now) and b.exhausted(8, 8, now)
    assert b.exhausted(2, 8, now - 59.5)  # the next wait (1 s) would end past the deadline
