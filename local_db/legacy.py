"""What a data folder of an earlier version holds for signing in, read before it is adopted.

Such a folder has a plain SQLite database with the roster and the people's scrypt PIN
hashes (``staff_pins``, dropped by migration 0012 once the folder is in custody).
They are read here, read-only and unchanged, so the custody can carry the hashes
into its encrypted gate before the database is encrypted and migrated.
"""

from __future__ import annotations

from pathlib import Path

from app.domain import Officer
from local_db import cipher
from local_db.database import DB_FILENAME, Database, inspect_file
from local_db.errors import DatabaseCorrupt
from local_db.repositories import OfficerRepository

_UNUSED_KEY = bytes(32)  # a plain file is read as it is; the key is not used


def read_sign_in(folder: Path) -> tuple[dict[str, str], list[Officer]]:
    """``(person id → scrypt hash, roster)`` of an earlier version's plain database."""
    path = Path(folder) / DB_FILENAME
    if not path.is_file() or not cipher.is_plain_sqlite(path):
        raise DatabaseCorrupt(path, "不是早期版本的数据库 / not a database of an earlier version")
    inspect_file(path, _UNUSED_KEY)  # damaged, foreign or newer files are refused as usual
    conn = cipher.connect_read_only(path, _UNUSED_KEY)
    try:
        db = Database(conn)
        roster = OfficerRepository(db).all() if db.has_table("officers") else []
        pins = ({r[0]: r[1] for r in conn.execute("SELECT officer_id, pin_hash FROM staff_pins")}
                if db.has_table("staff_pins") else {})
    finally:
        conn.close()
    return pins, roster
