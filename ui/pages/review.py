"""Review (team leaders): the queue of captured items, the audit log, overdue recordings.

Every decision goes through ``app.review.ReviewService``, which enforces the
roles; this page disables what the signed-in person may not do and says why.
Seal states are checked in a worker each time the queue loads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QPlainTextEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.access import Permission, can
from app.device import PUBLIC_KEY_FILE, DeviceKeyError, DevicePublicKey, device_folder
from app.domain import EvidenceItem, Officer, ReviewDecisionKind
from app.evidence.locker import EvidenceLocker
from app.evidence.bodycam import find_camera_volumes
from app.overdue import OverdueFlag, OverdueKind, limit_hours, mark_reminded, overdue_in, pending_camera_files, reminded
from app.review import QueueSummary, ReviewService
from app.workspace import Workspace
from local_db.errors import UserFacingError
from local_db.evidence_sources_repository import CameraAssignmentRepository
from ui.models.evidence_gallery import check_all
from ui.models.overdue_table import OverdueTableModel
from ui.models.review_queue import REFUSALS, THUMB_SIZE, AuditTableModel, ReviewQueueModel
from ui.thumbnails import ThumbnailCache
from ui.widgets.video_preview import VideoPreview
from ui.workers import Job, database_pool

ALL = None


class ReviewPage(QWidget):
    """``source`` gives the locker and thumbnail cache (the evidence page's, so both share one)."""

    def __init__(self, workspace: Workspace, source: Callable[[], tuple[EvidenceLocker, ThumbnailCache]],
                 language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.source, self.language = workspace, source, language
        self.officer: Officer | None = None
        self._service: ReviewService | None = None
        self.jobs: dict[str, Job] = {}
        title = QLabel(self.tr("审核"))
        title.setObjectName("pageTitle")
        self.denied = QLabel()
        self.denied.setObjectName("hint")
        self.denied.setWordWrap(True)

        # --- the queue ---
        self.model = ReviewQueueModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setIconSize(THUMB_SIZE)
        self.table.verticalHeader().setDefaultSectionSize(56)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.inspection_filter, self.officer_filter = QComboBox(), QComboBox()
        for combo in (self.inspection_filter, self.officer_filter):
            combo.setMinimumHeight(44)
            combo.currentIndexChanged.connect(lambda _=0: self.load_queue(reload=False))
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("审核意见（退回时必填）"))
        self.finding = QLineEdit()
        self.finding.setPlaceholderText(self.tr("关联检查项编号（可选）"))
        self.approve_button = QPushButton(self.tr("通过"))
        self.return_button = QPushButton(self.tr("退回"))
        self.key_button = QPushButton(self.tr("标为关键证据"))
        for button, kind in ((self.approve_button, ReviewDecisionKind.APPROVE),
                             (self.return_button, ReviewDecisionKind.RETURN),
                             (self.key_button, ReviewDecisionKind.KEY)):
            button.setMinimumHeight(48)
            button.setEnabled(False)  # nothing is selected yet
            button.clicked.connect(lambda _=False, k=kind: self.decide_selected(k))
        # The decisions act on the selected rows: they are offered only while some are selected.
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync_actions())
        self.model.modelReset.connect(self._sync_actions)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(self.inspection_filter, 1)
        filters.addWidget(self.officer_filter, 1)
        filters.addWidget(self.count)
        actions = QFormLayout()
        actions.addRow(self.tr("意见"), self.comment)
        actions.addRow(self.tr("关联"), self.finding)
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.return_button, self.key_button):
            buttons.addWidget(b)
        # A large preview of the row in focus beside the queue: a reviewer judges by looking.
        # A photo shows as a picture; a video plays from a decrypted copy in the private viewing folder.
        self.preview = QLabel(self.tr("选择一项查看大图"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setFixedWidth(400)
        self.preview.setMinimumHeight(300)
        self.preview.setStyleSheet("background: #e9edf2; border-radius: 6px; color: #8a939e;")
        self.video = VideoPreview()
        self.video.setFixedWidth(400)
        self.preview_stack = QStackedWidget()
        self.preview_stack.addWidget(self.preview)
        self.preview_stack.addWidget(self.video)
        self.preview_caption = QLabel()
        self.preview_caption.setWordWrap(True)
        self.preview_caption.setFixedWidth(400)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_preview())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_preview())
        self.model.modelReset.connect(self.show_preview)
        looking = QVBoxLayout()
        looking.addWidget(self.preview_stack, 1)
        looking.addWidget(self.preview_caption)
        side = QHBoxLayout()
        side.addWidget(self.table, 1)
        side.addLayout(looking)
        queue = QWidget()
        ql = QVBoxLayout(queue)
        ql.addLayout(filters)
        ql.addLayout(side, 1)
        ql.addLayout(actions)
        ql.addLayout(buttons)
        ql.addWidget(self.message)

        # --- the audit log ---
        self.audit_model = AuditTableModel(self, "en" if language == "en" else "zh")
        self.audit_table = QTableView()
        self.audit_table.setModel(self.audit_model)
        self.audit_table.verticalHeader().hide()
        self.audit_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.audit_table.horizontalHeader().setStretchLastSection(True)
        self.actor_filter, self.action_filter = QComboBox(), QComboBox()
        self.from_date, self.to_date = QDateEdit(), QDateEdit()
        for d in (self.from_date, self.to_date):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.target_filter = QLineEdit()
        self.target_filter.setPlaceholderText(self.tr("对象（任务编号、SHA-256…）"))
        self.chain = QLabel()
        self.chain.setWordWrap(True)
        for w in (self.actor_filter, self.action_filter):
            w.currentIndexChanged.connect(lambda _=0: self.filter_audit())
        for d in (self.from_date, self.to_date):
            d.dateChanged.connect(lambda _=None: self.filter_audit())
        self.target_filter.textChanged.connect(lambda _="": self.filter_audit())
        for combo in (self.actor_filter, self.action_filter):
            # Their items come after the page is first shown: sized to them then, every time,
            # so that the longest ("仅被拒绝的操作") is never cut off.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        audit_filters = QHBoxLayout()
        for w in (self.actor_filter, self.action_filter, self.from_date, self.to_date):
            audit_filters.addWidget(w)
        audit_filters.addWidget(self.target_filter, 1)  # the free text takes what room is left
        audit_tab = QWidget()
        al = QVBoxLayout(audit_tab)
        al.addWidget(self.chain)
        al.addLayout(audit_filters)
        al.addWidget(self.audit_table, 1)
        # The entry as stored (action, target, every detail field), for the selected row.
        self.audit_detail = QPlainTextEdit()
        self.audit_detail.setReadOnly(True)
        self.audit_detail.setMaximumHeight(120)
        self.audit_detail.setPlaceholderText(self.tr("选中一条记录，查看其原始内容"))
        al.addWidget(self.audit_detail)
        self.audit_table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.audit_detail.setPlainText(
                self.audit_model.raw_at(current.row()) if current.isValid() else ""))

        # --- overdue (R18) ---
        self.overdue = OverdueTableModel(self)
        self.overdue_table = QTableView()
        self.overdue_table.setModel(self.overdue)
        self.overdue_table.verticalHeader().hide()
        self.overdue_table.verticalHeader().setDefaultSectionSize(56)
        self.overdue_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.overdue_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.overdue_note = QLabel()
        self.overdue_note.setWordWrap(True)
        self.overdue_message = QLabel()
        self.overdue_message.setWordWrap(True)
        self.import_dialog = None
        overdue_tab = QWidget()
        ol = QVBoxLayout(overdue_tab)
        ol.addWidget(self.overdue_note)
        ol.addWidget(self.overdue_table, 1)
        ol.addWidget(self.overdue_message)

        self.tabs = QTabWidget()
        self.tabs.setStyleSheet("QTabBar::tab { min-height: 44px; min-width: 120px; padding: 0 16px; }")
        self.tabs.addTab(queue, self.tr("待审核"))
        self.tabs.addTab(audit_tab, self.tr("审计日志"))
        self.tabs.addTab(overdue_tab, self.tr("逾期未导入/未同步"))
        self._stale: set[int] = {1, 2}  # tabs to load when next shown
        self._summary: QueueSummary | None = None  # the queue counted per task and collectors
        self._key: DevicePublicKey | None = None  # the device's public key, read once per load
        self.model.fetched.connect(self._check_seals)
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(title)
        # Someone whose role cannot review sees the reason in place of the tabs.
        refusal = QWidget()
        rl = QVBoxLayout(refusal)
        rl.addWidget(self.denied)
        rl.addStretch(1)
        self.body = QStackedWidget()
        self.body.addWidget(self.tabs)
        self.body.addWidget(refusal)
        layout.addWidget(self.body, 1)

    @property
    def service(self) -> ReviewService:
        if self._service is None:
            locker, thumbnails = self.source()
            self._service = ReviewService(locker)
            self.model.set_thumbnails(thumbnails)
            thumbnails.ready.connect(lambda sha: self.show_preview(sha))
        return self._service

    def show_preview(self, ready: str | None = None) -> None:
        """The row in focus, large; ``ready``: a thumbnail just made (shown if it is that row's)."""
        selection = self.table.selectionModel()
        index = selection.currentIndex()
        if not (index.isValid() and selection.isRowSelected(index.row())):
            rows = selection.selectedRows()
            index = rows[0] if rows else index
        if not index.isValid() or index.row() >= self.model.rowCount():
            self.clear_video()
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("选择一项查看大图"))
            self.preview_caption.clear()
            return
        item = self.model.row_at(index.row()).entry.item
        if ready is not None and ready != item.sha256:
            return
        self.preview_caption.setText(f"{item.captured_at:%Y-%m-%d %H:%M}  {item.original_name or item.sha256[:16]}"
                                     + (f"  ·  {item.inspection_id}" if item.inspection_id else ""))
        if item.media_type.startswith("video/"):
            self.play_video(item)
            return
        self.clear_video()
        thumbnails = self.model.thumbnails
        pixmap = thumbnails.pixmap(item) if thumbnails is not None else None
        if pixmap is not None and not pixmap.isNull():
            self.preview.setPixmap(pixmap.scaled(self.preview.width(), max(self.preview.height(), 300),
                                                 Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("无预览"))

    def play_video(self, item: EvidenceItem) -> Job | None:
        """The video in the large preview, from a decrypted copy (a logged view, R17)."""
        if self.officer is None:
            return None
        self.preview_stack.setCurrentWidget(self.video)
        return self.video.show_original(self.service.locker, item, self.officer, self.language)

    def clear_video(self) -> None:
        """Stop the player and remove its decrypted copy; the photo preview comes back."""
        self.video.clear()
        self.preview_stack.setCurrentWidget(self.preview)

    # --- who is looking ------------------------------------------------------------
    def set_officer(self, officer: Officer | None) -> None:
        """Show the page for ``officer``: everything for a team leader, the reason for anyone else."""
        self.officer = officer
        self.clear_video()  # no decrypted copy outlives the person who asked for it
        allowed = can(officer, Permission.REVIEW)
        self.tabs.setEnabled(allowed)
        self.body.setCurrentIndex(0 if allowed else 1)  # nothing of a previous review stays on screen
        self.denied.setVisible(not allowed)
        self.denied.setText(self.tr("只有带队/审核人员可以审核证据、查看审计日志和逾期提醒。您当前的身份不能使用本页。"))
        if allowed:
            self.refresh()
        else:
            self.model.set_rows([])
            self.audit_model.set_entries([])
            self.overdue.set_flags([], self.ws.clock(), {}, {})
            for text in (self.chain, self.count, self.message, self.overdue_note, self.overdue_message):
                text.clear()
            self._stale = {1, 2}

    def refresh(self) -> None:
        """Reload the queue; the audit log and overdue list load when their tab is shown."""
        if not can(self.officer, Permission.REVIEW):
            return
        self._summary = self.service.queue_summary()
        self._fill_filters()
        self.load_queue(reload=False)
        self._stale = {1, 2}
        self._tab_shown(self.tabs.currentIndex())

    def _tab_shown(self, index: int) -> None:
        if index not in self._stale or not can(self.officer, Permission.REVIEW):
            return
        self._stale.discard(index)
        if index == 1:
            self.load_audit()
        elif index == 2:
            self.load_overdue()

    # --- the queue -------------------------------------------------------------------
    def _fill_filters(self) -> None:
        officers = {o.id: o.name for o in self.ws.officers.all()}
        summary = self._summary or QueueSummary(())
        keep = (self.inspection_filter.currentData(), self.officer_filter.currentData())
        for combo, first, values in (
            (self.inspection_filter, self.tr("全部检查任务"), summary.inspections),
            (self.officer_filter, self.tr("全部采集人"), summary.officers),
        ):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, ALL)
            for v in values:
                combo.addItem(officers.get(v, v) if combo is self.officer_filter else (v or self.tr("未关联任务")), v)
            combo.setCurrentIndex(max(0, combo.findData(keep[0 if combo is self.inspection_filter else 1])))
            combo.blockSignals(False)

    def load_queue(self, reload: bool = True) -> None:
        """Fill the queue (from the database with ``reload``) and check the seals in the background."""
        if not can(self.officer, Permission.REVIEW):
            return
        if reload or self._summary is None:
            self._summary = self.service.queue_summary()
        names = {o.id: o.name for o in self.ws.officers.all()}
        inspection, officer = self.inspection_filter.currentData(), self.officer_filter.currentData()
        inspection = None if inspection is ALL else inspection
        officer = None if officer is ALL else officer
        total = self._summary.count(inspection_id=inspection, officer_id=officer)
        service = self.service
        self._key = None
        self.model.set_source(lambda after, limit: service.queue_page(
            after=after, limit=limit, inspection_id=inspection, officer_id=officer), total, names)
        self.count.setText(self.tr("%1 项待审核").replace("%1", str(total)))

    def _check_seals(self, entries: list) -> None:
        """Check the seals of a window just loaded, in the background."""
        locker = self.service.locker
        items = [e.item for e in entries]
        if self._key is None:
            self._key = self._public_key()
        job = Job(check_all, items, locker.seals.for_items([i.sha256 for i in items]), self._key, locker.store)
        generation = self.model.generation
        name = f"seals-{items[0].sha256}"
        job.result.connect(lambda checks: self.model.set_seals(checks) if self.model.generation == generation else None)
        job.finished.connect(lambda: self.jobs.pop(name, None))
        self.jobs[name] = job
        job.bind(self).start()

    def selected_shas(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r).entry.item.sha256 for r in rows]

    def decide_selected(self, kind: ReviewDecisionKind) -> Job | None:
        """Seal ``kind`` for the selected rows in the background (one database job at a time)."""
        shas = self.selected_shas()
        if self.officer is None or not shas or self.jobs.get("decide") is not None:
            return None
        job = Job(self.service.decide_steps, shas, kind, reviewer=self.officer, comment=self.comment.text(),
                  finding_ref=self.finding.text().strip())
        job.result.connect(self._decided)
        job.error.connect(lambda exc: self._decided(([], [exc])))
        job.finished.connect(lambda: self.jobs.pop("decide", None))
        self.jobs["decide"] = job
        for b in (self.approve_button, self.return_button, self.key_button):
            b.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("正在签署审核决定…"))
        return job.bind(self).start(database_pool())

    def _sync_actions(self) -> None:
        can = bool(self.table.selectionModel().selectedRows()) and self.jobs.get("decide") is None
        for b in (self.approve_button, self.return_button, self.key_button):
            b.setEnabled(can)

    def _decided(self, outcome: tuple) -> None:
        made, refused = outcome
        self.jobs.pop("decide", None)
        self._sync_actions()
        errors = [e.message(self.language) if isinstance(e, UserFacingError) else f"{type(e).__name__}: {e}"
                  for e in refused]
        self.message.setStyleSheet("color: #b3261e;" if errors else "color: #1b7f3b;")
        done = self.tr("已签署 %1 项审核决定。").replace("%1", str(len(made)))
        self.message.setText("\n".join([done, *dict.fromkeys(errors)]) if errors else done)
        if made:
            self.comment.clear()
            self.finding.clear()
            self.refresh()

    def _public_key(self) -> DevicePublicKey | None:
        try:
            return DevicePublicKey.load(device_folder(self.ws.folder) / PUBLIC_KEY_FILE)
        except DeviceKeyError:
            return None

    # --- the audit log ---------------------------------------------------------------
    def load_audit(self) -> None:
        entries = list(self.ws.audit.repo.entries())
        problems = audit.verify(self.ws.db)
        self.audit_model.set_entries(entries, problems, {o.id: o.name for o in self.ws.officers.all()})
        if problems:
            first = problems[0]
            self.chain.setStyleSheet("color: #b3261e;")
            self.chain.setText(self.tr("审计日志链校验失败：第 %1 条起被改动或删除（%2 处问题）。")
                               .replace("%1", str(first.seq)).replace("%2", str(len(problems))))
        else:
            self.chain.setStyleSheet("color: #1b7f3b;")
            self.chain.setText(self.tr("审计日志链完整：%1 条记录，未发现改动或删除。").replace("%1", str(len(entries))))
        names = {o.id: o.name for o in self.ws.officers.all()}
        kinds = [(REFUSALS, self.tr("仅被拒绝的操作")), ("session.", self.tr("登录与 PIN")),
                 ("inspection.", self.tr("检查")), ("record.", self.tr("现场笔录")), ("gate.", self.tr("例外登记")),
                 ("evidence.", self.tr("证据")), ("review.", self.tr("审核")), ("demolition.", self.tr("强制拆除")),
                 ("camera.", self.tr("执法记录仪")), ("sync.", self.tr("同步"))]
        for combo, first_text, values in (
                (self.actor_filter, self.tr("全部人员"), [(a, names.get(a, a)) for a in self.audit_model.actors()]),
                (self.action_filter, self.tr("全部操作"), kinds)):
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first_text, "")
            for v, text in values:
                combo.addItem(text, v)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
            # The touch style's padding and drop-down button are not in the size hint: the widest
            # item is measured, so that none ("仅被拒绝的操作", "Refused acts only") is cut off.
            metrics = combo.fontMetrics()
            widest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
            combo.setMinimumWidth(widest + 72)
        if entries:
            for d, day in ((self.from_date, entries[0].at.date()), (self.to_date, entries[-1].at.date())):
                d.blockSignals(True)
                d.setDate(QDate(day.year, day.month, day.day))
                d.blockSignals(False)
        self.filter_audit()

    def filter_audit(self) -> None:
        def day(edit: QDateEdit) -> date:
            q = edit.date()
            return date(q.year(), q.month(), q.day())

        self.audit_model.set_filters(actor=self.actor_filter.currentData(), action=self.action_filter.currentData(),
                                     start=day(self.from_date), end=day(self.to_date),
                                     target=self.target_filter.text())

    # --- overdue (R18) ---------------------------------------------------------------------
    def load_overdue(self) -> None:
        # Synced means acknowledged by a verified HQ receipt (sync.state). Attached cameras are
        # listed when this tab is shown (a listing, no hashing).
        from sync.state import synced_hashes

        locker = self.service.locker
        volumes = find_camera_volumes(assignments=CameraAssignmentRepository(self.ws.db))
        items = locker.items.all()
        flags = overdue_in(self.ws, items, synced_hashes(self.ws, items), pending_camera_files(locker, volumes))
        names = {o.id: o.name for o in self.ws.officers.all()}
        self.overdue.set_flags(flags, self.ws.clock(), names, reminded(self.ws))
        for row, flag in enumerate(flags):
            self.overdue_table.setIndexWidget(self.overdue.index(row, OverdueTableModel.ACTION_COLUMN),
                                              self._overdue_action(row, flag))
        # DOMAIN.md gives R18 no legal source, so the note cites none: the limit is the bureau's setting.
        self.overdue_note.setText(self.tr("执法记录应在收班后 %1 小时内导入并同步（本机关设置）；以下 %2 项已逾期。")
                                  .replace("%1", str(limit_hours(self.ws))).replace("%2", str(len(flags))))

    def _overdue_action(self, row: int, flag: OverdueFlag) -> QPushButton:
        """The row's action: import what is still on the camera, or mark that its officers were reminded."""
        if flag.kind is OverdueKind.NOT_INGESTED:
            button = QPushButton(self.tr("从记录仪导入"))
            button.clicked.connect(lambda _=False: self.import_from_camera())
        else:
            when = self.overdue.reminded_at(row)
            button = QPushButton(self.tr("已提醒 %1").replace("%1", f"{when:%m-%d %H:%M}") if when
                                 else self.tr("标记已提醒"))
            button.setEnabled(when is None)
            button.clicked.connect(lambda _=False, f=flag: self.mark_overdue(f))
        button.setMinimumHeight(44)
        return button

    def mark_overdue(self, flag: OverdueFlag) -> None:
        try:
            mark_reminded(self.ws, flag, by=self.officer)
        except UserFacingError as exc:
            self.overdue_message.setText(exc.message(self.language))
            return
        self.overdue_message.setText(self.tr("已记录：已提醒相关执法人员尽快同步。"))
        self.load_overdue()

    def import_from_camera(self):  # noqa: ANN201 - the dialog, imported when needed
        """The import dialog, looking for the attached cameras at once (the overdue files are on one)."""
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.service.locker, officer=self.officer, language=self.language, parent=self)
        dialog.imported.connect(lambda _report: self.load_overdue())
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.show()
        dialog.detect()
        return dialog

    def shutdown(self) -> None:
        self.clear_video()
        for job in self.jobs.values():
            job.cancel()
