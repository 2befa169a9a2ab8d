"""The Evidence page on a workspace with real sealed photos and videos (R15, R17)."""

from __future__ import annotations

from keys_kit import as_
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QLabel

from app.clock import CHINA_TZ
from app.domain import EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from ui.main_window import MainWindow
from ui.models.evidence_gallery import ITEM_ROLE, SEAL_ROLE, SealState
from app.crypto.filecrypt import read_encrypted
from ui.pages.evidence import EvidencePage, view_folder
from ui.thumbnails import THUMBNAIL_SIZE, cache_folder, thumbnail_path
from keys_kit import keys_of

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=CHINA_TZ)
PAIR = ["33010621001", "33010621002"]
RED, GREEN, BLUE = (0, 0, 230), (0, 200, 0), (230, 0, 0)  # BGR, as OpenCV writes them


def jpeg(path: Path, bgr: tuple[int, int, int], size: tuple[int, int] = (1200, 900)) -> Path:
    image = np.full((size[1], size[0], 3), bgr, np.uint8)
    cv2.putText(image, path.stem, (40, size[1] - 60), cv2.FONT_HERSHEY_SIMPLEX, 3, (255, 255, 255), 8)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert cv2.imwrite(str(path), image)
    return path


def mp4(path: Path, seconds: int = 3, fps: int = 10) -> Path:
    """Blue for the first second, green after it: the thumbnail shows which frame it took."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (320, 240))
    for frame in range(seconds * fps):
        writer.write(np.full((240, 320, 3), BLUE if frame < fps else GREEN, np.uint8))
    writer.release()
    return path


@pytest.fixture
def sealed(demo_workspace: Workspace, tmp_path: Path) -> EvidenceLocker:
    """Five sealed items: photos and a video, two inspections and one unlinked, three officers."""
    locker = EvidenceLocker(demo_workspace)
    media = tmp_path / "media"
    specs = [
        (jpeg(media / "IMG_0001.JPG", RED), "书证", PAIR, "JC-2026-1101"),
        (jpeg(media / "IMG_0002.JPG", GREEN), "物证", PAIR, "JC-2026-1101"),
        (mp4(media / "VID_0003.MP4"), "视听资料", PAIR, "JC-2026-1101"),
        (jpeg(media / "IMG_0004.JPG", BLUE, (900, 1200)), "勘验笔录", ["33010621003"], "JC-2026-1102"),
        (jpeg(media / "IMG_0005.JPG", (128, 128, 128)), "电子数据", ["33010621002"], None),
    ]
    for n, (path, kind, certs, inspection) in enumerate(specs):
        locker.ingest_file(path, evidence_type=kind, officer_certs=certs, inspection_id=inspection,
                           captured_at=T0 + timedelta(minutes=7 * n))
    return locker


@pytest.fixture
def page(app, qtbot, sealed: EvidenceLocker) -> EvidencePage:
    ws = sealed.ws
    widget = EvidencePage(ws, current_officer=lambda: as_(ws, "O01"))
    qtbot.addWidget(widget)
    widget.resize(1080, 730)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def names(page: EvidencePage) -> list[str]:
    return [page.proxy.index(r, 0).data(ITEM_ROLE).original_name for r in range(page.proxy.rowCount())]


def cached_image(locker: EvidenceLocker, sha256: str) -> QImage:
    """A cached thumbnail, decrypted: the cache file itself is FIE1, never a readable JPEG."""
    path = thumbnail_path(locker.ws.folder, sha256)
    assert path.read_bytes()[:4] == b"FIE1" and QImage(str(path)).isNull()
    return QImage.fromData(read_encrypted(path, locker.ws.master))


def wait_job(qtbot, job) -> None:
    assert job is not None
    qtbot.waitUntil(lambda: job.is_done, timeout=10_000)
    qtbot.wait(20)  # deliver the queued result to its slots


def test_thumbnails_appear_and_are_cached_outside_the_evidence_store(page: EvidencePage, qtbot,
                                                                    sealed: EvidenceLocker) -> None:
    folder = sealed.ws.folder
    assert page.model.rowCount() == 5
    qtbot.waitUntil(lambda: all(page.proxy.index(r, 0).data(Qt.ItemDataRole.DecorationRole) is not None
                                for r in range(page.proxy.rowCount())), timeout=20_000)
    cached = sorted(p.name for p in cache_folder(folder).iterdir())
    assert cached == sorted(f"{i.sha256}.jpg" for i in sealed.items.all())
    store_names = [p.relative_to(folder / "evidence").as_posix() for p in (folder / "evidence").rglob("*")]
    assert not any("thumbnails" in n or n.endswith(".jpg") for n in store_names)
    assert verify_folder(folder, keys=keys_of(folder)).ok  # nothing was added to or changed in the store
    assert list(sealed.store.stored_hashes()) == sorted(i.sha256 for i in sealed.items.all())

    by_name = {i.original_name: i for i in sealed.items.all()}
    red = cached_image(sealed, by_name["IMG_0001.JPG"].sha256)
    assert max(red.width(), red.height()) == THUMBNAIL_SIZE and red.width() > red.height()
    assert red.pixelColor(red.width() // 2, 20).red() > 180  # a picture of the photo, not a placeholder
    portrait = cached_image(sealed, by_name["IMG_0004.JPG"].sha256)
    assert portrait.height() == THUMBNAIL_SIZE and portrait.width() < portrait.height()
    frame = cached_image(sealed, by_name["VID_0003.MP4"].sha256)
    colour = frame.pixelColor(frame.width() // 2, frame.height() // 2)
    assert colour.green() > 150 and colour.blue() < 80  # the frame at 1 s (green), not the first (blue)
    # reading originals for thumbnails is not a person's view: nothing logged (R17 logs people)
    assert all(sealed.access.for_item(i.sha256) == [] for i in sealed.items.all())


def test_a_thumbnail_left_empty_or_cut_short_by_a_power_cut_is_made_again(sealed: EvidenceLocker) -> None:
    """Thumbnails are written without fsync (they are derived): what a power cut can leave
    under the name, nothing or the first bytes, fails its check and is rendered anew."""
    from ui.thumbnails import load_or_render

    item = next(i for i in sealed.items.all() if i.original_name == "IMG_0001.JPG")
    folder = sealed.ws.folder
    first = load_or_render(folder, sealed.store, item)
    path = thumbnail_path(folder, item.sha256)
    whole = path.read_bytes()
    for left in (b"", whole[: len(whole) // 2]):
        path.write_bytes(left)
        again = load_or_render(folder, sealed.store, item)
        assert again is not None and again.size() == first.size()
        assert path.read_bytes() != left and len(path.read_bytes()) > len(left)
        assert cached_image(sealed, item.sha256).size() == first.size()


def test_seal_marks_show_intact_and_damaged_items(page: EvidencePage, qtbot, sealed: EvidenceLocker) -> None:
    qtbot.waitUntil(lambda: all(page.model.index(r).data(SEAL_ROLE) is not None
                                for r in range(page.model.rowCount())), timeout=10_000)
    assert {page.model.index(r).data(SEAL_ROLE).state for r in range(5)} == {SealState.SEALED}
    victim = next(i for i in sealed.items.all() if i.original_name == "IMG_0002.JPG")
    path = sealed.store.path_for(victim.sha256)
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    with path.open("ab") as fh:
        fh.write(b"appended")
    page.refresh()
    row = page.model.row_of(victim.sha256)
    qtbot.waitUntil(lambda: page.model.index(row).data(SEAL_ROLE).state is SealState.BROKEN, timeout=10_000)
    assert [p.kind for p in page.model.index(row).data(SEAL_ROLE).problems] == ["altered-file"]


def test_R17_full_rehash_on_demand_shows_its_result(page: EvidencePage, qtbot, sealed: EvidenceLocker) -> None:
    page.gallery.setCurrentIndex(page.proxy.index(0, 0))
    item = page.selected_item()
    wait_job(qtbot, page.verify_selected())
    assert page.model.index(page.model.row_of(item.sha256)).data(SEAL_ROLE).state is SealState.VERIFIED
    assert page.detail.seal.text().startswith("✔ 校验通过")

    path = sealed.store.path_for(item.sha256)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x55  # same size: only a full re-hash can tell
    os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    path.write_bytes(bytes(data))
    wait_job(qtbot, page.verify_selected())
    assert page.detail.seal.text().startswith("✖ 封存异常")
    assert "证据文件内容被改动" in page.detail.seal.text()


def test_filters_reduce_the_rows_and_counts_follow(page: EvidencePage) -> None:
    assert names(page) == ["IMG_0005.JPG", "IMG_0004.JPG", "VID_0003.MP4", "IMG_0002.JPG", "IMG_0001.JPG"]
    assert page.count.text() == "显示 5 / 共 5 项"
    page.set_filter(page.inspection_filter, "JC-2026-1101")
    assert names(page) == ["VID_0003.MP4", "IMG_0002.JPG", "IMG_0001.JPG"]
    assert page.count.text() == "显示 3 / 共 5 项"
    page.set_filter(page.type_filter, EvidenceType.PHYSICAL)
    assert names(page) == ["IMG_0002.JPG"]
    page.set_filter(page.type_filter, None)
    page.set_filter(page.inspection_filter, None)
    page.set_filter(page.officer_filter, "O03")
    assert names(page) == ["IMG_0004.JPG"]
    page.set_filter(page.officer_filter, None)
    page.search.setText("VID_0003")
    assert names(page) == ["VID_0003.MP4"]
    assert page.detail.values["name"].text() == "VID_0003.MP4"  # the detail follows the only row
    page.search.clear()
    page.set_filter(page.inspection_filter, "")  # items linked to no inspection
    assert names(page) == ["IMG_0005.JPG"]
    # every filter entry shows its count
    texts = [page.type_filter.itemText(i) for i in range(page.type_filter.count())]
    assert "书证（1）" in texts and "视听资料（1）" in texts and len(texts) == 6


def test_detail_shows_every_sealed_field(page: EvidencePage, sealed: EvidenceLocker) -> None:
    page.search.setText("IMG_0001")
    item = page.selected_item()
    values = {k: v.text() for k, v in page.detail.values.items()}
    assert values["sha256"].replace("\n", "") == item.sha256
    assert values["type"] == "书证" and values["captured"] == "2026-11-23 08:00:00"
    assert "张伟（33010621001）" in values["officers"] and "李娜（33010621002）" in values["officers"]
    assert values["inspection"].startswith("JC-2026-1101")
    assert values["retention"] == "至少保存至 2027-05-23"
    assert values["derived"] == "—（原件）" and values["seq"] == str(item.seal_seq)
    assert str(item.size) in values["size"].replace(",", "") and "IMG_0001.JPG" in values["source"]


def test_R17_export_writes_the_original_and_logs_it(page: EvidencePage, qtbot, sealed: EvidenceLocker,
                                                   tmp_path: Path) -> None:
    page.search.setText("IMG_0002")
    item = page.selected_item()
    out = tmp_path / "handover"
    assert page.export_to(out, "  ") is None  # no purpose: refused, nothing written or logged
    assert "导出用途" in page.detail.message.text() and not out.exists()
    wait_job(qtbot, page.export_to(out, "移送法制审核"))
    [exported] = list(out.iterdir())
    with sealed.store.open(item.sha256) as original:
        assert exported.read_bytes() == original.read()  # the export is the plaintext
    [entry] = sealed.access.for_item(item.sha256)
    assert (entry.action, entry.actor, entry.purpose, entry.destination) == \
        ("export", "O01", "移送法制审核", str(exported))
    assert [e.action for e in sealed.ws.audit.repo.entries()][-1] == "evidence.export"
    assert "导出" in page.detail.access.text() and "移送法制审核" in page.detail.access.text()


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def catch(self, url: QUrl) -> None:
        self.urls.append(url)


def test_R17_opening_in_the_system_viewer_is_a_logged_view(page: EvidencePage, qtbot,
                                                          sealed: EvidenceLocker) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "catch")  # Qt's hook: the viewer is not launched
    try:
        page.search.setText("VID_0003")
        item = page.selected_item()
        wait_job(qtbot, page.open_in_viewer())
    finally:
        QDesktopServices.unsetUrlHandler("file")
    [url] = catcher.urls
    opened = Path(url.toLocalFile())
    assert opened.parent == view_folder(sealed.ws.folder, "O01")
    assert not opened.is_relative_to(sealed.ws.folder)  # decrypted copies never sit in the data folder
    assert stat.S_IMODE(opened.parent.parent.stat().st_mode) == 0o700
    with sealed.store.open(item.sha256) as original:
        assert opened.read_bytes() == original.read()
    assert not os.access(opened, os.W_OK) or os.geteuid() == 0
    assert stat.S_IMODE(opened.stat().st_mode) == 0o444
    [entry] = sealed.access.for_item(item.sha256)
    assert (entry.action, entry.actor) == ("view", "O01")
    assert "查看" in page.detail.access.text()


def test_without_a_signed_in_officer_nothing_is_handed_out(app, qtbot, sealed: EvidenceLocker,
                                                          tmp_path: Path) -> None:
    widget = EvidencePage(sealed.ws)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.selected_item() is not None
    assert widget.export_to(tmp_path / "x", "审核") is None and widget.open_in_viewer() is None
    assert "请先登录" in widget.detail.message.text()
    assert all(sealed.access.for_item(i.sha256) == [] for i in sealed.items.all())
    widget.shutdown()


def test_the_camera_tab_holds_the_webcam_panel_or_a_placeholder(page: EvidencePage) -> None:
    page.set_filter(page.inspection_filter, "JC-2026-1102")
    page.tabs.setCurrentWidget(page.camera_host)
    try:
        from ui.widgets.camera_panel import CameraPanel
    except ImportError:
        assert isinstance(page.camera_panel, QLabel) and "现场拍摄" in page.camera_panel.text()
    else:
        assert isinstance(page.camera_panel, CameraPanel)
    # photos and recordings taken here are collected by the signed-in officer only, not the task's others
    certs, inspection = page.capture_context()
    assert inspection == "JC-2026-1102" and certs == ["33010621001"]
    assert "JC-2026-1102" in page.camera_context.text()


def test_R17_a_photo_taken_in_the_camera_tab_is_sealed_and_joins_the_gallery(page: EvidencePage, qtbot,
                                                                            tmp_path: Path) -> None:
    pytest.importorskip("ui.widgets.camera_panel")
    page.set_filter(page.inspection_filter, "JC-2026-1101")
    page.tabs.setCurrentWidget(page.camera_host)
    panel = page.camera_panel
    assert panel.open_source(str(mp4(tmp_path / "stand-in.mp4", seconds=4)))  # a file stands in for the webcam
    qtbot.waitUntil(lambda: panel.shown_frames >= 3 and panel.photo_button.isEnabled(), timeout=10_000)
    panel.take_photo()
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=10_000)
    photo = next(i for i in page.model.items() if i.source_kind.value == "webcam")
    assert photo.inspection_id == "JC-2026-1101" and photo.officer_certs[0] == "33010621001"
    assert verify_folder(page.ws.folder, keys=keys_of(page.ws.folder)).ok


def test_a_page_deleted_while_a_job_runs_does_not_crash(app, qtbot, sealed: EvidenceLocker) -> None:
    widget = EvidencePage(sealed.ws, current_officer=lambda: as_(sealed.ws, "O01"))
    widget.show()
    job = widget.verify_selected()
    widget.deleteLater()
    qtbot.wait(10)
    assert job.wait(10)
    qtbot.wait(50)  # queued signals of the job find no slot of the deleted page


def test_the_main_window_shows_the_evidence_page(app, qtbot, sealed: EvidenceLocker) -> None:
    window = MainWindow(sealed.ws)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(as_(sealed.ws, "O02"))
    window.show_page("evidence")
    assert window.pages.currentWidget() is window.evidence_page
    assert window.evidence_page.model.rowCount() == 5
    assert window.evidence_page.current_officer().id == "O02"
    window.evidence_page.shutdown()


def test_screenshot_of_the_page(page: EvidencePage, qtbot, tmp_path: Path) -> None:
    qtbot.waitUntil(lambda: page.thumbnails.pending() == 0 and all(
        page.model.index(r).data(SEAL_ROLE) is not None for r in range(page.model.rowCount())), timeout=20_000)
    qtbot.wait(50)
    shot = page.grab().toImage()
    path = tmp_path / "evidence.png"
    assert shot.save(str(path)) and path.stat().st_size > 10_000
    # the first tile is drawn: its thumbnail is not the grey placeholder
    tile = page.gallery.visualRect(page.proxy.index(0, 0))
    origin = page.gallery.viewport().mapTo(page, tile.topLeft())
    colours = {shot.pixelColor(origin.x() + x, origin.y() + 60).name() for x in range(30, 180, 10)}
    assert len(colours) >= 1 and "#e9edf2" not in colours


def test_thumbnails_are_made_only_for_tiles_that_become_visible(app, qtbot, demo_workspace: Workspace,
                                                                tmp_path: Path) -> None:
    locker = EvidenceLocker(demo_workspace)
    for n in range(40):
        path = jpeg(tmp_path / "many" / f"P{n:03d}.JPG", (n * 6, 100, 200 - n * 4), (160, 120))
        locker.ingest_file(path, evidence_type="书证", officer_certs=PAIR, captured_at=T0 + timedelta(minutes=n))
    widget = EvidencePage(demo_workspace, current_officer=lambda: as_(demo_workspace, "O01"))
    qtbot.addWidget(widget)
    widget.resize(1000, 600)  # about two rows of tiles visible
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: cache_folder(demo_workspace.folder).is_dir() and widget.thumbnails.pending() == 0,
                    timeout=20_000)
    qtbot.wait(100)
    first = {p.name for p in cache_folder(demo_workspace.folder).iterdir()}
    assert 0 < len(first) < 20
    last = widget.proxy.index(widget.proxy.rowCount() - 1, 0).data(ITEM_ROLE)
    assert thumbnail_path(demo_workspace.folder, last.sha256).name not in first
    widget.gallery.scrollToBottom()  # painting the last tiles is what asks for their thumbnails
    qtbot.waitUntil(lambda: thumbnail_path(demo_workspace.folder, last.sha256).is_file(), timeout=20_000)
    assert len(list(cache_folder(demo_workspace.folder).iterdir())) < 40
    widget.shutdown()


def test_a_full_disk_keeps_thumbnails_from_being_saved_and_the_page_says_so(app, qtbot, tmp_path) -> None:  # noqa: ANN001
    """The photo still shows; the cache that could not be written is said once, in words."""
    import io

    import cv2
    import numpy as np

    from app import demo
    from app.domain import EvidenceSourceKind, EvidenceType
    from app.evidence.locker import EvidenceLocker
    from keys_kit import as_, create_workspace
    from small_fs import fill, small_disk
    from ui.thumbnails import CACHE_DIR, ThumbnailCache

    with small_disk(tmp_path / "small", "24m") as disk:
        ws = create_workspace(disk / "data")
        try:
            demo.seed(ws, media=False)
            photo = cv2.imencode(".jpg", np.full((480, 640, 3), 90, np.uint8))[1].tobytes()
            item = EvidenceLocker(ws).ingest_stream(
                io.BytesIO(photo), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=["33010621001"],
                source_kind=EvidenceSourceKind.WEBCAM, source_detail="0", inspection_id="JC-2026-1101",
                session=as_(ws, "O01")).item
            (ws.folder / CACHE_DIR).mkdir(parents=True, exist_ok=True)
            fill(disk, leave=0)
            cache = ThumbnailCache(ws.folder, EvidenceLocker(ws).store)
            said: list[str] = []
            cache.storage_problem.connect(said.append)
            assert cache.pixmap(item) is None  # asked for
            qtbot.waitUntil(lambda: cache.pixmap(item) is not None, timeout=10000)
            assert said == ["磁盘空间已满：缩略图未能保存，照片照常显示，证据不受影响。请腾出空间。"]
            assert not list((ws.folder / CACHE_DIR).iterdir())  # nothing half-written left in the cache
            cache.shutdown()
        finally:
            ws.close()
