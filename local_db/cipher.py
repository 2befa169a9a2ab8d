"""SQLCipher 4 connections keyed with the device's raw database key, and the one-time
encryption of a plain SQLite file left by an earlier version.

The key is 32 random bytes handed over by the caller (the key custody); it is given
to SQLCipher as a raw key (``x'…'``), so no passphrase derivation runs on each open.
Every other cipher setting is SQLCipher 4's default. Temporary tables and indices are
kept in memory; the rollback journal and the WAL hold pages as they are on disk,
which SQLCipher encrypts.

Other layers catch the DB-API exceptions through the names exported here: they are
SQLCipher's own classes, not those of the standard ``sqlite3`` module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from local_db.crashpoints import point

from sqlcipher3 import dbapi2 as dbapi

# The DB-API of the database module, for the layers above local_db.
Connection = dbapi.Connection
Cursor = dbapi.Cursor
Row = dbapi.Row
Error = dbapi.Error
DatabaseError = dbapi.DatabaseError
IntegrityError = dbapi.IntegrityError
OperationalError = dbapi.OperationalError
ProgrammingError = dbapi.ProgrammingError

KEY_BYTES = 32
SQLITE_HEADER = b"SQLite format 3\x00"
ENCRYPTING_SUFFIX = ".encrypting"


def _no_pause(step: str, path: Path) -> None:
    """Crash tests replace this to stop the process at a named step of the encryption."""


# Called after each durable step of :func:`encrypt_plain_file` and :func:`backup_to`,
# with its name and the file.
at_step: Callable[[str, Path], None] = _no_pause


def check_key(key: bytes) -> None:
    """Refuse anything but 32 bytes: a wrong type here is a programming error, not a user's."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes")


def is_plain_sqlite(path: Path) -> bool:
    """True when ``path`` starts with the SQLite header: an unencrypted file."""
    with open(path, "rb") as fh:
        return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def _apply_key(conn: Connection, key: bytes | None) -> None:
    # Without SQLCipher underneath, PRAGMA key would be silently ignored and the
    # database written in the clear: make sure it is there.
    if conn.execute("PRAGMA cipher_version").fetchone() is None:
        conn.close()
        raise RuntimeError("the sqlcipher3 module is not linked with SQLCipher")
    # Refusals are reported by exceptions; SQLCipher's own log would go to stderr.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        check_key(key)
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA temp_store = MEMORY")


def connect(path: Path, key: bytes | None) -> Connection:
    """A read-write connection in autocommit mode; ``key=None`` only for a plain file."""
    # One connection, used from one thread at a time: the UI runs all database work
    # through a single serial executor, so check_same_thread would only get in the way.
    conn = dbapi.connect(str(path), check_same_thread=False, isolation_level=None)
    _apply_key(conn, key)
    return conn


def connect_read_only(path: Path, key: bytes) -> Connection:
    """A connection that cannot write and leaves no file behind.

    A read-only connection to a WAL database still creates -wal and -shm files;
    when there is no WAL to honour, immutable=1 reads the file and nothing else.
    A plain file of an earlier version is read as it is (the key is not used), so
    that it can be inspected and verified without being encrypted first.
    """
    check_key(key)
    wal = path.with_name(path.name + "-wal")
    params = "mode=ro" if wal.exists() and wal.stat().st_size else "mode=ro&immutable=1"
    conn = dbapi.connect(f"{path.resolve().as_uri()}?{params}", uri=True, check_same_thread=False)
    try:
        _apply_key(conn, None if is_plain_sqlite(path) else key)
    except BaseException:
        conn.close()
        raise
    return conn


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk (POSIX; a no-op where unsupported)."""
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if path.is_dir() else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return  # Windows cannot open a directory; NTFS journals renames itself.
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _table_counts(conn: Connection, schema: str) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: conn.execute(f'SELECT COUNT(*) FROM {schema}."{n}"').fetchone()[0] for n in names}


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def encrypt_plain_file(path: Path, key: bytes) -> None:
    """Replace the plain SQLite file ``path`` by an encrypted copy of it, atomically.

    1. ``settled``: the plain file takes in its WAL and leaves WAL mode, so no -wal or
       -shm of the plain file is left to be replayed into the encrypted one.
    2. ``exported``: every table, index, trigger and row goes into ``<name>.encrypting``
       (``sqlcipher_export``), checked (rows per table, ``quick_check``), flushed to disk.
    3. ``replaced``: ``os.replace`` puts it under the old name; ``synced``: the folder
       is flushed. A kill before the rename leaves the plain file, whole and usable;
       after it, the encrypted one. A ``.encrypting`` file left by a kill is rebuilt.
    """
    check_key(key)
    plain = connect(path, None)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = plain.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if mode != "delete":
            raise dbapi.OperationalError(f"cannot leave journal mode {mode} (the file is in use)")
    finally:
        plain.close()
    for leftover in ("-wal", "-shm"):
        if path.with_name(path.name + leftover).exists():
            raise dbapi.OperationalError(f"{path.name}{leftover} is still there (the file is in use)")
    at_step("settled", path)
    point("cipher.settled")

    def export(enc: Connection) -> None:
        enc.execute("ATTACH DATABASE ? AS plain KEY ''", (f"{path.resolve().as_uri()}?mode=ro",))
        enc.execute("SELECT sqlcipher_export('main', 'plain')")
        # sqlcipher_export copies the schema and the rows, not the header fields.
        for field in ("application_id", "user_version"):
            value = int(enc.execute(f"PRAGMA plain.{field}").fetchone()[0])
            enc.execute(f"PRAGMA main.{field} = {value}")
        if _table_counts(enc, "main") != _table_counts(enc, "plain"):
            raise dbapi.DatabaseError(f"the encrypted copy of {path.name} does not hold every row")
        enc.execute("DETACH DATABASE plain")
        check = enc.execute("PRAGMA quick_check(1)").fetchone()[0]
        if check != "ok":
            raise dbapi.DatabaseError(f"the encrypted copy of {path.name} fails its check: {check}")

    _replace_with_new(path, key, export, written="exported")


def backup_to(conn: Connection, dest: Path, key: bytes) -> None:
    """Write a copy of ``conn``'s database to ``dest``, encrypted with ``key``, atomically.

    The copy is built beside ``dest`` and renamed over it once on disk, so a kill leaves
    the previous copy or the new one, never a torn file under the name.
    """
    _replace_with_new(dest, key, conn.backup, written="copied")


def _replace_with_new(dest: Path, key: bytes, fill: Callable[[Connection], object], *, written: str) -> None:
    """Build an encrypted database as ``<dest>.encrypting`` with ``fill``, then put it under
    ``dest``: flushed, renamed, and the folder flushed. A stale one left by a kill is rebuilt."""
    staging = dest.with_name(dest.name + ENCRYPTING_SUFFIX)
    for stale in (staging, staging.with_name(staging.name + "-journal")):
        _remove(stale)
    target = connect(staging, key)
    try:
        fill(target)
    except BaseException:
        target.close()
        _remove(staging)
        raise
    target.close()
    fsync_path(staging)
    at_step(written, dest)
    point("cipher.written-fsync")
    os.replace(staging, dest)
    at_step("replaced", dest)
    point("cipher.replaced")
    fsync_path(dest.parent)
    at_step("synced", dest)
    point("cipher.synced")


def encrypt_plain_backups(folder: Path, prefix: str, key: bytes) -> list[Path]:
    """Encrypt the plain ``<prefix>.before-vN`` copies an earlier version kept; return them.

    Runs at every opening (it reads 16 bytes of each copy), so a kill in the middle is
    finished next time. A plain copy that cannot be exported (damaged) is removed: no
    copy of the data stays in the clear.
    """
    done = []
    for backup in sorted(folder.glob(f"{prefix}.before-v*")):
        if backup.name.endswith(ENCRYPTING_SUFFIX) or not backup.is_file() or not is_plain_sqlite(backup):
            continue
        try:
            encrypt_plain_file(backup, key)
        except dbapi.DatabaseError:
            for name in (backup.name, backup.name + "-wal", backup.name + "-shm", backup.name + "-journal"):
                _remove(folder / name)
            fsync_path(folder)
        done.append(backup)
    return done
