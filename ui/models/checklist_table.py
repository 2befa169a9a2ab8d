"""The check items of one inspection with their results, for the on-site checklist."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain import CheckItem, CheckResult, CheckResultValue
from ui.labels import label
from ui.workers import emit

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1  # the CheckResult of the row
_RESULT_COLOURS = {
    CheckResultValue.COMPLIANT: "#1b7f3b",
    CheckResultValue.NON_COMPLIANT: "#b3261e",
    CheckResultValue.NOT_APPLICABLE: "#5b6470",
    CheckResultValue.NOT_CHECKED: "#8a5a00",
}
Index = QModelIndex | QPersistentModelIndex


class ChecklistModel(QAbstractTableModel):
    """Rows are the inspection's check items in order; columns: no., item, result, finding."""

    COLUMNS = ("no", "item", "result", "finding")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CheckResult] = []
        self._items: dict[str, CheckItem] = {}

    def set_rows(self, results: Sequence[CheckResult], catalogue: dict[str, CheckItem]) -> None:
        self.beginResetModel()
        self._rows = list(results)
        self._items = catalogue
        self.endResetModel()

    def update_row(self, result: CheckResult) -> None:
        """Replace one row in place (the selection stays where it is)."""
        for n, row in enumerate(self._rows):
            if row.item_code == result.item_code:
                self._rows[n] = result
                emit(self.dataChanged, self.index(n, 0), self.index(n, len(self.COLUMNS) - 1))
                return

    def result_at(self, row: int) -> CheckResult:
        return self._rows[row]

    def counts(self) -> dict[CheckResultValue, int]:
        out = dict.fromkeys(CheckResultValue, 0)
        for r in self._rows:
            out[r.result] += 1
        return out

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("序号"), self.tr("检查事项"), self.tr("结果"), self.tr("发现的问题"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == RESULT_ROLE:
            return r
        if role == Qt.ItemDataRole.DisplayRole:
            item = self._items.get(r.item_code)
            return {
                "no": str(index.row() + 1),
                "item": f"{r.item_code}  {item.name if item else ''}",
                "result": label(r.result),
                "finding": r.finding,
            }[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == "result":
            return QBrush(QColor(_RESULT_COLOURS[r.result]))
        if role == Qt.ItemDataRole.ToolTipRole and column == "item":
            item = self._items.get(r.item_code)
            return f"{item.legal_basis}\n{item.standard}" if item else None
        return None
