"""Rows of the on-site record: the record itself, results, penalties, signatures,
refusals, rectification orders, and the discretion benchmarks of reference data.

Plain SQL without commits of its own: the service groups writes in one
transaction (``local_db.database.transaction``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime

from app.domain import (
    CheckResult,
    CheckResultValue,
    DiscretionBenchmark,
    FlexibleMeasure,
    NoPenaltyGround,
    OnsiteRecord,
    PenaltyProposal,
    RectificationOrder,
    Signature,
    SignatureRefusal,
    SignerRole,
)
from local_db.repositories import Repository


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _result(r: dict) -> CheckResult:
    return CheckResult(
        inspection_id=r["inspection_id"], position=r["position"], item_code=r["item_code"],
        result=CheckResultValue(r["result"]), updated_at=datetime.fromisoformat(r["updated_at"]),
        updated_by=r["updated_by"], finding=r["finding"], legal_basis=r["legal_basis"],
        required_standard=r["required_standard"], rectification_advice=r["rectification_advice"],
        minor=bool(r["minor"]), measures=tuple(FlexibleMeasure(m) for m in json.loads(r["measures"])),
        no_penalty_ground=NoPenaltyGround(r["no_penalty_ground"]), education_given=bool(r["education_given"]),
        evidence_refs=tuple(json.loads(r["evidence_refs"])),
    )


class DiscretionBenchmarkRepository(Repository):
    def replace_all(self, benchmarks: Iterable[DiscretionBenchmark]) -> None:
        """Reference data replaces the whole set; clauses in use by a proposal stay."""
        rows = list(benchmarks)
        keep = {b.id for b in rows}
        used = {r["benchmark_id"] for r in self._rows("SELECT DISTINCT benchmark_id FROM penalty_proposals")}
        for r in list(self._rows("SELECT id FROM discretion_benchmarks")):
            if r["id"] not in keep and r["id"] not in used:
                self.db.execute("DELETE FROM discretion_benchmarks WHERE id = ?", [r["id"]])
        for b in rows:
            self._upsert("discretion_benchmarks", {
                "id": b.id, "item_code": b.item_code, "matter": b.matter, "level": b.level,
                "circumstances": b.circumstances, "penalty_range": b.penalty_range, "basis": b.basis,
            }, pk="id")

    def for_item(self, item_code: str) -> list[DiscretionBenchmark]:
        return [DiscretionBenchmark(**r) for r in self._rows(
            "SELECT * FROM discretion_benchmarks WHERE item_code = ? ORDER BY id", [item_code])]

    def get(self, benchmark_id: str) -> DiscretionBenchmark | None:
        for r in self._rows("SELECT * FROM discretion_benchmarks WHERE id = ?", [benchmark_id]):
            return DiscretionBenchmark(**r)
        return None


class OnsiteRepository(Repository):
    """The on-site record of each inspection and everything hanging off it."""

    # --- the record ---------------------------------------------------------------

    def create(self, inspection_id: str, *, started_at: datetime, started_by: str, recorder_id: str) -> None:
        self._insert_all("onsite_records", [{
            "inspection_id": inspection_id, "started_at": _iso(started_at),
            "started_by": started_by, "recorder_id": recorder_id,
        }])

    def update(self, inspection_id: str, **columns: object) -> None:
        """Set columns of the record row; datetimes and booleans are stored as text and 0/1."""
        allowed = {"party_name", "party_role", "party_id_no", "party_absent", "recusal_asked_at",
                   "recusal_requested", "recusal_statement", "card_handed_at", "card_recipient",
                   "ended_at", "recorder_id"}
        unknown = set(columns) - allowed
        if unknown:
            raise ValueError(f"not a column of onsite_records: {sorted(unknown)}")
        values = {k: (_iso(v) if isinstance(v, datetime) else int(v) if isinstance(v, bool) else v)
                  for k, v in columns.items()}
        sets = ", ".join(f"{k} = ?" for k in values)
        self.db.execute(f"UPDATE onsite_records SET {sets} WHERE inspection_id = ?",
                        [*values.values(), inspection_id])

    def exists(self, inspection_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM onsite_records WHERE inspection_id = ?",
                               [inspection_id]).fetchone() is not None

    def get(self, inspection_id: str) -> OnsiteRecord | None:
        """The whole record with its results, penalties, signatures, refusals and order."""
        rows = list(self._rows("SELECT * FROM onsite_records WHERE inspection_id = ?", [inspection_id]))
        if not rows:
            return None
        r = rows[0]
        shown = tuple(
            (s["officer_id"], s["cert_no"], datetime.fromisoformat(s["shown_at"]))
            for s in self._rows("SELECT * FROM certificate_showings WHERE inspection_id = ? ORDER BY shown_at, "
                                "rowid", [inspection_id]))
        return OnsiteRecord(
            inspection_id=inspection_id, started_at=datetime.fromisoformat(r["started_at"]),
            started_by=r["started_by"], recorder_id=r["recorder_id"], party_name=r["party_name"],
            party_role=r["party_role"], party_id_no=r["party_id_no"], party_absent=bool(r["party_absent"]),
            recusal_asked_at=_dt(r["recusal_asked_at"]),
            recusal_requested=None if r["recusal_requested"] is None else bool(r["recusal_requested"]),
            recusal_statement=r["recusal_statement"], card_handed_at=_dt(r["card_handed_at"]),
            card_recipient=r["card_recipient"], ended_at=_dt(r["ended_at"]), certificates_shown=shown,
            results=tuple(self.results(inspection_id)), penalties=tuple(self.penalties(inspection_id)),
            signatures=tuple(self.signatures(inspection_id)), refusals=tuple(self.refusals(inspection_id)),
            order=self.order(inspection_id),
        )

    # --- R2 ------------------------------------------------------------------------

    def show_certificate(self, inspection_id: str, officer_id: str, cert_no: str, at: datetime) -> None:
        self._insert_all("certificate_showings", [{
            "inspection_id": inspection_id, "officer_id": officer_id, "cert_no": cert_no, "shown_at": _iso(at)}])

    # --- results -------------------------------------------------------------------

    def add_results(self, results: Iterable[CheckResult]) -> None:
        for c in results:
            self._insert_all("check_results", [self._result_row(c)])

    def save_result(self, c: CheckResult) -> None:
        row = self._result_row(c)
        sets = ", ".join(f"{k} = ?" for k in row if k not in ("inspection_id", "item_code", "position"))
        self.db.execute(
            f"UPDATE check_results SET {sets} WHERE inspection_id = ? AND item_code = ?",
            [v for k, v in row.items() if k not in ("inspection_id", "item_code", "position")]
            + [c.inspection_id, c.item_code])

    @staticmethod
    def _result_row(c: CheckResult) -> dict:
        return {
            "inspection_id": c.inspection_id, "position": c.position, "item_code": c.item_code,
            "result": c.result.value, "finding": c.finding, "legal_basis": c.legal_basis,
            "required_standard": c.required_standard, "rectification_advice": c.rectification_advice,
            "minor": int(c.minor), "measures": json.dumps([m.value for m in c.measures]),
            "no_penalty_ground": c.no_penalty_ground.value, "education_given": int(c.education_given),
            "evidence_refs": json.dumps(list(c.evidence_refs)), "updated_at": _iso(c.updated_at),
            "updated_by": c.updated_by,
        }

    def results(self, inspection_id: str) -> list[CheckResult]:
        return [_result(r) for r in self._rows(
            "SELECT * FROM check_results WHERE inspection_id = ? ORDER BY position", [inspection_id])]

    # --- R12 -----------------------------------------------------------------------

    def save_penalty(self, p: PenaltyProposal) -> None:
        self._upsert_composite("penalty_proposals", {
            "inspection_id": p.inspection_id, "item_code": p.item_code, "benchmark_id": p.benchmark_id,
            "proposed": p.proposed, "deviation": p.deviation, "approval_ref": p.approval_ref,
            "approved_by": p.approved_by, "approved_at": _iso(p.approved_at),
            "recorded_at": _iso(p.recorded_at), "recorded_by": p.recorded_by,
        })

    def _upsert_composite(self, table: str, row: dict) -> None:
        cols = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in ("inspection_id", "item_code"))
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
            f"ON CONFLICT(inspection_id, item_code) DO UPDATE SET {updates}", [row[c] for c in cols])

    def delete_penalty(self, inspection_id: str, item_code: str) -> None:
        self.db.execute("DELETE FROM penalty_proposals WHERE inspection_id = ? AND item_code = ?",
                        [inspection_id, item_code])

    def penalties(self, inspection_id: str) -> list[PenaltyProposal]:
        return [PenaltyProposal(
            inspection_id=r["inspection_id"], item_code=r["item_code"], benchmark_id=r["benchmark_id"],
            proposed=r["proposed"], recorded_at=datetime.fromisoformat(r["recorded_at"]),
            recorded_by=r["recorded_by"], deviation=r["deviation"], approval_ref=r["approval_ref"],
            approved_by=r["approved_by"], approved_at=_dt(r["approved_at"]),
        ) for r in self._rows("SELECT * FROM penalty_proposals WHERE inspection_id = ? ORDER BY item_code",
                              [inspection_id])]

    # --- R9 ------------------------------------------------------------------------

    def add_signature(self, *, inspection_id: str, role: SignerRole, signer_name: str, signer_ref: str,
                      signed_at: datetime, image_png: bytes, image_sha256: str) -> int:
        cur = self.db.execute(
            "INSERT INTO signatures (inspection_id, role, signer_name, signer_ref, signed_at, image_png, "
            "image_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [inspection_id, role.value, signer_name, signer_ref, _iso(signed_at), image_png, image_sha256])
        return int(cur.lastrowid)

    def signatures(self, inspection_id: str) -> list[Signature]:
        return [Signature(
            id=r["id"], inspection_id=r["inspection_id"], role=SignerRole(r["role"]),
            signer_name=r["signer_name"], signer_ref=r["signer_ref"],
            signed_at=datetime.fromisoformat(r["signed_at"]), image_png=bytes(r["image_png"]),
            image_sha256=r["image_sha256"],
        ) for r in self._rows("SELECT * FROM signatures WHERE inspection_id = ? ORDER BY id", [inspection_id])]

    def add_refusal(self, *, inspection_id: str, reason: str, witness_signature_id: int,
                    recorded_at: datetime, recorded_by: str) -> int:
        cur = self.db.execute(
            "INSERT INTO signature_refusals (inspection_id, role, reason, witness_signature_id, recorded_at, "
            "recorded_by) VALUES (?, 'party', ?, ?, ?, ?)",
            [inspection_id, reason, witness_signature_id, _iso(recorded_at), recorded_by])
        return int(cur.lastrowid)

    def refusals(self, inspection_id: str) -> list[SignatureRefusal]:
        return [SignatureRefusal(
            id=r["id"], inspection_id=r["inspection_id"], reason=r["reason"],
            witness_signature_id=r["witness_signature_id"], recorded_at=datetime.fromisoformat(r["recorded_at"]),
            recorded_by=r["recorded_by"], role=SignerRole(r["role"]),
        ) for r in self._rows("SELECT * FROM signature_refusals WHERE inspection_id = ? ORDER BY id",
                              [inspection_id])]

    # --- R10 -----------------------------------------------------------------------

    def add_order(self, o: RectificationOrder) -> None:
        self._insert_all("rectification_orders", [{
            "id": o.id, "inspection_id": o.inspection_id, "issued_at": _iso(o.issued_at),
            "issued_by": o.issued_by, "deadline": o.deadline.isoformat(), "consequence": o.consequence,
            "follow_up_id": o.follow_up_id}])
        self._insert_all("rectification_order_items",
                         [{"order_id": o.id, "item_code": code} for code in o.item_codes])

    def order(self, inspection_id: str) -> RectificationOrder | None:
        for r in self._rows("SELECT * FROM rectification_orders WHERE inspection_id = ?", [inspection_id]):
            codes = tuple(x["item_code"] for x in self._rows(
                "SELECT item_code FROM rectification_order_items WHERE order_id = ? ORDER BY rowid", [r["id"]]))
            return RectificationOrder(
                id=r["id"], inspection_id=inspection_id, issued_at=datetime.fromisoformat(r["issued_at"]),
                issued_by=r["issued_by"], deadline=date.fromisoformat(r["deadline"]),
                consequence=r["consequence"], follow_up_id=r["follow_up_id"], item_codes=codes)
        return None

    def order_count_on(self, day: date) -> int:
        """Orders issued on ``day``, to number the next one."""
        return int(self.db.execute("SELECT COUNT(*) FROM rectification_orders WHERE substr(issued_at, 1, 10) = ?",
                                   [day.isoformat()]).fetchone()[0])
