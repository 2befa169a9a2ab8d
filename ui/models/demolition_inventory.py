"""The inventory of a forced demolition as a table: the current version of each item.

Adding an item inserts one row (no reset), so the table stays quick with hundreds
of items; an edit replaces its row in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.demolition.inventory import COUNTED, state_label
from local_db.demolition_repository import ItemVersion
from ui.workers import emit

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the ItemVersion of the row
Index = QModelIndex | QPersistentModelIndex


def quantity_text(value: object) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class InventoryModel(QAbstractTableModel):
    """Columns: no., name, category, quantity, unit, condition, label, storage, photos, version, state."""

    COLUMNS = ("no", "name", "category", "quantity", "unit", "condition", "label", "storage", "photos",
               "version", "state")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ItemVersion] = []
        self._row_of: dict[int, int] = {}
        self._states: dict[int, str] = {}

    def set_rows(self, items: Sequence[ItemVersion], states: Mapping[int, str] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self._row_of = {v.item_no: n for n, v in enumerate(self._rows)}
        self._states = dict(states or {})
        self.endResetModel()

    def put(self, item: ItemVersion) -> int:
        """Show a new item (one inserted row) or a new version of a shown one (row replaced); returns the row."""
        row = self._row_of.get(item.item_no)
        if row is None:
            row = len(self._rows)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.append(item)
            self._row_of[item.item_no] = row
            self._states.setdefault(item.item_no, COUNTED)
            self.endInsertRows()
        else:
            self._rows[row] = item
            emit(self.dataChanged, self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        return row

    def item_at(self, row: int) -> ItemVersion:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("序号"), self.tr("名称"), self.tr("类别"), self.tr("数量"), self.tr("单位"),
                    self.tr("状况"), self.tr("箱号/标签"), self.tr("保管地点"), self.tr("照片"),
                    self.tr("版本"), self.tr("状态"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        v = self._rows[index.row()]
        if role == ITEM_ROLE:
            return v
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "no": str(v.item_no), "name": v.name, "category": v.category, "quantity": quantity_text(v.quantity),
                "unit": v.unit, "condition": v.condition, "label": v.label_no, "storage": v.storage_place,
                "photos": str(len(v.photo_sha256s)), "version": str(v.version),
                "state": state_label(self._states.get(v.item_no, COUNTED)),
            }[self.COLUMNS[index.column()]]
        if role == Qt.ItemDataRole.ToolTipRole and v.edit_reason:
            return self.tr("清点后修改：%1").replace("%1", v.edit_reason)
        return None
