"""On site: the operation (R22, R25), presence and witness (R24), recordings (R16), and the
fast inventory form with its table (R24). Photos are sealed on a database worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFrame,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QWidget,
)

from app.demolition.inventory import CATEGORIES, CONDITIONS
from app.gates.findings import Severity
from ui.models.demolition_inventory import InventoryModel, quantity_text
from ui.pages.demolition_base import DemolitionContext, DemolitionTab, event_text, status_text
from ui.widgets.signature_pad import SignaturePad
from ui.dialogs.camera_dialog import CameraDialog
from ui.workers import Job, database_pool, emit


class OperationTab(DemolitionTab):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr(
            "遇有风险立即暂停并记录原因；全程录像；当事人不到场的，须有公证或见证人在场。"), parent)
        self.status = QLabel()
        self.status.setObjectName("sectionTitle")
        self.layout_.addWidget(self.status)
        row = QHBoxLayout()
        party = QGroupBox(self.tr("当事人到场情况"))
        pf = QFormLayout(party)
        pf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.present = QRadioButton(self.tr("到场"))
        self.absent = QRadioButton(self.tr("未到场"))
        self.present_name = QLineEdit()
        self.save_party = QPushButton(self.tr("保存到场情况"))
        self.save_party.clicked.connect(self._party)
        choice = QHBoxLayout()
        choice.addWidget(self.present)
        choice.addWidget(self.absent)
        pf.addRow(choice)
        pf.addRow(self.tr("到场人"), self.present_name)
        pf.addRow(self.save_party)
        row.addWidget(party, 2)
        witness = QGroupBox(self.tr("公证或见证人"))
        wf = QFormLayout(witness)
        wf.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.w_kind = QComboBox()
        self.w_kind.addItem(self.tr("见证人"), "witness")
        self.w_kind.addItem(self.tr("公证人员"), "notary")
        self.w_name, self.w_id, self.w_org, self.w_statement = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.w_statement.setText(self.tr("本人与本案当事人及执法机关均无利害关系。"))
        self.w_pad = SignaturePad()
        self.w_pad.setMinimumHeight(90)
        self.save_witness = QPushButton(self.tr("登记见证人"))
        self.save_witness.clicked.connect(self._witness)
        for caption, w in ((self.tr("身份"), self.w_kind), (self.tr("姓名"), self.w_name),
                           (self.tr("身份证号码"), self.w_id), (self.tr("公证机构"), self.w_org),
                           (self.tr("无利害关系声明"), self.w_statement), (self.tr("签名"), self.w_pad)):
            wf.addRow(caption, w)
        wf.addRow(self.save_witness)
        self.witnesses = QLabel()
        self.witnesses.setWordWrap(True)
        wf.addRow(self.witnesses)
        row.addWidget(witness, 3)
        self.layout_.addLayout(row, 1)
        steps = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("暂停或终止的原因"))
        self.emergency = QLineEdit()
        self.emergency.setPlaceholderText(self.tr("紧急情况理由（夜间或节假日恢复时）"))
        self.pause, self.resume, self.abandon = (QPushButton(self.tr("暂停")), QPushButton(self.tr("恢复执行")),
                                                 QPushButton(self.tr("终止执行")))
        self.pause.clicked.connect(lambda: self._step("pause"))
        self.resume.clicked.connect(lambda: self._step("resume"))
        self.abandon.clicked.connect(lambda: self._step("abandon"))
        steps.addWidget(self.emergency, 1)
        self.layout_.addLayout(steps)
        rec = QHBoxLayout()
        self.coverage = QLabel()
        self.coverage.setWordWrap(True)
        self.link = QPushButton(self.tr("关联本次执行的录像"))
        self.link.clicked.connect(self._link)
        self.end = QPushButton(self.tr("结束执行并封存清单"))
        self.end.setObjectName("primary")
        self.end.clicked.connect(self._end)
        self.gap_reason = QLineEdit()
        self.gap_reason.setPlaceholderText(self.tr("录像中断的原因"))
        self.explain = QPushButton(self.tr("记录缺口原因"))
        self.explain.clicked.connect(self._explain)
        rec.addWidget(self.coverage, 1)
        rec.addWidget(self.gap_reason)
        rec.addWidget(self.explain)
        rec.addWidget(self.link)
        self.layout_.addLayout(rec)
        # 暂停/恢复/终止 and the end are always in reach, below the tab however far it scrolls.
        self.add_actions(self.reason, self.pause, self.resume, self.abandon, self.end, stretch_first=True)
        self.finish_layout()
        self.setMinimumHeight(600)

    def load(self, ctx: DemolitionContext) -> None:
        super().load(ctx)
        c = ctx.case
        s = ctx.service
        events = s.events(c.id)
        lines = [f"{e.at:%H:%M} {event_text(e.kind)} {e.reason}".strip() for e in events]
        self.status.setText(self.tr("状态：%1").replace("%1", status_text(c.status)) +
                            ("　" + "；".join(lines) if lines else ""))
        self.present.setChecked(c.party_present is True)
        self.absent.setChecked(c.party_present is False)
        self.present_name.setText(c.party_present_name)
        self.witnesses.setText("\n".join(f"{w.name}（{w.id_no}）" for w in s.witnesses(c.id)))
        open_ = c.status in ("in_progress", "paused")
        for w in (self.save_party, self.save_witness, self.link, self.explain):
            w.setEnabled(open_)
        self.pause.setEnabled(c.status == "in_progress")
        self.end.setEnabled(c.status == "in_progress")
        self.resume.setEnabled(c.status == "paused")
        self.abandon.setEnabled(c.status == "paused")
        found = [f for f in s.recording_findings(c.id) if f.severity is Severity.BLOCK] if open_ else []
        linked = len(s.recordings(c.id))
        self.coverage.setText(self.tr("已关联录像 %1 段。").replace("%1", str(linked)) +
                              ("\n" + "\n".join(f.message(ctx.language) for f in found) if found else ""))

    def _party(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.set_party(ctx.case.id, present=self.present.isChecked(),
                                                   name=self.present_name.text(), actor=ctx.actor))

    def _witness(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        png = b"" if self.w_pad.is_empty() else self.w_pad.to_png()
        if self.attempt(lambda: ctx.service.add_witness(
                ctx.case.id, kind=self.w_kind.currentData(), name=self.w_name.text(), id_no=self.w_id.text(),
                organisation=self.w_org.text(), no_interest=self.w_statement.text(), signature_png=png,
                actor=ctx.actor)) is not None:
            self.w_pad.clear()
            self.w_name.clear()
            self.w_id.clear()

    def _step(self, kind: str) -> None:
        ctx = self.ctx
        assert ctx is not None
        s, case_id, reason = ctx.service, ctx.case.id, self.reason.text()
        action = {"pause": lambda: s.pause(case_id, reason=reason, actor=ctx.actor),
                  "resume": lambda: s.resume(case_id, actor=ctx.actor, emergency_reason=self.emergency.text()),
                  "abandon": lambda: s.abandon(case_id, reason=reason, actor=ctx.actor)}[kind]
        if self.attempt(action) is not None:
            self.reason.clear()

    def _link(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        for item in ctx.service.candidate_recordings(ctx.case.id):
            if self.attempt(lambda i=item: ctx.service.link_recording(ctx.case.id, i.sha256, actor=ctx.actor),
                            reload=False) is None:
                return
        emit(self.changed)

    def _explain(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        if self.attempt(lambda: ctx.service.explain_recording_gaps(ctx.case.id, reason=self.gap_reason.text(),
                                                                    actor=ctx.actor)) is not None:
            self.gap_reason.clear()

    def _end(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.end(ctx.case.id, actor=ctx.actor))


class InventoryTab(DemolitionTab):
    """Fast entry: the form keeps category, unit, condition and storage between items and
    proposes the next label number; photos are sealed as they are taken."""

    fills_page = True  # the form and the table scroll side by side, neither inside the other

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("逐项清点造册：每项现场拍照（照片即时封存），标注箱号/标签号。"
                                 "清点后修改生成新版本并注明原因，原记录保留。"), parent)
        form_box = QGroupBox(self.tr("登记财物"))
        form_box.setMaximumWidth(380)  # the counted items' table gets the rest of the width
        form = QFormLayout(form_box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name = QLineEdit()
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(list(CATEGORIES))
        self.quantity = QLineEdit("1")
        self.unit = QLineEdit(self.tr("件"))
        self.condition = QComboBox()
        self.condition.setEditable(True)
        self.condition.addItems(list(CONDITIONS))
        self.label_no = QLineEdit()
        self.storage = QLineEdit()
        self.camera_button = QPushButton(self.tr("相机拍照"))
        self.camera_button.clicked.connect(lambda: self.open_camera())
        self.photo_button = QPushButton(self.tr("选择照片文件"))
        self.photo_button.clicked.connect(self._choose_photos)
        self.photo_state = QLabel()
        self.edit_reason = QLineEdit()
        self.edit_reason.setPlaceholderText(self.tr("修改原因（修改已清点的财物时必填）"))
        self.add = QPushButton(self.tr("登记本项"))
        self.add.setObjectName("primary")
        self.add.clicked.connect(self.add_item)
        self.save_edit = QPushButton(self.tr("保存修改（新版本）"))
        self.save_edit.clicked.connect(self.edit_selected)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.camera_button)
        photo_row.addWidget(self.photo_button)
        for caption, w in ((self.tr("名称"), self.name), (self.tr("类别"), self.category),
                           (self.tr("数量"), self.quantity), (self.tr("单位"), self.unit),
                           (self.tr("状况"), self.condition), (self.tr("箱号/标签号"), self.label_no),
                           (self.tr("保管地点"), self.storage)):
            form.addRow(caption, w)
        form.addRow(self.tr("照片"), photo_row)
        form.addRow("", self.photo_state)
        form.addRow(self.tr("修改原因"), self.edit_reason)
        form.addRow(self.save_edit)
        self.model = InventoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        # Shares of the width, not measured contents: measuring hundreds of rows on every
        # insert would lag, and the table must not scroll sideways on a 1280 px screen.
        header.setMinimumSectionSize(32)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Beside the form there is room for what tells items apart; category, unit, condition
        # and storage show in the form when a row is tapped.
        for column in (2, 4, 5, 7):
            self.table.setColumnHidden(column, True)
        self.table.verticalHeader().hide()
        self.table.clicked.connect(lambda index: self._fill(index.row()))
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        form_scroll.setWidget(form_box)
        form_scroll.setFixedWidth(form_box.maximumWidth() + 20)  # the form never squeezed; room for its bar
        body = QHBoxLayout()
        body.addWidget(form_scroll)
        body.addWidget(self.table, 1)
        self.layout_.addLayout(body, 1)
        self.add_actions(self.add)
        self.actions_.insertStretch(0, 1)
        self.finish_layout()
        self.photos: list[str] = []
        self.jobs: list[Job] = []
        self._case_id: str | None = None
        self._generation = 0  # moves on with each item entered: late photos are not carried over

    def load(self, ctx: DemolitionContext) -> None:
        super().load(ctx)
        inv = ctx.service.inventory
        if self._case_id != ctx.case.id:
            self.photos = []
            self._case_id = ctx.case.id
            self._generation += 1
        self.model.set_rows(inv.items(ctx.case.id), inv.states(ctx.case.id))
        open_ = ctx.case.status in ("in_progress", "paused")
        for w in (self.photo_button, self.camera_button):
            w.setEnabled(open_)
        for w in (self.add, self.save_edit):  # not while a photo is still being sealed
            w.setEnabled(open_ and not self.photos_pending())
        if not self.label_no.text():
            self.label_no.setText(self._next_label())
        self._show_photos()

    # --- photos ---------------------------------------------------------------------------

    def open_camera(self, **panel_options: object) -> CameraDialog:
        """The live camera: each photo is sealed as it is taken and linked to this case (R24)."""
        ctx = self.ctx
        assert ctx is not None
        # collected by the person signed in, not the case's other officers (app.evidence.capture)
        dialog = CameraDialog(ctx.service.locker, lambda: ([ctx.actor.cert_no or ctx.actor.id], None),
                              self.link_camera_photo, language=ctx.language, parent=self,
                              operator=lambda: ctx.actor, **panel_options)
        dialog.open()
        return dialog

    def link_camera_photo(self, sha256: str) -> Job:
        """Link a photo the camera sealed to the case, on the database worker."""
        ctx = self.ctx
        assert ctx is not None
        return self._photo_job(Job(ctx.service.inventory.link_photo, ctx.case.id, sha256, actor=ctx.actor))

    def _choose_photos(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择现场照片"), str(Path.home()),
                                                self.tr("图片 (*.jpg *.jpeg *.png *.heic *.webp)"))
        for f in files:
            self.attach_photo(Path(f).read_bytes())

    def attach_photo(self, data: bytes) -> Job:
        """Seal a photo on the database worker; the item being entered takes it when done."""
        ctx = self.ctx
        assert ctx is not None
        self.photo_state.setText(self.tr("正在封存照片…"))
        return self._photo_job(Job(ctx.service.inventory.take_photo, ctx.case.id, data, actor=ctx.actor))

    def _photo_job(self, job: Job) -> Job:
        """Run a photo's seal or link; the item waits for it (登记 is off until every photo is in),
        and a photo that arrives after the case or the item changed goes to neither."""
        assert self.ctx is not None
        case_id, generation = self.ctx.case.id, self._generation
        job.result.connect(lambda sha256: self._photo_sealed(sha256, case_id, generation))
        job.error.connect(self.show_error)
        job.finished.connect(self._photos_settled)
        self.jobs = [j for j in self.jobs if not j.is_done] + [job]
        self.add.setEnabled(False)
        self.save_edit.setEnabled(False)
        job.bind(self).start(database_pool())
        return job

    def photos_pending(self) -> bool:
        return any(not j.is_done for j in self.jobs)

    def _photos_settled(self) -> None:
        if not self.photos_pending() and self.ctx is not None:
            open_ = self.ctx.case.status in ("in_progress", "paused")
            self.add.setEnabled(open_)
            self.save_edit.setEnabled(open_)

    def _photo_sealed(self, sha256: str, case_id: str, generation: int) -> None:
        if case_id != self._case_id or generation != self._generation:
            return  # for an item already entered, or another case: not this one's photo
        if sha256 not in self.photos:
            self.photos.append(sha256)
        self._show_photos()

    def _show_photos(self) -> None:
        self.photo_state.setText(self.tr("已拍照 %1 张（已封存）").replace("%1", str(len(self.photos)))
                                 if self.photos else self.tr("尚未拍照"))

    # --- items -------------------------------------------------------------------------------

    def add_item(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        if self.photos_pending():  # the button is off meanwhile; a script or shortcut waits too
            return
        item = self.attempt(lambda: ctx.service.inventory.add_item(
            ctx.case.id, name=self.name.text(), category=self.category.currentText(), quantity=self.quantity.text(),
            unit=self.unit.text(), condition=self.condition.currentText(), label_no=self.label_no.text(),
            storage_place=self.storage.text(), photos=self.photos, actor=ctx.actor), reload=False)
        if item is None:
            return
        row = self.model.put(item)  # one inserted row, not a reload: quick with hundreds of items
        self.table.scrollTo(self.model.index(row, 0))
        self.photos = []
        self._generation += 1
        self.name.clear()
        self.quantity.setText("1")
        self.label_no.setText(self._next_label())
        self._show_photos()
        self.name.setFocus()

    def edit_selected(self) -> None:
        ctx = self.ctx
        rows = self.table.selectionModel().selectedRows()
        if ctx is None or not rows or self.photos_pending():
            return
        current = self.model.item_at(rows[0].row())
        changes = {"name": self.name.text(), "category": self.category.currentText(), "quantity": self.quantity.text(),
                   "unit": self.unit.text(), "condition": self.condition.currentText(), "label_no": self.label_no.text(),
                   "storage_place": self.storage.text()}
        if self.photos:
            changes["photo_sha256s"] = (*current.photo_sha256s, *self.photos)  # type: ignore[assignment]
        item = self.attempt(lambda: ctx.service.inventory.edit_item(
            ctx.case.id, current.item_no, reason=self.edit_reason.text(), actor=ctx.actor, **changes), reload=False)
        if item is not None:
            self.model.put(item)
            self.edit_reason.clear()
            self.photos = []
            self._generation += 1
            self._show_photos()

    def _fill(self, row: int) -> None:
        v = self.model.item_at(row)
        self.name.setText(v.name)
        self.category.setCurrentText(v.category)
        self.quantity.setText(quantity_text(v.quantity))
        self.unit.setText(v.unit)
        self.condition.setCurrentText(v.condition)
        self.label_no.setText(v.label_no)
        self.storage.setText(v.storage_place)

    def _next_label(self) -> str:
        """The case's prefix and the next number: QC-2026-0007 → QC7-B001, B002, …"""
        if self.ctx is None:
            return ""
        number = self.model.rowCount() + 1
        suffix = self.ctx.case.id.rsplit("-", 1)[-1].lstrip("0") or "0"
        return f"QC{suffix}-B{number:03d}"
