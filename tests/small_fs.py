"""Small real file systems for the full-disk and read-only tests: a tmpfs of a few MiB.

Mounting needs root (as the tests run here and in CI); where it is not permitted the
test is skipped and says why.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def mount(target: Path, size: str) -> None:
    target.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(target)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"a small file system cannot be mounted here (needs root): {done.stderr.strip()}")


def unmount(*targets: Path) -> None:
    for target in targets:
        subprocess.run(["umount", "-l", str(target)], check=False)


@contextmanager
def small_disk(target: Path, size: str = "48m") -> Iterator[Path]:
    mount(target, size)
    try:
        yield target
    finally:
        unmount(target)


def fill(folder: Path, leave: int) -> Path:
    """A file that takes all the free space of ``folder``'s file system but ``leave`` bytes."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    filler = folder / "filler.bin"
    with open(filler, "wb") as fh:
        os.posix_fallocate(fh.fileno(), 0, max(0, free - leave))
    return filler


def noise_video(path: Path, seconds: int = 10) -> Path:
    """Noise at 320×240, 25 frames a second: frames too large to compress, so a few seconds fill a disk."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc=duration={seconds}:size=320x240:rate=25,noise=alls=60:allf=t", "-c:v", "mpeg4",
                    "-q:v", "2", str(path)], check=True)
    return path
