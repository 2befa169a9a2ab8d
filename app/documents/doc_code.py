"""The document code: a compact, device-signed text printed as the QR code of a record, an
inventory list, a handover receipt or an item label, so that anyone can tell a paper this
device printed from a look-alike (format: docs/FORMATS.md, "Document code").

One line of ASCII, fields separated by ``|``::

    FID1|<kind>|<id>|<hash>|<device>|<time>|<signature>

``kind`` says what ``id`` names (``record``, ``inventory``, ``item``…); ``id`` is
percent-encoded (RFC 3986 unreserved characters and ``/`` stay), so it never holds a ``|``;
``hash`` is the first 32 hex digits of the SHA-256 of the canonical JSON of the
document's or item's record as printed; ``device`` is the device id; ``time`` is
when it was signed, UTC, ``YYYYMMDDTHHMMSSZ``; ``signature`` is the raw 64-byte
Ed25519 signature of the device key over the ASCII text before the last ``|``,
base64url without padding (86 characters). A seal record begins with ``{``, an
audit signature with ``fieldinspect.audit/1``, an inspection code with ``v=``: none
can be passed off as another. Nothing here needs reportlab.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from app import crypto
from app.crypto import canonical_json, sha256_hex
from app.documents.errors import InspectionCodeInvalid

if TYPE_CHECKING:
    from app.crypto import VerifyKey
    from app.documents.qr import CodeSigner

MAGIC = "FID1"
KINDS = ("record", "notice", "result", "order", "card", "inventory", "demolition_record", "handover", "item")
HASH_DIGITS = 32
_TIME = "%Y%m%dT%H%M%SZ"
_FIELDS = re.compile(r"FID1\|([a-z_]+)\|([A-Za-z0-9%._~/-]+)\|([0-9a-f]{32})\|([0-9a-f]{32})\|(\d{8}T\d{6}Z)\|"
                     r"([A-Za-z0-9_-]{86})")


@dataclass(frozen=True, slots=True)
class DocumentCode:
    """What a document code asserts: this device printed ``kind`` ``id`` with record hash ``hash`` at ``at``."""

    kind: str
    id: str
    hash: str
    device_id: str
    at: datetime
    signature: bytes = b""

    @property
    def signed_text(self) -> str:
        """The ASCII text the signature covers: every field but the signature, joined by ``|``."""
        return "|".join((MAGIC, self.kind, quote(self.id, safe="/"), self.hash, self.device_id,
                         self.at.astimezone(UTC).strftime(_TIME)))

    @property
    def text(self) -> str:
        """The whole code as printed in the QR symbol."""
        return f"{self.signed_text}|{_b64url(self.signature)}"


def _plain(value: Any) -> Any:
    """A record's values as JSON: dates ISO 8601, decimals as text, images by their SHA-256."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return {"sha256": sha256_hex(bytes(value))}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, enum.Enum):
        return value.value
    return value


def record_hash(record: Any) -> str:
    """The first 32 hex digits of the SHA-256 of ``record``'s canonical JSON (see :func:`_plain`)."""
    return sha256_hex(canonical_json(_plain(record)))[:HASH_DIGITS]


def sign_code(kind: str, id_: str, record: Any, signer: CodeSigner, at: datetime) -> str:
    """The document code of ``record`` (a document's data or an item version), signed now by the device."""
    if kind not in KINDS:
        raise ValueError(f"unknown document code kind {kind!r}")
    code = DocumentCode(kind, id_, record_hash(record), signer.device_id, at.replace(microsecond=0))
    return dataclasses.replace(code, signature=signer.sign(code.signed_text.encode("ascii"))).text


def parse_code(text: str) -> DocumentCode:
    """Read a document code without checking its signature; anything not of the format is refused."""
    match = _FIELDS.fullmatch((text or "").strip())
    if not match:
        raise InspectionCodeInvalid("不是本系统签发的文书码。", "not a FieldInspect document code.")
    kind, raw_id, digest, device, at, signature = match.groups()
    if kind not in KINDS:
        raise InspectionCodeInvalid(f"未知的文书码类型“{kind}”。", f"unknown document code kind “{kind}”.")
    try:
        moment = datetime.strptime(at, _TIME).replace(tzinfo=UTC)
        raw = base64.urlsafe_b64decode(signature + "==")
    except (ValueError, binascii.Error):
        raise InspectionCodeInvalid("文书码的时间或签名格式错误。", "the time or signature is malformed.") from None
    return DocumentCode(kind, unquote(raw_id), digest, device, moment, raw)


def verify_code(text: str, public_key: VerifyKey) -> DocumentCode:
    """Parse ``text`` and check that the device holding ``public_key`` signed it; any change fails."""
    from app.device import device_id_for

    code = parse_code(text)
    if device_id_for(public_key) != code.device_id:
        raise InspectionCodeInvalid("签名设备与所给公钥不符。", "the signing device does not match the public key given.")
    if code.text != (text or "").strip() or not crypto.verify_signature(
            public_key, code.signature, code.signed_text.encode("ascii")):
        raise InspectionCodeInvalid("签名验证失败：文书码被改动或并非本机关设备签发。",
                                    "the signature does not verify: the code was altered or not issued by this device.")
    return code


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
