"""Key custody: the OS key store and a PIN together unlock the master key; nothing else does."""

from __future__ import annotations

from keys_kit import as_
import os
import shutil
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import access, crypto, custody, demo, unlock
from app.clock import CHINA_TZ, fixed_clock
from app.custody import Custody, PinWrong, SignInLocked, pin_is_trivial
from app.keystore import KeyStoreSecretMissing, KeyStoreUnavailable, OsKeyStore
from keys_kit import DEMO_PINS, create_workspace

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)


class BootClock:
    """A boot clock the test moves by hand (the wall clock is moved separately)."""

    def __init__(self) -> None:
        self.boot, self.seconds = "boot-1", 1000.0

    def __call__(self) -> tuple[str, float]:
        return self.boot, self.seconds


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def demo_folder(tmp_path: Path) -> Path:
    ws = create_workspace(tmp_path / "data", clock=fixed_clock(NOW))
    demo.seed(ws)
    ws.close()
    return tmp_path / "data"


def test_the_pin_cost_measured_here_is_at_least_250_ms_and_64_mib() -> None:
    params = custody.calibrate_pin_kdf()
    assert params.memory_kib >= 64 * 1024
    best = min(_timed(lambda: crypto.derive_pin_key("583920", os.urandom(16), params)) for _ in range(3))
    assert best >= 0.25, f"Argon2id with {params} took {best:.3f} s on this machine"


def test_a_new_folder_measures_its_pin_cost_once_and_keeps_it(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(custody, "PIN_KDF", None)
    calls = []
    monkeypatch.setattr(custody, "calibrate_pin_kdf", lambda: calls.append(1) or crypto.Argon2Params(2, 8192))
    ws = create_workspace(tmp_path / "d", clock=fixed_clock(NOW))
    demo.seed(ws)
    assert calls == [1]  # six PINs issued, one measurement
    assert ws.custody.gate.pin_wrap("O01").kdf == {"t": 2, "m": 8192, "p": 1}
    ws.close()


def _timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def test_the_secret_rests_in_the_real_secret_service(demo_folder: Path) -> None:
    """conftest.py runs gnome-keyring; the secret is there under the folder's installation id."""
    installation = (demo_folder / "device" / "installation").read_text().strip()
    assert type(OsKeyStore().backend).__module__ == "keyring.backends.SecretService"
    if shutil.which("secret-tool"):
        found = subprocess.run(["secret-tool", "lookup", "service", "FieldInspect", "username", installation],
                               capture_output=True, text=True, timeout=30)
        assert found.returncode == 0 and len(found.stdout.strip()) == 44  # 32 bytes in base64
    assert OsKeyStore().get(installation) is not None


def test_a_pin_opens_the_folder_and_a_wrong_one_does_not(demo_folder: Path) -> None:
    ws = unlock.unlock(demo_folder, "O02", DEMO_PINS["O02"], clock=fixed_clock(NOW))
    assert ws.keys.person_id == "O02" and len(ws.officers.all()) == 8
    ws.close()
    with pytest.raises(PinWrong):
        unlock.unlock(demo_folder, "O02", "583920", clock=fixed_clock(NOW))
    with pytest.raises(PinWrong):  # another person's PIN is not this person's
        unlock.unlock(demo_folder, "O02", DEMO_PINS["O01"], clock=fixed_clock(NOW))


def test_a_copy_on_another_machine_opens_nowhere(demo_folder: Path, tmp_path: Path) -> None:
    """Another machine's key store has no secret for the folder: refused, nothing changed."""
    copy = tmp_path / "copy"
    shutil.copytree(demo_folder, copy)
    installation = (copy / "device" / "installation").read_text().strip()
    store = OsKeyStore()
    secret = store.get(installation)
    store.delete(installation)  # as on a machine that never held it
    try:
        before = _snapshot(copy)
        with pytest.raises(KeyStoreSecretMissing) as err:
            unlock.unlock(copy, "O01", DEMO_PINS["O01"])
        assert "recover" in err.value.en and "恢复" in err.value.zh
        assert _snapshot(copy) == before
    finally:
        store.put(installation, secret)


def test_without_a_key_store_the_application_stops_and_writes_nothing(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring
    from keyring.backends import fail

    with pytest.raises(KeyStoreUnavailable) as err:
        OsKeyStore(fail.Keyring())
    assert "Secret Service" in err.value.en and "明文" in err.value.zh
    # As on a machine with none: no session bus for a Secret Service, and keyring finds nothing else.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    folder = tmp_path / "new"
    folder.mkdir()
    with pytest.raises(KeyStoreUnavailable):
        unlock.create(folder)
    assert list(folder.rglob("*")) == []


def test_nothing_of_the_roster_or_keys_is_readable_in_the_gate(demo_folder: Path) -> None:
    gate = (demo_folder / "device" / "gate.sqlite").read_bytes()
    assert not gate.startswith(b"SQLite format 3")
    for text in ("张伟", "周敏", "33010621001", "O01"):
        assert text.encode() not in gate
    if shutil.which("sqlite3"):
        done = subprocess.run(["sqlite3", str(demo_folder / "device" / "gate.sqlite"), "SELECT * FROM people"],
                              capture_output=True, text=True)
        assert done.returncode != 0 and "not a database" in done.stderr


def test_wrong_pin_locks_are_counted_on_the_boot_clock_not_the_wall_clock(demo_folder: Path) -> None:
    boot = BootClock()
    c = Custody.open(demo_folder, clock=boot)
    try:
        for _ in range(custody.FREE_ATTEMPTS + 1):
            with pytest.raises(PinWrong):
                c.unlock("O01", "583920", now=NOW)
        # the wall clock set forward a day, or back a day: the lock holds
        for wall in (NOW + timedelta(days=1), NOW - timedelta(days=1)):
            with pytest.raises(SignInLocked):
                c.unlock("O01", DEMO_PINS["O01"], now=wall)
        assert c.latest_time_seen() == NOW + timedelta(days=1)  # the latest time seen is kept
        boot.seconds += 20
        with pytest.raises(SignInLocked) as locked:
            c.unlock("O01", DEMO_PINS["O01"], now=NOW)
        assert locked.value.remaining <= timedelta(seconds=10)
        boot.boot, boot.seconds = "boot-2", 5.0  # a reboot: the rest of the wait runs from now
        with pytest.raises(SignInLocked):
            c.unlock("O01", DEMO_PINS["O01"], now=NOW)
        boot.seconds += 11
        assert c.unlock("O01", DEMO_PINS["O01"], now=NOW).person_id == "O01"
    finally:
        c.close()


def test_refusals_while_locked_reach_the_audit_log_at_the_next_unlock(demo_folder: Path) -> None:
    with pytest.raises(PinWrong):
        unlock.unlock(demo_folder, "O04", "583920", clock=fixed_clock(NOW))
    ws = unlock.unlock(demo_folder, "O02", DEMO_PINS["O02"], clock=fixed_clock(NOW))
    try:
        entries = list(ws.audit.repo.entries())
        failed = [e for e in entries if e.action == "session.pin_failed"]
        assert [(e.actor, e.detail["failures"]) for e in failed] == [("O04", 1)]
        assert failed[0].detail["recorded_at"] == NOW.isoformat()
        assert ws.custody.pending_audit() == []
    finally:
        ws.close()


def test_a_new_pin_needs_the_folder_unlocked_and_follows_the_rules(demo_folder: Path) -> None:
    ws = unlock.unlock(demo_folder, "M01", DEMO_PINS["M01"], clock=fixed_clock(NOW))  # the administrator
    try:
        access.issue_pin(ws, "O03", "583920", "583920", by=as_(ws, "M01"))
    finally:
        ws.close()
    again = unlock.unlock(demo_folder, "O03", "583920", clock=fixed_clock(NOW))
    assert again.keys.master.secret and again.keys.person_id == "O03"
    again.close()


@pytest.mark.parametrize("pin, trivial", [
    ("000000", True), ("123456", True), ("654321", True), ("890123", True), ("121212", True),
    ("123123", True), ("111111111", True), ("100101", False), ("583920", False), ("120120121", False),
])
def test_trivial_pins(pin: str, trivial: bool) -> None:
    assert pin_is_trivial(pin) is trivial


def test_the_native_key_store_is_used_without_searching_every_back_end() -> None:
    # A fresh process, as the application starts: the Secret Service directly, and none of
    # the other platforms' back ends loaded (the search cost ~130 ms of the start-up).
    import sys

    code = ("import sys; from app.keystore import OsKeyStore; s = OsKeyStore(); "
            "print(type(s.backend).__module__, 'keyring.backends.macOS' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["keyring.backends.SecretService", "False"]


def _counting_derivations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    pins: list[str] = []
    real = crypto.derive_pin_key

    def counted(pin, salt, params):  # noqa: ANN001, ANN202
        pins.append(pin)
        return real(pin, salt, params)

    monkeypatch.setattr(crypto, "derive_pin_key", counted)
    return pins


def test_a_pin_stretched_ahead_opens_the_folder_with_one_derivation(demo_folder: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    pins = _counting_derivations(monkeypatch)
    c = Custody.open(demo_folder)
    try:
        c.stretch_ahead("O01", DEMO_PINS["O01"])
        assert c.unlock("O01", DEMO_PINS["O01"], now=NOW).person_id == "O01"
        assert pins == [DEMO_PINS["O01"]]  # the thread's stretch was used, not a second one
        assert c.unlock("O01", DEMO_PINS["O01"], now=NOW).person_id == "O01"  # used once: derived again
        assert pins == [DEMO_PINS["O01"]] * 2
    finally:
        c.close()


def test_a_stretch_ahead_changes_nothing_of_how_pins_are_checked(demo_folder: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The PIN rules hold: a wrong PIN stretched ahead is refused and
    counted; a stretch made for one PIN or person is never used for another; a lock holds."""
    pins = _counting_derivations(monkeypatch)
    boot = BootClock()
    c = Custody.open(demo_folder, clock=boot)
    try:
        c.stretch_ahead("O01", "583920")
        with pytest.raises(PinWrong):
            c.unlock("O01", "583920", now=NOW)
        assert c.gate.attempts("O01").failures == 1
        c.stretch_ahead("O01", "583920")  # made for a wrong PIN, then the right one is typed
        assert c.unlock("O01", DEMO_PINS["O01"], now=NOW).person_id == "O01"
        assert pins[-1] == DEMO_PINS["O01"]  # derived for what was typed
        c.stretch_ahead("O01", DEMO_PINS["O01"])  # made for O01, used by nobody else
        with pytest.raises(PinWrong):
            c.unlock("O02", DEMO_PINS["O01"], now=NOW)
        for _ in range(custody.FREE_ATTEMPTS + 1):
            with pytest.raises((PinWrong, SignInLocked)):
                c.unlock("O05", "583920", now=NOW)
        c.stretch_ahead("O05", DEMO_PINS["O05"])
        with pytest.raises(SignInLocked):  # the right PIN, ready in advance, waits out the lock all the same
            c.unlock("O05", DEMO_PINS["O05"], now=NOW)
    finally:
        c.close()
