"""The one call the UI makes: load what the start gates need from a workspace,
run them, and record the overrides that let an inspection start.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.deadlines import WorkCalendar
from app.domain import Inspection, InspectionPlan, PreNotice
from app.gates.findings import Finding, RuleSettings
from app.gates.start import Override, StartContext, StartDecision, decide_start, evaluate_start
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError


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
                    actor: str, now: datetime | None = None, settings: RuleSettings | None = None,
                    item_codes: Iterable[str] | None = None) -> StartDecision:
    """Decide whether the inspection may start now, with the officer's overrides.

    Refused overrides raise :class:`app.gates.OverrideRefused` and write nothing.
    When the decision allows the start, every accepted override is written to
    the audit log (action ``gate.override``), in one transaction; when blocks
    remain, the overrides took no effect and nothing is written.
    """
    findings = check_start(ws, inspection_id, now=now, settings=settings, item_codes=item_codes)
    decision = decide_start(findings, overrides)
    if decision.allowed and decision.accepted:
        with transaction(ws.db):
            for o in decision.accepted:
                ws.audit.append(
                    actor, "gate.override", inspection_id,
                    rule=o.rule, reason=o.reason, reference=o.reference, approved_by=o.approved_by,
                    lifted=[f.code for f in decision.lifted if f.rule == o.rule],
                )
    return decision
