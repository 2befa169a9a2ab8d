"""The gate: the small encrypted database a device reads before anyone has signed in.

``<data>/device/gate.sqlite`` is SQLCipher 4, keyed from the operating system's key
store alone (``app.custody``), so it opens on this machine and nowhere else. It
holds what the sign-in page needs and nothing more: the roster cards (name, role,
certificate state), each person's PIN wrap of the device master key (Argon2id salt
and cost, the wrapped key), the wrong-PIN back-off, the latest time the device has
seen, the wrapped database and device keys, and audit entries made while the main
database is locked (wrong PINs at a cold start), which move into the main audit log
at the next unlock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from local_db.crashpoints import point
from local_db.errors import UserFacingError

GATE_FILENAME = "gate.sqlite"
GATE_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS people (id TEXT PRIMARY KEY, card TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pin_wraps (
    person_id   TEXT PRIMARY KEY,
    salt        BLOB NOT NULL,
    kdf         TEXT NOT NULL,      -- JSON: Argon2id time, memory (KiB), lanes
    wrapped     BLOB NOT NULL,      -- the master key, wrapped by the PIN's key
    digits      INTEGER NOT NULL,   -- length of the PIN: shorter than the minimum must change
    set_at      TEXT NOT NULL,
    set_by      TEXT NOT NULL
);
-- Wrong PINs in a row, and what is left of the lock, counted on the boot clock
-- (which no one can set) rather than the wall clock.
CREATE TABLE IF NOT EXISTS attempts (
    person_id   TEXT PRIMARY KEY,
    failures    INTEGER NOT NULL DEFAULT 0,
    remaining_s REAL NOT NULL DEFAULT 0,
    boot_id     TEXT NOT NULL DEFAULT '',
    boot_s      REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS pending_audit (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL
);
"""


class GateUnreadable(UserFacingError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"无法打开本机登录数据：{path}（{reason}）。它已损坏，或不属于本机的密钥库。数据未作任何改动。",
            f"The device's sign-in data cannot be opened: {path} ({reason}). It is damaged, or does not "
            "belong to this machine's key store. Nothing was changed.")


@dataclass(frozen=True, slots=True)
class PinWrap:
    person_id: str
    salt: bytes
    kdf: dict[str, int]
    wrapped: bytes
    digits: int
    set_at: str
    set_by: str


@dataclass(frozen=True, slots=True)
class Attempts:
    failures: int
    remaining_s: float
    boot_id: str
    boot_s: float


class Gate:
    """One connection to the gate database (the caller serialises its use)."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = Path(path)
        fresh = not self.path.exists()
        try:
            self.conn = sqlcipher.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            self.conn.execute("PRAGMA temp_store = MEMORY")
            self.conn.execute("PRAGMA journal_mode = DELETE")  # one file to copy, no WAL beside it
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.executescript(_SCHEMA)
        except sqlcipher.DatabaseError as exc:
            if fresh:
                _remove(self.path)
            raise GateUnreadable(self.path, str(exc)) from None
        if fresh:
            os.chmod(self.path, 0o600)
            self.set_meta("format", str(GATE_VERSION).encode())

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            point("gate.commit")
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        point("gate.committed")

    # --- named values ---------------------------------------------------------------

    def meta(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return bytes(row[0]) if row else None

    def set_meta(self, name: str, value: bytes) -> None:
        self.conn.execute("INSERT INTO meta (name, value) VALUES (?, ?) "
                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (name, value))

    # --- roster cards ---------------------------------------------------------------

    def delete_meta(self, name: str) -> None:
        self.conn.execute("DELETE FROM meta WHERE name = ?", (name,))

    def cards(self) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.conn.execute("SELECT card FROM people ORDER BY id")]

    def replace_cards(self, cards: list[dict[str, Any]]) -> None:
        self.conn.execute("DELETE FROM people")
        self.conn.executemany("INSERT INTO people (id, card) VALUES (?, ?)",
                              [(c["id"], json.dumps(c, ensure_ascii=False, sort_keys=True)) for c in cards])

    # --- PIN wraps ------------------------------------------------------------------

    def pin_wrap(self, person_id: str) -> PinWrap | None:
        row = self.conn.execute("SELECT person_id, salt, kdf, wrapped, digits, set_at, set_by FROM pin_wraps "
                                "WHERE person_id = ?", (person_id,)).fetchone()
        if row is None:
            return None
        return PinWrap(row[0], bytes(row[1]), json.loads(row[2]), bytes(row[3]), row[4], row[5], row[6])

    def with_pin(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT person_id FROM pin_wraps")}

    def set_pin_wrap(self, w: PinWrap) -> None:
        self.conn.execute(
            "INSERT INTO pin_wraps (person_id, salt, kdf, wrapped, digits, set_at, set_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET salt = excluded.salt, "
            "kdf = excluded.kdf, wrapped = excluded.wrapped, digits = excluded.digits, "
            "set_at = excluded.set_at, set_by = excluded.set_by",
            (w.person_id, w.salt, json.dumps(w.kdf, sort_keys=True), w.wrapped, w.digits, w.set_at, w.set_by))

    # --- wrong PINs -----------------------------------------------------------------

    def attempts(self, person_id: str) -> Attempts:
        row = self.conn.execute("SELECT failures, remaining_s, boot_id, boot_s FROM attempts WHERE person_id = ?",
                                (person_id,)).fetchone()
        return Attempts(*row) if row else Attempts(0, 0.0, "", 0.0)

    def set_attempts(self, person_id: str, a: Attempts) -> None:
        self.conn.execute(
            "INSERT INTO attempts (person_id, failures, remaining_s, boot_id, boot_s) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET failures = excluded.failures, "
            "remaining_s = excluded.remaining_s, boot_id = excluded.boot_id, boot_s = excluded.boot_s",
            (person_id, a.failures, a.remaining_s, a.boot_id, a.boot_s))

    # --- audit entries waiting for the main database --------------------------------

    def add_pending_audit(self, at: datetime, actor: str, action: str, target: str, detail: dict) -> None:
        self.conn.execute("INSERT INTO pending_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                          (at.isoformat(), actor, action, target, json.dumps(detail, ensure_ascii=False)))

    def pending_audit(self) -> list[tuple[int, datetime, str, str, str, dict]]:
        return [(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4], json.loads(r[5]))
                for r in self.conn.execute("SELECT n, at, actor, action, target, detail FROM pending_audit ORDER BY n")]

    def drop_pending_audit(self, upto: int) -> None:
        self.conn.execute("DELETE FROM pending_audit WHERE n <= ?", (upto,))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
