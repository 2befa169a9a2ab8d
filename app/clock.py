"""Time: one zone for the whole application, and an injectable clock.

Mainland China keeps UTC+8 all year (no daylight saving since 1991), so a fixed
offset is exact and needs no time-zone database on the device.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

CHINA_TZ = timezone(timedelta(hours=8), "CST")

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The device's clock as an aware datetime in China Standard Time."""
    return datetime.now(CHINA_TZ)


def fixed_clock(moment: datetime) -> Clock:
    """A clock that always says ``moment`` — for tests and reproducible runs."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA_TZ)
    return lambda: moment


def today(clock: Clock = system_clock) -> date:
    return clock().date()
