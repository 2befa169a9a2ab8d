"""Copy-and-hash in one pass: the kernel path between plain files, the buffered path for
everything else, and both agree with a plain SHA-256 of the bytes (R17)."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

import pytest

from app import crypto
from app.crypto import streaming

BUF = 64 * 1024  # small buffers make many chunks out of small files


def drive(steps):  # type: ignore[no-untyped-def]
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as stop:
            return stop.value, seen


def rw_temp(folder: Path) -> io.FileIO:
    """A destination opened read-write, as the evidence store opens its staging files."""
    fd, name = tempfile.mkstemp(dir=folder)
    return os.fdopen(fd, "w+b", buffering=0)  # type: ignore[return-value]


@pytest.mark.parametrize("size", [0, 1, BUF - 1, BUF, BUF + 1, 3 * BUF + 7])
def test_kernel_copy_between_files_hashes_the_copy(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    (tmp_path / "src").write_bytes(data)
    with open(tmp_path / "src", "rb", buffering=0) as src, rw_temp(tmp_path) as dst:
        assert streaming._kernel_copy_possible(src, dst)
        (digest, n), seen = drive(crypto.copy_hashing(src, dst, buffer_size=BUF, flush_every=BUF))
        dst.seek(0)
        copied = dst.read()
    assert (digest, n) == (hashlib.sha256(data).hexdigest(), size)
    assert copied == data
    assert seen == sorted(seen) and (not seen or seen[-1] == size)


def test_sendfile_stands_in_when_copy_file_range_is_refused(tmp_path: Path) -> None:
    data = os.urandom(3 * BUF + 5)
    (tmp_path / "src").write_bytes(data)
    with open(tmp_path / "src", "rb", buffering=0) as src, rw_temp(tmp_path) as dst:
        how = ["sendfile"]  # what _copy_range falls back to on EXDEV and the like
        done = 0
        while n := streaming._copy_range(src.fileno(), dst.fileno(), BUF, how):
            done += n
        assert done == len(data) and src.tell() == len(data)
        dst.seek(0)
        assert dst.read() == data


def test_write_only_destination_and_streams_take_the_buffered_path(tmp_path: Path) -> None:
    data = os.urandom(2 * BUF + 3)
    (tmp_path / "src").write_bytes(data)
    with open(tmp_path / "src", "rb", buffering=0) as src, open(tmp_path / "dst", "wb", buffering=0) as dst:
        assert not streaming._kernel_copy_possible(src, dst)
        (digest, n), _ = drive(crypto.copy_hashing(src, dst, buffer_size=BUF))
    assert (tmp_path / "dst").read_bytes() == data and digest == hashlib.sha256(data).hexdigest()
    out = io.BytesIO()
    (digest, n), _ = drive(crypto.copy_hashing(io.BytesIO(data), out, buffer_size=BUF))
    assert out.getvalue() == data and n == len(data) and digest == hashlib.sha256(data).hexdigest()


def test_a_buffered_reader_is_not_copied_by_descriptor(tmp_path: Path) -> None:
    """A buffered reader may have read ahead of its descriptor: the kernel path would skip bytes."""
    data = os.urandom(BUF * 2)
    (tmp_path / "src").write_bytes(data)
    with open(tmp_path / "src", "rb") as src, rw_temp(tmp_path) as dst:
        src.read(10)  # the descriptor is now far past byte 10
        assert not streaming._kernel_copy_possible(src, dst)
        (digest, n), _ = drive(crypto.copy_hashing(src, dst, buffer_size=BUF))
    assert digest == hashlib.sha256(data[10:]).hexdigest() and n == len(data) - 10


@pytest.mark.parametrize("kernel", [True, False])
def test_stopping_midway_leaves_no_thread_working_on_the_file(tmp_path: Path, kernel: bool) -> None:
    data = os.urandom(8 * BUF)
    (tmp_path / "src").write_bytes(data)
    with open(tmp_path / "src", "rb", buffering=0) as src, \
            (rw_temp(tmp_path) if kernel else open(tmp_path / "dst", "wb", buffering=0)) as dst:
        steps = crypto.copy_hashing(src, dst, buffer_size=BUF, flush_every=BUF)
        assert next(steps) == BUF
        steps.close()
        size = os.fstat(dst.fileno()).st_size
    assert size < len(data)  # stopped: the rest was never copied
    assert os.stat(dst.name).st_size == size if isinstance(dst.name, str) else True


class _Trickle(io.RawIOBase):
    """A source that answers with short reads, as pipes, FUSE and network shares may."""

    def __init__(self, data: bytes, first: int) -> None:
        self.data, self.pos, self.first = data, 0, first

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # type: ignore[no-untyped-def, override]
        limit = self.first if self.pos == 0 else 7 * 1024
        n = min(len(b), limit, len(self.data) - self.pos)
        b[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n


@pytest.mark.parametrize("first", [1, 1000, BUF - 1])
def test_a_short_first_read_is_not_taken_for_the_end_of_the_file(first: int) -> None:
    data = os.urandom(3 * BUF + 11)
    out = io.BytesIO()
    (digest, n), _ = drive(crypto.copy_hashing(_Trickle(data, first), out, buffer_size=BUF))
    assert n == len(data) and out.getvalue() == data and digest == hashlib.sha256(data).hexdigest()
