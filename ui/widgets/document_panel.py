"""A list of documents beside a preview: choose one, generate it, read it in place.

Used by the on-site record and the forced demolition; rendering happens on a worker
(the page's job), the preview with QtPdf.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.crypto import MasterKey


class DocumentPanel(QWidget):
    """``kinds`` on the left with ``generate``, any extra buttons and a ``state`` line; the PDF on the right."""

    def __init__(self, generate_text: str, extra_buttons: tuple[QPushButton, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kinds = QListWidget()
        self.kinds.setFixedWidth(200)
        self.generate = QPushButton(generate_text)
        self.state = QLabel()
        self.state.setObjectName("hint")
        self.state.setWordWrap(True)
        self.pdf = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.shown: Path | None = None
        self._buffer: QBuffer | None = None
        left = QVBoxLayout()
        left.addWidget(self.kinds, 1)
        for button in (self.generate, *extra_buttons):
            left.addWidget(button)
        left.addWidget(self.state)
        body = QHBoxLayout(self)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(left)
        body.addWidget(self.view, 1)

    def preview(self, path: Path, master: MasterKey | None) -> None:
        """Show the PDF at ``path``, decrypted into memory (the one on screen is closed first)."""
        from app.crypto.filecrypt import read_encrypted

        self.pdf.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(read_encrypted(path, master)))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.shown = path

    def clear(self) -> None:
        self.pdf.close()
        self._buffer = None
        self.shown = None
