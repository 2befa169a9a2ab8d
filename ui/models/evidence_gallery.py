"""The sealed evidence items as a Qt list model with roles, and its filter, tested without widgets.

Each row also carries the state of its seal: the quick check (the seal record's
signature, the record agreeing with the item, the stored file present with the
sealed size) and, on demand, a full re-hash of the original. Problems use the
kinds and texts of ``app.evidence.verify`` so a tile and ``fieldinspect verify``
speak the same language.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QT_TRANSLATE_NOOP,
)

from app.crypto import copy_hashing
from app.device import DevicePublicKey
from app.domain import EvidenceItem, EvidenceType, SealRow
from app.evidence.seal import SEAL_FIELDS, SEAL_FORMAT, item_fields, record_bytes
from app.crypto.filecrypt import FileCryptError, MasterKeyLocked, ciphertext_size
from app.evidence.store import EvidenceStore
from app.evidence.verify import Problem
from ui.workers import emit

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1  # the EvidenceItem
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the GalleryRow
SEAL_ROLE = Qt.ItemDataRole.UserRole + 3  # SealCheck | None (not checked yet)
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4  # all searchable text, case-folded
TYPE_ROLE = Qt.ItemDataRole.UserRole + 5  # the EvidenceType value ("documentary"; Qt passes a str)
OFFICERS_ROLE = Qt.ItemDataRole.UserRole + 6  # tuple of officer ids
INSPECTION_ROLE = Qt.ItemDataRole.UserRole + 7  # inspection id or None
TIME_TEXT_ROLE = Qt.ItemDataRole.UserRole + 8  # capture time as shown on the tile
TYPE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 9  # the statutory type name, translated
OFFICER_TEXT_ROLE = Qt.ItemDataRole.UserRole + 10  # officer names

# The eight statutory names of 行政处罚法 §46 (R15), marked for translation.
_TYPE_LABELS = {
    EvidenceType.DOCUMENTARY: QT_TRANSLATE_NOOP("EvidenceType", "书证"),
    EvidenceType.PHYSICAL: QT_TRANSLATE_NOOP("EvidenceType", "物证"),
    EvidenceType.AUDIOVISUAL: QT_TRANSLATE_NOOP("EvidenceType", "视听资料"),
    EvidenceType.ELECTRONIC_DATA: QT_TRANSLATE_NOOP("EvidenceType", "电子数据"),
    EvidenceType.WITNESS_TESTIMONY: QT_TRANSLATE_NOOP("EvidenceType", "证人证言"),
    EvidenceType.PARTY_STATEMENT: QT_TRANSLATE_NOOP("EvidenceType", "当事人的陈述"),
    EvidenceType.EXPERT_OPINION: QT_TRANSLATE_NOOP("EvidenceType", "鉴定意见"),
    EvidenceType.INSPECTION_RECORD: QT_TRANSLATE_NOOP("EvidenceType", "勘验笔录、现场笔录"),
}
_TYPE_ORDER = {t: n for n, t in enumerate(EvidenceType)}


def type_label(kind: EvidenceType) -> str:
    """The statutory name of an evidence type in the interface language (R15)."""
    return QCoreApplication.translate("EvidenceType", _TYPE_LABELS[kind])


# --- seal state ------------------------------------------------------------------

class SealState(enum.StrEnum):
    SEALED = "sealed"  # signature, record and stored size check out
    VERIFIED = "verified"  # and a full re-hash of the original matched its seal
    BROKEN = "broken"  # at least one problem


@dataclass(frozen=True, slots=True)
class SealCheck:
    """The outcome of checking one item's seal; ``rehashed`` when the file was read through."""

    sha256: str
    state: SealState
    problems: tuple[Problem, ...] = ()
    rehashed: bool = False

    def describe(self, language: str = "zh") -> list[str]:
        """One line per problem, in the verifier's words."""
        return [p.describe(language) for p in self.problems]


def check_seal(item: EvidenceItem, row: SealRow | None, key: DevicePublicKey | None,
               store: EvidenceStore) -> SealCheck:
    """The quick check of one item: seal record and signature, stored file and size.

    Reads no file content; a full re-hash is :func:`rehash_steps`.
    """
    problems = _record_problems(item, row, key)
    sealed_size = _sealed_size(item, row)
    path = store.path_for(item.sha256)
    try:
        stored_size = path.stat().st_size
    except OSError:
        problems.append(Problem("missing-file", item.seal_seq or None, item.sha256, str(path)))
    else:
        # The file is stored encrypted: its length follows from the sealed plaintext length.
        if stored_size != ciphertext_size(sealed_size):
            problems.append(Problem("altered-file", item.seal_seq or None, item.sha256,
                                    f"now {stored_size} bytes stored; sealed {sealed_size} bytes"))
    return SealCheck(item.sha256, SealState.BROKEN if problems else SealState.SEALED, tuple(problems))


def rehash_steps(item: EvidenceItem, row: SealRow | None, key: DevicePublicKey | None,
                 store: EvidenceStore) -> Generator[int, None, SealCheck]:
    """The quick check, then the original read through and hashed; yields bytes done."""
    quick = check_seal(item, row, key, store)
    if any(p.kind == "missing-file" for p in quick.problems):
        return replace(quick, rehashed=True)
    try:
        with store.open(item.sha256) as fh:
            digest, size = yield from copy_hashing(fh, None)
    except FileCryptError as exc:
        if isinstance(exc, MasterKeyLocked):
            raise
        digest, size = "", 0  # altered, cut, or not encrypted: it matches no seal
    problems = [p for p in quick.problems if p.kind != "altered-file"]
    if (digest, size) != (item.sha256, _sealed_size(item, row)):
        problems.append(Problem("altered-file", item.seal_seq or None, item.sha256,
                                f"now {size} bytes, SHA-256 {digest[:16]}…; sealed {_sealed_size(item, row)} bytes"))
    state = SealState.BROKEN if problems else SealState.VERIFIED
    return SealCheck(item.sha256, state, tuple(problems), rehashed=True)


def check_all(items: Sequence[EvidenceItem], rows: Mapping[str, SealRow], key: DevicePublicKey | None,
              store: EvidenceStore) -> dict[str, SealCheck]:
    """Quick checks of many items (run in a worker: one signature and one stat each)."""
    return {i.sha256: check_seal(i, rows.get(i.sha256), key, store) for i in items}


def _sealed_size(item: EvidenceItem, row: SealRow | None) -> int:
    try:
        return int(json.loads(row.record)["size"]) if row is not None else item.size
    except (ValueError, KeyError, TypeError):
        return item.size


def _record_problems(item: EvidenceItem, row: SealRow | None, key: DevicePublicKey | None) -> list[Problem]:
    seq = item.seal_seq or None
    if row is None:
        return [Problem("unsealed-item", sha256=item.sha256)]
    if key is None:
        return [Problem("missing-public-key", seq, item.sha256)]
    try:
        record = json.loads(row.record.decode("utf-8"))
        well_formed = (isinstance(record, dict) and set(record) == set(SEAL_FIELDS)
                       and record["format"] == SEAL_FORMAT and record_bytes(record) == row.record)
    except (UnicodeDecodeError, ValueError):
        record, well_formed = None, False
    problems: list[Problem] = []
    differing = [k for k, v in item_fields(item).items() if record.get(k) != v] if well_formed else []
    if not key.verify(row.signature, row.record):
        # Without the chain we cannot tell an edited record from a bad signature
        # by the bytes alone; a record that disagrees with the item was edited.
        kind = "altered-record" if differing or not well_formed else "bad-signature"
        problems.append(Problem(kind, seq, item.sha256, ", ".join(differing)))
    elif not well_formed:
        problems.append(Problem("malformed-record", seq, item.sha256))
    else:
        if differing:
            problems.append(Problem("record-mismatch", seq, item.sha256, "fields: " + ", ".join(differing)))
        if record["device_id"] != key.device_id:
            problems.append(Problem("wrong-device", seq, item.sha256, f"{record['device_id']} ≠ {key.device_id}"))
    return problems


# --- the model -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GalleryRow:
    """An item with what its tile shows beside it."""

    item: EvidenceItem
    officer_names: tuple[str, ...] = ()
    inspection_label: str = ""  # "JC-2026-1101 清河…", empty when not linked
    seal: SealCheck | None = None

    def search_text(self) -> str:
        i = self.item
        parts = [i.original_name, i.sha256, i.source_detail, i.inspection_id or "", self.inspection_label,
                 i.evidence_type.label, type_label(i.evidence_type), *self.officer_names, *i.officer_certs,
                 i.captured_at.strftime("%Y-%m-%d %H:%M"), i.media_type]
        return " ".join(parts).casefold()


class EvidenceGalleryModel(QAbstractListModel):
    """One row per sealed item; ``thumbnails`` (a ThumbnailCache) feeds the decoration."""

    def __init__(self, parent: Any = None, thumbnails: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[GalleryRow] = []
        self._index: dict[str, int] = {}
        self.thumbnails = thumbnails
        if thumbnails is not None:
            thumbnails.ready.connect(self._thumbnail_ready)

    def set_rows(self, rows: Sequence[GalleryRow]) -> None:
        """Replace all rows, keeping seal checks already made for the same items."""
        known = {r.item.sha256: r.seal for r in self._rows}
        self.beginResetModel()
        self._rows = [r if r.seal is not None else replace(r, seal=known.get(r.item.sha256)) for r in rows]
        self._index = {r.item.sha256: n for n, r in enumerate(self._rows)}
        self.endResetModel()

    def row_at(self, row: int) -> GalleryRow:
        return self._rows[row]

    def row_of(self, sha256: str) -> int | None:
        return self._index.get(sha256)

    def items(self) -> list[EvidenceItem]:
        return [r.item for r in self._rows]

    def set_seals(self, checks: Mapping[str, SealCheck]) -> None:
        """Store seal checks (from a worker) and repaint their tiles."""
        for sha, check in checks.items():
            n = self._index.get(sha)
            if n is None:
                continue
            # A quick check never hides the outcome of a full one made earlier.
            old = self._rows[n].seal
            if old is not None and old.rehashed and not check.rehashed and old.state is not SealState.BROKEN:
                continue
            self._rows[n] = replace(self._rows[n], seal=check)
            index = self.index(n)
            emit(self.dataChanged, index, index, [SEAL_ROLE])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        item = row.item
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.captured_at:%Y-%m-%d %H:%M} {type_label(item.evidence_type)}"
        if role == Qt.ItemDataRole.DecorationRole:
            # Asked only for tiles being painted: this is what makes loading lazy.
            return self.thumbnails.pixmap(item) if self.thumbnails is not None else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(filter(None, [item.original_name, row.inspection_label,
                                           "、".join(row.officer_names), f"SHA-256 {item.sha256}"]))
        return {
            ITEM_ROLE: lambda: item, ROW_ROLE: lambda: row, SEAL_ROLE: lambda: row.seal,
            SEARCH_ROLE: row.search_text, TYPE_ROLE: lambda: item.evidence_type.value,
            OFFICERS_ROLE: lambda: item.officer_ids, INSPECTION_ROLE: lambda: item.inspection_id,
            TIME_TEXT_ROLE: lambda: f"{item.captured_at:%Y-%m-%d %H:%M}",
            TYPE_TEXT_ROLE: lambda: type_label(item.evidence_type),
            OFFICER_TEXT_ROLE: lambda: "、".join(row.officer_names) or "、".join(item.officer_certs),
        }.get(role, lambda: None)()

    def _thumbnail_ready(self, sha256: str) -> None:
        n = self._index.get(sha256)
        if n is not None:
            index = self.index(n)
            emit(self.dataChanged, index, index, [Qt.ItemDataRole.DecorationRole])


# Sort keys: name → (value of a row, default order).
SORT_KEYS: dict[str, Any] = {
    "captured": lambda r: r.item.captured_at.timestamp(),
    "ingested": lambda r: r.item.ingested_at.timestamp(),
    "type": lambda r: (_TYPE_ORDER[r.item.evidence_type], r.item.captured_at.timestamp()),
    "size": lambda r: r.item.size,
}
ALL = None  # filter value: no restriction
UNLINKED = ""  # inspection filter value: items linked to no inspection


class EvidenceFilterModel(QSortFilterProxyModel):
    """Filters by inspection, type, officer and text; sorts by a named key."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.inspection: str | None = ALL
        self.evidence_type: EvidenceType | None = ALL
        self.officer: str | None = ALL
        self.search = ""
        self.sort_key = "captured"
        self.setDynamicSortFilter(True)
        self.sort(0, Qt.SortOrder.DescendingOrder)  # newest first until told otherwise

    def set_inspection(self, inspection_id: str | None) -> None:
        """``ALL`` (None), ``UNLINKED`` ("") or an inspection id."""
        self.set_filters(inspection=inspection_id)

    def set_evidence_type(self, kind: EvidenceType | str | None) -> None:
        self.set_filters(evidence_type=kind)

    def set_officer(self, officer_id: str | None) -> None:
        self.set_filters(officer=officer_id)

    def set_search(self, text: str) -> None:
        # Plain text, every word must occur: officers type names and codes, not patterns.
        self.set_filters(search=text)

    def set_filters(self, **values: Any) -> None:
        """Change several filters with one re-filtering (``inspection``, ``evidence_type``, ``officer``, ``search``)."""
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.9+; invalidateFilter before
        if begin is not None:
            begin()
        if "inspection" in values:
            self.inspection = values["inspection"]
        if "evidence_type" in values:
            # Through a combo box's data an enum arrives as its plain value.
            kind = values["evidence_type"]
            self.evidence_type = EvidenceType(kind) if kind is not None else None
        if "officer" in values:
            self.officer = values["officer"]
        if "search" in values:
            self.search = values["search"].strip().casefold()
        if begin is not None:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateFilter()

    def sort_by(self, key: str, order: Qt.SortOrder = Qt.SortOrder.DescendingOrder) -> None:
        """Sort by one of :data:`SORT_KEYS`."""
        if key not in SORT_KEYS:
            raise ValueError(f"unknown sort key {key!r}")
        self.sort_key = key
        self.invalidate()
        self.sort(0, order)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, EvidenceGalleryModel):
            return True
        row = model.row_at(source_row)
        item = row.item
        if self.inspection is not ALL and (item.inspection_id or UNLINKED) != self.inspection:
            return False
        if self.evidence_type is not ALL and item.evidence_type != self.evidence_type:
            return False
        if self.officer is not ALL and self.officer not in item.officer_ids:
            return False
        if self.search:
            text = row.search_text()
            return all(word in text for word in self.search.split())
        return True

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        key = SORT_KEYS[self.sort_key]
        a, b = model.row_at(left.row()), model.row_at(right.row())  # type: ignore[attr-defined]
        return (key(a), a.item.sha256) < (key(b), b.item.sha256)

    def item_at(self, proxy_row: int) -> EvidenceItem:
        """The item shown at a row of this proxy."""
        return self.index(proxy_row, 0).data(ITEM_ROLE)
