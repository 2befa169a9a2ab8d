"""The status board of one task: what an officer checks at a glance before setting out.

Plan filing (R4), pre-notice date and the end of its notice period (R5, R27), the
officers and their certificate state (R1), the subject's credit grade and list
status (R8), this agency's inspections of the subject this quarter and year, and
other open tasks for the same subject that could be merged (R7).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.deadlines import CalendarNotCovered
from app.domain import CertificateState, CreditGrade, FilingStatus, InspectionStatus, ListStatus
from app.gates.findings import RuleSettings, local
from app.gates.frequency import COUNTED_STATUSES, quarter_of
from app.gates.planning import notice_period_end
from app.gates.service import load_start_context
from app.gates.start import StartContext
from app.workspace import Workspace


@dataclass(frozen=True, slots=True)
class StaffState:
    officer_id: str
    name: str
    assistant: bool
    certificate: CertificateState
    cert_no: str | None


@dataclass(frozen=True, slots=True)
class StatusBoard:
    inspection_id: str
    plan_id: str | None
    plan_filing: FilingStatus | None
    notice_id: str | None
    notice_published: str | None  # YYYY-MM-DD
    notice_period_end: datetime | None  # None: no notice, or the calendar does not cover it
    staff: tuple[StaffState, ...]
    credit_grade: CreditGrade
    list_status: ListStatus
    inspections_this_quarter: int
    inspections_this_year: int
    mergeable: tuple[str, ...]  # other open tasks of this agency for the subject


def status_board(ws: Workspace, inspection_id: str, *, now: datetime | None = None,
                 settings: RuleSettings | None = None, ctx: StartContext | None = None) -> StatusBoard:
    """Collect the board of ``inspection_id`` from local data (read-only).

    ``ctx`` is the start context when the caller already loaded it for the gates.
    """
    ctx = ctx or load_start_context(ws, inspection_id)
    settings = settings or RuleSettings()
    moment = local(now or ws.clock())
    inspection, subject = ctx.inspection, ctx.subject
    end = None
    if ctx.notice is not None:
        try:
            end = notice_period_end(ctx.notice.published_on, settings.notice_days, ctx.calendar)
        except CalendarNotCovered:
            end = None
    staff = []
    for officer_id, assistant in [(o, False) for o in inspection.officer_ids] + \
                                 [(o, True) for o in inspection.assistant_ids]:
        person = ctx.roster.get(officer_id)
        staff.append(StaffState(
            officer_id=officer_id, name=person.name if person else officer_id, assistant=assistant,
            certificate=person.certificate_state(moment.date()) if person else CertificateState.NONE,
            cert_no=person.cert_no if person else None))
    mine = [o for o in ctx.others if o.id != inspection.id and o.agency_id == inspection.agency_id]
    counted = [o for o in mine if o.status in COUNTED_STATUSES]
    quarter = quarter_of(moment)
    return StatusBoard(
        inspection_id=inspection.id, plan_id=inspection.plan_id,
        plan_filing=ctx.plan.filing_status if ctx.plan else None,
        notice_id=ctx.notice.id if ctx.notice else None,
        notice_published=ctx.notice.published_on.isoformat() if ctx.notice else None,
        notice_period_end=end, staff=tuple(staff), credit_grade=subject.credit_grade,
        list_status=subject.list_status,
        inspections_this_quarter=sum(1 for o in counted if quarter_of(o.scheduled_at) == quarter),
        inspections_this_year=sum(1 for o in counted if local(o.scheduled_at).year == moment.year),
        mergeable=tuple(o.id for o in mine if o.status is InspectionStatus.PLANNED),
    )
