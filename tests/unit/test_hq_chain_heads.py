"""HQ is the anchor: it keeps the last device-signed chain head of each device and refuses
chains that do not extend it; a seq HQ acknowledged is never given to other content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keys_kit import as_
from app import crypto
from app.chains import seal_floor
from local_db.database import transaction
from sync import bag, state
from sync.errors import AcknowledgedChanged
from tests.unit.bundle_kit import Kit, kit  # noqa: F401  (fixture)
from tests.unit.test_hq_store import _rejected, _rewrap

pytestmark = pytest.mark.usefixtures("hq_database")  # SQLite and PostgreSQL


def _synced(kit: Kit, n: int, name: str) -> dict:  # noqa: F811
    kit.seal_note(n)
    info = kit.build(name)
    receipt = kit.hq.ingest(info.path, device_id=kit.device.device_id)
    state.apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01"))
    return json.loads(receipt.body)


def test_a_head_that_extends_the_stored_one_is_accepted_and_kept(kit: Kit) -> None:  # noqa: F811
    _synced(kit, 1, "1.age")
    first = kit.hq.last_head(kit.device.device_id)
    assert first is not None and first["seal_seq"] == 1
    receipt = _synced(kit, 2, "2.age")
    head = kit.hq.last_head(kit.device.device_id)
    assert head["seal_seq"] == 2 and head["audit_seq"] > first["audit_seq"]  # type: ignore[index, operator]
    # HQ's stored head is the device's own signed statement, equal to HQ's view in the receipt
    assert {k: head[k] for k in ("seal_seq", "seal_hash", "audit_seq", "audit_hash")} == receipt["chain_head"]  # type: ignore[index]
    body, signature = kit.hq.conn.execute("SELECT body, signature FROM device_heads").fetchone()
    assert kit.device.public.verify(bytes(signature), bytes(body))


def test_a_head_behind_the_stored_one_is_refused(kit: Kit) -> None:  # noqa: F811
    """The audit tail was cut below what HQ accepted (by someone who dropped the trigger)."""
    _synced(kit, 1, "1.age")
    stored = kit.hq.last_head(kit.device.device_id)
    conn = kit.ws.db.conn
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (stored["audit_seq"] - 3,))  # type: ignore[index, operator]
    conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    kit.seal_note(2)  # new work: the device has something to send
    err = _rejected(kit, kit.build("2.age").path, "chain-not-extended")
    assert f"audit seq {stored['audit_seq']}" in err.en  # type: ignore[index]


def test_a_head_that_does_not_name_the_bag_s_last_records_is_refused(kit: Kit) -> None:  # noqa: F811
    kit.seal_note(1)

    def lie(m: dict[str, bytes]) -> dict[str, bytes]:
        head = json.loads(m[bag.CHAIN_HEAD])
        head["audit_seq"] -= 1
        m[bag.CHAIN_HEAD] = crypto.canonical_json(head)
        m[bag.CHAIN_HEAD_SIG] = kit.device.sign(m[bag.CHAIN_HEAD])
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED])
        m[bag.SIGNATURE] = kit.device.sign(m[bag.TAGMANIFEST])
        return m

    _rejected(kit, _rewrap(kit, kit.build().path, kit.out / "lie.age", lie), "bad-chain-head")


def test_a_head_signed_by_another_key_is_refused(kit: Kit) -> None:  # noqa: F811
    kit.seal_note(1)
    other = crypto.generate_signing_key()

    def resign(m: dict[str, bytes]) -> dict[str, bytes]:
        m[bag.CHAIN_HEAD_SIG] = crypto.sign(other, m[bag.CHAIN_HEAD])
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED])
        m[bag.SIGNATURE] = kit.device.sign(m[bag.TAGMANIFEST])
        return m

    _rejected(kit, _rewrap(kit, kit.build().path, kit.out / "other.age", resign), "bad-chain-head")


def test_a_bag_without_a_head_is_refused(kit: Kit) -> None:  # noqa: F811
    kit.seal_note(1)

    def drop(m: dict[str, bytes]) -> dict[str, bytes]:
        m = {n: d for n, d in m.items() if n not in (bag.CHAIN_HEAD, bag.CHAIN_HEAD_SIG)}
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED if n in m])
        m[bag.SIGNATURE] = kit.device.sign(m[bag.TAGMANIFEST])
        return m

    _rejected(kit, _rewrap(kit, kit.build().path, kit.out / "headless.age", drop), "bad-chain-head")


def test_an_acknowledged_seq_is_never_reused_and_its_removal_stops_the_bundle(kit: Kit) -> None:  # noqa: F811
    """Deleting the newest synced record must not let the next item take its seq and be
    skipped as already acknowledged: it gets the next seq, and no bundle is made."""
    receipt = _synced(kit, 1, "1.age")
    conn = kit.ws.db.conn
    for trigger in ("seal_records_no_delete", "evidence_no_delete"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM seal_records WHERE seq = 1")
    conn.execute("DELETE FROM evidence WHERE sha256 = ?", (receipt["evidence"][0],))
    conn.execute("PRAGMA foreign_keys = ON")
    assert seal_floor(kit.ws.db) == (1, receipt["chain_head"]["seal_hash"])
    kit.seal_note(2)
    (seq, record), = conn.execute("SELECT seq, record FROM seal_records").fetchall()
    assert seq == 2 and json.loads(record)["prev"] == receipt["chain_head"]["seal_hash"]
    with pytest.raises(AcknowledgedChanged) as err:
        kit.build("2.age")
    assert "seal seq 1" in err.value.en


def test_a_replaced_acknowledged_record_stops_the_bundle(kit: Kit) -> None:  # noqa: F811
    _synced(kit, 1, "1.age")
    conn = kit.ws.db.conn
    conn.execute("DROP TRIGGER seal_records_no_update")
    with transaction(kit.ws.db):
        conn.execute("UPDATE seal_records SET record = replace(record, '\"seq\":1', '\"seq\":1 ') WHERE seq = 1")
    kit.seal_note(2)
    with pytest.raises(AcknowledgedChanged):
        kit.build("2.age")


def test_revoked_device_s_later_bundles_are_refused_earlier_ones_stay(kit: Kit, tmp_path: Path) -> None:  # noqa: F811
    from datetime import timedelta

    kit.seal_note(1)
    early = kit.build("early.age")  # made before the revocation time, delivered after it
    created = kit.ws.clock()
    kit.hq.revoke(kit.device.device_id, created + timedelta(minutes=5), "遗失 / lost on patrol")
    receipt = kit.hq.ingest(early.path, device_id=kit.device.device_id)
    state.apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01"))
    kit.hq.revoke(kit.device.device_id, created - timedelta(minutes=5), "遗失 / lost on patrol")
    kit.seal_note(2)
    err = _rejected(kit, kit.build("late.age").path, "revoked")
    assert "lost on patrol" in err.en and "吊销" in err.zh
    # what HQ accepted before stays: the same bag again gets its receipt
    assert kit.hq.ingest(early.path, device_id=kit.device.device_id).body == receipt.body
