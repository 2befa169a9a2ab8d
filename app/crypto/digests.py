"""SHA-256 of bytes, canonical JSON, and incremental digests by name."""

from __future__ import annotations

import hashlib
import json
from typing import Any

def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant white space.

    The same value always gives the same bytes, so a hash or signature over it can
    be recomputed by anyone with a JSON library (see docs/FORMATS.md).
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


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


def new_sha256() -> Any:
    """An incremental SHA-256 object (``update``, ``hexdigest``) for streaming callers."""
    return hashlib.sha256()
