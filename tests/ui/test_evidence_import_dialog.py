"""The import dialog: a folder sealed with progress, the type required (R15), cancelling leaves nothing half."""

from __future__ import annotations

from keys_kit import as_
import os
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from PySide6.QtCore import Qt

from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from ui.dialogs.import_dialog import ImportDialog, bodycam_module, format_bytes, format_duration
from ui.pages.evidence import EvidencePage
from keys_kit import keys_of

MiB = 1 << 20


def photo(path: Path, bgr: tuple[int, int, int]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = np.full((600, 800, 3), bgr, np.uint8)
    cv2.circle(image, (400, 300), 120, (255, 255, 255), -1)
    assert cv2.imwrite(str(path), image)
    return path


def video(path: Path) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 10, (320, 240))
    for n in range(20):
        writer.write(np.full((240, 320, 3), (20 * n % 255, 90, 160), np.uint8))
    writer.release()
    return path


@pytest.fixture
def page(app, qtbot, demo_workspace: Workspace) -> EvidencePage:
    widget = EvidencePage(demo_workspace, current_officer=lambda: as_(demo_workspace, "O01"))
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


@pytest.fixture
def card(tmp_path: Path) -> Path:
    """A camera card: two photos and a video, a side file to skip and a file that is not media."""
    root = tmp_path / "CARD" / "DCIM" / "100MEDIA"
    photo(root / "IMG_0001.JPG", (40, 40, 200))
    photo(root / "IMG_0002.JPG", (40, 200, 40))
    video(root / "VID_0003.MP4")
    (root / "IMG_0001.THM").write_bytes(b"\xff\xd8\xff\xe0side file")
    (root / "notes.bin").write_bytes(b"not a photo at all")
    return tmp_path / "CARD"


def run(qtbot, dialog: ImportDialog):
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as blocker:
        assert dialog.start() is not None
    return blocker.args[0]


def test_a_folder_is_imported_with_progress_and_a_report(page: EvidencePage, qtbot, card: Path) -> None:
    dialog = page.open_import_dialog()
    assert dialog.isModal()
    dialog.set_paths([card])
    dialog.set_evidence_type(EvidenceType.AUDIOVISUAL)
    dialog.set_officers(["O01", "O02"])
    dialog.set_inspection("JC-2026-1103")
    report = run(qtbot, dialog)
    assert sorted(i.original_name for i in report.imported) == ["IMG_0001.JPG", "IMG_0002.JPG", "VID_0003.MP4"]
    assert [p.name for p, _ in report.failed] == ["notes.bin"]
    assert {i.inspection_id for i in report.imported} == {"JC-2026-1103"}
    assert {i.officer_certs for i in report.imported} == {("33010621001",)}  # the person importing
    steps = dialog.progress_steps
    total = sum(p.stat().st_size for p in card.rglob("*") if p.suffix in (".JPG", ".MP4", ".bin"))
    assert steps and steps[-1].bytes_done == steps[-1].bytes_total == total
    assert [s.bytes_done for s in steps] == sorted(s.bytes_done for s in steps)
    assert dialog.bar.value() == dialog.bar.maximum()
    text = dialog.message.toPlainText()
    assert "已导入并封存 3 项" in text and "失败 1 项" in text
    assert "notes.bin" in text and "不是可识别的照片、视频或录音" in text  # the core's own Chinese message
    assert page.model.rowCount() == 3  # the gallery was reloaded
    assert verify_folder(page.ws.folder, keys=keys_of(page.ws.folder)).ok

    again = run(qtbot, dialog)  # the same card again: nothing sealed twice
    assert again.imported == [] and len(again.duplicates) == 3
    assert "重复（证据库中已有，未再次封存）3 项" in dialog.message.toPlainText()
    dialog.reject()


def test_R15_an_evidence_type_is_required_before_anything_is_read(page: EvidencePage, card: Path) -> None:
    dialog = page.open_import_dialog()
    assert dialog.start() is None and "请先选择" in dialog.message.toPlainText()  # nothing chosen yet
    dialog.set_paths([card])
    dialog.set_officers(["O01"])
    assert dialog.start() is None
    assert "R15" not in dialog.message.toPlainText() and "第四十六条" in dialog.message.toPlainText()
    assert dialog.evidence_type.count() == 9  # a prompt and the eight statutory types
    dialog.set_evidence_type(EvidenceType.DOCUMENTARY)
    # the collector is the signed-in person, shown and not to be chosen
    assert [dialog.officers.item(n).data(Qt.ItemDataRole.UserRole).id for n in range(dialog.officers.count())] \
        == ["O01"]
    assert EvidenceLocker(page.ws).items.all() == []
    dialog.reject()


@pytest.fixture
def long_card(tmp_path: Path) -> Path:
    """A photo, a long recording (128 MiB) and another photo, imported in that order."""
    folder = tmp_path / "CAM"
    photo(folder / "A_photo.jpg", (10, 10, 10))
    with (folder / "B_long.mp4").open("wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom")
        for _ in range(128):
            fh.write(os.urandom(MiB))
    photo(folder / "C_photo.jpg", (200, 10, 10))
    return folder


def nothing_half_done(page: EvidencePage, report) -> None:
    """Every sealed item is whole, nothing else is in the store, no staging file is left."""
    locker = EvidenceLocker(page.ws)
    assert sorted(i.sha256 for i in locker.items.all()) == sorted(i.sha256 for i in report.imported)
    assert len(locker.seals.all()) == len(report.imported)
    assert list(locker.store.stored_hashes()) == sorted(i.sha256 for i in report.imported)
    assert not locker.store.staging.exists() or list(locker.store.staging.iterdir()) == []
    assert verify_folder(page.ws.folder, keys=keys_of(page.ws.folder)).ok


def test_cancelling_inside_a_file_keeps_what_is_sealed_and_leaves_nothing_of_that_file(
        page: EvidencePage, qtbot, long_card: Path) -> None:
    dialog = page.open_import_dialog()
    dialog.set_paths([long_card])
    dialog.set_evidence_type(EvidenceType.AUDIOVISUAL)

    def cancel_once_the_first_file_is_sealed() -> None:
        # Watches from its own thread, so the stop lands inside the long file whatever the GUI is doing.
        while not dialog.importer.report.imported and not job.is_done:
            time.sleep(0.0005)
        job.cancel_event.set()

    with qtbot.waitSignal(dialog.imported, timeout=60_000) as blocker:
        job = dialog.start()
        watcher = threading.Thread(target=cancel_once_the_first_file_is_sealed)
        watcher.start()
    watcher.join(5)
    report = blocker.args[0]
    assert report.cancelled and [i.original_name for i in report.imported] == ["A_photo.jpg"]
    assert "导入已取消" in dialog.message.toPlainText() and dialog.progress_text.text() == "已取消"
    nothing_half_done(page, report)
    dialog.reject()
    assert not dialog.isVisible()


def test_esc_while_importing_cancels_and_the_dialog_waits_until_it_has_stopped(
        page: EvidencePage, qtbot, long_card: Path) -> None:
    dialog = page.open_import_dialog()
    dialog.set_paths([long_card])
    dialog.set_evidence_type(EvidenceType.AUDIOVISUAL)
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as blocker:
        assert dialog.start() is not None
        dialog.reject()  # Esc at once: the import stops, the dialog stays open to say so
        assert dialog.isVisible() and not dialog.close_button.isEnabled()
    report = blocker.args[0]
    assert report.cancelled and "B_long.mp4" not in [i.original_name for i in report.imported]
    assert dialog.isVisible() and dialog.close_button.isEnabled()
    nothing_half_done(page, report)
    dialog.reject()
    assert not dialog.isVisible()


def test_without_the_camera_module_the_body_camera_section_says_so(page: EvidencePage) -> None:
    dialog = page.open_import_dialog()
    if bodycam_module() is not None:
        pytest.skip("the body-camera module is installed")
    assert "执法记录仪识别模块" in dialog.camera_note.text()
    assert not dialog.use_camera_button.isEnabled() and dialog.detect() is None
    dialog.reject()


def test_a_body_camera_is_found_and_its_new_files_sealed_for_its_wearer(page: EvidencePage, qtbot,
                                                                       tmp_path: Path) -> None:
    bodycam = pytest.importorskip("app.evidence.bodycam")
    root = tmp_path / "BODYCAM"
    photo(root / "DCIM" / "100MEDIA" / "IMG_0001.JPG", (30, 30, 160))
    video(root / "DCIM" / "100MEDIA" / "VID_0002.MP4")
    (root / "DEVICE.TXT").write_text("设备编号: BC-0042\n", encoding="utf-8")
    bodycam.assign_camera(page.ws, "BC-0042", "O03", actor=as_(page.ws, "L01"))
    dialog = page.open_import_dialog()
    assert dialog.detect([root]) is not None
    qtbot.waitUntil(lambda: dialog.camera_list.count() == 1, timeout=10_000)
    line = dialog.camera_list.item(0).text()
    assert "BC-0042" in line and "王强" in line and "2 个新文件" in line
    dialog.use_camera(0)
    assert [o.id for o in dialog.checked_officers()] == ["O03"]
    assert dialog.evidence_type.currentData() == EvidenceType.AUDIOVISUAL.value  # preset, may be changed (R15)
    assert "BC-0042" in dialog.source_note.text()
    report = run(qtbot, dialog)
    assert sorted(i.original_name for i in report.imported) == ["IMG_0001.JPG", "VID_0002.MP4"]
    assert {(i.source_kind, i.source_detail) for i in report.imported} == {(EvidenceSourceKind.BODY_CAMERA, "BC-0042")}
    assert {i.officer_ids for i in report.imported} == {("O03",)}
    dialog.detect([root])
    qtbot.waitUntil(lambda: dialog.camera_list.count() == 1 and "0 个新文件" in dialog.camera_list.item(0).text(),
                    timeout=10_000)
    dialog.reject()


def test_sizes_and_times_for_people() -> None:
    assert format_bytes(512) == "512 B" and format_bytes(1536) == "1.5 KB"
    assert format_bytes(5 * MiB) == "5.0 MB" and format_bytes(3 << 30) == "3.0 GB"
    assert format_duration(65) == "1:05" and format_duration(3725) == "1:02:05"
