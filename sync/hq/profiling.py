"""An optional cProfile of a receiver process, every thread, written on a graceful stop.

Off unless ``FIELDINSPECT_HQ_PROFILE=DIR`` is in the environment of ``fieldinspect-hq
serve`` (``benchmarks/hq_load.py --cprofile`` sets it). Then each thread of the process
(the event loop, the ingest and sweep threads, Starlette's worker threads) runs under
its own ``cProfile.Profile``, and when the server stops (SIGTERM, SIGINT or a normal
return) one pstats file per thread is written to ``DIR/hq-<pid>-<n>-<thread>.prof``.
``FIELDINSPECT_HQ_PROFILE_CLOCK=cpu`` measures each thread's CPU time
(``time.thread_time``) instead of wall time. A SIGKILLed receiver writes nothing.

Why a signal handler: uvicorn catches SIGTERM, shuts down, then raises the signal again
once its own handlers are restored, and the default action would end the process
before any ``atexit``/cProfile dump ran. The handler installed here is the one uvicorn
restores, so the re-raised signal arrives as ``SystemExit`` and the stats are written.
"""

from __future__ import annotations

import contextlib
import cProfile
import marshal
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ENV = "FIELDINSPECT_HQ_PROFILE"
CLOCK_ENV = "FIELDINSPECT_HQ_PROFILE_CLOCK"


class ThreadProfiles:
    def __init__(self, folder: Path, *, cpu: bool = False) -> None:
        self.folder = folder
        self.timer = time.thread_time if cpu else time.perf_counter
        self._lock = threading.Lock()
        self._profiles: list[tuple[threading.Thread, cProfile.Profile]] = []

    def _enable_here(self) -> None:
        profile = cProfile.Profile(self.timer)
        with self._lock:
            self._profiles.append((threading.current_thread(), profile))
        profile.enable()

    def _bootstrap(self, frame, event, arg) -> None:  # noqa: ANN001 - sys.setprofile's signature
        sys.setprofile(None)  # first event in a new thread: hand over to cProfile
        self._enable_here()

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        threading.setprofile(self._bootstrap)  # threads started from now on
        self._enable_here()

    def dump(self) -> None:
        threading.setprofile(None)
        me = threading.current_thread()
        with self._lock:
            profiles = list(self._profiles)
        for n, (thread, profile) in enumerate(profiles):
            if thread is me:
                profile.disable()
                profile.create_stats()
            else:  # still enabled in its own thread: a snapshot of the calls it finished
                profile.snapshot_stats()
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", thread.name)
            with open(self.folder / f"hq-{os.getpid()}-{n:03d}-{name}.prof", "wb") as fh:
                marshal.dump(profile.stats, fh)


@contextlib.contextmanager
def from_environment() -> Iterator[None]:
    """Profile the block (and threads started in it) when ``FIELDINSPECT_HQ_PROFILE`` is set."""
    folder = os.environ.get(ENV)
    if not folder:
        yield
        return
    profiles = ThreadProfiles(Path(folder), cpu=os.environ.get(CLOCK_ENV) == "cpu")

    def stop(signum: int, frame) -> None:  # noqa: ANN001
        raise SystemExit(128 + signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    profiles.start()
    try:
        yield
    finally:
        profiles.dump()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
