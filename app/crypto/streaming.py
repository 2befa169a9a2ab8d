"""Copying and hashing in one pass: the bytes sealed are the bytes stored."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import os
import stat
import threading
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO

# Reused buffers of this size: large enough that system-call and thread hand-over
# overhead are negligible next to hashing, small enough that memory stays flat.
COPY_BUFFER_SIZE = 1 << 20

_pools: dict[str, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(name: str, workers: int) -> ThreadPoolExecutor:
    """A process-wide pool: ``copy-hash`` hashes and writes, ``flush`` waits on the disk."""
    with _pools_lock:
        if name not in _pools:
            _pools[name] = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        return _pools[name]


def _write_all(dst: BinaryIO, chunk: memoryview) -> None:
    while chunk:
        written = dst.write(chunk)
        # Raw files may write less than asked (a signal, a pipe); buffered ones return None.
        chunk = chunk[written:] if written is not None else chunk[len(chunk):]


def copy_hashing(src: BinaryIO, dst: BinaryIO | None = None, *, buffer_size: int = COPY_BUFFER_SIZE,
                 flush_every: int | None = None) -> Generator[int, None, tuple[str, int]]:
    """Copy ``src`` to ``dst`` (or just read it) and hash the bytes on the way through.

    A generator: it yields the number of bytes done after each chunk, so callers can
    report progress or stop early (closing the generator stops the copy), and it
    returns ``(sha256_hex, size)``. There is never a second pass over the source.

    Between two plain files (unbuffered, the destination open for reading too) the
    kernel copies each chunk (``copy_file_range``, else ``sendfile``) as ``cp``
    does, and the chunk is hashed as it now stands in the destination, read back
    from the page cache while the next chunk is copied: the seal then states the
    bytes of the stored file itself. Anything else goes through
    :func:`_copy_hashing_buffered`. With ``flush_every`` (bytes), the data written
    so far is handed to the disk (``fdatasync``) in the background every so many
    bytes, so that the caller's final ``fsync`` finds little left to write.
    """
    if _kernel_copy_possible(src, dst):
        kernel = _copy_hashing_kernel(src, dst, buffer_size=buffer_size, flush_every=flush_every)  # type: ignore[arg-type]
        try:
            try:
                first = next(kernel)
            except StopIteration as stop:
                return stop.value  # an empty file
            if first is not _NO_KERNEL_COPY:
                yield first  # type: ignore[misc]
                return (yield from kernel)
        finally:
            kernel.close()
    return (yield from _copy_hashing_buffered(src, dst, buffer_size=buffer_size, flush_every=flush_every))


_NO_KERNEL_COPY = object()
# The kernel cannot copy between these two files: fall back to reading and writing.
_KERNEL_COPY_REFUSED = {errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EBADF}


def _kernel_copy_possible(src: BinaryIO, dst: BinaryIO | None) -> bool:
    # Only raw files: a buffered reader may hold bytes its descriptor has moved past.
    if not isinstance(src, io.FileIO) or not isinstance(dst, io.FileIO):
        return False
    try:
        readable_dst = fcntl.fcntl(dst.fileno(), fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDWR
        return readable_dst and stat.S_ISREG(os.fstat(src.fileno()).st_mode) and stat.S_ISREG(
            os.fstat(dst.fileno()).st_mode)
    except OSError:
        return False


def _copy_range(src_fd: int, dst_fd: int, count: int, how: list[str]) -> int:
    """Copy up to ``count`` bytes at both files' offsets in the kernel; bytes copied."""
    while True:
        if how[0] == "copy_file_range":
            try:
                return os.copy_file_range(src_fd, dst_fd, count)
            except OSError as exc:
                if exc.errno not in _KERNEL_COPY_REFUSED:
                    raise
                how[0] = "sendfile"  # e.g. another file system type, before Linux 5.19
        else:
            offset = os.lseek(src_fd, 0, os.SEEK_CUR)
            n = os.sendfile(dst_fd, src_fd, offset, count)
            os.lseek(src_fd, offset + n, os.SEEK_SET)
            return n


def _hash_back(digest: Any, fd: int, offset: int, view: memoryview) -> None:
    """Hash ``len(view)`` bytes of ``fd`` from ``offset`` (just copied there)."""
    got = 0
    while got < len(view):
        n = os.preadv(fd, [view[got:]], offset + got)
        if n == 0:
            raise OSError(errno.EIO, "the copy is shorter than the bytes copied into it")
        got += n
    digest.update(view)


def _copy_hashing_kernel(src: io.FileIO, dst: io.FileIO, *, buffer_size: int,
                         flush_every: int | None) -> Generator[Any, None, tuple[str, int]]:
    digest = hashlib.sha256()
    view = memoryview(bytearray(buffer_size))
    src_fd, dst_fd = src.fileno(), dst.fileno()
    start_dst = os.lseek(dst_fd, 0, os.SEEK_CUR)
    how = ["copy_file_range"]
    try:
        n = _copy_range(src_fd, dst_fd, buffer_size, how)
    except OSError as exc:
        if exc.errno not in _KERNEL_COPY_REFUSED:
            raise
        yield _NO_KERNEL_COPY  # nothing was copied: the caller reads and writes instead
        return "", 0
    pool, flusher = _pool("copy-hash", 2), _pool("flush", 1)
    hashing: Future[None] | None = None
    flushing: Future[None] | None = None
    done = flushed = 0
    try:
        while True:
            if hashing is not None:
                hashing.result()
                hashing = None
            if not n:
                break
            # The buffer is free again: hash this chunk while the kernel copies the next.
            hashing = pool.submit(_hash_back, digest, dst_fd, start_dst + done, view[:n])
            done += n
            if flush_every and done - flushed >= flush_every and (flushing is None or flushing.done()):
                if flushing is not None:
                    flushing.result()
                flushing, flushed = flusher.submit(os.fdatasync, dst_fd), done
            yield done
            n = _copy_range(src_fd, dst_fd, buffer_size, how)
        if flushing is not None:
            flushing.result()  # the last flush must have reached the disk (or raised)
            flushing = None
    finally:
        # Stopped early (cancel, error): the threads must be done with the buffer and
        # the destination before the caller discards them.
        for job in (hashing, flushing):
            if job is not None:
                job.cancel() or job.exception()
    return digest.hexdigest(), done


def _copy_hashing_buffered(src: BinaryIO, dst: BinaryIO | None, *, buffer_size: int,
                           flush_every: int | None) -> Generator[int, None, tuple[str, int]]:
    """Read, hash and write through two reused buffers.

    The hash is of exactly the bytes written. Reading, hashing and writing overlap: while chunk *n* is hashed and written on
    two pool threads, chunk *n+1* is read into the other buffer. All three release
    the GIL, so on two cores a copy takes about as long as its slowest part rather
    than the sum of the three.
    """
    digest = hashlib.sha256()
    buffers = (memoryview(bytearray(buffer_size)), memoryview(bytearray(buffer_size)))
    n = src.readinto(buffers[0])  # type: ignore[attr-defined]
    done = 0
    if n is not None and n < buffer_size:
        # Possibly everything fits one buffer (a photo, a record). A short read is not the
        # end of the file, though (a pipe, FUSE, a network share): only an empty one is.
        more = src.readinto(buffers[1]) if n else 0  # type: ignore[attr-defined]
        if not more:
            chunk = buffers[0][:n or 0]
            digest.update(chunk)
            if dst is not None and n:
                _write_all(dst, chunk)
            if n:
                done = n
                yield done
            return digest.hexdigest(), done
        # It goes on: hash and write the two pieces read so far, then continue as usual.
        for piece in (buffers[0][:n], buffers[1][:more]):
            digest.update(piece)
            if dst is not None:
                _write_all(dst, piece)
        done = n + more
        yield done
        n = src.readinto(buffers[0])  # type: ignore[attr-defined]
    pool = _pool("copy-hash", 2)
    current = 0
    pending: list[Future[None]] = []
    flushing: Future[None] | None = None
    flushed = 0
    try:
        while n:
            chunk = buffers[current][:n]
            pending = [pool.submit(digest.update, chunk)]
            if dst is not None:
                pending.append(pool.submit(_write_all, dst, chunk))
            current ^= 1
            n = src.readinto(buffers[current])  # type: ignore[attr-defined]
            for job in pending:
                job.result()
            pending = []
            done += len(chunk)
            if flush_every and dst is not None and done - flushed >= flush_every and (
                    flushing is None or flushing.done()):
                if flushing is not None:
                    flushing.result()
                flushing, flushed = _pool("flush", 1).submit(os.fdatasync, dst.fileno()), done
            yield done
        if flushing is not None:
            flushing.result()  # the last flush must have reached the disk (or raised)
            flushing = None
    finally:
        # Stopped early (cancel, error): the threads must be done with the buffers
        # and the destination before the caller discards them.
        for job in [*pending, *([flushing] if flushing is not None else [])]:
            job.cancel() or job.exception()
    return digest.hexdigest(), done


def sha256_file(path: str | os.PathLike[str], *, buffer_size: int = COPY_BUFFER_SIZE) -> tuple[str, int]:
    """SHA-256 and size of a file, read once in fixed-size chunks."""
    with open(path, "rb", buffering=0) as fh:
        steps = copy_hashing(fh, None, buffer_size=buffer_size)
        while True:
            try:
                next(steps)
            except StopIteration as stop:
                return stop.value


def sha256_file_copy(src: BinaryIO, dst: BinaryIO) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` in fixed chunks; ``(sha256_hex, size)`` of what was copied."""
    steps = copy_hashing(src, dst)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
