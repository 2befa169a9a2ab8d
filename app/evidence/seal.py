"""Seal records: the device-signed, hash-linked statement of what entered the store.

A seal record is canonical JSON (``app.crypto.canonical_json``: UTF-8, sorted keys,
no spaces) with the fields of :data:`SEAL_FIELDS`. ``prev`` is the SHA-256 of the
previous record's canonical bytes (:data:`GENESIS_PREV` for the first), so the
records form one chain per device. The device's Ed25519 key signs the bytes.
docs/FORMATS.md, "Seal records", is the reference for third parties.

:func:`seal_item` writes the evidence row, the seal row and the audit entry; the
caller wraps it in one database transaction so that all three exist or none.
"""

from __future__ import annotations

from typing import Any

from app import crypto
from app.audit import AuditLog
from app.chains import seal_floor
from app.device import DeviceIdentity
from app.domain import EvidenceItem, SealRow
from local_db.evidence_repository import EvidenceRepository, SealRepository

SEAL_FORMAT = "fieldinspect.seal/1"
GENESIS_PREV = "0" * 64
SEAL_FIELDS = (
    "format", "seq", "prev", "sha256", "size", "media_type", "evidence_type",
    "captured_at", "ingested_at", "source", "device_id", "officers", "inspection_id",
    "derived_from", "derivation", "original_name",
)
AUDIT_ACTION = "evidence.sealed"


def item_fields(item: EvidenceItem) -> dict[str, Any]:
    """The fields of a seal record that describe the item (all but format, seq, prev, device_id)."""
    return {
        "sha256": item.sha256,
        "size": item.size,
        "media_type": item.media_type,
        "evidence_type": item.evidence_type.value,
        "captured_at": item.captured_at.isoformat(),
        "ingested_at": item.ingested_at.isoformat(),
        "source": {"kind": item.source_kind.value, "detail": item.source_detail},
        "officers": list(item.officer_certs),
        "inspection_id": item.inspection_id,
        "derived_from": item.derived_from,
        "derivation": item.derivation,
        "original_name": item.original_name,
    }


def build_record(item: EvidenceItem, *, seq: int, prev: str, device_id: str) -> dict[str, Any]:
    """The seal record of ``item`` as the ``seq``-th link after ``prev``."""
    return {"format": SEAL_FORMAT, "seq": seq, "prev": prev, "device_id": device_id, **item_fields(item)}


def record_bytes(record: dict[str, Any]) -> bytes:
    """The exact bytes that are signed, hashed into the next ``prev`` and stored."""
    return crypto.canonical_json(record)


def record_hash(data: bytes) -> str:
    """The ``prev`` value a record's successor carries."""
    return crypto.sha256_hex(data)


def seal_item(item: EvidenceItem, *, device: DeviceIdentity, evidence: EvidenceRepository,
              seals: SealRepository, audit: AuditLog, actor: str) -> SealRow:
    """Insert ``item`` and its signed seal record, and log it. Call inside a transaction.

    The transaction also serialises writers (BEGIN IMMEDIATE), so two seals can
    never take the same ``seq`` or ``prev``.
    """
    # Above the highest seq ever used or acknowledged (app.chains): a seq HQ holds is
    # never given to other content, even if its record was removed behind our back.
    top, prev = seal_floor(seals.db)
    seq = top + 1
    data = record_bytes(build_record(item, seq=seq, prev=prev, device_id=device.device_id))
    row = SealRow(seq=seq, sha256=item.sha256, record=data, signature=device.sign(data))
    evidence.insert(item)
    seals.insert(row)
    # The audit entry anchors the record's hash in a second, independent chain:
    # removing the newest seal record leaves a sealing in the audit log without it.
    audit.append(actor, AUDIT_ACTION, item.sha256, seq=seq, record_sha256=record_hash(data),
                 inspection_id=item.inspection_id, evidence_type=item.evidence_type.value)
    return row
