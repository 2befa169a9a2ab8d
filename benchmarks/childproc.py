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


def vm_hwm_kib() -> int:
    """This process's own peak RSS in KiB, for a child to print. (``ru_maxrss`` of a forked
    child starts at the parent's size.)"""
    from pathlib import Path

    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def seal_random_originals(ws: Any, scratch: Any, size_mib: int, files: int, *, session: Any) -> None:
    """Seal ``files`` random originals (JPEG magic, then incompressible bytes) totalling
    ``size_mib`` into the workspace ``ws``, each written first to the path ``scratch``,
    collected by the person signed in as ``session``."""
    from app.domain import EvidenceSourceKind
    from app.evidence.locker import EvidenceLocker

    locker = EvidenceLocker(ws)
    each = (size_mib << 20) // files
    for i in range(files):
        with open(scratch, "wb") as fh:  # random, so nothing downstream can compress it
            fh.write(b"\xff\xd8\xff\xe0")
            left = each - 4
            while left:
                n = min(1 << 20, left)
                fh.write(os.urandom(n))
                left -= n
        locker.ingest_file(scratch, evidence_type="audiovisual", officer_certs=["33010621001"],
                           source_kind=EvidenceSourceKind.FILE, inspection_id="JC-2026-1101", session=session)
        os.unlink(scratch)
        print(f"  sealed {i + 1}/{files}", file=sys.stderr)
