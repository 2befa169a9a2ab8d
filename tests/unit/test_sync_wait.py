"""Waiting for HQ's verdict can be interrupted: the wait yields after every poll, so a
person's Cancel (or quitting) is heard while HQ is still checking a large bundle."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.device import DeviceIdentity
from sync.client import outcome_steps


class _Checking(BaseHTTPRequestHandler):
    polls = 0

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
        type(self).polls += 1
        self.send_response(202)  # HQ: still checking
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def hq():  # type: ignore[no-untyped-def]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Checking)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_wait_for_a_receipt_yields_between_polls_and_stops_when_closed(hq: str, tmp_path: Path) -> None:
    device = DeviceIdentity.generate(tmp_path)
    steps = outcome_steps(hq, hq + "/files/abc", device, timeout=600, poll=0.01)
    started = time.monotonic()
    for _ in range(3):
        next(steps)  # each poll hands control back
    steps.close()  # Cancel: no 600 s wait
    assert time.monotonic() - started < 5 and _Checking.polls >= 3
