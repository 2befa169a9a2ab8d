"""Webcam capture through the same code path as a camera, on a generated video (R15, R17)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from keys_kit import keys_of
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence import errors
from app.evidence.capture import (
    CameraLost,
    CaptureFailed,
    CaptureSession,
    Frame,
    LatestFrame,
    NoFrameYet,
    PhotoSealed,
    SegmentSealed,
    SourceEnded,
    VideoSource,
    list_cameras,
)
from app.evidence.locker import EvidenceLocker
from app.evidence.segments import JOURNAL_FORMAT, SegmentJournal, recording_root
from app.evidence.verify import verify_folder
from app.workspace import Workspace

OFFICERS = ["33010621001", "33010621002"]
SECONDS, FPS = 10, 25


def make_video(path: Path, seconds: float = SECONDS, size: str = "320x240", fps: int = FPS,
               noise: int = 0) -> Path:
    """An MPEG-4 test pattern made with ffmpeg (testsrc), optionally noisy so frames are large."""
    chain = f"testsrc=duration={seconds}:size={size}:rate={fps}" + (f",noise=alls={noise}:allf=t" if noise else "")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", chain, "-c:v", "mpeg4", "-q:v", "4",
                    str(path)], check=True)
    return path


def ffprobe_frames(path: Path) -> int:
    """Frames actually decodable in ``path``, counted by ffprobe (decodes every frame)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                          "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout.strip()
    return int(out)


def stored_frames(locker: EvidenceLocker, sha256: str) -> int:
    """Frames of a sealed original, counted by ffprobe on its plaintext (held in memory only)."""
    with locker.store.plaintext_path(sha256) as path:
        return ffprobe_frames(Path(path))


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("media") / "testsrc.mp4")


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def session_on(locker: EvidenceLocker, source: VideoSource, **kw: object) -> tuple[CaptureSession, list]:
    events: list = []
    options: dict = dict(officer_certs=OFFICERS, inspection_id="JC-2026-1101", on_event=events.append)
    options.update(kw)
    return CaptureSession(locker, source, **options), events


def test_R17_recording_is_cut_into_segments_each_sealed_with_every_frame(locker: EvidenceLocker,
                                                                        video: Path) -> None:
    session, events = session_on(locker, VideoSource(video), segment_seconds=3)
    session.start_recording()
    session.start()
    session._thread.join(30)
    session.stop()

    assert session.error is None and session.frames_read == SECONDS * FPS
    sealed = [e for e in events if isinstance(e, SegmentSealed)]
    # 10 s in 3 s segments: 3 + 3 + 3 + 1
    assert [e.index for e in sealed] == [1, 2, 3, 4] and [e.frames for e in sealed] == [75, 75, 75, 25]
    counted = [stored_frames(locker, e.item.sha256) for e in sealed]
    assert counted == [75, 75, 75, 25] and sum(counted) == session.frames_read == session.frames_recorded
    for e in sealed:
        item = e.item
        assert item.media_type == "video/mp4" and item.source_kind is EvidenceSourceKind.WEBCAM
        assert item.source_detail == str(video) and item.evidence_type is EvidenceType.AUDIOVISUAL
        assert item.officer_certs == tuple(OFFICERS) and item.inspection_id == "JC-2026-1101"
        assert item.duration_ms == e.frames * 1000 // FPS
        assert item.original_name == f"{session.session_id}-{e.index:04d}.mp4"
        assert item.captured_at == locker.ws.clock().replace(microsecond=0)
    assert isinstance(events[-1], (SourceEnded, SegmentSealed))
    report = verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder))
    assert report.ok and report.records == 4
    # sealed segments leave nothing behind in the recording folder
    assert list(recording_root(locker.ws.folder).iterdir()) == []


def test_R15_photo_is_a_sealed_jpeg_of_the_frame_on_screen(locker: EvidenceLocker, video: Path) -> None:
    session, events = session_on(locker, VideoSource(video, pace=True), evidence_type="物证")
    with pytest.raises(NoFrameYet):
        session.take_photo()
    session.start()
    deadline = time.monotonic() + 5
    while session.frames_read < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    item = session.take_photo().result(10).item
    shown = session.frames_read
    while session.frames_read < shown + FPS:  # testsrc changes its picture once a second
        time.sleep(0.01)
    other = session.take_photo(EvidenceType.DOCUMENTARY)
    session.stop()
    assert item.media_type == "image/jpeg" and item.evidence_type is EvidenceType.PHYSICAL
    assert other.result().item.evidence_type is EvidenceType.DOCUMENTARY
    with locker.store.open(item.sha256) as fh:
        data = fh.read()
    assert data[:3] == b"\xff\xd8\xff"
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (240, 320, 3)
    assert item.source_kind is EvidenceSourceKind.WEBCAM and item.original_name.endswith(".jpg")
    assert [e.duplicate for e in events if isinstance(e, PhotoSealed)] == [False, False]
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).ok


def test_camera_unplugged_mid_recording_seals_the_segment_and_reports_CameraLost(
        locker: EvidenceLocker, video: Path, tmp_path: Path) -> None:
    """A file read as a live camera whose bytes vanish mid-read: OpenCV's read() then fails
    exactly as it does for a pulled USB camera, and the session sees only that failure."""
    live = shutil.copy(video, tmp_path / "camera.mp4")
    session, events = session_on(locker, VideoSource(live, live=True, pace=True), segment_seconds=1)
    session.start_recording()
    session.start()
    while session.frames_read < 40:
        time.sleep(0.01)
    os.truncate(live, 4096)  # the "camera" stops delivering: frames after the buffered ones are gone
    session._thread.join(15)
    session.stop()

    lost = [e.error for e in events if isinstance(e, CaptureFailed)]
    assert len(lost) == 1 and isinstance(lost[0], CameraLost) and isinstance(session.error, CameraLost)
    assert "摄像头" in lost[0].zh and "disconnected" in lost[0].en
    assert session.frames_read < SECONDS * FPS  # it did not simply reach the end
    sealed = [e for e in events if isinstance(e, SegmentSealed)]
    assert sealed and sum(stored_frames(locker, e.item.sha256) for e in sealed) == \
        session.frames_recorded == session.frames_read
    assert lost[0].segments == len(sealed) == session.segments_started  # as its message says
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).ok


def test_stopping_a_recording_seals_it_and_preview_goes_on(locker: EvidenceLocker, video: Path) -> None:
    session, events = session_on(locker, VideoSource(video, pace=True), segment_seconds=60)
    session.start()
    session.start_recording()
    while session.frames_recorded < 20:
        time.sleep(0.01)
    session.stop_recording()
    assert not session.recording
    session.wait_sealed(10)
    recorded = session.frames_recorded
    read_before = session.frames_read
    time.sleep(0.2)
    assert session.frames_read > read_before and session.frames_recorded == recorded  # preview only
    session.stop()
    (segment,) = [e for e in events if isinstance(e, SegmentSealed)]
    assert stored_frames(locker, segment.item.sha256) == recorded == segment.frames


def test_journal_beside_an_open_segment_names_collectors_and_format(locker: EvidenceLocker, video: Path) -> None:
    session, _ = session_on(locker, VideoSource(video, pace=True))
    session.start_recording()
    session.start()
    while session.frames_recorded < 5:
        time.sleep(0.01)
    folder = recording_root(locker.ws.folder) / session.session_id
    journal = SegmentJournal.from_json((folder / "segment-0001.json").read_bytes())
    session.stop()
    raw = json.loads(journal.to_json())
    assert raw["format"] == JOURNAL_FORMAT and journal.officers == tuple(OFFICERS)
    assert (journal.fps, journal.width, journal.height) == (25.0, 320, 240)
    assert journal.inspection_id == "JC-2026-1101" and journal.source_detail == str(video)
    assert journal.closed_at is None and journal.codec_config.startswith("000001b0")  # MPEG-4 VOS header
    assert not folder.exists()  # sealed and cleaned on stop


def test_R15_wrong_officer_or_type_fails_before_any_frame(locker: EvidenceLocker, video: Path) -> None:
    with pytest.raises(errors.UnknownOfficer):
        CaptureSession(locker, VideoSource(video), officer_certs=["99999999999"])
    with pytest.raises(errors.EvidenceTypeInvalid):
        CaptureSession(locker, VideoSource(video), officer_certs=OFFICERS, evidence_type="照片")
    assert locker.items.all() == []


def test_latest_frame_slot_keeps_only_the_newest() -> None:
    slot = LatestFrame()
    frames = [Frame(np.zeros((2, 2, 3), np.uint8), n, None) for n in range(1, 4)]  # type: ignore[arg-type]
    assert slot.put(frames[0]) is True  # empty: the consumer must be told
    assert slot.put(frames[1]) is False and slot.put(frames[2]) is False  # older ones dropped
    assert slot.take() is frames[2] and slot.take() is None


def test_on_frame_is_called_only_when_the_consumer_took_the_last_one(locker: EvidenceLocker,
                                                                     video: Path) -> None:
    """A stalled GUI gets one pending notification, not a queue of frames."""
    calls: list[int] = []
    session, _ = session_on(locker, VideoSource(video), on_frame=lambda f: calls.append(f.number))
    session.start()
    session._thread.join(30)
    assert calls == [1] and session.frames_read == SECONDS * FPS
    assert session.latest.take().number == SECONDS * FPS
    session.stop()


def test_camera_list_never_blocks_long() -> None:
    start = time.monotonic()
    cameras = list_cameras(budget_s=1.0)
    assert time.monotonic() - start < 2.0
    # this machine has no camera; where there is one, each entry names an index
    assert all(isinstance(c.index, int) and c.name for c in cameras)


def test_an_unopenable_source_is_a_clear_error(tmp_path: Path) -> None:
    from app.evidence.capture import CameraUnavailable

    with pytest.raises(CameraUnavailable) as caught:
        VideoSource(tmp_path / "missing.mp4")
    assert "missing.mp4" in caught.value.zh and caught.value.en
