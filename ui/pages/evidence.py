"""Evidence: the gallery of sealed originals, their seals, logged viewing and export, import.

Every access to an original by a person goes through the locker and is logged
(R17): opening in the system viewer copies it, logged as a view, into a per-user
view folder under ``<data>/cache/view/``; "导出…" is a logged export with a purpose.
Thumbnails, seal checks, re-hashing, copying and importing run in background jobs.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, QThreadPool, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.device import PUBLIC_KEY_FILE, DeviceKeyError, DevicePublicKey, device_folder
from app.domain import EvidenceItem, EvidenceType, Officer
from app.evidence.records import is_record
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace
from local_db.errors import UserFacingError
from ui.dialogs.import_dialog import ImportDialog
from ui.models.evidence_gallery import (
    ALL,
    ITEM_ROLE,
    UNLINKED,
    EvidenceFilterModel,
    EvidenceGalleryModel,
    GalleryRow,
    SealCheck,
    check_all,
    rehash_steps,
    type_label,
)
from ui.thumbnails import ThumbnailCache
from ui.workers import Job, database_pool

log = logging.getLogger(__name__)


from ui.pages.evidence_detail import EvidenceDetail, copy_for_viewing, view_folder  # noqa: E402,F401
from ui.widgets.evidence_tile import EvidenceTileDelegate  # noqa: E402


class EvidencePage(QWidget):
    """The gallery, its filters and the detail of the selected item."""

    def __init__(self, workspace: Workspace, *, current_officer: Callable[[], Officer | None] = lambda: None,
                 language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.current_officer = current_officer
        self.language = language
        self._locker: EvidenceLocker | None = None
        self._thumbnails: ThumbnailCache | None = None
        self.jobs: dict[str, Job] = {}  # the latest job of each kind, for tests and shutdown
        self.import_dialog: ImportDialog | None = None
        self.model = EvidenceGalleryModel(self)
        self.proxy = EvidenceFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort_by("captured")

        title = QLabel(self.tr("证据材料"))
        title.setObjectName("pageTitle")
        self.count = QLabel()
        self.count.setObjectName("hint")
        # A full or read-only disk said where the officer looks (thumbnails still show).
        self.storage_note = QLabel()
        self.storage_note.setWordWrap(True)
        self.storage_note.setStyleSheet("color: #b3261e;")
        self.storage_note.hide()
        self.import_button = QPushButton(self.tr("导入…"))
        self.import_button.clicked.connect(self.open_import_dialog)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.import_button)

        self.inspection_filter = QComboBox()
        self.type_filter = QComboBox()
        self.officer_filter = QComboBox()
        self.sort_choice = QComboBox()
        for text, key, order in ((self.tr("拍摄时间（新→旧）"), "captured", Qt.SortOrder.DescendingOrder),
                                 (self.tr("拍摄时间（旧→新）"), "captured", Qt.SortOrder.AscendingOrder),
                                 (self.tr("入库时间（新→旧）"), "ingested", Qt.SortOrder.DescendingOrder),
                                 (self.tr("证据种类"), "type", Qt.SortOrder.AscendingOrder)):
            self.sort_choice.addItem(text, (key, order))
        self.sort_choice.currentIndexChanged.connect(lambda _: self.proxy.sort_by(*self.sort_choice.currentData()))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：文件名、SHA-256、人员、任务…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_search)
        self.inspection_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_inspection(self.inspection_filter.currentData()))
        self.type_filter.currentIndexChanged.connect(lambda _: self.proxy.set_evidence_type(self.type_filter.currentData()))
        self.officer_filter.currentIndexChanged.connect(
            lambda _: self.proxy.set_officer(self.officer_filter.currentData()))
        filters = QHBoxLayout()
        for w, stretch in ((self.inspection_filter, 3), (self.type_filter, 2), (self.officer_filter, 2),
                           (self.sort_choice, 2)):
            w.setMinimumContentsLength(6)
            w.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            filters.addWidget(w, stretch)

        self.gallery = QListView()
        self.gallery.setObjectName("gallery")
        self.gallery.setViewMode(QListView.ViewMode.IconMode)
        self.gallery.setResizeMode(QListView.ResizeMode.Adjust)
        self.gallery.setMovement(QListView.Movement.Static)
        self.gallery.setUniformItemSizes(True)  # only visible tiles are asked for data: lazy thumbnails
        self.gallery.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.gallery.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.gallery.setItemDelegate(EvidenceTileDelegate(self.gallery))
        self.gallery.setModel(self.proxy)
        self.gallery.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = EvidenceDetail(self.ws, language)
        self.detail.open_button.clicked.connect(self.open_in_viewer)
        self.detail.export_button.clicked.connect(self.ask_export)
        self.detail.verify_button.clicked.connect(self.verify_selected)

        library = QWidget()
        ll = QVBoxLayout(library)
        ll.setContentsMargins(0, 8, 0, 0)
        ll.addLayout(filters)
        ll.addWidget(self.search)
        body = QHBoxLayout()
        body.addWidget(self.gallery, 1)
        body.addWidget(self.detail)
        ll.addLayout(body, 1)
        self.camera_host = QWidget()
        self.camera_context = QLabel()
        self.camera_context.setObjectName("hint")
        self.camera_context.setWordWrap(True)
        QVBoxLayout(self.camera_host).addWidget(self.camera_context)
        self.camera_panel: QWidget | None = None
        self._reload_queued = False
        self.tabs = QTabWidget()
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 44px; min-width: 120px; padding: 0 16px; }")
        self.tabs.addTab(library, self.tr("证据库"))
        self.tabs.addTab(self.camera_host, self.tr("现场拍摄"))
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.storage_note)
        layout.addWidget(self.tabs, 1)
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_count)
            signal.connect(self._follow_selection)
        self._shown: str | None = None

    # --- data --------------------------------------------------------------------
    @property
    def locker(self) -> EvidenceLocker:
        """The workspace's evidence locker, opened on first use (it may create the device key)."""
        if self._locker is None:
            self._locker = EvidenceLocker(self.ws)
            self._thumbnails = ThumbnailCache(self.ws.folder, self._locker.store, self)
            self.model.thumbnails = self._thumbnails
            self._thumbnails.ready.connect(self.model._thumbnail_ready)  # noqa: SLF001
            self._thumbnails.ready.connect(self.detail.thumbnail_ready)
            self._thumbnails.storage_problem.connect(self._storage_problem)
            self.detail.thumbnails = self._thumbnails
        return self._locker

    @property
    def thumbnails(self) -> ThumbnailCache:
        _ = self.locker
        assert self._thumbnails is not None
        return self._thumbnails

    def refresh(self) -> None:
        """Reload the items from the database and check their seals in the background."""
        items = [i for i in self.locker.items.all() if not is_record(i)]  # photos and videos, not decisions
        officers = {o.id: o for o in self.ws.officers.all()}
        subjects = {r.id: r.subject_name for r in self.ws.inspections.overview()}
        rows = [GalleryRow(i, tuple(officers[o].name if o in officers else o for o in i.officer_ids),
                           f"{i.inspection_id}  {subjects.get(i.inspection_id, '')}".strip() if i.inspection_id else "")
                for i in items]
        selected = self._shown
        self.model.set_rows(rows)
        self._fill_filters(rows, officers)
        self._update_count()
        if selected and (n := self._proxy_row(selected)) is not None:
            self.gallery.setCurrentIndex(self.proxy.index(n, 0))
        elif self.proxy.rowCount():
            self.gallery.setCurrentIndex(self.proxy.index(0, 0))
        seals = {r.sha256: r for r in self.locker.seals.all()}
        job = Job(check_all, items, seals, self.public_key(), self.locker.store)
        # A reload can overtake a slower check: only the latest one is shown.
        job.result.connect(lambda checks: self._seals_checked(checks) if self.jobs.get("seals") is job else None)
        self._start("seals", job)

    def public_key(self) -> DevicePublicKey | None:
        try:
            return DevicePublicKey.load(device_folder(self.ws.folder) / PUBLIC_KEY_FILE)
        except DeviceKeyError:
            return None

    def _fill_filters(self, rows: list[GalleryRow], officers: dict[str, Officer]) -> None:
        by_inspection = Counter(r.item.inspection_id or UNLINKED for r in rows)
        labels = {r.item.inspection_id: r.inspection_label for r in rows if r.item.inspection_id}
        by_type = Counter(r.item.evidence_type for r in rows)
        by_officer = Counter(o for r in rows for o in r.item.officer_ids)
        entries = {
            self.inspection_filter: [(self.tr("全部检查任务"), ALL)]
            + ([(self.tr("未关联检查任务") + f"（{by_inspection[UNLINKED]}）", UNLINKED)] if by_inspection[UNLINKED] else [])
            + [(f"{labels[i]}（{n}）", i) for i, n in sorted(by_inspection.items()) if i],
            self.type_filter: [(self.tr("全部证据种类"), ALL)]
            + [(f"{type_label(t)}（{by_type[t]}）", t) for t in EvidenceType if by_type[t]],
            self.officer_filter: [(self.tr("全部人员"), ALL)]
            + [(f"{officers[o].name if o in officers else o}（{n}）", o) for o, n in sorted(by_officer.items())],
        }
        for combo, choices in entries.items():
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, value in choices:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.proxy.set_filters(inspection=self.inspection_filter.currentData(),
                               evidence_type=self.type_filter.currentData(),
                               officer=self.officer_filter.currentData())

    def set_filter(self, combo: QComboBox, value: object) -> None:
        """Choose a filter value by its data (an inspection id, EvidenceType or officer id)."""
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def _proxy_row(self, sha256: str) -> int | None:
        n = self.model.row_of(sha256)
        if n is None:
            return None
        index = self.proxy.mapFromSource(self.model.index(n))
        return index.row() if index.isValid() else None

    def _update_count(self) -> None:
        self.count.setText(self.tr("显示 %1 / 共 %2 项").replace("%1", str(self.proxy.rowCount()))
                           .replace("%2", str(self.model.rowCount())))

    # --- selection and detail -------------------------------------------------------
    def selected_item(self) -> EvidenceItem | None:
        rows = self.gallery.selectionModel().selectedIndexes()
        return rows[0].data(ITEM_ROLE) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._follow_selection()

    def _follow_selection(self) -> None:
        # Filtering can move another item under the selection without selectionChanged.
        item = self.selected_item()
        sha = item.sha256 if item else None
        if sha == self._shown:
            return
        self._shown = sha
        self.detail.show_item(self.model.row_at(self.model.row_of(sha)) if sha else None)

    def _seals_checked(self, checks: dict[str, SealCheck]) -> None:
        self.model.set_seals(checks)
        if self._shown in checks and (n := self.model.row_of(self._shown)) is not None:
            self.detail.show_seal(self.model.row_at(n).seal)

    # --- actions ---------------------------------------------------------------------
    def _actor(self) -> Officer | None:
        officer = self.current_officer()
        if officer is None:
            self.detail.say(self.tr("请先登录：查看和导出原件须记录操作人员。"), error=True)
        return officer

    def open_in_viewer(self) -> Job | None:
        """Copy the selected original to the user's view folder (a logged view, R17) and open it."""
        item, officer = self.selected_item(), self._actor()
        if item is None or officer is None:
            return None
        folder = view_folder(self.ws.folder, officer.id)
        job = Job(copy_for_viewing, self.locker, item, officer, folder)
        job.result.connect(lambda path: self._opened(item, path))
        return self._start("open", job, database_pool())

    def _opened(self, item: EvidenceItem, path: Path) -> None:
        self.detail.show_access(item)
        self.detail.say(self.tr("已记录查看并打开：%1").replace("%1", str(path)))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def ask_export(self) -> None:
        """Ask for a folder and a purpose, then export (R17)."""
        if self.selected_item() is None or self._actor() is None:
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("导出原件到文件夹"))
        if not folder:
            return
        purpose, ok = QInputDialog.getText(self, self.tr("导出原件"), self.tr("导出用途（记入访问记录）："))
        if ok:
            self.export_to(Path(folder), purpose)

    def export_to(self, folder: Path, purpose: str) -> Job | None:
        """Export the selected original to ``folder``; the export is logged with its purpose (R17)."""
        item, officer = self.selected_item(), self._actor()
        if item is None or officer is None:
            return None
        if not purpose.strip():
            self.detail.say(self.tr("请填写导出用途：每次导出原件都记入访问记录。"), error=True)
            return None
        job = Job(self.locker.export, item.sha256, folder, actor=officer, purpose=purpose.strip())
        job.result.connect(lambda path: self._exported(item, path))
        return self._start("export", job, database_pool())

    def _exported(self, item: EvidenceItem, path: Path) -> None:
        self.detail.show_access(item)
        self.detail.say(self.tr("已导出并记录：%1").replace("%1", str(path)))

    def verify_selected(self) -> Job | None:
        """Re-hash the selected original in the background and show whether it matches its seal."""
        item = self.selected_item()
        if item is None:
            return None
        row = next((r for r in self.locker.seals.all() if r.sha256 == item.sha256), None)
        job = Job(rehash_steps, item, row, self.public_key(), self.locker.store)
        job.progress.connect(lambda done: self.detail.rehash_progress(item, done))
        job.result.connect(lambda check: self._seals_checked({check.sha256: check}))
        self.detail.rehash_started()
        return self._start("verify", job)

    def _start(self, kind: str, job: Job, pool: QThreadPool | None = None) -> Job:
        """Start a job bound to this page (no slot runs after the page is gone); errors go to the detail."""
        job.error.connect(self._job_failed)
        self.jobs[kind] = job
        return job.bind(self).start(pool)

    def _job_failed(self, exc: BaseException) -> None:
        text = exc.message(self.language) if isinstance(exc, UserFacingError) else f"{type(exc).__name__}: {exc}"
        self.detail.say(text, error=True)

    def open_import_dialog(self) -> ImportDialog:
        """The import dialog, preset to the inspection chosen in the filter."""
        inspection = self.inspection_filter.currentData()
        dialog = ImportDialog(self.locker, officer=self.current_officer(), language=self.language,
                              inspection_id=inspection or None, parent=self)
        dialog.imported.connect(lambda _report: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.show()
        return dialog

    # --- tabs and showing --------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is not self.camera_host:
            return
        certs, inspection = self.capture_context()
        self.camera_context.setText(self.tr("采集人员：%1 · 检查任务：%2（在“证据库”的筛选中选择）")
                                    .replace("%1", "、".join(certs) or "—").replace("%2", inspection or "—"))
        if self.camera_panel is None:
            # Made on first use: the panel recovers unfinished recordings when it starts.
            self.camera_panel = self._make_camera_panel()
            self.camera_host.layout().addWidget(self.camera_panel, 1)

    def capture_context(self) -> tuple[list[str], str | None]:
        """Who collects and for which inspection, for photos and recordings taken here.

        The signed-in person only (by certificate, or roster id for auxiliary staff): the
        task's other officers did not take the photo, and the core refuses to name them.
        """
        inspection = self.inspection_filter.currentData() or None
        person = self.current_officer()
        return ([person.cert_no or person.id] if person is not None else []), inspection

    def _make_camera_panel(self) -> QWidget:
        """The webcam panel when it is installed, else a placeholder."""
        try:
            from ui.widgets.camera_panel import CameraPanel
        except ImportError:
            return self._placeholder(self.tr("现场拍摄（摄像头拍照、录像并即时封存）将在此处提供。"))
        return CameraPanel(self.locker, self.capture_context, language=self.language,
                           on_sealed=self._captured, parent=self.camera_host,
                           operator=self.current_officer)

    def _captured(self, _item: EvidenceItem) -> None:
        # Photos and segments sealed by the camera join the gallery; a burst (recovered
        # segments) reloads it once.
        if not self._reload_queued:
            self._reload_queued = True
            QTimer.singleShot(300, self._reload_after_capture)

    def _storage_problem(self, text: str) -> None:
        self.storage_note.setText(text)
        self.storage_note.show()

    def _reload_after_capture(self) -> None:
        self._reload_queued = False
        self.refresh()

    def _placeholder(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("hint")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    def shutdown(self) -> None:
        """Stop background work before the workspace closes."""
        for job in self.jobs.values():
            job.cancel()
        if self.camera_panel is not None:
            self.camera_panel.close()  # stops a running capture and seals what it has
        if self._thumbnails is not None:
            self._thumbnails.shutdown()
        database_pool().waitForDone(5000)
        with contextlib.suppress(RuntimeError):
            self.gallery.setModel(None)
