"""HQ's receipt for a bundle: canonical JSON signed by the HQ key (docs/FORMATS.md, "Receipt")."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

RECEIPT_FORMAT = "fieldinspect.receipt/1"
# HQ's signed refusal of a bundle brought on a USB stick (written where its receipt would go).
REFUSAL_FORMAT = "fieldinspect.refusal/1"


@dataclass(frozen=True)
class SignedReceipt:
    """``body`` is the canonical JSON as signed; ``signature`` the 64-byte raw Ed25519 signature."""

    body: bytes
    signature: bytes

    def fields(self) -> dict[str, Any]:
        value = json.loads(self.body.decode("utf-8"))
        if not isinstance(value, dict):
            raise ValueError("receipt body is not a JSON object")
        return value

    def to_json(self) -> bytes:
        """The form sent over HTTP and written beside a USB bundle."""
        return json.dumps({"body": self.body.decode("utf-8"),
                           "signature": base64.b64encode(self.signature).decode("ascii")},
                          ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> SignedReceipt:
        """Parse :meth:`to_json`; raises ValueError when it is not that shape."""
        try:
            value = json.loads(data.decode("utf-8"))
            return cls(value["body"].encode("utf-8"), base64.b64decode(value["signature"], validate=True))
        except (UnicodeDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError(f"not a signed receipt: {exc}") from None
