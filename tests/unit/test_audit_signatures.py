"""Every audit entry is signed by the device key; an upgraded folder's earlier entries are
covered by one signed entry that names how many it covers (docs/FORMATS.md, "Audit log")."""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path

from app import crypto
from app.audit import GENESIS, SIGNING_BEGAN, AuditLog, entry_hash, signing_message, verify
from app.clock import CHINA_TZ, fixed_clock
from app.device import DeviceIdentity
from app.domain import AuditEntry
from app.workspace import Workspace
from local_db import database
from local_db.database import Database, migrate, open_database
from local_db.repositories import AuditRepository
from tests.database_key import TEST_DB_KEY, connect_raw

CLOCK = fixed_clock(datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ))


def test_every_entry_of_a_workspace_is_signed_by_its_device_key(workspace: Workspace) -> None:
    from local_db.database import transaction

    key = workspace.device.public
    with transaction(workspace.db):
        for n in range(3):
            workspace.audit.append("O01", "test.act", str(n), n=n)
    entries = list(AuditRepository(workspace.db).entries())
    assert len(entries) == 3
    for e in entries:
        assert key.verify(base64.b64decode(e.signature), signing_message(e.hash))
        assert signing_message(e.hash) == b"fieldinspect.audit/1\n" + e.hash.encode()
    assert verify(workspace.db, key) == []
    # another key does not verify them: the check is not vacuous
    other = crypto.generate_signing_key().public_key()
    from app.device import DevicePublicKey

    assert {p.problem for p in verify(workspace.db, DevicePublicKey.from_pem(crypto.public_key_pem(other)))} == {
        "forged"}


def _old_folder(tmp_path: Path, entries: int) -> Path:
    """A database at schema 12 (before signing) with ``entries`` hash-chained, unsigned entries."""
    folder = tmp_path / "old"
    folder.mkdir()
    conn = connect_raw(folder / database.DB_FILENAME)
    migrate(conn, target=12)
    prev = GENESIS
    for seq in range(1, entries + 1):
        e = AuditEntry(seq=seq, at=CLOCK(), actor="O01", action="test.before", target=str(seq), detail={"n": seq},
                       prev_hash=prev)
        prev = entry_hash(e)
        conn.execute("INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (seq, e.at.isoformat(), e.actor, e.action, e.target, '{"n": %d}' % seq, e.prev_hash, prev))
    conn.commit()
    conn.close()
    return folder


def test_an_upgraded_folder_s_earlier_entries_are_covered_by_one_signed_entry(tmp_path: Path) -> None:
    folder = _old_folder(tmp_path, 3)
    db = open_database(folder, key=TEST_DB_KEY)
    device = DeviceIdentity.generate(tmp_path / "dev")
    log = AuditLog(db, CLOCK, signer=device)
    log.append("O01", "test.after")
    rows = list(AuditRepository(db).entries())
    assert [r.action for r in rows] == ["test.before"] * 3 + [SIGNING_BEGAN, "test.after"]
    began = rows[3]
    assert began.detail == {"covers": 3, "covers_hash": rows[2].hash} and began.prev_hash == rows[2].hash
    assert [bool(r.signature) for r in rows] == [False] * 3 + [True, True]
    assert verify(db, device.public) == []
    db.conn.close()


def test_an_unsigned_entry_after_signing_began_is_named(tmp_path: Path) -> None:
    folder = _old_folder(tmp_path, 2)
    db = open_database(folder, key=TEST_DB_KEY)
    device = DeviceIdentity.generate(tmp_path / "dev")
    AuditLog(db, CLOCK, signer=device).append("O01", "test.after")
    AuditLog(db, CLOCK).append("O01", "test.unsigned")  # no key: what a forger without it can write
    assert [(p.seq, p.problem) for p in verify(db, device.public)] == [(5, "unsigned")]
    db.conn.close()


def test_removing_the_record_of_when_signing_began_leaves_nothing_uncovered(tmp_path: Path) -> None:
    folder = _old_folder(tmp_path, 2)
    db = open_database(folder, key=TEST_DB_KEY)
    device = DeviceIdentity.generate(tmp_path / "dev")
    AuditLog(db, CLOCK, signer=device).append("O01", "test.after")
    db.conn.close()
    conn = connect_raw(folder / database.DB_FILENAME, isolation_level=None)
    conn.execute("DROP TRIGGER audit_signing_no_delete")
    conn.execute("DELETE FROM audit_signing")
    conn.close()
    db = Database(connect_raw(folder / database.DB_FILENAME))
    assert [(p.seq, p.problem) for p in verify(db, device.public)] == [(1, "unsigned"), (2, "unsigned")]
    db.conn.close()


def test_the_signed_entry_s_detail_is_stored_as_json(tmp_path: Path) -> None:
    """The stored detail text parses back to what was hashed (FORMATS.md: parse, then canonicalise)."""
    folder = _old_folder(tmp_path, 1)
    db = open_database(folder, key=TEST_DB_KEY)
    device = DeviceIdentity.generate(tmp_path / "dev")
    AuditLog(db, CLOCK, signer=device).append("O01", "test.after", text="中文")
    row = db.conn.execute("SELECT detail FROM audit_log WHERE seq = 3").fetchone()
    assert row[0] == '{"text": "中文"}'
    db.conn.close()
