"""Opening data folders in tests through the real key custody.

The key store is a real Secret Service (gnome-keyring, started for the test run
by conftest.py), so child processes find the same secrets as the test itself.
Argon2 runs at a test cost in this process (``app.custody.PIN_KDF`` is lowered by
conftest.py); child processes pay the production cost.
"""

from __future__ import annotations

from pathlib import Path

from app import unlock
from app.clock import Clock, system_clock
from app.custody import Custody, UnlockedKeys
from app.session import Session
from app.workspace import Workspace

# The demo PINs (resources/demo/pins.json, README.md).
DEMO_PINS = {"O01": "100101", "O02": "100202", "O04": "100404", "O05": "100505", "L01": "200101",
             "A01": "300101", "M01": "400101"}
TEST_PIN = "730519"  # issued in tests to a person the demo gives no PIN (O03)

_keys: dict[Path, UnlockedKeys] = {}


def follow_clock(ws: Workspace) -> Workspace:
    """Count wrong-PIN locks on the workspace's (test) clock instead of the boot clock."""
    assert ws.custody is not None
    ws.custody.boot_clock = lambda: ("test-boot", ws.clock().timestamp())
    return ws


def create_workspace(folder: Path, clock: Clock = system_clock) -> Workspace:
    """A new data folder with new keys, unlocked (``create_workspace(…)`` before custody)."""
    ws = follow_clock(unlock.create(folder, clock=clock))
    _keys[Path(folder).resolve()] = ws.keys
    return ws


def open_workspace(folder: Path, clock: Clock = system_clock, *, person: str | None = None,
                   pin: str | None = None) -> Workspace:
    """Open a folder again: with a PIN when given, else with the keys this process still holds.

    Holding the keys across a reopen is what the application does while someone is
    signed in; a folder this process never unlocked needs a PIN.
    """
    folder = Path(folder)
    if not Custody.present(folder):  # an empty folder is opened as a new one, as before custody
        return create_workspace(folder, clock)
    if person is not None:
        return follow_clock(unlock.unlock(folder, person, pin or DEMO_PINS[person], clock=clock))
    keys = _keys.get(folder.resolve())
    if keys is None:
        return follow_clock(unlock.unlock(folder, "O01", DEMO_PINS["O01"], clock=clock))
    custody = Custody.open(folder)
    return follow_clock(unlock.open_with_keys(custody, keys, clock=clock))


def remember(folder: Path, keys: UnlockedKeys) -> None:
    """Keys of a copied folder are the keys of its original."""
    _keys[Path(folder).resolve()] = keys


def keys_of(folder: Path) -> UnlockedKeys:
    """The keys of ``folder``: those this process holds, else unlocked with demo O01's PIN."""
    keys = _keys.get(Path(folder).resolve())
    if keys is not None:
        return keys
    custody = Custody.open(folder)
    try:
        return custody.unlock("O01", DEMO_PINS["O01"], now=system_clock())
    finally:
        custody.close()


def signed_in(ws: Workspace, person_id: str, pin: str | None = None) -> Session:
    """The session of ``person_id`` on ``ws``, signed in with their PIN (the real path).

    A person still signed in goes on with their session; one without a PIN (O03) is
    given the test PIN first, as the demo seeding gives PINs.
    """
    from app import access

    for session in ws.sessions._open.values():
        if session.person.id == person_id and ws.sessions.valid(session):  # not behind the idle lock
            return session
    if pin is None:
        pin = DEMO_PINS.get(person_id)
        if pin is None or not access.has_pin(ws, person_id):
            access.seed_pin(ws, person_id, TEST_PIN)
            pin = TEST_PIN
    return access.sign_in(ws, person_id, pin)


def as_(where: object, person_id: str) -> Session:
    """:func:`signed_in` on the workspace of ``where``: a workspace, or a service holding one."""
    ws = where
    for _ in range(4):
        if isinstance(ws, Workspace):
            return signed_in(ws, person_id)
        ws = next((getattr(ws, a) for a in ("ws", "d", "locker", "service") if getattr(ws, a, None) is not None),
                  None)
    raise TypeError(f"no workspace in {where!r}")


def clear_private_key_pem(key) -> bytes:  # noqa: ANN001 - an Ed25519 private key
    """The PKCS#8 PEM in the clear, as earlier versions kept the device key (legacy-folder fixtures)."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
