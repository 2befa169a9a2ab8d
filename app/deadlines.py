"""The deadline engine (R27): working-day and calendar-day periods over the
official holiday calendar that headquarters publishes as reference data.

Counting, as the law sets it:

* The day of the triggering event never counts; a period starts the next day
  (《中华人民共和国民事诉讼法》第八十五条第二款, 《中华人民共和国民法典》第二百零一条).
* Working-day periods (行政处罚法 §85: its "二日/三日/五日/七日" are working days,
  statutory holidays excluded) count only working days.
* Calendar-day and month periods count every day, holidays in the middle
  included; when the last day is a statutory holiday or rest day the period ends
  on the next working day (民事诉讼法 §85 第三款). A month period ends on the day of
  the final month that corresponds to the event day, or on that month's last day
  when there is none (民法典 §202).

A rest day is a day of an official holiday break, or a Saturday or Sunday that the
calendar does not turn into an adjusted working day (调休上班). Years the calendar
does not cover are refused: treating them as ordinary years would silently miss
the Spring Festival or National Day break.
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Iterable
from datetime import date, timedelta

from app.domain import HolidayCalendarDay
from local_db.errors import UserFacingError

HOLIDAY = "holiday"  # 放假, including the weekend days inside a break
WORKDAY = "workday"  # 调休上班: a Saturday or Sunday worked in exchange

WORKING_DAY_SOURCE = "《中华人民共和国行政处罚法》第八十五条"
CALENDAR_DAY_SOURCE = "《中华人民共和国民事诉讼法》第八十五条"


class CalendarNotCovered(UserFacingError):
    """A date falls in a year for which no official holiday calendar is loaded."""

    def __init__(self, day: date, years: Iterable[int]) -> None:
        known = sorted(years)
        known_zh = "、".join(str(y) for y in known) or "无"
        known_en = ", ".join(str(y) for y in known) or "none"
        super().__init__(
            f"节假日日历未包含 {day.year} 年（已有：{known_zh}），无法计算涉及 {day.isoformat()} 的期限。"
            f"请同步总部基础数据后再试。依据：{CALENDAR_DAY_SOURCE}、{WORKING_DAY_SOURCE}",
            f"The holiday calendar does not cover {day.year} (loaded: {known_en}), so a period "
            f"involving {day.isoformat()} cannot be computed. Sync the reference data from headquarters "
            "and try again. Source: Civil Procedure Law Art. 85; Administrative Penalty Law Art. 85.",
        )
        self.day = day
        self.years = tuple(known)


class WorkCalendar:
    """Working and rest days of the years covered by the official calendar."""

    def __init__(self, days: Iterable[HolidayCalendarDay], years_covered: Iterable[int]) -> None:
        self.years_covered = frozenset(years_covered)
        self._holidays: dict[date, str] = {}
        self._workdays: set[date] = set()
        for d in days:
            if d.day.year not in self.years_covered:
                raise ValueError(f"calendar day {d.day} lies outside the covered years")
            if d.kind == HOLIDAY:
                self._holidays[d.day] = d.name
            elif d.kind == WORKDAY:
                self._workdays.add(d.day)
            else:
                raise ValueError(f"unknown calendar day kind {d.kind!r} on {d.day}")
        overlap = self._workdays & self._holidays.keys()
        if overlap:
            raise ValueError(f"days both holiday and adjusted workday: {sorted(overlap)}")

    @classmethod
    def from_days(cls, days: Iterable[HolidayCalendarDay]) -> WorkCalendar:
        """A calendar covering exactly the years that appear in ``days``.

        Every published year lists at least New Year's Day, so a year with no
        entry at all is a year that was never published.
        """
        days = list(days)
        return cls(days, {d.day.year for d in days})

    def covers(self, day: date) -> bool:
        """True when the official calendar for ``day``'s year is loaded."""
        return day.year in self.years_covered

    def _require(self, day: date) -> None:
        if not self.covers(day):
            raise CalendarNotCovered(day, self.years_covered)

    def is_rest_day(self, day: date) -> bool:
        """A holiday-break day, or a Saturday/Sunday not worked as 调休上班."""
        self._require(day)
        if day in self._holidays:
            return True
        return day.weekday() >= 5 and day not in self._workdays

    def is_working_day(self, day: date) -> bool:
        """The opposite of :meth:`is_rest_day`; adjusted working days are working days."""
        return not self.is_rest_day(day)

    def is_adjusted_workday(self, day: date) -> bool:
        """A weekend day worked in exchange for a holiday (调休上班); callers warn on it (R22)."""
        self._require(day)
        return day in self._workdays

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday break ``day`` belongs to, or None."""
        self._require(day)
        return self._holidays.get(day)

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while self.is_rest_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, event_day: date, n: int) -> date:
        """The last day of an ``n``-working-day period triggered on ``event_day``.

        The event day does not count, whatever kind of day it is; the result is
        the ``n``-th working day after it (行政处罚法 §85).
        """
        if n < 1:
            raise ValueError("a working-day period has at least one day")
        self._require(event_day)
        day, counted = event_day, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def add_calendar_days(self, event_day: date, n: int) -> date:
        """The last day of an ``n``-day period triggered on ``event_day`` (e.g. 30, 60 days).

        Holidays inside the period count; a last day that is a rest day moves to
        the next working day (民事诉讼法 §85).
        """
        if n < 1:
            raise ValueError("a day period has at least one day")
        self._require(event_day)
        return self.next_working_day(event_day + timedelta(days=n))

    def add_months(self, event_day: date, n: int) -> date:
        """The last day of an ``n``-month period triggered on ``event_day`` (e.g. 6 months).

        The period ends on the corresponding day of the final month, or on its
        last day when the month is shorter (民法典 §202), then moves off a rest day.
        """
        if n < 1:
            raise ValueError("a month period has at least one month")
        self._require(event_day)
        months = event_day.year * 12 + (event_day.month - 1) + n
        year, month = divmod(months, 12)
        month += 1
        last = min(event_day.day, _gregorian.monthrange(year, month)[1])
        return self.next_working_day(date(year, month, last))
