"""The append-only, hash-chained audit log.

Each entry's ``hash`` is the SHA-256 of its canonical JSON form, which includes
``prev_hash``, the hash of the entry before it. The database refuses UPDATE and
DELETE on the table (migration 0002); an edit made behind its back, or a removed
entry, breaks the chain and :func:`verify` names the first entry affected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


from app.clock import Clock, system_clock
from app.crypto import canonical_json, sha256_hex
from app.domain import AuditEntry
from local_db.database import Database
from local_db.repositories import AuditRepository

GENESIS = "0" * 64


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
    def __init__(self, db: Database, clock: Clock = system_clock) -> None:
        self.repo = AuditRepository(db)
        self.clock = clock

    def append(self, actor: str, action: str, target: str = "", **detail: Any) -> AuditEntry:
        """Record one action. Call inside the caller's transaction when there is one."""
        last = self.repo.last()
        draft = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            at=self.clock().replace(microsecond=0),
            actor=actor, action=action, target=target, detail=detail,
            prev_hash=last.hash if last else GENESIS,
        )
        entry = AuditEntry(**{**_fields(draft), "hash": entry_hash(draft)})
        self.repo.insert(entry)
        return entry


@dataclass(frozen=True, slots=True)
class AuditProblem:
    seq: int
    problem: str  # "altered", "missing-before", "broken-link"


def verify(db: Database) -> list[AuditProblem]:
    """Check the whole chain; an empty list means every entry is intact and in place."""
    problems: list[AuditProblem] = []
    expected_prev, expected_seq = GENESIS, 1
    for entry in AuditRepository(db).entries():
        if entry.seq != expected_seq:
            problems.append(AuditProblem(entry.seq, "missing-before"))
        if entry.prev_hash != expected_prev:
            problems.append(AuditProblem(entry.seq, "broken-link"))
        if entry_hash(entry) != entry.hash:
            problems.append(AuditProblem(entry.seq, "altered"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return problems


def _fields(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in AuditEntry.__slots__}
