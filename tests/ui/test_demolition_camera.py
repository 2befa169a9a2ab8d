"""R24 with the live camera: the inventory's photo is taken in place with the camera panel
(a video file stands in for the camera, through the same code path), sealed as it is
taken, linked to the case, and the item is counted with it."""

from __future__ import annotations

from keys_kit import as_
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import demo
from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.errors import DemolitionRefused
from app.demolition.service import DemolitionService
from app.evidence.capture import VideoSource
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from demolition_flow import WITNESS_ID, MovingClock, signature_png
from ui.main_window import MainWindow
from keys_kit import open_workspace, keys_of

CASE = specimen.READY_CASE


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media") / "camera.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=6:size=640x480:rate=25",
                    "-c:v", "mpeg4", "-q:v", "4", str(path)], check=True)
    return path


@pytest.fixture
def ws(data_folder: Path):
    clock = MovingClock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))
    workspace = open_workspace(data_folder, clock=clock)
    demo.seed(workspace)
    s = DemolitionService(workspace)
    s.start(CASE, actor=as_(s, "O01"))
    s.set_party(CASE, present=True, name="陈建国", actor=as_(s, "O01"))
    s.add_witness(CASE, kind="witness", name="周明", id_no=WITNESS_ID,
                  no_interest="本人与本案当事人及执法机关均无利害关系，如实见证清点过程。",
                  signature_png=signature_png("周明"), actor=as_(s, "O01"))
    yield workspace
    workspace.close()


def open_inventory(qtbot, ws: Workspace):  # type: ignore[no-untyped-def]
    """The main window on the ready case's inventory tab, signed in as O01."""
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(as_(ws, "O01"))
    window.show_page("demolition")
    page = window.demolition_page
    page.select_case(CASE)
    page.show_tab(page.inventory)
    return window, page.inventory


def test_R24_a_photo_taken_with_the_camera_is_sealed_linked_and_counted(app, qtbot, ws: Workspace,
                                                                       video: Path) -> None:
    window, inv = open_inventory(qtbot, ws)
    assert inv.camera_button.isEnabled()

    dialog = inv.open_camera(source_factory=lambda target: VideoSource(target, pace=True), cameras=lambda: [])
    panel = dialog.panel
    assert panel.open_source(str(video))
    qtbot.waitUntil(lambda: panel.photo_button.isEnabled() and panel.shown_frames >= 3, timeout=10_000)
    qtbot.mouseClick(panel.photo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(inv.photos) == 1, timeout=10_000)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and panel.session is None  # the camera is released

    [sha] = inv.photos
    item = window.demolition.locker.items.get(sha)
    assert item is not None and item.media_type == "image/jpeg" and item.source_kind.value == "webcam"
    assert item.officer_certs == ("33010621001",)  # the signed-in officer who took it, not the case's other
    assert window.demolition.repo.linked(CASE, "photo") == [sha]

    inv.name.setText("冰箱")
    qtbot.mouseClick(inv.add, Qt.MouseButton.LeftButton)
    assert not inv.error.isVisible(), inv.error.text()
    [counted] = window.demolition.inventory.items(CASE)
    assert counted.photo_sha256s == (sha,)
    assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok


def test_R24_only_a_sealed_photo_can_be_linked(ws: Workspace) -> None:
    s = DemolitionService(ws)
    with pytest.raises(DemolitionRefused):
        s.inventory.link_photo(CASE, "0" * 64, actor=as_(s.inventory, "O01"))
    sha = s.inventory.take_photo(CASE, specimen.sample_photo(1), actor=as_(s.inventory, "O01"))
    assert s.inventory.link_photo(CASE, sha, actor=as_(s.inventory, "O01")) == sha  # linking again changes nothing
    assert s.repo.linked(CASE, "photo") == [sha]


def test_R24_an_item_waits_for_its_photos_and_a_late_photo_never_lands_on_the_next_item(
        app, qtbot, ws: Workspace) -> None:
    window, inv = open_inventory(qtbot, ws)
    inv.name.setText("冰箱")
    inv.attach_photo(specimen.sample_photo(1))
    assert not inv.add.isEnabled()  # the photo is still being sealed: the item cannot go in without it
    inv.add_item()
    assert window.demolition.inventory.items(CASE) == []
    qtbot.waitUntil(lambda: len(inv.photos) == 1 and inv.add.isEnabled(), timeout=10_000)
    qtbot.mouseClick(inv.add, Qt.MouseButton.LeftButton)
    [counted] = window.demolition.inventory.items(CASE)
    assert len(counted.photo_sha256s) == 1 and inv.photos == []
    # a result that arrives for an item already entered is dropped, not carried to the next
    inv._photo_sealed("f" * 64, CASE, inv._generation - 1)
    assert inv.photos == []
