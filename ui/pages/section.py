"""Pages whose capabilities grow with later work show what the device holds today."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class SectionPage(QWidget):
    """A titled page with an explanatory line and a status line filled by the window."""

    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        text = QLabel(explanation)
        text.setWordWrap(True)
        text.setObjectName("hint")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(self.status)
        layout.addStretch(1)
