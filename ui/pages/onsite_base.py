"""What every step of the on-site record shares: the context it works in and an error line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.domain import Inspection, OnsiteRecord, Officer
from app.onsite.service import OnsiteService
from local_db.errors import UserFacingError
from ui.workers import emit

T = TypeVar("T")


@dataclass(frozen=True)
class OnsiteContext:
    """The inspection being recorded, its record as it stands, and who is signed in."""

    service: OnsiteService
    inspection: Inspection
    record: OnsiteRecord
    officer: Officer
    language: str

    @property
    def actor(self) -> str:
        return self.officer.id


class OnsiteStep(QWidget):
    """A titled step; writes go through :meth:`attempt`, which shows refusals in place."""

    changed = Signal()  # something was written: the page reloads the record

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: OnsiteContext | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 12, 20, 12)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        self.layout_.addWidget(heading)
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
        """Put the error line at the bottom, after the step's own widgets."""
        self.layout_.addWidget(self.error)

    def load(self, ctx: OnsiteContext) -> None:
        """Show ``ctx``; subclasses fill their widgets and call this first."""
        self.ctx = ctx
        self.error.hide()

    def attempt(self, action: Callable[[], T]) -> T | None:
        """Run a write; a refusal is shown on the step and nothing else happens."""
        try:
            result = action()
        except UserFacingError as exc:
            self.error.setText(exc.message(self.ctx.language if self.ctx else "zh"))
            self.error.show()
            return None
        self.error.hide()
        emit(self.changed)
        return result
