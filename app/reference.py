"""Reference data: the roster, subjects, check items, plans, pre-notices and the
holiday calendar, as published by headquarters (format in docs/FORMATS.md).

A document is parsed and checked completely before anything is written; the
import then replaces the local copy in one transaction, so a bad document
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any


from app import uscc
from app.clock import Clock, system_clock
from app.crypto import canonical_json, sha256_hex
from app.domain import (
    Agency,
    CheckItem,
    ChecklistTemplate,
    CreditGrade,
    DiscretionBenchmark,
    FilingStatus,
    HolidayCalendarDay,
    InspectionPlan,
    ListStatus,
    Officer,
    PreNotice,
    StaffRole,
    Subject,
    SubjectKind,
)
from local_db.database import Database, transaction
from local_db.errors import RecordConflict, UserFacingError
from local_db.onsite_repository import DiscretionBenchmarkRepository
from local_db.repositories import (
    AgencyRepository,
    CalendarRepository,
    CheckItemRepository,
    OfficerRepository,
    PlanRepository,
    PreNoticeRepository,
    ReferenceSetRepository,
    SubjectRepository,
    TemplateRepository,
)

FORMAT = "fieldinspect.reference/1"


class ReferenceDataError(UserFacingError):
    """The reference document is malformed; ``where`` names the offending field."""

    def __init__(self, where: str, problem_zh: str, problem_en: str) -> None:
        super().__init__(f"基础数据有误（{where}）：{problem_zh}", f"Reference data is invalid ({where}): {problem_en}")
        self.where = where


@dataclass(frozen=True, slots=True)
class ReferenceSet:
    publisher: str
    version: str
    issued_at: datetime
    agencies: tuple[Agency, ...]
    officers: tuple[Officer, ...]
    subjects: tuple[Subject, ...]
    check_items: tuple[CheckItem, ...]
    templates: tuple[ChecklistTemplate, ...]
    plans: tuple[InspectionPlan, ...]
    pre_notices: tuple[PreNotice, ...]
    calendar: dict[int, tuple[HolidayCalendarDay, ...]]
    sha256: str
    benchmarks: tuple[DiscretionBenchmark, ...] = ()


class _Reader:
    """Typed field access that reports the JSON path of whatever is wrong."""

    def __init__(self, obj: Any, where: str) -> None:
        if not isinstance(obj, dict):
            raise ReferenceDataError(where, "应为对象", "must be an object")
        self.obj = obj
        self.where = where

    def _err(self, key: str, zh: str, en: str) -> ReferenceDataError:
        return ReferenceDataError(f"{self.where}.{key}", zh, en)

    def str(self, key: str, *, optional: bool = False) -> str | None:
        value = self.obj.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._err(key, "缺少或不是文本", "missing or not text")
        return value

    def date(self, key: str, *, optional: bool = False) -> date | None:
        text = self.str(key, optional=optional)
        if text is None:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self._err(key, f"日期格式错误：{text}", f"not an ISO date: {text}") from None

    def datetime(self, key: str) -> datetime:
        text = self.str(key)
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise self._err(key, f"时间格式错误：{text}", f"not an ISO date-time: {text}") from None
        if value.tzinfo is None:
            raise self._err(key, "时间缺少时区", "date-time has no UTC offset")
        return value

    def enum(self, key: str, kind: type, *, default: Any = None) -> Any:
        value = self.obj.get(key, default)
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise self._err(key, f"取值 {value!r} 无效（可选：{allowed}）",
                            f"invalid value {value!r} (allowed: {allowed})") from None

    def codes(self, key: str) -> tuple[str, ...]:
        value = self.obj.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._err(key, "应为文本列表", "must be a list of text")
        return tuple(value)

    def list(self, key: str) -> list:
        value = self.obj.get(key)
        if not isinstance(value, list):
            raise self._err(key, "应为列表", "must be a list")
        return value


def _items(doc: _Reader, key: str) -> list[tuple[_Reader, str]]:
    return [(_Reader(obj, f"{key}[{i}]"), f"{key}[{i}]") for i, obj in enumerate(doc.list(key))]


def _calendar(doc: _Reader) -> dict[int, tuple[HolidayCalendarDay, ...]]:
    cal = _Reader(doc.obj.get("calendar"), "calendar")
    years = _Reader(cal.obj.get("years"), "calendar.years")
    out: dict[int, tuple[HolidayCalendarDay, ...]] = {}
    for year_text, spec in years.obj.items():
        where = f"calendar.years.{year_text}"
        if not year_text.isdigit():
            raise ReferenceDataError(where, "年份应为数字", "year must be a number")
        year = int(year_text)
        y = _Reader(spec, where)
        days: dict[date, HolidayCalendarDay] = {}
        for h, hw in _items(y, "holidays"):
            start, end = h.date("from"), h.date("to")
            if start is None or end is None or end < start or start.year != year:
                raise ReferenceDataError(f"{where}.{hw}", "起止日期无效", "invalid date range")
            d = start
            while d <= end:
                days[d] = HolidayCalendarDay(d, "holiday", h.str("name") or "")
                d += timedelta(days=1)
        for i, text in enumerate(y.list("workdays")):
            try:
                d = date.fromisoformat(text)
            except (TypeError, ValueError):
                raise ReferenceDataError(f"{where}.workdays[{i}]", "日期格式错误", "not an ISO date") from None
            if d.weekday() < 5:
                raise ReferenceDataError(f"{where}.workdays[{i}]", "调休上班日应为周末",
                                         "an adjusted working day must fall on a weekend")
            if d in days:
                raise ReferenceDataError(f"{where}.workdays[{i}]", "与放假日期重叠", "overlaps a holiday")
            days[d] = HolidayCalendarDay(d, "workday", "调休上班")
        out[year] = tuple(sorted(days.values(), key=lambda x: x.day))
    return out


def _doc_code(agency: _Reader) -> str:
    """``doc_code``: the agency's 机关代字 in its 文号 (optional; the agency's name stands in for it)."""
    code = (agency.str("doc_code", optional=True) or "").strip()
    if any(c in code for c in "〔〕"):
        raise agency._err("doc_code", "机关代字不能含〔〕", "the agency code must not contain 〔〕")
    return code


def _doc_type_codes(agency: _Reader) -> tuple[tuple[str, str], ...]:
    """``doc_type_codes``: the 代字 of each document type in the agency's 文号 (optional, FORMATS.md)."""
    from app.documents.numbering import DOC_TYPES

    value = agency.obj.get("doc_type_codes")
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise agency._err("doc_type_codes", "应为对象（文书类型 → 代字）", "must be an object (document type → code)")
    out = []
    for kind, code in sorted(value.items()):
        if kind not in DOC_TYPES:
            raise agency._err(f"doc_type_codes.{kind}", f"未知文书类型（可选：{', '.join(DOC_TYPES)}）",
                              f"unknown document type (allowed: {', '.join(DOC_TYPES)})")
        if not isinstance(code, str) or not code.strip() or any(c in code for c in "〔〕"):
            raise agency._err(f"doc_type_codes.{kind}", "代字须为不含〔〕的文本", "the code must be text without 〔〕")
        out.append((kind, code.strip()))
    return tuple(out)


def parse(document: dict) -> ReferenceSet:
    """Check a reference document completely and return it as domain objects."""
    doc = _Reader(document, "$")
    if document.get("format") != FORMAT:
        raise ReferenceDataError("$.format", f"不支持的格式 {document.get('format')!r}",
                                 f"unsupported format {document.get('format')!r}")
    agencies = tuple(
        Agency(id=a.str("id"), name=a.str("name"), region=a.str("region", optional=True) or "",
               supervision_phone=a.str("supervision_phone", optional=True) or "",
               doc_code=_doc_code(a), doc_type_codes=_doc_type_codes(a))
        for a, _ in _items(doc, "agencies")
    )
    _unique("agencies", [a.id for a in agencies], "机关编号", "agency id")
    agency_ids = {a.id for a in agencies}

    officers = []
    for o, where in _items(doc, "officers"):
        role = o.enum("role", StaffRole)
        auxiliary = not role.certified  # auxiliary staff and administrators hold no certificate
        officer = Officer(
            id=o.str("id"), name=o.str("name"), role=role, agency_id=o.str("agency_id"),
            cert_no=None if auxiliary else o.str("cert_no"),
            cert_issuer=None if auxiliary else o.str("cert_issuer"),
            cert_field=None if auxiliary else o.str("cert_field", optional=True),
            cert_expiry=None if auxiliary else o.date("cert_expiry"),
            revoked=bool(o.obj.get("revoked", False)),
        )
        if auxiliary and o.obj.get("cert_no"):
            raise ReferenceDataError(f"{where}.cert_no", "辅助人员不持执法证", "auxiliary staff hold no certificate")
        if officer.agency_id not in agency_ids:
            raise ReferenceDataError(f"{where}.agency_id", "未知机关", "unknown agency")
        officers.append(officer)
    _unique("officers", [o.id for o in officers], "人员编号", "person id")
    _unique("officers", [o.cert_no for o in officers], "执法证号", "certificate number", field="cert_no")

    subjects = []
    for s, where in _items(doc, "subjects"):
        kind = s.enum("kind", SubjectKind)
        code = s.str("uscc", optional=kind is SubjectKind.PERSON)
        if code is not None:
            try:
                code = uscc.validate(code)
            except uscc.InvalidUSCC as exc:
                raise ReferenceDataError(f"{where}.uscc", str(exc), "invalid unified social credit code") from None
        subjects.append(Subject(
            id=s.str("id"), kind=kind, name=s.str("name"), address=s.str("address", optional=True) or "",
            credit_grade=s.enum("credit_grade", CreditGrade),
            list_status=s.enum("list_status", ListStatus, default="none"),
            uscc=code, representative=s.str("representative", optional=True),
        ))

    _unique("subjects", [s.id for s in subjects], "检查对象编号", "subject id")
    items = tuple(
        CheckItem(code=c.str("code"), name=c.str("name"), legal_basis=c.str("legal_basis"),
                  standard=c.str("standard"), field=c.str("field", optional=True) or "",
                  published=bool(c.obj.get("published", True)))
        for c, _ in _items(doc, "check_items")
    )
    _unique("check_items", [i.code for i in items], "检查事项代码", "check item code", field="code")
    item_codes = {i.code for i in items}

    def known(codes: tuple[str, ...], where: str) -> tuple[str, ...]:
        unknown = sorted(set(codes) - item_codes)
        if unknown:
            raise ReferenceDataError(where, f"未知检查事项 {', '.join(unknown)}", f"unknown check items {unknown}")
        return codes

    templates = tuple(
        ChecklistTemplate(id=t.str("id"), name=t.str("name"), field=t.str("field", optional=True) or "",
                          item_codes=known(t.codes("item_codes"), f"{w}.item_codes"))
        for t, w in _items(doc, "checklist_templates")
    )
    benchmarks = []
    for b, where in _items(doc, "discretion_benchmarks") if "discretion_benchmarks" in document else ():
        benchmarks.append(DiscretionBenchmark(
            id=b.str("id"), item_code=known((b.str("item_code"),), f"{where}.item_code")[0],
            matter=b.str("matter"), level=b.str("level"), penalty_range=b.str("penalty_range"),
            circumstances=b.str("circumstances", optional=True) or "", basis=b.str("basis", optional=True) or ""))
    plans = []
    for p, where in _items(doc, "plans"):
        status = p.enum("filing_status", FilingStatus)
        filed = status is FilingStatus.FILED
        plans.append(InspectionPlan(
            id=p.str("id"), year=int(p.obj.get("year", 0)), agency_id=p.str("agency_id"), title=p.str("title"),
            filing_status=status, item_codes=known(p.codes("item_codes"), f"{where}.item_codes"),
            filing_no=p.str("filing_no", optional=not filed), filing_date=p.date("filing_date", optional=not filed),
        ))
    plan_ids = {p.id for p in plans}
    subject_ids = {s.id for s in subjects}
    notices = []
    for n, where in _items(doc, "pre_notices"):
        notice = PreNotice(
            id=n.str("id"), plan_id=n.str("plan_id"), subject_id=n.str("subject_id"),
            published_on=n.date("published_on"), scheduled_at=n.datetime("scheduled_at"),
            item_codes=known(n.codes("item_codes"), f"{where}.item_codes"),
            channel=n.str("channel", optional=True) or "",
        )
        if notice.plan_id not in plan_ids:
            raise ReferenceDataError(f"{where}.plan_id", "未知检查计划", "unknown plan")
        if notice.subject_id not in subject_ids:
            raise ReferenceDataError(f"{where}.subject_id", "未知检查对象", "unknown subject")
        notices.append(notice)

    _unique("checklist_templates", [t.id for t in templates], "检查表编号", "checklist id")
    _unique("plans", [p.id for p in plans], "检查计划编号", "plan id")
    _unique("pre_notices", [n.id for n in notices], "预告编号", "pre-notice id")
    return ReferenceSet(
        publisher=doc.str("publisher"), version=doc.str("version"), issued_at=doc.datetime("issued_at"),
        agencies=agencies, officers=tuple(officers), subjects=tuple(subjects), check_items=items,
        templates=templates, plans=tuple(plans), pre_notices=tuple(notices), calendar=_calendar(doc),
        sha256=sha256_hex(canonical_json(document)), benchmarks=tuple(benchmarks),
    )


def _unique(section: str, values: list[str | None], what_zh: str, what_en: str, *,
            field: str = "id") -> None:
    """Refuse a set that lists one key twice (the database would refuse it half-way)."""
    seen: dict[str, int] = {}
    for n, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            raise ReferenceDataError(f"$.{section}[{n}].{field}",
                                     f"{what_zh} {value} 重复（另见第 {seen[value] + 1} 项）",
                                     f"{what_en} {value} is listed twice (also entry {seen[value] + 1})")
        seen[value] = n


def load_file(path: Path) -> ReferenceSet:
    """Read and check a reference document from a JSON file."""
    try:
        document = json.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(str(path), f"无法读取：{exc}", f"cannot be read: {exc}") from None
    return parse(document)


def import_set(db: Database, ref: ReferenceSet, *, source: str,
               clock: Clock = system_clock, also: Callable[[], None] | None = None) -> None:
    """Write a checked reference set into the local database, all or nothing.

    ``also`` runs inside the same transaction (the audit entry of the loading), so a
    kill can never leave the data loaded without its entry.
    """
    # Parents before children, so foreign keys hold at every step.
    batches = (
        (AgencyRepository(db), ref.agencies), (CheckItemRepository(db), ref.check_items),
        (OfficerRepository(db), ref.officers), (SubjectRepository(db), ref.subjects),
        (TemplateRepository(db), ref.templates), (PlanRepository(db), ref.plans),
        (PreNoticeRepository(db), ref.pre_notices),
    )
    with transaction(db):
        for repository, objects in batches:
            for obj in objects:
                try:
                    repository.save(obj)
                except RecordConflict as exc:  # e.g. a certificate number another person holds here
                    raise ReferenceDataError(
                        f"{type(obj).__name__} {getattr(obj, 'id', getattr(obj, 'code', ''))}",
                        f"与本机已有数据冲突（{exc.reason}），参考数据未导入",
                        f"conflicts with data already on this device ({exc.reason}); nothing was imported") from None
        DiscretionBenchmarkRepository(db).replace_all(ref.benchmarks)
        for year, days in ref.calendar.items():
            CalendarRepository(db).replace_year(year, days)
        ReferenceSetRepository(db).record(
            source=source, version=ref.version, issued_at=ref.issued_at.isoformat(),
            imported_at=clock().isoformat(timespec="seconds"), sha256=ref.sha256,
        )
        if also is not None:
            also()
