"""A forced demolition from case to end: the use cases the UI calls.

Every write is one transaction with its audit entry. The order of the law is kept:
the case and its preconditions (R20, R21), the start at a lawful time (R22, or an
emergency reason in the audit log), the party's presence and the notary or witness
(R24), the inventory (``app.demolition.inventory``), pauses (R25), and an end that
needs full recording coverage (R16) and seals the whole inventory into the device's
chain. Custody and handover follow the end.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from functools import cached_property

from app.clock import CHINA_TZ
from app.crypto import sha256_hex
from app.deadlines import WorkCalendar
from app.demolition import rules
from app.demolition.errors import DemolitionBlocked, DemolitionInputInvalid, DemolitionRefused, DemolitionStateError
from app.demolition.rules import INVENTORY, PAUSE, NightHours
from app.domain import EvidenceItem
from app.evidence.coverage import (
    FULL_PROCESS_RECORDING,
    GapReasonRequired,
    check_full_process_recording,
    explain_gaps,
    record_gap_reason,
    recording_interval,
)
from app.evidence.locker import EvidenceLocker
from app.evidence.records import seal_record
from app.gates.findings import Finding, Severity, finding
from app.gates.staffing import check_staffing
from app.access import Permission, acting, refuse
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.demolition_repository import DemolitionCase, DemolitionRepository, OperationEvent, Witness
from local_db.evidence_repository import EvidenceRepository
from local_db.evidence_sources_repository import GapReasonRepository

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ID_NUMBER = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
OPEN_STATES = ("in_progress", "paused")
EDITABLE_FIELDS = frozenset({
    "party_name", "party_id_no", "place", "structure", "decision_no", "announcement_no", "announcement_served_on",
    "self_demolition_deadline", "removal_deadline", "attend_notice_no", "attend_notice_served_on",
    "reconsideration_filed", "litigation_filed", "emergency_plan", "means", "scheduled_at",
})


def valid_png(data: bytes) -> bool:
    return data.startswith(PNG_MAGIC) and len(data) >= 64


class DemolitionService:
    """The forced demolition cases of one workspace."""

    def __init__(self, ws: Workspace, locker: EvidenceLocker | None = None) -> None:
        self.ws = ws
        self.repo = DemolitionRepository(ws.db)
        self._locker = locker

    @cached_property
    def locker(self) -> EvidenceLocker:
        """The evidence locker, opened on first use (it loads the device identity)."""
        return self._locker or EvidenceLocker(self.ws)

    @cached_property
    def inventory(self):  # noqa: ANN201 - a circular import otherwise
        from app.demolition.inventory import InventoryService

        return InventoryService(self)

    # --- reading -------------------------------------------------------------------------

    def case(self, case_id: str) -> DemolitionCase:
        found = self.repo.get(case_id)
        if found is None:
            raise DemolitionStateError(f"找不到强制拆除案件 {case_id}。", f"No forced demolition case {case_id}.")
        return found

    def cases(self) -> list[DemolitionCase]:
        return self.repo.all()

    def events(self, case_id: str) -> list[OperationEvent]:
        return self.repo.events(case_id)

    def witnesses(self, case_id: str) -> list[Witness]:
        return self.repo.witnesses(case_id)

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.ws.calendar.all(), self.ws.calendar.years())

    def night_hours(self) -> NightHours:
        """R22's night window from the settings (``HH:MM``), default 22:00–06:00.

        A setting that cannot be read, or a window of no length, falls back to the
        default — the stricter reading — and :meth:`night_hours_findings` says so.
        """
        night, _ = self._night_hours_read()
        return night

    def night_hours_findings(self) -> list[Finding]:
        """A warning, citing R22, when the night-hours settings were not usable."""
        _, problem = self._night_hours_read()
        if not problem:
            return []
        return [finding("R22", Severity.WARN, "R22.night_setting",
                        f"夜间时段设置（{problem}）无法使用，已按默认 22:00–06:00 核验。",
                        f"The night-hours setting ({problem}) cannot be used; the default 22:00–06:00 applies.",
                        rules.NIGHT_AND_HOLIDAYS)]

    def _night_hours_read(self) -> tuple[NightHours, str]:
        default = NightHours(time(22, 0), time(6, 0))
        values = {key: self.ws.settings.get(key) for key in (rules.NIGHT_START_SETTING, rules.NIGHT_END_SETTING)}
        if not any(values.values()):
            return default, ""
        try:
            start = time.fromisoformat(values[rules.NIGHT_START_SETTING] or "22:00")
            end = time.fromisoformat(values[rules.NIGHT_END_SETTING] or "06:00")
        except ValueError:
            return default, " / ".join(f"{k}={v!r}" for k, v in values.items() if v)
        if start == end:
            return default, f"{start:%H:%M}–{end:%H:%M}"
        return NightHours(start, end), ""

    def start_findings(self, case_id: str, at: datetime | None = None) -> list[Finding]:
        """Everything the start looks at: R1 staffing, R20, R21 and R22 at ``at`` (default now)."""
        case = self.case(case_id)
        moment = at or self.now()
        roster = {o.id: o for o in self.ws.officers.all()}
        calendar = self.calendar()
        return [*check_staffing(case.officer_ids, roster, case.agency_id, moment),
                *rules.precondition_findings(case, calendar, moment.astimezone(CHINA_TZ).date()),
                *rules.timing_findings(moment, calendar, self.night_hours()),
                *self.night_hours_findings()]

    def operation_window(self, case_id: str) -> tuple[datetime, datetime] | None:
        """From the first start to the end (or now while the operation runs); None before the start."""
        events = self.repo.events(case_id)
        starts = [e.at for e in events if e.kind == "start"]
        if not starts:
            return None
        ends = [e.at for e in events if e.kind in ("end", "abandon")]
        return starts[0], ends[-1] if ends else self.now()

    def recordings(self, case_id: str) -> list[EvidenceItem]:
        items = EvidenceRepository(self.ws.db)
        return [i for i in (items.get(s) for s in self.repo.linked(case_id, "recording")) if i is not None]

    def recording_findings(self, case_id: str, until: datetime | None = None) -> list[Finding]:
        """R16 over the operation so far (or until ``until``); empty before the start."""
        window = self.operation_window(case_id)
        if window is None:
            return []
        start, end = window[0], until or window[1]
        if end <= start:
            return []
        _, found = check_full_process_recording(self.ws, case_id, start, end, self.recordings(case_id))
        return found

    def candidate_recordings(self, case_id: str) -> list[EvidenceItem]:
        """Sealed videos that overlap the operation and are not linked yet."""
        window = self.operation_window(case_id)
        if window is None:
            return []
        case = self.case(case_id)
        linked = set(self.repo.linked(case_id, "recording"))
        out = []
        for item in EvidenceRepository(self.ws.db).all():
            span = recording_interval(item)
            if span and item.sha256 not in linked and span.start < window[1] and span.end > window[0] \
                    and set(item.officer_ids) & set(case.officer_ids):
                out.append(item)
        return out

    # --- the case (R20, R21) ------------------------------------------------------------------

    def create_case(self, *, case_id: str, party_name: str, place: str, structure: str, announcement_no: str,
                    announcement_served_on: date, self_demolition_deadline: date, removal_deadline: date,
                    officer_ids: Iterable[str], scheduled_at: datetime, actor: Session, **optional: object) -> DemolitionCase:
        """Record a case entered on the device; the preconditions are judged at the start, not here."""
        officer_ids = tuple(dict.fromkeys(officer_ids))
        by = self._officer(actor, officer_ids, "登记强制拆除案件", "record a demolition case")
        unknown = set(optional) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"unknown case fields: {sorted(unknown)}")
        case = DemolitionCase(
            id=case_id.strip(), agency_id=self._agency(by), party_name=party_name.strip(), place=place.strip(),
            structure=structure.strip(), announcement_no=announcement_no.strip(),
            announcement_served_on=announcement_served_on, self_demolition_deadline=self_demolition_deadline,
            removal_deadline=removal_deadline, officer_ids=officer_ids, scheduled_at=scheduled_at,
            created_at=self.now(), created_by=by, **optional)  # type: ignore[arg-type]
        rules.validate_case(case)
        if self.repo.get(case.id) is not None:
            raise DemolitionInputInvalid(f"案件编号 {case.id} 已存在。", f"Case number {case.id} already exists.")
        with transaction(self.ws.db):
            self.repo.create(case)
            self.ws.audit.append(by, "demolition.case_created", case.id, announcement=case.announcement_no,
                                 served_on=case.announcement_served_on.isoformat())
        return self.case(case.id)

    def update_case(self, case_id: str, *, actor: Session, **changes: object) -> DemolitionCase:
        """Change the case's data before the start; every change is audited with old and new values."""
        case = self.case(case_id)
        by = self._officer(actor, case.officer_ids, "修改案件信息", "change the case", case=case)
        if case.status != "planned":
            raise DemolitionStateError(f"案件 {case_id} 已开始执行，前置条件信息不能再修改。",
                                       f"Case {case_id} has started; its preconditions can no longer change.")
        unknown = set(changes) - EDITABLE_FIELDS
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")
        changes = {k: v.strip() if isinstance(v, str) else v for k, v in changes.items()}
        updated = dataclasses.replace(case, **changes)  # type: ignore[arg-type]
        rules.validate_case(updated)
        diff = {k: [_plain(getattr(case, k)), _plain(v)] for k, v in changes.items() if getattr(case, k) != v}
        if not diff:
            return case
        with transaction(self.ws.db):
            self.repo.update(case_id, **changes)
            self.ws.audit.append(by, "demolition.case_changed", case_id, changes=diff)
        return self.case(case_id)

    def record_emergency_plan(self, case_id: str, plan: str, *, actor: Session) -> DemolitionCase:
        """R20: the emergency plan (应急预案), recorded before the start."""
        if not plan.strip():
            raise DemolitionRefused("R20", "应急预案内容不能为空。", "The emergency plan cannot be empty.",
                                    rules.EMERGENCY_PLAN)
        return self.update_case(case_id, emergency_plan=plan, actor=actor)

    # --- the operation (R22, R25) ---------------------------------------------------------------

    def start(self, case_id: str, *, actor: Session, emergency_reason: str = "") -> DemolitionCase:
        """Start when R1, R20, R21 and R22 allow; an emergency reason lifts R22 only, and is audited."""
        case = self.case(case_id)
        by = self._officer(actor, case.officer_ids, "开始强制拆除", "start the demolition",
                           Permission.START_INSPECTION, case)
        if case.status != "planned":
            raise DemolitionStateError(f"案件 {case_id} 的状态为 {case.status}，不能开始。",
                                       f"Case {case_id} is {case.status}; it cannot start.")
        now = self.now()
        lifted = self._decide(self.start_findings(case_id, now), emergency_reason, "不能开始强制拆除",
                              "The demolition cannot start", by, case_id, "start_inspection")
        with transaction(self.ws.db):
            self.repo.update(case_id, status="in_progress")
            self.repo.add_event(case_id, "start", now, by, emergency_reason=emergency_reason.strip())
            self.ws.audit.append(by, "demolition.start", case_id, emergency_reason=emergency_reason.strip(),
                                 lifted=[f.code for f in lifted])
        return self.case(case_id)

    def pause(self, case_id: str, *, reason: str, actor: Session) -> DemolitionCase:
        """R25: a risk arises; the operation stops with the reason written down."""
        case, by = self._in_state(case_id, actor, ("in_progress",), "暂停", "pause")
        if not reason.strip():
            raise DemolitionRefused("R25", "暂停须记录原因（出现的风险）。", "A pause needs its reason (the risk).", PAUSE)
        with transaction(self.ws.db):
            self.repo.update(case.id, status="paused")
            self.repo.add_event(case.id, "pause", self.now(), by, reason=reason.strip())
            self.ws.audit.append(by, "demolition.pause", case.id, reason=reason.strip())
        return self.case(case_id)

    def resume(self, case_id: str, *, actor: Session, emergency_reason: str = "") -> DemolitionCase:
        """R25: the risk is over; resuming is forced execution again, so R22 is checked again."""
        case, by = self._in_state(case_id, actor, ("paused",), "恢复", "resume")
        now = self.now()
        roster = {o.id: o for o in self.ws.officers.all()}
        found = [*check_staffing(case.officer_ids, roster, case.agency_id, now),  # R1: a pause may last days
                 *rules.timing_findings(now, self.calendar(), self.night_hours())]
        lifted = self._decide(found, emergency_reason, "不能恢复强制拆除", "The demolition cannot resume", by,
                              case.id, "demolition.resume")
        with transaction(self.ws.db):
            self.repo.update(case.id, status="in_progress")
            self.repo.add_event(case.id, "resume", now, by, emergency_reason=emergency_reason.strip())
            self.ws.audit.append(by, "demolition.resume", case.id, emergency_reason=emergency_reason.strip(),
                                 lifted=[f.code for f in lifted])
        return self.case(case_id)

    def abandon(self, case_id: str, *, reason: str, actor: Session) -> DemolitionCase:
        """R25: after a pause the operation is given up; what was counted is sealed all the same."""
        case, by = self._in_state(case_id, actor, ("paused",), "终止", "abandon")
        if not reason.strip():
            raise DemolitionRefused("R25", "终止执行须记录原因。", "Abandoning the operation needs a reason.", PAUSE)
        # R16: an abandoned operation is closed too; its recordings must cover it up to now,
        # each gap with its reason (gaps can be explained while it is paused).
        blocks = [f for f in self.recording_findings(case_id, self.now()) if f.severity is Severity.BLOCK]
        if blocks:
            raise DemolitionBlocked("不能终止强制拆除", "The demolition cannot be abandoned", blocks)
        return self._close(case, "abandon", by, reason.strip(), actor)

    def end(self, case_id: str, *, actor: Session) -> DemolitionCase:
        """End the operation: R24 witness and R16 recording coverage, then seal the inventory."""
        case, by = self._in_state(case_id, actor, ("in_progress",), "结束", "end")
        self.inventory.require_witnessed(case)
        blocks = [f for f in self.recording_findings(case_id, self.now()) if f.severity is Severity.BLOCK]
        if blocks:
            raise DemolitionBlocked("不能结束强制拆除", "The demolition cannot end", blocks)
        return self._close(case, "end", by, "", actor)

    def require_lawful_hours(self, case: DemolitionCase, what_zh: str, what_en: str) -> None:
        """R22 for work that continues the execution (counting, photographing): not at night
        or on a rest day unless the start or the last resume recorded an emergency reason.
        Pausing and ending are always allowed — they are how the work stops."""
        found = rules.timing_findings(self.now(), self.calendar(), self.night_hours())
        blocks = rules.blocking(found)
        if blocks and not self.emergency_reason(case.id):
            raise DemolitionBlocked(f"不能{what_zh}（请暂停，或在恢复时记录紧急情况）",
                                    f"Cannot {what_en} (pause, or record the emergency when resuming)", blocks)

    def emergency_reason(self, case_id: str) -> str:
        """The emergency recorded at the start or the latest resume ('' when none)."""
        for event in reversed(self.repo.events(case_id)):
            if event.kind in ("start", "resume"):
                return event.emergency_reason
        return ""

    def _close(self, case: DemolitionCase, kind: str, actor: str, reason: str, session: Session) -> DemolitionCase:
        """Seal the whole inventory as one record and close the case in the same transaction."""
        now = self.now()
        payload = self.inventory.seal_payload(case, closing=kind, at=now, reason=reason)
        status = "ended" if kind == "end" else "abandoned"

        def closed(item: EvidenceItem) -> None:
            self.repo.update(case.id, status=status, inventory_sha256=item.sha256)
            self.repo.add_event(case.id, kind, now, actor, reason=reason)
            self.repo.link(case.id, item.sha256, "inventory", now, actor)
            self.ws.audit.append(actor, f"demolition.{kind}", case.id, reason=reason, inventory=item.sha256,
                                 items=len(payload["items"]))

        seal_record(self.locker, "inventory", payload, officer_certs=self.certs(case), session=session, then=closed)
        return self.case(case.id)

    # --- presence and witness (R24) -----------------------------------------------------------------

    def set_party(self, case_id: str, *, present: bool, name: str = "", actor: Session) -> DemolitionCase:
        """Whether the party (or its representative) is present, and who."""
        case, by = self._in_state(case_id, actor, OPEN_STATES, "记录当事人到场情况", "record the party's presence")
        if present and not name.strip():
            raise DemolitionRefused("R24", "当事人到场的，请填写到场人姓名。", "Name the party's person present.",
                                    INVENTORY)
        with transaction(self.ws.db):
            self.repo.update(case.id, party_present=present, party_present_name=name.strip() if present else "")
            self.ws.audit.append(by, "demolition.party", case.id, present=present, name=name.strip())
        return self.case(case_id)

    def add_witness(self, case_id: str, *, kind: str, name: str, id_no: str, no_interest: str,
                    signature_png: bytes, actor: Session, organisation: str = "") -> Witness:
        """R24: a notary or independent witness, with identity, statement of no interest and signature."""
        case, by = self._in_state(case_id, actor, OPEN_STATES, "登记见证人", "record a witness")
        if kind not in ("notary", "witness"):
            raise ValueError(f"witness kind {kind!r}")
        id_no = id_no.strip().upper()
        problems = []
        if not name.strip():
            problems.append(("姓名", "name"))
        if not ID_NUMBER.match(id_no):
            problems.append(("有效的身份证号码（18 位）", "a valid ID number (18 characters)"))
        if not no_interest.strip():
            problems.append(("与本案无利害关系的声明", "the statement of no interest in the case"))
        if kind == "notary" and not organisation.strip():
            problems.append(("公证机构", "the notary office"))
        if not valid_png(signature_png):
            problems.append(("签名", "a signature"))
        if id_no and case.party_id_no and id_no == case.party_id_no.strip().upper():
            problems.append(("与当事人不同的人（当事人不能为本案见证）", "someone other than the party (the party cannot "
                                                              "witness its own case)"))
        if problems:
            raise DemolitionRefused("R24", "见证人须记录：" + "、".join(p[0] for p in problems) + "。未保存。",
                                    "The witness needs " + ", ".join(p[1] for p in problems) + ". Nothing was saved.",
                                    INVENTORY)
        digest = sha256_hex(signature_png)
        witness = Witness(0, case.id, kind, name.strip(), id_no, organisation.strip(), no_interest.strip(),
                          signature_png, digest, self.now(), by)
        with transaction(self.ws.db):
            self.repo.add_witness(witness)
            self.ws.audit.append(by, "demolition.witness", case.id, kind=kind, name=witness.name,
                                 id_no=id_no, signature_sha256=digest)
        return self.repo.witnesses(case.id)[-1]

    def link_recording(self, case_id: str, sha256: str, *, actor: Session) -> None:
        """R16: a sealed video of this operation counts towards its coverage."""
        case = self.case(case_id)
        by = self._officer(actor, case.officer_ids, "关联录像", "link a recording", case=case)
        item = EvidenceRepository(self.ws.db).get(sha256)
        if item is None or recording_interval(item) is None:
            raise DemolitionRefused("R16", "只能关联本机证据库中有时长的原始录像。",
                                    "Only sealed original videos with a running time can be linked.",
                                    FULL_PROCESS_RECORDING)
        if not set(item.officer_ids) & set(case.officer_ids):
            raise DemolitionRefused("R16", "只能关联本案执法人员的录像。",
                                    "Only recordings made by this case's officers can be linked.",
                                    FULL_PROCESS_RECORDING)
        with transaction(self.ws.db):
            self.repo.link(case.id, sha256, "recording", self.now(), by)
            self.ws.audit.append(by, "demolition.recording_linked", case.id, sha256=sha256)

    def explain_recording_gaps(self, case_id: str, *, reason: str, actor: Session) -> int:
        """R16: record ``reason`` for every gap in the recordings so far that has none; returns how many."""
        case, by = self._in_state(case_id, actor, OPEN_STATES, "记录录像缺口原因", "explain recording gaps")
        window = self.operation_window(case.id)
        if window is None or window[1] <= window[0]:
            return 0
        coverage, _ = check_full_process_recording(self.ws, case.id, window[0], window[1], self.recordings(case.id))
        open_gaps = [g for g in explain_gaps(coverage, GapReasonRepository(self.ws.db).for_operation(case.id))
                     if not g.explained]
        if open_gaps and not reason.strip():
            raise GapReasonRequired()
        for gap in open_gaps:  # each is one transaction with its audit entry (app.evidence.coverage)
            record_gap_reason(self.ws, case.id, gap.interval.start, gap.interval.end, reason, recorded_by=by)
        return len(open_gaps)

    # --- helpers ------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return self.ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)

    def certs(self, case: DemolitionCase) -> list[str]:
        return [o.cert_no for o in (self.ws.officers.get(i) for i in case.officer_ids) if o and o.cert_no]

    def _decide(self, found: list[Finding], emergency_reason: str, what_zh: str, what_en: str, by: str,
                case_id: str, act: str) -> list[Finding]:
        """The blocks that stand (refused, on the record); an emergency reason lifts the R22 ones only."""
        blocks = rules.blocking(found)
        lifted = [f for f in blocks if f.rule == "R22" and f.overridable and emergency_reason.strip()]
        standing = [f for f in blocks if f not in lifted]
        if standing:
            refuse(self.ws, by, DemolitionBlocked(what_zh, what_en, standing), case_id, act=act,
                   rule=",".join(dict.fromkeys(f.rule for f in standing)))
        return lifted

    def _in_state(self, case_id: str, actor: Session, states: tuple[str, ...], what_zh: str, what_en: str,
                  permission: Permission = Permission.SIGN_AS_OFFICER) -> tuple[DemolitionCase, str]:
        case = self.case(case_id)
        by = self._officer(actor, case.officer_ids, what_zh, what_en, permission, case)
        if case.status not in states:
            raise DemolitionStateError(f"案件 {case_id} 当前状态为 {case.status}，不能{what_zh}。",
                                       f"Case {case_id} is {case.status}; cannot {what_en}.")
        return case, by

    def _officer(self, session: Session, officer_ids: tuple[str, ...], what_zh: str, what_en: str,
                 permission: Permission = Permission.SIGN_AS_OFFICER, case: DemolitionCase | None = None) -> str:
        """The signed-in person's id, when an officer of this case with a valid certificate may take
        the step (auxiliary staff assist, R1); otherwise refused and audited."""
        return acting(self.ws, session, permission, case.id if case else "",
                      agency=case.agency_id if case else None, assigned=officer_ids,
                      assisting=()).id  # a case names no auxiliary staff: none captures for it

    def _agency(self, actor: Session) -> str:
        officer = self.ws.officers.get(actor)
        assert officer is not None  # _officer checked it
        return officer.agency_id


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, (date, datetime)) else value
