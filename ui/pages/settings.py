"""Settings: interface language and what this device holds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget
from ui.workers import emit


class SettingsPage(QWidget):
    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("设置"))
        heading.setObjectName("pageTitle")
        self.language = QComboBox()
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.language.activated.connect(lambda i: emit(self.language_chosen, self.language.itemData(i)))
        self.language_note = QLabel(self.tr("界面语言在下次启动时生效。"))
        self.language_note.setObjectName("hint")
        self.data_folder = QLabel()
        self.reference = QLabel()
        self.schema = QLabel()
        for w in (self.data_folder, self.reference):
            w.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("界面语言"), self.language)
        form.addRow("", self.language_note)
        form.addRow(self.tr("数据目录"), self.data_folder)
        form.addRow(self.tr("基础数据版本"), self.reference)
        form.addRow(self.tr("数据库结构版本"), self.schema)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addStretch(1)

    def set_language(self, code: str) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(code)))
