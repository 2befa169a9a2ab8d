"""A data folder on a small file system that fills, or on a read-only one (R17: what was
recorded is sealed; nothing is lost).

The file systems are real: a tmpfs of a few MiB mounted for the test (root only; the
tests are skipped, saying why, where mounting is not permitted).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import demo
from app.evidence.capture import CaptureFailed, CaptureSession, SegmentSealed, VideoSource
from app.evidence.errors import DiskFull, MediumReadOnly
from app.evidence.locker import EvidenceLocker
from app.evidence.segments import RecordingMediumReadOnly, RecordingStoppedDiskFull, recording_root
from app.evidence.verify import verify_folder
from keys_kit import as_, create_workspace, keys_of
from small_fs import fill, mount, noise_video, small_disk, unmount

pytestmark = pytest.mark.integration
OFFICERS = ["33010621001"]
FRAMES = 250


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Path]:
    with small_disk(tmp_path / "small") as target:
        yield target


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return noise_video(tmp_path_factory.mktemp("media") / "noise.mp4")


def _record(ws, video: Path) -> tuple[CaptureSession, list]:  # noqa: ANN001
    events: list = []
    session = CaptureSession(EvidenceLocker(ws), VideoSource(video), officer_certs=OFFICERS,
                             inspection_id="JC-2026-1101", segment_seconds=2, on_event=events.append)
    session.start_recording()
    session.start()
    session._thread.join(60)
    session.stop()
    return session, events


def _import_refused(ws, source: Path, error: type, zh: str, en: str) -> None:  # noqa: ANN001
    with pytest.raises(error) as caught:
        EvidenceLocker(ws).ingest_file(source, evidence_type="audiovisual", officer_certs=OFFICERS,
                                       inspection_id="JC-2026-1101", session=as_(ws, "O01"))
    assert zh in caught.value.zh and en in caught.value.en


def test_R17_a_disk_that_fills_mid_recording_stops_it_and_seals_everything_recorded(small: Path, video: Path) -> None:
    ws = create_workspace(small / "data")
    try:
        demo.seed(ws, media=False)
        fill(small, leave=14 << 20)  # room for the reserve's margin and a few seconds of noise
        session, events = _record(ws, video)

        failed = [e.error for e in events if isinstance(e, CaptureFailed)]
        assert len(failed) == 1 and isinstance(failed[0], RecordingStoppedDiskFull), failed
        assert isinstance(session.error, RecordingStoppedDiskFull)
        assert "磁盘空间已满" in failed[0].zh and "disk is full" in failed[0].en and "nothing was lost" in failed[0].en
        assert 0 < session.frames_recorded < FRAMES  # it stopped early, on the full disk
        sealed = [e for e in events if isinstance(e, SegmentSealed)]
        assert [e.index for e in sealed] == list(range(1, session.segments_started + 1))
        assert failed[0].segments == len(sealed)  # as the message says
        assert sum(e.frames for e in sealed) == session.frames_recorded  # every frame written is sealed
        assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok
        assert not any(p.is_file() for p in recording_root(ws.folder).rglob("*"))  # reserve and spool gone
    finally:
        ws.close()


def test_a_disk_already_full_refuses_to_record_and_to_import_each_with_its_message(small: Path,
                                                                                     video: Path) -> None:
    ws = create_workspace(small / "data")
    try:
        demo.seed(ws, media=False)
        source = small.parent / "a.jpg"
        source.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(300_000))
        fill(small, leave=64 << 10)
        session, events = _record(ws, video)
        assert isinstance(session.error, RecordingStoppedDiskFull) and session.error.segments == 0
        assert session.frames_recorded == 0 and not [e for e in events if isinstance(e, SegmentSealed)]
        _import_refused(ws, source, DiskFull, "磁盘空间已满", "disk is full")
    finally:
        ws.close()


def test_a_read_only_medium_is_said_so_for_recording_and_import(small: Path, video: Path) -> None:
    ws = create_workspace(small / "data")
    evidence = ws.folder / "evidence"
    medium = small.parent / "medium"
    try:
        demo.seed(ws, media=False)
        source = small.parent / "a.jpg"
        source.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(30_000))
        # the evidence folder moves onto a medium mounted read-only (the database stays writable)
        mount(medium, "4m")
        evidence.mkdir(exist_ok=True)
        shutil.copytree(evidence, medium, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(medium)], check=True)
        subprocess.run(["mount", "--bind", str(medium), str(evidence)], check=True)
        session, _ = _record(ws, video)
        assert isinstance(session.error, RecordingMediumReadOnly), session.error
        assert "只读" in session.error.zh and "read-only" in session.error.en
        _import_refused(ws, source, MediumReadOnly, "只读", "read-only")
    finally:
        ws.close()
        unmount(evidence, medium)


def test_a_read_only_stick_or_folder_is_said_so_for_bundles_and_documents(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.documents import pdf
    from app.documents.errors import DocumentWriteFailed
    from cli import main as cli
    from sync.hq import keys
    from sync.pairing import pair_with_folder

    ws = create_workspace(tmp_path / "data")
    stick = tmp_path / "stick"
    mount(stick, "4m")
    try:
        demo.seed(ws, media=False)
        keys.keygen(tmp_path / "hq")
        pair_with_folder(ws, tmp_path / "hq", session=as_(ws, "M01"))
        subprocess.run(["mount", "-o", "remount,ro", str(stick)], check=True)
        with pytest.raises(DocumentWriteFailed) as caught:
            pdf.write_atomic(stick / "out.pdf", lambda fh: fh.write(b"%PDF-1.4"), master=ws.master)
        assert "只读" in caught.value.zh and "read-only" in caught.value.en
        ws.close()
        assert cli.main(["bundle", "--out", str(stick / "b.bundle"), "--data", str(ws.folder)]) == 2
        err = capsys.readouterr().err
        assert "只读" in err and "read-only" in err and "Traceback" not in err
        assert list(stick.iterdir()) == []
    finally:
        ws.db.conn.close()
        unmount(stick)
