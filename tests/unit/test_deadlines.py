"""R27: the deadline engine over the official 2025/2026 holiday calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.deadlines import CalendarNotCovered, WorkCalendar
from app.domain import HolidayCalendarDay
from local_db.errors import UserFacingError


def test_R27_national_day_2026_break_is_rest_days(official_calendar: WorkCalendar) -> None:
    for offset in range(7):
        day = date(2026, 10, 1) + timedelta(days=offset)
        assert official_calendar.is_rest_day(day), day
        assert official_calendar.holiday_name(day) == "国庆节"
    assert official_calendar.is_working_day(date(2026, 10, 8))  # Thursday after the break


def test_R27_adjusted_workday_on_saturday_is_working_day(official_calendar: WorkCalendar) -> None:
    saturday = date(2026, 10, 10)
    assert saturday.weekday() == 5
    assert official_calendar.is_working_day(saturday)
    assert official_calendar.is_adjusted_workday(saturday)
    assert not official_calendar.is_adjusted_workday(date(2026, 10, 9))  # an ordinary Friday
    assert official_calendar.is_rest_day(date(2026, 10, 11))  # the Sunday after it stays off


def test_R27_ordinary_weekend_is_rest_day(official_calendar: WorkCalendar) -> None:
    assert official_calendar.is_rest_day(date(2026, 11, 21))
    assert official_calendar.is_rest_day(date(2026, 11, 22))
    assert not official_calendar.is_adjusted_workday(date(2026, 11, 21))
    assert official_calendar.holiday_name(date(2026, 11, 21)) is None


def test_R27_working_days_do_not_count_event_day(official_calendar: WorkCalendar) -> None:
    monday = date(2026, 11, 23)
    assert official_calendar.add_working_days(monday, 2) == date(2026, 11, 25)
    assert official_calendar.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon


def test_R27_working_days_skip_national_day_and_use_adjusted_workday(official_calendar: WorkCalendar) -> None:
    # 10-08 (1), 10-09 (2), Saturday 10-10 worked (3), Sunday off, 10-12 (4), 10-13 (5)
    assert official_calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert official_calendar.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert official_calendar.add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert official_calendar.add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)  # event on a holiday


def test_R27_calendar_period_ending_on_holiday_rolls_to_next_working_day(official_calendar: WorkCalendar) -> None:
    # 30-day seizure from 2026-09-05 would end on 10-05, inside the National Day break.
    assert official_calendar.add_calendar_days(date(2026, 9, 5), 30) == date(2026, 10, 8)


def test_R27_calendar_period_ending_on_ordinary_saturday_rolls_to_monday(official_calendar: WorkCalendar) -> None:
    assert date(2026, 10, 22) + timedelta(days=30) == date(2026, 11, 21)  # a Saturday
    assert official_calendar.add_calendar_days(date(2026, 10, 22), 30) == date(2026, 11, 23)


def test_R27_calendar_period_ending_on_adjusted_workday_does_not_roll(official_calendar: WorkCalendar) -> None:
    assert official_calendar.add_calendar_days(date(2026, 9, 10), 30) == date(2026, 10, 10)


def test_R27_holidays_inside_a_calendar_period_are_not_deducted(official_calendar: WorkCalendar) -> None:
    # 60-day reconsideration period spanning the whole National Day break.
    assert official_calendar.add_calendar_days(date(2026, 8, 10), 60) == date(2026, 10, 9)


def test_R27_month_period_ends_on_corresponding_day(official_calendar: WorkCalendar) -> None:
    assert official_calendar.add_months(date(2026, 3, 16), 6) == date(2026, 9, 16)
    assert official_calendar.add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)  # across the year


def test_R27_month_period_without_corresponding_day_ends_at_month_end(official_calendar: WorkCalendar) -> None:
    assert official_calendar.add_months(date(2026, 3, 31), 6) == date(2026, 9, 30)
    # 2026-02-28 is a Saturday but an adjusted working day: it stays.
    assert official_calendar.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


def test_R27_month_period_ending_on_national_day_rolls(official_calendar: WorkCalendar) -> None:
    # Six months from 2025-04-01 end on 2025-10-01; the 2025 break runs to 10-08.
    assert official_calendar.add_months(date(2025, 4, 1), 6) == date(2025, 10, 9)


@pytest.mark.parametrize("call", [
    lambda c: c.is_rest_day(date(2027, 1, 4)),
    lambda c: c.is_adjusted_workday(date(2024, 12, 31)),
    lambda c: c.add_working_days(date(2024, 12, 30), 1),
    lambda c: c.add_working_days(date(2026, 12, 30), 3),  # runs into 2027
    lambda c: c.add_calendar_days(date(2026, 12, 20), 30),
    lambda c: c.add_months(date(2026, 9, 1), 6),
])
def test_R27_date_outside_covered_years_is_refused(official_calendar: WorkCalendar, call) -> None:
    with pytest.raises(CalendarNotCovered) as info:
        call(official_calendar)
    err = info.value
    assert isinstance(err, UserFacingError)
    assert err.day.year in (2024, 2027)
    assert str(err.day.year) in err.zh and "R27" not in err.zh and "民事诉讼法》第八十五条" in err.zh
    assert str(err.day.year) in err.en and "R27" not in err.en


def test_R27_period_reaching_year_end_inside_coverage_is_computed(official_calendar: WorkCalendar) -> None:
    # 2026-12-31 is a Thursday; no need to look into 2027.
    assert official_calendar.add_calendar_days(date(2026, 12, 1), 30) == date(2026, 12, 31)


def test_R27_calendar_rejects_unknown_day_kind_and_overlap() -> None:
    with pytest.raises(ValueError):
        WorkCalendar([HolidayCalendarDay(date(2026, 1, 1), "vacation")], [2026])
    with pytest.raises(ValueError):
        WorkCalendar([HolidayCalendarDay(date(2026, 1, 4), "holiday"),
                      HolidayCalendarDay(date(2026, 1, 4), "workday")], [2026])
    with pytest.raises(ValueError):
        WorkCalendar([HolidayCalendarDay(date(2027, 1, 1), "holiday")], [2026])


def test_R27_from_days_covers_the_years_listed(official_calendar: WorkCalendar) -> None:
    cal = WorkCalendar.from_days([HolidayCalendarDay(date(2026, 1, 1), "holiday", "元旦")])
    assert cal.covers(date(2026, 6, 1)) and not cal.covers(date(2025, 6, 1))
    assert official_calendar.years_covered == {2025, 2026}


def test_R27_zero_or_negative_periods_are_programming_errors(official_calendar: WorkCalendar) -> None:
    for method in (official_calendar.add_working_days, official_calendar.add_calendar_days,
                   official_calendar.add_months):
        with pytest.raises(ValueError):
            method(date(2026, 5, 6), 0)


# Session-scoped fixtures are safe with hypothesis: nothing is reset between examples.
_DAYS_2025_2026 = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 30))


@given(event=_DAYS_2025_2026, n=st.integers(min_value=1, max_value=15))
def test_R27_property_working_day_period_counts_exactly_n_working_days(
        official_calendar: WorkCalendar, event: date, n: int) -> None:
    cal = official_calendar
    end = cal.add_working_days(event, n)
    assert cal.is_working_day(end)
    between = [event + timedelta(days=k) for k in range(1, (end - event).days + 1)]
    assert sum(cal.is_working_day(d) for d in between) == n


@given(event=_DAYS_2025_2026, n=st.integers(min_value=1, max_value=20))
def test_R27_property_calendar_period_ends_on_first_working_day_at_or_after_nominal_end(
        official_calendar: WorkCalendar, event: date, n: int) -> None:
    cal = official_calendar
    end = cal.add_calendar_days(event, n)
    nominal = event + timedelta(days=n)
    assert end >= nominal and cal.is_working_day(end)
    assert all(cal.is_rest_day(nominal + timedelta(days=k)) for k in range((end - nominal).days))
