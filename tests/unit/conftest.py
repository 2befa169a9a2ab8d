"""Fixtures for unit tests of the legal gates and the deadline engine."""

from __future__ import annotations

import pytest

from app import paths, reference
from app.deadlines import WorkCalendar


@pytest.fixture(scope="session")
def official_calendar() -> WorkCalendar:
    """The official 2025/2026 holiday calendar, read through the reference-data parser."""
    ref = reference.load_file(paths.DEMO_REFERENCE)
    days = [d for year_days in ref.calendar.values() for d in year_days]
    return WorkCalendar(days, ref.calendar.keys())
