"""The on-site record of one inspection: its steps in the order the law sets, and closing."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import InspectionStatus, Officer
from app.gates.findings import Severity
from app.onsite.service import OnsiteService
from ui.labels import label
from ui.pages.gate_panel import GatePanel
from ui.pages.onsite_base import OnsiteContext, OnsiteStep
from ui.pages.onsite_checklist import ChecklistStep
from ui.pages.onsite_documents import DocumentsStep
from ui.pages.onsite_opening import OpeningStep
from ui.pages.onsite_outcome import OutcomeStep
from ui.pages.onsite_signatures import SignatureStep
from ui.widgets.work_step import framed
from ui.workers import emit


class CloseStep(OnsiteStep):
    """Everything that still stops the record being closed, and the close button."""

    closed = Signal()
    fills_page = True  # the findings scroll by themselves; the close button stays in the bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("结束检查"), self.tr(
            "结束前核对：亮证、回避告知、签名或拒签、责令改正与复查、监督卡；"
            "每项未完成的要求下方注明其法律依据。"), parent)
        self.findings = GatePanel()
        self.layout_.addWidget(self.findings, 1)
        self.close_button = QPushButton(self.tr("结束检查并锁定笔录"))
        self.close_button.clicked.connect(self._close)
        self.add_actions(self.close_button)
        self.actions_.insertStretch(0, 1)
        self.finish_layout()

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        if ctx.inspection.status is InspectionStatus.CLOSED:
            self.findings.show_note(self.tr("检查已于 %1 结束，笔录已锁定。").replace(
                "%1", ctx.record.ended_at.strftime("%Y-%m-%d %H:%M") if ctx.record.ended_at else "—"))
            self.close_button.setEnabled(False)
            return
        findings = ctx.service.closing_findings(ctx.inspection.id)
        blocking = [f for f in findings if f.severity is Severity.BLOCK]
        if findings:
            self.findings.show_findings(findings, ctx.language)
        else:
            self.findings.show_note(self.tr("各项要求均已满足。"))
        self.findings.verdict.setText(self.tr("尚不能结束（%n 项未完成）", "", len(blocking)) if blocking
                                      else self.tr("可以结束检查"))
        self.close_button.setEnabled(not blocking)

    def _close(self) -> None:
        if self.attempt(lambda: self.ctx.service.close(self.ctx.inspection.id, actor=self.ctx.actor)) is not None:
            emit(self.closed)


class OnsitePage(QWidget):
    """One inspection on site; the window opens it from the task list."""

    back_requested = Signal()
    record_changed = Signal(str)  # inspection id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service: OnsiteService | None = None
        self.inspection_id = ""
        self.officer: Officer | None = None
        self.language = "zh"
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.subtitle.setWordWrap(True)
        self.back = QPushButton(self.tr("返回任务列表"))
        self.back.clicked.connect(self.back_requested)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        head.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)

        self.opening = OpeningStep()
        self.checklist = ChecklistStep()
        self.outcome = OutcomeStep()
        self.signatures = SignatureStep()
        self.documents = DocumentsStep()
        self.closing = CloseStep()
        self.closing.closed.connect(lambda: emit(self.record_changed, self.inspection_id))
        self.steps: list[tuple[str, OnsiteStep]] = [
            ("opening", self.opening), ("checklist", self.checklist), ("outcome", self.outcome),
            ("signatures", self.signatures), ("documents", self.documents), ("close", self.closing),
        ]
        captions = {"opening": self.tr("1 开场"), "checklist": self.tr("2 检查项"), "outcome": self.tr("3 处理"),
                    "signatures": self.tr("4 签名"), "documents": self.tr("5 文书"), "close": self.tr("6 结束")}
        self.step_list = QListWidget()
        self.step_list.setObjectName("nav")
        self.step_list.setFixedWidth(170)
        self.stack = QStackedWidget()
        for key, step in self.steps:
            item = QListWidgetItem(captions[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(160, 52))
            self.step_list.addItem(item)
            # Steps scroll rather than squeeze their fields on a small tablet screen; their
            # primary actions stay in a bar below, never scrolled away.
            self.stack.addWidget(framed(step))
            step.changed.connect(self.reload)
        self.step_list.currentRowChanged.connect(self._step_changed)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.step_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addLayout(head)
        layout.addLayout(body, 1)

    def open(self, service: OnsiteService, inspection_id: str, officer: Officer, language: str = "zh") -> None:
        """Show the record of ``inspection_id`` (already started) for ``officer``."""
        self.service = service
        self.inspection_id = inspection_id
        self.officer = officer
        self.language = language
        self.reload()
        self.show_step("opening")

    def show_step(self, key: str) -> None:
        self.step_list.setCurrentRow([k for k, _ in self.steps].index(key))

    def current_step(self) -> str:
        return self.steps[self.stack.currentIndex()][0]

    def reload(self) -> None:
        """Read the record again and refresh the header and every step."""
        if self.service is None or self.officer is None:
            return
        ws = self.service.ws
        inspection = ws.inspections.get(self.inspection_id)
        record = self.service.record(self.inspection_id)
        subject = ws.subjects.get(inspection.subject_id)
        self.title.setText(f"{inspection.id}　{subject.name if subject else ''}")
        done = sum(1 for r in record.results if r.result.value != "not_checked")
        self.subtitle.setText(self.tr("%1 · 开始于 %2 · 地点：%3 · 已检查 %4/%5 项").replace("%1", label(inspection.status))
                              .replace("%2", record.started_at.strftime("%Y-%m-%d %H:%M"))
                              .replace("%3", inspection.place or "—").replace("%4", str(done))
                              .replace("%5", str(len(record.results))))
        ctx = OnsiteContext(self.service, inspection, record, self.officer, self.language)
        read_only = inspection.status is not InspectionStatus.IN_PROGRESS
        for _, step in self.steps:
            step.load(ctx)
            if step not in (self.closing, self.documents):
                step.setEnabled(not read_only)
                step.action_bar.setEnabled(not read_only)
        emit(self.record_changed, self.inspection_id)

    def _step_changed(self, row: int) -> None:
        if row >= 0:
            self.stack.setCurrentIndex(row)
