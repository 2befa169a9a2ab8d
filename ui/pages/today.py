"""Today: the signed-in person's tasks for the day, largest first on a tablet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.access import standing_notice
from app.domain import InspectionOverview, InspectionStatus, Officer
from ui.labels import label
from ui.workers import emit

if TYPE_CHECKING:
    from app.review import QueueEntry  # the review module (and the locker) load when needed


class TaskCard(QFrame):
    """A task of the day: tapping it opens the task; 开始检查 (or 继续检查) is right on it."""

    open_requested = Signal(str)  # inspection id
    start_requested = Signal(str)
    record_requested = Signal(str)

    def __init__(self, row: InspectionOverview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName("taskCard")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(18, 12, 18, 12)
        layout = QVBoxLayout()
        outer.addLayout(layout, 1)
        head = QLabel(f"{row.scheduled_at:%H:%M}  {row.subject_name}")
        head.setObjectName("taskHead")
        meta = QLabel(" · ".join(filter(None, [
            row.id, label(row.source), label(row.status),
            self.tr("信用 %1").replace("%1", row.credit_grade.value),
            label(row.list_status) if row.list_status.value != "none" else "",
        ])))
        place = QLabel(row.place)
        staff = QLabel(self.tr("执法人员：") + "、".join(row.officer_names)
                       + (("；" + self.tr("辅助：") + "、".join(row.assistant_names)) if row.assistant_names else ""))
        for w in (head, meta, place, staff):
            w.setWordWrap(True)
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(w)
        actions = QVBoxLayout()
        self.open_button = QPushButton(self.tr("查看任务"))
        self.open_button.clicked.connect(lambda: emit(self.open_requested, row.id))
        self.start_button = QPushButton(self.tr("开始检查") if row.status is InspectionStatus.PLANNED
                                        else self.tr("继续检查"))
        self.start_button.setObjectName("primary")
        self.start_button.setVisible(row.status in (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS))
        self.start_button.clicked.connect(lambda: emit(
            self.start_requested if row.status is InspectionStatus.PLANNED else self.record_requested, row.id))
        for b in (self.start_button, self.open_button):
            b.setMinimumSize(140, 48)
            actions.addWidget(b)
        actions.addStretch(1)
        outer.addLayout(actions)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            emit(self.open_requested, self.row.id)
        super().mouseReleaseEvent(event)


class ReturnedCard(QFrame):
    """An item a team leader returned, with the comment and a field to answer it."""

    answered = Signal(str, str)  # sha256, what the officer corrected

    def __init__(self, entry: QueueEntry, reviewer_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("taskCard")
        item, latest = entry.item, entry.latest
        head = QLabel(self.tr("退回：") + f"{item.captured_at:%Y-%m-%d %H:%M}  {item.original_name or item.sha256[:16]}"
                      + (f"  ·  {item.inspection_id}" if item.inspection_id else ""))
        head.setObjectName("taskHead")
        comment = QLabel(self.tr("审核意见（%1）：").replace("%1", reviewer_name) + (latest.comment if latest else ""))
        comment.setWordWrap(True)
        self.reply = QLineEdit()
        self.reply.setPlaceholderText(self.tr("补正情况"))
        self.reply.setMinimumHeight(44)
        self.answer_button = QPushButton(self.tr("答复并重新提交"))
        self.answer_button.setMinimumHeight(44)
        self.answer_button.clicked.connect(lambda: emit(self.answered, item.sha256, self.reply.text()))
        row = QHBoxLayout()
        row.addWidget(self.reply, 1)
        row.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(head)
        layout.addWidget(comment)
        layout.addLayout(row)


class TodayPage(QWidget):
    answer_requested = Signal(str, str)  # sha256, answer
    open_requested = Signal(str)  # inspection id: show it on the task list
    start_requested = Signal(str)  # start the inspection (its gates are checked)
    record_requested = Signal(str)  # continue the record of a started one

    def __init__(self, parent: QWidget | None = None, language: str = "zh") -> None:
        super().__init__(parent)
        self.language = language
        self.returned_title = QLabel(self.tr("退回待补正"))
        self.returned_title.setObjectName("pageTitle")
        self.returned_title.hide()
        self.returned_message = QLabel()
        self.returned_message.setWordWrap(True)
        self.returned_message.setStyleSheet("color: #b3261e;")
        self._returned_host = QVBoxLayout()
        self._returned_host.setSpacing(8)
        self.returned_cards: list[ReturnedCard] = []
        self.notice = QLabel()  # R1: an expired or revoked certificate, said plainly
        self.notice.setObjectName("certificateNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.notice.hide()
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.empty = QLabel(self.tr("今天没有分配给您的检查任务。"))
        self.empty.setObjectName("hint")
        self._list_host = QWidget()
        self._list = QVBoxLayout(self._list_host)
        self._list.setSpacing(12)
        self._list.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._list_host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(self.returned_title)
        layout.addLayout(self._returned_host)
        layout.addWidget(self.returned_message)
        layout.addWidget(self.notice)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self.cards: list[TaskCard] = []

    def set_tasks(self, officer: Officer, day: date, rows: Sequence[InspectionOverview]) -> None:
        self.title.setText(self.tr("今日任务") + f"  {day:%Y-%m-%d}  ·  {officer.name}")
        notice = standing_notice(officer, day)
        self.notice.setText("" if notice is None else notice[0] if self.language == "zh" else notice[1])
        self.notice.setVisible(notice is not None)
        for card in self.cards:
            card.deleteLater()
        self.cards = [TaskCard(r) for r in sorted(rows, key=lambda r: r.scheduled_at)]
        for n, card in enumerate(self.cards):
            card.open_requested.connect(lambda i: emit(self.open_requested, i))
            card.start_requested.connect(lambda i: emit(self.start_requested, i))
            card.record_requested.connect(lambda i: emit(self.record_requested, i))
            self._list.insertWidget(n, card)
        self.empty.setVisible(not self.cards)

    def set_returned(self, entries: Sequence[QueueEntry], names: dict[str, str]) -> None:
        """Items of this officer a team leader returned, until they are answered."""
        for card in self.returned_cards:
            card.deleteLater()
        self.returned_cards = [ReturnedCard(e, names.get(e.latest.reviewer, e.latest.reviewer) if e.latest else "")
                               for e in entries]
        for card in self.returned_cards:
            card.answered.connect(lambda sha, text: emit(self.answer_requested, sha, text))
            self._returned_host.addWidget(card)
        self.returned_title.setVisible(bool(self.returned_cards))
        self.returned_message.clear()
