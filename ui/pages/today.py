"""Today: the signed-in person's tasks for the day, largest first on a tablet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.domain import InspectionOverview, Officer
from ui.labels import label


class TaskCard(QFrame):
    def __init__(self, row: InspectionOverview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName("taskCard")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
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
            layout.addWidget(w)


class TodayPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)
        self.cards: list[TaskCard] = []

    def set_tasks(self, officer: Officer, day: date, rows: Sequence[InspectionOverview]) -> None:
        self.title.setText(self.tr("今日任务") + f"  {day:%Y-%m-%d}  ·  {officer.name}")
        for card in self.cards:
            card.deleteLater()
        self.cards = [TaskCard(r) for r in sorted(rows, key=lambda r: r.scheduled_at)]
        for n, card in enumerate(self.cards):
            self._list.insertWidget(n, card)
        self.empty.setVisible(not self.cards)
