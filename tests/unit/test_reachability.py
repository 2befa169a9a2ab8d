"""What counts as "HQ is reachable": only a server answering as a tus 1.0 receiver."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.reachability import hq_reachable


class _Handler(BaseHTTPRequestHandler):
    tus_version = ""

    def do_OPTIONS(self) -> None:  # noqa: N802 - the stdlib's naming
        self.send_response(204)
        if self.tus_version:
            self.send_header("Tus-Version", self.tus_version)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_tus_receiver_is_hq_and_another_web_server_is_not(server) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{server.server_address[1]}"
    _Handler.tus_version = ""
    assert not hq_reachable(url)  # a captive portal or any other server on the address
    _Handler.tus_version = "0.2.2"
    assert not hq_reachable(url)
    _Handler.tus_version = "1.0.0, 0.2.2"
    assert hq_reachable(url) and hq_reachable(url + "/")


@pytest.mark.parametrize("address", ["", "not a url", "ftp://127.0.0.1/", "http://"])
def test_a_malformed_address_is_simply_not_reachable(address: str) -> None:
    assert not hq_reachable(address, timeout=0.5)
