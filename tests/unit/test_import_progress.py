"""Import progress: the smoothed rate and time left, and the sweep of staging files
that a killed import left behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.evidence.importer import ImportProgress, RateMeter, sweep_dead_staging
from app.evidence.store import EvidenceStore

MB = 1_000_000


class SteppingClock:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def feed(meter: RateMeter, clock: SteppingClock, *, rate: float, seconds: float, step: float = 0.05) -> None:
    for _ in range(round(seconds / step)):
        clock.now += step
        meter.add(int(rate * step))


def test_progress_stays_compatible_with_the_five_field_form() -> None:
    p = ImportProgress(10, 100, 0, 2, None)
    assert (p.rate_bps, p.seconds_left) == (0.0, None)


def test_a_steady_rate_is_reported_as_it_is_with_the_time_left() -> None:
    clock = SteppingClock()
    meter = RateMeter(clock=clock)
    assert meter.rate == 0.0 and meter.seconds_left(10 * MB) is None
    feed(meter, clock, rate=20 * MB, seconds=4)
    assert meter.rate == pytest.approx(20 * MB, rel=0.01)
    assert meter.seconds_left(100 * MB) == pytest.approx(5.0, rel=0.01)
    assert meter.seconds_left(0) == 0.0


def test_the_rate_follows_a_change_within_a_few_seconds_but_not_at_once() -> None:
    clock = SteppingClock()
    meter = RateMeter(clock=clock, window_s=3.0)
    feed(meter, clock, rate=80 * MB, seconds=10)
    feed(meter, clock, rate=20 * MB, seconds=0.5)  # the card reader slows down
    assert 40 * MB < meter.rate < 80 * MB  # smoothed: half a second does not swing it all the way
    feed(meter, clock, rate=20 * MB, seconds=12)
    assert meter.rate == pytest.approx(20 * MB, rel=0.05)


def test_a_slow_start_weighs_only_as_long_as_it_lasted() -> None:
    clock = SteppingClock()
    meter = RateMeter(clock=clock)
    clock.now += 0.2
    meter.add(1000)  # a tiny first file and its seal: 5 kB/s for 0.2 s
    feed(meter, clock, rate=100 * MB, seconds=2)
    assert meter.rate > 80 * MB


def test_time_without_reading_lowers_the_rate_and_a_still_clock_loses_no_bytes() -> None:
    clock = SteppingClock()
    meter = RateMeter(clock=clock)
    meter.add(5 * MB)  # the clock has not moved: kept for the next reading
    assert meter.rate == 0.0
    clock.now += 0.1
    assert meter.add(5 * MB) == pytest.approx(100 * MB)
    clock.now += 0.1
    meter.add(0)  # an fsync: time passes, nothing is read
    assert meter.rate == pytest.approx(10 * MB * 0.967 / (0.1 * 0.967 + 0.1), rel=0.01)


def test_leftover_staging_files_are_swept_but_never_one_in_use(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path, None)
    store.staging.mkdir(parents=True)
    dead = store.staging / "incoming-dead.part"
    dead.write_bytes(b"half a copy")
    busy = store.staging / "incoming-busy.part"
    fresh = store.staging / "incoming-fresh.part"
    other = store.staging / "notes.txt"  # not a staging file: never touched
    for f in (busy, fresh, other):
        f.write_bytes(b"x")
    with open(busy, "ab") as held:  # a copy still running in this process
        time.sleep(0.05)
        fresh.write_bytes(b"just closed")  # between its copy and its seal
        # fresh changed after ``cutoff``; dead and busy did not
        assert sweep_dead_staging(store, grace_s=0.04) == 1
        assert not dead.exists() and busy.exists() and fresh.exists() and other.exists()
        held.write(b"more")
    assert sweep_dead_staging(store, grace_s=3600) == 0
    assert sweep_dead_staging(store, grace_s=0) == 2  # closed now, and no grace asked for
    assert sorted(p.name for p in store.staging.iterdir()) == ["notes.txt"]


def test_a_missing_staging_folder_is_nothing_to_sweep(tmp_path: Path) -> None:
    assert sweep_dead_staging(EvidenceStore(tmp_path, None)) == 0
    assert not (tmp_path / "evidence").exists()


def test_the_command_line_shows_the_rate_and_time_left_only_to_a_person() -> None:
    from cli.main import _progress_line

    step = ImportProgress(300 * MB, 1000 * MB, 2, 5, None, rate_bps=50 * MB, seconds_left=14.2)
    assert _progress_line(step, with_rate=True) == " 30%  2/5    50.0 MB/s  剩余 / left 0:14"
    assert _progress_line(step, with_rate=False) == " 30%  2/5"  # a log file gets no moving figures
    early = ImportProgress(0, 1000 * MB, 0, 5, None)
    assert _progress_line(early, with_rate=True) == "  0%  0/5"
