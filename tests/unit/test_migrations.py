"""Forward-only migrations: from an empty file and from every earlier version, encrypted or
still plain (a data folder of a version before the database was encrypted)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from local_db import database
from local_db.database import (
    APPLICATION_ID,
    IntegrityError,
    OperationalError,
    latest_version,
    migrate,
    migrations,
    open_database,
)
from tests.database_key import TEST_DB_KEY, connect_raw


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    # ALTER TABLE rewrites the CREATE text; compare the normalised statement.
    return [(t, n, " ".join((s or "").split())) for t, n, s in rows]


def _columns(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: [r[1:] for r in conn.execute(f"PRAGMA table_info({t})")] for t in sorted(tables)}


def test_numbers_are_unique_and_rising() -> None:
    numbers = [m.version for m in migrations()]
    assert numbers[0] == 1 and numbers == sorted(set(numbers)) and numbers[-1] == latest_version()


def test_empty_file_migrates_to_latest(tmp_path: Path) -> None:
    db = open_database(tmp_path, key=TEST_DB_KEY)
    conn = db.conn
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("plain", [False, True], ids=["encrypted", "plain"])
@pytest.mark.parametrize("start", [m.version for m in migrations()][:-1])
def test_every_earlier_version_migrates_to_the_same_schema(tmp_path: Path, start: int, plain: bool) -> None:
    fresh = open_database(tmp_path / "fresh", key=TEST_DB_KEY, create=True).conn
    old_dir = tmp_path / "old"
    old_dir.mkdir()
    path = old_dir / database.DB_FILENAME
    old = sqlite3.connect(path) if plain else connect_raw(path)
    migrate(old, target=start)
    assert old.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == start
    # data written at the old version must survive the upgrade
    old.execute("INSERT INTO agencies (id, name) VALUES ('A', '测试局')")
    old.commit()
    old.close()

    upgraded = open_database(old_dir, key=TEST_DB_KEY).conn
    assert _columns(upgraded) == _columns(fresh)
    assert {n for _, n, _ in _schema(upgraded)} == {n for _, n, _ in _schema(fresh)}
    assert upgraded.execute("SELECT name FROM agencies WHERE id = 'A'").fetchone()[0] == "测试局"
    # a copy of the database as it was is kept beside it, encrypted with the same key
    backup = old_dir / f"{database.DB_FILENAME}.before-v{latest_version()}"
    for file in (path, backup):
        assert not file.read_bytes().startswith(b"SQLite format 3\x00")
    kept = connect_raw(backup)
    assert kept.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == start
    assert kept.execute("SELECT name FROM agencies WHERE id = 'A'").fetchone()[0] == "测试局"


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_database(tmp_path, key=TEST_DB_KEY).conn.close()
    broken = database.Migration(latest_version() + 1, "broken",
                                "CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);")
    original = migrations()
    before = latest_version()
    monkeypatch.setattr(database, "migrations", lambda: [*original, broken])
    conn = connect_raw(tmp_path / database.DB_FILENAME)
    with pytest.raises(OperationalError):
        migrate(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == before


def test_audit_log_refuses_update_and_delete(tmp_path: Path) -> None:
    conn = open_database(tmp_path, key=TEST_DB_KEY).conn
    conn.execute("INSERT INTO audit_log (at, actor, action) VALUES ('2026-01-01T00:00:00+08:00', 'x', 'y')")
    conn.commit()
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'z'")
    with pytest.raises(IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_log")
