"""Running a measured step in a child process: its output, wall time and peak memory.

Each benchmark runs the work it measures in a fresh interpreter, so that the peak
resident memory reported is that work's own (``ru_maxrss`` from ``os.wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any


def run_child(cmd: list[str], **popen: Any) -> tuple[str, float, int]:
    """Run ``cmd``; return its stdout (stripped), wall time in seconds and peak RSS in KiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, **popen)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code:
        raise SystemExit(f"{cmd[0]} failed with {code}")
    peak = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss // 1024  # macOS counts bytes
    return out.strip(), elapsed, peak
