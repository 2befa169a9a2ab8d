"""Repositories: the only code that knows table layouts. They return domain types.

``local_db`` imports nothing of ``app`` but the pure ``app.domain`` module, so the
domain types have one definition shared by every layer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from app.domain import (
    Agency,
    AuditEntry,
    CheckItem,
    ChecklistTemplate,
    CreditGrade,
    FilingStatus,
    HolidayCalendarDay,
    Inspection,
    InspectionOverview,
    InspectionPlan,
    InspectionSource,
    InspectionStatus,
    ListStatus,
    Officer,
    PreNotice,
    StaffAssignment,
    StaffRole,
    Subject,
    SubjectKind,
)
from local_db.database import Database, IntegrityError
from local_db.errors import RecordConflict


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # Writes are plain SQL without commits of their own, so callers group them in
    # all-or-nothing transactions (local_db.database.transaction).
    def _upsert(self, table: str, row: dict, pk: str) -> None:
        cols = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != pk)
        try:
            self.db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                f"ON CONFLICT({pk}) DO UPDATE SET {updates}",
                [row[c] for c in cols],
            )
        except IntegrityError as exc:  # another key (a certificate number) taken, a missing parent
            raise RecordConflict(table, str(exc)) from None

    def _insert_all(self, table: str, rows: Iterable[dict]) -> None:
        for row in rows:
            cols = list(row)
            self.db.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [row[c] for c in cols],
            )

    def _rows(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        cursor = self.db.execute(sql, tuple(params))
        names = [c[0] for c in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))


class AgencyRepository(Repository):
    def save(self, agency: Agency) -> None:
        self._upsert("agencies", {"id": agency.id, "name": agency.name, "region": agency.region,
             "supervision_phone": agency.supervision_phone, "doc_code": agency.doc_code,
             "doc_type_codes": json.dumps(dict(agency.doc_type_codes), ensure_ascii=False, sort_keys=True)},
            pk="id",
        )

    def get(self, agency_id: str) -> Agency | None:
        for r in self._rows("SELECT * FROM agencies WHERE id = ?", [agency_id]):
            return _agency(r)
        return None

    def all(self) -> list[Agency]:
        return [_agency(r) for r in self._rows("SELECT * FROM agencies ORDER BY id")]


def _agency(r: dict) -> Agency:
    codes = json.loads(r.pop("doc_type_codes", None) or "{}")
    return Agency(**r, doc_type_codes=tuple(sorted(codes.items())))


def _officer(r: dict) -> Officer:
    return Officer(
        id=r["id"], name=r["name"], role=StaffRole(r["role"]), agency_id=r["agency_id"],
        cert_no=r["cert_no"], cert_issuer=r["cert_issuer"], cert_field=r["cert_field"],
        cert_expiry=_d(r["cert_expiry"]), revoked=bool(r["revoked"]),
    )


class OfficerRepository(Repository):
    def save(self, o: Officer) -> None:
        self._upsert("officers", {"id": o.id, "name": o.name, "role": o.role.value, "agency_id": o.agency_id,
             "cert_no": o.cert_no, "cert_issuer": o.cert_issuer, "cert_field": o.cert_field,
             "cert_expiry": _iso(o.cert_expiry), "revoked": int(o.revoked)},
            pk="id",
        )

    def get(self, officer_id: str) -> Officer | None:
        for r in self._rows("SELECT * FROM officers WHERE id = ?", [officer_id]):
            return _officer(r)
        return None

    def by_cert_no(self, cert_no: str) -> Officer | None:
        for r in self._rows("SELECT * FROM officers WHERE cert_no = ?", [cert_no]):
            return _officer(r)
        return None

    def all(self) -> list[Officer]:
        return [_officer(r) for r in self._rows("SELECT * FROM officers ORDER BY role, id")]


def _subject(r: dict) -> Subject:
    return Subject(
        id=r["id"], kind=SubjectKind(r["kind"]), name=r["name"], address=r["address"],
        credit_grade=CreditGrade(r["credit_grade"]), list_status=ListStatus(r["list_status"]),
        uscc=r["uscc"], representative=r["representative"],
    )


class SubjectRepository(Repository):
    def save(self, s: Subject) -> None:
        self._upsert("subjects", {"id": s.id, "kind": s.kind.value, "name": s.name, "uscc": s.uscc,
             "representative": s.representative, "address": s.address,
             "credit_grade": s.credit_grade.value, "list_status": s.list_status.value},
            pk="id",
        )

    def get(self, subject_id: str) -> Subject | None:
        for r in self._rows("SELECT * FROM subjects WHERE id = ?", [subject_id]):
            return _subject(r)
        return None

    def all(self) -> list[Subject]:
        return [_subject(r) for r in self._rows("SELECT * FROM subjects ORDER BY id")]


class CheckItemRepository(Repository):
    def save(self, item: CheckItem) -> None:
        self._upsert("check_items", {"code": item.code, "name": item.name, "legal_basis": item.legal_basis,
             "standard": item.standard, "field": item.field, "published": int(item.published)},
            pk="code",
        )

    def all(self, *, published_only: bool = False) -> list[CheckItem]:
        sql = "SELECT * FROM check_items" + (" WHERE published = 1" if published_only else "")
        return [CheckItem(**{**r, "published": bool(r["published"])})
                for r in self._rows(sql + " ORDER BY code")]

    def get(self, code: str) -> CheckItem | None:
        for r in self._rows("SELECT * FROM check_items WHERE code = ?", [code]):
            return CheckItem(**{**r, "published": bool(r["published"])})
        return None


class TemplateRepository(Repository):
    def save(self, t: ChecklistTemplate) -> None:
        self._upsert("checklist_templates", {"id": t.id, "name": t.name, "field": t.field}, pk="id")
        self.db.execute("DELETE FROM checklist_template_items WHERE template_id = ?", [t.id])
        self._insert_all("checklist_template_items", [
            {"template_id": t.id, "position": i, "item_code": code}
            for i, code in enumerate(t.item_codes)
        ])

    def all(self) -> list[ChecklistTemplate]:
        items: dict[str, list[str]] = {}
        for r in self._rows("SELECT * FROM checklist_template_items ORDER BY template_id, position"):
            items.setdefault(r["template_id"], []).append(r["item_code"])
        return [ChecklistTemplate(id=r["id"], name=r["name"], field=r["field"],
                                  item_codes=tuple(items.get(r["id"], ())))
                for r in self._rows("SELECT * FROM checklist_templates ORDER BY id")]


class PlanRepository(Repository):
    def save(self, p: InspectionPlan) -> None:
        self._upsert("inspection_plans", {"id": p.id, "year": p.year, "agency_id": p.agency_id, "title": p.title,
             "filing_status": p.filing_status.value, "filing_no": p.filing_no,
             "filing_date": _iso(p.filing_date)},
            pk="id",
        )
        self.db.execute("DELETE FROM inspection_plan_items WHERE plan_id = ?", [p.id])
        self._insert_all("inspection_plan_items", [
            {"plan_id": p.id, "item_code": c} for c in p.item_codes
        ])

    def _plan(self, r: dict) -> InspectionPlan:
        codes = tuple(x["item_code"] for x in self._rows(
            "SELECT item_code FROM inspection_plan_items WHERE plan_id = ? ORDER BY item_code", [r["id"]]))
        return InspectionPlan(
            id=r["id"], year=r["year"], agency_id=r["agency_id"], title=r["title"],
            filing_status=FilingStatus(r["filing_status"]), item_codes=codes,
            filing_no=r["filing_no"], filing_date=_d(r["filing_date"]),
        )

    def get(self, plan_id: str) -> InspectionPlan | None:
        for r in self._rows("SELECT * FROM inspection_plans WHERE id = ?", [plan_id]):
            return self._plan(r)
        return None

    def all(self) -> list[InspectionPlan]:
        return [self._plan(r) for r in self._rows("SELECT * FROM inspection_plans ORDER BY year, id")]


class PreNoticeRepository(Repository):
    def save(self, n: PreNotice) -> None:
        self._upsert("pre_notices", {"id": n.id, "plan_id": n.plan_id, "subject_id": n.subject_id,
             "published_on": _iso(n.published_on), "scheduled_at": _iso(n.scheduled_at),
             "channel": n.channel},
            pk="id",
        )
        self.db.execute("DELETE FROM pre_notice_items WHERE pre_notice_id = ?", [n.id])
        self._insert_all("pre_notice_items", [
            {"pre_notice_id": n.id, "item_code": c} for c in n.item_codes
        ])

    def _notice(self, r: dict) -> PreNotice:
        codes = tuple(x["item_code"] for x in self._rows(
            "SELECT item_code FROM pre_notice_items WHERE pre_notice_id = ? ORDER BY item_code", [r["id"]]))
        return PreNotice(
            id=r["id"], plan_id=r["plan_id"], subject_id=r["subject_id"],
            published_on=date.fromisoformat(r["published_on"]),
            scheduled_at=datetime.fromisoformat(r["scheduled_at"]),
            item_codes=codes, channel=r["channel"],
        )

    def get(self, notice_id: str) -> PreNotice | None:
        for r in self._rows("SELECT * FROM pre_notices WHERE id = ?", [notice_id]):
            return self._notice(r)
        return None

    def all(self) -> list[PreNotice]:
        return [self._notice(r) for r in self._rows("SELECT * FROM pre_notices ORDER BY published_on, id")]


class CalendarRepository(Repository):
    def replace_year(self, year: int, days: Iterable[HolidayCalendarDay]) -> None:
        self.db.execute("DELETE FROM calendar_days WHERE day LIKE ?", [f"{year:04d}-%"])
        self._insert_all("calendar_days", [
            {"day": d.day.isoformat(), "kind": d.kind, "name": d.name} for d in days
        ])

    def all(self) -> list[HolidayCalendarDay]:
        return [HolidayCalendarDay(day=date.fromisoformat(r["day"]), kind=r["kind"], name=r["name"])
                for r in self._rows("SELECT * FROM calendar_days ORDER BY day")]

    def years(self) -> list[int]:
        return [int(r["y"]) for r in self._rows(
            "SELECT DISTINCT substr(day, 1, 4) AS y FROM calendar_days ORDER BY y")]


def _inspection(r: dict, staff: list[dict]) -> Inspection:
    return Inspection(
        id=r["id"], subject_id=r["subject_id"], agency_id=r["agency_id"],
        source=InspectionSource(r["source"]), scheduled_at=datetime.fromisoformat(r["scheduled_at"]),
        status=InspectionStatus(r["status"]),
        officer_ids=tuple(s["officer_id"] for s in staff if s["assignment"] == "officer"),
        assistant_ids=tuple(s["officer_id"] for s in staff if s["assignment"] == "assistant"),
        source_ref=r["source_ref"], plan_id=r["plan_id"], pre_notice_id=r["pre_notice_id"],
        template_id=r["template_id"], place=r["place"], created_at=_dt(r["created_at"]),
        merged_into=r["merged_into"],
    )


class InspectionRepository(Repository):
    def save(self, i: Inspection) -> None:
        self._upsert("inspections", {"id": i.id, "subject_id": i.subject_id, "agency_id": i.agency_id,
             "source": i.source.value, "source_ref": i.source_ref, "plan_id": i.plan_id,
             "pre_notice_id": i.pre_notice_id, "template_id": i.template_id,
             "scheduled_at": _iso(i.scheduled_at), "place": i.place, "status": i.status.value,
             "created_at": _iso(i.created_at or datetime.now().astimezone()), "merged_into": i.merged_into},
            pk="id",
        )
        self.db.execute("DELETE FROM inspection_staff WHERE inspection_id = ?", [i.id])
        staff = [(oid, StaffAssignment.OFFICER) for oid in i.officer_ids]
        staff += [(oid, StaffAssignment.ASSISTANT) for oid in i.assistant_ids]
        self._insert_all("inspection_staff", [
            {"inspection_id": i.id, "officer_id": oid, "assignment": a.value, "position": n}
            for n, (oid, a) in enumerate(staff)
        ])

    def get(self, inspection_id: str) -> Inspection | None:
        for r in self._rows("SELECT * FROM inspections WHERE id = ?", [inspection_id]):
            staff = list(self._rows(
                "SELECT * FROM inspection_staff WHERE inspection_id = ? ORDER BY position", [r["id"]]))
            return _inspection(r, staff)
        return None

    def item_codes(self, inspection_id: str) -> tuple[str, ...] | None:
        """The items chosen for the task (follow-up, merge), or None when it has no own list."""
        codes = tuple(r["item_code"] for r in self._rows(
            "SELECT item_code FROM inspection_items WHERE inspection_id = ? ORDER BY position", [inspection_id]))
        return codes or None

    def set_item_codes(self, inspection_id: str, codes: Iterable[str]) -> None:
        self.db.execute("DELETE FROM inspection_items WHERE inspection_id = ?", [inspection_id])
        self._insert_all("inspection_items", [
            {"inspection_id": inspection_id, "position": n, "item_code": c}
            for n, c in enumerate(dict.fromkeys(codes))])

    def for_subject(self, subject_id: str) -> list[Inspection]:
        ids = [r["id"] for r in self._rows(
            "SELECT id FROM inspections WHERE subject_id = ? ORDER BY scheduled_at", [subject_id])]
        return [i for i in map(self.get, ids) if i is not None]

    def ids_for_staff_on(self, officer_id: str, day: date) -> set[str]:
        """Inspections scheduled on ``day`` (local date) in which the person takes part."""
        return {r["id"] for r in self._rows(
            "SELECT i.id FROM inspections i JOIN inspection_staff st ON st.inspection_id = i.id "
            "WHERE st.officer_id = ? AND substr(i.scheduled_at, 1, 10) = ?", [officer_id, day.isoformat()])}

    def overview(self) -> list[InspectionOverview]:
        """Every inspection with subject, plan filing and staff names, in one query each."""
        names: dict[str, dict[str, list[str]]] = {}
        for s in self._rows(
            "SELECT st.inspection_id, st.assignment, o.name FROM inspection_staff st "
            "JOIN officers o ON o.id = st.officer_id ORDER BY st.inspection_id, st.position"
        ):
            names.setdefault(s["inspection_id"], {}).setdefault(s["assignment"], []).append(s["name"])
        rows = self._rows(
            "SELECT i.*, s.name AS subject_name, s.uscc, s.credit_grade, s.list_status, "
            "p.filing_status FROM inspections i JOIN subjects s ON s.id = i.subject_id "
            "LEFT JOIN inspection_plans p ON p.id = i.plan_id ORDER BY i.scheduled_at, i.id"
        )
        return [
            InspectionOverview(
                id=r["id"], subject_name=r["subject_name"], subject_uscc=r["uscc"],
                credit_grade=CreditGrade(r["credit_grade"]), list_status=ListStatus(r["list_status"]),
                source=InspectionSource(r["source"]), source_ref=r["source_ref"],
                scheduled_at=datetime.fromisoformat(r["scheduled_at"]),
                status=InspectionStatus(r["status"]),
                officer_names=tuple(names.get(r["id"], {}).get("officer", ())),
                assistant_names=tuple(names.get(r["id"], {}).get("assistant", ())),
                place=r["place"],
                plan_filing=FilingStatus(r["filing_status"]) if r["filing_status"] else None,
            )
            for r in rows
        ]


class AuditRepository(Repository):
    """Raw access to the audit table; chaining and verification live in ``app.audit``."""

    def last(self) -> AuditEntry | None:
        for r in self._rows("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1"):
            return self._entry(r)
        return None

    def insert(self, entry: AuditEntry) -> None:
        self.db.execute(
            "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash, signature) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [entry.seq, entry.at.isoformat(), entry.actor, entry.action, entry.target,
             json.dumps(entry.detail, ensure_ascii=False, sort_keys=True), entry.prev_hash, entry.hash,
             entry.signature],
        )

    def signing_began_after(self) -> int | None:
        """How many entries predate audit signing (migration 0013); None when the record is gone."""
        if not self.db.has_table("audit_signing"):
            return None
        row = self.db.execute("SELECT began_after FROM audit_signing WHERE id = 1").fetchone()
        return int(row[0]) if row else None

    def entries(self) -> Iterator[AuditEntry]:
        for r in self._rows("SELECT * FROM audit_log ORDER BY seq"):
            yield self._entry(r)

    @staticmethod
    def _entry(r: dict) -> AuditEntry:
        return AuditEntry(
            seq=r["seq"], at=datetime.fromisoformat(r["at"]), actor=r["actor"], action=r["action"],
            target=r["target"], detail=json.loads(r["detail"]), prev_hash=r["prev_hash"], hash=r["hash"],
            signature=r.get("signature") or "",
        )


class SettingsRepository(Repository):
    def get(self, key: str, default: str | None = None) -> str | None:
        for r in self._rows("SELECT value FROM settings WHERE key = ?", [key]):
            return r["value"]
        return default

    def set(self, key: str, value: str) -> None:
        self._upsert("settings", {"key": key, "value": value}, pk="key")


class ReferenceSetRepository(Repository):
    def record(self, *, source: str, version: str, issued_at: str, imported_at: str, sha256: str) -> None:
        self._insert_all("reference_sets", [
            {"source": source, "version": version, "issued_at": issued_at,
             "imported_at": imported_at, "sha256": sha256}
        ])

    def latest(self) -> dict | None:
        for r in self._rows("SELECT * FROM reference_sets ORDER BY id DESC LIMIT 1"):
            return r
        return None
