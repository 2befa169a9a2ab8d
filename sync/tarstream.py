"""A tar stream written member by member, so the caller controls every byte copied.

Each header comes from the standard library (``tarfile.TarInfo.tobuf``, POSIX pax
format); the data is copied in fixed chunks, so a generator can report progress
inside a multi-gigabyte member and memory stays flat. The result is an ordinary tar
that ``tar``, ``tarfile`` and ``bagit`` read (tests/integration/test_bundle_interop.py).
"""

from __future__ import annotations

import tarfile
from collections.abc import Generator
from typing import BinaryIO

BLOCK = tarfile.BLOCKSIZE
RECORD = tarfile.RECORDSIZE
COPY_CHUNK = 1 << 20


class TarStream:
    """Write tar members to ``dst`` (any object with ``write``)."""

    def __init__(self, dst: BinaryIO, *, mtime: int) -> None:
        self.dst = dst
        self.mtime = mtime
        self.offset = 0

    def _write(self, data: bytes | memoryview) -> None:
        self.dst.write(data)
        self.offset += len(data)

    def _header(self, name: str, size: int) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode, info.type = size, self.mtime, 0o644, tarfile.REGTYPE
        self._write(info.tobuf(format=tarfile.PAX_FORMAT, encoding="utf-8", errors="strict"))

    def _pad(self, size: int) -> None:
        if size % BLOCK:
            self._write(b"\0" * (BLOCK - size % BLOCK))

    def add_bytes(self, name: str, data: bytes) -> None:
        self._header(name, len(data))
        self._write(data)
        self._pad(len(data))

    def add_stream(self, name: str, src: BinaryIO, size: int) -> Generator[int, None, None]:
        """Copy exactly ``size`` bytes of ``src``; yields the bytes copied so far."""
        self._header(name, size)
        buffer = bytearray(COPY_CHUNK)
        view = memoryview(buffer)
        done = 0
        while done < size:
            n = src.readinto(view[:min(COPY_CHUNK, size - done)])  # type: ignore[attr-defined]
            if not n:
                raise OSError(f"{name}: file shorter than its sealed size ({done} of {size} bytes)")
            self._write(view[:n])
            done += n
            yield done
        self._pad(size)

    def close(self) -> None:
        """The end-of-archive marker, padded to a whole record as tar writes it."""
        self._write(b"\0" * (2 * BLOCK))
        if self.offset % RECORD:
            self._write(b"\0" * (RECORD - self.offset % RECORD))
