"""Named crash points at the durable steps (fsync, rename, commit) of every layer.

Each durable step calls :func:`point` with its name, a literal string, so the list
of points can be read from the sources (``tests/integration/test_crash_points.py``
scans them and fails when a point is not exercised). In a normal run a point is one
function call and one test of a module constant.

The crash tests set, in a child process's environment:

- ``FIELDINSPECT_CRASH_TRACE=FILE``: every point reached is appended to FILE, one
  name a line, in order;
- ``FIELDINSPECT_CRASH_AT=NAME`` or ``NAME#N``: at the first (N-th) time NAME is
  reached, the process kills itself with SIGKILL: no cleanup, no ``finally``, no
  buffered write flushed, as when the battery runs out.

This module sits in ``local_db`` (standard library only) so that ``app`` and
``sync`` may call it too.
"""

from __future__ import annotations

import os
import signal
import threading

ENV_AT = "FIELDINSPECT_CRASH_AT"
ENV_TRACE = "FIELDINSPECT_CRASH_TRACE"

_AT = os.environ.get(ENV_AT) or ""
_TRACE = os.environ.get(ENV_TRACE) or ""
ACTIVE = bool(_AT or _TRACE)

_name, _, _nth = _AT.partition("#")
_TARGET, _TARGET_HIT = _name, int(_nth or 1)
_hits: dict[str, int] = {}
_lock = threading.Lock()


def point(name: str) -> None:
    """A durable step named ``name`` has just happened (or is about to, as its name says)."""
    if ACTIVE:
        _reached(name)


def _reached(name: str) -> None:
    with _lock:
        count = _hits[name] = _hits.get(name, 0) + 1
        if _TRACE:
            with open(_TRACE, "a", encoding="utf-8") as fh:
                fh.write(name + "\n")
        if name == _TARGET and count == _TARGET_HIT:
            os.kill(os.getpid(), signal.SIGKILL)
