"""The inspection list as a Qt table model, testable without any widget."""

from __future__ import annotations

import re

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QT_TRANSLATE_NOOP,
)
from PySide6.QtGui import QBrush, QColor

from app.domain import CreditGrade, InspectionOverview, InspectionStatus, ListStatus
from ui.labels import label

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a raw value that sorts correctly (dates, grades)
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the InspectionOverview behind the row
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # all searchable text of the row

_Index = QModelIndex | QPersistentModelIndex


def _staff(row: InspectionOverview) -> str:
    text = "、".join(row.officer_names)
    if row.assistant_names:
        text += "（" + "、".join(row.assistant_names) + "）"
    return text


_PLACE_PREFIX = re.compile(r"^(?:\w{1,6}?市)?(?:\w{1,6}?[区县])?")


def short_subject_name(name: str) -> str:
    """The name an officer tells subjects apart by: the city and district prefix dropped
    ("清河市西城区味之源餐饮店" → "味之源餐饮店"); a name that is only a place stays whole."""
    rest = _PLACE_PREFIX.sub("", name, count=1)
    return rest if len(rest) >= 2 else name


def _credit(row: InspectionOverview) -> str:
    if row.list_status is ListStatus.NONE:
        return row.credit_grade.value
    return f"{row.credit_grade.value} · {label(row.list_status)}"


# (header, display value, sort value). Headers are marked for lupdate.
COLUMNS: tuple[tuple[str, Callable[[InspectionOverview], str], Callable[[InspectionOverview], Any]], ...] = (
    (QT_TRANSLATE_NOOP("InspectionTableModel", "任务编号"), lambda r: r.id, lambda r: r.id),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "检查对象"), lambda r: short_subject_name(r.subject_name),
     lambda r: r.subject_name),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "信用/名单"), _credit, lambda r: r.credit_grade.value + r.list_status.value),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "来源"), lambda r: label(r.source), lambda r: r.source.value),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "计划时间"),
     lambda r: r.scheduled_at.strftime("%Y-%m-%d %H:%M"), lambda r: r.scheduled_at.isoformat()),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "执法人员"), _staff, _staff),
    (QT_TRANSLATE_NOOP("InspectionTableModel", "状态"), lambda r: label(r.status), lambda r: r.status.value),
)
COL_SUBJECT, COL_CREDIT, COL_STATUS = 1, 2, 6

_GRADE_COLOURS = {
    CreditGrade.A: "#1b7f3b", CreditGrade.B: "#2a6fb0", CreditGrade.C: "#b26a00", CreditGrade.D: "#b3261e",
}


class InspectionTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[InspectionOverview] = []

    def set_rows(self, rows: Sequence[InspectionOverview]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> InspectionOverview:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("InspectionTableModel", COLUMNS[section][0])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[column][1](row)
        if role == SORT_ROLE:
            return COLUMNS[column][2](row)
        if role == ROW_ROLE:
            return row
        if role == SEARCH_ROLE:
            return " ".join(
                [c[1](row) for c in COLUMNS] + [row.subject_name, row.subject_uscc or "", row.place, row.source_ref or ""]
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COL_CREDIT:
                if row.list_status is ListStatus.BLACK:
                    return QBrush(QColor("#b3261e"))
                return QBrush(QColor(_GRADE_COLOURS[row.credit_grade]))
            if column == COL_STATUS and row.status is InspectionStatus.CLOSED:
                return QBrush(QColor("#6b6b6b"))
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_SUBJECT:
            return "\n".join(filter(None, [row.subject_name, row.subject_uscc, row.place]))
        return None


class InspectionFilterModel(QSortFilterProxyModel):
    """Sorts by the raw values and matches the search text anywhere in a row."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(SEARCH_ROLE)
        self.setFilterKeyColumn(0)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_search(self, text: str) -> None:
        # Plain text, not a pattern: officers type names and codes, not regexes.
        self.setFilterFixedString(text.strip())
