"""The age v1 file format for X25519 recipients and passphrases, streamed both ways."""

from __future__ import annotations

import hashlib
import os
from typing import BinaryIO

# The file format of https://age-encryption.org/v1, written and read here so that a
# tar stream can go straight into the encryptor and out of the decryptor with flat
# memory. X25519 recipients carry the bundles; a passphrase (scrypt, as `age -p`
# writes it) protects HQ's own key files. The `age` tool reads what this writes and
# this reads what `age -r` and `age -p` write (tests/integration/test_bundle_interop.py,
# tests/integration/test_hq_keys_at_rest.py).

AGE_INTRO = b"age-encryption.org/v1\n"
AGE_CHUNK = 64 * 1024
_AGE_TAG = 16
_X25519_INFO = b"age-encryption.org/v1/X25519"
_SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
# age's own default work factor for a passphrase (2^18: about a second here, 256 MiB);
# files are read with at most the work factor age itself accepts.
SCRYPT_LOG_N = 18
_SCRYPT_MAX_LOG_N = 22
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


def _scrypt_key(passphrase: str, salt: bytes, log_n: int) -> bytes:
    import hashlib

    n = 1 << log_n
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=_SCRYPT_LABEL + salt, n=n, r=8, p=1,
                          maxmem=128 * 8 * n + (1 << 20), dklen=32)


def _open_scrypt_stanzas(stanzas: list[tuple[list[bytes], bytes]], passphrase: str,
                         aead: type, invalid_tag: type[Exception]) -> bytes:
    """The file key of a passphrase-protected file (one scrypt stanza, as the spec requires)."""
    if not any(args[0] == b"scrypt" for args, _ in stanzas):
        raise AgeError("age: not protected by a passphrase")
    if len(stanzas) != 1:
        raise AgeError("age: a passphrase stanza must be the only one")
    (args, body), = stanzas
    if len(args) != 3 or len(body) != 32 or not args[2].isdigit() or args[2].startswith(b"0"):
        raise AgeError("age: malformed scrypt stanza")
    salt, log_n = _unb64(args[1]), int(args[2])
    if len(salt) != 16:
        raise AgeError("age: malformed scrypt stanza")
    if log_n > _SCRYPT_MAX_LOG_N:
        raise AgeError(f"age: scrypt work factor 2^{log_n} is more than this reader accepts")
    try:
        return aead(_scrypt_key(passphrase, salt, log_n)).decrypt(b"\x00" * 12, body, None)
    except invalid_tag:
        raise AgeError("age: wrong passphrase") from None


def _open_x25519_stanzas(stanzas: list[tuple[list[bytes], bytes]], identity_text: str,
                         aead: type, invalid_tag: type[Exception]) -> bytes:
    """The file key from the X25519 stanza addressed to ``identity_text``."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    secret = X25519PrivateKey.from_private_bytes(age_identity_secret(identity_text))
    ours = secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    for args, body in stanzas:
        if args[0] == b"scrypt":
            raise AgeError("age: protected by a passphrase, not addressed to an identity")
        if args[0] != b"X25519" or len(args) != 2:
            continue
        share = _unb64(args[1])
        if len(share) != 32 or len(body) != 32:
            raise AgeError("age: malformed X25519 stanza")
        try:
            shared = secret.exchange(X25519PublicKey.from_public_bytes(share))
        except ValueError:  # a low-order point: the all-zero shared secret age forbids
            raise AgeError("age: invalid X25519 share") from None
        try:
            return aead(_hkdf(shared, share + ours, _X25519_INFO)).decrypt(b"\x00" * 12, body, None)
        except invalid_tag:
            continue
    raise AgeError("age: no stanza for this identity")


class AgeWriter:
    """A write-only file object that encrypts to one X25519 recipient as it goes.

    Plaintext is cut into 64 KiB chunks; at most one chunk is held, so memory is
    flat. :meth:`close` writes the final chunk and must be called; it does not
    close ``dst``.
    """

    def __init__(self, dst: BinaryIO, recipient: str | None = None, *, passphrase: str | None = None,
                 work_factor: int = SCRYPT_LOG_N) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

        file_key = os.urandom(16)
        if (recipient is None) == (passphrase is None):
            raise ValueError("an age file is written to one recipient or one passphrase")
        if passphrase is not None:
            salt = os.urandom(16)
            wrap_key = _scrypt_key(passphrase, salt, work_factor)
            body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
            stanza = b"-> scrypt " + _b64(salt) + b" " + str(work_factor).encode("ascii") + b"\n"
        else:
            from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
            from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

            their = age_recipient_bytes(recipient)
            ephemeral = X25519PrivateKey.generate()
            share = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(their))
            wrap_key = _hkdf(shared, share + their, _X25519_INFO)
            body = ChaCha20Poly1305(wrap_key).encrypt(b"\x00" * 12, file_key, None)
            stanza = b"-> X25519 " + _b64(share) + b"\n"
        header = AGE_INTRO + stanza + _b64(body) + b"\n---"
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

    def __init__(self, src: BinaryIO, identity_text: str | None = None, *, passphrase: str | None = None) -> None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

        if (identity_text is None) == (passphrase is None):
            raise ValueError("an age file is read with one identity or one passphrase")
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
        if passphrase is not None:
            file_key = _open_scrypt_stanzas(stanzas, passphrase, ChaCha20Poly1305, InvalidTag)
        else:
            file_key = _open_x25519_stanzas(stanzas, identity_text, ChaCha20Poly1305, InvalidTag)
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
