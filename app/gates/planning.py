"""R4 (filed plan or named exempt source), R5 (pre-notice) and R6 (published item list).

When the notice period ends (R5), decided here once:

The notice is published on a *date* (``PreNotice.published_on`` has no time of
day). As with every period (R27), the day of publication does not count: the
``N``-day notice period is the ``N`` whole days after it, and its last day moves
to the next working day when it is a rest day (民事诉讼法 §85). The period ends at
24:00 of that last day, so an inspection may start from 00:00 of the following
day — :func:`notice_period_end` returns that instant. Only this reading
guarantees "不少于3天" whatever the hour of publication: a notice put up at
23:59 on Monday with N = 3 still gives Tuesday, Wednesday and Thursday in full,
and the inspection may start on Friday at 00:00.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from app.clock import CHINA_TZ
from app.deadlines import CalendarNotCovered, WorkCalendar
from app.domain import CheckItem, FilingStatus, Inspection, InspectionPlan, InspectionSource, PreNotice
from app.gates.findings import (
    ITEM_LIST,
    PLAN_FILED,
    PRE_NOTICE,
    Finding,
    RuleSettings,
    Severity,
    finding,
    local,
)

SOURCE_LABELS: dict[InspectionSource, tuple[str, str]] = {
    InspectionSource.PLAN: ("年度检查计划", "annual inspection plan"),
    InspectionSource.SPECIAL_CAMPAIGN: ("上级部署的专项行动", "special campaign deployed by a higher level"),
    InspectionSource.COMPLAINT: ("投诉举报", "complaint or report"),
    InspectionSource.EMERGENCY: ("突发事件", "public emergency"),
    InspectionSource.ASSIGNMENT: ("上级交办", "assignment by a superior"),
    InspectionSource.FOLLOW_UP: ("整改复查", "re-inspection after a rectification order"),
}


def _codes(codes: Iterable[str]) -> str:
    return "、".join(codes)


def check_plan(inspection: Inspection, plan: InspectionPlan | None, item_codes: Iterable[str],
               now: datetime) -> list[Finding]:
    """R4: a routine inspection belongs to this agency's filed plan for the current year
    and stays within its items; an exempt source names its reference instead.

    Only the missing reference of an exempt source can be supplied by an override.
    """
    if inspection.source.is_exempt:
        zh_label, en_label = SOURCE_LABELS[inspection.source]
        ref = (inspection.source_ref or "").strip()
        if not ref:
            return [finding("R4", Severity.BLOCK, "R4.exempt_without_reference",
                            f"检查来源为“{zh_label}”，但未登记来源文号或编号（专项行动文号、投诉编号、交办单号等）。",
                            f"The inspection comes from a {en_label} but names no reference "
                            "(campaign document, complaint number, assignment slip).",
                            PLAN_FILED, overridable=True)]
        return [finding("R4", Severity.INFO, "R4.exempt",
                        f"检查来源为“{zh_label}”，来源文号：{ref}，不需列入年度检查计划。",
                        f"The inspection comes from a {en_label}, reference {ref}; no annual plan is needed.",
                        PLAN_FILED)]
    if plan is None:
        return [finding("R4", Severity.BLOCK, "R4.plan_missing",
                        "日常检查未关联年度行政检查计划，不得开展检查。",
                        "This routine inspection belongs to no annual inspection plan and cannot start.",
                        PLAN_FILED)]
    out: list[Finding] = []
    if plan.filing_status is not FilingStatus.FILED:
        state_zh = "备案待审" if plan.filing_status is FilingStatus.PENDING else "未备案"
        out.append(finding("R4", Severity.BLOCK, "R4.plan_not_filed",
                           f"检查计划“{plan.title}”（{plan.id}）{state_zh}，未备案的计划不得开展检查。",
                           f"Inspection plan “{plan.title}” ({plan.id}) is {plan.filing_status.value.replace('_', ' ')} "
                           "with the judicial administration department; no inspection may start under it.",
                           PLAN_FILED, related=(plan.id,)))
    if plan.agency_id != inspection.agency_id:
        out.append(finding("R4", Severity.BLOCK, "R4.plan_other_agency",
                           f"检查计划 {plan.id} 属于 {plan.agency_id}，不是本机关（{inspection.agency_id}）的计划。",
                           f"Plan {plan.id} belongs to {plan.agency_id}, not to this agency ({inspection.agency_id}).",
                           PLAN_FILED, related=(plan.id,)))
    year = local(now).year
    if plan.year != year:
        out.append(finding("R4", Severity.BLOCK, "R4.plan_other_year",
                           f"检查计划 {plan.id} 是 {plan.year} 年度计划，不适用于 {year} 年的检查。",
                           f"Plan {plan.id} is the {plan.year} plan and does not cover an inspection in {year}.",
                           PLAN_FILED, related=(plan.id,)))
    outside = sorted(set(item_codes) - set(plan.item_codes))
    if outside:
        out.append(finding("R4", Severity.BLOCK, "R4.items_outside_plan",
                           f"检查事项 {_codes(outside)} 不在已备案计划 {plan.id} 的范围内。",
                           f"Check items {', '.join(outside)} are not in the scope of plan {plan.id}.",
                           PLAN_FILED, related=tuple(outside)))
    if not out:
        out.append(finding("R4", Severity.INFO, "R4.filed",
                           f"检查计划“{plan.title}”已备案（{plan.filing_no or '备案号未登记'}）。",
                           f"Plan “{plan.title}” is filed ({plan.filing_no or 'filing number not recorded'}).",
                           PLAN_FILED, related=(plan.id,)))
    return out


def notice_period_end(published_on: date, notice_days: int, calendar: WorkCalendar) -> datetime:
    """The first instant at which an inspection announced on ``published_on`` may start.

    See the module docstring for the reading. Raises
    :class:`app.deadlines.CalendarNotCovered` when the period reaches a year with
    no holiday calendar.
    """
    if notice_days == 0:
        return datetime.combine(published_on, time(0), CHINA_TZ)
    last_day = calendar.add_calendar_days(published_on, notice_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), CHINA_TZ)


def check_pre_notice(inspection: Inspection, notice: PreNotice | None, item_codes: Iterable[str],
                     now: datetime, calendar: WorkCalendar, settings: RuleSettings) -> list[Finding]:
    """R5: a routine inspection was announced for this subject, with these items, and
    its notice period has ended by ``now``.

    Exempt sources are not announced (their reference is R4's business). Every
    block here can be lifted by an override recording that law requires an
    immediate inspection.
    """
    if inspection.source.is_exempt:
        zh_label, en_label = SOURCE_LABELS[inspection.source]
        return [finding("R5", Severity.INFO, "R5.exempt",
                        f"检查来源为“{zh_label}”，无需预告（来源文号见计划备案一项）。",
                        f"An inspection from a {en_label} needs no pre-notice (its reference is checked under R4).",
                        PRE_NOTICE)]
    if notice is None:
        return [finding("R5", Severity.BLOCK, "R5.missing",
                        "日常检查未经预告，不得检查。",
                        "This routine inspection has not been pre-announced and cannot start.",
                        PRE_NOTICE, overridable=True)]
    out: list[Finding] = []
    if notice.subject_id != inspection.subject_id:
        out.append(finding("R5", Severity.BLOCK, "R5.other_subject",
                           f"预告 {notice.id} 针对的是检查对象 {notice.subject_id}，不是本次检查对象 {inspection.subject_id}。",
                           f"Pre-notice {notice.id} announces subject {notice.subject_id}, "
                           f"not this inspection's subject {inspection.subject_id}.",
                           PRE_NOTICE, overridable=True, related=(notice.id,)))
    if notice.plan_id != inspection.plan_id:
        out.append(finding("R5", Severity.BLOCK, "R5.other_plan",
                           f"预告 {notice.id} 属于计划 {notice.plan_id}，与本次检查的计划 {inspection.plan_id} 不符。",
                           f"Pre-notice {notice.id} belongs to plan {notice.plan_id}, "
                           f"not to this inspection's plan {inspection.plan_id}.",
                           PRE_NOTICE, overridable=True, related=(notice.id,)))
    missing = sorted(set(item_codes) - set(notice.item_codes))
    if missing:
        out.append(finding("R5", Severity.BLOCK, "R5.items_not_announced",
                           f"检查事项 {_codes(missing)} 未在预告 {notice.id} 中公布，不得检查。",
                           f"Check items {', '.join(missing)} were not announced in pre-notice {notice.id}.",
                           PRE_NOTICE, overridable=True, related=tuple(missing)))
    moment = local(now)
    try:
        end = notice_period_end(notice.published_on, settings.notice_days, calendar)
    except CalendarNotCovered as exc:
        out.append(finding("R5", Severity.BLOCK, "R5.calendar_missing",
                           f"节假日日历未包含 {exc.day.year} 年，无法确定预告 {notice.id} 的期满时间，请同步基础数据。",
                           f"The holiday calendar does not cover {exc.day.year}, so the end of pre-notice "
                           f"{notice.id}'s period cannot be determined; sync the reference data.",
                           PRE_NOTICE, overridable=True, related=(notice.id,)))
        return out
    if moment < end:
        out.append(finding("R5", Severity.BLOCK, "R5.period_running",
                           f"预告 {notice.id} 于 {notice.published_on.isoformat()} 发布，预告期 {settings.notice_days} 天"
                           f"（发布当日不计），{end:%Y-%m-%d %H:%M} 起方可检查。",
                           f"Pre-notice {notice.id} was published on {notice.published_on.isoformat()}; the "
                           f"{settings.notice_days}-day notice period (publication day not counted) ends at "
                           f"{end:%Y-%m-%d %H:%M}, before which no inspection may start.",
                           PRE_NOTICE, overridable=True, related=(notice.id,)))
    announced = local(notice.scheduled_at)
    if announced.date() != moment.date():
        out.append(finding("R5", Severity.WARN, "R5.time_differs",
                           f"预告 {notice.id} 公布的检查时间为 {announced:%Y-%m-%d %H:%M}，与实际开始日期不同。",
                           f"Pre-notice {notice.id} announced the inspection for {announced:%Y-%m-%d %H:%M}, "
                           "not for today.",
                           PRE_NOTICE, related=(notice.id,)))
    if not any(f.severity is Severity.BLOCK for f in out):
        out.append(finding("R5", Severity.INFO, "R5.announced",
                           f"预告 {notice.id} 已于 {notice.published_on.isoformat()} 发布，预告期已满。",
                           f"Pre-notice {notice.id} was published on {notice.published_on.isoformat()}; "
                           "its notice period has ended.",
                           PRE_NOTICE, related=(notice.id,)))
    return out


def check_items(item_codes: Iterable[str], catalogue: Mapping[str, CheckItem]) -> list[Finding]:
    """R6: every item to inspect is on the published check-item list. Never overridable."""
    codes = list(dict.fromkeys(item_codes))
    if not codes:
        return [finding("R6", Severity.BLOCK, "R6.no_items",
                        "本次检查未确定检查事项，须从公布的检查事项清单中选定。",
                        "No check items are chosen; choose them from the published check-item list.",
                        ITEM_LIST)]
    unknown = [c for c in codes if c not in catalogue]
    unpublished = [c for c in codes if c in catalogue and not catalogue[c].published]
    out: list[Finding] = []
    if unknown:
        out.append(finding("R6", Severity.BLOCK, "R6.unknown",
                           f"检查事项 {_codes(unknown)} 不在检查事项清单中，不得检查。",
                           f"Check items {', '.join(unknown)} are not on the check-item list and cannot be inspected.",
                           ITEM_LIST, related=tuple(unknown)))
    if unpublished:
        out.append(finding("R6", Severity.BLOCK, "R6.unpublished",
                           f"检查事项 {_codes(unpublished)} 尚未向社会公布，不得检查。",
                           f"Check items {', '.join(unpublished)} have not been published and cannot be inspected.",
                           ITEM_LIST, related=tuple(unpublished)))
    return out
