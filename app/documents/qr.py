"""The inspection code (检查码, R14): a signed URL printed as a QR code on the notice and the card.

The party scans it and lands on the agency's verification platform, which shows
the officers and the inspection. The device signs the parameters with its Ed25519
key, so the platform tells a code this device printed from a forged one. The
format is specified in docs/FORMATS.md, "Inspection code (QR, R14)"; nothing here
needs reportlab, so the platform side can use this module alone.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote, unquote_to_bytes

from app import crypto
from app.documents.errors import InspectionCodeInvalid

if TYPE_CHECKING:
    from app.crypto import VerifyKey

FORMAT_VERSION = "1"
# Version 2 adds what the issued document states: ``h`` (hash of its record) and ``t`` (when signed).
DOCUMENT_VERSION = "2"
_TIME = "%Y%m%dT%H%M%SZ"
# A longer URL needs a denser QR symbol; past this the modules at ~30 mm get too small to scan reliably.
MAX_URL_LENGTH = 600
SIGNATURE_LENGTH = 64
_DEVICE_ID = re.compile(r"[0-9a-f]{32}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class CodeSigner(Protocol):
    """What signs a code: the device identity (``app.device.DeviceIdentity``) fits."""

    @property
    def device_id(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class InspectionCode:
    """What an inspection code asserts: this inspection, by this agency, these officers, that day."""

    base_url: str
    inspection_id: str
    agency_id: str
    officer_certs: tuple[str, ...]
    day: date
    # Version 2: the first 32 hex digits of the SHA-256 of the issued document's record
    # (app.documents.doc_code.record_hash) and when the device signed it.
    record_hash: str = ""
    signed_at: datetime | None = None

    @property
    def version(self) -> str:
        return DOCUMENT_VERSION if self.record_hash else FORMAT_VERSION

    def __post_init__(self) -> None:
        url = self.base_url
        if not re.fullmatch(r"https?://[^\s?#]+", url or ""):
            raise InspectionCodeInvalid(
                f"核验平台地址须为不带查询参数的 http(s) 网址，实际为“{url}”。",
                f"the verification platform address must be an http(s) URL without a query, not “{url}”.")
        if not self.inspection_id or not self.agency_id:
            raise InspectionCodeInvalid("缺少检查任务编号或执法机关编号。", "the inspection id or agency id is missing.")
        if not self.officer_certs or not all(self.officer_certs):
            raise InspectionCodeInvalid("须列明执法人员的执法证号。", "the officers' certificate numbers are missing.")
        if bool(self.record_hash) != (self.signed_at is not None) or (
                self.record_hash and not re.fullmatch(r"[0-9a-f]{32}", self.record_hash)):
            raise InspectionCodeInvalid("文书摘要与签发时间须同时给出。", "the record hash and the signing time go together.")


@dataclass(frozen=True, slots=True)
class SignedCode:
    """A parsed code: what it asserts, which device signed it, and the signature."""

    code: InspectionCode
    device_id: str
    signature: bytes
    url: str

    @property
    def signed_bytes(self) -> bytes:
        """The bytes the signature covers: the canonical query string in ASCII."""
        return canonical_query(self.code, self.device_id).encode("ascii")


def _enc(value: str) -> str:
    # RFC 3986 unreserved characters stay; every other UTF-8 byte becomes %XX (upper-case hex).
    return quote(value, safe="")


def canonical_query(code: InspectionCode, device_id: str) -> str:
    """``v=1&i=…&a=…&o=…[&o=…]&d=YYYY-MM-DD&k=…``: the exact text the device signs."""
    parts = [("v", code.version), ("i", code.inspection_id), ("a", code.agency_id)]
    parts += [("o", cert) for cert in code.officer_certs]
    parts += [("d", code.day.isoformat())]
    if code.signed_at is not None:
        parts += [("h", code.record_hash), ("t", code.signed_at.astimezone(UTC).strftime(_TIME))]
    parts += [("k", device_id)]
    return "&".join(f"{name}={_enc(value)}" for name, value in parts)


def b64url(data: bytes) -> str:
    """base64url (RFC 4648 §5) without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def build_code(code: InspectionCode, signer: CodeSigner) -> str:
    """The URL to print as the QR code: base URL, canonical query, and ``&s=`` the device signature."""
    query = canonical_query(code, signer.device_id)
    signature = signer.sign(query.encode("ascii"))
    url = f"{code.base_url}?{query}&s={b64url(signature)}"
    if len(url) > MAX_URL_LENGTH:
        raise InspectionCodeInvalid(
            f"检查码过长（{len(url)} 个字符，上限 {MAX_URL_LENGTH}），二维码将无法可靠扫描；请缩短核验平台地址或编号。",
            f"the code is too long ({len(url)} characters, limit {MAX_URL_LENGTH}) to scan reliably; "
            "shorten the platform address or the ids.")
    return url


def _bad(zh: str, en: str) -> InspectionCodeInvalid:
    return InspectionCodeInvalid(zh, en)


def parse_code(url: str) -> SignedCode:
    """Read a code without checking its signature; refuse anything not of this format."""
    base, sep, query = (url or "").strip().partition("?")
    if not sep or not query:
        raise _bad("不是检查码（缺少参数）。", "not an inspection code (no parameters).")
    values: dict[str, str] = {}
    certs: list[str] = []
    for field in query.split("&"):
        name, eq, raw = field.partition("=")
        if not eq:
            raise _bad(f"参数“{name}”缺少值。", f"parameter “{name}” has no value.")
        try:
            value = unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            raise _bad(f"参数“{name}”不是 UTF-8 文本。", f"parameter “{name}” is not UTF-8 text.") from None
        if name == "o":
            certs.append(value)
        elif name in ("v", "i", "a", "d", "h", "t", "k", "s") and name not in values:
            values[name] = value
        else:
            raise _bad(f"未知或重复的参数“{name}”。", f"unknown or repeated parameter “{name}”.")
    missing = [n for n in ("v", "i", "a", "d", "k", "s") if n not in values] + ([] if certs else ["o"])
    if missing:
        raise _bad(f"缺少参数 {', '.join(missing)}。", f"missing parameters {', '.join(missing)}.")
    if values["v"] not in (FORMAT_VERSION, DOCUMENT_VERSION):
        raise _bad(f"不支持的版本 v={values['v']}。", f"unsupported version v={values['v']}.")
    v2 = values["v"] == DOCUMENT_VERSION
    if v2 != ("h" in values) or v2 != ("t" in values):
        raise _bad("参数 h、t 仅且必须出现在第 2 版检查码中。", "parameters h and t belong to, and only to, version 2.")
    signed_at = None
    if v2:
        try:
            if not re.fullmatch(r"[0-9a-f]{32}", values["h"]):
                raise ValueError
            signed_at = datetime.strptime(values["t"], _TIME).replace(tzinfo=UTC)
        except ValueError:
            raise _bad("文书摘要或签发时间格式错误。", "the record hash or the signing time is malformed.") from None
    if not _DEVICE_ID.fullmatch(values["k"]):
        raise _bad("设备标识格式错误。", "the device id is malformed.")
    try:
        if not _DATE.fullmatch(values["d"]):
            raise ValueError
        day = date.fromisoformat(values["d"])
        signature = _b64url_decode(values["s"])
    except (ValueError, binascii.Error):
        raise _bad("日期或签名格式错误。", "the date or the signature is malformed.") from None
    if len(signature) != SIGNATURE_LENGTH:
        raise _bad("签名长度错误。", "the signature has the wrong length.")
    code = InspectionCode(base_url=base, inspection_id=values["i"], agency_id=values["a"],
                          officer_certs=tuple(certs), day=day, record_hash=values.get("h", ""), signed_at=signed_at)
    return SignedCode(code=code, device_id=values["k"], signature=signature, url=url.strip())


def verify_code(url: str, public_key: VerifyKey) -> SignedCode:
    """Parse ``url`` and check it was signed by the device holding ``public_key``.

    The platform first calls :func:`parse_code` to learn the device id, looks up
    that device's enrolled key, then calls this. Any changed parameter fails.
    """
    from app.device import device_id_for

    signed = parse_code(url)
    if device_id_for(public_key) != signed.device_id:
        raise _bad("签名设备与所给公钥不符。", "the signing device does not match the public key given.")
    if not crypto.verify_signature(public_key, signed.signature, signed.signed_bytes):
        raise _bad("签名验证失败：内容被改动或并非本机关设备签发。",
                   "the signature does not verify: the code was altered or not issued by an enrolled device.")
    return signed
