"""A recording process killed (SIGKILL) at several points loses nothing that was sealed,
and the next start seals what was left: the open segment as it is, marked recovered,
plus a playable copy when its index was never written (R16, R17)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app import demo
from app.evidence.locker import EvidenceLocker
from app.evidence.recovery import DERIVATION, read_layout, recover_open_segments
from app.evidence.segments import PAUSE_ENV, RECOVERED_SUFFIX, recording_root
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from local_db.database import DB_FILENAME
from keys_kit import create_workspace, open_workspace, keys_of
from tests.database_key import connect_raw

ROOT = Path(__file__).resolve().parents[2]
OFFICERS = ["33010621001", "33010621002"]
SEGMENT_S = 2

CHILD = """
import sys
from pathlib import Path
from app.workspace import Workspace
from app.evidence.locker import EvidenceLocker
from app.evidence.capture import CaptureSession, VideoSource, SegmentStarted, SegmentSealed
import os; sys.path.insert(0, os.environ["FIELDINSPECT_TESTS"])
from keys_kit import open_workspace

ws = open_workspace(Path(sys.argv[1]))
def report(event):
    if isinstance(event, SegmentStarted):
        print("started", event.index, flush=True)
    elif isinstance(event, SegmentSealed):
        print("sealed", event.index, flush=True)
session = CaptureSession(EvidenceLocker(ws), VideoSource(sys.argv[2], pace=True), officer_certs=sys.argv[4:],
                         inspection_id="JC-2026-1101", segment_seconds=float(sys.argv[3]), on_event=report)
print("session", session.session_id, flush=True)
session.start_recording()
session.start()
session._thread.join()
session.stop()
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 s of a noisy 640x480 pattern: frames large enough that the writer flushes often."""
    path = tmp_path_factory.mktemp("media") / "noisy.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=duration=12:size=640x480:rate=25,noise=alls=30:allf=t",
                    "-c:v", "mpeg4", "-q:v", "4", str(path)], check=True)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    ws = create_workspace(data)
    demo.seed(ws)
    ws.close()
    return data


def ffprobe_frames(path: Path) -> int | None:
    run = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True)
    return int(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip().isdigit() else None


def record_and_kill(folder: Path, video: Path, until: str, *, after_s: float = 0.0,
                    pause: str | None = None) -> tuple[str, list[str]]:
    """Run a recording in a child process; SIGKILL it ``after_s`` after the line ``until``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if pause:
        env[PAUSE_ENV] = pause
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(video), str(SEGMENT_S), *OFFICERS],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.strip()) for line in child.stdout], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + 60
    try:
        while until not in seen:
            seen.append(lines.get(timeout=max(deadline - time.monotonic(), 0.1)))
            assert not seen[-1].startswith(("Traceback", "done")), seen
        time.sleep(after_s)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    session = next(line.split()[1] for line in seen if line.startswith("session "))
    return session, seen


def check_after_kill(folder: Path, session: str, expect_recovered: int) -> tuple[EvidenceLocker, list]:
    """The state a killed process leaves is consistent; recovery then seals the rest."""
    conn = connect_raw(folder / DB_FILENAME, keys_of(folder).db_key)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    report = verify_folder(folder, keys=keys_of(folder))
    assert report.ok, [p.describe("en") for p in report.problems]
    sealed_before = report.records

    ws = open_workspace(folder)
    locker = EvidenceLocker(ws)
    results = recover_open_segments(locker)
    report = verify_folder(folder, keys=keys_of(folder))
    assert report.ok, [p.describe("en") for p in report.problems]
    assert [r.error for r in results] == [None] * len(results)
    recovered = [r for r in results if r.item is not None and not r.already_sealed]
    assert len(recovered) == expect_recovered
    derived = [r.derived for r in recovered if r.derived is not None]
    assert report.records == sealed_before + len(recovered) + len(derived)
    for r in recovered:
        assert r.item.source_detail.endswith(RECOVERED_SUFFIX) and r.item.original_name.startswith(session)
        with locker.store.plaintext_path(r.item.sha256) as plain:  # decrypted into memory only
            original = Path(plain)
            layout = read_layout(original)
            if layout.has_index:  # closed before the kill: it plays as it is, no copy needed
                assert r.derived is None and ffprobe_frames(original) == r.journal.frames
                continue
            # cut off mid-write: the original (kept as it is) has no index and does not play ...
            assert ffprobe_frames(original) is None and r.item.duration_ms is None
        # ... the derived copy does, with every complete frame, and names its original (R17)
        copy = r.derived
        assert copy is not None and copy.derived_from == r.item.sha256 and copy.derivation == DERIVATION
        with locker.store.plaintext_path(copy.sha256) as playable:
            assert ffprobe_frames(Path(playable)) == r.frames > 0
        assert copy.duration_ms == r.frames * 1000 // 25
    # nothing is left to recover, and a second run changes nothing
    assert list(recording_root(folder).iterdir()) == []
    assert recover_open_segments(locker) == [] and verify_folder(folder, keys=keys_of(folder)).records == report.records
    return locker, results


def segments_sealed(locker: EvidenceLocker, session: str) -> dict[int, object]:
    items = [i for i in locker.items.all() if i.original_name.startswith(session) and i.derived_from is None]
    return {int(i.original_name[len(session) + 1:].split(".")[0]): i for i in items}


def test_killed_mid_segment(folder: Path, video: Path) -> None:
    session, seen = record_and_kill(folder, video, "started 3", after_s=1.0)
    locker, results = check_after_kill(folder, session, expect_recovered=1)
    (open_one,) = results
    assert open_one.journal.index == 3 and open_one.derived is not None  # cut off: a playable copy
    by_index = segments_sealed(locker, session)
    assert sorted(by_index) == [1, 2, 3]  # nothing lost: the earlier segments were sealed live
    assert not by_index[1].source_detail.endswith(RECOVERED_SUFFIX)
    assert by_index[3].source_detail.endswith(RECOVERED_SUFFIX)
    locker.ws.close()


def test_killed_just_after_a_segment_closed(folder: Path, video: Path) -> None:
    """Segment 2 is closed (index written) but not sealed; segment 3 is one second in."""
    session, _ = record_and_kill(folder, video, "capture-pause closed 2", after_s=1.0, pause="closed:2:60")
    locker, results = check_after_kill(folder, session, expect_recovered=2)
    closed, cut = sorted(results, key=lambda r: r.journal.index)
    assert closed.journal.index == 2 and closed.journal.frames == SEGMENT_S * 25 and closed.derived is None
    assert cut.journal.index == 3 and cut.journal.closed_at is None and cut.derived is not None
    assert sorted(segments_sealed(locker, session)) == [1, 2, 3]
    locker.ws.close()


def test_killed_during_the_seal(folder: Path, video: Path) -> None:
    """Killed while segment 2's bytes were being staged: no row, no store file, a stray staging file."""
    session, _ = record_and_kill(folder, video, "capture-pause sealing 2", after_s=1.0, pause="sealing:2:60")
    assert any((folder / "evidence" / "staging").glob("incoming-*.part"))
    locker, results = check_after_kill(folder, session, expect_recovered=2)
    assert [r.journal.index for r in results] == [2, 3]
    assert sorted(segments_sealed(locker, session)) == [1, 2, 3]
    locker.ws.close()


def test_killed_after_the_seal_committed_before_clean_up(folder: Path, video: Path) -> None:
    """Segment 2 was sealed but its files not yet removed: recovery must not seal it twice."""
    session, _ = record_and_kill(folder, video, "capture-pause sealed 2", after_s=1.0, pause="sealed:2:60")
    locker, results = check_after_kill(folder, session, expect_recovered=1)
    two, three = sorted(results, key=lambda r: r.journal.index)
    assert two.already_sealed and not two.item.source_detail.endswith(RECOVERED_SUFFIX)  # sealed once, live
    assert three.journal.index == 3 and three.item.source_detail.endswith(RECOVERED_SUFFIX)
    assert sorted(segments_sealed(locker, session)) == [1, 2, 3]
    locker.ws.close()
