"""The camera panel on a video file standing in for a camera: preview, photo, segments (R17)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.evidence.capture import VideoSource
from app.evidence.locker import EvidenceLocker
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from ui.widgets.camera_panel import CameraPanel
from keys_kit import as_, keys_of

OFFICERS = ("33010621001", "33010621002")


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media") / "testsrc.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=8:size=640x480:rate=25",
                    "-c:v", "mpeg4", "-q:v", "4", str(path)], check=True)
    return path


def make_panel(qtbot, demo_workspace: Workspace, **kw: object) -> CameraPanel:  # type: ignore[no-untyped-def]
    options: dict = dict(source_factory=lambda target: VideoSource(target, pace=True), segment_seconds=1.0,
                         cameras=lambda: [])
    options.update(kw)
    panel = CameraPanel(EvidenceLocker(demo_workspace), lambda: (OFFICERS, "JC-2026-1101"), **options)
    qtbot.addWidget(panel)
    panel.resize(720, 560)
    panel.show()
    return panel


def test_R17_panel_previews_takes_a_photo_and_records_sealed_segments(app, qtbot, demo_workspace: Workspace,
                                                                     video: Path, tmp_path: Path) -> None:
    panel = make_panel(qtbot, demo_workspace)
    assert not panel.photo_button.isEnabled() and not panel.record_button.isEnabled()
    assert panel.open_source(str(video))

    # the preview follows the source: the pixmap changes as frames arrive
    qtbot.waitUntil(lambda: panel.shown_frames >= 3, timeout=5000)
    first = panel.preview.pixmap().toImage()
    qtbot.waitUntil(lambda: panel.shown_frames >= 30, timeout=5000)
    assert panel.preview.pixmap().toImage() != first
    assert panel.photo_button.isEnabled() and panel.record_button.isEnabled()

    qtbot.mouseClick(panel.photo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.photos == 1, timeout=5000)
    assert panel.last_sha256[:12] in panel.status.text()

    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert panel.record_button.text() == "停止录像"
    qtbot.waitUntil(lambda: panel.segments_sealed >= 2, timeout=10000)
    assert "录像中" in panel.status.text()
    panel.grab().save(str(tmp_path / "camera_panel.png"))
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    assert panel.record_button.text() == "开始录像" and not panel.session.recording
    panel.session.wait_sealed(10)
    qtbot.waitUntil(lambda: panel.segments_sealed == panel.session.segments_started, timeout=5000)

    items = EvidenceLocker(demo_workspace).items.all()
    videos = [i for i in items if i.media_type == "video/mp4"]
    photos = [i for i in items if i.media_type == "image/jpeg"]
    assert len(photos) == 1 and len(videos) == panel.segments_sealed >= 2
    assert all(i.inspection_id == "JC-2026-1101" and i.officer_certs == OFFICERS for i in items)
    assert panel.last_sha256 in {i.sha256 for i in items}
    assert verify_folder(demo_workspace.folder, keys=keys_of(demo_workspace.folder)).ok
    assert (tmp_path / "camera_panel.png").stat().st_size > 10_000

    # closing the widget stops the session cleanly
    session = panel.session
    panel.close()
    assert panel.session is None and not session.running


def test_panel_reports_camera_lost(app, qtbot, demo_workspace: Workspace, video: Path, tmp_path: Path) -> None:
    """A file read as a live camera, cut short while it plays, is what an unplugged camera looks like."""
    live = shutil.copy(video, tmp_path / "camera.mp4")
    panel = make_panel(qtbot, demo_workspace,
                       source_factory=lambda target: VideoSource(target, live=True, pace=True))
    assert panel.open_source(str(live))
    qtbot.waitUntil(lambda: panel.shown_frames >= 5, timeout=5000)
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.session.frames_recorded >= 10, timeout=5000)
    Path(live).write_bytes(b"")
    qtbot.waitUntil(lambda: "断开" in panel.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: not panel.record_button.isEnabled(), timeout=2000)  # the reader has ended
    assert panel.record_button.text() == "开始录像" and not panel.photo_button.isEnabled()
    # the segment open when the camera went is sealed all the same
    qtbot.waitUntil(lambda: panel.segments_sealed == panel.session.segments_started >= 1, timeout=5000)
    assert verify_folder(demo_workspace.folder, keys=keys_of(demo_workspace.folder)).ok
    panel.close()


def test_panel_recovers_segments_left_by_a_crash_on_creation(app, qtbot, demo_workspace: Workspace,
                                                            video: Path) -> None:
    from app.evidence.segments import RecordingFolder, start_segment

    # what a crashed session leaves: a closed segment and its journal, never sealed, lock gone with the process
    locker = EvidenceLocker(demo_workspace)
    source = VideoSource(video)
    folder = RecordingFolder(demo_workspace.folder, "crashed", master=demo_workspace.master)
    writer = start_segment(folder, 1, source_detail="webcam:0", officers=OFFICERS, inspection_id="JC-2026-1101",
                           evidence_type="audiovisual", started_at=demo_workspace.clock(), fps=source.fps,
                           size=source.size, seconds=60)
    for _ in range(25):
        writer.write(source.read())
    writer.close(demo_workspace.clock())
    source.close()
    folder.lock.release()

    panel = make_panel(qtbot, demo_workspace)
    qtbot.waitUntil(lambda: "恢复" in panel.status.text(), timeout=10000)
    (item,) = locker.items.all()
    assert item.source_detail == "webcam:0;recovered" and panel.last_sha256 == item.sha256
    assert not folder.path.exists()
    panel.close()


def test_preview_does_not_leak_references_to_True(app, qtbot, demo_workspace: Workspace, video: Path) -> None:
    """With PySide6 6.12.0 on CPython 3.11 each ``Signal.emit()`` takes a reference from ``True``
    (the interpreter aborts when it reaches zero); 25 frames a second must not go that way."""
    import sys

    panel = make_panel(qtbot, demo_workspace, recover=False)
    before = sys.getrefcount(True)
    assert panel.open_source(str(video))
    qtbot.waitUntil(lambda: panel.shown_frames >= 60, timeout=10000)
    panel.close()
    assert before - sys.getrefcount(True) < 10, (before, sys.getrefcount(True))


def test_R17_a_photo_is_collected_by_the_signed_in_person_only(app, qtbot, demo_workspace: Workspace,
                                                                video: Path) -> None:
    """The task's other officer did not take the photo: naming him as collector is refused."""
    named = [OFFICERS, "JC-2026-1101"]
    panel = make_panel(qtbot, demo_workspace, operator=lambda: as_(demo_workspace, "O01"))
    panel.context = lambda: tuple(named)
    assert panel.open_source(str(video))
    qtbot.waitUntil(lambda: panel.photo_button.isEnabled(), timeout=5000)
    panel.take_photo()
    assert "采集人只能是登录的本人" in panel.status.text() and panel.photos == 0
    named[0] = ("33010621001",)
    panel.take_photo()
    qtbot.waitUntil(lambda: panel.photos == 1, timeout=5000)
    [photo] = EvidenceLocker(demo_workspace).items.all()
    assert photo.officer_certs == ("33010621001",) and photo.officer_ids == ("O01",)
    panel.close()


def test_R17_panel_says_the_disk_is_full_and_what_was_recorded_is_sealed(app, qtbot, tmp_path: Path) -> None:
    """A real small disk fills while the panel records: the recording stops, the panel says so."""
    from app import demo
    from keys_kit import create_workspace
    from small_fs import fill, noise_video, small_disk

    noise = noise_video(tmp_path / "noise.mp4")
    with small_disk(tmp_path / "small") as disk:
        ws = create_workspace(disk / "data")
        try:
            demo.seed(ws, media=False)
            fill(disk, leave=14 << 20)
            panel = make_panel(qtbot, ws, source_factory=lambda target: VideoSource(target, pace=True))
            assert panel.open_source(str(noise))
            qtbot.waitUntil(lambda: panel.shown_frames >= 2, timeout=5000)
            qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: "磁盘空间已满" in panel.status.text(), timeout=20000)
            qtbot.waitUntil(lambda: panel.segments_sealed == panel.session.segments_started >= 1, timeout=10000)
            assert "已封存" in panel.status.text() and not panel.record_button.isChecked()
            panel.grab().save(str(tmp_path.parent / "camera-panel-disk-full.png"))
            assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok
            panel.close()
        finally:
            ws.close()
