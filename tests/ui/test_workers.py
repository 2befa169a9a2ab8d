"""Background jobs: results, progress, errors and cancellation arrive as signals on the GUI thread."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from PySide6.QtCore import QObject, QThreadPool, Signal

from app.evidence.errors import EmptySource
from ui.workers import Job, database_pool, emit, run_in_background


def test_a_plain_callable_returns_its_result_from_another_thread(app, qtbot) -> None:
    gui = threading.get_ident()
    job = Job(lambda a, b=0: (a + b, threading.get_ident()), 2, b=3)
    events: list[object] = []
    job.result.connect(events.append)
    job.finished.connect(lambda: events.append("finished"))
    job.start()
    qtbot.waitUntil(lambda: "finished" in events, timeout=5000)
    assert len(events) == 2 and events[1] == "finished"  # the result first, finished last
    value, thread = events[0]
    assert value == 5 and thread != gui
    assert job.outcome == "result" and job.is_done


def test_a_generator_reports_progress_and_returns_its_value(app, qtbot) -> None:
    def count(n: int):
        for i in range(1, n + 1):
            yield i
        return "done"

    seen: list[int] = []
    job = Job(count, 5, progress_interval_s=0)
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.result, timeout=5000) as blocker:
        job.start()
    qtbot.waitUntil(lambda: job.is_done)
    assert blocker.args == ["done"]
    assert seen == [1, 2, 3, 4, 5]


def test_progress_is_throttled_but_the_last_value_always_arrives(app, qtbot) -> None:
    def fast():
        yield from range(1, 10001)
        return None

    seen: list[int] = []
    job = Job(fast, progress_interval_s=60)
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.finished, timeout=5000):
        job.start()
    assert seen[0] == 1 and seen[-1] == 10000 and len(seen) <= 3


def test_an_exception_in_the_job_becomes_the_error_signal(app, qtbot) -> None:
    def broken():
        yield 1
        raise ValueError("bad input")

    job = Job(broken)
    results: list[object] = []
    events: list[object] = []
    job.result.connect(results.append)
    job.error.connect(events.append)
    job.finished.connect(lambda: events.append("finished"))
    job.start()
    qtbot.waitUntil(lambda: "finished" in events, timeout=5000)
    exc = events[0]
    assert events[1:] == ["finished"]
    assert isinstance(exc, ValueError) and str(exc) == "bad input"
    assert results == [] and job.outcome == "error"


def test_a_user_facing_error_keeps_both_texts(app, qtbot) -> None:
    def refuse():
        raise EmptySource("a.jpg")

    job = Job(refuse)
    with qtbot.waitSignal(job.error, timeout=5000) as blocker:
        job.start()
    exc = blocker.args[0]
    assert "为空" in exc.message("zh") and "empty" in exc.message("en")


def test_cancel_closes_a_generator_so_its_clean_up_runs(app, qtbot) -> None:
    started, cleaned = threading.Event(), threading.Event()
    release = threading.Event()

    def long_job():
        try:
            for i in range(10_000):
                started.set()
                release.wait(5)
                yield i
            return "finished"
        finally:
            cleaned.set()

    job = Job(long_job, progress_interval_s=0)
    results: list[object] = []
    finished: list[bool] = []
    job.result.connect(results.append)
    job.finished.connect(lambda: finished.append(True))
    job.start()
    assert started.wait(5)
    job.cancel()
    release.set()
    qtbot.waitUntil(lambda: finished == [True], timeout=5000)
    assert cleaned.is_set() and results == [] and job.outcome == "cancelled"


def test_a_cooperative_job_stops_itself_and_still_returns(app, qtbot) -> None:
    event = threading.Event()

    def cooperative():
        done = 0
        while not event.is_set() and done < 10_000:
            done += 1
            yield done
            time.sleep(0.001)
        return ("stopped" if event.is_set() else "ran out", done)

    job = Job(cooperative, cancel_event=event, progress_interval_s=0)
    job.progress.connect(lambda n: job.cancel() if n >= 3 else None)
    with qtbot.waitSignal(job.result, timeout=5000) as blocker:
        job.start()
    state, done = blocker.args[0]
    assert state == "stopped" and 3 <= done < 10_000


def test_slots_of_a_destroyed_owner_are_never_called(app, qtbot) -> None:
    release = threading.Event()
    called: list[object] = []

    class Owner(QObject):
        def on_result(self, value: object) -> None:
            called.append(value)

    owner = Owner()
    job = run_in_background(lambda: release.wait(5) and "late", owner=owner, on_result=owner.on_result)
    owner.deleteLater()
    qtbot.waitUntil(lambda: job.cancel_event.is_set(), timeout=5000)  # owner gone → job cancelled
    release.set()
    assert job.wait(5)
    qtbot.wait(50)  # let queued signals be delivered, if any were still connected
    assert called == []


def test_database_jobs_run_one_at_a_time(app, qtbot) -> None:
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def work() -> None:
        start = time.monotonic()
        time.sleep(0.05)
        with lock:
            spans.append((start, time.monotonic()))

    jobs = [Job(work).start(database_pool()) for _ in range(3)]
    assert all(j.wait(5) for j in jobs)
    spans.sort()
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))
    assert database_pool().maxThreadCount() == 1


def test_a_job_runs_once(app) -> None:
    job = Job(lambda: None).start(QThreadPool.globalInstance())
    with pytest.raises(RuntimeError):
        job.start()
    assert job.wait(5)


def test_emit_keeps_the_reference_count_of_true_whole(app) -> None:
    """Thousands of emits (an import's progress, a gallery's thumbnails) must not wear ``True`` away."""
    class Source(QObject):
        changed = Signal(object)

    source = Source()
    seen: list[int] = []
    source.changed.connect(seen.append)
    before = sys.getrefcount(True)
    for n in range(5000):
        emit(source.changed, n)
    assert len(seen) == 5000
    assert abs(sys.getrefcount(True) - before) < 50  # other threads may hold a few for a moment


def test_many_progress_values_from_a_worker_do_not_crash_the_interpreter(app, qtbot) -> None:
    def chatty():
        yield from range(3000)
        return "ok"

    job = Job(chatty, progress_interval_s=0)
    seen: list[int] = []
    job.progress.connect(seen.append)
    before = sys.getrefcount(True)
    with qtbot.waitSignal(job.result, timeout=20_000) as blocker:
        job.start()
    qtbot.waitUntil(lambda: job.is_done and len(seen) == 3000, timeout=20_000)
    assert blocker.args == ["ok"] and abs(sys.getrefcount(True) - before) < 50


def test_a_job_torn_down_at_quit_finishes_without_an_error_in_its_thread(app, caplog) -> None:
    """At quit Qt deletes what is left while a worker may still be finishing: the worker's
    last signals have nobody to reach, and that is no error ("Signal source has been deleted")."""
    import shiboken6

    release, done = threading.Event(), threading.Event()

    def slow() -> int:
        release.wait(10)
        done.set()
        return 7

    pool = QThreadPool()
    job = Job(slow).start(pool)
    shiboken6.delete(job)  # what the application's teardown does to a job still running
    release.set()
    assert pool.waitForDone(10_000) and done.is_set()
    assert not [r for r in caplog.records if "background job" in r.getMessage()]
