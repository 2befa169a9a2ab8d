"""Opening the local database (SQLCipher 4) safely, and migrating it forward.

Opening is done in two steps. First the file is inspected read-only: header,
key, integrity, application id and schema version. Only a file that is ours (or a
new, empty one) and not newer than this program is then opened for writing and
migrated. Every refusal leaves the file and the folder exactly as they were.

The file is encrypted with the caller's 32-byte key (see :mod:`local_db.cipher`).
A plain SQLite file of ours left by an earlier version is encrypted in place,
once, before anything else is written to it.
"""

from __future__ import annotations

import errno
import re
import os
import threading
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from local_db.crashpoints import point

from local_db import cipher
from local_db.cipher import (  # noqa: F401  (the DB-API names other layers catch and use)
    Connection,
    Cursor,
    DatabaseError,
    Error,
    IntegrityError,
    OperationalError,
    ProgrammingError,
    Row,
    connect_read_only,
    dbapi,
)
from local_db.errors import (
    DatabaseCorrupt,
    DatabaseForeign,
    DatabaseTooNew,
    DatabaseUnreadable,
    DataFolderMissing,
    DataFolderReadOnly,
)

DB_FILENAME = "fieldinspect.sqlite"
# "FINS" — marks the file as ours, so a foreign SQLite file is never migrated.
APPLICATION_ID = 0x46494E53
_SQLITE_HEADER = cipher.SQLITE_HEADER


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The forward-only migrations shipped with the package, in order."""
    found = []
    for entry in resources.files("local_db").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError("migration numbers must run 1, 2, 3… without gaps")
    return found


_DDL = re.compile(
    r"\b(?:CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+[^;]*?\bON\s+(\w+)"
    r"|DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)|DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(\w+))",
    re.IGNORECASE)


def expected_triggers(upto: int | None = None) -> list[str]:
    """The triggers the migrations (up to version ``upto``) leave in place (the append-only
    guards among them).

    A trigger goes with a dropped table, as SQLite drops it with the table.
    """
    names: dict[str, str] = {}  # trigger → table
    for m in migrations():
        if upto is not None and m.version > upto:
            break
        for created, table, dropped, dropped_table in _DDL.findall(m.sql):
            if created:
                names[created] = table
            elif dropped:
                names.pop(dropped, None)
            else:
                names = {t: on for t, on in names.items() if on != dropped_table}
    return list(names)


def missing_triggers(db: Database) -> list[str]:
    """Triggers the migrations created that the database no longer has (someone dropped them)."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    # A database a kill left before its migrations ran (they run at the next open) lacks
    # only the triggers of migrations it has not had yet: those were never dropped.
    version = None
    if db.has_table("schema_version"):
        version = db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
    return [name for name in expected_triggers(version) if name not in present]


def latest_version() -> int:
    return migrations()[-1].version


def check_data_folder(folder: Path) -> None:
    """Raise a user-facing error when ``folder`` is missing or cannot be written."""
    if not folder.is_dir():
        raise DataFolderMissing(folder)
    # os.access is not enough: it says yes to root and knows nothing of
    # read-only mounts. Creating (and removing) a scratch file is the real test.
    try:
        fd, probe = tempfile.mkstemp(prefix=".write-probe-", dir=folder)
    except OSError as exc:
        reason = "只读文件系统" if exc.errno == errno.EROFS else (exc.strerror or str(exc))
        raise DataFolderReadOnly(folder, reason) from None
    os.close(fd)
    os.unlink(probe)


def inspect_file(path: Path, key: bytes) -> int:
    """Return the schema version of an existing database file, or 0 for an empty one.

    Raises when the file cannot be opened with ``key``, is damaged, foreign, or newer
    than this program. A plain SQLite file of an earlier version is inspected as it
    is. Nothing is written: see :func:`connect_read_only`.
    """
    with open(path, "rb") as fh:
        header = fh.read(len(_SQLITE_HEADER))
    if not header:
        raise DatabaseCorrupt(path, "文件为空")
    plain = header == _SQLITE_HEADER
    try:
        conn = connect_read_only(path, key)
    except Error as exc:
        raise DatabaseCorrupt(path, str(exc)) from None
    try:
        try:
            # The first read decrypts page 1: with the wrong key, or bytes that are not
            # a database of ours (damaged or foreign, they look alike), it fails here.
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            if plain:
                raise DatabaseCorrupt(path, str(exc)) from None
            raise DatabaseUnreadable(path) from None
        check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise DatabaseCorrupt(path, check)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if app_id != APPLICATION_ID:
            if app_id != 0 or tables:
                raise DatabaseForeign(path)
            return 0
        if "schema_version" not in tables:
            return 0
        version = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
    except DatabaseError as exc:
        raise DatabaseCorrupt(path, str(exc)) from None
    finally:
        conn.close()
    if version > latest_version():
        raise DatabaseTooNew(path, version, latest_version())
    return version


def _configure(conn: Connection) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    # Evidence and seal records are written here: a power cut must not lose a
    # committed transaction.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Apply the migrations after the current version, up to ``target``; return those applied."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
    applied = []
    for m in migrations():
        if m.version <= current or (target is not None and m.version > target):
            continue
        # executescript commits any open transaction first, so the BEGIN/COMMIT
        # pair makes each migration, and the row that records it, all-or-nothing.
        applied_at = datetime.now(UTC).isoformat(timespec="seconds")
        name = m.name.replace("'", "''")
        try:
            conn.executescript(
                f"BEGIN;\n{m.sql}\n;INSERT INTO schema_version (version, name, applied_at) "
                f"VALUES ({int(m.version)}, '{name}', '{applied_at}');\nCOMMIT;"
            )
        except BaseException:  # the caller's module may be sqlite3 or sqlcipher3
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(m.version)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    if conn.in_transaction:  # a caller's connection in Python's default mode
        conn.commit()
    return applied


class Database:
    """The one connection of a data folder, with the little the repositories need.

    sqlite-utils was the first choice, but importing it costs about 145 ms (it
    pulls in numpy, dateutil and a plugin scan) on the path to the first window,
    more than a bare Qt window takes to appear; the repositories use only
    ``execute`` and the connection.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # The GUI thread and the database worker share this connection. A transaction
        # holds the lock from BEGIN to COMMIT, and every statement takes it, so another
        # thread's statement waits for the transaction instead of landing inside it (or
        # failing with "cannot start a transaction within a transaction").
        self.lock = threading.RLock()

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        with self.lock:
            return self.conn.execute(sql, tuple(params))

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def has_table(self, name: str) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


@contextmanager
def transaction(db: Database) -> Iterator[None]:
    """All writes inside the block are committed together or not at all.

    Holds the database's lock throughout: a transaction opened on another thread waits
    for this one to end.
    """
    conn = db.conn
    with db.lock:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            point("db.commit")
            conn.commit()  # inside: a COMMIT that fails (disk full, I/O) must not leave it open
        except BaseException:
            if conn.in_transaction:
                conn.rollback()
            raise
    point("db.committed")


def open_database(folder: Path, *, key: bytes, create: bool = False) -> Database:
    """Open (and migrate) the database in the data folder ``folder`` with the 32-byte ``key``.

    With ``create`` the folder is made when missing; otherwise a missing folder is
    an error. A plain file of ours from an earlier version, and the plain copies it
    kept, are first encrypted in place. Before an existing database is migrated, an
    encrypted copy is kept beside it as ``fieldinspect.sqlite.before-vN``.
    """
    cipher.check_key(key)
    folder = Path(folder)
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    check_data_folder(folder)
    path = folder / DB_FILENAME
    version = inspect_file(path, key) if path.exists() else 0
    if path.exists() and cipher.is_plain_sqlite(path):
        cipher.encrypt_plain_file(path, key)
    cipher.encrypt_plain_backups(folder, DB_FILENAME, key)

    # Autocommit outside explicit transactions: a lone write commits at once, and
    # transaction() groups writes with BEGIN IMMEDIATE … COMMIT.
    conn = cipher.connect(path, key)
    _configure(conn)
    if version and version < latest_version():
        cipher.backup_to(conn, path.with_name(f"{DB_FILENAME}.before-v{latest_version()}"), key)
    migrate(conn)
    return Database(conn)
