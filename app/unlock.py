"""Opening a data folder for work: create it with new keys, or unlock it with a PIN.

Every entry point (the window, the command line, tests) comes through here, so the
keys always come from the custody (``app.custody``) and nothing opens without them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.clock import Clock, system_clock
from app.custody import Custody, CustodyError, UnlockedKeys
from app.keystore import OsKeyStore
from local_db.database import check_data_folder, transaction

# The sign-in page needs only the custody; the workspace (database, audit log,
# repositories) loads while a PIN's key is derived, and is imported where it is opened.
if TYPE_CHECKING:
    from app.workspace import Workspace


def create(folder: Path, *, keystore: OsKeyStore | None = None, clock: Clock = system_clock,
           **custody_options: object) -> Workspace:
    """A new data folder (created when missing): new keys, an empty database.

    The workspace returned is unlocked for whoever creates it (seeding demo data,
    issuing the first PINs); once closed, only a PIN opens it again.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    check_data_folder(folder)
    from app.workspace import Workspace

    custody, keys = Custody.create(folder, keystore, **custody_options)
    try:
        return Workspace.open(folder, keys=keys, custody=custody, create=True, clock=clock)
    except BaseException:
        custody.close()
        raise


def open_custody(folder: Path, *, keystore: OsKeyStore | None = None, **custody_options: object) -> Custody:
    """The custody of an existing folder, for the sign-in page (nothing unlocked yet).

    A folder of an earlier version (device key in the clear, plain database) is
    adopted first: see :meth:`app.custody.Custody.adopt`.
    """
    folder = Path(folder)
    check_data_folder(folder)
    if Custody.legacy(folder):
        from local_db import legacy

        pins, roster = legacy.read_sign_in(folder)
        if not pins:
            raise CustodyError(
                "此数据目录来自早期版本，其中无人设有 PIN，无法登录。目录未作任何改动，请联系技术支持。",
                "This data folder is from an earlier version and nobody in it has a PIN, so nobody can sign "
                "in. The folder has not been changed; contact support.")
        return Custody.adopt(folder, pins, roster, keystore, **custody_options)
    custody = Custody.open(folder, keystore, **custody_options)
    custody.remove_legacy_key_file()  # an adoption cut short after the custody was complete
    return custody


def open_with_keys(custody: Custody, keys: UnlockedKeys, *, clock: Clock = system_clock) -> Workspace:
    """The workspace of an unlocked custody: opens the database, then brings the gate up to date.

    Audit entries made while the database was locked (wrong PINs at a cold start)
    move into the audit log, and the sign-in cards are refreshed from the roster.
    Evidence, documents and thumbnails an earlier version stored in the clear are
    encrypted in place (``app/evidence/at_rest.py``).
    """
    from app.workspace import Workspace

    ws = Workspace.open(custody.folder, keys=keys, custody=custody, clock=clock)
    try:
        flush_gate(ws)
        from app.evidence.at_rest import encrypt_folder_at_rest

        encrypt_folder_at_rest(ws)  # files an earlier version kept in the clear, once
    except BaseException:
        ws.db.conn.close()
        raise
    return ws


def unlock(folder: Path, person_id: str, pin: str, *, keystore: OsKeyStore | None = None,
           clock: Clock = system_clock, **custody_options: object) -> Workspace:
    """Open ``folder`` for ``person_id`` with their PIN (the command line's way in)."""
    custody = open_custody(folder, keystore=keystore, **custody_options)
    try:
        person = custody.person(person_id)
        keys = custody.unlock(person.id, pin, now=clock().replace(microsecond=0))
    except BaseException:  # a refusal's audit entry stays in the gate for the next unlock to move
        custody.close()
        raise
    try:
        return open_with_keys(custody, keys, clock=clock)
    except BaseException:
        custody.close()
        raise


def flush_gate(ws: Workspace) -> None:
    """Move the gate's pending audit entries into the audit log and refresh its cards."""
    custody = ws.custody
    if custody is None:
        return
    pending = custody.pending_audit()
    if pending:
        with transaction(ws.db):
            for _, at, actor, action, target, detail in pending:
                ws.audit.append(actor, action, target, **detail, recorded_at=at.isoformat())
        custody.drop_pending_audit(pending[-1][0])
    custody.refresh_people(ws.officers.all())
