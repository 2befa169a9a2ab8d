"""PIN hashes: salted scrypt, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

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
