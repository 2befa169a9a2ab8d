"""The Review page's overdue recordings (R18) as a table: what, officer, camera, how late, the task.

The last column is left for the row's action (import from the camera, or mark as
reminded), which the page puts there as a button.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt

from app.overdue import OverdueFlag, OverdueKind
from ui.models.rows_table import Index, RowsTable

CONTEXT = "OverdueTable"


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def how_late(late: timedelta) -> str:
    """``3 小时`` below a day, ``2 天 5 小时`` above; at least one hour is said as minutes."""
    minutes = int(late.total_seconds() // 60)
    if minutes < 60:
        return _tr(QT_TRANSLATE_NOOP("OverdueTable", "%1 分钟")).replace("%1", str(minutes))
    hours = minutes // 60
    if hours < 24:
        return _tr(QT_TRANSLATE_NOOP("OverdueTable", "%1 小时")).replace("%1", str(hours))
    return _tr(QT_TRANSLATE_NOOP("OverdueTable", "%1 天 %2 小时")).replace("%1", str(hours // 24)).replace("%2", str(hours % 24))


class OverdueTableModel(RowsTable):
    CONTEXT = CONTEXT
    HEADERS = (QT_TRANSLATE_NOOP("OverdueTable", "情况"), QT_TRANSLATE_NOOP("OverdueTable", "执法人员"),
               QT_TRANSLATE_NOOP("OverdueTable", "执法记录仪"), QT_TRANSLATE_NOOP("OverdueTable", "逾期"),
               QT_TRANSLATE_NOOP("OverdueTable", "检查任务"), QT_TRANSLATE_NOOP("OverdueTable", "处理"))
    ACTION_COLUMN = 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._names: dict[str, str] = {}
        self._now = datetime.now().astimezone()
        self._reminded: dict[str, datetime] = {}

    def set_flags(self, flags: list[OverdueFlag], now: datetime, names: dict[str, str],
                  reminded: dict[str, datetime]) -> None:
        self._now, self._names, self._reminded = now, dict(names), dict(reminded)
        self.set_rows(flags)

    def flag_at(self, row: int) -> OverdueFlag:
        return self.row_at(row)

    def reminded_at(self, row: int) -> datetime | None:
        return self._reminded.get(self.row_at(row).ref)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role == Qt.ItemDataRole.ToolTipRole:  # what identifies the recording, and its times
            f = self.row_at(index.row())
            return (f"{f.ref}\n" + _tr(QT_TRANSLATE_NOOP("OverdueTable", "录制于 %1，期限 %2")).replace("%1", f"{f.recorded_at:%Y-%m-%d %H:%M}")
                    .replace("%2", f"{f.deadline:%Y-%m-%d %H:%M}"))
        return super().data(index, role)

    def cell(self, f: OverdueFlag, column: int) -> str:
        if column == 0:
            return _tr(QT_TRANSLATE_NOOP("OverdueTable", "未同步至总部")) if f.kind is OverdueKind.NOT_SYNCED else _tr(QT_TRANSLATE_NOOP("OverdueTable", "仍在记录仪上，未导入"))
        if column == 1:
            return "、".join(self._names.get(o, o) for o in f.officer_ids) or "—"
        if column == 2:
            return f.camera or "—"
        if column == 3:
            return how_late(f.late_by(self._now))
        if column == 4:
            return f.inspection_id or _tr(QT_TRANSLATE_NOOP("OverdueTable", "未关联任务"))
        return ""
