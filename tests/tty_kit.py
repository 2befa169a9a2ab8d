"""Running a command-line tool that asks for a passphrase at its terminal (``age -p``, ``age -d``)."""

from __future__ import annotations

import os
import pty
import select
import time
from collections.abc import Sequence


def run_with_terminal(argv: Sequence[str], answers: Sequence[str], *, timeout: float = 60.0) -> tuple[int, bytes]:
    """Run ``argv`` with a pseudo-terminal as its controlling terminal; type each of
    ``answers`` when it asks for a passphrase. Returns (exit code, what it wrote there)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        try:
            os.execvp(argv[0], list(argv))
        finally:
            os._exit(127)
    out, typed, deadline = b"", 0, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
            if typed < len(answers) and b"passphrase" in out.lower().rsplit(b"\n", 1)[-1]:
                os.write(fd, answers[typed].encode("utf-8") + b"\r")
                typed += 1
                out += b"\n"
        else:
            os.kill(pid, 9)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out


def age_decrypt(identity: os.PathLike | str, source: os.PathLike | str, passphrase: str) -> bytes:
    """``age -d -i IDENTITY SOURCE`` with a passphrase-protected identity file, as a person runs it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "plain")
        code, said = run_with_terminal(["age", "-d", "-i", str(identity), "-o", out, str(source)], [passphrase])
        if code != 0:
            raise AssertionError(f"age -d failed ({code}): {said!r}")
        with open(out, "rb") as fh:
            return fh.read()
