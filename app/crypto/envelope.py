"""Keys that wrap keys: AES-256-GCM key wrapping, HKDF and Argon2id.

Every secret the device keeps (the database key, each evidence file's key, the
device signing key) is stored only wrapped by another key, and the top of that
hierarchy, the device master key, is unlocked only by the operating system's key
store together with a signed-in person's PIN (``app.custody``).

A wrapped key is ``b"FIW1" || nonce (12) || AES-256-GCM(kek, key, aad=context)``:
the versioned magic says what the bytes are, and the context (for example
``b"db-key"`` or ``b"file:<sha256>"``) binds a wrapped key to its one use, so a
blob copied onto another slot does not unwrap there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

KEY_BYTES = 32
NONCE_BYTES = 12
WRAP_MAGIC = b"FIW1"
_TAG_BYTES = 16
WRAPPED_BYTES = len(WRAP_MAGIC) + NONCE_BYTES + KEY_BYTES + _TAG_BYTES


class KeyUnwrapError(ValueError):
    """A wrapped key that this key-encryption key did not wrap (or that was altered)."""


def random_key() -> bytes:
    """32 bytes from the operating system's random source."""
    return os.urandom(KEY_BYTES)


def wrap_key(kek: bytes, key: bytes, *, context: bytes) -> bytes:
    """``key`` encrypted and authenticated under ``kek`` for the use named by ``context``."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_key(kek)
    nonce = os.urandom(NONCE_BYTES)
    return WRAP_MAGIC + nonce + AESGCM(kek).encrypt(nonce, key, WRAP_MAGIC + context)


def unwrap_key(kek: bytes, blob: bytes, *, context: bytes) -> bytes:
    """The key inside ``blob``; :class:`KeyUnwrapError` when ``kek`` or ``context`` is wrong."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_key(kek)
    if len(blob) < len(WRAP_MAGIC) + NONCE_BYTES + _TAG_BYTES or not blob.startswith(WRAP_MAGIC):
        raise KeyUnwrapError("not a wrapped key")
    nonce = blob[len(WRAP_MAGIC):len(WRAP_MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(kek).decrypt(nonce, blob[len(WRAP_MAGIC) + NONCE_BYTES:], WRAP_MAGIC + context)
    except InvalidTag:
        raise KeyUnwrapError("wrong key, wrong use or altered") from None


def seal_bytes(key: bytes, data: bytes, *, context: bytes) -> bytes:
    """Small data (a few KiB) encrypted like a wrapped key; the same format, any length."""
    return wrap_key(key, data, context=context)


def open_bytes(key: bytes, blob: bytes, *, context: bytes) -> bytes:
    """The inverse of :func:`seal_bytes`."""
    return unwrap_key(key, blob, context=context)


def derive_key(secret: bytes, *, info: bytes, salt: bytes = b"") -> bytes:
    """A 32-byte key for one purpose (``info``) from a high-entropy secret (HKDF-SHA256)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt or None, info=info).derive(secret)


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost: time (passes), memory in KiB and lanes; stored beside each PIN wrap."""

    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def as_dict(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Argon2Params:
        return cls(int(d["t"]), int(d["m"]), int(d["p"]))


# The least cost a PIN's key is derived with: 64 MiB and 3 passes (about 0.19 s on the
# 2-core reference machine). Each device measures its own and adds passes until a
# derivation takes at least 250 ms (app.custody.calibrate_pin_kdf).
DEFAULT_ARGON2 = Argon2Params(time_cost=3, memory_kib=64 * 1024, parallelism=1)


def derive_pin_key(pin: str, salt: bytes, params: Argon2Params = DEFAULT_ARGON2) -> bytes:
    """A 32-byte key from a PIN: Argon2id with ``params`` (slow on purpose)."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(pin.encode("utf-8"), salt, time_cost=params.time_cost,
                           memory_cost=params.memory_kib, parallelism=params.parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


@dataclass(frozen=True)
class MasterKey:
    """The device master key, in memory only while someone is signed in.

    Everything it protects is wrapped with :meth:`wrap` under a context naming the
    slot; :meth:`subkey` derives keys for whole formats (never stored).
    """

    secret: bytes

    def __post_init__(self) -> None:
        _check_key(self.secret)

    def __repr__(self) -> str:  # never print the key
        return "MasterKey(…)"

    def wrap(self, key: bytes, *, context: bytes) -> bytes:
        return wrap_key(self.secret, key, context=context)

    def unwrap(self, blob: bytes, *, context: bytes) -> bytes:
        return unwrap_key(self.secret, blob, context=context)

    def subkey(self, info: bytes) -> bytes:
        return derive_key(self.secret, info=b"fieldinspect/" + info)

    def new_wrapped_key(self, *, context: bytes) -> tuple[bytes, bytes]:
        """A fresh random key and its wrapped form (for example one key per evidence file)."""
        key = random_key()
        return key, self.wrap(key, context=context)


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
        raise ValueError("a key is 32 bytes")
