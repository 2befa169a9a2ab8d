"""Repositories for evidence items, their seal records and the access log (migration 0004).

Like every repository they write with plain SQL inside the caller's transaction.
Nothing here updates a sealed column or deletes a row: the database refuses both.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, datetime
from functools import lru_cache

from app.domain import (
    EvidenceAccess,
    EvidenceItem,
    EvidenceSourceKind,
    EvidenceType,
    RetentionClass,
    SealRow,
)
from local_db.repositories import Repository


# Looked up once per row; the Enum constructor and JSON parsing are most of the cost of a
# large gallery or review queue, and many items share the same officers.
_EVIDENCE_TYPES = {t.value: t for t in EvidenceType}
_SOURCE_KINDS = {k.value: k for k in EvidenceSourceKind}
_RETENTION = {c.value: c for c in RetentionClass}


@lru_cache(maxsize=256)
def _str_tuple(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))


def evidence_item(r: dict) -> EvidenceItem:
    return EvidenceItem(
        sha256=r["sha256"], size=r["size"], media_type=r["media_type"],
        evidence_type=_EVIDENCE_TYPES[r["evidence_type"]],
        captured_at=datetime.fromisoformat(r["captured_at"]),
        ingested_at=datetime.fromisoformat(r["ingested_at"]),
        source_kind=_SOURCE_KINDS[r["source_kind"]], source_detail=r["source_detail"],
        officer_ids=_str_tuple(r["officer_ids"]), officer_certs=_str_tuple(r["officer_certs"]),
        seal_seq=r["seal_seq"] or 0, inspection_id=r["inspection_id"], original_name=r["original_name"],
        duration_ms=r["duration_ms"], derived_from=r["derived_from"], derivation=r["derivation"],
        retention_class=_RETENTION[r["retention_class"]],
        retain_until=date.fromisoformat(r["retain_until"]) if r["retain_until"] else None,
        case_id=r["case_id"],
    )


SELECT_ITEM = ("SELECT e.*, s.seq AS seal_seq FROM evidence e "
                "LEFT JOIN seal_records s ON s.sha256 = e.sha256")


class EvidenceRepository(Repository):
    """Evidence items. ``insert`` only; there is no update of sealed columns and no delete."""

    def insert(self, item: EvidenceItem) -> None:
        self._insert_all("evidence", [{
            "sha256": item.sha256, "size": item.size, "media_type": item.media_type,
            "evidence_type": item.evidence_type.value, "inspection_id": item.inspection_id,
            "officer_ids": json.dumps(list(item.officer_ids), ensure_ascii=False),
            "officer_certs": json.dumps(list(item.officer_certs), ensure_ascii=False),
            "captured_at": item.captured_at.isoformat(), "ingested_at": item.ingested_at.isoformat(),
            "source_kind": item.source_kind.value, "source_detail": item.source_detail,
            "original_name": item.original_name, "duration_ms": item.duration_ms,
            "derived_from": item.derived_from, "derivation": item.derivation,
            "retention_class": item.retention_class.value,
            "retain_until": item.retain_until.isoformat() if item.retain_until else None,
            "case_id": item.case_id,
        }])

    def get(self, sha256: str) -> EvidenceItem | None:
        for r in self._rows(SELECT_ITEM + " WHERE e.sha256 = ?", [sha256]):
            return evidence_item(r)
        return None

    def exists(self, sha256: str) -> bool:
        return any(self._rows("SELECT 1 AS x FROM evidence WHERE sha256 = ?", [sha256]))

    def hashes(self) -> set[str]:
        """The SHA-256 of every item, without building the items."""
        return {r["sha256"] for r in self._rows("SELECT sha256 FROM evidence")}

    def all(self) -> list[EvidenceItem]:
        return [evidence_item(r) for r in self._rows(SELECT_ITEM + " ORDER BY e.ingested_at, e.sha256")]

    def for_inspection(self, inspection_id: str) -> list[EvidenceItem]:
        return [evidence_item(r) for r in self._rows(
            SELECT_ITEM + " WHERE e.inspection_id = ? ORDER BY e.captured_at, e.sha256", [inspection_id])]

    def derived_from(self, sha256: str) -> list[EvidenceItem]:
        """Items made from the original ``sha256`` (stills, annotations, redactions)."""
        return [evidence_item(r) for r in self._rows(
            SELECT_ITEM + " WHERE e.derived_from = ? ORDER BY e.ingested_at, e.sha256", [sha256])]

    def with_name_and_size(self, original_name: str, size: int) -> set[str]:
        """SHA-256s of items imported under this file name with this size (likely re-imports)."""
        return {r["sha256"] for r in self._rows(
            "SELECT sha256 FROM evidence WHERE original_name = ? AND size = ?", [original_name, size])}

    def raw_rows(self) -> Iterator[dict]:
        """Rows as stored, for the verifier to compare with what was sealed."""
        return self._rows("SELECT * FROM evidence ORDER BY sha256")


class SealRepository(Repository):
    """Seal records, append-only (the database refuses UPDATE and DELETE)."""

    def last(self) -> SealRow | None:
        for r in self._rows("SELECT * FROM seal_records ORDER BY seq DESC LIMIT 1"):
            return self._row(r)
        return None

    def insert(self, row: SealRow) -> None:
        self._insert_all("seal_records", [{
            "seq": row.seq, "sha256": row.sha256, "record": row.record.decode("utf-8"),
            "signature": base64.b64encode(row.signature).decode("ascii"),
        }])

    def all(self) -> list[SealRow]:
        """Every stored row in ``seq`` column order, undecodable signatures as empty bytes."""
        return [self._row(r) for r in self._rows("SELECT * FROM seal_records ORDER BY seq")]

    def for_items(self, shas: list[str]) -> dict[str, SealRow]:
        """The seal rows of these items (a window of a list), by item."""
        out: dict[str, SealRow] = {}
        for start in range(0, len(shas), 500):
            part = shas[start:start + 500]
            for r in self._rows(f"SELECT * FROM seal_records WHERE sha256 IN ({','.join('?' * len(part))})", part):
                out[r["sha256"]] = self._row(r)
        return out

    @staticmethod
    def _row(r: dict) -> SealRow:
        try:
            signature = base64.b64decode(r["signature"], validate=True)
        except (ValueError, TypeError):
            signature = b""
        record = r["record"].encode("utf-8") if isinstance(r["record"], str) else bytes(r["record"])
        return SealRow(seq=r["seq"], sha256=r["sha256"], record=record, signature=signature)


class EvidenceAccessRepository(Repository):
    """The append-only log of exports and views of originals (R17)."""

    def insert(self, *, sha256: str, at: datetime, actor: str, action: str,
               destination: str = "", purpose: str = "") -> None:
        self._insert_all("evidence_access_log", [{
            "sha256": sha256, "at": at.isoformat(), "actor": actor, "action": action,
            "destination": destination, "purpose": purpose,
        }])

    def for_item(self, sha256: str) -> list[EvidenceAccess]:
        return [EvidenceAccess(id=r["id"], sha256=r["sha256"], at=datetime.fromisoformat(r["at"]),
                               actor=r["actor"], action=r["action"], destination=r["destination"],
                               purpose=r["purpose"])
                for r in self._rows("SELECT * FROM evidence_access_log WHERE sha256 = ? ORDER BY id", [sha256])]
