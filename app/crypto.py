"""Every cryptographic primitive the application uses, in one place.

Other modules ask for "the SHA-256 of these bytes" or "canonical JSON"; none of
them call hashlib or a signature library themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
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

# One reused buffer of this size: large enough that system-call overhead is
# negligible next to hashing, small enough that memory stays flat for any file.
COPY_BUFFER_SIZE = 1 << 20


def copy_hashing(src: BinaryIO, dst: BinaryIO | None = None, *,
                 buffer_size: int = COPY_BUFFER_SIZE) -> Generator[int, None, tuple[str, int]]:
    """Copy ``src`` to ``dst`` (or just read it) and hash the bytes on the way through.

    A generator: it yields the number of bytes done after each chunk, so callers can
    report progress or stop early (closing the generator stops the copy), and it
    returns ``(sha256_hex, size)``. The bytes are read once; there is never a second
    pass to compute the hash of what was written.
    """
    digest = hashlib.sha256()
    buffer = bytearray(buffer_size)
    view = memoryview(buffer)
    done = 0
    while True:
        n = src.readinto(view)  # type: ignore[attr-defined]
        if not n:
            break
        chunk = view[:n]
        digest.update(chunk)
        if dst is not None:
            dst.write(chunk)
        done += n
        yield done
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
