"""The client's sync state: receipts applied, rejections recorded, what is pending.

A record counts as synced only when HQ's receipt for the bundle that carried it
verifies with the pinned HQ key and matches, item for item, what this device put in
that bundle. Nothing is deleted on acknowledgement: originals stay until their
retention allows removal (R19, see the evidence retention columns).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from app import crypto
from app.access import Permission, acting
from app.session import Session
from app.device import PUBLIC_KEY_FILE, DeviceKeyError, DevicePublicKey, device_folder
from app.domain import EvidenceItem
from app.workspace import Workspace
from local_db.database import transaction
from local_db.sync_repository import SyncRepository
from sync.errors import AcknowledgedChanged, ReceiptInvalid
from sync.pairing import current_pairing, pairing
from sync.receipt import RECEIPT_FORMAT, SignedReceipt
from sync.records_export import snapshots


@dataclass
class SyncSummary:
    """What the Sync page shows."""

    paired: bool
    pending_evidence: int = 0
    pending_bytes: int = 0
    pending_inspections: int = 0
    pending_audit: int = 0
    outstanding: dict | None = None
    acknowledged: list[dict] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)


def apply_receipt(ws: Workspace, receipt: SignedReceipt, *, session: Session) -> dict[str, Any]:
    """Verify ``receipt`` and mark the bundle it names as acknowledged; return the receipt's fields.

    Raises :class:`ReceiptInvalid`, changing nothing, when the signature is not the
    pinned HQ key's, or the receipt does not match a bundle this device made. The
    same receipt applied twice changes nothing the second time. Applied by the person
    ``session`` signed in, if their role may sync; else refused and audited.
    """
    return _acknowledge(ws, receipt, acting(ws, session, Permission.SYNC, "receipt").id)


def _acknowledge(ws: Workspace, receipt: SignedReceipt, actor: str) -> dict[str, Any]:
    """:func:`apply_receipt` for a sync whose person was checked when it started."""
    hq = pairing(ws)
    if not hq.verifies(receipt.signature, receipt.body):
        raise ReceiptInvalid("总部签名无效", "the HQ signature does not verify")
    try:
        fields = receipt.fields()
    except ValueError as exc:
        raise ReceiptInvalid(f"格式错误：{exc}", f"malformed: {exc}") from None
    if fields.get("format") != RECEIPT_FORMAT:
        raise ReceiptInvalid("不是数据包回执", "not a bundle receipt")
    repo = SyncRepository(ws.db)
    bundle = repo.bundle(str(fields.get("bundle_id")))
    if bundle is None:
        raise ReceiptInvalid("本设备没有该数据包", f"this device made no bundle {fields.get('bundle_id')!r}")
    _match(bundle, repo.items(bundle["id"]), fields)
    if repo.receipt(bundle["id"]) is not None:
        return fields
    head = fields.get("chain_head") or {}
    with transaction(ws.db):
        repo.insert_receipt(bundle_id=bundle["id"], received_at=ws.clock().isoformat(),
                            body=receipt.body.decode("utf-8"),
                            signature=base64.b64encode(receipt.signature).decode("ascii"),
                            seal_head=int(head.get("seal_seq") or 0), audit_head=int(head.get("audit_seq") or 0))
        repo.set_state(bundle["id"], "acknowledged")
        ws.audit.append(actor, "sync.acknowledged", bundle["id"], sequence=bundle["sequence"],
                        seal_head=head.get("seal_seq"), audit_head=head.get("audit_seq"))
    discard_outbox_file(ws, bundle["path"])
    return fields


def apply_refusal(ws: Workspace, refusal: SignedReceipt, *, session: Session) -> dict[str, Any]:
    """Verify HQ's signed refusal of a bundle brought on a USB stick and record it like a
    rejection over HTTP (:func:`record_rejection`); return its fields.

    The refusal names the bundle by the SHA-256 of its file. Raises
    :class:`ReceiptInvalid`, changing nothing, when the signature is not the pinned HQ
    key's or no bundle of this device has that SHA-256.
    """
    from sync.receipt import REFUSAL_FORMAT

    actor = acting(ws, session, Permission.SYNC, "receipt").id
    hq = pairing(ws)
    if not hq.verifies(refusal.signature, refusal.body):
        raise ReceiptInvalid("总部签名无效", "the HQ signature does not verify")
    try:
        fields = refusal.fields()
    except ValueError as exc:
        raise ReceiptInvalid(f"格式错误：{exc}", f"malformed: {exc}") from None
    if fields.get("format") != REFUSAL_FORMAT:
        raise ReceiptInvalid("不是总部拒收说明", "not an HQ refusal")
    sha = str(fields.get("bundle_sha256") or "")
    bundle = next((b for b in SyncRepository(ws.db).bundles() if b["sha256"] == sha), None) if sha else None
    if bundle is None:
        raise ReceiptInvalid("本设备没有该数据包", f"this device made no bundle with SHA-256 {sha[:16]}…")
    fields["bundle_id"] = bundle["id"]
    if bundle["state"] != "made":  # already acknowledged, refused or superseded: nothing changes
        return fields
    _reject(ws, bundle["id"], str(fields.get("code") or "refused"), str(fields.get("zh") or ""),
            str(fields.get("en") or ""), actor)
    return fields


def check_acknowledged(ws: Workspace) -> None:
    """Raise :class:`AcknowledgedChanged` when a seal record HQ acknowledged is gone or differs.

    Checked against what this device sent in acknowledged bundles (``sync_bundle_items``)
    and against the seal-chain head in each of HQ's receipts.
    """
    held = {seq: (sha, crypto.sha256_hex(record.encode("utf-8"))) for seq, sha, record in
            ws.db.execute("SELECT seq, sha256, record FROM seal_records")}
    acknowledged = ws.db.execute(
        "SELECT i.seal_seq, i.item_key FROM sync_bundle_items i JOIN sync_bundles b ON b.id = i.bundle_id "
        "WHERE i.kind = 'evidence' AND b.state = 'acknowledged' ORDER BY i.seal_seq")
    for seq, sha in acknowledged:
        if held.get(seq, (None,))[0] != sha:
            raise AcknowledgedChanged(f"seal seq {seq} ({sha[:16]}…)")
    repo = SyncRepository(ws.db)
    for bundle in repo.bundles():
        receipt = repo.receipt(bundle["id"]) if bundle["state"] == "acknowledged" else None
        head = (_json(receipt["body"]).get("chain_head") or {}) if receipt else {}
        seq, digest = head.get("seal_seq"), head.get("seal_hash")
        if isinstance(seq, int) and seq > 0 and held.get(seq, (None, None))[1] != digest:
            raise AcknowledgedChanged(f"seal seq {seq}, HQ's head in the receipt for {bundle['id']}")


def _json(text: str) -> dict:
    import json

    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


OUTBOX = Path("sync") / "outbox"
# The partial file of the bundle being written (sync.bundle), for sync.recovery after a kill.
WRITING_SETTING = "sync.bundle_writing"


def discard_outbox_file(ws: Workspace, path: str | Path | None) -> bool:
    """Remove a bundle file the device no longer needs (acknowledged, rejected, superseded).

    Only files in the device's own outbox: a bundle written elsewhere for a USB stick is
    the person's to keep or delete. The originals stay in the evidence store (R19); the
    bundle is only a transfer copy, and keeping every one would double the disk used.
    True when a file was removed.
    """
    if not path:
        return False
    target = Path(path).resolve()
    outbox = (ws.folder / OUTBOX).resolve()
    if target.parent != outbox:
        return False
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    return True


def _match(bundle: dict, items: list[dict], fields: dict[str, Any]) -> None:
    """The receipt must list exactly what the bundle held."""
    def rng(a: Any, b: Any) -> list[int] | None:
        return [a, b] if a is not None else None

    expected = {
        "sequence": bundle["sequence"],
        "tagmanifest_sha256": bundle["tagmanifest_sha256"],
        "seal_range": rng(bundle["seal_from"], bundle["seal_to"]),
        "audit_range": rng(bundle["audit_from"], bundle["audit_to"]),
        "evidence": [i["item_key"] for i in sorted((i for i in items if i["kind"] == "evidence"),
                                                   key=lambda i: i["seal_seq"])],
        "records": sorted(({"inspection_id": i["item_key"], "sha256": i["sha256"]}
                           for i in items if i["kind"] == "inspection"), key=lambda r: r["inspection_id"]),
    }
    wrong = [name for name, value in expected.items() if fields.get(name) != value]
    head = fields.get("chain_head") or {}
    if bundle["seal_to"] is not None and not (isinstance(head.get("seal_seq"), int)
                                              and head["seal_seq"] >= bundle["seal_to"]):
        wrong.append("chain_head")
    if wrong:
        raise ReceiptInvalid("回执与本设备所发数据包不符：" + "、".join(wrong),
                             "the receipt does not match the bundle sent: " + ", ".join(wrong))


def record_rejection(ws: Workspace, bundle_id: str, code: str, zh: str, en: str, *, session: Session) -> None:
    """Keep HQ's reason and mark the bundle rejected, so the next build makes a new one.

    Recorded by the person ``session`` signed in, if their role may sync; else refused, audited.
    """
    _reject(ws, bundle_id, code, zh, en, acting(ws, session, Permission.SYNC, bundle_id).id)


def _reject(ws: Workspace, bundle_id: str, code: str, zh: str, en: str, actor: str) -> None:
    """:func:`record_rejection` for a sync whose person was checked when it started."""
    repo = SyncRepository(ws.db)
    if repo.bundle(bundle_id) is None:
        raise ReceiptInvalid("本设备没有该数据包", f"this device made no bundle {bundle_id!r}")
    with transaction(ws.db):
        repo.insert_rejection(bundle_id=bundle_id, at=ws.clock().isoformat(), code=code, zh=zh, en=en)
        if repo.bundle(bundle_id)["state"] == "made":  # type: ignore[index]
            repo.set_state(bundle_id, "rejected")
        ws.audit.append(actor, "sync.rejected", bundle_id, code=code)
    discard_outbox_file(ws, repo.bundle(bundle_id)["path"])  # type: ignore[index]  # the next build makes a new one


def is_evidence_synced(ws: Workspace, seal_seq: int) -> bool:
    """True when HQ has acknowledged holding the seal record ``seal_seq``."""
    return seal_seq <= SyncRepository(ws.db).acknowledged_heads()[0]


def synced_hashes(ws: Workspace, items: Iterable[EvidenceItem]) -> frozenset[str]:
    """The SHA-256 of those ``items`` HQ has acknowledged (R18 counts the rest as not synced)."""
    head = SyncRepository(ws.db).acknowledged_heads()[0]
    return frozenset(i.sha256 for i in items if 0 < i.seal_seq <= head)


def pending_summary(ws: Workspace) -> SyncSummary:
    """Counts of what is not yet acknowledged, the bundle in flight, receipts and rejections."""
    repo = SyncRepository(ws.db)
    seal_head, audit_head = repo.acknowledged_heads()
    summary = SyncSummary(paired=current_pairing(ws) is not None)
    for row in repo.seal_rows_after(seal_head, repo.last_seal_seq()):
        summary.pending_evidence += 1
        summary.pending_bytes += row["size"]
    summary.pending_audit = max(0, repo.last_audit_seq() - audit_head)
    acked = repo.acknowledged_snapshots()
    summary.pending_inspections = sum(1 for i, data in snapshots(repo, device_id=_device_id(ws))
                                      if acked.get(i) != crypto.sha256_hex(data))
    summary.outstanding = repo.outstanding()
    bundles = {b["id"]: b for b in repo.bundles()}
    summary.acknowledged = [{**b, "received_at": (repo.receipt(b["id"]) or {}).get("received_at")}
                            for b in reversed(list(bundles.values())) if b["state"] == "acknowledged"]
    summary.rejections = list(reversed(repo.rejections()))
    return summary



def _device_id(ws: Workspace) -> str:
    """This device's id from its public key file, without creating a key."""
    try:
        return DevicePublicKey.load(device_folder(ws.folder) / PUBLIC_KEY_FILE).device_id
    except DeviceKeyError:
        return ""
