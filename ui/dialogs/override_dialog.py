"""The exceptions the law allows to a start gate (R4 exempt source, R5 immediate inspection,
R7 approval over the cap), each with its reason, reference and approver."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.gates import Finding
from app.gates.start import Override


class OverrideDialog(QDialog):
    """One group of fields per overridable rule that blocks; :meth:`overrides` gives what was entered."""

    def __init__(self, blocking: Sequence[Finding], language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("依法例外开始检查"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("以下阻止项依法允许例外。每项须填写理由、依据文号和批准人，并写入审计日志。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.fields: dict[str, tuple[QLineEdit, QLineEdit, QLineEdit]] = {}
        for rule in dict.fromkeys(f.rule for f in blocking if f.overridable):
            box = QGroupBox(self._title(rule))
            form = QFormLayout(box)
            for f in (f for f in blocking if f.rule == rule):
                text = QLabel(f.message(language))
                text.setWordWrap(True)
                form.addRow(text)
            reason, reference, approver = QLineEdit(), QLineEdit(), QLineEdit()
            form.addRow(self.tr("理由"), reason)
            form.addRow(self.tr("依据文号"), reference)
            form.addRow(self.tr("批准人"), approver)
            self.fields[rule] = (reason, reference, approver)
            layout.addWidget(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _title(self, rule: str) -> str:
        """What the requirement is about, in an officer's words (the rule id stays internal)."""
        titles = {
            "R4": self.tr("年度检查计划备案"), "R5": self.tr("检查预告"), "R6": self.tr("检查事项清单"),
            "R7": self.tr("检查频次"),
        }
        return titles.get(rule, self.tr("依法例外"))

    def overrides(self) -> list[Override]:
        return [Override(rule=rule, reason=r.text().strip(), reference=ref.text().strip(), approved_by=a.text().strip())
                for rule, (r, ref, a) in self.fields.items()]
