"""Background jobs for the UI: run core work on a QThreadPool, report through signals.

The core stays free of Qt. Its long operations are plain callables, or generators
that yield progress and ``return`` their result; :class:`Job` runs either on a
thread pool and re-emits what happens as Qt signals, which reach slots on the GUI
thread (queued connections):

- ``progress(object)`` — each value the generator yields, at most every
  ``progress_interval_s`` seconds; the latest value is always delivered before
  the end, so a bar reaches 100 %;
- ``result(object)`` — the callable's return value, or the generator's ``return``;
- ``error(object)`` — the exception the job raised (an exception never escapes
  into Qt; ``UserFacingError`` carries the text to show);
- ``cancelled()`` — the job was stopped by :meth:`Job.cancel`;
- ``finished()`` — always, last, exactly once, whatever the outcome.

Usage::

    job = Job(locker.export, sha256, folder, actor=officer, purpose=purpose)
    job.result.connect(self._exported)
    job.error.connect(self._failed)
    job.bind(self).start(database_pool())

Cancellation is cooperative. :meth:`Job.cancel` sets ``job.cancel_event``; a
generator job is closed at its next ``yield`` (``GeneratorExit`` runs its clean-up,
as the evidence importer relies on). A job that should finish by itself — and
still return a result — gets the event passed in (``cancel_event=`` the event it
watches), checks it, and returns early.

Slots must not outlive their widgets: :meth:`Job.bind` ties a job to an owner;
once the owner is destroyed the job is cancelled and delivers nothing more —
not even what was already queued — so no slot of a deleted widget is called,
whether it was connected as a method or as a lambda. The pool keeps no reference to a
widget; a running job keeps itself alive until ``finished`` was emitted.

Worker threads never touch widgets. ``QImage`` may be made in a job; ``QPixmap``
may not (it belongs to the GUI thread).

The workspace database has one connection. Jobs that write to it (import, export,
logged views) run on :func:`database_pool`, one at a time, so their transactions
never interleave.

Emit signals from Python with :func:`emit`, not ``signal.emit``: PySide6 6.12.0
on CPython 3.11 returns ``True`` from every ``SignalInstance.emit()`` without a
new reference, so each call takes one reference from ``True`` and the
interpreter aborts ("Fatal Python error: bool_dealloc") after a few hundred to a
few thousand emits. :func:`emit` gives the reference back when, and only when,
a probe at import shows the binding loses it.
"""

from __future__ import annotations

import ctypes
import inspect
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

log = logging.getLogger(__name__)

_UNSET = object()
_running: set[Job] = set()  # jobs alive until their ``finished`` was delivered
_database_pool: QThreadPool | None = None

_py_incref = ctypes.pythonapi.Py_IncRef  # called with the GIL held (pythonapi keeps it)
_py_incref.argtypes = [ctypes.py_object]
_py_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_deficit(samples: int = 64) -> int:
    """References to ``True`` one ``emit()`` takes away: 1 with the faulty binding, else 0.

    The references the probe itself took are given back.
    """
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(samples):
        probe.ping.emit()
    lost = min(max(before - sys.getrefcount(True), 0), samples)
    for _ in range(lost):
        _py_incref(True)
    return 1 if round(lost / samples) >= 1 else 0


_EMIT_DEFICIT = _emit_deficit()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, from any thread, leaving ``True``'s reference count whole."""
    returned = signal.emit(*args)
    if _EMIT_DEFICIT and returned is True:
        _py_incref(True)  # the reference emit() should have added to what it returned


def database_pool() -> QThreadPool:
    """The single-thread pool for every job that writes to the workspace database."""
    global _database_pool
    if _database_pool is None:
        _database_pool = QThreadPool()
        _database_pool.setMaxThreadCount(1)
        _database_pool.setObjectName("database")
    return _database_pool


def default_pool() -> QThreadPool:
    """The shared pool for work on files only (hashing, rendering): Qt's global pool."""
    return QThreadPool.globalInstance()


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job._execute()  # noqa: SLF001 - the runnable is the job's thread entry


class Job(QObject):
    """One run of ``fn(*args, **kwargs)`` on a thread pool; see the module docstring."""

    progress = Signal(object)
    result = Signal(object)
    error = Signal(object)
    cancelled = Signal()
    finished = Signal()

    # The worker emits these; they reach the job on the GUI thread (queued), which
    # passes them on unless its owner is gone. Events already queued when the owner
    # is destroyed are then dropped too, which disconnecting alone would not do.
    _progress_out = Signal(object)
    _result_out = Signal(object)
    _error_out = Signal(object)
    _cancelled_out = Signal()
    _finished_out = Signal()

    def __init__(self, fn: Callable[..., Any], *args: Any, cancel_event: threading.Event | None = None,
                 progress_interval_s: float = 0.05, **kwargs: Any) -> None:
        # No Qt parent: the job's lifetime is its run, not a widget's (see bind()).
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        # An event handed in is watched by the job itself, which then stops on
        # its own; without one, cancel() closes a generator job at its next yield.
        self.cooperative = cancel_event is not None
        self.cancel_event = cancel_event or threading.Event()
        self.progress_interval_s = progress_interval_s
        self._done = threading.Event()
        self._started = False
        self._orphaned = False
        self.outcome: str | None = None  # "result", "error" or "cancelled", once done
        self._progress_out.connect(self._pass_progress)
        self._result_out.connect(self._pass_result)
        self._error_out.connect(self._pass_error)
        self._cancelled_out.connect(self._pass_cancelled)
        self._finished_out.connect(self._pass_finished)

    # --- GUI thread -------------------------------------------------------------
    def start(self, pool: QThreadPool | None = None) -> Job:
        """Queue the job on ``pool`` (default: Qt's global pool); returns the job."""
        if self._started:
            raise RuntimeError("a Job runs once")
        self._started = True
        _running.add(self)
        (pool or default_pool()).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the job to stop; ``cancelled`` (or the job's own result) follows."""
        self.cancel_event.set()

    def bind(self, owner: QObject) -> Job:
        """Cancel the job, and deliver nothing more, once ``owner`` is destroyed."""
        owner.destroyed.connect(self._owner_gone)
        return self

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block until the job's thread is done (for shutdown and tests); True when it is."""
        return self._done.wait(timeout_s)

    @property
    def is_done(self) -> bool:
        return self._done.is_set()

    def _owner_gone(self, *_: object) -> None:
        self._orphaned = True
        self.cancel_event.set()

    @Slot(object)
    def _pass_progress(self, value: object) -> None:
        if not self._orphaned:
            emit(self.progress, value)

    @Slot(object)
    def _pass_result(self, value: object) -> None:
        if not self._orphaned:
            emit(self.result, value)

    @Slot(object)
    def _pass_error(self, exc: object) -> None:
        if not self._orphaned:
            emit(self.error, exc)

    @Slot()
    def _pass_cancelled(self) -> None:
        if not self._orphaned:
            emit(self.cancelled)

    @Slot()
    def _pass_finished(self) -> None:
        _running.discard(self)
        if not self._orphaned:
            emit(self.finished)

    # --- worker thread ----------------------------------------------------------
    def _send(self, signal: Any, *args: Any) -> None:
        """Hand a signal to the GUI thread, unless the application has already torn the job down.

        At quit Qt deletes what is left while a worker may still be finishing; there is
        nobody left to tell, so the outcome is dropped rather than raised in the thread.
        """
        try:
            emit(signal, *args)
        except RuntimeError:
            if shiboken6.isValid(self):
                raise

    def _execute(self) -> None:
        try:
            value = self.fn(*self.args, **self.kwargs)
            if inspect.isgenerator(value):
                value = self._drive(value)
            if value is _UNSET:
                self.outcome = "cancelled"
                self._send(self._cancelled_out)
            else:
                self.outcome = "result"
                self._send(self._result_out, value)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the error signal
            if not getattr(exc, "zh", None):  # a user-facing error is expected; others are bugs
                log.exception("background job %r failed", getattr(self.fn, "__qualname__", self.fn))
            self.outcome = "error"
            self._send(self._error_out, exc)
        finally:
            self._done.set()
            self._send(self._finished_out)

    def _drive(self, steps: Any) -> Any:
        """Iterate a generator, forwarding progress; its return value, or _UNSET when cancelled."""
        last_emit = 0.0
        pending: Any = _UNSET
        try:
            while True:
                try:
                    value = next(steps)
                except StopIteration as stop:
                    if pending is not _UNSET:
                        self._send(self._progress_out, pending)
                    return stop.value
                if self.cancel_event.is_set() and not self.cooperative:
                    steps.close()  # GeneratorExit inside the job: its clean-up runs now
                    return _UNSET
                now = time.monotonic()
                if now - last_emit >= self.progress_interval_s:
                    self._send(self._progress_out, value)
                    last_emit, pending = now, _UNSET
                else:
                    pending = value
        finally:
            steps.close()


def run_in_background(fn: Callable[..., Any], *args: Any, owner: QObject | None = None,
                      pool: QThreadPool | None = None,
                      on_result: Callable[[Any], None] | None = None,
                      on_error: Callable[[Any], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None, **kwargs: Any) -> Job:
    """Start ``fn(*args, **kwargs)`` as a :class:`Job`, connecting the given slots.

    With ``owner`` the job is bound to it (see :meth:`Job.bind`): pass the widget
    whose methods are the slots.
    """
    job = Job(fn, *args, **kwargs)
    for signal, slot in ((job.result, on_result), (job.error, on_error), (job.progress, on_progress)):
        if slot is not None:
            signal.connect(slot)
    if owner is not None:
        job.bind(owner)
    return job.start(pool)


def run_waiting(fn: Callable[..., Any], *args: Any, pool: QThreadPool | None = None,
                meanwhile: Callable[[], None] | None = None, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` on a worker thread while the GUI thread goes on painting (a
    local event loop); returns its value or raises its exception.

    For a short wait the caller cannot go on without, such as a PIN's key derivation
    (a quarter of a second or more by design): the window stays live and shows that it
    is working. The caller disables what could start the same work again. ``meanwhile``
    runs on the GUI thread once the wait has begun (after the waiting state is painted),
    for work that does not depend on the result.
    """
    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    job = Job(fn, *args, **kwargs)
    job.result.connect(lambda value: outcome.setdefault("value", value))
    job.error.connect(lambda exc: outcome.setdefault("error", exc))
    job.finished.connect(loop.quit)
    job.start(pool)
    if meanwhile is not None:
        QTimer.singleShot(0, meanwhile)
    loop.exec()  # the job's signals are queued to this thread: none is missed before exec
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
