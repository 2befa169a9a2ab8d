"""Anchored chains: signed chain heads, and the checks that tie the chains to them.

Anyone who holds the database key can rebuild an unkeyed hash chain, cut its tail
or drop the append-only triggers. What they cannot do without the device key is
sign. So the device signs a **chain head** (``fieldinspect.chain-head/1``: device
id, the last audit seq and hash, the last seal seq and hash, the time, and what the
device's own check found) each time it writes a bundle; it keeps every head it
signed (``chain_heads``, migration 0013) and sends the newest in the bundle, and
HQ keeps the last it accepted. HQ's receipts carry HQ's view of the same heads.
A chain that ends before any of those heads has lost its tail.

docs/FORMATS.md, "Chain head", is the reference for third parties.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import crypto
from app.audit import verify as verify_audit
from app.device import DeviceIdentity, DevicePublicKey
from local_db.database import Database, missing_triggers

HEAD_FORMAT = "fieldinspect.chain-head/1"
HEAD_FIELDS = ("format", "device_id", "audit_seq", "audit_hash", "seal_seq", "seal_hash", "at", "problems")
GENESIS = "0" * 64

# kind → (Chinese, English): what the anchor checks find.
ANCHOR_PROBLEMS: dict[str, tuple[str, str]] = {
    "missing-trigger": ("只允许追加的保护触发器被删除", "an append-only trigger was dropped"),
    "cut-tail": ("链尾被截断：链在已签名的链头之前结束", "tail cut: a chain ends before a signed chain head"),
    "head-mismatch": ("链与已签名的链头不符（记录被改写）",
                      "a chain differs from a signed chain head (records rewritten)"),
    "bad-chain-head": ("链头签名无效或格式错误", "a chain head is malformed or not signed by the device key"),
}


@dataclass(frozen=True, slots=True)
class AnchorProblem:
    kind: str
    detail: str = ""


def chain_state(db: Database) -> dict[str, Any]:
    """The last audit and seal seq with their hashes, as they are now (0 and the genesis value when empty)."""
    audit = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seal = (db.execute("SELECT seq, record FROM seal_records ORDER BY seq DESC LIMIT 1").fetchone()
            if db.has_table("seal_records") else None)
    return {
        "audit_seq": int(audit[0]) if audit else 0,
        "audit_hash": audit[1] if audit else GENESIS,
        "seal_seq": int(seal[0]) if seal else 0,
        "seal_hash": crypto.sha256_hex(_text_bytes(seal[1])) if seal else GENESIS,
    }


def head_body(*, device_id: str, state: dict[str, Any], at: datetime, problems: list[str]) -> bytes:
    """The canonical JSON of a chain head: exactly the bytes the device key signs."""
    return crypto.canonical_json({
        "format": HEAD_FORMAT, "device_id": device_id,
        "audit_seq": state["audit_seq"], "audit_hash": state["audit_hash"],
        "seal_seq": state["seal_seq"], "seal_hash": state["seal_hash"],
        "at": at.isoformat(), "problems": sorted(set(problems)),
    })


def make_head(db: Database, device: DeviceIdentity, at: datetime) -> tuple[bytes, bytes]:
    """Sign the head of the chains as they are now; (body, raw signature). :func:`keep_head` stores it.

    ``problems`` in the head are the kinds the device's own check
    (:func:`self_check`) found, so HQ learns of a dropped trigger or a forged
    entry even when the bundle's content looks sound.
    """
    state = chain_state(db)
    body = head_body(device_id=device.device_id, state=state, at=at, problems=self_check(db, device.public))
    return body, device.sign(body)


def keep_head(db: Database, body: bytes, signature: bytes) -> None:
    """Keep a signed head on the device (inside the caller's transaction)."""
    head = json.loads(body)
    db.execute("INSERT INTO chain_heads (body, signature, audit_seq, seal_seq) VALUES (?, ?, ?, ?)",
               [body.decode("utf-8"), base64.b64encode(signature).decode("ascii"),
                head["audit_seq"], head["seal_seq"]])


def parse_head(body: bytes, signature: bytes, key: DevicePublicKey) -> dict[str, Any] | None:
    """The head's fields when ``body`` is a well-formed head of ``key``'s device signed by it; else None."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    ok = (isinstance(value, dict) and set(value) == set(HEAD_FIELDS) and value["format"] == HEAD_FORMAT
          and value["device_id"] == key.device_id
          and all(isinstance(value[k], int) and value[k] >= 0 for k in ("audit_seq", "seal_seq"))
          and all(isinstance(value[k], str) for k in ("audit_hash", "seal_hash", "at"))
          and isinstance(value["problems"], list) and crypto.canonical_json(value) == body
          and key.verify(signature, body))
    if not ok:
        return None
    try:
        datetime.fromisoformat(value["at"])
    except ValueError:
        return None
    return value


def stored_heads(db: Database) -> list[tuple[bytes, bytes]]:
    """Every head this device signed, oldest first: (body, raw signature)."""
    if not db.has_table("chain_heads"):
        return []
    return [(_text_bytes(body), _b64(sig)) for body, sig in
            db.execute("SELECT body, signature FROM chain_heads ORDER BY id")]


def receipt_heads(db: Database) -> list[tuple[str, dict[str, Any]]]:
    """(bundle id, HQ's ``chain_head``) of every receipt the device applied (their HQ signature was checked then)."""
    if not db.has_table("sync_receipts"):
        return []
    found = []
    for bundle_id, body in db.execute("SELECT bundle_id, body FROM sync_receipts ORDER BY rowid"):
        try:
            head = json.loads(body).get("chain_head") or {}
        except (ValueError, AttributeError):
            continue
        if isinstance(head, dict):
            found.append((bundle_id, head))
    return found


def seal_floor(db: Database) -> tuple[int, str]:
    """The highest seal seq ever used or acknowledged, with the hash of that record.

    A new seal takes the next seq after it, so a seq HQ acknowledged (or a signed
    head named) is never given to other content, even when the record holding it
    was removed behind the application's back.
    """
    state = chain_state(db)
    seq, digest = state["seal_seq"], state["seal_hash"]
    anchors: list[tuple[int, str]] = []
    for body, _ in stored_heads(db):  # the device's own: its signature is checked by verify
        try:
            head = json.loads(body)
            anchors.append((int(head["seal_seq"]), str(head["seal_hash"])))
        except (ValueError, KeyError, TypeError):
            continue
    for _, head in receipt_heads(db):
        if isinstance(head.get("seal_seq"), int) and isinstance(head.get("seal_hash"), str):
            anchors.append((head["seal_seq"], head["seal_hash"]))
    for a_seq, a_hash in anchors:
        if a_seq > seq:
            seq, digest = a_seq, a_hash
    return seq, digest


def anchor_problems(db: Database, key: DevicePublicKey | None) -> list[AnchorProblem]:
    """Dropped triggers, and chains that end before, or differ from, a signed head or a receipt's head."""
    problems = [AnchorProblem("missing-trigger", name) for name in missing_triggers(db)]
    audit = dict(db.execute("SELECT seq, hash FROM audit_log").fetchall())
    seals = ({seq: crypto.sha256_hex(_text_bytes(rec)) for seq, rec in
              db.execute("SELECT seq, record FROM seal_records")} if db.has_table("seal_records") else {})
    audit_top, seal_top = max(audit, default=0), max(seals, default=0)

    def against(head: dict[str, Any], where: str) -> None:
        for chain, held, top in (("audit", audit, audit_top), ("seal", seals, seal_top)):
            seq, digest = head.get(f"{chain}_seq"), head.get(f"{chain}_hash")
            if not isinstance(seq, int) or seq <= 0:
                continue
            if seq > top:
                problems.append(AnchorProblem("cut-tail", f"{where}: {chain} seq {seq}, the chain ends at {top}"))
            elif seq in held and held[seq] != digest:
                problems.append(AnchorProblem("head-mismatch", f"{where}: {chain} seq {seq}"))
            elif seq not in held:
                problems.append(AnchorProblem("cut-tail", f"{where}: {chain} seq {seq} is missing"))

    heads = stored_heads(db)
    for n, (body, signature) in enumerate(heads, 1):
        head = parse_head(body, signature, key) if key is not None else _loads(body)
        if head is None:
            problems.append(AnchorProblem("bad-chain-head", f"device head {n}"))
            continue
        against(head, f"device head {n}")
    for bundle_id, head in receipt_heads(db):
        against(head, f"HQ receipt {bundle_id}")
    return _unique(problems)


def self_check(db: Database, key: DevicePublicKey) -> list[str]:
    """The kinds of problem the device finds in its own chains (no evidence file is read)."""
    kinds = {f"audit-{p.problem}" for p in verify_audit(db, key)}
    kinds |= {p.kind for p in anchor_problems(db, key)}
    if db.has_table("seal_records"):
        for record, signature in db.execute("SELECT record, signature FROM seal_records ORDER BY seq"):
            if not key.verify(_b64(signature), _text_bytes(record)):
                kinds.add("seal-forged")
    return sorted(kinds)


def _unique(problems: list[AnchorProblem]) -> list[AnchorProblem]:
    seen: dict[tuple[str, str], AnchorProblem] = {}
    for p in problems:
        seen.setdefault((p.kind, p.detail), p)
    return list(seen.values())


def _loads(body: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _text_bytes(value: str | bytes) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError, TypeError):
        return b""
