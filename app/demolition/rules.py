"""The rules of a forced demolition (强制拆除) as pure functions over its data.

- R20 an emergency plan (应急预案) is recorded before the operation starts;
- R21 the announcement's deadline for self-demolition, the 60-day reconsideration
      and 6-month litigation windows from service (counted by the R27 engine, with
      no filing) and the removal deadline for property have all passed;
- R22 no forced execution at night or on a statutory holiday or rest day, unless an
      emergency reason is recorded; an adjusted working day (调休上班) is allowed with
      a warning;
- R23 cutting water, power, heating or gas is never a means: :class:`Means` has no
      such member, so no list or form can offer it.

"Passed" means over: on the last day of a window the party may still apply or sue,
so the operation may start on the day after it at the earliest.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
import re
from datetime import date, datetime, time

from app.deadlines import CALENDAR_DAY_SOURCE, CalendarNotCovered, WorkCalendar
from app.gates.findings import Finding, LegalSource, Severity, finding, local
from app.demolition.errors import DemolitionInputInvalid, DemolitionRefused
from local_db.demolition_repository import DemolitionCase

# The city's own regulation (a local regulation in force since 1 January 2024) is the source of
# the emergency plan and of inventorying the party's property under a notary or witness; no
# national text asks for either. It is cited by its title and paragraph, as on a document.
_PRECISION_ZH = "本市《推进行政执法精准化规定》（2024年1月1日起施行）"
_PRECISION_EN = "the city's Provisions on Advancing Precise Administrative Enforcement (in force 1 January 2024)"

EMERGENCY_PLAN = LegalSource(f"{_PRECISION_ZH}第十三条第一款", f"{_PRECISION_EN}, Art. 13 para. 1")
PRECONDITIONS = LegalSource(
    "《中华人民共和国行政强制法》第四十四条；《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条；"
    f"期间计算：{CALENDAR_DAY_SOURCE}",
    "Administrative Coercion Law Art. 44; Administrative Reconsideration Law Art. 20; Administrative Litigation "
    "Law Art. 46; counting: Civil Procedure Law Art. 85",
)
NIGHT_AND_HOLIDAYS = LegalSource(
    "《中华人民共和国行政强制法》第四十三条；最高人民法院（2016）最高法行他81号答复；安徽省高级人民法院（2016）皖行终139号判决",
    "Administrative Coercion Law Art. 43; Supreme People's Court reply (2016) Zui Gao Fa Xing Ta No. 81; "
    "Anhui High People's Court judgment (2016) Wan Xing Zhong No. 139",
)
NO_UTILITY_CUTS = LegalSource("《中华人民共和国行政强制法》第四十三条", "Administrative Coercion Law Art. 43")
INVENTORY = LegalSource(
    f"{_PRECISION_ZH}第十三条第二款；《浙江省违法建筑处置规定》第十七条至第十九条",
    f"{_PRECISION_EN}, Art. 13 para. 2; Zhejiang Provisions on Handling Illegal Buildings, Arts. 17–19",
)
PAUSE = LegalSource("《中华人民共和国行政强制法》第三十九条", "Administrative Coercion Law Art. 39")

RECONSIDERATION_DAYS = 60
LITIGATION_MONTHS = 6
NIGHT_START_SETTING = "demolition.night_start"
NIGHT_END_SETTING = "demolition.night_end"


class Means(enum.StrEnum):
    """How the structure is taken down. R23: there is deliberately no utility cut here."""

    MANUAL = "manual"  # 人工拆除
    MACHINERY = "machinery"  # 机械拆除
    COMBINED = "combined"  # 人工与机械结合

    @property
    def label(self) -> str:
        return {"manual": "人工拆除", "machinery": "机械拆除", "combined": "人工与机械结合"}[self.value]


@dataclass(frozen=True, slots=True)
class NightHours:
    """The night window of R22, a setting (default 22:00–06:00). ``start`` is inside, ``end`` outside."""

    start: time = time(22, 0)
    end: time = time(6, 0)

    def contains(self, moment: time) -> bool:
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def reconsideration_ends(case: DemolitionCase, calendar: WorkCalendar) -> date:
    """The last day of the 60-day reconsideration window from service (R21, counted by R27)."""
    return calendar.add_calendar_days(case.announcement_served_on, RECONSIDERATION_DAYS)


def litigation_ends(case: DemolitionCase, calendar: WorkCalendar) -> date:
    """The last day of the 6-month litigation window from service (R21, counted by R27)."""
    return calendar.add_months(case.announcement_served_on, LITIGATION_MONTHS)


def precondition_findings(case: DemolitionCase, calendar: WorkCalendar, today: date) -> list[Finding]:
    """R20 and R21 for ``case`` on ``today``; none of these blocks may be lifted."""
    out: list[Finding] = []
    ref = (case.id,)
    if not case.emergency_plan.strip():
        out.append(finding("R20", Severity.BLOCK, "R20.no_plan", "尚未记录应急预案，强制拆除不能开始。",
                           "No emergency plan is recorded; the demolition cannot start.", EMERGENCY_PLAN,
                           related=ref))
    if not case.announcement_no.strip():
        out.append(finding("R21", Severity.BLOCK, "R21.no_announcement", "尚未记录强制拆除公告的文号。",
                           "The demolition announcement's number is not recorded.", PRECONDITIONS, related=ref))
    deadlines = {}
    for key, given in (("self_demolition", case.self_demolition_deadline), ("removal", case.removal_deadline)):
        # R27: a period whose last day is a rest day or holiday ends on the next working day.
        try:
            deadlines[key] = calendar.next_working_day(given)
        except CalendarNotCovered as exc:
            out.append(finding("R21", Severity.BLOCK, f"R21.{key}_calendar", exc.zh.removeprefix("【R27】"),
                               exc.en.removeprefix("[R27] "), PRECONDITIONS, related=ref))
    if "self_demolition" in deadlines and today <= deadlines["self_demolition"]:
        out.append(finding(
            "R21", Severity.BLOCK, "R21.self_demolition",
            f"公告限期自行拆除的期限（{_deadline_text(case.self_demolition_deadline, deadlines['self_demolition'])}）"
            "尚未届满。",
            f"The deadline for self-demolition ({_deadline_text(case.self_demolition_deadline, deadlines['self_demolition'], en=True)}) "
            "has not passed.", PRECONDITIONS, related=ref))
    served = case.announcement_served_on.isoformat()
    windows = (("reconsideration", case.reconsideration_filed, reconsideration_ends, "60 日的行政复议申请期限",
                "60-day period for reconsideration", "当事人已申请行政复议，复议期间不得强制拆除。",
                "The party has applied for administrative reconsideration; no demolition meanwhile."),
               ("litigation", case.litigation_filed, litigation_ends, "6 个月的起诉期限", "6-month period for a lawsuit",
                "当事人已提起行政诉讼，诉讼期间不得强制拆除。",
                "The party has brought an administrative lawsuit; no demolition meanwhile."))
    for key, filed, last_day, what_zh, what_en, filed_zh, filed_en in windows:
        if filed:
            out.append(finding("R21", Severity.BLOCK, f"R21.{key}_filed", filed_zh, filed_en, PRECONDITIONS,
                               related=ref))
            continue
        try:
            ends = last_day(case, calendar)
        except CalendarNotCovered as exc:
            out.append(finding("R21", Severity.BLOCK, f"R21.{key}_calendar", exc.zh.removeprefix("【R27】"),
                               exc.en.removeprefix("[R27] "), PRECONDITIONS, related=ref))
            continue
        if today <= ends:
            out.append(finding(
                "R21", Severity.BLOCK, f"R21.{key}_window",
                f"自送达之日（{served}）起{what_zh}至 {ends.isoformat()} 届满，尚未经过。",
                f"The {what_en} from service ({served}) runs until {ends.isoformat()} and has not passed.",
                PRECONDITIONS, related=ref))
    if "removal" in deadlines and today <= deadlines["removal"]:
        out.append(finding(
            "R21", Severity.BLOCK, "R21.removal",
            f"限期当事人自行清除财物的期限（{_deadline_text(case.removal_deadline, deadlines['removal'])}）尚未届满。",
            f"The deadline given to the party to remove its property "
            f"({_deadline_text(case.removal_deadline, deadlines['removal'], en=True)}) has not passed.",
            PRECONDITIONS, related=ref))
    if not case.attend_notice_no.strip():
        out.append(finding("R21", Severity.WARN, "R21.no_attend_notice",
                           "尚未记录通知当事人到场的文书；当事人不到场的，清点须由公证或见证人在场。",
                           "No notice to attend is recorded; without the party, a notary or witness must attend "
                           "the inventory.", PRECONDITIONS, related=ref))
    return out


def timing_findings(moment: datetime, calendar: WorkCalendar, night: NightHours | None = None) -> list[Finding]:
    """R22 at ``moment``: night hours and rest days block (lifted only by an emergency reason)."""
    night = night or NightHours()
    at = local(moment)
    out: list[Finding] = []
    if night.contains(at.time()):
        out.append(finding(
            "R22", Severity.BLOCK, "R22.night",
            f"{at:%H:%M} 在夜间（{night.start:%H:%M}–{night.end:%H:%M}），不得实施强制执行，情况紧急并记录理由的除外。",
            f"{at:%H:%M} is at night ({night.start:%H:%M}–{night.end:%H:%M}); no forced execution unless an "
            "emergency reason is recorded.", NIGHT_AND_HOLIDAYS, overridable=True))
    try:
        rest = calendar.is_rest_day(at.date())
    except CalendarNotCovered as exc:
        return [*out, finding("R22", Severity.BLOCK, "R22.calendar", exc.zh.removeprefix("【R27】"),
                              exc.en.removeprefix("[R27] "), NIGHT_AND_HOLIDAYS)]
    if rest:
        name = calendar.holiday_name(at.date())
        what_zh, what_en = (f"法定节假日（{name}）", f"a statutory holiday ({name})") if name else ("休息日", "a rest day")
        out.append(finding(
            "R22", Severity.BLOCK, "R22.rest_day",
            f"{at.date().isoformat()} 是{what_zh}，不得实施强制执行，情况紧急并记录理由的除外。",
            f"{at.date().isoformat()} is {what_en}; no forced execution unless an emergency reason is recorded.",
            NIGHT_AND_HOLIDAYS, overridable=True))
    elif calendar.is_adjusted_workday(at.date()):
        out.append(finding(
            "R22", Severity.WARN, "R22.adjusted_workday",
            f"{at.date().isoformat()} 是调休上班日（周末），按工作日对待；请确认当事人已知悉执行时间。",
            f"{at.date().isoformat()} is an adjusted working day on a weekend and counts as a working day; make "
            "sure the party knows the time.", NIGHT_AND_HOLIDAYS))
    return out


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.BLOCK]


CASE_ID = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff〔〕()（）_-][0-9A-Za-z\u4e00-\u9fff〔〕()（）._-]{0,63}$")


def validate_case(case: DemolitionCase) -> None:
    """Refuse a case with missing facts, deadlines before service, or a means R23 forbids."""
    missing = [(zh, en) for value, zh, en in (
        (case.id, "案件编号", "case number"), (case.party_name, "当事人", "party"), (case.place, "地点", "place"),
        (case.structure, "拆除对象", "structure"), (case.announcement_no, "公告文号", "announcement number"))
        if not str(value).strip()]
    if missing:
        raise DemolitionInputInvalid("请填写：" + "、".join(m[0] for m in missing) + "。未保存。",
                                     "Please fill in: " + ", ".join(m[1] for m in missing) + ". Nothing was saved.")
    if not CASE_ID.match(case.id):  # it names the case's documents folder
        raise DemolitionInputInvalid(
            "案件编号只能由汉字、字母、数字和 - _ . 组成（不超过 64 个字符，不以 . 开头）。未保存。",
            "A case number is letters, Chinese characters, digits and - _ . only (at most 64, not starting "
            "with a dot). Nothing was saved.")
    if case.self_demolition_deadline < case.announcement_served_on or \
            case.removal_deadline < case.announcement_served_on:
        raise DemolitionInputInvalid("自行拆除期限和清除财物期限不能早于公告送达日。未保存。",
                                     "The deadlines cannot fall before the announcement was served. "
                                     "Nothing was saved.")
    if case.means not in {m.value for m in Means}:
        raise DemolitionRefused("R23", f"拆除方式 {case.means} 不可选；不得采用停止供水、供电、供热、供燃气等方式。",
                                f"Means {case.means} is not allowed; never cutting water, power, heating or gas.",
                                NO_UTILITY_CUTS)


def _deadline_text(given: date, ends: date, *, en: bool = False) -> str:
    """The deadline as given, and where a rest day moved its end, the day it really ends."""
    if given == ends:
        return given.isoformat()
    return (f"{given.isoformat()}, a rest day, so until {ends.isoformat()}" if en
            else f"{given.isoformat()} 为休息日，顺延至 {ends.isoformat()}")
