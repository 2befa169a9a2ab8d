"""Settings: interface language and what this device holds."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.workers import emit


class SettingsPage(QWidget):
    language_chosen = Signal(str)
    pin_change_requested = Signal(str, str, str)  # current, new, new again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("设置"))
        heading.setObjectName("pageTitle")
        self.language = QComboBox()
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.language.activated.connect(lambda i: emit(self.language_chosen, self.language.itemData(i)))
        self.language_note = QLabel(self.tr("选择后界面立即切换，并在下次启动时沿用。"))
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
        self.pin_box = QGroupBox(self.tr("修改本人 PIN"))
        self.current_pin, self.new_pin, self.confirm_pin = QLineEdit(), QLineEdit(), QLineEdit()
        for w in (self.current_pin, self.new_pin, self.confirm_pin):
            w.setEchoMode(QLineEdit.EchoMode.Password)
            w.setMaxLength(12)
        self.change_pin = QPushButton(self.tr("修改 PIN"))
        self.change_pin.clicked.connect(lambda: emit(self.pin_change_requested, self.current_pin.text(),
                                                     self.new_pin.text(), self.confirm_pin.text()))
        self.pin_message = QLabel()
        self.pin_message.setWordWrap(True)
        pin_form = QFormLayout(self.pin_box)
        pin_form.addRow(self.tr("当前 PIN"), self.current_pin)
        pin_form.addRow(self.tr("新 PIN"), self.new_pin)
        pin_form.addRow(self.tr("再次输入新 PIN"), self.confirm_pin)
        pin_form.addRow("", self.change_pin)
        pin_form.addRow("", self.pin_message)
        self.pin_box.setMaximumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.pin_box)
        layout.addStretch(1)

    def pin_changed(self, message: str, ok: bool) -> None:
        """Show the outcome; the fields are cleared whatever it was."""
        for w in (self.current_pin, self.new_pin, self.confirm_pin):
            w.clear()
        self.pin_message.setStyleSheet("" if ok else "color: #b3261e;")
        self.pin_message.setText(message)

    def set_language(self, code: str) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(code)))
