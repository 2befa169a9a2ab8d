"""Repositories for evidence sources (migration 0006): body-camera assignments,
the camera files already taken in, and the reasons recorded for recording gaps (R16).

The record types live here because ``local_db`` may import nothing of ``app``
but ``app.domain``; they are plain frozen dataclasses like the domain types.
Writes are plain SQL inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from local_db.repositories import Repository


@dataclass(frozen=True, slots=True)
class CameraAssignment:
    """The officer who wears the body camera ``serial``."""

    serial: str
    officer_id: str
    label: str
    assigned_at: datetime
    assigned_by: str


@dataclass(frozen=True, slots=True)
class ImportedSource:
    """A camera file that was taken in: where it was, what it looked like, what it sealed as."""

    serial: str
    rel_path: str  # '/'-separated, relative to the volume root
    size: int
    mtime_ns: int
    sha256: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class GapReason:
    """Why an operation's recordings do not cover ``start``–``end`` (R16)."""

    id: int
    operation_ref: str
    start: datetime
    end: datetime
    reason: str
    recorded_by: str
    recorded_at: datetime


def _ts(value: datetime) -> str:
    # One fixed shape (always milliseconds) so that stored times sort as text.
    return value.isoformat(timespec="milliseconds")


class CameraAssignmentRepository(Repository):
    """Which officer wears which camera; one current assignment per serial."""

    def get(self, serial: str) -> CameraAssignment | None:
        for r in self._rows("SELECT * FROM camera_assignments WHERE serial = ?", [serial]):
            return self._assignment(r)
        return None

    def set(self, assignment: CameraAssignment) -> None:
        self._upsert("camera_assignments", {
            "serial": assignment.serial, "officer_id": assignment.officer_id, "label": assignment.label,
            "assigned_at": _ts(assignment.assigned_at), "assigned_by": assignment.assigned_by,
        }, pk="serial")

    def all(self) -> list[CameraAssignment]:
        return [self._assignment(r) for r in self._rows("SELECT * FROM camera_assignments ORDER BY serial")]

    @staticmethod
    def _assignment(r: dict) -> CameraAssignment:
        return CameraAssignment(serial=r["serial"], officer_id=r["officer_id"], label=r["label"],
                                assigned_at=datetime.fromisoformat(r["assigned_at"]),
                                assigned_by=r["assigned_by"])


class CameraImportRepository(Repository):
    """Camera files already taken in, append-only."""

    def record(self, source: ImportedSource) -> None:
        """Remember a file; recording the same file (path, size, time) twice is a no-op."""
        self.db.execute(
            "INSERT OR IGNORE INTO camera_imports (serial, rel_path, size, mtime_ns, sha256, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [source.serial, source.rel_path, source.size, source.mtime_ns, source.sha256,
             _ts(source.imported_at)])

    def fingerprints(self, serial: str) -> set[tuple[str, int, int]]:
        """(relative path, size, mtime_ns) of every file taken in from camera ``serial``."""
        return {(r["rel_path"], r["size"], r["mtime_ns"]) for r in self._rows(
            "SELECT rel_path, size, mtime_ns FROM camera_imports WHERE serial = ?", [serial])}

    def latest(self, serial: str, rel_path: str) -> ImportedSource | None:
        """The newest record of the file at ``rel_path`` on camera ``serial``."""
        for r in self._rows("SELECT * FROM camera_imports WHERE serial = ? AND rel_path = ? "
                            "ORDER BY id DESC LIMIT 1", [serial, rel_path]):
            return self._source(r)
        return None

    def for_serial(self, serial: str) -> list[ImportedSource]:
        return [self._source(r) for r in self._rows(
            "SELECT * FROM camera_imports WHERE serial = ? ORDER BY id", [serial])]

    @staticmethod
    def _source(r: dict) -> ImportedSource:
        return ImportedSource(serial=r["serial"], rel_path=r["rel_path"], size=r["size"],
                              mtime_ns=r["mtime_ns"], sha256=r["sha256"],
                              imported_at=datetime.fromisoformat(r["imported_at"]))


class GapReasonRepository(Repository):
    """Reasons for gaps in an operation's recordings (R16), append-only."""

    def insert(self, *, operation_ref: str, start: datetime, end: datetime, reason: str,
               recorded_by: str, recorded_at: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO recording_gap_reasons (operation_ref, gap_start, gap_end, reason, recorded_by, "
            "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
            [operation_ref, _ts(start), _ts(end), reason, recorded_by, _ts(recorded_at)])
        return int(cursor.lastrowid or 0)

    def for_operation(self, operation_ref: str) -> list[GapReason]:
        return [GapReason(id=r["id"], operation_ref=r["operation_ref"],
                          start=datetime.fromisoformat(r["gap_start"]), end=datetime.fromisoformat(r["gap_end"]),
                          reason=r["reason"], recorded_by=r["recorded_by"],
                          recorded_at=datetime.fromisoformat(r["recorded_at"]))
                for r in self._rows("SELECT * FROM recording_gap_reasons WHERE operation_ref = ? "
                                    "ORDER BY gap_start, id", [operation_ref])]

