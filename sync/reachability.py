"""Is HQ reachable? And has it just become so (the moment to sync by itself)?

:func:`hq_reachable` asks the receiver's tus endpoint for its capabilities
(``OPTIONS /files``, no authentication, a few hundred bytes), so a captive portal
or some other web server on the address does not count as HQ.
:class:`ReachabilityWatch` turns periodic answers into the one event that matters:
HQ was not reachable and now is. The Sync page polls on a worker thread and
starts the end-of-shift sync on that event when the officer enabled it.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlsplit

TUS_VERSION = "1.0.0"


def hq_reachable(server: str, *, timeout: float = 3.0) -> bool:
    """True when ``server`` answers as a tus 1.0 HQ receiver within ``timeout`` seconds."""
    try:
        url = urlsplit(server.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            return False
        cls = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        conn = cls(url.hostname, url.port, timeout=timeout)
        try:
            conn.request("OPTIONS", url.path.rstrip("/") + "/files")
            r = conn.getresponse()
            versions = [v.strip() for v in (r.getheader("Tus-Version") or "").split(",")]
            return r.status in (200, 204) and TUS_VERSION in versions
        finally:
            conn.close()
    except (OSError, ValueError, http.client.HTTPException):
        return False


@dataclass
class ReachabilityWatch:
    """Edge detector over successive reachability answers."""

    reachable: bool | None = None  # None: not asked yet

    def observe(self, reachable: bool) -> bool:
        """Record an answer; True exactly when HQ went from unreachable (or unknown) to reachable."""
        became = reachable and not self.reachable
        self.reachable = reachable
        return became
