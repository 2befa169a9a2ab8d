"""Key custody: what unlocks a data folder, and who may unlock it.

The hierarchy (docs/ARCHITECTURE.md, "Keys"):

- a random **device master key** M wraps the database key, the device's Ed25519
  signing key and every evidence file's key; M itself is never stored bare;
- each roster person with a PIN holds a copy of M wrapped with
  ``HKDF(Argon2id(PIN, salt), salt = OS secret)``: both the secret in the operating
  system's key store (``app.keystore``) and the person's PIN are needed;
- HQ holds one more copy, sealed to its age recipient at pairing
  (``device/recovery.age``), for recovery (``fieldinspect-hq recover``);
- the wrapped database and device keys are in ``device/keys.json`` (wrapped by M,
  so they need no other protection, and outlive a lost key store);
- the gate database (``local_db.gate``), keyed from the OS secret alone, holds the
  PIN wraps, the sign-in cards and the wrong-PIN state.

A copy of the folder on another machine therefore opens nowhere, and on this
machine nothing opens without a PIN. Wrong PINs back off as before; the lock is
counted on the boot clock, which setting the wall clock back or forward does not
move.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from app import crypto
from app.atomic_files import fsync_dir, write_new_file
from app.crypto import Argon2Params, KeyUnwrapError, MasterKey
from app.device import DEVICE_DIR, LEGACY_PRIVATE_KEY_FILE, DeviceIdentity
from app.domain import Officer, StaffRole
from app.keystore import KeyStoreSecretMissing, OsKeyStore
from local_db.crashpoints import point
from local_db.errors import UserFacingError
from local_db.gate import GATE_FILENAME, Attempts, Gate, PinWrap

INSTALLATION_FILE = "installation"
KEYS_FILE = "keys.json"
RECOVERY_FILE = "recovery.age"
KEYS_FORMAT = "fieldinspect.device-keys/1"
RECOVERY_FORMAT = "fieldinspect.recovery/1"
PIN_MIN, PIN_MAX = 6, 12
FREE_ATTEMPTS = 3  # wrong PINs allowed before the first wait: the fourth waits 30 s
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# The cost of a PIN's key is measured on the device when its folder is created
# (:func:`calibrate_pin_kdf`): 64 MiB, and as many passes as make it take at least
# PIN_KDF_SECONDS. Set PIN_KDF to fixed parameters to skip the measurement (tests).
PIN_KDF: Argon2Params | None = None
PIN_KDF_SECONDS = 0.25
_META_KDF = "pin-kdf"

_CTX_DB = b"db-key"
_CTX_DEVICE = b"device-signing-key"
_META_SEEN = "latest-time"
# A folder of an earlier version (plain database, device key in the clear, scrypt PIN
# hashes) is adopted: its PIN hashes move into the gate, and until each of those
# people has chosen a new PIN the master key is also kept wrapped under the OS
# secret alone (the transitional wrap), which the last PIN change deletes.
_META_LEGACY_PINS = "legacy-pins"
_META_LEGACY_MASTER = "legacy-master"
_CTX_LEGACY = b"legacy-master-key"

BootClock = Callable[[], tuple[str, float]]


def boot_clock() -> tuple[str, float]:
    """(this boot's id, seconds since boot, suspend included): a clock nobody can set."""
    try:
        boot_id = Path("/proc/sys/kernel/random/boot_id").read_text("ascii").strip()
        return boot_id, time.clock_gettime(time.CLOCK_BOOTTIME)
    except (OSError, AttributeError):  # not Linux: a new "boot" per process, which only lengthens a lock
        return f"process-{os.getpid()}-{_PROCESS_START}", time.monotonic()


_PROCESS_START = time.time()


# --- errors a person can meet ---------------------------------------------------------

class CustodyError(UserFacingError):
    """Base of the key-custody errors."""


class PinInvalid(CustodyError):
    def __init__(self) -> None:
        super().__init__(f"PIN 须为 {PIN_MIN}–{PIN_MAX} 位数字。未保存。",
                         f"A PIN is {PIN_MIN} to {PIN_MAX} digits. Nothing was saved.")


class PinTrivial(CustodyError):
    def __init__(self) -> None:
        super().__init__("PIN 过于简单（如 000000、123456、重复或连续的数字），容易被猜中。未保存，请换一个。",
                         "That PIN is too easy to guess (like 000000, 123456, repeated or consecutive digits). "
                         "Nothing was saved; choose another.")


class PinMismatch(CustodyError):
    def __init__(self) -> None:
        super().__init__("两次输入的 PIN 不一致。未保存，请重新输入。",
                         "The two PINs differ. Nothing was saved; enter it again.")


class PinRequired(CustodyError):
    def __init__(self, person_id: str) -> None:
        super().__init__(f"{person_id} 尚未设置 PIN。PIN 由设备管理员在本机设置（fieldinspect pin {person_id}）。",
                         f"{person_id} has no PIN yet. An administrator issues it on this device "
                         f"(fieldinspect pin {person_id}).")


class UnknownPerson(CustodyError):
    def __init__(self, person_id: str) -> None:
        super().__init__(f"人员名册中没有 {person_id}。", f"{person_id} is not on the roster.")


class PinWrong(CustodyError):
    def __init__(self, locked_for: timedelta | None) -> None:
        if locked_for is None:
            super().__init__("PIN 不正确。", "Wrong PIN.")
        else:
            super().__init__(f"PIN 不正确。请 {duration_zh(locked_for)}后再试。",
                             f"Wrong PIN. Try again in {duration_en(locked_for)}.")
        self.locked_for = locked_for


class SignInLocked(CustodyError):
    """Too many wrong PINs: this person cannot try again for ``remaining``."""

    def __init__(self, remaining: timedelta) -> None:
        super().__init__(f"PIN 错误次数过多，请 {duration_zh(remaining)}后再试。",
                         f"Too many wrong PINs; try again in {duration_en(remaining)}.")
        self.remaining = remaining


class FolderNotInCustody(CustodyError):
    def __init__(self, folder: Path) -> None:
        super().__init__(f"数据目录 {folder} 没有本机的密钥数据（device/{GATE_FILENAME}），无法解锁。数据未作任何改动。",
                         f"The data folder {folder} has no key data for this device (device/{GATE_FILENAME}) "
                         "and cannot be unlocked. Nothing was changed.")


class KeysDamaged(CustodyError):
    def __init__(self, what: str) -> None:
        super().__init__(f"本机密钥数据已损坏（{what}），无法解锁。数据未作任何改动；请联系总部恢复。",
                         f"The device's key data is damaged ({what}) and cannot be unlocked. Nothing was "
                         "changed; ask HQ to recover the device.")


def duration_zh(d: timedelta) -> str:
    s = max(1, int(d.total_seconds() + 0.999))
    return f"{s} 秒" if s < 120 else f"{(s + 59) // 60} 分钟"


def duration_en(d: timedelta) -> str:
    s = max(1, int(d.total_seconds() + 0.999))
    return f"{s} s" if s < 120 else f"{(s + 59) // 60} min"


# --- the PIN rules -----------------------------------------------------------------------

def pin_is_trivial(pin: str) -> bool:
    """All one digit, a run up or down (wrapping 9→0), or a repeated 1–3 digit pattern."""
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:])}
    if len(steps) == 1 and steps <= {0, 1, 9}:
        return True
    return any(len(pin) % k == 0 and pin == pin[:k] * (len(pin) // k) for k in (1, 2, 3))


def check_new_pin(pin: str, confirm: str) -> None:
    """Raise unless ``pin`` is an acceptable new PIN, typed the same twice."""
    if not (PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()):
        raise PinInvalid()
    if pin_is_trivial(pin):
        raise PinTrivial()
    if pin != confirm:
        raise PinMismatch()


def calibrate_pin_kdf(seconds: float = PIN_KDF_SECONDS, *, memory_kib: int = 64 * 1024) -> Argon2Params:
    """Argon2id at ``memory_kib`` with enough passes to take at least ``seconds`` here.

    Each candidate is timed twice and the faster run counts, so a busy moment does not
    make the cost look higher than it is; a margin of 20 % is added on top.
    """
    for passes in range(crypto.DEFAULT_ARGON2.time_cost, 64):
        params = Argon2Params(time_cost=passes, memory_kib=memory_kib)
        best = min(_time_kdf(params) for _ in range(2))
        if best >= seconds * 1.2:
            return params
    return params


def _time_kdf(params: Argon2Params) -> float:
    start = time.perf_counter()
    crypto.derive_pin_key("000000", b"calibration-salt", params)
    return time.perf_counter() - start


def backoff(failures: int) -> timedelta | None:
    """The wait after ``failures`` wrong PINs in a row: none at first, then doubling to a cap."""
    if failures <= FREE_ATTEMPTS:
        return None
    doublings = min(failures - FREE_ATTEMPTS - 1, 20)  # 30 s · 2**20 is far past the cap already
    return min(BACKOFF_FIRST * (2 ** doublings), BACKOFF_MAX)


# --- what an unlock yields -------------------------------------------------------------

@dataclass(frozen=True)
class UnlockedKeys:
    """The keys in memory while someone is signed in; never written anywhere bare."""

    master: MasterKey
    db_key: bytes
    device: DeviceIdentity
    person_id: str | None  # who unlocked (None: the folder was just created)
    pin_must_change: bool = False

    def __repr__(self) -> str:
        return f"UnlockedKeys(person={self.person_id!r}, device={self.device.device_id})"


def card_of(officer: Officer) -> dict:
    """What the sign-in page shows of a person, kept in the gate."""
    return {"id": officer.id, "name": officer.name, "role": officer.role.value, "agency_id": officer.agency_id,
            "cert_no": officer.cert_no, "cert_issuer": officer.cert_issuer, "cert_field": officer.cert_field,
            "cert_expiry": officer.cert_expiry.isoformat() if officer.cert_expiry else None,
            "revoked": officer.revoked}


def officer_of(card: dict) -> Officer:
    return Officer(id=card["id"], name=card["name"], role=StaffRole(card["role"]), agency_id=card["agency_id"],
                   cert_no=card["cert_no"], cert_issuer=card["cert_issuer"], cert_field=card["cert_field"],
                   cert_expiry=date.fromisoformat(card["cert_expiry"]) if card["cert_expiry"] else None,
                   revoked=bool(card["revoked"]))


class PinStretch:
    """A PIN's Argon2id stretch computed on a thread of its own, ahead of :meth:`Custody.unlock`.

    For a start where the PIN is known before the window is built (given to a script
    through the environment): the derivation, a quarter of a second or more, runs while
    the window's modules load. It is only the slow half of the work; :meth:`Custody.unlock`
    still checks the lock, opens the wrap and counts a wrong PIN as always, and uses the
    result once, for the same person, PIN, salt and parameters.
    """

    def __init__(self, person_id: str, pin: str, salt: bytes, kdf: Argon2Params) -> None:
        self._for = (person_id, pin, salt, kdf)
        self._done = threading.Event()
        self._key: bytes | None = None
        threading.Thread(target=self._run, name="pin-stretch", daemon=True).start()

    def _run(self) -> None:
        try:
            self._key = crypto.derive_pin_key(self._for[1], self._for[2], self._for[3])
        finally:  # a failure leaves no key: unlock derives it again and meets the error there
            self._done.set()

    def take(self, person_id: str, pin: str, salt: bytes, kdf: Argon2Params) -> bytes | None:
        """The stretched key when it was computed for exactly these (waiting for it), else None."""
        if (person_id, pin, salt, kdf) != self._for:
            return None
        self._done.wait()
        key, self._key = self._key, None
        return key


class Custody:
    """The key custody of one data folder on this machine."""

    def __init__(self, folder: Path, gate: Gate, installation: str, os_secret: bytes, *,
                 kdf: Argon2Params | None = None, clock: BootClock = boot_clock) -> None:
        self.folder = Path(folder)
        self.gate = gate
        self.installation = installation
        self._os_secret = os_secret
        self.kdf = kdf
        self.boot_clock = clock
        self._ahead: PinStretch | None = None

    # --- opening ----------------------------------------------------------------------

    @staticmethod
    def present(folder: Path) -> bool:
        # The installation id is written last: a gate without it was cut short.
        device_dir = Path(folder) / DEVICE_DIR
        return (device_dir / GATE_FILENAME).is_file() and (device_dir / INSTALLATION_FILE).is_file()

    @classmethod
    def open(cls, folder: Path, keystore: OsKeyStore | None = None, **kw: object) -> Custody:
        """The custody of an existing folder; refused when this machine's key store lacks its secret."""
        folder = Path(folder)
        if not cls.present(folder):
            raise FolderNotInCustody(folder)
        try:
            installation = (folder / DEVICE_DIR / INSTALLATION_FILE).read_text("ascii").strip()
        except OSError as exc:
            raise KeysDamaged(f"{INSTALLATION_FILE}: {exc.strerror or exc}") from None
        store = keystore or OsKeyStore()
        secret = store.get(installation)
        if secret is None:
            raise KeyStoreSecretMissing(installation)
        gate = Gate(folder / DEVICE_DIR / GATE_FILENAME, _gate_key(secret))
        return cls(folder, gate, installation, secret, **kw)  # type: ignore[arg-type]

    @classmethod
    def create(cls, folder: Path, keystore: OsKeyStore | None = None, **kw: object) -> tuple[Custody, UnlockedKeys]:
        """New keys for a new data folder: a master key, a database key and a device key.

        The caller holds the returned keys while it seeds the folder and issues the
        first PINs (:meth:`set_pin`); once closed, only a PIN opens it again.
        """
        folder = Path(folder)
        device_dir = folder / DEVICE_DIR
        if cls.present(folder):
            raise CustodyError(f"数据目录 {folder} 已有密钥数据，不会覆盖。",
                               f"The data folder {folder} already has key data; it is never replaced.")
        store = keystore or OsKeyStore()  # no key store: stop before anything is written
        device_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        installation = uuid.uuid4().hex
        secret = crypto.random_key()
        store.put(installation, secret)
        master = MasterKey(crypto.random_key())
        db_key = crypto.random_key()
        signing = crypto.generate_signing_key()
        keys_path = device_dir / KEYS_FILE
        keys_path.unlink(missing_ok=True)  # left by a creation cut short: it unlocks nothing
        write_new_file(keys_path, json.dumps({
            "format": KEYS_FORMAT,
            "db_key": master.wrap(db_key, context=_CTX_DB).hex(),
            "device_key": master.wrap(crypto.private_key_raw(signing), context=_CTX_DEVICE).hex(),
        }, indent=1).encode("ascii"), mode=0o600)
        custody = cls._new_gate(folder, store, master, **kw)
        device = DeviceIdentity.from_private_key(folder, signing)
        return custody, UnlockedKeys(master, db_key, device, person_id=None)

    @classmethod
    def _new_gate(cls, folder: Path, store: OsKeyStore, master: MasterKey, *,
                  before_installation: Callable[[Gate, bytes], object] | None = None, **kw: object) -> Custody:
        """A new installation id, OS secret and gate for ``master``'s folder."""
        device_dir = folder / DEVICE_DIR
        installation = uuid.uuid4().hex
        secret = crypto.random_key()
        store.put(installation, secret)
        (device_dir / GATE_FILENAME).unlink(missing_ok=True)
        gate = Gate(device_dir / GATE_FILENAME, _gate_key(secret))
        if before_installation is not None:
            with gate.transaction():
                before_installation(gate, secret)
        # The installation id names the key-store entry; written last, so a gate whose
        # creation was cut short is never taken for a usable one.
        path = device_dir / INSTALLATION_FILE
        tmp = path.with_name(path.name + ".new")
        tmp.unlink(missing_ok=True)
        write_new_file(tmp, (installation + "\n").encode("ascii"), mode=0o644)
        os.replace(tmp, path)
        point("custody.installation-renamed")
        fsync_dir(device_dir)
        return cls(folder, gate, installation, secret, **kw)  # type: ignore[arg-type]

    @classmethod
    def recover(cls, folder: Path, hq_identity: str, keystore: OsKeyStore | None = None,
                **kw: object) -> tuple[Custody, UnlockedKeys]:
        """Re-key ``folder`` for this machine's key store with HQ's age identity.

        The master key comes out of ``device/recovery.age`` (sealed to HQ at
        pairing); a new OS secret and a new gate replace the lost ones. Every PIN is
        gone with the old gate: the caller issues new ones while it holds the keys.
        """
        import io

        folder = Path(folder)
        path = folder / DEVICE_DIR / RECOVERY_FILE
        try:
            sealed = path.read_bytes()
        except OSError:
            raise CustodyError(f"数据目录中没有总部恢复文件 {path}：本机尚未与总部配对，无法恢复。",
                               f"The folder has no HQ recovery file {path}: the device was never paired with "
                               "HQ, so it cannot be recovered.") from None
        try:
            document = json.loads(crypto.AgeReader(io.BytesIO(sealed), hq_identity).read())
            if document.get("format") != RECOVERY_FORMAT:
                raise ValueError("format")
            master = MasterKey(bytes.fromhex(document["master_key"]))
        except (crypto.AgeError, ValueError, KeyError, TypeError):
            raise CustodyError("总部私钥无法解开此设备的恢复文件（不是本总部的设备，或文件已损坏）。数据未作任何改动。",
                               "HQ's identity does not open this device's recovery file (another HQ's device, "
                               "or a damaged file). Nothing was changed.") from None
        store = keystore or OsKeyStore()
        keys = _folder_keys(folder, master, None)  # the master key must open this folder's keys
        old = folder / DEVICE_DIR / GATE_FILENAME
        if old.exists():  # kept, not deleted: it only opens with the lost key store
            os.replace(old, old.with_name(f"{GATE_FILENAME}.lost-{int(time.time())}"))
        custody = cls._new_gate(folder, store, master, **kw)
        return custody, keys

    @staticmethod
    def legacy(folder: Path) -> bool:
        """True for a data folder of an earlier version: a device key in the clear and no custody."""
        folder = Path(folder)
        return not Custody.present(folder) and (folder / DEVICE_DIR / LEGACY_PRIVATE_KEY_FILE).is_file()

    @classmethod
    def adopt(cls, folder: Path, legacy_pins: dict[str, str], roster: Iterable[Officer],
              keystore: OsKeyStore | None = None, **kw: object) -> Custody:
        """Take a folder of an earlier version into custody, keeping its device key.

        The device key that lay in the clear in ``device/device.key.pem`` is wrapped
        by a new master key (the device id, enrolled at HQ, stays the same) and the
        file is removed; ``legacy_pins`` (person → scrypt hash, read from the old
        database) move into the gate. Those people sign in with their old PIN once
        and must choose a new one there (:meth:`set_pin` drops the old hash). Until
        the last has, the master key is also wrapped under the OS secret alone.

        A kill at any point leaves either the old folder (run again) or the adopted one.
        """
        folder = Path(folder)
        device_dir = folder / DEVICE_DIR
        pem_path = device_dir / LEGACY_PRIVATE_KEY_FILE
        try:
            signing = crypto.load_private_key_pem(pem_path.read_bytes())
        except (OSError, crypto.KeyFormatError) as exc:
            raise KeysDamaged(f"{LEGACY_PRIVATE_KEY_FILE}: {exc}") from None
        store = keystore or OsKeyStore()  # no key store: stop before anything is written
        master = MasterKey(crypto.random_key())
        keys_path = device_dir / KEYS_FILE
        keys_path.unlink(missing_ok=True)  # left by an adoption cut short: it unlocks nothing
        write_new_file(keys_path, json.dumps({
            "format": KEYS_FORMAT,
            "db_key": master.wrap(crypto.random_key(), context=_CTX_DB).hex(),
            "device_key": master.wrap(crypto.private_key_raw(signing), context=_CTX_DEVICE).hex(),
        }, indent=1).encode("ascii"), mode=0o600)
        # The gate is complete before the installation id (written last by _new_gate)
        # makes the custody present.
        custody = cls._new_gate(folder, store, master, before_installation=lambda gate, secret: (
            gate.set_meta(_META_LEGACY_PINS, json.dumps(legacy_pins, sort_keys=True).encode("ascii")),
            gate.set_meta(_META_LEGACY_MASTER, crypto.wrap_key(_legacy_key(secret), master.secret,
                                                               context=_CTX_LEGACY)),
            gate.replace_cards([card_of(o) for o in roster]),
            gate.add_pending_audit(datetime.now().astimezone().replace(microsecond=0), "system",
                                   "custody.adopted", "", {"people_to_change_pin": sorted(legacy_pins)}),
        ), **kw)
        custody.remove_legacy_key_file()
        return custody

    def remove_legacy_key_file(self) -> None:
        """Delete the device key an earlier version kept in the clear (it is wrapped in keys.json)."""
        path = self.folder / DEVICE_DIR / LEGACY_PRIVATE_KEY_FILE
        if path.exists():
            path.unlink()
            point("custody.legacy-key-removed")
            fsync_dir(path.parent)

    def close(self) -> None:
        self.gate.close()

    # --- the sign-in cards ------------------------------------------------------------

    def people(self) -> list[Officer]:
        return [officer_of(c) for c in self.gate.cards()]

    def person(self, person_id: str) -> Officer:
        for p in self.people():
            if person_id in (p.id, p.cert_no):
                return p
        raise UnknownPerson(person_id)

    def refresh_people(self, roster: Iterable[Officer]) -> None:
        """Copy the roster's cards into the gate (after reference data changes, at each unlock)."""
        with self.gate.transaction():
            self.gate.replace_cards([card_of(o) for o in roster])

    def pin_must_change(self, person_id: str) -> bool:
        """True when the person's PIN is one of an earlier version's (too short, or a legacy hash)."""
        wrap = self.gate.pin_wrap(person_id)
        if wrap is None:
            return person_id in self._legacy_pins()
        return wrap.digits < PIN_MIN

    def has_pin(self, person_id: str) -> bool:
        return self.gate.pin_wrap(person_id) is not None or person_id in self._legacy_pins()

    def with_pin(self) -> set[str]:
        return self.gate.with_pin() | set(self._legacy_pins())

    # --- unlocking --------------------------------------------------------------------

    def unlock(self, person_id: str, pin: str, *, now: datetime) -> UnlockedKeys:
        """The keys, when ``pin`` is ``person_id``'s; wrong PINs count and back off.

        Every refusal is written to the gate's pending audit entries (moved into the
        main audit log at the next unlock) before it is raised.
        """
        self.person(person_id)
        wrap = self.gate.pin_wrap(person_id)
        legacy_hash = self._legacy_pins().get(person_id) if wrap is None else None
        if wrap is None and legacy_hash is None:
            raise PinRequired(person_id)
        self._see(now)
        remaining = self._remaining_lock(person_id)
        if remaining > 0:
            with self.gate.transaction():
                self.gate.add_pending_audit(now, person_id, "session.sign_in_refused", person_id,
                                            {"reason": "locked", "remaining_seconds": int(remaining + 0.999)})
            raise SignInLocked(timedelta(seconds=remaining))
        master = self._open_wrap(wrap, pin) if wrap is not None else self._open_legacy(legacy_hash, pin)
        if master is None:
            failures = self.gate.attempts(person_id).failures + 1
            wait = backoff(failures)
            boot, at = self.boot_clock()
            with self.gate.transaction():
                self.gate.set_attempts(person_id, Attempts(failures, wait.total_seconds() if wait else 0.0,
                                                           boot, at))
                self.gate.add_pending_audit(now, person_id, "session.pin_failed", person_id,
                                            {"failures": failures,
                                             "locked_seconds": int(wait.total_seconds()) if wait else 0})
            raise PinWrong(wait)
        if self.gate.attempts(person_id).failures:
            with self.gate.transaction():
                self.gate.set_attempts(person_id, Attempts(0, 0.0, "", 0.0))
        return self._keys(master, person_id, pin_must_change=wrap is None or wrap.digits < PIN_MIN)

    def check_pin(self, keys: UnlockedKeys, person_id: str, pin: str, *, now: datetime) -> UnlockedKeys:
        """Like :meth:`unlock` for a folder already open: the PIN must unlock the same master key."""
        again = self.unlock(person_id, pin, now=now)
        if again.master.secret != keys.master.secret:
            raise KeysDamaged("PIN 对应的主密钥与当前不一致 / the PIN opens a different master key")
        return again

    def set_pin(self, keys: UnlockedKeys, person_id: str, pin: str, confirm: str, *, by: str,
                now: datetime, check: bool = True) -> None:
        """Give ``person_id`` a copy of the master key under a new PIN (the folder must be unlocked).

        The back-off starts afresh. ``check=False`` only for PINs that predate the
        rules (an upgraded folder's), which must then be changed at the next sign-in.
        """
        if check:
            check_new_pin(pin, confirm)
        elif pin != confirm:
            raise PinMismatch()
        self.person(person_id)
        salt = os.urandom(16)
        kdf = self.kdf or PIN_KDF or self._calibrated_kdf()
        wrapped = crypto.wrap_key(self._pin_key(person_id, pin, salt, kdf), keys.master.secret,
                                  context=_master_context(person_id))
        legacy = self._legacy_pins()
        with self.gate.transaction():
            self.gate.set_pin_wrap(PinWrap(person_id, salt, kdf.as_dict(), wrapped, len(pin),
                                           now.isoformat(), by))
            self.gate.set_attempts(person_id, Attempts(0, 0.0, "", 0.0))
            if person_id in legacy:
                del legacy[person_id]
                if legacy:
                    self.gate.set_meta(_META_LEGACY_PINS, json.dumps(legacy, sort_keys=True).encode("ascii"))
                else:  # the last old PIN is gone: so is the wrap under the OS secret alone
                    self.gate.delete_meta(_META_LEGACY_PINS)
                    self.gate.delete_meta(_META_LEGACY_MASTER)

    def replace_old_pin(self, keys: UnlockedKeys, pin: str, confirm: str, *, now: datetime) -> UnlockedKeys:
        """The signed-in person replaces a PIN of an earlier version (the rules apply to the new one).

        Audited through the gate (the database may still be locked at a cold start).
        """
        person_id = keys.person_id
        if person_id is None or not self.pin_must_change(person_id):
            raise CustodyError("无需更换 PIN。", "There is no old PIN to replace.")
        self.set_pin(keys, person_id, pin, confirm, by=person_id, now=now)
        with self.gate.transaction():
            self.gate.add_pending_audit(now, person_id, "session.pin_changed", person_id, {"reason": "old-format"})
        return UnlockedKeys(keys.master, keys.db_key, keys.device, person_id, pin_must_change=False)

    def _calibrated_kdf(self) -> Argon2Params:
        """The PIN cost measured on this machine, once per gate (kept in it)."""
        stored = self.gate.meta(_META_KDF)
        if stored is not None:
            return Argon2Params.from_dict(json.loads(stored))
        params = calibrate_pin_kdf()
        with self.gate.transaction():
            self.gate.set_meta(_META_KDF, json.dumps(params.as_dict()).encode())
        return params

    def lock_remaining(self, person_id: str) -> float:
        """Seconds before ``person_id`` may try a PIN again (0: now)."""
        return max(0.0, self._remaining_lock(person_id))

    # --- audit entries made while the database was locked ---------------------------

    def pending_audit(self) -> list[tuple[int, datetime, str, str, str, dict]]:
        return self.gate.pending_audit()

    def drop_pending_audit(self, upto: int) -> None:
        with self.gate.transaction():
            self.gate.drop_pending_audit(upto)

    # --- HQ recovery ----------------------------------------------------------------

    def seal_for_hq(self, keys: UnlockedKeys, recipient: str) -> None:
        """Seal the master key to HQ's age recipient (``device/recovery.age``), so HQ can recover the folder.

        Sealed to HQ, the file needs no other protection; only HQ's identity opens it.
        """
        import io

        out = io.BytesIO()
        writer = crypto.AgeWriter(out, recipient)
        writer.write(json.dumps({"format": RECOVERY_FORMAT, "device_id": keys.device.device_id,
                                 "master_key": keys.master.secret.hex()}).encode("ascii"))
        writer.close()
        path = self.folder / DEVICE_DIR / RECOVERY_FILE
        tmp = path.with_name(path.name + ".new")
        tmp.unlink(missing_ok=True)
        write_new_file(tmp, out.getvalue(), mode=0o600)
        os.replace(tmp, path)
        fsync_dir(path.parent)

    # --- inside ----------------------------------------------------------------------

    def _keys(self, master: MasterKey, person_id: str | None, *, pin_must_change: bool = False) -> UnlockedKeys:
        return _folder_keys(self.folder, master, person_id, pin_must_change=pin_must_change)

    def stretch_ahead(self, person_id: str, pin: str) -> None:
        """Start the slow half of ``unlock(person_id, pin)`` now, on a thread (see :class:`PinStretch`)."""
        wrap = self.gate.pin_wrap(person_id)
        if wrap is not None:
            self._ahead = PinStretch(person_id, pin, wrap.salt, Argon2Params.from_dict(wrap.kdf))

    def _pin_key(self, person_id: str, pin: str, salt: bytes, kdf: Argon2Params) -> bytes:
        ahead, self._ahead = self._ahead, None
        stretched = ahead.take(person_id, pin, salt, kdf) if ahead is not None else None
        if stretched is None:
            stretched = crypto.derive_pin_key(pin, salt, kdf)
        return crypto.derive_key(stretched, salt=self._os_secret, info=b"fieldinspect/pin/" + person_id.encode())

    def _open_wrap(self, wrap: PinWrap, pin: str) -> MasterKey | None:
        key = self._pin_key(wrap.person_id, pin, wrap.salt, Argon2Params.from_dict(wrap.kdf))
        try:
            return MasterKey(crypto.unwrap_key(key, wrap.wrapped, context=_master_context(wrap.person_id)))
        except KeyUnwrapError:
            return None

    def _legacy_pins(self) -> dict[str, str]:
        stored = self.gate.meta(_META_LEGACY_PINS)
        return json.loads(stored) if stored else {}

    def _open_legacy(self, stored_hash: str | None, pin: str) -> MasterKey | None:
        """The master key through the transitional wrap, when ``pin`` matches the old scrypt hash."""
        wrapped = self.gate.meta(_META_LEGACY_MASTER)
        if stored_hash is None or wrapped is None or not crypto.pin_matches(pin, stored_hash):
            return None
        try:
            return MasterKey(crypto.unwrap_key(_legacy_key(self._os_secret), wrapped, context=_CTX_LEGACY))
        except KeyUnwrapError:
            raise KeysDamaged("过渡期主密钥无法解开 / the transitional master key wrap does not open") from None

    def _remaining_lock(self, person_id: str) -> float:
        """What is left of the lock, counted on the boot clock; re-anchored after a restart."""
        a = self.gate.attempts(person_id)
        if a.remaining_s <= 0:
            return 0.0
        boot, at = self.boot_clock()
        if a.boot_id == boot:
            left = a.remaining_s - max(0.0, at - a.boot_s)
        else:  # a reboot since: the rest of the wait runs from now
            left = a.remaining_s
        with self.gate.transaction():
            self.gate.set_attempts(person_id, Attempts(a.failures, max(0.0, left), boot, at))
        return left

    def _see(self, now: datetime) -> None:
        """Keep the latest wall-clock time seen (reported when the clock goes back)."""
        seen = self.gate.meta(_META_SEEN)
        if seen is None or datetime.fromisoformat(seen.decode()) < now:
            with self.gate.transaction():
                self.gate.set_meta(_META_SEEN, now.isoformat().encode())

    def latest_time_seen(self) -> datetime | None:
        seen = self.gate.meta(_META_SEEN)
        return datetime.fromisoformat(seen.decode()) if seen else None


def _folder_keys(folder: Path, master: MasterKey, person_id: str | None, *,
                 pin_must_change: bool = False) -> UnlockedKeys:
    """The database and device keys of ``folder``, unwrapped by ``master``."""
    path = folder / DEVICE_DIR / KEYS_FILE
    try:
        document = json.loads(path.read_text("ascii"))
        if document.get("format") != KEYS_FORMAT:
            raise ValueError("format")
        blob_db, blob_dev = bytes.fromhex(document["db_key"]), bytes.fromhex(document["device_key"])
    except (OSError, ValueError, KeyError, TypeError):
        raise KeysDamaged(f"{KEYS_FILE} 缺失或损坏 / {KEYS_FILE} is missing or damaged") from None
    try:
        db_key = master.unwrap(blob_db, context=_CTX_DB)
        signing = crypto.signing_key_from_raw(master.unwrap(blob_dev, context=_CTX_DEVICE))
    except (KeyUnwrapError, crypto.KeyFormatError):
        raise KeysDamaged("数据库或设备密钥无法解开 / the database or device key does not unwrap") from None
    device = DeviceIdentity.from_private_key(folder, signing)
    return UnlockedKeys(master, db_key, device, person_id, pin_must_change)


def _legacy_key(os_secret: bytes) -> bytes:
    return crypto.derive_key(os_secret, info=b"fieldinspect/legacy-master")


def _gate_key(os_secret: bytes) -> bytes:
    return crypto.derive_key(os_secret, info=b"fieldinspect/gate")


def _master_context(person_id: str) -> bytes:
    return b"master-key:" + person_id.encode("utf-8")
