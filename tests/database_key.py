"""The fixed database key of the test suite, and a raw SQLCipher connection opened with it.

On a device the key comes from the key custody; tests only need one that stays the same.
``connect_raw`` uses the ``sqlcipher3`` module alone, as a third party would.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2

TEST_DB_KEY = bytes.fromhex("8d3b5c0e6f21a94477d2c1e09b5af3366e0c2d71b8a945fe13c7d0826a4b9e51")


def connect_raw(path: Path, key: bytes = TEST_DB_KEY, **kwargs: Any) -> dbapi2.Connection:
    """``sqlite3.connect`` for an encrypted database file: the file keyed with ``key``."""
    conn = dbapi2.connect(str(path), **kwargs)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn
