"""A bad data folder or database gives a clear message and changes nothing on disk."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from local_db import database
from local_db.database import DB_FILENAME, open_database
from local_db.errors import (
    DatabaseCorrupt,
    DatabaseForeign,
    DatabaseTooNew,
    DatabaseUnreadable,
    DataFolderMissing,
    DataFolderReadOnly,
    UserFacingError,
)
from tests.database_key import TEST_DB_KEY, connect_raw

ROOT = Path(__file__).resolve().parents[2]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file below ``folder`` with its bytes, mode and modification time."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        out[str(p.relative_to(folder))] = (p.read_bytes() if p.is_file() else b"", st.st_mode, st.st_mtime_ns)
    return out


def assert_refused(folder: Path, error: type[UserFacingError], key: bytes = TEST_DB_KEY) -> UserFacingError:
    before = snapshot(folder)
    with pytest.raises(error) as info:
        open_database(folder, key=key)
    assert snapshot(folder) == before
    assert info.value.zh and info.value.en and info.value.zh != info.value.en
    return info.value


def test_random_bytes_are_refused_as_unreadable_with_this_key(data_folder: Path) -> None:
    # An encrypted file looks like random bytes: damaged, foreign and wrong key look alike.
    (data_folder / DB_FILENAME).write_bytes(os.urandom(8192))
    err = assert_refused(data_folder, DatabaseUnreadable)
    assert isinstance(err, DatabaseCorrupt)
    assert "本设备的密钥" in err.zh and "this device's key" in err.en
    assert "另一台设备" in err.zh and "another device" in err.en and "the key is wrong" in err.en


def test_a_database_under_another_key_is_refused_and_left_unchanged(data_folder: Path) -> None:
    db = open_database(data_folder, key=TEST_DB_KEY)
    db.execute("INSERT INTO agencies (id, name) VALUES ('A', 'x')")
    db.conn.close()
    other = bytes(reversed(TEST_DB_KEY))
    assert_refused(data_folder, DatabaseUnreadable, key=other)
    # and the right key still opens it afterwards
    assert open_database(data_folder, key=TEST_DB_KEY).execute("SELECT name FROM agencies").fetchone() == ("x",)


def test_a_plain_sqlite_file_with_a_bad_header_is_refused_as_corrupt(data_folder: Path) -> None:
    conn = sqlite3.connect(data_folder / DB_FILENAME)
    conn.execute(f"PRAGMA application_id = {database.APPLICATION_ID}")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    path = data_folder / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page of a plain file, overwritten
    path.write_bytes(bytes(data))
    err = assert_refused(data_folder, DatabaseCorrupt)
    assert not isinstance(err, DatabaseUnreadable)


def test_empty_file_is_refused_as_corrupt(data_folder: Path) -> None:
    (data_folder / DB_FILENAME).write_bytes(b"")
    assert "文件为空" in assert_refused(data_folder, DatabaseCorrupt).zh


def test_damaged_pages_are_refused_as_corrupt(data_folder: Path) -> None:
    db = open_database(data_folder, key=TEST_DB_KEY)
    db.execute("INSERT INTO agencies (id, name) VALUES ('A', 'x')")
    db.conn.commit()
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    path = data_folder / DB_FILENAME
    data = bytearray(path.read_bytes())
    # keep the 100-byte header, overwrite the schema page's b-tree
    data[100:4096] = b"\xff" * (4096 - 100)
    path.write_bytes(bytes(data))
    assert_refused(data_folder, DatabaseCorrupt)


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "encrypted"])
def test_another_programs_database_is_refused(data_folder: Path, plain: bool) -> None:
    path = data_folder / DB_FILENAME
    conn = sqlite3.connect(path) if plain else connect_raw(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.commit()
    conn.close()
    assert_refused(data_folder, DatabaseForeign)


def test_a_newer_schema_is_refused(data_folder: Path) -> None:
    open_database(data_folder, key=TEST_DB_KEY).conn.close()
    conn = connect_raw(data_folder / DB_FILENAME)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    err = assert_refused(data_folder, DatabaseTooNew)
    assert err.found == 99 and "99" in err.zh and "99" in err.en


def test_a_newer_plain_file_is_refused_and_not_encrypted(data_folder: Path) -> None:
    conn = sqlite3.connect(data_folder / DB_FILENAME)
    database.migrate(conn)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', '2030-01-01')")
    conn.commit()
    conn.close()
    assert_refused(data_folder, DatabaseTooNew)


def test_a_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "data"
    with pytest.raises(DataFolderMissing):
        open_database(missing, key=TEST_DB_KEY)
    assert not missing.exists() and not missing.parent.exists()


def test_cli_reports_errors_in_both_languages_with_exit_status_2(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "cli", "status", "--data", str(tmp_path / "none")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "数据目录不存在" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def _run_on_read_only(folder: Path) -> subprocess.CompletedProcess:
    """Run ``status`` where the data folder cannot be written, as a real user would meet it."""
    cmd = [sys.executable, "-m", "cli", "status", "--data", str(folder)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    # root ignores permission bits, so make the folder a read-only mount in a
    # private mount namespace instead.
    script = f'mount --bind -o ro "{folder}" "{folder}" && exec "$@"'
    return subprocess.run(["unshare", "--mount", "sh", "-c", script, "sh", *cmd],
                          cwd=ROOT, capture_output=True, text=True)


def test_a_read_only_folder_is_refused_and_left_unchanged() -> None:
    if os.geteuid() == 0 and shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is needed to make a read-only mount as root")
    base = Path(tempfile.mkdtemp())
    try:
        folder = base / "data"
        open_database(folder, key=TEST_DB_KEY, create=True).conn.close()
        before = snapshot(folder)
        result = _run_on_read_only(folder)
        folder.chmod(0o755)
        assert result.returncode == 2, result.stderr
        assert "数据目录不可写" in result.stderr and "cannot be written" in result.stderr
        assert snapshot(folder) == before
    finally:
        (base / "data").chmod(0o755)
        shutil.rmtree(base)


def test_the_write_probe_leaves_nothing_behind(data_folder: Path) -> None:
    database.check_data_folder(data_folder)
    assert list(data_folder.iterdir()) == []
    with pytest.raises(DataFolderReadOnly):
        database.check_data_folder(Path("/proc/self"))


def test_a_folder_of_another_user_is_refused_in_words_not_a_traceback(tmp_path: Path) -> None:
    """``verify`` where the folder's files may not be read (another user's, or permissions changed)."""
    from tests.keys_kit import create_workspace

    folder = tmp_path / "data"
    create_workspace(folder).close()
    before = snapshot(folder)
    (folder / "device").chmod(0o000)
    cmd = [sys.executable, "-m", "cli", "verify", str(folder)]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) is needed to drop root's file capabilities")
        cmd = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *cmd]
    try:
        result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    finally:
        (folder / "device").chmod(0o700)
    assert result.returncode == 2
    assert "没有权限访问" in result.stderr and "No permission to access" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(folder) == before
