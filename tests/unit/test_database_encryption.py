"""The database is SQLCipher 4 under the device's raw key: nothing in the data folder is
readable without it, and a plain file of an earlier version is encrypted in place, once,
so that a kill at any moment leaves one usable database."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from local_db import cipher, database
from local_db.database import DB_FILENAME, latest_version, migrate, open_database
from tests.database_key import TEST_DB_KEY, connect_raw

ROOT = Path(__file__).resolve().parents[2]
# What an adversary holding a copy of the folder must not find.
PERSON = "欧阳明远"
ID_NUMBER = "330106199003071234"
SQLITE_HEADER = b"SQLite format 3\x00"



def previous_version() -> int:
    """The schema version before the latest (numbers may skip one taken by unmerged work)."""
    from local_db.database import migrations

    return [m.version for m in migrations()][-2]


def _add_person(conn) -> None:
    conn.execute("INSERT INTO subjects (id, kind, name, uscc, representative, credit_grade) "
                 "VALUES ('S-SECRET', 'person', ?, ?, ?, 'B')", (PERSON, ID_NUMBER, PERSON))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_no_plaintext(folder: Path) -> None:
    files = _files(folder)
    assert files
    for name, data in files.items():
        assert not data.startswith(SQLITE_HEADER), name
        for secret in (PERSON, ID_NUMBER):
            assert secret.encode("utf-8") not in data, (name, secret)
            assert secret.encode("utf-16-le") not in data, (name, secret)


def _every_row(conn) -> dict[str, list[tuple]]:
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def _sqlcipher_child(path: Path, key: bytes) -> subprocess.CompletedProcess:
    """Read a table in another process with the sqlcipher3 module alone, nothing of ours."""
    code = textwrap.dedent("""
        import sys
        from sqlcipher3 import dbapi2
        conn = dbapi2.connect(sys.argv[1])
        conn.execute("PRAGMA key = \\"x'" + sys.argv[2] + "'\\"")
        print(conn.execute("SELECT name, uscc FROM subjects WHERE id = 'S-SECRET'").fetchone()[0])
    """)
    return subprocess.run([sys.executable, "-c", code, str(path), key.hex()], capture_output=True,
                          text=True, encoding="utf-8", cwd=path.parent)


def test_the_sqlite3_command_line_refuses_the_file_as_not_a_database(data_folder: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("needs the sqlite3 command line")
    db = open_database(data_folder, key=TEST_DB_KEY)
    _add_person(db.conn)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    result = subprocess.run(["sqlite3", str(data_folder / DB_FILENAME), "SELECT name FROM subjects"],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "file is not a database" in result.stderr
    assert PERSON not in result.stdout


def test_another_process_with_only_sqlcipher3_and_the_raw_key_reads_it(data_folder: Path) -> None:
    db = open_database(data_folder, key=TEST_DB_KEY)
    _add_person(db.conn)
    db.conn.close()
    result = _sqlcipher_child(data_folder / DB_FILENAME, TEST_DB_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == PERSON


def test_another_process_with_a_wrong_key_is_refused(data_folder: Path) -> None:
    db = open_database(data_folder, key=TEST_DB_KEY)
    _add_person(db.conn)
    db.conn.close()
    result = _sqlcipher_child(data_folder / DB_FILENAME, bytes(32))
    assert result.returncode != 0
    assert "file is not a database" in result.stderr
    assert PERSON not in result.stdout


def test_no_file_in_the_folder_holds_a_known_row_in_the_clear_while_the_wal_is_open(data_folder: Path) -> None:
    db = open_database(data_folder, key=TEST_DB_KEY)
    assert db.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY: no temporary files
    assert db.conn.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    db.execute("PRAGMA wal_autocheckpoint = 0")  # everything written stays in the WAL
    with database.transaction(db):
        _add_person(db.conn)
        db.execute("INSERT INTO agencies (id, name) VALUES ('AG-S', ?)", (PERSON + "执法局",))
    wal = data_folder / f"{DB_FILENAME}-wal"
    assert wal.stat().st_size > 0  # the rows are in the WAL, not yet in the database file
    assert db.execute("SELECT name FROM subjects WHERE id = 'S-SECRET'").fetchone() == (PERSON,)
    _assert_no_plaintext(data_folder)
    db.conn.close()
    _assert_no_plaintext(data_folder)


def test_a_rollback_journal_holds_no_plaintext_either(data_folder: Path) -> None:
    """The copies kept before a migration and the file built by the encryption are written
    with a rollback journal: it holds the pages as they were on disk, encrypted."""
    path = data_folder / "journalled.sqlite"
    conn = cipher.connect(path, TEST_DB_KEY)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.execute("CREATE TABLE people (name TEXT, id_number TEXT)")
    conn.executemany("INSERT INTO people VALUES (?, ?)", [(PERSON, ID_NUMBER)] * 200)
    conn.execute("BEGIN")
    conn.execute("UPDATE people SET name = 'x', id_number = 'y'")
    journal = data_folder / "journalled.sqlite-journal"
    assert journal.stat().st_size > 0  # the old pages, saved to undo the update
    _assert_no_plaintext(data_folder)
    conn.execute("ROLLBACK")
    conn.close()


def test_the_copy_kept_before_a_schema_migration_is_encrypted(data_folder: Path) -> None:
    conn = connect_raw(data_folder / DB_FILENAME, isolation_level=None)
    migrate(conn, target=previous_version())
    _add_person(conn)
    conn.close()
    open_database(data_folder, key=TEST_DB_KEY).conn.close()
    backup = data_folder / f"{DB_FILENAME}.before-v{latest_version()}"
    assert backup.exists()
    _assert_no_plaintext(data_folder)
    assert _sqlcipher_child(backup, TEST_DB_KEY).stdout.strip() == PERSON


def _plain_folder(folder: Path, *, with_wal: bool) -> dict[str, list[tuple]]:
    """A data folder as an earlier version left it: a plain file of ours with rows, a plain
    copy kept before its last migration, and (``with_wal``) rows only in its -wal."""
    folder.mkdir()
    path = folder / DB_FILENAME
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=previous_version())
    backup = sqlite3.connect(folder / f"{DB_FILENAME}.before-v{previous_version()}")
    conn.backup(backup)
    backup.close()
    migrate(conn)
    _add_person(conn)
    for n in range(300):
        conn.execute("INSERT INTO agencies (id, name) VALUES (?, ?)", (f"AG{n:03}", f"第{n}执法局"))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if with_wal:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("INSERT INTO agencies (id, name) VALUES ('AG-WAL', ?)", (PERSON + "分局",))
        # Copy the folder as it is while the WAL holds that row: closing would checkpoint it.
        shadow = folder.with_name(folder.name + "-open")
        shutil.copytree(folder, shadow)
        rows = _every_row(conn)
        conn.close()
        shutil.rmtree(folder)
        shadow.rename(folder)
        assert (folder / f"{DB_FILENAME}-wal").stat().st_size > 0
    else:
        rows = _every_row(conn)
        conn.close()
    assert path.read_bytes().startswith(SQLITE_HEADER)
    return rows


@pytest.mark.parametrize("with_wal", [False, True], ids=["checkpointed", "rows-in-wal"])
def test_a_plain_folder_is_encrypted_in_place_keeping_every_row(tmp_path: Path, with_wal: bool) -> None:
    folder = tmp_path / "data"
    rows = _plain_folder(folder, with_wal=with_wal)
    db = open_database(folder, key=TEST_DB_KEY)
    assert _every_row(db.conn) == rows
    assert db.execute("PRAGMA application_id").fetchone()[0] == database.APPLICATION_ID
    db.conn.close()
    _assert_no_plaintext(folder)
    assert sorted(p.name for p in folder.iterdir()) == [
        DB_FILENAME, f"{DB_FILENAME}.before-v{previous_version()}"]
    assert _sqlcipher_child(folder / DB_FILENAME, TEST_DB_KEY).stdout.strip() == PERSON
    kept = connect_raw(folder / f"{DB_FILENAME}.before-v{previous_version()}")
    assert kept.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == previous_version()
    kept.close()


def test_the_plain_to_encrypted_migration_runs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    rows = _plain_folder(folder, with_wal=False)
    open_database(folder, key=TEST_DB_KEY).conn.close()
    ran: list[Path] = []
    monkeypatch.setattr(cipher, "encrypt_plain_file", lambda path, key: ran.append(path))
    db = open_database(folder, key=TEST_DB_KEY)
    assert ran == []
    assert _every_row(db.conn) == rows
    db.conn.close()


KILLED = """
import os, signal, sys
from pathlib import Path
from local_db import cipher
from local_db.database import open_database
step, name = sys.argv[2], sys.argv[3]

def stop(at, path):
    if (at, path.name) == (step, name):
        os.kill(os.getpid(), signal.SIGKILL)

cipher.at_step = stop
open_database(Path(sys.argv[1]), key=bytes.fromhex(sys.argv[4]))
print("not killed")
"""
STEPS = ("settled", "exported", "replaced", "synced")
BACKUP = f"{DB_FILENAME}.before-v{{}}"


@pytest.mark.parametrize("name", [DB_FILENAME, "backup"])
@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_of_the_encryption_leaves_a_usable_folder(tmp_path: Path, step: str, name: str) -> None:
    folder = tmp_path / "data"
    rows = _plain_folder(folder, with_wal=True)
    target = BACKUP.format(previous_version()) if name == "backup" else DB_FILENAME
    child = subprocess.run([sys.executable, "-c", KILLED, str(folder), step, target, TEST_DB_KEY.hex()],
                           cwd=ROOT, capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr

    main = folder / DB_FILENAME
    encrypted_main = name == "backup" or step in ("replaced", "synced")
    # Either the old plain database, whole, or the new encrypted one: never neither.
    if encrypted_main:
        assert not main.read_bytes().startswith(SQLITE_HEADER)
        conn = connect_raw(main)
    else:
        assert main.read_bytes().startswith(SQLITE_HEADER)
        conn = sqlite3.connect(f"{main.as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert _every_row(conn) == rows
    conn.close()

    # The next opening finishes the work.
    db = open_database(folder, key=TEST_DB_KEY)
    assert _every_row(db.conn) == rows
    db.conn.close()
    _assert_no_plaintext(folder)
    assert not [p.name for p in folder.iterdir() if p.name.endswith(cipher.ENCRYPTING_SUFFIX)]


def test_a_failed_export_leaves_the_plain_file_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    rows = _plain_folder(folder, with_wal=False)

    def full_disk(step: str, path: Path) -> None:
        if step == "exported":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(cipher, "at_step", full_disk)
    with pytest.raises(OSError):
        open_database(folder, key=TEST_DB_KEY)
    main = folder / DB_FILENAME
    assert main.read_bytes().startswith(SQLITE_HEADER)
    conn = sqlite3.connect(main)
    assert _every_row(conn) == rows
    conn.close()
    monkeypatch.setattr(cipher, "at_step", lambda step, path: None)
    db = open_database(folder, key=TEST_DB_KEY)
    assert _every_row(db.conn) == rows
    db.conn.close()
    _assert_no_plaintext(folder)


def test_a_kill_while_the_copy_before_a_migration_is_written_leaves_no_torn_copy(data_folder: Path) -> None:
    conn = connect_raw(data_folder / DB_FILENAME, isolation_level=None)
    migrate(conn, target=previous_version())
    _add_person(conn)
    conn.close()
    backup = BACKUP.format(latest_version())
    child = subprocess.run([sys.executable, "-c", KILLED, str(data_folder), "copied", backup, TEST_DB_KEY.hex()],
                           cwd=ROOT, capture_output=True, text=True)
    assert child.returncode == -signal.SIGKILL, child.stdout + child.stderr
    assert not (data_folder / backup).exists()  # the copy is complete under its name, or absent

    db = open_database(data_folder, key=TEST_DB_KEY)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == latest_version()
    db.conn.close()
    kept = connect_raw(data_folder / backup)
    assert kept.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == previous_version()
    assert kept.execute("SELECT name FROM subjects WHERE id = 'S-SECRET'").fetchone() == (PERSON,)
    kept.close()
    assert not [p.name for p in data_folder.iterdir() if p.name.endswith(cipher.ENCRYPTING_SUFFIX)]
    _assert_no_plaintext(data_folder)
