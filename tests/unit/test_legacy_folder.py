"""A data folder of an earlier version: plain database, device key in the clear, 4-digit scrypt PINs.

It is adopted into custody on first open: the device key keeps its id (HQ enrolled
it) but is wrapped by a new master key and its clear file is removed; the database
is encrypted; each old PIN opens the folder once, and must be replaced there by a
PIN that follows the rules before anything else is done (issue: existing 4-digit
PINs must be changed at the next sign-in).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import crypto, paths, unlock
from app.custody import (_META_LEGACY_MASTER, _META_LEGACY_PINS, Custody, PinRequired, PinTrivial,
                         PinWrong)
from app.device import DEVICE_DIR, LEGACY_PRIVATE_KEY_FILE, device_id_for
from local_db import cipher
from local_db.database import DB_FILENAME, _configure, latest_version, migrate
from tests.keys_kit import clear_private_key_pem, follow_clock

ROOT = Path(__file__).resolve().parents[2]
OLD_PINS = {"O01": "1357", "L01": "2468"}


def make_legacy_folder(folder: Path) -> bytes:
    """An earlier version's folder (schema 11): the demo roster, scrypt PINs, a clear device key."""
    (folder / DEVICE_DIR).mkdir(parents=True)
    conn = cipher.connect(folder / DB_FILENAME, None)
    _configure(conn)
    migrate(conn, target=11)
    # The roster as that version stored it (the reference import of today writes newer columns).
    document = json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))
    for a in document["agencies"]:
        conn.execute("INSERT INTO agencies (id, name, region, supervision_phone) VALUES (?, ?, ?, ?)",
                     (a["id"], a["name"], a.get("region", ""), a.get("supervision_phone", "")))
    for o in document["officers"]:
        if o["role"] == "administrator":  # that version's roster knew no device administrators
            continue
        conn.execute("INSERT INTO officers (id, name, role, agency_id, cert_no, cert_issuer, cert_field, cert_expiry,"
                     " revoked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (o["id"], o["name"], o["role"], o["agency_id"], o.get("cert_no"), o.get("cert_issuer"),
                      o.get("cert_field"), o.get("cert_expiry"), int(o.get("revoked", False))))
    for person, pin in OLD_PINS.items():
        conn.execute("INSERT INTO staff_pins (officer_id, pin_hash, set_at) VALUES (?, ?, '2026-01-05T09:00:00+08:00')",
                     (person, crypto.hash_pin(pin)))
    conn.close()
    key = crypto.generate_signing_key()
    pem = clear_private_key_pem(key)
    (folder / DEVICE_DIR / LEGACY_PRIVATE_KEY_FILE).write_bytes(pem)
    return device_id_for(key.public_key())


@pytest.fixture
def legacy(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "old"
    return folder, make_legacy_folder(folder)


def _signed_in(folder: Path, person: str, pin: str):
    custody = unlock.open_custody(folder)
    custody.boot_clock = lambda: ("test-boot", 0.0)
    keys = custody.unlock(person, pin, now=_now())
    return custody, keys


def _now():
    from datetime import datetime

    return datetime.now().astimezone().replace(microsecond=0)


def test_an_old_folder_is_adopted_keeping_its_device_id_and_losing_its_clear_key(legacy) -> None:
    folder, device_id = legacy
    assert Custody.legacy(folder)
    custody = unlock.open_custody(folder)
    assert not (folder / DEVICE_DIR / LEGACY_PRIVATE_KEY_FILE).exists()
    assert Custody.present(folder) and not Custody.legacy(folder)
    assert custody.with_pin() == set(OLD_PINS)
    assert custody.pin_must_change("O01") and not custody.pin_must_change("O02")
    keys = custody.unlock("O01", "1357", now=_now())
    assert keys.pin_must_change
    assert keys.device.device_id == device_id  # HQ's enrollment still holds
    ws = unlock.open_with_keys(custody, keys)
    try:
        assert ws.db.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == latest_version()
        assert not ws.db.has_table("staff_pins")  # no PIN hash left in the database
        actions = [e.action for e in ws.audit.repo.entries()]
        assert "custody.adopted" in actions
    finally:
        ws.close()
    assert not cipher.is_plain_sqlite(folder / DB_FILENAME)
    # nothing of the old PINs or the key remains in the clear anywhere in the folder
    blob = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert b"scrypt$" not in blob and b"PRIVATE KEY" not in blob


def test_an_old_pin_opens_once_and_must_be_replaced_by_one_that_follows_the_rules(legacy) -> None:
    folder, _ = legacy
    custody, keys = _signed_in(folder, "O01", "1357")
    with pytest.raises(PinTrivial):
        custody.replace_old_pin(keys, "123456", "123456", now=_now())
    assert custody.pin_must_change("O01")
    keys = custody.replace_old_pin(keys, "583920", "583920", now=_now())
    assert not keys.pin_must_change and not custody.pin_must_change("O01")
    # L01 still has an old PIN: the transitional wrap stays until the last one is replaced
    assert custody.gate.meta(_META_LEGACY_MASTER) is not None
    custody.close()
    with pytest.raises(PinWrong):
        _signed_in(folder, "O01", "1357")  # the old PIN no longer opens anything
    custody, again = _signed_in(folder, "O01", "583920")
    assert again.master.secret == keys.master.secret and not again.pin_must_change
    custody.close()
    custody, leader = _signed_in(folder, "L01", "2468")
    custody.replace_old_pin(leader, "720461", "720461", now=_now())
    assert custody.gate.meta(_META_LEGACY_MASTER) is None and custody.gate.meta(_META_LEGACY_PINS) is None
    with pytest.raises(PinRequired):
        custody.unlock("O02", "1357", now=_now())  # nobody else ever had a PIN
    custody.close()


def test_a_wrong_old_pin_counts_towards_the_back_off(legacy) -> None:
    folder, _ = legacy
    custody = unlock.open_custody(folder)
    custody.boot_clock = lambda: ("test-boot", 0.0)
    for _ in range(4):
        with pytest.raises(PinWrong):
            custody.unlock("O01", "9999", now=_now())
    assert custody.lock_remaining("O01") > 0
    custody.close()


def test_an_adoption_cut_short_leaves_the_old_folder_usable(legacy, monkeypatch) -> None:
    folder, device_id = legacy

    def killed(*a, **kw):
        raise KeyboardInterrupt("killed")  # as a kill would: after keys.json, before the gate

    monkeypatch.setattr(Custody, "_new_gate", classmethod(lambda cls, *a, **kw: killed()))
    with pytest.raises(KeyboardInterrupt):
        unlock.open_custody(folder)
    assert Custody.legacy(folder) and (folder / DEVICE_DIR / LEGACY_PRIVATE_KEY_FILE).exists()
    assert cipher.is_plain_sqlite(folder / DB_FILENAME)
    monkeypatch.undo()
    custody, keys = _signed_in(folder, "O01", "1357")
    assert keys.device.device_id == device_id
    custody.close()


def test_the_command_line_refuses_an_old_pin_until_it_is_replaced(legacy) -> None:
    folder, _ = legacy
    env = {**os.environ, "FIELDINSPECT_OFFICER": "O01", "FIELDINSPECT_PIN": "1357"}
    result = subprocess.run([sys.executable, "-m", "cli", "status", "--data", str(folder)], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 2, result.stderr
    assert "须先更换" in result.stderr and "must be replaced first" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_sign_in_page_asks_for_a_new_pin_after_an_old_one(legacy, qtbot) -> None:
    from datetime import date

    from ui.pages.sign_in import SignInPage

    folder, _ = legacy
    custody = unlock.open_custody(folder)
    custody.boot_clock = lambda: ("test-boot", 0.0)
    page = SignInPage(None, custody=custody)
    qtbot.addWidget(page)
    page.set_staff(custody.people(), date.today())
    got = []
    page.unlocked.connect(lambda person, keys: got.append((person.id, keys)))
    page.choose(custody.person("O01"))
    page.pin_panel.pin.setText("1357")
    assert page.submit() is False  # the old PIN is right, but it must be replaced first
    assert page.pin_panel.first and not page.pin_panel.confirm.isHidden()
    assert "早期版本" in page.pin_panel.hint.text()
    page.pin_panel.pin.setText("111111")
    page.pin_panel.confirm.setText("111111")
    assert page.submit() is False and page.pin_panel.message.text()  # trivial: refused, said why
    page.pin_panel.pin.setText("583920")
    page.pin_panel.confirm.setText("583920")
    assert page.submit() is True
    assert got and got[0][0] == "O01" and not got[0][1].pin_must_change
    assert not custody.pin_must_change("O01")
    custody.close()
