"""The client's sync state (migration 0009): bundles made, their items, receipts, rejections.

Plain SQL inside the caller's transaction, like every repository. Receipts and
rejections are append-only (the database refuses UPDATE and DELETE); of a bundle
only its ``state`` may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from app.domain import AuditEntry
from local_db.repositories import AuditRepository, Repository


class SyncRepository(Repository):
    def insert_bundle(self, row: dict[str, Any], items: Iterable[dict[str, Any]]) -> None:
        self._insert_all("sync_bundles", [row])
        self._insert_all("sync_bundle_items", ({"bundle_id": row["id"], **item} for item in items))

    def set_state(self, bundle_id: str, state: str) -> None:
        self.db.execute("UPDATE sync_bundles SET state = ? WHERE id = ?", [state, bundle_id])

    def bundle(self, bundle_id: str) -> dict | None:
        for r in self._rows("SELECT * FROM sync_bundles WHERE id = ?", [bundle_id]):
            return r
        return None

    def bundles(self) -> list[dict]:
        return list(self._rows("SELECT * FROM sync_bundles ORDER BY sequence"))

    def outstanding(self) -> dict | None:
        """The bundle made but not yet acknowledged or rejected (there is at most one)."""
        for r in self._rows("SELECT * FROM sync_bundles WHERE state = 'made' ORDER BY sequence DESC LIMIT 1"):
            return r
        return None

    def next_sequence(self) -> int:
        row = self.db.execute("SELECT COALESCE(MAX(sequence), 0) + 1 FROM sync_bundles").fetchone()
        return int(row[0])

    def items(self, bundle_id: str) -> list[dict]:
        return list(self._rows("SELECT * FROM sync_bundle_items WHERE bundle_id = ? ORDER BY kind, item_key",
                               [bundle_id]))

    def acknowledged_heads(self) -> tuple[int, int]:
        """The highest seal seq and audit seq HQ has acknowledged holding."""
        row = self.db.execute("SELECT COALESCE(MAX(seal_head), 0), COALESCE(MAX(audit_head), 0) "
                              "FROM sync_receipts").fetchone()
        return int(row[0]), int(row[1])

    def acknowledged_snapshots(self) -> dict[str, str]:
        """inspection id → SHA-256 of the latest acknowledged snapshot of its records."""
        rows = self._rows(
            "SELECT i.item_key, i.sha256 FROM sync_bundle_items i JOIN sync_bundles b ON b.id = i.bundle_id "
            "WHERE i.kind = 'inspection' AND b.state = 'acknowledged' ORDER BY b.sequence")
        return {r["item_key"]: r["sha256"] for r in rows}

    def insert_receipt(self, *, bundle_id: str, received_at: str, body: str, signature: str,
                       seal_head: int, audit_head: int) -> None:
        self._insert_all("sync_receipts", [{
            "bundle_id": bundle_id, "received_at": received_at, "body": body, "signature": signature,
            "seal_head": seal_head, "audit_head": audit_head}])

    def receipt(self, bundle_id: str) -> dict | None:
        for r in self._rows("SELECT * FROM sync_receipts WHERE bundle_id = ?", [bundle_id]):
            return r
        return None

    def insert_rejection(self, *, bundle_id: str, at: str, code: str, zh: str, en: str) -> None:
        self._insert_all("sync_rejections", [{"bundle_id": bundle_id, "at": at, "code": code,
                                              "message_zh": zh, "message_en": en}])

    def rejections(self, bundle_id: str | None = None) -> list[dict]:
        if bundle_id is None:
            return list(self._rows("SELECT * FROM sync_rejections ORDER BY id"))
        return list(self._rows("SELECT * FROM sync_rejections WHERE bundle_id = ? ORDER BY id", [bundle_id]))

    # --- what is not yet acknowledged -------------------------------------------------

    def seal_rows_after(self, seq: int, upto: int) -> Iterator[dict]:
        return self._rows("SELECT s.seq, s.sha256, s.record, s.signature, e.size FROM seal_records s "
                          "JOIN evidence e ON e.sha256 = s.sha256 WHERE s.seq > ? AND s.seq <= ? ORDER BY s.seq",
                          [seq, upto])

    def last_seal_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM seal_records").fetchone()[0])

    def last_audit_seq(self) -> int:
        return int(self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_log").fetchone()[0])

    def audit_entries_between(self, after: int, upto: int) -> Iterator[AuditEntry]:
        """Audit entries with ``after < seq <= upto``, in order."""
        for r in self._rows("SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq", [after, upto]):
            yield AuditRepository._entry(r)

    def audit_actions_after(self, seq: int) -> list[str]:
        return [r["action"] for r in self._rows("SELECT action FROM audit_log WHERE seq > ?", [seq])]

    def inspection_ids(self) -> list[str]:
        return [r["id"] for r in self._rows("SELECT id FROM inspections ORDER BY id")]

    def tables_with_inspection(self) -> list[tuple[str, str]]:
        """``(table, column)`` of every table that refers to an inspection, inspections first."""
        found = [("inspections", "id")]
        for name in self.db.table_names():
            if name.startswith(("sqlite_", "sync_")) or name == "inspections":
                continue
            columns = [r[1] for r in self.db.execute(f"PRAGMA table_info({name})")]
            if "inspection_id" in columns:
                found.append((name, "inspection_id"))
        return found

    def rows_for(self, table: str, column: str, inspection_id: str) -> list[dict]:
        cursor = self.db.execute(f"SELECT * FROM {table} WHERE {column} = ?", [inspection_id])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, (_plain(v) for v in row), strict=True)) for row in cursor]
        return sorted(rows, key=lambda r: [str(r[n]) for n in names])


def _plain(value: Any) -> Any:
    """A column value as JSON can carry it (BLOBs as lower-case hex)."""
    return value.hex() if isinstance(value, bytes | bytearray | memoryview) and not isinstance(value, str) \
        else value
