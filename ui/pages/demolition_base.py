"""What every tab of a forced demolition shares: the case it works on and an error line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.demolition.service import DemolitionService
from app.domain import Officer
from local_db.demolition_repository import DemolitionCase
from local_db.errors import UserFacingError
from ui.workers import emit

T = TypeVar("T")


def status_text(status: str) -> str:
    """The case status as shown (translated)."""
    return {"planned": QCoreApplication.translate("Demolition", "待执行"),
            "in_progress": QCoreApplication.translate("Demolition", "执行中"),
            "paused": QCoreApplication.translate("Demolition", "已暂停"),
            "ended": QCoreApplication.translate("Demolition", "已结束"),
            "abandoned": QCoreApplication.translate("Demolition", "已终止")}.get(status, status)


def event_text(kind: str) -> str:
    """An operation event as shown (translated)."""
    return {"start": QCoreApplication.translate("Demolition", "开始执行"),
            "pause": QCoreApplication.translate("Demolition", "暂停"),
            "resume": QCoreApplication.translate("Demolition", "恢复执行"),
            "abandon": QCoreApplication.translate("Demolition", "终止执行"),
            "end": QCoreApplication.translate("Demolition", "执行结束")}.get(kind, kind)


@dataclass(frozen=True)
class DemolitionContext:
    service: DemolitionService
    case: DemolitionCase
    officer: Officer
    language: str

    @property
    def actor(self) -> str:
        return self.officer.id


class DemolitionTab(QWidget):
    """A tab; writes go through :meth:`attempt`, which shows refusals in place."""

    changed = Signal()  # something was written: the page reloads the case

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: DemolitionContext | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 10, 16, 10)
        if hint:
            note = QLabel(hint)
            note.setObjectName("hint")
            note.setWordWrap(True)
            self.layout_.addWidget(note)
        self.error = QLabel()
        self.error.setObjectName("stepError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e; background: #fdecea; padding: 8px; border-radius: 6px;")
        self.error.hide()

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)

    def load(self, ctx: DemolitionContext) -> None:
        self.ctx = ctx
        self.error.hide()

    def show_error(self, exc: object) -> None:
        text = exc.message(self.ctx.language if self.ctx else "zh") if isinstance(exc, UserFacingError) else str(exc)
        self.error.setText(text)
        self.error.show()

    def attempt(self, action: Callable[[], T], *, reload: bool = True) -> T | None:
        """Run a write; a refusal is shown on the tab and nothing else happens."""
        try:
            result = action()
        except UserFacingError as exc:
            self.show_error(exc)
            return None
        self.error.hide()
        if reload:
            emit(self.changed)
        return result
