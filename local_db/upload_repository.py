"""Where each bundle upload to HQ stands (migration 0010): URL, confirmed offset, state.

Every write commits at once, in its own short transaction: the upload client runs
on a background thread with its own connection, and what it records must survive
the application being killed a moment later (the offset is what resumes it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from local_db.database import transaction
from local_db.repositories import Repository


@dataclass(frozen=True, slots=True)
class UploadRow:
    bundle_id: str
    server: str
    path: str
    size: int
    upload_url: str | None
    offset: int
    state: str
    attempts: int
    last_error: str | None
    started_at: str
    updated_at: str


class UploadRepository(Repository):
    """The ``sync_uploads`` table."""

    def get(self, bundle_id: str, server: str) -> UploadRow | None:
        for r in self._rows("SELECT * FROM sync_uploads WHERE bundle_id = ? AND server = ?", [bundle_id, server]):
            return UploadRow(**r)
        return None

    def all(self) -> list[UploadRow]:
        return [UploadRow(**r) for r in self._rows("SELECT * FROM sync_uploads ORDER BY started_at, bundle_id")]

    def start(self, bundle_id: str, server: str, path: str, size: int, now: datetime) -> UploadRow:
        """The row for this bundle and server, created (state ``sending``) when missing."""
        with transaction(self.db):
            self.db.execute(
                "INSERT INTO sync_uploads (bundle_id, server, path, size, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(bundle_id, server) DO NOTHING",
                [bundle_id, server, path, size, now.isoformat(), now.isoformat()])
        row = self.get(bundle_id, server)
        assert row is not None
        return row

    def _update(self, bundle_id: str, server: str, now: datetime, **fields: object) -> None:
        sets = ", ".join(f"{k} = ?" for k in fields)
        with transaction(self.db):
            self.db.execute(f"UPDATE sync_uploads SET {sets}, updated_at = ? WHERE bundle_id = ? AND server = ?",
                            [*fields.values(), now.isoformat(), bundle_id, server])

    def set_url(self, bundle_id: str, server: str, url: str | None, now: datetime) -> None:
        """Record the upload URL HQ created (or clear it when HQ no longer knows it)."""
        self._update(bundle_id, server, now, upload_url=url, offset=0)

    def set_offset(self, bundle_id: str, server: str, offset: int, now: datetime) -> None:
        """Record the offset HQ confirmed; a success clears the failure count."""
        self._update(bundle_id, server, now, offset=offset, attempts=0, last_error=None)

    def failed(self, bundle_id: str, server: str, error: str, now: datetime) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE sync_uploads SET attempts = attempts + 1, last_error = ?, updated_at = ? "
                "WHERE bundle_id = ? AND server = ?", [error, now.isoformat(), bundle_id, server])

    def set_state(self, bundle_id: str, server: str, state: str, now: datetime) -> None:
        self._update(bundle_id, server, now, state=state)
