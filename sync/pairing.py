"""Pairing a device with HQ: the HQ age recipient and signing public key, pinned in settings.

Bundles are encrypted to the pinned recipient; receipts and reference data are
accepted only with a signature by the pinned key. Pairing again with other keys is
refused unless ``replace=True`` (a new HQ key is an event an administrator decides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import crypto
from app.access import Permission, acting
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError
from sync.errors import NotPaired
from sync.hq import keys

RECIPIENT = "sync.hq_age_recipient"
SIGNING_PUB = "sync.hq_signing_public_key_pem"


class PairingError(UserFacingError):
    pass


@dataclass(frozen=True)
class HqPairing:
    recipient: str
    signing_pub_pem: bytes

    @property
    def verify_key(self) -> crypto.VerifyKey:
        return crypto.load_public_key_pem(self.signing_pub_pem)

    def verifies(self, signature: bytes, data: bytes) -> bool:
        return crypto.verify_signature(self.verify_key, signature, data)


def pair(ws: Workspace, *, recipient: str, signing_pub_pem: bytes, session: Session,
         replace: bool = False) -> HqPairing:
    """Pin HQ's keys in the workspace settings (audited). Validates both first.

    Who pairs is the person ``session`` signed in, if their role may sync (DOMAIN.md:
    not auxiliary staff); anyone else is refused, and the refusal audited.

    The device master key is sealed to HQ's age recipient at the same time, so HQ
    can re-key the folder for a new key store (``fieldinspect-hq recover``).
    """
    return _pin_keys(ws, recipient, signing_pub_pem, acting(ws, session, Permission.SYNC, "pair").id, replace)


def _pin_keys(ws: Workspace, recipient: str, signing_pub_pem: bytes, actor: str, replace: bool) -> HqPairing:
    try:
        crypto.age_recipient_bytes(recipient)
    except crypto.AgeError as exc:
        raise PairingError(f"总部加密公钥无效：{exc}", f"Invalid HQ age recipient: {exc}") from None
    try:
        key = crypto.load_public_key_pem(signing_pub_pem)
    except crypto.KeyFormatError as exc:
        raise PairingError(f"总部签名公钥无效：{exc}", f"Invalid HQ signing public key: {exc}") from None
    pem = crypto.public_key_pem(key)
    current = current_pairing(ws)
    if current is not None and (current.recipient, current.signing_pub_pem) != (recipient, pem) and not replace:
        raise PairingError("本设备已与另一总部密钥配对；如确需更换，请使用 --replace。",
                           "This device is already paired with other HQ keys; use --replace to change them.")
    if ws.custody is not None:  # HQ can recover the folder if this machine's key store is lost
        ws.custody.seal_for_hq(ws.keys, recipient)
    with transaction(ws.db):
        ws.settings.set(RECIPIENT, recipient)
        ws.settings.set(SIGNING_PUB, pem.decode("ascii"))
        ws.audit.append(actor, "sync.paired", recipient,
                        hq_key_sha256=crypto.sha256_hex(crypto.public_key_raw(key)))
    return HqPairing(recipient, pem)


def pair_with_folder(ws: Workspace, hq_dir: Path, *, session: Session, replace: bool = False) -> HqPairing:
    """Pair with the HQ whose key folder (``fieldinspect-hq keygen --dir``) is ``hq_dir``."""
    actor = acting(ws, session, Permission.SYNC, "pair").id  # refused before the folder is read
    try:
        recipient = keys.age_recipient(hq_dir)
        pem = (hq_dir / keys.SIGNING_PUB).read_bytes()
    except OSError as exc:
        raise PairingError(f"无法读取总部密钥目录 {hq_dir}：{exc.strerror}",
                           f"Cannot read the HQ key folder {hq_dir}: {exc.strerror}") from None
    return _pin_keys(ws, recipient, pem, actor, replace)


def current_pairing(ws: Workspace) -> HqPairing | None:
    recipient = ws.settings.get(RECIPIENT)
    pem = ws.settings.get(SIGNING_PUB)
    if not recipient or not pem:
        return None
    return HqPairing(recipient, pem.encode("ascii"))


def pairing(ws: Workspace) -> HqPairing:
    """The pinned HQ keys; :class:`NotPaired` when there are none."""
    found = current_pairing(ws)
    if found is None:
        raise NotPaired()
    return found
