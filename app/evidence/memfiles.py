"""Anonymous memory files with a path, for tools that insist on a file name.

OpenCV's writer and ffmpeg/ffprobe take a path (and guess the container from its
extension). A :class:`MemFile` is a Linux ``memfd`` — bytes in memory that no file
system holds and that vanish with the process — reached through a symbolic link
``<private 0700 folder>/<name><suffix> → /proc/<pid>/fd/<n>``. The link holds no
data; the folder is removed on :meth:`close`. Plaintext of evidence goes only
here, never to a disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path


class MemFile:
    """A memory file at ``self.path`` (readable and writable, seekable) until :meth:`close`."""

    def __init__(self, name: str = "fieldinspect", suffix: str = "") -> None:
        self.fd = os.memfd_create(name, os.MFD_CLOEXEC)
        try:
            self._dir = tempfile.mkdtemp(prefix="fieldinspect-mem-")  # 0700: nobody else lists it
            self.path = Path(self._dir) / f"{name}{suffix}"
            os.symlink(f"/proc/{os.getpid()}/fd/{self.fd}", self.path)
        except BaseException:
            os.close(self.fd)
            raise

    @property
    def size(self) -> int:
        return os.fstat(self.fd).st_size

    def pread(self, n: int, offset: int) -> bytes:
        return os.pread(self.fd, n, offset)

    def close(self) -> None:
        if self.fd < 0:
            return
        shutil.rmtree(self._dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = -1

    def __enter__(self) -> MemFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
