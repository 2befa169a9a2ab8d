"""The device's HTTP connection to the HQ receiver, signing every request.

``http.client`` rather than httpx for the upload: the chunk goes to the socket
straight from the client's reused buffer (``sendall`` of a memoryview), with no
per-request copies — httpx's resident memory climbed to a few hundred MiB over a
2 GiB upload of 8 MiB bodies (benchmarks/upload.py). One keep-alive connection is
reused; any error closes it and the next request opens a new one.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from app.device import DeviceIdentity
from sync import device_auth

TUS = {"Tus-Resumable": "1.0.0"}


class TransportError(OSError):
    """The request did not get a complete answer (refused, cut, timed out)."""


@dataclass(frozen=True)
class Response:
    status_code: int
    headers: dict[str, str]  # names in lower case
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class TusSession:
    """Requests to ``server`` (``http://host:port``), each signed as ``device``."""

    def __init__(self, server: str, device: DeviceIdentity, timeout: float = 60.0) -> None:
        self.server = server.rstrip("/") + "/"
        parts = urlsplit(self.server)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            from sync.errors import ServerAddressInvalid

            raise ServerAddressInvalid(server)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.device = device
        self.timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    def url(self, location: str) -> str:
        return urljoin(self.server, location)

    def request(self, method: str, url: str, *, headers: dict[str, str] | None = None,
                body: bytes | memoryview | None = None) -> Response:
        path = urlsplit(url).path
        auth = device_auth.authorization_header(self.device.device_id, self.device.sign, method, path)
        try:
            if self._conn is None:
                cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                self._conn = cls(self.host, self.port, timeout=self.timeout)
            conn = self._conn
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in {**TUS, **(headers or {}), "Authorization": auth}.items():
                conn.putheader(name, value)
            if body is not None or method in ("POST", "PATCH", "PUT"):
                conn.putheader("Content-Length", str(0 if body is None else len(body)))
            conn.endheaders()
            if body is not None and len(body):
                conn.send(body)
            resp = conn.getresponse()
            content = resp.read()
            if resp.will_close:
                self.close()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, content)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            raise TransportError(str(exc) or type(exc).__name__) from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
