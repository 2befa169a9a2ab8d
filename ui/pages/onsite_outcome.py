"""Outcome: the rectification order with its follow-up task (R10), and the supervision card (R13)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QWidget

from app.onsite import rules
from app.onsite.service import DEFAULT_CONSEQUENCE
from ui.pages.onsite_base import OnsiteContext, OnsiteStep

DEFAULT_DAYS = 15


class OutcomeStep(OnsiteStep):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("处理：责令改正与监督卡"), self.tr(
            "需要整改的，一次告知、全程跟踪、及时复核：下达责令限期改正通知书，并自动生成复查任务"
            "（《行政处罚法》第二十八条）。发放行政执法案件监督卡并在笔录中注明"
            "（国办发〔2018〕118号）。"),
            parent)
        order = QGroupBox(self.tr("责令（限期）改正"))
        form = QFormLayout(order)
        self.order_items = QLabel()
        self.order_items.setWordWrap(True)
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.consequence = QLineEdit(DEFAULT_CONSEQUENCE)
        self.issue = QPushButton(self.tr("下达责令改正通知书"))
        self.issue.clicked.connect(self._issue)
        self.order_state = QLabel()
        self.order_state.setWordWrap(True)
        form.addRow(self.tr("需整改的检查项"), self.order_items)
        form.addRow(self.tr("整改期限"), self.deadline)
        form.addRow(self.tr("逾期后果"), self.consequence)
        form.addRow("", self.issue)
        form.addRow("", self.order_state)
        self.layout_.addWidget(order)

        card = QGroupBox(self.tr("行政执法案件监督卡"))
        cf = QFormLayout(card)
        self.card_recipient = QLineEdit()
        self.card_button = QPushButton(self.tr("记录已发放监督卡"))
        self.card_button.clicked.connect(self._hand_over)
        self.card_state = QLabel()
        cf.addRow(self.tr("接收人"), self.card_recipient)
        cf.addRow("", self.card_button)
        cf.addRow("", self.card_state)
        self.layout_.addWidget(card)
        self.layout_.addStretch(1)
        self.finish_layout()

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        r = ctx.record
        due = [x.item_code for x in r.results if rules.needs_order(x)]
        self.order_items.setText("、".join(due) if due else self.tr("无（没有需要整改的不符合项）"))
        today = ctx.service.ws.clock().date()
        if r.order is None:
            default = today + timedelta(days=DEFAULT_DAYS)
            if self.deadline.date().toPython() <= today:
                self.deadline.setDate(QDate(default.year, default.month, default.day))
            self.issue.setEnabled(bool(due))
            self.order_state.setText("")
        else:
            self.issue.setEnabled(False)
            d = r.order.deadline
            self.deadline.setDate(QDate(d.year, d.month, d.day))
            follow = ctx.service.ws.inspections.get(r.order.follow_up_id)
            self.order_state.setText(
                self.tr("已下达 %1，整改期限 %2；复查任务 %3 定于 %4。").replace("%1", r.order.id)
                .replace("%2", d.isoformat()).replace("%3", r.order.follow_up_id)
                .replace("%4", follow.scheduled_at.strftime("%Y-%m-%d %H:%M") if follow else "—"))
        if not self.card_recipient.text():
            self.card_recipient.setText(r.party_name)
        if r.card_handed_at:
            self.card_state.setText(self.tr("已于 %1 发放给 %2").replace("%1", r.card_handed_at.strftime("%H:%M"))
                                    .replace("%2", r.card_recipient))
        else:
            self.card_state.setText(self.tr("尚未发放"))

    def _issue(self) -> None:
        deadline: date = self.deadline.date().toPython()
        self.attempt(lambda: self.ctx.service.issue_order(
            self.ctx.inspection.id, deadline=deadline, consequence=self.consequence.text(), actor=self.ctx.actor))

    def _hand_over(self) -> None:
        self.attempt(lambda: self.ctx.service.hand_over_card(
            self.ctx.inspection.id, recipient=self.card_recipient.text(), actor=self.ctx.actor))
