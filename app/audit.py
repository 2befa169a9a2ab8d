"""The append-only, hash-chained audit log.

Each entry's ``hash`` is the SHA-256 of its canonical JSON form, which includes
``prev_hash``, the hash of the entry before it. The database refuses UPDATE and
DELETE on the table (migration 0002); an edit made behind its back, or a removed
entry, breaks the chain and :func:`verify` names the first entry affected.

A hash chain alone can be rebuilt by anyone who holds the database key, so every
entry is also signed with the device key (migration 0013): the signature is over
:func:`signing_message` of the entry's hash. Entries written before signing began
are covered by one signed entry, ``audit.signing_began``, which names how many
earlier entries it covers; its ``prev_hash`` links to the last of them.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any


from app.clock import Clock, system_clock
from app.crypto import canonical_json, sha256_hex
from app.domain import AuditEntry
from local_db.database import Database
from local_db.repositories import AuditRepository

if TYPE_CHECKING:
    from app.device import DeviceIdentity, DevicePublicKey

GENESIS = "0" * 64
SIGNATURE_DOMAIN = b"fieldinspect.audit/1\n"
SIGNING_BEGAN = "audit.signing_began"


def signing_message(entry_hash_hex: str) -> bytes:
    """The bytes the device key signs for one entry: ``fieldinspect.audit/1\\n<hash>``."""
    return SIGNATURE_DOMAIN + entry_hash_hex.encode("ascii")


def entry_hash(entry: AuditEntry) -> str:
    return sha256_hex(canonical_json({
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "detail": entry.detail,
        "prev_hash": entry.prev_hash,
    }))


class AuditLog:
    def __init__(self, db: Database, clock: Clock = system_clock, signer: DeviceIdentity | None = None) -> None:
        self.repo = AuditRepository(db)
        self.clock = clock
        self.signer = signer

    def append(self, actor: str, action: str, target: str = "", **detail: Any) -> AuditEntry:
        """Record one action. Call inside the caller's transaction when there is one."""
        last = self.repo.last()
        began = self.repo.signing_began_after()
        if self.signer is not None and began and last is not None and last.seq == began:
            # The first signed entry of an upgraded folder covers those before it.
            last = self._write(last, "system", SIGNING_BEGAN, "", {"covers": began, "covers_hash": last.hash})
        return self._write(last, actor, action, target, detail)

    def _write(self, last: AuditEntry | None, actor: str, action: str, target: str,
               detail: dict[str, Any]) -> AuditEntry:
        draft = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            at=self.clock().replace(microsecond=0),
            actor=actor, action=action, target=target, detail=detail,
            prev_hash=last.hash if last else GENESIS,
        )
        digest = entry_hash(draft)
        signature = (base64.b64encode(self.signer.sign(signing_message(digest))).decode("ascii")
                     if self.signer is not None else "")
        entry = AuditEntry(**{**_fields(draft), "hash": digest, "signature": signature})
        self.repo.insert(entry)
        return entry


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int
    problem: str  # "altered", "missing-before", "broken-link"; with a key also "unsigned", "forged"


def verify(db: Database, key: DevicePublicKey | None = None) -> list[AuditProblem]:
    """Check the whole chain; an empty list means every entry is intact and in place.

    With the device's public ``key`` every signature is checked too: an entry after
    signing began without one is ``unsigned``, one whose signature is not the
    device's (re-chained, or signed by another key) is ``forged``.
    """
    problems: list[AuditProblem] = []
    expected_prev, expected_seq = GENESIS, 1
    repo = AuditRepository(db)
    began = repo.signing_began_after()
    # Without the record of when signing began, nothing may be unsigned.
    began = began if began is not None else 0
    for entry in repo.entries():
        if key is not None:
            problems += [AuditProblem(entry.seq, p) for p in _signature_problems(entry, key, began)]
        if entry.seq != expected_seq:
            problems.append(AuditProblem(entry.seq, "missing-before"))
        if entry.prev_hash != expected_prev:
            problems.append(AuditProblem(entry.seq, "broken-link"))
        if entry_hash(entry) != entry.hash:
            problems.append(AuditProblem(entry.seq, "altered"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def _signature_problems(entry: AuditEntry, key: DevicePublicKey, began: int) -> list[str]:
    if not entry.signature:
        return ["unsigned"] if entry.seq > began else []
    try:
        raw = base64.b64decode(entry.signature, validate=True)
    except (binascii.Error, ValueError):
        return ["forged"]
    problems = [] if key.verify(raw, signing_message(entry.hash)) else ["forged"]
    if began and entry.seq == began + 1 and not (entry.action == SIGNING_BEGAN
                                                 and entry.detail.get("covers") == began):
        problems.append("unsigned")  # the entries before signing began are covered by nothing
    return problems


def signature_of(entry: AuditEntry) -> bytes:
    """The raw signature bytes of ``entry`` (empty when unsigned or undecodable)."""
    try:
        return base64.b64decode(entry.signature, validate=True)
    except (binascii.Error, ValueError):
        return b""


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in AuditEntry.__slots__}
