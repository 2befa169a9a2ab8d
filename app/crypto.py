"""Every cryptographic primitive the application uses, in one place.

Other modules ask for "the SHA-256 of these bytes" or "canonical JSON"; none of
them call hashlib or a signature library themselves.
"""

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
    return hashlib.sha256(data).hexdigest()
