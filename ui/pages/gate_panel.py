"""Whether the selected inspection may lawfully start: one entry per finding."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QTextBrowser, QVBoxLayout, QWidget

from app.gates import Finding, Severity

# Icons are characters the bundled font has: a device without other fonts must not
# show boxes.
_STYLE = {
    Severity.BLOCK: ("✖", "#b3261e", "#fdecea"),
    Severity.WARN: ("▲", "#8a5a00", "#fff4e0"),
    Severity.INFO: ("●", "#2a4f75", "#eef3f9"),
}
_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


class GatePanel(QFrame):
    def __init__(self, parent: QWidget | None = None, *, scrolls: bool = True) -> None:
        """``scrolls=False`` inside something that already scrolls: the findings are a label
        as tall as they are, never a scroll area inside another."""
        super().__init__(parent)
        self.setObjectName("gatePanel")
        self.verdict = QLabel()
        self.verdict.setObjectName("gateVerdict")
        self.verdict.setWordWrap(True)
        # A text browser wraps and scrolls long legal citations by itself.
        self.browser: QTextBrowser | QLabel
        if scrolls:
            self.browser = QTextBrowser()
            self.browser.setOpenLinks(False)
            self.browser.setFrameShape(QFrame.Shape.NoFrame)
        else:
            self.browser = QLabel()
            self.browser.setWordWrap(True)
            self.browser.setTextFormat(Qt.TextFormat.RichText)
            self.browser.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.verdict)
        layout.addWidget(self.browser, 1)
        self.lines: list[str] = []  # the findings as shown, in order

    def show_findings(self, findings: Sequence[Finding], language: str) -> None:
        blocking = [f for f in findings if f.severity is Severity.BLOCK]
        if blocking:
            self.verdict.setText(self.tr("不得开始检查（%n 项阻止）", "", len(blocking)))
            self.verdict.setStyleSheet("color: #b3261e; font-weight: bold;")
        else:
            self.verdict.setText(self.tr("可以依法开始检查"))
            self.verdict.setStyleSheet("color: #1b7f3b; font-weight: bold;")
        ordered = sorted(findings, key=lambda f: _ORDER[f.severity])
        self.lines = [f"{_STYLE[f.severity][0]} {f.message(language)}" for f in ordered]
        blocks = []
        for f, text in zip(ordered, self.lines, strict=True):
            _, colour, background = _STYLE[f.severity]
            blocks.append(f'<table width="100%" cellpadding="6" style="margin-bottom:6px">'
                          f'<tr><td style="color:{colour}; background:{background}">{html.escape(text)}</td></tr>'
                          "</table>")
        if isinstance(self.browser, QLabel):
            self.browser.setText("".join(blocks))
        else:
            self.browser.setHtml("".join(blocks))

    def show_note(self, text: str) -> None:
        """A line instead of findings: the task is finished, or its data is incomplete."""
        self.lines = []
        self.browser.clear()
        self.verdict.setText(text)
        self.verdict.setStyleSheet("color: #5b6470;")
