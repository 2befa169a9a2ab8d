"""强制拆除: the cases on the device, and for the chosen one its preconditions, the
operation on site, the inventory, custody and handover, and the documents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.demolition.rules import Means
from app.demolition.service import DemolitionService
from app.domain import Officer
from app.gates.findings import Severity
from local_db.errors import UserFacingError
from ui.dialogs.demolition_case_dialog import DemolitionCaseDialog
from ui.pages.demolition_base import DemolitionContext, DemolitionTab, status_text
from ui.pages.demolition_custody import CustodyTab, DocumentsTab
from ui.pages.demolition_site import InventoryTab, OperationTab
from ui.pages.gate_panel import GatePanel
from ui.widgets.work_step import framed



class PreconditionsTab(DemolitionTab):
    """R20–R23: the case's documents and dates, the emergency plan, the findings, and the start."""

    fills_page = True  # the plan and the findings scroll by themselves; 开始执行 stays in the bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        top = QHBoxLayout()
        facts = QGroupBox(self.tr("案件与公告"))
        self.facts = QFormLayout(facts)
        self.facts_box = facts
        top.addWidget(facts, 3)
        plan_box = QGroupBox(self.tr("应急预案与救济情况"))
        pl = QVBoxLayout(plan_box)
        self.plan = QTextEdit()
        self.plan.setPlaceholderText(self.tr("应急预案：警戒、救护、撤离、报告……"))
        self.reconsideration = QCheckBox(self.tr("当事人已申请行政复议"))
        self.litigation = QCheckBox(self.tr("当事人已提起行政诉讼"))
        self.edit = QPushButton(self.tr("修改案件信息"))
        self.save_plan = QPushButton(self.tr("保存"))
        self.save_plan.clicked.connect(self._save)
        pl.addWidget(self.plan, 1)
        pl.addWidget(self.reconsideration)
        pl.addWidget(self.litigation)
        pl.addWidget(self.save_plan)
        pl.addWidget(self.edit)
        top.addWidget(plan_box, 2)
        self.plan.setMinimumHeight(110)
        self.layout_.addLayout(top, 3)
        self.gates = GatePanel()
        self.gates.browser.setMinimumHeight(100)
        self.layout_.addWidget(self.gates, 1)
        self.emergency = QLineEdit()
        self.emergency.setPlaceholderText(self.tr("紧急情况理由（仅用于夜间或节假日，写入审计日志）"))
        self.start = QPushButton(self.tr("开始执行"))
        self.start.setObjectName("primary")
        self.start.clicked.connect(self._start)
        self.add_actions(self.emergency, self.start, stretch_first=True)
        self.finish_layout()

    def load(self, ctx: DemolitionContext) -> None:
        super().load(ctx)
        c = ctx.case
        while self.facts.rowCount():
            self.facts.removeRow(0)
        rows = ((self.tr("当事人"), c.party_name), (self.tr("地点"), c.place), (self.tr("拆除对象"), c.structure),
                (self.tr("拆除方式"), Means(c.means).label), (self.tr("决定书"), c.decision_no or "—"),
                (self.tr("公告文号"), c.announcement_no), (self.tr("公告送达日"), c.announcement_served_on.isoformat()),
                (self.tr("自行拆除期限"), c.self_demolition_deadline.isoformat()),
                (self.tr("清除财物期限"), c.removal_deadline.isoformat()),
                (self.tr("到场通知"), c.attend_notice_no or "—"), (self.tr("状态"), status_text(c.status)))
        for caption, value in rows:
            label = QLabel(value)
            label.setWordWrap(True)
            self.facts.addRow(caption, label)
        self.plan.setPlainText(c.emergency_plan)
        self.reconsideration.setChecked(c.reconsideration_filed)
        self.litigation.setChecked(c.litigation_filed)
        planned = c.status == "planned"
        for w in (self.plan, self.reconsideration, self.litigation, self.save_plan, self.start, self.emergency,
                  self.edit):
            w.setEnabled(planned)
        if planned:
            found = ctx.service.start_findings(c.id)
            self.gates.show_findings(found, ctx.language)
            blocks = sum(f.severity is Severity.BLOCK for f in found)
            self.gates.verdict.setText(self.tr("不得开始强制拆除（%1 项阻止）").replace("%1", str(blocks)) if blocks
                                       else self.tr("前置条件已满足，可以依法开始执行"))
        else:
            self.gates.show_note(self.tr("已开始执行，前置条件在开始时已核验。"))

    def _save(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        self.attempt(lambda: ctx.service.update_case(
            ctx.case.id, emergency_plan=self.plan.toPlainText(), reconsideration_filed=self.reconsideration.isChecked(),
            litigation_filed=self.litigation.isChecked(), actor=ctx.actor))

    def _start(self) -> None:
        ctx = self.ctx
        assert ctx is not None
        if self.attempt(lambda: ctx.service.start(ctx.case.id, actor=ctx.actor,
                                                  emergency_reason=self.emergency.text())) is not None:
            self.emergency.clear()


class DemolitionPage(QWidget):
    """The case list at the left, the chosen case's tabs at the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service: DemolitionService | None = None
        self.officer: Officer | None = None
        self.language = "zh"
        title = QLabel(self.tr("强制拆除"))
        title.setObjectName("pageTitle")
        self.cases = QListWidget()
        self.cases.setFixedWidth(220)
        self.cases.setSpacing(4)
        self.cases.setWordWrap(True)  # long addresses wrap inside the list, not past its edge
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cases.currentItemChanged.connect(lambda *_: self.reload())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.tabs = QTabWidget()
        self.preconditions = PreconditionsTab()
        self.operation = OperationTab()
        self.inventory = InventoryTab()
        self.custody = CustodyTab()
        self.documents = DocumentsTab()
        for tab, caption in ((self.preconditions, self.tr("前置条件")), (self.operation, self.tr("现场执行")),
                             (self.inventory, self.tr("财物清点")), (self.custody, self.tr("保管与移交")),
                             (self.documents, self.tr("文书"))):
            # A tab scrolls when its forms and pads need more height than the tablet has;
            # its primary actions stay in a bar below it.
            self.tabs.addTab(framed(tab), caption)
            tab.changed.connect(self.reload)
        self.tab_list: list[DemolitionTab] = [self.preconditions, self.operation, self.inventory, self.custody,
                                              self.documents]
        self.new_case = QPushButton(self.tr("新建案件"))
        self.new_case.clicked.connect(lambda: self.edit_case(None))
        self.preconditions.edit.clicked.connect(lambda: self.edit_case(self.current_case_id()))
        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(self.cases, 1)
        left.addWidget(self.new_case)
        body = QHBoxLayout(self)
        body.setContentsMargins(16, 12, 16, 12)
        body.addLayout(left)
        right = QVBoxLayout()
        right.addWidget(self.note)
        right.addWidget(self.tabs, 1)
        body.addLayout(right, 1)

    def open(self, service: DemolitionService, officer: Officer | None, language: str) -> None:
        """Show the cases; the one selected before stays selected."""
        self.service, self.officer, self.language = service, officer, language
        current = self.current_case_id()
        self.cases.blockSignals(True)
        self.cases.clear()
        for c in service.cases():
            item = QListWidgetItem(f"{c.id}  {status_text(c.status)}\n{c.party_name}\n{c.place}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.cases.addItem(item)
        self.cases.blockSignals(False)
        ids = [self.cases.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.cases.count())]
        if ids:
            self.cases.setCurrentRow(ids.index(current) if current in ids else 0)
        self.reload()

    def case_dialog(self, case_id: str | None) -> DemolitionCaseDialog | None:
        """The dialog for a new case (None) or for the chosen case's data before the start."""
        if self.service is None or self.officer is None:
            return None
        case = self.service.case(case_id) if case_id else None
        return DemolitionCaseDialog(self.service, self.officer, self.language, case, self)

    def edit_case(self, case_id: str | None) -> None:
        dialog = self.case_dialog(case_id)
        if dialog is not None and dialog.exec() and dialog.saved is not None:
            self.open(self.service, self.officer, self.language)  # type: ignore[arg-type]
            self.select_case(dialog.saved.id)

    def current_case_id(self) -> str | None:
        item = self.cases.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_case(self, case_id: str) -> None:
        for n in range(self.cases.count()):
            if self.cases.item(n).data(Qt.ItemDataRole.UserRole) == case_id:
                self.cases.setCurrentRow(n)

    def reload(self) -> None:
        """Read the chosen case again and load every tab."""
        case_id = self.current_case_id()
        if self.service is None or self.officer is None or case_id is None:
            self.tabs.setEnabled(False)
            return
        try:
            case = self.service.case(case_id)
        except UserFacingError as exc:
            self.note.setText(exc.message(self.language))
            return
        item = self.cases.currentItem()
        item.setText(f"{case.id}  {status_text(case.status)}\n{case.party_name}\n{case.place}")
        mine = self.officer.id in case.officer_ids
        self.note.setText("" if mine else self.tr("您不是本案的执法人员，只能查看。"))
        self.tabs.setEnabled(True)
        ctx = DemolitionContext(self.service, case, self.officer, self.language)
        for tab in self.tab_list:
            tab.load(ctx)

    def show_tab(self, tab: DemolitionTab) -> None:
        self.tabs.setCurrentIndex(self.tab_list.index(tab))
