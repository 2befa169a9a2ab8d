"""A step of a guided piece of work (an on-site record, a forced demolition): the context
it works in, its own widgets, and an error line where a refusal is shown in place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from local_db.errors import UserFacingError
from ui.workers import emit

T = TypeVar("T")


class WorkStep(QWidget):
    """Writes go through :meth:`attempt`; a refusal shows on the step and nothing else happens.

    ``ctx`` is whatever the step works on; it carries the ``language`` refusals are shown in.
    """

    changed = Signal()  # something was written: the page reloads what the steps show

    # A step that lays itself out in the height there is (its lists and tables scroll by
    # themselves) is not put in a scroll area: a scroll area inside another is refused.
    fills_page = False

    def __init__(self, title: str = "", hint: str = "", *, margins: tuple[int, int] = (20, 12),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: Any = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
        if title:
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
        # The step's primary actions, kept visible below it whatever its height (see framed()).
        self.action_bar = QWidget()
        self.action_bar.setObjectName("actionBar")
        self.actions_ = QHBoxLayout(self.action_bar)
        self.actions_.setContentsMargins(margins[0], 8, margins[0], 8)
        self.action_bar.hide()

    def add_actions(self, *widgets: QWidget, stretch_first: bool = False) -> None:
        """Put ``widgets`` in the fixed action bar under the step (moved out of the step's layout)."""
        for n, w in enumerate(widgets):
            self.actions_.addWidget(w, 1 if stretch_first and n == 0 else 0)
        self.action_bar.show()

    def finish_layout(self) -> None:
        """Put the error line at the bottom, after the step's own widgets."""
        self.layout_.addWidget(self.error)

    def load(self, ctx: Any) -> None:
        """Show ``ctx``; subclasses fill their widgets and call this first."""
        self.ctx = ctx
        self.error.hide()

    def show_error(self, exc: object) -> None:
        language = getattr(self.ctx, "language", "zh")
        self.error.setText(exc.message(language) if isinstance(exc, UserFacingError) else str(exc))
        self.error.show()

    def attempt(self, action: Callable[[], T], *, reload: bool = True) -> T | None:
        """Run a write; a refusal is shown on the step and nothing else happens."""
        try:
            result = action()
        except UserFacingError as exc:
            self.show_error(exc)
            return None
        self.error.hide()
        if reload:
            emit(self.changed)
        return result


def framed(step: WorkStep) -> QWidget:
    """``step`` as a page shows it: scrolled when taller than the screen (unless it
    ``fills_page``), with its error line and its action bar fixed below, never scrolled away."""
    frame = QWidget()
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    if step.fills_page:
        layout.addWidget(step, 1)
    else:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(step)
        layout.addWidget(scroll, 1)
    error_row = QHBoxLayout()
    error_row.setContentsMargins(step.layout_.contentsMargins().left(), 4, step.layout_.contentsMargins().right(), 0)
    error_row.addWidget(step.error)  # taken out of the step: a refusal is seen where the action was
    layout.addLayout(error_row)
    layout.addWidget(step.action_bar)
    return frame
