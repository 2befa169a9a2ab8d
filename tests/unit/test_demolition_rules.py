"""R20–R23 as pure functions: the windows of R21 counted by the R27 engine, the hours
and days of R22, and the means R23 never offers."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.clock import CHINA_TZ
from app.deadlines import WorkCalendar
from app.demolition import rules
from app.demolition.rules import (
    Means,
    NightHours,
    litigation_ends,
    precondition_findings,
    reconsideration_ends,
    timing_findings,
)
from app.gates.findings import Severity
from app.workspace import Workspace
from local_db.demolition_repository import DemolitionCase


@pytest.fixture
def calendar(demo_workspace: Workspace) -> WorkCalendar:
    return WorkCalendar(demo_workspace.calendar.all(), demo_workspace.calendar.years())


def case(served: date, **kw: object) -> DemolitionCase:
    base = dict(id="QC-T", agency_id="A", party_name="陈建国", place="杨家村", structure="砖房",
                announcement_no="拆告〔2026〕1号", announcement_served_on=served,
                self_demolition_deadline=served, removal_deadline=served, officer_ids=("O01", "O02"),
                scheduled_at=datetime(2026, 11, 23, 9, tzinfo=CHINA_TZ), created_at=datetime(2026, 1, 1, tzinfo=CHINA_TZ),
                created_by="O01", emergency_plan="预案", attend_notice_no="到通1号")
    base.update(kw)
    return DemolitionCase(**base)  # type: ignore[arg-type]


def codes(findings: list) -> set[str]:
    return {f.code for f in findings if f.severity is Severity.BLOCK}


def test_R21_R27_the_60_day_window_ending_today_blocks_and_passes_the_next_day(calendar: WorkCalendar) -> None:
    served = date(2026, 9, 24)  # + 60 days = Monday 23 November, a working day
    c = case(served, litigation_filed=False)
    assert reconsideration_ends(c, calendar) == date(2026, 11, 23)
    assert "R21.reconsideration_window" in codes(precondition_findings(c, calendar, date(2026, 11, 23)))
    assert "R21.reconsideration_window" not in codes(precondition_findings(c, calendar, date(2026, 11, 24)))


def test_R21_R27_a_60_day_window_ending_on_a_saturday_runs_to_monday(calendar: WorkCalendar) -> None:
    c = case(date(2026, 9, 22))  # + 60 days = Saturday 21 November
    assert reconsideration_ends(c, calendar) == date(2026, 11, 23)
    for day in (date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 23)):
        assert "R21.reconsideration_window" in codes(precondition_findings(c, calendar, day))
    assert "R21.reconsideration_window" not in codes(precondition_findings(c, calendar, date(2026, 11, 24)))


def test_R21_R27_the_6_month_window_ending_today_and_ending_on_a_rest_day(calendar: WorkCalendar) -> None:
    today = date(2026, 11, 23)
    ends_today = case(date(2026, 5, 23))
    assert litigation_ends(ends_today, calendar) == today
    found = precondition_findings(ends_today, calendar, today)
    assert "R21.litigation_window" in codes(found)
    assert "2026-11-23" in next(f.zh for f in found if f.code == "R21.litigation_window")
    ends_saturday = case(date(2026, 5, 21))  # 21 November is a Saturday
    assert litigation_ends(ends_saturday, calendar) == today
    assert "R21.litigation_window" in codes(precondition_findings(ends_saturday, calendar, today))
    assert "R21.litigation_window" not in codes(precondition_findings(ends_saturday, calendar, date(2026, 11, 24)))


def test_R21_R27_a_window_ending_in_the_national_day_break_runs_past_it(calendar: WorkCalendar) -> None:
    c = case(date(2026, 8, 2))  # + 60 days = 1 October, inside 国庆节 1–7 October
    assert reconsideration_ends(c, calendar) == date(2026, 10, 8)
    assert "R21.reconsideration_window" in codes(precondition_findings(c, calendar, date(2026, 10, 8)))
    assert "R21.reconsideration_window" not in codes(precondition_findings(c, calendar, date(2026, 10, 9)))


def test_R21_filings_deadlines_and_R20_plan_block_and_cite_their_sources(calendar: WorkCalendar) -> None:
    c = case(date(2026, 5, 12), self_demolition_deadline=date(2026, 11, 23), removal_deadline=date(2026, 11, 23),
             reconsideration_filed=True, litigation_filed=True, emergency_plan=" ", attend_notice_no="")
    found = precondition_findings(c, calendar, date(2026, 11, 23))
    assert codes(found) == {"R20.no_plan", "R21.self_demolition", "R21.removal", "R21.reconsideration_filed",
                            "R21.litigation_filed"}
    assert any(f.code == "R21.no_attend_notice" and f.severity is Severity.WARN for f in found)
    for f in found:
        assert f.rule and f"R{f.rule[1:]}" not in f.zh and "依据：" in f.zh and "Source:" in f.en
        assert not f.overridable  # R20 and R21 allow no exception
    ready = case(date(2026, 5, 12), self_demolition_deadline=date(2026, 5, 22), removal_deadline=date(2026, 11, 20))
    assert codes(precondition_findings(ready, calendar, date(2026, 11, 23))) == set()


def test_R22_2159_is_allowed_and_2200_is_night(calendar: WorkCalendar) -> None:
    monday = date(2026, 11, 23)
    assert codes(timing_findings(datetime.combine(monday, time(21, 59), CHINA_TZ), calendar)) == set()
    night = timing_findings(datetime.combine(monday, time(22, 0), CHINA_TZ), calendar)
    assert codes(night) == {"R22.night"} and night[0].overridable and "第四十三条" in night[0].zh
    assert codes(timing_findings(datetime.combine(monday, time(5, 59), CHINA_TZ), calendar)) == {"R22.night"}
    assert codes(timing_findings(datetime.combine(monday, time(6, 0), CHINA_TZ), calendar)) == set()
    # the window is a setting
    short = NightHours(time(23, 0), time(5, 0))
    assert codes(timing_findings(datetime.combine(monday, time(22, 30), CHINA_TZ), calendar, short)) == set()


def test_R22_an_ordinary_saturday_and_a_holiday_block_an_adjusted_working_day_warns(calendar: WorkCalendar) -> None:
    saturday = timing_findings(datetime(2026, 11, 28, 10, tzinfo=CHINA_TZ), calendar)
    assert codes(saturday) == {"R22.rest_day"} and "休息日" in saturday[0].zh and "皖行终139号" in saturday[0].zh
    holiday = timing_findings(datetime(2026, 10, 3, 10, tzinfo=CHINA_TZ), calendar)
    assert codes(holiday) == {"R22.rest_day"} and "国庆节" in holiday[0].zh
    adjusted = timing_findings(datetime(2026, 10, 10, 10, tzinfo=CHINA_TZ), calendar)  # Saturday worked (调休)
    assert codes(adjusted) == set()
    assert [f.code for f in adjusted if f.severity is Severity.WARN] == ["R22.adjusted_workday"]


def test_R22_a_year_the_calendar_does_not_cover_blocks_instead_of_guessing(calendar: WorkCalendar) -> None:
    found = timing_findings(datetime(2027, 3, 1, 10, tzinfo=CHINA_TZ), calendar)
    assert codes(found) == {"R22.calendar"}
    c = case(date(2026, 9, 24))  # the 6 months end in 2027, a year not loaded: refused, not guessed
    found = codes(precondition_findings(c, calendar, date(2026, 11, 24)))
    assert "R21.litigation_calendar" in found and "R21.reconsideration_window" not in found


def test_R23_no_means_offered_cuts_water_power_heating_or_gas() -> None:
    offered = {m.value for m in Means} | {m.label for m in Means}
    forbidden = ("water", "power", "electric", "heating", "heat", "gas", "水", "电", "暖", "热", "气", "燃")
    assert offered == {"manual", "machinery", "combined", "人工拆除", "机械拆除", "人工与机械结合"}
    assert not [m for m in offered for word in forbidden if word in m]
    assert "停止供水" not in " ".join(offered) and rules.NO_UTILITY_CUTS.zh.endswith("第四十三条")


def test_R21_R27_a_self_demolition_or_removal_deadline_on_a_sunday_runs_to_monday(calendar: WorkCalendar) -> None:
    sunday = date(2026, 11, 22)
    c = case(date(2025, 1, 2), self_demolition_deadline=sunday, removal_deadline=sunday)
    monday = codes(precondition_findings(c, calendar, date(2026, 11, 23)))
    assert {"R21.self_demolition", "R21.removal"} <= monday  # the periods run through Monday
    found = [f for f in precondition_findings(c, calendar, date(2026, 11, 23)) if f.code == "R21.removal"]
    assert "顺延至 2026-11-23" in found[0].zh and "until 2026-11-23" in found[0].en
    assert not {"R21.self_demolition", "R21.removal"} & codes(precondition_findings(c, calendar, date(2026, 11, 24)))


def test_r20_r24_cite_the_city_regulation_by_title_and_paragraph() -> None:
    """R20 (emergency plan) and R24 (inventory under a notary or witness) come from the city's
    precise-enforcement regulation, art. 13: cited by its title and paragraph, not as "某市…"."""
    assert "《推进行政执法精准化规定》" in rules.EMERGENCY_PLAN.zh and "第十三条第一款" in rules.EMERGENCY_PLAN.zh
    assert "《推进行政执法精准化规定》" in rules.INVENTORY.zh and "第十三条第二款" in rules.INVENTORY.zh
    for source in (rules.EMERGENCY_PLAN, rules.INVENTORY):
        assert "某市" not in source.zh and "municipal regulation" not in source.en
