"""Files at rest encrypted in chunks: the format ``FIE1`` (docs/FORMATS.md, "Encrypted files").

Every file the device keeps of evidence (originals, recording segments, staging
files, thumbnails, document PDFs) is stored as

    header = b"FIE1" || chunk size (u32, big-endian) || wrapped-key length (u16) || wrapped key
    chunk* = AES-256-GCM(file key, nonce_i, plaintext_i, aad = header)
    nonce_i = i (11 bytes, big-endian) || final flag (1 byte: 0x00, or 0x01 for the last chunk)

The file key is 32 random bytes, new for each file, wrapped by the device master
key (``app.crypto.envelope``, context ``file-key``) and kept in the header. Every
chunk holds ``chunk size`` plaintext bytes except the last, which holds fewer
(possibly none) and carries the final flag. The chunk index and the flag in the
nonce, and the header as associated data, make a reordered, dropped, repeated,
truncated or extended file fail to decrypt, and a header moved onto another file
useless. Reading and writing keep one or two chunks in memory whatever the size.

:class:`EncryptedWriter` writes the format as a stream; :func:`encrypt_hashing`
is the intake path (read once, SHA-256 of the plaintext and encryption of the
same buffer on two threads); :class:`EncryptedReader` is a seekable, read-only
file object over the plaintext that authenticates each chunk it returns.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import struct
import threading
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from app.crypto.envelope import WRAPPED_BYTES, KeyUnwrapError, MasterKey

MAGIC = b"FIE1"
CHUNK_SIZE = 1 << 20
TAG_BYTES = 16
KEY_CONTEXT = b"file-key"
_FIXED = struct.Struct(">4sIH")
HEADER_BYTES = _FIXED.size + WRAPPED_BYTES
_MAX_CHUNK = 64 << 20

_pool_lock = threading.Lock()
_pool_holder: list[ThreadPoolExecutor] = []


def _pool() -> ThreadPoolExecutor:
    """Threads that hash and encrypt while the caller reads the next buffer (both release the GIL)."""
    with _pool_lock:
        if not _pool_holder:
            _pool_holder.append(ThreadPoolExecutor(max_workers=4, thread_name_prefix="filecrypt"))
        return _pool_holder[0]


class FileCryptError(ValueError):
    """An encrypted file that is not one, was altered, cut short or extended, or is under another key."""


class MasterKeyLocked(FileCryptError):
    """No master key: encrypted files can be neither written nor read (there is no plaintext fallback)."""


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def _aead(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


def _require(master: MasterKey | None) -> MasterKey:
    if master is None:
        raise MasterKeyLocked("the device master key is locked: encrypted files cannot be read or written")
    return master


def new_header(master: MasterKey | None, chunk_size: int = CHUNK_SIZE) -> tuple[bytes, bytes]:
    """(file key, header) for a new file."""
    if not 0 < chunk_size <= _MAX_CHUNK:
        raise ValueError("chunk size out of range")
    key, wrapped = _require(master).new_wrapped_key(context=KEY_CONTEXT)
    return key, _FIXED.pack(MAGIC, chunk_size, len(wrapped)) + wrapped


def parse_header(header: bytes, master: MasterKey | None) -> tuple[bytes, int]:
    """(file key, chunk size) from a header; :class:`FileCryptError` if it is not ours or not this key's."""
    master = _require(master)
    if len(header) < _FIXED.size:
        raise FileCryptError("not an encrypted file (too short)")
    magic, chunk_size, wrapped_len = _FIXED.unpack_from(header)
    if magic != MAGIC:
        raise FileCryptError("not an encrypted file (no FIE1 header)")
    if not 0 < chunk_size <= _MAX_CHUNK or wrapped_len != WRAPPED_BYTES or len(header) < HEADER_BYTES:
        raise FileCryptError("damaged header")
    try:
        key = master.unwrap(bytes(header[_FIXED.size:HEADER_BYTES]), context=KEY_CONTEXT)
    except KeyUnwrapError:
        raise FileCryptError("the file key does not unwrap: another device's file, or altered") from None
    return key, chunk_size


def is_encrypted(path: str | os.PathLike[str]) -> bool:
    """True when the file begins with the ``FIE1`` magic (says nothing about which key)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def ciphertext_size(plain_size: int, chunk_size: int = CHUNK_SIZE) -> int:
    return HEADER_BYTES + (plain_size // chunk_size + 1) * TAG_BYTES + plain_size


def _write_all(fd: int, data: memoryview | bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class EncryptedWriter(io.RawIOBase):
    """Write the format into ``fd`` (an open descriptor, or a file object with ``fileno``).

    Bytes are collected into one chunk; each full chunk is encrypted and written at
    once. :meth:`close` writes the final (short, possibly empty) chunk; a writer
    dropped without ``close`` (a crash) leaves a file that never decrypts whole.
    """

    def __init__(self, dst: int | BinaryIO, master: MasterKey | None, *, chunk_size: int = CHUNK_SIZE) -> None:
        super().__init__()
        self._fd = dst if isinstance(dst, int) else dst.fileno()
        key, self.header = new_header(master, chunk_size)
        self._aead = _aead(key)
        self.chunk_size = chunk_size
        self._buf = bytearray(chunk_size)
        self._out = bytearray(chunk_size + TAG_BYTES)
        self._fill = 0
        self._index = 0
        self.size = 0
        _write_all(self._fd, self.header)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        total = len(view)
        while view:
            n = min(len(view), self.chunk_size - self._fill)
            self._buf[self._fill:self._fill + n] = view[:n]
            self._fill += n
            view = view[n:]
            if self._fill == self.chunk_size:
                self._seal(final=False)
        self.size += total
        return total

    def _seal(self, *, final: bool) -> None:
        out = memoryview(self._out)[:self._fill + TAG_BYTES]
        self._aead.encrypt_into(_nonce(self._index, final), memoryview(self._buf)[:self._fill], self.header, out)
        _write_all(self._fd, out)
        self._index += 1
        self._fill = 0

    def close(self) -> None:
        if not self.closed:
            self._seal(final=True)
        super().close()

    def abandon(self) -> None:
        """Close without the final chunk (the file is then unreadable as a whole)."""
        self._fill = 0
        io.RawIOBase.close(self)


# While a file is written its pages are handed to the disk every so many bytes without
# waiting (Linux sync_file_range, SYNC_FILE_RANGE_WRITE: no device cache flush, unlike
# fdatasync), so the writeback overlaps hashing and the final fsync finds little left.
WRITEBACK_EVERY = 8 << 20
_sync_file_range: list[Any] = []


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Start writing ``length`` bytes of ``fd`` from ``offset`` to the disk; do not wait (best effort)."""
    if not _sync_file_range:
        try:
            import ctypes
            import ctypes.util

            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            fn = libc.sync_file_range
            fn.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
            _sync_file_range.append(fn)
        except (OSError, AttributeError):
            _sync_file_range.append(None)
    fn = _sync_file_range[0]
    if fn is not None:
        fn(fd, offset, length, 2)  # SYNC_FILE_RANGE_WRITE; an error only means no early writeback


_Buffers = tuple[memoryview, memoryview, memoryview]
_spare_buffers: list[tuple[int, _Buffers]] = []
_spare_lock = threading.Lock()


def _take_buffers(chunk_size: int) -> _Buffers:
    """Two read buffers and one output buffer of ``chunk_size``; reused from an earlier file
    when one is free, since zeroing 3 MiB costs more than encrypting a small photo."""
    with _spare_lock:
        for n, (size, buffers) in enumerate(_spare_buffers):
            if size == chunk_size:
                del _spare_buffers[n]
                return buffers
    return (memoryview(bytearray(chunk_size)), memoryview(bytearray(chunk_size)),
            memoryview(bytearray(chunk_size + TAG_BYTES)))


def _give_back(chunk_size: int, buffers: _Buffers) -> None:
    with _spare_lock:
        if len(_spare_buffers) < 4:
            _spare_buffers.append((chunk_size, buffers))


def encrypt_hashing(src: BinaryIO, dst_fd: int, master: MasterKey | None, *, chunk_size: int = CHUNK_SIZE,
                    flush_every: int | None = None) -> Generator[int, None, tuple[str, int]]:
    """Read ``src`` once; SHA-256 its bytes and write them encrypted to ``dst_fd``. Yields bytes done.

    Returns ``(sha256_hex of the plaintext, plaintext size)``. While chunk *n* is
    hashed on one pool thread and encrypted and written on another, chunk *n+1* is
    read into the other buffer; hashing, encryption and the system calls all
    release the GIL, so on two cores the pass takes about as long as hashing alone.
    """
    key, header = new_header(master, chunk_size)
    aead = _aead(key)
    _write_all(dst_fd, header)
    digest = hashlib.sha256()
    *buffers, out = spares = _take_buffers(chunk_size)
    pool = _pool()
    flusher: Future[None] | None = None
    pending: list[Future[Any]] = []
    done = flushed = index = 0

    def fill(buf: memoryview) -> int:
        got = 0
        while got < chunk_size:
            n = src.readinto(buf[got:])  # type: ignore[attr-defined]
            if not n:
                break
            got += n
        return got

    written = [len(header), len(header)]  # bytes written, bytes handed to writeback

    def seal(chunk: memoryview, i: int, final: bool) -> None:
        sealed = out[:len(chunk) + TAG_BYTES]
        aead.encrypt_into(_nonce(i, final), chunk, header, sealed)
        _write_all(dst_fd, sealed)
        written[0] += len(sealed)
        if written[0] - written[1] >= WRITEBACK_EVERY:
            start_writeback(dst_fd, written[1], written[0] - written[1])
            written[1] = written[0]

    current = 0
    try:
        n = fill(buffers[current])
        while True:
            chunk = buffers[current][:n]
            final = n < chunk_size
            pending = [pool.submit(digest.update, chunk), pool.submit(seal, chunk, index, final)]
            index += 1
            if final:
                for job in pending:
                    job.result()
                pending = []
                done += n
                if n:
                    yield done
                break
            current ^= 1
            n = fill(buffers[current])
            for job in pending:
                job.result()
            pending = []
            done += chunk_size
            if flush_every and done - flushed >= flush_every and (flusher is None or flusher.done()):
                if flusher is not None:
                    flusher.result()
                flusher, flushed = pool.submit(os.fdatasync, dst_fd), done
            yield done
        if flusher is not None:
            flusher.result()
            flusher = None
    finally:
        for job in [*pending, *([flusher] if flusher is not None else [])]:
            job.cancel() or job.exception()
        _give_back(chunk_size, spares)  # no job holds them any more
    return digest.hexdigest(), done


class EncryptedReader(io.RawIOBase):
    """The plaintext of an encrypted file: read-only, seekable, each chunk authenticated as read.

    Opening reads the header and decrypts the last chunk, so the size is known and
    authentic before the first read; a file cut short or extended is refused then.
    ``recover=True`` reads a file whose writer never closed it (a crash): the
    chunks that authenticate as non-final, in order, up to the first that does not.
    """

    def __init__(self, src: str | os.PathLike[str] | BinaryIO, master: MasterKey | None, *,
                 recover: bool = False) -> None:
        super().__init__()
        master = _require(master)
        if isinstance(src, str | os.PathLike):
            self._fh: BinaryIO = open(src, "rb", buffering=0)  # noqa: SIM115
            self._owns = True
            self.name = os.fspath(src)
        else:
            self._fh, self._owns = src, False
            self.name = getattr(src, "name", "")
        try:
            header = self._pread(0, HEADER_BYTES)
            key, self.chunk_size = parse_header(header, master)
            self.header = header
            self._aead = _aead(key)
            self._stride = self.chunk_size + TAG_BYTES
            self._cache_index = -1
            total = os.fstat(self._fh.fileno()).st_size - HEADER_BYTES
            # No chunk of the plaintext is longer than the file: a small file gets a small buffer.
            self._cache = bytearray(max(0, min(self.chunk_size, total)))
            self._cache_len = 0
            self._pos = 0
            self._final_open = not recover
            if recover:
                self.size = self._recover_size(total)
            else:
                if total < TAG_BYTES:
                    raise FileCryptError("cut short: the final chunk is missing")
                self._chunks = (total - TAG_BYTES) // self._stride + 1
                last = total - (self._chunks - 1) * self._stride - TAG_BYTES
                if last >= self.chunk_size:
                    raise FileCryptError("cut short or extended: the final chunk is missing")
                self.size = (self._chunks - 1) * self.chunk_size + last
                self._load(self._chunks - 1)  # authenticates the length
        except BaseException:
            if self._owns:
                self._fh.close()
            raise

    def _pread(self, offset: int, n: int) -> bytes:
        return os.pread(self._fh.fileno(), n, offset)

    def _recover_size(self, total: int) -> int:
        self._chunks = 0
        size = 0
        while True:
            i = self._chunks
            blob = self._pread(HEADER_BYTES + i * self._stride, self._stride)
            if len(blob) < TAG_BYTES:
                break
            try:
                plain = self._aead.decrypt(_nonce(i, False), blob, self.header) if len(blob) == self._stride \
                    else None
            except Exception:  # noqa: BLE001 — InvalidTag: the first chunk not whole
                plain = None
            if plain is None:
                try:
                    plain = self._aead.decrypt(_nonce(i, True), blob, self.header)
                except Exception:  # noqa: BLE001
                    break
                self._chunks += 1
                size += len(plain)
                self._final_open = True
                break
            self._chunks += 1
            size += len(plain)
        self._recovered_last_final = self._final_open
        return size

    def _load(self, index: int) -> None:
        if index == self._cache_index:
            return
        final = index == self._chunks - 1 and self._final_open
        blob = self._pread(HEADER_BYTES + index * self._stride, self._stride)
        from cryptography.exceptions import InvalidTag

        try:
            if len(blob) < TAG_BYTES:
                raise InvalidTag
            n = len(blob) - TAG_BYTES
            self._aead.decrypt_into(_nonce(index, final), blob, self.header, memoryview(self._cache)[:n])
        except InvalidTag:
            self._cache_index = -1
            raise FileCryptError(f"chunk {index} does not authenticate: the file was altered, reordered or "
                                 "cut, or is under another key") from None
        self._cache_index = index
        self._cache_len = n

    # --- file object ---------------------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == os.SEEK_SET:
            pos = offset
        elif whence == os.SEEK_CUR:
            pos = self._pos + offset
        elif whence == os.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError("bad whence")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, b: Any) -> int:
        view = memoryview(b).cast("B")
        got = 0
        while got < len(view) and self._pos < self.size:
            index, within = divmod(self._pos, self.chunk_size)
            self._load(index)
            n = min(len(view) - got, self._cache_len - within)
            if n <= 0:
                break
            view[got:got + n] = memoryview(self._cache)[within:within + n]
            got += n
            self._pos += n
        return got

    def readall(self) -> bytes:
        out = bytearray()
        buf = bytearray(self.chunk_size)
        while n := self.readinto(buf):
            out += memoryview(buf)[:n]
        return bytes(out)

    def close(self) -> None:
        if not self.closed and self._owns:
            self._fh.close()
        super().close()

    def fileno(self) -> int:
        raise io.UnsupportedOperation("the plaintext has no descriptor; use plaintext_fd()")


def sha256_encrypted(path: str | os.PathLike[str], master: MasterKey | None) -> tuple[str, int]:
    """(SHA-256, size) of an encrypted file's plaintext, read once with flat memory."""
    digest = hashlib.sha256()
    with EncryptedReader(path, master) as reader:
        buf = memoryview(bytearray(reader.chunk_size))
        while n := reader.readinto(buf):
            digest.update(buf[:n])
    return digest.hexdigest(), reader.size


def decrypt_to(reader: BinaryIO, dst: BinaryIO, *, buffer_size: int = CHUNK_SIZE) -> Generator[int, None, tuple[str, int]]:
    """Copy a reader's plaintext to ``dst``, hashing on the way; yields bytes done."""
    digest = hashlib.sha256()
    buf = memoryview(bytearray(buffer_size))
    done = 0
    while n := reader.readinto(buf):  # type: ignore[attr-defined]
        digest.update(buf[:n])
        view = buf[:n]
        while view:
            w = dst.write(view)
            view = view[w if w is not None else len(view):]
        done += n
        yield done
    return digest.hexdigest(), done


def write_encrypted(path: Path, data: bytes, master: MasterKey | None, *, mode: int = 0o600,
                    durable: bool = True) -> None:
    """Write ``data`` encrypted to ``path`` atomically (a scratch file renamed over it, fsynced).

    ``durable=False`` for what can be made again (a thumbnail): no fsync of the file or
    its folder. A power cut may then leave an empty or partial file under the name,
    which fails its authentication tag when read and is made again; a reader never
    sees half a file in normal running, the rename being atomic all the same.
    """
    from app.atomic_files import fsync_dir

    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.enc-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with EncryptedWriter(fd, master) as w:
            w.write(data)
        if durable:
            os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    finally:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def read_encrypted(path: str | os.PathLike[str], master: MasterKey | None) -> bytes:
    """The whole plaintext of a (small) encrypted file."""
    with EncryptedReader(path, master) as r:
        return r.readall()


def plaintext_fd(reader: BinaryIO, *, name: str = "fieldinspect-plain") -> int:
    """The plaintext in an anonymous memory file (Linux ``memfd``), for tools that want a path.

    The caller hands ``/proc/self/fd/<fd>`` to the tool and closes the descriptor
    afterwards; nothing is ever written to a disk. Sealed against writes.
    """
    fd = os.memfd_create(name, os.MFD_CLOEXEC | getattr(os, "MFD_ALLOW_SEALING", 0))
    try:
        with open(fd, "wb", closefd=False, buffering=0) as out:
            for _ in decrypt_to(reader, out):
                pass
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd
