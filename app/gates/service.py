"""The one call the UI makes: load what the start gates need from a workspace,
run them, and record the overrides that let an inspection start.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.deadlines import WorkCalendar
from app.domain import Inspection, InspectionPlan, PreNotice
from app.gates.findings import Finding, RuleSettings
from app.gates.start import Override, OverrideRefused, StartContext, StartDecision, decide_start, evaluate_start
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError


class StartBlocked(UserFacingError):
    """The start gates still block; ``decision``'s findings say why (each citing its source)."""

    def __init__(self, decision: StartDecision) -> None:
        self.decision = decision
        self.blocking = tuple(decision.blocking)
        super().__init__("不能开始检查：\n" + "\n".join(f.zh for f in self.blocking),
                         "The inspection cannot start:\n" + "\n".join(f.en for f in self.blocking))


class StartDataMissing(UserFacingError):
    """Something the gates must look at is not in the local data."""

    def __init__(self, what_zh: str, what_en: str, key: str) -> None:
        super().__init__(f"本地数据中找不到{what_zh}：{key}。请同步基础数据后再试。",
                         f"The local data has no {what_en} {key}. Sync the reference data and try again.")
        self.key = key


def inspection_items(inspection: Inspection, template_items: tuple[str, ...] | None,
                     notice: PreNotice | None, plan: InspectionPlan | None) -> tuple[str, ...]:
    """The check items an inspection will cover when the officer has not chosen them.

    The checklist template decides when there is one — it is what the officer
    will fill in, so a template wider than the pre-notice must show up under R5
    rather than be narrowed silently. Without a template, a routine inspection
    covers what was announced (or, failing that, its plan).
    """
    if template_items is not None:
        return template_items
    if notice is not None:
        return notice.item_codes
    if plan is not None:
        return plan.item_codes
    return ()


def load_start_context(ws: Workspace, inspection_id: str, *,
                       item_codes: Iterable[str] | None = None) -> StartContext:
    """Read the inspection and everything its start gates need from ``ws``."""
    inspection = ws.inspections.get(inspection_id)
    if inspection is None:
        raise StartDataMissing("检查任务", "inspection", inspection_id)
    subject = ws.subjects.get(inspection.subject_id)
    if subject is None:
        raise StartDataMissing("检查对象", "subject", inspection.subject_id)
    plan = ws.plans.get(inspection.plan_id) if inspection.plan_id else None
    notice = ws.pre_notices.get(inspection.pre_notice_id) if inspection.pre_notice_id else None
    template_items = None
    if inspection.template_id:
        template = next((t for t in ws.templates.all() if t.id == inspection.template_id), None)
        if template is None:
            raise StartDataMissing("检查表模板", "checklist template", inspection.template_id)
        template_items = template.item_codes
    own = ws.inspections.item_codes(inspection_id)
    if item_codes is not None:
        codes = tuple(item_codes)
    elif own is not None:
        codes = own
    else:
        codes = inspection_items(inspection, template_items, notice, plan)
    return StartContext(
        inspection=inspection,
        subject=subject,
        roster={o.id: o for o in ws.officers.all()},
        plan=plan,
        notice=notice,
        item_codes=codes,
        catalogue={c.code: c for c in ws.check_items.all()},
        others=tuple(ws.inspections.for_subject(inspection.subject_id)),
        calendar=WorkCalendar(ws.calendar.all(), ws.calendar.years()),
    )


def check_start(ws: Workspace, inspection_id: str, *, now: datetime | None = None,
                settings: RuleSettings | None = None,
                item_codes: Iterable[str] | None = None) -> list[Finding]:
    """The findings of every start gate for one inspection, at ``now`` (default: the workspace clock).

    Read-only: nothing is written, so the UI may call it as often as it likes.
    """
    ctx = load_start_context(ws, inspection_id, item_codes=item_codes)
    return evaluate_start(ctx, now or ws.clock(), settings)


def authorize_start(ws: Workspace, inspection_id: str, overrides: Iterable[Override] = (), *,
                    actor: Session, now: datetime | None = None, settings: RuleSettings | None = None,
                    item_codes: Iterable[str] | None = None) -> StartDecision:
    """Decide whether the inspection may start now, with the officer's overrides.

    Only a signed-in officer of the task may ask (``app.access.acting``). A refused
    override raises :class:`app.gates.OverrideRefused`, blocks that remain raise
    :class:`StartBlocked`; either is one audit entry of the refusal and nothing else.
    When the decision allows the start, every accepted override is written to
    the audit log (action ``gate.override``), in one transaction.
    """
    from app.access import Permission, acting, refuse  # app.access imports the findings of this package

    inspection = ws.inspections.get(inspection_id)
    person = acting(ws, actor, Permission.START_INSPECTION, inspection_id,
                    agency=inspection.agency_id if inspection else None,
                    assigned=inspection.officer_ids if inspection else None)
    findings = check_start(ws, inspection_id, now=now, settings=settings, item_codes=item_codes)
    try:
        decision = decide_start(findings, overrides)
    except OverrideRefused as exc:  # a refused override is a refused act: on the record
        refuse(ws, person.id, exc, inspection_id, act=Permission.START_INSPECTION.value, rule=exc.rule)
    if not decision.allowed:
        refuse(ws, person.id, StartBlocked(decision), inspection_id, act=Permission.START_INSPECTION.value,
               rule=",".join(dict.fromkeys(f.rule for f in decision.blocking)))
    if decision.accepted:
        with transaction(ws.db):
            for o in decision.accepted:
                ws.audit.append(
                    person.id, "gate.override", inspection_id,
                    rule=o.rule, reason=o.reason, reference=o.reference, approved_by=o.approved_by,
                    lifted=[f.code for f in decision.lifted if f.rule == o.rule],
                )
    return decision
