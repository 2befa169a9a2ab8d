"""Is HQ reachable? And has it just become so (the moment to sync by itself)?

:func:`hq_reachable` asks the receiver's tus endpoint for its capabilities
(``OPTIONS /files``, no authentication, a few hundred bytes), so a captive portal
or some other web server on the address does not count as HQ.
:class:`ReachabilityWatch` turns periodic answers into the one event that matters:
HQ was not reachable and now is. The Sync page polls on a worker thread and
starts the end-of-shift sync on that event when the officer enabled it.
"""

from __future__ import annotations

from dataclasses import dataclass

TUS_VERSION = "1.0.0"


def hq_reachable(server: str, *, timeout: float = 3.0) -> bool:
    """True when ``server`` answers as a tus 1.0 HQ receiver within ``timeout`` seconds."""
    import httpx  # not at import: the Sync page is built at start-up

    try:
        r = httpx.options(server.rstrip("/") + "/files", timeout=timeout)
    except (httpx.HTTPError, ValueError):
        return False
    return r.status_code in (200, 204) and TUS_VERSION in r.headers.get("tus-version", "").split(",")


@dataclass
class ReachabilityWatch:
    """Edge detector over successive reachability answers."""

    reachable: bool | None = None  # None: not asked yet

    def observe(self, reachable: bool) -> bool:
        """Record an answer; True exactly when HQ went from unreachable (or unknown) to reachable."""
        became = reachable and not self.reachable
        self.reachable = reachable
        return became
