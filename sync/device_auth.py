"""Device authentication of requests to the HQ receiver.

Every request to the receiver except ``OPTIONS`` carries::

    Authorization: FieldInspect-Device id=<device id>, ts=<unix seconds>, sig=<base64>

where ``sig`` is the device's Ed25519 signature (made with
:meth:`app.device.DeviceIdentity.sign`) over the UTF-8 bytes of::

    fieldinspect-device-auth/1\\n<METHOD>\\n<path>\\n<ts>

HQ verifies it with the public key it enrolled for that device id and refuses a
timestamp more than :data:`MAX_SKEW_SECONDS` away from its own clock, so a captured
header cannot be replayed later, nor used for another method or another upload.
Within the window a header could be replayed for the same method and path; every
such request is idempotent in tus (HEAD, a PATCH at a stated offset, a DELETE), and
the transport is meant to run inside the agency's network or TLS (docs/FORMATS.md).
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from dataclasses import dataclass

from local_db.errors import UserFacingError

SCHEME = "FieldInspect-Device"
CONTEXT = "fieldinspect-device-auth/1"
MAX_SKEW_SECONDS = 300


class DeviceAuthError(UserFacingError):
    """A request whose device authentication is missing, malformed, stale or wrong."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"设备认证失败：{reason_zh}", f"Device authentication failed: {reason_en}")
        self.reason_en = reason_en


def signed_message(method: str, path: str, timestamp: int) -> bytes:
    """The bytes a device signs for one request."""
    return f"{CONTEXT}\n{method.upper()}\n{path}\n{timestamp}".encode("utf-8")


def authorization_header(device_id: str, sign: Callable[[bytes], bytes], method: str, path: str,
                         *, now: float | None = None) -> str:
    """The ``Authorization`` header value for ``method`` on ``path`` (no query string)."""
    ts = int(time.time() if now is None else now)
    sig = base64.b64encode(sign(signed_message(method, path, ts))).decode("ascii")
    return f"{SCHEME} id={device_id}, ts={ts}, sig={sig}"


@dataclass(frozen=True)
class Credentials:
    device_id: str
    timestamp: int
    signature: bytes


def parse_authorization(value: str | None) -> Credentials:
    """Split an ``Authorization`` header; raise :class:`DeviceAuthError` when it is not ours."""
    if not value:
        raise DeviceAuthError("请求没有设备签名", "the request carries no device signature")
    scheme, _, rest = value.strip().partition(" ")
    if scheme != SCHEME:
        raise DeviceAuthError("认证方式不受支持", f"unsupported scheme {scheme!r}")
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if sep:
            fields[key] = val
    try:
        return Credentials(fields["id"], int(fields["ts"]), base64.b64decode(fields["sig"], validate=True))
    except (KeyError, ValueError, binascii.Error):
        raise DeviceAuthError("设备签名格式错误", "malformed device signature header") from None


def check(credentials: Credentials, method: str, path: str, verify: Callable[[bytes, bytes], bool],
          *, now: float | None = None) -> None:
    """Raise :class:`DeviceAuthError` unless the signature is fresh and valid.

    ``verify(signature, message)`` checks with the enrolled key of ``credentials.device_id``.
    """
    clock = time.time() if now is None else now
    if abs(clock - credentials.timestamp) > MAX_SKEW_SECONDS:
        raise DeviceAuthError("请求时间与总部时钟相差过大（请核对设备时间）",
                              "the request time is too far from HQ's clock (check the device time)")
    if not verify(credentials.signature, signed_message(method, path, credentials.timestamp)):
        raise DeviceAuthError("签名与登记的设备公钥不符", "the signature does not match the enrolled device key")
