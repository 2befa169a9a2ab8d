"""The review queue and the audit log as Qt table models, testable without a widget."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QT_TRANSLATE_NOOP
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QBrush, QColor, QPixmap

from app.audit import AuditProblem
from app.audit_words import SYSTEM, describe, is_refusal, raw
from app.domain import AuditEntry, ReviewDecisionKind
from app.review import QueueEntry
from ui.models.evidence_gallery import SealCheck, SealState, type_label
from ui.workers import emit

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
WINDOW = 64  # rows fetched at a time: about six screens; the first costs what a queue of 50 does
THUMB_SIZE = QSize(64, 48)
_Index = QModelIndex | QPersistentModelIndex


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


_STATE_TEXT = {
    None: QT_TRANSLATE_NOOP("ReviewQueueModel", "待审核"),
    ReviewDecisionKind.ANSWER: QT_TRANSLATE_NOOP("ReviewQueueModel", "已答复，待再审"),
    ReviewDecisionKind.APPROVE: QT_TRANSLATE_NOOP("ReviewQueueModel", "已通过"),
    ReviewDecisionKind.KEY: QT_TRANSLATE_NOOP("ReviewQueueModel", "关键证据"),
    ReviewDecisionKind.RETURN: QT_TRANSLATE_NOOP("ReviewQueueModel", "已退回"),
}
_SEAL_TEXT = {
    None: QT_TRANSLATE_NOOP("ReviewQueueModel", "校验中…"),
    SealState.SEALED: QT_TRANSLATE_NOOP("ReviewQueueModel", "封存完好"),
    SealState.VERIFIED: QT_TRANSLATE_NOOP("ReviewQueueModel", "已重新校验"),
    SealState.BROKEN: QT_TRANSLATE_NOOP("ReviewQueueModel", "封存异常"),
}
_SEAL_COLOURS = {SealState.SEALED: "#1b7f3b", SealState.VERIFIED: "#1b7f3b", SealState.BROKEN: "#b3261e"}

QUEUE_HEADERS = (
    QT_TRANSLATE_NOOP("ReviewQueueModel", "采集时间"),
    QT_TRANSLATE_NOOP("ReviewQueueModel", "证据种类"),
    QT_TRANSLATE_NOOP("ReviewQueueModel", "采集人"),
    QT_TRANSLATE_NOOP("ReviewQueueModel", "检查任务"),
    QT_TRANSLATE_NOOP("ReviewQueueModel", "审核状态"),
    QT_TRANSLATE_NOOP("ReviewQueueModel", "封存"),
)
COL_TIME, COL_TYPE, COL_OFFICERS, COL_INSPECTION, COL_STATE, COL_SEAL = range(6)


@dataclass(frozen=True, slots=True)
class QueueRow:
    entry: QueueEntry
    officer_names: tuple[str, ...] = ()
    seal: SealCheck | None = None


Fetch = Callable[[QueueEntry | None, int], Sequence[QueueEntry]]


class ReviewQueueModel(QAbstractTableModel):
    """One row per item awaiting review; thumbnails (a ThumbnailCache) decorate the first column.

    Given a source (:meth:`set_source`), rows are fetched a window at a time as the view
    scrolls (``canFetchMore``/``fetchMore``), so a queue of 50,000 opens like one of 50.
    """

    fetched = Signal(list)  # the entries of a window just added

    def __init__(self, parent: Any = None, thumbnails: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[QueueRow] = []
        self._index: dict[str, int] = {}
        self._small_pixmaps: dict[str, QPixmap] = {}
        self._seals: dict[str, SealCheck] = {}  # checks kept across reloads, until re-checked
        self._fetch: Fetch | None = None
        self._total = 0
        self._exhausted = True
        self._names: Mapping[str, str] = {}
        self.thumbnails = thumbnails
        self.generation = 0  # counts resets: a background result for an earlier list is dropped

    def set_source(self, fetch: Fetch, total: int, names: Mapping[str, str]) -> None:
        """Show the queue ``fetch(after, limit)`` pages through (``total`` items) from its first window."""
        self.beginResetModel()
        self.generation += 1
        self._fetch, self._total, self._names, self._exhausted = fetch, total, names, False
        self._rows, self._index = [], {}
        self.endResetModel()
        self.fetchMore()

    @property
    def total(self) -> int:
        """The number of items in the queue, loaded or not."""
        return self._total if self._fetch is not None else len(self._rows)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return (not parent.isValid() and self._fetch is not None and not self._exhausted
                and len(self._rows) < self._total)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        page = list(self._fetch(self._rows[-1].entry if self._rows else None, WINDOW))
        self._exhausted = len(page) < WINDOW
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for n, e in enumerate(page, first):
            sha = e.item.sha256
            self._rows.append(QueueRow(e, tuple(self._names.get(o, o) for o in e.item.officer_ids),
                                       self._seals.get(sha)))
            self._index[sha] = n
        self.endInsertRows()
        self.fetched.emit(page)

    def set_thumbnails(self, thumbnails: Any) -> None:
        self.thumbnails = thumbnails
        thumbnails.ready.connect(self.thumbnail_ready)

    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        """Show exactly ``rows`` (no fetching)."""
        known = self._seals
        self.beginResetModel()
        self.generation += 1
        self._fetch, self._exhausted = None, True
        self._rows = [replace(r, seal=known[r.entry.item.sha256])
                      if r.seal is None and r.entry.item.sha256 in known else r for r in rows]
        self._index = {r.entry.item.sha256: n for n, r in enumerate(self._rows)}
        self.endResetModel()

    def row_at(self, row: int) -> QueueRow:
        return self._rows[row]

    def row_of(self, sha256: str) -> int | None:
        return self._index.get(sha256)

    def set_seals(self, checks: Mapping[str, SealCheck]) -> None:
        self._seals.update(checks)
        changed = [n for n in map(self._index.get, checks) if n is not None]
        for n in changed:
            self._rows[n] = replace(self._rows[n], seal=self._seals[self._rows[n].entry.item.sha256])
        if changed:
            emit(self.dataChanged, self.index(min(changed), COL_SEAL), self.index(max(changed), COL_SEAL))

    def _small(self, item: Any) -> QPixmap | None:
        """The thumbnail at row size (a delegate draws a pixmap at its own size), made once."""
        small = self._small_pixmaps.get(item.sha256)
        if small is None and self.thumbnails is not None:
            full = self.thumbnails.pixmap(item)
            if full is not None:
                small = full.scaled(THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                    Qt.TransformationMode.SmoothTransformation)
                self._small_pixmaps[item.sha256] = small
        return small

    def thumbnail_ready(self, sha256: str) -> None:
        n = self._index.get(sha256)
        if n is not None:
            index = self.index(n, COL_TIME)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(QUEUE_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr("ReviewQueueModel", QUEUE_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        item, col = row.entry.item, index.column()
        if role == ENTRY_ROLE:
            return row.entry
        if role == Qt.ItemDataRole.DecorationRole and col == COL_TIME:
            # Asked only for rows being painted: thumbnails load as the view scrolls.
            return self._small(item)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SEAL and row.seal is not None:
            return QBrush(QColor(_SEAL_COLOURS[row.seal.state]))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [item.original_name, f"SHA-256 {item.sha256}"]
            if row.entry.latest is not None and row.entry.latest.comment:
                lines.append(row.entry.latest.comment)
            if row.seal is not None:
                lines += row.seal.describe()
            return "\n".join(filter(None, lines))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        latest = row.entry.latest.decision if row.entry.latest else None
        return (
            f"{item.captured_at:%Y-%m-%d %H:%M}",
            type_label(item.evidence_type),
            "、".join(row.officer_names) or "、".join(item.officer_ids),
            item.inspection_id or "—",
            _tr("ReviewQueueModel", _STATE_TEXT[latest]),
            _tr("ReviewQueueModel", _SEAL_TEXT[row.seal.state if row.seal else None]),
        )[col]


AUDIT_HEADERS = (
    QT_TRANSLATE_NOOP("AuditTableModel", "序号"),
    QT_TRANSLATE_NOOP("AuditTableModel", "时间"),
    QT_TRANSLATE_NOOP("AuditTableModel", "人员"),
    QT_TRANSLATE_NOOP("AuditTableModel", "记录"),
)
REFUSALS = "@refusals"  # the action filter that keeps only refused acts (app.audit_words.is_refusal)


class AuditTableModel(QAbstractTableModel):
    """The audit log, newest first, filtered by actor, action, date range and target.

    Each entry reads as a sentence (``app.audit_words.describe``) in the interface
    language; its raw form (action, target, detail) is the tooltip and :meth:`raw_at`.
    Entries named by the chain check (``app.audit.verify``) are shown in red.
    """

    def __init__(self, parent: Any = None, language: str = "zh") -> None:
        super().__init__(parent)
        self.language = language
        self._names: dict[str, str] = {}
        self._all: list[AuditEntry] = []
        self._shown: list[AuditEntry] = []
        self._problems: dict[int, str] = {}
        self._filters: dict[str, Any] = {"actor": "", "action": "", "start": None, "end": None, "target": ""}

    def set_entries(self, entries: Sequence[AuditEntry], problems: Sequence[AuditProblem] = (),
                    names: dict[str, str] | None = None) -> None:
        """``names``: person id → name, for the sentences."""
        self._names = dict(names or {})
        self._all = sorted(entries, key=lambda e: -e.seq)
        self._problems = {}
        for p in problems:
            self._problems[p.seq] = ", ".join(filter(None, [self._problems.get(p.seq), p.problem]))
        self._apply()

    def set_filters(self, *, actor: str | None = None, action: str | None = None, start: date | None = None,
                    end: date | None = None, target: str | None = None) -> None:
        """Narrow the rows; ``action`` matches a prefix ("review." for every review decision),
        or is :data:`REFUSALS` for the refused acts only."""
        self._filters.update(actor=(actor or "").strip(), action=(action or "").strip(), start=start, end=end,
                             target=(target or "").strip().casefold())
        self._apply()

    def actors(self) -> list[str]:
        return sorted({e.actor for e in self._all})

    def actions(self) -> list[str]:
        return sorted({e.action for e in self._all})

    def entry_at(self, row: int) -> AuditEntry:
        return self._shown[row]

    def sentence_at(self, row: int) -> str:
        return describe(self._shown[row], self.language, self._names)

    def raw_at(self, row: int) -> str:
        return raw(self._shown[row])

    def problem_of(self, seq: int) -> str | None:
        return self._problems.get(seq)

    def _apply(self) -> None:
        f = self._filters
        self.beginResetModel()
        self._shown = [
            e for e in self._all
            if (not f["actor"] or e.actor == f["actor"])
            and (not f["action"] or (is_refusal(e) if f["action"] == REFUSALS else e.action.startswith(f["action"])))
            and (f["start"] is None or e.at.date() >= f["start"])
            and (f["end"] is None or e.at.date() <= f["end"])
            and (not f["target"] or f["target"] in e.target.casefold())
        ]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(AUDIT_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr("AuditTableModel", AUDIT_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        e = self._shown[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and e.seq in self._problems:
            return QBrush(QColor("#b3261e"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(filter(None, [self._problems.get(e.seq), raw(e)]))
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.column() == 3:
            return describe(e, self.language, self._names)
        who = self._names.get(e.actor) or (SYSTEM[self.language] if e.actor == "system" else e.actor)
        return (str(e.seq), f"{e.at:%Y-%m-%d %H:%M:%S}", who)[index.column()]
