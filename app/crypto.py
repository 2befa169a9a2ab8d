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


# --- Incremental digests by name (tus checksum extension) ---------------------

# The algorithms the upload protocol lets a client name in ``Upload-Checksum``:
# tus 1.0 requires sha1 and allows others; sha256 is what the client sends.
UPLOAD_CHECKSUM_ALGORITHMS = ("sha1", "sha256")


def new_digest(algorithm: str) -> Any:
    """A fresh incremental hash object (``update``/``digest``) for ``algorithm``.

    Raises ``ValueError`` for a name outside :data:`UPLOAD_CHECKSUM_ALGORITHMS`.
    """
    if algorithm not in UPLOAD_CHECKSUM_ALGORITHMS:
        raise ValueError(f"unsupported checksum algorithm: {algorithm}")
    return hashlib.new(algorithm)


# --- age v1 encryption (X25519 recipients) -------------------------------------
#
# The file format of https://age-encryption.org/v1, written and read here so that a
# tar stream can go straight into the encryptor and out of the decryptor with flat
# memory. Only X25519 recipients are supported; the `age` tool reads what this writes
# and this reads what `age -r` writes (tests/integration/test_bundle_interop.py).

AGE_INTRO = b"age-encryption.org/v1\n"
AGE_CHUNK = 64 * 1024
_AGE_TAG = 16
_X25519_INFO = b"age-encryption.org/v1/X25519"
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class AgeError(ValueError):
    """Not an age file for this identity, or one that was altered or cut short."""


def _bech32_polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], src: int, dst: int, pad: bool) -> list[int]:
    acc = bits = 0
    out: list[int] = []
    for value in data:
        acc = (acc << src) | value
        bits += src
        while bits >= dst:
            bits -= dst
            out.append((acc >> bits) & ((1 << dst) - 1))
    if pad and bits:
        out.append((acc << (dst - bits)) & ((1 << dst) - 1))
    elif not pad and (bits >= src or (acc << (dst - bits)) & ((1 << dst) - 1)):
        raise AgeError("bech32: bad padding")
    return out


def bech32_encode(hrp: str, data: bytes) -> str:
    """Bech32 (BIP 173, not bech32m), as age uses it for keys; no length limit."""
    words = _convert_bits(data, 8, 5, True)
    polymod = _bech32_polymod(_hrp_expand(hrp) + words + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[w] for w in words + checksum)


def bech32_decode(text: str) -> tuple[str, bytes]:
    """``(hrp, data)`` of a Bech32 string; raises :class:`AgeError` when malformed."""
    if text.lower() != text and text.upper() != text:
        raise AgeError("bech32: mixed case")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text):
        raise AgeError("bech32: no separator")
    hrp, rest = text[:pos], text[pos + 1:]
    try:
        words = [_BECH32_CHARSET.index(c) for c in rest]
    except ValueError:
        raise AgeError("bech32: bad character") from None
    if _bech32_polymod(_hrp_expand(hrp) + words) != 1:
        raise AgeError("bech32: bad checksum")
    return hrp, bytes(_convert_bits(words[:-6], 5, 8, False))


def _b64(data: bytes) -> bytes:
    import base64

    return base64.b64encode(data).rstrip(b"=")


def _unb64(text: bytes) -> bytes:
    import base64
    import binascii

    if text.endswith(b"=") or b"\n" in text or b"\r" in text:
        raise AgeError("age: non-canonical base64")
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise AgeError("age: bad base64") from None
    if _b64(data) != text:
        raise AgeError("age: non-canonical base64")
    return data


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _header_mac(file_key: bytes, header: bytes) -> bytes:
    import hmac

    return hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()


def age_generate_identity() -> tuple[str, str]:
    """A new X25519 key pair as ``(AGE-SECRET-KEY-1…, age1…)``."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    key = X25519PrivateKey.generate()
    secret = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return bech32_encode("age-secret-key-", secret).upper(), bech32_encode("age", public)


def age_recipient_bytes(recipient: str) -> bytes:
    """The 32-byte X25519 public key of an ``age1…`` recipient."""
    hrp, data = bech32_decode(recipient.strip())
    if hrp != "age" or len(data) != 32:
        raise AgeError("not an age X25519 recipient (age1…)")
    return data


def age_identity_secret(identity_text: str) -> bytes:
    """The X25519 secret from an identity file's text (comments and blank lines allowed)."""
    for line in identity_text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            hrp, data = bech32_decode(line)
            if hrp != "age-secret-key-" or len(data) != 32:
                raise AgeError("not an age X25519 identity (AGE-SECRET-KEY-1…)")
            return data
    raise AgeError("no identity in the identity file")


def age_recipient_of(identity_text: str) -> str:
    """The ``age1…`` recipient belonging to an identity."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = X25519PrivateKey.from_private_bytes(age_identity_secret(identity_text))
    return bech32_encode("age", key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


class AgeWriter:
    """A write-only file object that encrypts to one X25519 recipient as it goes.

    Plaintext is cut into 64 KiB chunks; at most one chunk is held, so memory is
    flat. :meth:`close` writes the final chunk and must be called; it does not
    close ``dst``.
    """

    def __init__(self, dst: BinaryIO, recipient: str) -> None:
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        their = age_recipient_bytes(recipient)
        file_key = os.urandom(16)
        ephemeral = X25519PrivateKey.generate()
        share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(their))
        wrap_key = _hkdf(shared, share + their, _X25519_INFO)
        body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
        header = AGE_INTRO + b"-> X25519 " + _b64(share) + b"\n" + _b64(body) + b"\n---"
        nonce = os.urandom(16)
        dst.write(header + b" " + _b64(_header_mac(file_key, header)) + b"\n" + nonce)
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._dst = dst
        self._buffer = bytearray()
        self._counter = 0
        self.closed = False

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:
        if self.closed:
            raise ValueError("write to a closed AgeWriter")
        buffer = self._buffer
        buffer += data
        # Keep the last full chunk back: only close() knows whether it is the final one.
        if len(buffer) > AGE_CHUNK:
            whole = (len(buffer) - 1) // AGE_CHUNK * AGE_CHUNK
            view = memoryview(buffer)
            for start in range(0, whole, AGE_CHUNK):
                self._seal(view[start:start + AGE_CHUNK], last=False)
            view.release()
            del buffer[:whole]
        return len(data)

    def _seal(self, chunk: bytes | memoryview, *, last: bool) -> None:
        nonce = self._counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        self._dst.write(self._aead.encrypt(nonce, bytes(chunk), None))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(self._buffer, last=True)
            self._buffer = bytearray()
            self.closed = True

    def __enter__(self) -> AgeWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()


class AgeReader:
    """A read-only file object that decrypts an age file as it is read.

    Every chunk is authenticated before any of its bytes are returned; a changed,
    reordered or cut-off payload raises :class:`AgeError` at that point, and the
    end of the plaintext is only reported after the final chunk was verified.
    """

    def __init__(self, src: BinaryIO, identity_text: str) -> None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        secret = X25519PrivateKey.from_private_bytes(age_identity_secret(identity_text))
        ours = secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._src = src
        if src.read(len(AGE_INTRO)) != AGE_INTRO:
            raise AgeError("not an age v1 file")
        header = bytearray(AGE_INTRO)
        stanzas: list[tuple[list[bytes], bytes]] = []
        while True:
            line = self._line()
            if line.startswith(b"--- "):
                header += b"---"
                mac = _unb64(line[4:])
                break
            if not line.startswith(b"-> "):
                raise AgeError("age: malformed header")
            header += line + b"\n"
            args = line[3:].split(b" ")
            body = bytearray()
            while True:  # body lines are 64 columns; a shorter one ends it
                part = self._line()
                header += part + b"\n"
                body += part
                if len(part) < 64:
                    break
            stanzas.append((args, _unb64(bytes(body))))
        file_key = None
        for args, body in stanzas:
            if args[0] != b"X25519" or len(args) != 2:
                continue
            share = _unb64(args[1])
            if len(share) != 32 or len(body) != 32:
                raise AgeError("age: malformed X25519 stanza")
            shared = secret.exchange(X25519PublicKey.from_public_bytes(share))
            try:
                file_key = ChaCha20Poly1305(_hkdf(shared, share + ours, _X25519_INFO)).decrypt(
                    b"\x00" * 12, body, None)
                break
            except InvalidTag:
                continue
        if file_key is None:
            raise AgeError("age: no stanza for this identity")
        import hmac

        if not hmac.compare_digest(_header_mac(file_key, bytes(header)), mac):
            raise AgeError("age: header MAC does not match (altered header)")
        nonce = src.read(16)
        if len(nonce) != 16:
            raise AgeError("age: file cut short")
        self._aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        self._invalid_tag = InvalidTag
        self._counter = 0
        self._plain = memoryview(b"")
        self._ahead = src.read(AGE_CHUNK + _AGE_TAG)
        self._done = False
        self.closed = False

    def _line(self) -> bytes:
        line = bytearray()
        while not line.endswith(b"\n"):
            c = self._src.read(1)
            if not c or len(line) > 4096:
                raise AgeError("age: header cut short or malformed")
            line += c
        return bytes(line[:-1])

    def readable(self) -> bool:
        return True

    def _next_chunk(self) -> None:
        sealed = self._ahead
        self._ahead = self._src.read(AGE_CHUNK + _AGE_TAG) if len(sealed) == AGE_CHUNK + _AGE_TAG else b""
        last = not self._ahead
        if len(sealed) < _AGE_TAG or (last and self._counter and len(sealed) == _AGE_TAG):
            raise AgeError("age: payload cut short")
        nonce = self._counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        try:
            self._plain = memoryview(self._aead.decrypt(nonce, sealed, None))
        except self._invalid_tag:
            raise AgeError("age: payload chunk altered, reordered or cut short") from None
        self._counter += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while size < 0 or len(out) < size:
            if not self._plain:
                if self._done:
                    break
                self._next_chunk()
                continue
            take = len(self._plain) if size < 0 else min(size - len(out), len(self._plain))
            out += self._plain[:take]
            self._plain = self._plain[take:]
        return bytes(out)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.closed = True


def new_sha256() -> Any:
    """An incremental SHA-256 object (``update``, ``hexdigest``) for streaming callers."""
    return hashlib.sha256()


def sha256_file_copy(src: BinaryIO, dst: BinaryIO) -> tuple[str, int]:
    """Copy ``src`` to ``dst`` in fixed chunks; ``(sha256_hex, size)`` of what was copied."""
    steps = copy_hashing(src, dst)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
