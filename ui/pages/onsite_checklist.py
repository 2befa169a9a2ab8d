"""The checklist on site: a result per item (R10), minor violations (R11), proposed penalties (R12)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import CHINA_TZ
from app.domain import CheckResult, CheckResultValue, FlexibleMeasure, NoPenaltyGround
from ui.labels import label
from ui.models.checklist_table import ChecklistModel
from ui.pages.onsite_base import OnsiteContext, OnsiteStep


class ChecklistStep(OnsiteStep):
    # The list and the item's detail side by side, the detail in tabs (result, minor
    # violation, penalty) so that it fits the tablet's height without a scroll area.
    fills_page = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("检查项"), self.tr(
            "只检查已公布的检查事项清单内的事项（国办发〔2024〕54号）。不符合的写明问题；轻微违法先采取柔性措施，"
            "不予处罚的记录依据和教育情况（《行政处罚法》第三十三条）；拟处罚的须选择裁量基准条款，调整适用须有批准记录"
            "（《行政处罚法》第三十四条）。"), parent)
        self.model = ChecklistModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnHidden(3, True)  # the finding is edited, and read, beside the table
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setMinimumSectionSize(48)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur.row()))
        self.summary = QLabel()
        self.summary.setObjectName("hint")

        editor = QWidget()
        el = QVBoxLayout(editor)
        el.setContentsMargins(8, 0, 0, 0)
        self.item_title = QLabel()
        self.item_title.setWordWrap(True)
        self.item_title.setStyleSheet("font-weight: bold; font-size: 16px;")
        self.item_basis = QLabel()
        self.item_basis.setWordWrap(True)
        self.item_basis.setObjectName("hint")
        el.addWidget(self.item_title)
        el.addWidget(self.item_basis)
        results = QGridLayout()
        self.result_buttons: dict[CheckResultValue, QRadioButton] = {}
        group = QButtonGroup(self)
        for n, value in enumerate(CheckResultValue):
            button = QRadioButton(label(value))
            group.addButton(button)
            self.result_buttons[value] = button
            results.addWidget(button, n // 2, n % 2)
            button.toggled.connect(self._sync_enabled)
        el.addLayout(results)
        form = QFormLayout()
        self.finding = QPlainTextEdit()
        self.finding.setPlaceholderText(self.tr("发现的问题（事实、地点、程度）"))
        self.finding.setFixedHeight(84)
        self.advice = QLineEdit()
        self.advice.setPlaceholderText(self.tr("整改建议"))
        form.addRow(self.tr("发现的问题"), self.finding)
        form.addRow(self.tr("整改建议"), self.advice)
        el.addLayout(form)
        self.evidence = QListWidget()
        el.addWidget(QLabel(self.tr("证据（本次检查已封存的材料）：")))
        el.addWidget(self.evidence, 1)
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(editor, self.tr("检查结果"))

        self.minor_box = QGroupBox(self.tr("轻微违法"))
        self.minor_box.setCheckable(True)
        self.minor_box.setChecked(False)
        ml = QVBoxLayout(self.minor_box)
        measures = QGridLayout()
        self.measure_checks: dict[FlexibleMeasure, QCheckBox] = {}
        for n, m in enumerate(FlexibleMeasure):
            box = QCheckBox(label(m))
            self.measure_checks[m] = box
            measures.addWidget(box, n // 3, n % 3)
        ml.addWidget(QLabel(self.tr("已采取的柔性措施：")))
        ml.addLayout(measures)
        self.ground = QComboBox()
        for g in NoPenaltyGround:
            self.ground.addItem(label(g), g)
        self.education = QCheckBox(self.tr("已对当事人进行教育"))
        ml.addWidget(QLabel(self.tr("不予处罚情形（《行政处罚法》第三十三条）：")))
        ml.addWidget(self.ground)
        ml.addWidget(self.education)
        minor_page = QWidget()
        mp = QVBoxLayout(minor_page)
        mp.addWidget(self.minor_box)
        mp.addStretch(1)
        self.detail_tabs.addTab(minor_page, self.tr("轻微违法"))
        self.save = QPushButton(self.tr("保存本项并转到下一项"))
        self.save.setObjectName("primary")
        self.save.clicked.connect(self._save)

        self.penalty_box = QGroupBox(self.tr("拟处罚"))
        pf = QFormLayout(self.penalty_box)
        self.benchmark = QComboBox()
        self.proposed = QLineEdit()
        self.proposed.setPlaceholderText(self.tr("如：罚款5000元"))
        self.deviation = QLineEdit()
        self.deviation.setPlaceholderText(self.tr("调整适用基准的理由（无则留空）"))
        self.approval_ref = QLineEdit()
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText(self.tr("主要负责人或集体讨论"))
        self.approved_at = QDateTimeEdit()
        self.approved_at.setCalendarPopup(True)
        self.approved_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.propose = QPushButton(self.tr("记录拟处罚"))
        self.propose.clicked.connect(self._propose)
        self.penalty_state = QLabel()
        self.penalty_state.setWordWrap(True)
        pf.addRow(self.tr("裁量基准"), self.benchmark)
        pf.addRow(self.tr("拟处罚"), self.proposed)
        pf.addRow(self.tr("调整理由"), self.deviation)
        pf.addRow(self.tr("批准文号"), self.approval_ref)
        pf.addRow(self.tr("批准人"), self.approved_by)
        pf.addRow(self.tr("批准时间"), self.approved_at)
        pf.addRow("", self.propose)
        pf.addRow("", self.penalty_state)
        penalty_page = QWidget()
        pp = QVBoxLayout(penalty_page)
        pp.addWidget(self.penalty_box)
        pp.addStretch(1)
        self.detail_tabs.addTab(penalty_page, self.tr("拟处罚"))

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.detail_tabs)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 5)
        split.setSizes([360, 470])
        self.layout_.addWidget(split, 1)
        self.add_actions(self.summary, self.save, stretch_first=True)
        self.finish_layout()
        self._row = -1

    # --- showing ---------------------------------------------------------------------

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        row = max(self._row, 0)
        self.model.set_rows(ctx.record.results, {c.code: c for c in ctx.service.ws.check_items.all()})
        counts = self.model.counts()
        self.summary.setText(" · ".join(f"{label(v)} {n}" for v, n in counts.items()))
        self.evidence.clear()
        for item in ctx.service.evidence.for_inspection(ctx.inspection.id):
            if item.derived_from is not None:
                continue  # a finding cites originals (R17)
            entry = QListWidgetItem(f"{item.original_name or item.sha256[:12]}  "
                                    f"{item.captured_at.strftime('%H:%M')}  {item.sha256[:12]}")
            entry.setData(Qt.ItemDataRole.UserRole, item.sha256)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Unchecked)
            self.evidence.addItem(entry)
        if self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))

    def select_row(self, row: int) -> None:
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show(row)

    def current(self) -> CheckResult | None:
        return self.model.result_at(self._row) if 0 <= self._row < self.model.rowCount() else None

    def _show(self, row: int) -> None:
        if row < 0 or self.ctx is None:
            return
        self._row = row
        r = self.model.result_at(row)
        item = self.ctx.service.ws.check_items.get(r.item_code)
        self.item_title.setText(f"{row + 1}. {r.item_code} {item.name if item else ''}")
        self.item_basis.setText(self.tr("依据：%1\n标准：%2").replace("%1", r.legal_basis)
                                .replace("%2", r.required_standard))
        self.result_buttons[r.result].setChecked(True)
        self.finding.setPlainText(r.finding)
        self.advice.setText(r.rectification_advice)
        self.minor_box.setChecked(r.minor or bool(r.measures) or bool(r.no_penalty_ground))
        for m, box in self.measure_checks.items():
            box.setChecked(m in r.measures)
        self.ground.setCurrentIndex(list(NoPenaltyGround).index(r.no_penalty_ground))
        self.education.setChecked(r.education_given)
        for n in range(self.evidence.count()):
            entry = self.evidence.item(n)
            entry.setCheckState(Qt.CheckState.Checked if entry.data(Qt.ItemDataRole.UserRole) in r.evidence_refs
                                else Qt.CheckState.Unchecked)
        self.benchmark.clear()
        for b in self.ctx.service.benchmarks.for_item(r.item_code):
            self.benchmark.addItem(f"{b.level}｜{b.matter}｜{b.penalty_range}", b.id)
        proposal = next((p for p in self.ctx.record.penalties if p.item_code == r.item_code), None)
        if proposal:
            self.benchmark.setCurrentIndex(max(0, self.benchmark.findData(proposal.benchmark_id)))
            self.proposed.setText(proposal.proposed)
            self.deviation.setText(proposal.deviation)
            self.approval_ref.setText(proposal.approval_ref)
            self.approved_by.setText(proposal.approved_by)
            self.penalty_state.setText(self.tr("已记录拟处罚：%1").replace("%1", proposal.proposed))
        else:
            for w in (self.proposed, self.deviation, self.approval_ref, self.approved_by):
                w.clear()
            self.penalty_state.setText("")
        self.approved_at.setDateTime(proposal.approved_at.replace(tzinfo=None) if proposal and proposal.approved_at
                                     else self.ctx.service.ws.clock().astimezone(CHINA_TZ).replace(tzinfo=None))
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        non_compliant = self.result_buttons[CheckResultValue.NON_COMPLIANT].isChecked()
        self.minor_box.setEnabled(non_compliant)
        self.penalty_box.setEnabled(non_compliant and self.benchmark.count() > 0)
        self.advice.setEnabled(non_compliant)

    # --- writing ---------------------------------------------------------------------

    def _chosen(self) -> CheckResultValue:
        return next(v for v, b in self.result_buttons.items() if b.isChecked())

    def _save(self) -> None:
        r = self.current()
        if r is None:
            return
        minor = self.minor_box.isEnabled() and self.minor_box.isChecked()
        refs = [self.evidence.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.evidence.count())
                if self.evidence.item(n).checkState() == Qt.CheckState.Checked]
        saved = self.attempt(lambda: self.ctx.service.record_result(
            self.ctx.inspection.id, r.item_code, result=self._chosen(), actor=self.ctx.actor,
            finding=self.finding.toPlainText(), rectification_advice=self.advice.text(), minor=minor,
            measures=[m for m, b in self.measure_checks.items() if minor and b.isChecked()],
            no_penalty_ground=self.ground.currentData() if minor else NoPenaltyGround.NONE,
            education_given=minor and self.education.isChecked(), evidence_refs=refs))
        if saved is not None and self._row + 1 < self.model.rowCount():
            self._row += 1

    def _propose(self) -> None:
        r = self.current()
        if r is None:
            return
        deviation = self.deviation.text().strip()
        self.attempt(lambda: self.ctx.service.propose_penalty(
            self.ctx.inspection.id, r.item_code, benchmark_id=self.benchmark.currentData() or "",
            proposed=self.proposed.text(), actor=self.ctx.actor, deviation=deviation,
            approval_ref=self.approval_ref.text(), approved_by=self.approved_by.text(),
            approved_at=self.approved_at.dateTime().toPython().replace(tzinfo=CHINA_TZ) if deviation else None))
