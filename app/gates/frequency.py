"""R7 (inspection frequency and merging) and R8 (credit grade and list status)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.domain import Inspection, InspectionStatus, ListStatus, Subject
from app.gates.findings import (
    ANNUAL_CAP,
    CREDIT,
    MERGE,
    WHITE_LIST,
    Finding,
    RuleSettings,
    Severity,
    finding,
    local,
)

# Only inspections that took place or are taking place use up the allowance;
# a planned task may still be merged or cancelled, a cancelled one never happened.
COUNTED_STATUSES = (InspectionStatus.CLOSED, InspectionStatus.IN_PROGRESS)
_OPEN = (InspectionStatus.PLANNED, InspectionStatus.IN_PROGRESS)

_LIST_LABELS = {ListStatus.NONE: ("未列入名单", "on no list"),
                ListStatus.WHITE: ("白名单", "white list"),
                ListStatus.BLACK: ("黑名单（重点监管）", "black list (close supervision)")}


def quarter_of(moment: datetime) -> tuple[int, int]:
    """(year, quarter 1–4) of ``moment`` in China time."""
    d = local(moment)
    return d.year, (d.month - 1) // 3 + 1


def check_frequency(inspection: Inspection, subject: Subject, others: Iterable[Inspection],
                    now: datetime, settings: RuleSettings) -> list[Finding]:
    """R7: the white-list quarterly limit, the configured annual cap, and merging.

    ``others`` are the subject's other inspections (any agency, any status); only
    this agency's closed or in-progress ones, other than ``inspection``, count.
    Over a limit the finding blocks and may be lifted by an approval override.
    Open tasks of the same agency for the subject are proposed for merging
    (综合查一次); their ids are the finding's ``related``.
    """
    mine = [o for o in others
            if o.id != inspection.id and o.subject_id == inspection.subject_id
            and o.agency_id == inspection.agency_id]
    counted = [o for o in mine if o.status in COUNTED_STATUSES]
    out: list[Finding] = []
    year, quarter = quarter_of(now)
    if subject.list_status is ListStatus.WHITE:
        in_quarter = [o for o in counted if quarter_of(o.scheduled_at) == (year, quarter)]
        if len(in_quarter) + 1 > settings.white_list_per_quarter:
            ids = tuple(o.id for o in in_quarter)
            out.append(finding("R7", Severity.BLOCK, "R7.white_list_quarter",
                               f"{subject.name}列入监管白名单，本机关 {year} 年第 {quarter} 季度已检查 {len(in_quarter)} 次"
                               f"（{'、'.join(ids)}），每季度不超过 {settings.white_list_per_quarter} 次；超出须经批准。",
                               f"{subject.name} is on the white list and was already inspected {len(in_quarter)} "
                               f"time(s) by this agency in Q{quarter} {year} ({', '.join(ids)}); the limit is "
                               f"{settings.white_list_per_quarter} per quarter, beyond which an approval is needed.",
                               WHITE_LIST, overridable=True, related=ids))
    cap = settings.annual_cap_per_subject
    if cap is not None:
        in_year = [o for o in counted if local(o.scheduled_at).year == year]
        if len(in_year) + 1 > cap:
            ids = tuple(o.id for o in in_year)
            out.append(finding("R7", Severity.BLOCK, "R7.annual_cap",
                               f"本机关 {year} 年已对{subject.name}检查 {len(in_year)} 次，年度上限为 {cap} 次；超出须经批准。",
                               f"This agency already inspected {subject.name} {len(in_year)} time(s) in {year}; "
                               f"the annual cap is {cap}, beyond which an approval is needed.",
                               ANNUAL_CAP, overridable=True, related=ids))
    open_tasks = tuple(o.id for o in mine if o.status in _OPEN)
    if open_tasks:
        out.append(finding("R7", Severity.WARN, "R7.merge",
                           f"本机关对{subject.name}另有未完成的检查任务 {'、'.join(open_tasks)}，建议合并为一次检查（综合查一次）。",
                           f"This agency has other open inspection tasks for {subject.name} "
                           f"({', '.join(open_tasks)}); merge them into one visit.",
                           MERGE, related=open_tasks))
    return out


def credit_notice(subject: Subject) -> Finding:
    """R8: the subject's credit grade and list status, shown on every inspection."""
    zh_list, en_list = _LIST_LABELS[subject.list_status]
    return finding("R8", Severity.INFO, "R8.credit",
                   f"{subject.name}：信用等级 {subject.credit_grade.value}，{zh_list}。",
                   f"{subject.name}: credit grade {subject.credit_grade.value}, {en_list}.",
                   CREDIT, related=(subject.id,))
