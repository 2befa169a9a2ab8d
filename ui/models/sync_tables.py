"""The Sync page's tables: bundles HQ acknowledged, and HQ's rejections with its reason."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ui.models.rows_table import RowsTable


def _tr(text: str) -> str:
    return QCoreApplication.translate("SyncTables", text)


def megabytes(n: int | None) -> str:
    """A size for people: kB below a megabyte, MB below a gigabyte, then GB."""
    if n is None:
        return "—"
    if n < 1_000_000:
        return f"{n / 1e3:.0f} kB"
    if n < 1_000_000_000:
        return f"{n / 1e6:.1f} MB"
    return f"{n / 1e9:.2f} GB"


def _when(iso: str | None) -> str:
    return (iso or "—")[:16].replace("T", " ")


class _Rows(RowsTable):
    CONTEXT = "SyncTables"

    def cell(self, row: dict, column: int) -> str:
        raise NotImplementedError


class ReceiptsModel(_Rows):
    """Bundles HQ acknowledged with a verified receipt, newest first."""

    HEADERS = (QT_TRANSLATE_NOOP("SyncTables", "批次"), QT_TRANSLATE_NOOP("SyncTables", "序号"),
               QT_TRANSLATE_NOOP("SyncTables", "大小"), QT_TRANSLATE_NOOP("SyncTables", "回执时间"))

    def cell(self, row: dict, column: int) -> str:
        return [row["id"], str(row["sequence"]), megabytes(row["size"]), _when(row.get("received_at"))][column]


class RejectionsModel(_Rows):
    """HQ's refusals: the bundle, when, the stable code and the reason in the UI language."""

    HEADERS = (QT_TRANSLATE_NOOP("SyncTables", "批次"), QT_TRANSLATE_NOOP("SyncTables", "时间"),
               QT_TRANSLATE_NOOP("SyncTables", "代码"), QT_TRANSLATE_NOOP("SyncTables", "总部给出的原因"))

    def __init__(self, language: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.language = language

    def cell(self, row: dict, column: int) -> str:
        reason = row["message_en"] if self.language.startswith("en") else row["message_zh"]
        return [row["bundle_id"], _when(row["at"]), row["code"], reason][column]
