"""The live camera for one piece of work: every photo it seals is handed on.

The forced-demolition inventory photographs each item in place (R24): the photo is
taken and sealed by the camera panel (source: the webcam) and then linked to the
case by whoever opened the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.domain import EvidenceItem
from app.evidence.locker import EvidenceLocker
from ui.widgets.camera_panel import CameraPanel, Context


class CameraDialog(QDialog):
    """A camera panel in a dialog; ``on_photo(sha256)`` for each photo sealed while it is open."""

    def __init__(self, locker: EvidenceLocker, context: Context, on_photo: Callable[[str], None], *,
                 language: str = "zh", parent: QWidget | None = None, **panel_options: Any) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("现场拍照"))
        self.on_photo = on_photo
        self.panel = CameraPanel(locker, context, language=language, on_sealed=self._sealed, **panel_options)
        buttons = QDialogButtonBox()
        self.done_button = buttons.addButton(self.tr("完成"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def _sealed(self, item: EvidenceItem) -> None:
        if item.media_type.startswith("image/"):
            self.on_photo(item.sha256)

    def done(self, result: int) -> None:  # accept, reject and Esc all end here
        self.panel.close()  # stops the capture session; photos already taken stay sealed
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.panel.close()
        super().closeEvent(event)
