"""Rows of a forced demolition (migration 0008): the case, the operation's events,
the notary or witness, linked evidence, inventory item versions, custody and
signatures.

The record types live here because ``local_db`` may import nothing of ``app`` but
``app.domain``; ``app.demolition`` re-exports them. Writes are plain SQL inside
the caller's transaction; item versions, events and custody rows are append-only
(triggers refuse UPDATE and DELETE).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from local_db.repositories import Repository


@dataclass(frozen=True, slots=True)
class DemolitionCase:
    """A forced demolition case with its announcement and the dates R21 counts from."""

    id: str
    agency_id: str
    party_name: str
    place: str
    structure: str
    announcement_no: str
    announcement_served_on: date
    self_demolition_deadline: date
    removal_deadline: date
    officer_ids: tuple[str, ...]
    scheduled_at: datetime
    created_at: datetime
    created_by: str
    party_id_no: str = ""
    decision_no: str = ""
    attend_notice_no: str = ""
    attend_notice_served_on: date | None = None
    reconsideration_filed: bool = False
    litigation_filed: bool = False
    emergency_plan: str = ""
    means: str = "manual"
    status: str = "planned"
    party_present: bool | None = None
    party_present_name: str = ""
    inventory_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class OperationEvent:
    """start, pause, resume, abandon or end of the operation on site (R22, R25)."""

    id: int
    case_id: str
    kind: str
    at: datetime
    actor: str
    reason: str = ""
    emergency_reason: str = ""


@dataclass(frozen=True, slots=True)
class Witness:
    """A notary or independent witness of the inventory (R24)."""

    id: int
    case_id: str
    kind: str  # notary | witness
    name: str
    id_no: str
    organisation: str
    no_interest: str
    signature_png: bytes
    signature_sha256: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class ItemVersion:
    """One version of one inventoried item; version 1 is the count, later ones are edits."""

    case_id: str
    item_no: int
    version: int
    name: str
    category: str
    quantity: Decimal
    unit: str
    condition: str
    label_no: str
    storage_place: str
    photo_sha256s: tuple[str, ...]
    recorded_at: datetime
    recorded_by: str
    edit_reason: str = ""


@dataclass(frozen=True, slots=True)
class CustodyEntry:
    """stored, notice to collect, handover or refusal of inventoried items."""

    id: int
    case_id: str
    kind: str
    item_nos: tuple[int, ...]
    at: datetime
    actor: str
    storage_place: str = ""
    notice_no: str = ""
    collect_by: date | None = None
    recipient_name: str = ""
    recipient_id_no: str = ""
    signature_png: bytes | None = None
    signature_sha256: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class CaseSignature:
    id: int
    case_id: str
    document: str  # inventory | record
    role: str  # officer | party | witness
    signer_name: str
    signer_ref: str
    image_png: bytes
    image_sha256: str
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class SignatureRefusal:
    """The party refused to sign ``document``; ``reason`` says what happened."""

    id: int
    case_id: str
    document: str
    reason: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    case_id: str
    sha256: str
    role: str
    linked_at: datetime
    linked_by: str = field(default="")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


CASE_COLUMNS = frozenset({
    "party_name", "party_id_no", "place", "structure", "decision_no", "announcement_no",
    "announcement_served_on", "self_demolition_deadline", "removal_deadline", "attend_notice_no",
    "attend_notice_served_on", "reconsideration_filed", "litigation_filed", "emergency_plan", "means",
    "scheduled_at", "status", "party_present", "party_present_name", "inventory_sha256",
})


class DemolitionRepository(Repository):
    """Everything stored about forced demolition cases."""

    # --- cases ------------------------------------------------------------------------

    def create(self, case: DemolitionCase) -> None:
        self._insert_all("demolition_cases", [{
            "id": case.id, "agency_id": case.agency_id, "party_name": case.party_name,
            "party_id_no": case.party_id_no, "place": case.place, "structure": case.structure,
            "decision_no": case.decision_no, "announcement_no": case.announcement_no,
            "announcement_served_on": _iso(case.announcement_served_on),
            "self_demolition_deadline": _iso(case.self_demolition_deadline),
            "removal_deadline": _iso(case.removal_deadline), "attend_notice_no": case.attend_notice_no,
            "attend_notice_served_on": _iso(case.attend_notice_served_on),
            "reconsideration_filed": int(case.reconsideration_filed), "litigation_filed": int(case.litigation_filed),
            "emergency_plan": case.emergency_plan, "means": case.means,
            "officer_ids": json.dumps(list(case.officer_ids)), "scheduled_at": _iso(case.scheduled_at),
            "status": case.status, "party_present": None if case.party_present is None else int(case.party_present),
            "party_present_name": case.party_present_name, "inventory_sha256": case.inventory_sha256,
            "created_at": _iso(case.created_at), "created_by": case.created_by,
        }])

    def update(self, case_id: str, **columns: object) -> None:
        """Set columns of the case; dates as ISO text, booleans as 0/1."""
        unknown = set(columns) - CASE_COLUMNS
        if unknown:
            raise ValueError(f"not a column of demolition_cases: {sorted(unknown)}")
        values = {k: (_iso(v) if isinstance(v, date) else int(v) if isinstance(v, bool) else v)
                  for k, v in columns.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE demolition_cases SET {sets} WHERE id = ?", [*values.values(), case_id])

    def get(self, case_id: str) -> DemolitionCase | None:
        for r in self._rows("SELECT * FROM demolition_cases WHERE id = ?", [case_id]):
            return self._case(r)
        return None

    def all(self) -> list[DemolitionCase]:
        return [self._case(r) for r in self._rows("SELECT * FROM demolition_cases ORDER BY scheduled_at, id")]

    @staticmethod
    def _case(r: dict) -> DemolitionCase:
        return DemolitionCase(
            id=r["id"], agency_id=r["agency_id"], party_name=r["party_name"], party_id_no=r["party_id_no"],
            place=r["place"], structure=r["structure"], decision_no=r["decision_no"],
            announcement_no=r["announcement_no"], announcement_served_on=date.fromisoformat(r["announcement_served_on"]),
            self_demolition_deadline=date.fromisoformat(r["self_demolition_deadline"]),
            removal_deadline=date.fromisoformat(r["removal_deadline"]), attend_notice_no=r["attend_notice_no"],
            attend_notice_served_on=_d(r["attend_notice_served_on"]),
            reconsideration_filed=bool(r["reconsideration_filed"]), litigation_filed=bool(r["litigation_filed"]),
            emergency_plan=r["emergency_plan"], means=r["means"], officer_ids=tuple(json.loads(r["officer_ids"])),
            scheduled_at=datetime.fromisoformat(r["scheduled_at"]), status=r["status"],
            party_present=None if r["party_present"] is None else bool(r["party_present"]),
            party_present_name=r["party_present_name"], inventory_sha256=r["inventory_sha256"],
            created_at=datetime.fromisoformat(r["created_at"]), created_by=r["created_by"])

    # --- events -------------------------------------------------------------------------

    def add_event(self, case_id: str, kind: str, at: datetime, actor: str, *, reason: str = "",
                  emergency_reason: str = "") -> None:
        self._insert_all("demolition_events", [{"case_id": case_id, "kind": kind, "at": _iso(at), "actor": actor,
                                                 "reason": reason, "emergency_reason": emergency_reason}])

    def events(self, case_id: str) -> list[OperationEvent]:
        return [OperationEvent(id=r["id"], case_id=r["case_id"], kind=r["kind"], at=datetime.fromisoformat(r["at"]),
                               actor=r["actor"], reason=r["reason"], emergency_reason=r["emergency_reason"])
                for r in self._rows("SELECT * FROM demolition_events WHERE case_id = ? ORDER BY id", [case_id])]

    # --- witnesses ------------------------------------------------------------------------

    def add_witness(self, w: Witness) -> None:
        self._insert_all("demolition_witnesses", [{
            "case_id": w.case_id, "kind": w.kind, "name": w.name, "id_no": w.id_no, "organisation": w.organisation,
            "no_interest": w.no_interest, "signature_png": w.signature_png, "signature_sha256": w.signature_sha256,
            "recorded_at": _iso(w.recorded_at), "recorded_by": w.recorded_by}])

    def witnesses(self, case_id: str) -> list[Witness]:
        return [Witness(id=r["id"], case_id=r["case_id"], kind=r["kind"], name=r["name"], id_no=r["id_no"],
                        organisation=r["organisation"], no_interest=r["no_interest"],
                        signature_png=bytes(r["signature_png"]), signature_sha256=r["signature_sha256"],
                        recorded_at=datetime.fromisoformat(r["recorded_at"]), recorded_by=r["recorded_by"])
                for r in self._rows("SELECT * FROM demolition_witnesses WHERE case_id = ? ORDER BY id", [case_id])]

    # --- evidence links -----------------------------------------------------------------------

    def link(self, case_id: str, sha256: str, role: str, at: datetime, by: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO demolition_evidence (case_id, sha256, role, linked_at, linked_by) "
                        "VALUES (?, ?, ?, ?, ?)", [case_id, sha256, role, _iso(at), by])

    def linked(self, case_id: str, role: str) -> list[str]:
        return [r["sha256"] for r in self._rows(
            "SELECT sha256 FROM demolition_evidence WHERE case_id = ? AND role = ? ORDER BY linked_at, rowid",
            [case_id, role])]

    def unlinked(self, case_id: str, sha256s: Iterable[str], role: str) -> list[str]:
        """Those of ``sha256s`` not linked to the case in ``role`` (one indexed look-up each)."""
        return [s for s in sha256s if self.db.execute(
            "SELECT 1 FROM demolition_evidence WHERE case_id = ? AND sha256 = ? AND role = ?",
            [case_id, s, role]).fetchone() is None]

    # --- inventory -------------------------------------------------------------------------------

    def add_version(self, v: ItemVersion) -> None:
        self._insert_all("demolition_item_versions", [{
            "case_id": v.case_id, "item_no": v.item_no, "version": v.version, "name": v.name,
            "category": v.category, "quantity": str(v.quantity), "unit": v.unit, "condition": v.condition,
            "label_no": v.label_no, "storage_place": v.storage_place, "photo_sha256s": json.dumps(list(v.photo_sha256s)),
            "edit_reason": v.edit_reason, "recorded_at": _iso(v.recorded_at), "recorded_by": v.recorded_by}])

    def next_item_no(self, case_id: str) -> int:
        row = self.db.execute("SELECT COALESCE(MAX(item_no), 0) + 1 FROM demolition_item_versions WHERE case_id = ?",
                              [case_id]).fetchone()
        return int(row[0])

    def latest(self, case_id: str, item_no: int) -> ItemVersion | None:
        for r in self._rows("SELECT * FROM demolition_item_versions WHERE case_id = ? AND item_no = ? "
                            "ORDER BY version DESC LIMIT 1", [case_id, item_no]):
            return self._version(r)
        return None

    def current_items(self, case_id: str) -> list[ItemVersion]:
        """The latest version of every item, by item number."""
        return [self._version(r) for r in self._rows(
            "SELECT v.* FROM demolition_item_versions v JOIN (SELECT item_no, MAX(version) AS version "
            "FROM demolition_item_versions WHERE case_id = ? GROUP BY item_no) m "
            "ON v.item_no = m.item_no AND v.version = m.version WHERE v.case_id = ? ORDER BY v.item_no",
            [case_id, case_id])]

    def all_versions(self, case_id: str) -> list[ItemVersion]:
        return [self._version(r) for r in self._rows(
            "SELECT * FROM demolition_item_versions WHERE case_id = ? ORDER BY item_no, version", [case_id])]

    def label_in_use(self, case_id: str, label_no: str, except_item: int | None = None) -> bool:
        """True when another item's current version carries ``label_no``."""
        row = self.db.execute(
            "SELECT 1 FROM demolition_item_versions v WHERE v.case_id = ? AND v.label_no = ? AND v.item_no != ? "
            "AND v.version = (SELECT MAX(version) FROM demolition_item_versions w "
            "WHERE w.case_id = v.case_id AND w.item_no = v.item_no) LIMIT 1",
            [case_id, label_no, except_item if except_item is not None else -1]).fetchone()
        return row is not None

    @staticmethod
    def _version(r: dict) -> ItemVersion:
        return ItemVersion(
            case_id=r["case_id"], item_no=r["item_no"], version=r["version"], name=r["name"], category=r["category"],
            quantity=Decimal(r["quantity"]), unit=r["unit"], condition=r["condition"], label_no=r["label_no"],
            storage_place=r["storage_place"], photo_sha256s=tuple(json.loads(r["photo_sha256s"])),
            recorded_at=datetime.fromisoformat(r["recorded_at"]), recorded_by=r["recorded_by"],
            edit_reason=r["edit_reason"])

    # --- custody -----------------------------------------------------------------------------------

    def add_custody(self, case_id: str, kind: str, *, item_nos: Iterable[int] = (), at: datetime, actor: str,
                    storage_place: str = "", notice_no: str = "", collect_by: date | None = None,
                    recipient_name: str = "", recipient_id_no: str = "", signature_png: bytes | None = None,
                    signature_sha256: str = "", note: str = "") -> int:
        cursor = self.db.execute(
            "INSERT INTO demolition_custody (case_id, kind, item_nos, storage_place, notice_no, collect_by, "
            "recipient_name, recipient_id_no, signature_png, signature_sha256, note, at, actor) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [case_id, kind, json.dumps(sorted(item_nos)), storage_place, notice_no, _iso(collect_by), recipient_name,
             recipient_id_no, signature_png, signature_sha256, note, _iso(at), actor])
        return int(cursor.lastrowid)

    def custody(self, case_id: str) -> list[CustodyEntry]:
        return [CustodyEntry(
            id=r["id"], case_id=r["case_id"], kind=r["kind"], item_nos=tuple(json.loads(r["item_nos"])),
            at=datetime.fromisoformat(r["at"]), actor=r["actor"], storage_place=r["storage_place"],
            notice_no=r["notice_no"], collect_by=_d(r["collect_by"]), recipient_name=r["recipient_name"],
            recipient_id_no=r["recipient_id_no"],
            signature_png=bytes(r["signature_png"]) if r["signature_png"] is not None else None,
            signature_sha256=r["signature_sha256"], note=r["note"])
            for r in self._rows("SELECT * FROM demolition_custody WHERE case_id = ? ORDER BY id", [case_id])]

    # --- signatures -----------------------------------------------------------------------------------

    def add_signature(self, case_id: str, *, document: str, role: str, signer_name: str, signer_ref: str,
                      image_png: bytes, image_sha256: str, signed_at: datetime) -> int:
        cursor = self.db.execute(
            "INSERT INTO demolition_signatures (case_id, document, role, signer_name, signer_ref, image_png, "
            "image_sha256, signed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [case_id, document, role, signer_name, signer_ref, image_png, image_sha256, _iso(signed_at)])
        return int(cursor.lastrowid)

    def signatures(self, case_id: str) -> list[CaseSignature]:
        return [CaseSignature(id=r["id"], case_id=r["case_id"], document=r["document"], role=r["role"],
                              signer_name=r["signer_name"], signer_ref=r["signer_ref"],
                              image_png=bytes(r["image_png"]), image_sha256=r["image_sha256"],
                              signed_at=datetime.fromisoformat(r["signed_at"]))
                for r in self._rows("SELECT * FROM demolition_signatures WHERE case_id = ? ORDER BY id", [case_id])]

    def add_refusal(self, case_id: str, *, document: str, reason: str, at: datetime, by: str) -> None:
        self._insert_all("demolition_refusals", [{"case_id": case_id, "document": document, "reason": reason,
                                                   "recorded_at": _iso(at), "recorded_by": by}])

    def refusals(self, case_id: str) -> list[SignatureRefusal]:
        return [SignatureRefusal(id=r["id"], case_id=r["case_id"], document=r["document"], reason=r["reason"],
                                 recorded_at=datetime.fromisoformat(r["recorded_at"]), recorded_by=r["recorded_by"])
                for r in self._rows("SELECT * FROM demolition_refusals WHERE case_id = ? ORDER BY id", [case_id])]
