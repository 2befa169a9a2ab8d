"""Every cryptographic primitive the application uses, in one place.

Other modules ask for "the SHA-256 of these bytes" or "canonical JSON"; none of
them call hashlib or a signature library themselves.
"""

from __future__ import annotations

import base64
import errno
import fcntl
import hashlib
import hmac
import io
import json
import os
import stat
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, BinaryIO

# The signature library is imported where it is used: hashing and canonical JSON
# sit on the path to the first window, signing does not (benchmarks/startup.py).
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as SigningKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey as VerifyKey


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant white space.

    The same value always gives the same bytes, so a hash or signature over it can
    be recomputed by anyone with a JSON library (see docs/FORMATS.md).
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


# --- PINs ---------------------------------------------------------------------

# scrypt cost: n=2**14, r=8, p=1 takes ~50 ms and 16 MiB, bearable at sign-in and
# costly for anyone trying every 6-digit PIN against a stolen database.
PIN_SCRYPT_N, PIN_SCRYPT_R, PIN_SCRYPT_P = 1 << 14, 8, 1
_PIN_SALT_BYTES, _PIN_HASH_BYTES = 16, 32


def hash_pin(pin: str, *, n: int = PIN_SCRYPT_N, r: int = PIN_SCRYPT_R, p: int = PIN_SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` for ``pin`` with a fresh random salt (base64 fields)."""
    salt = os.urandom(_PIN_SALT_BYTES)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=_PIN_HASH_BYTES)
    return "$".join(["scrypt", str(n), str(r), str(p),
                     base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii")])


def pin_matches(pin: str, stored: str) -> bool:
    """True when ``pin`` hashes to ``stored`` (compared in constant time); False if malformed."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt, validate=True),
                                n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# --- Streaming SHA-256 -------------------------------------------------------

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
        # Everything fits one buffer (a photo, a record): no threads to hand over to.
        chunk = buffers[0][:n or 0]
        digest.update(chunk)
        if dst is not None and n:
            _write_all(dst, chunk)
        if n:
            done = n
            yield done
        return digest.hexdigest(), done
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


# --- Ed25519 signatures ----------------------------------------------------------



def generate_signing_key() -> SigningKey:
    """A new Ed25519 private key from the operating system's random source."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


def sign(key: SigningKey, data: bytes) -> bytes:
    """The 64-byte raw Ed25519 signature (RFC 8032) of ``data``."""
    return key.sign(data)


def verify_signature(key: VerifyKey, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``data`` by ``key``."""
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def private_key_pem(key: SigningKey) -> bytes:
    """PKCS#8 PEM, unencrypted: the file's owner-only mode protects it."""
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_key_pem(key: VerifyKey) -> bytes:
    """SubjectPublicKeyInfo PEM, the form ``openssl pkeyutl -pubin`` reads."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_raw(key: VerifyKey) -> bytes:
    """The 32 raw bytes of the public key (the last 32 bytes of its DER form)."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


class KeyFormatError(ValueError):
    """A PEM file that does not hold an Ed25519 key of the expected kind."""


def load_private_key_pem(data: bytes) -> SigningKey:
    """Parse an unencrypted PKCS#8 PEM Ed25519 private key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(str(exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFormatError("not an Ed25519 private key")
    return key


def load_public_key_pem(data: bytes) -> VerifyKey:
    """Parse a SubjectPublicKeyInfo PEM Ed25519 public key."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFormatError(str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFormatError("not an Ed25519 public key")
    return key
