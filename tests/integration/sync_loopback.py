"""Real things on loopback for the sync tests: the HQ receiver as a process, and a TCP
proxy that cuts connections after a given number of bytes (a dropped network)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

HQ_EXE = Path(sys.executable).parent / "fieldinspect-hq"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


class HqProcess:
    """``fieldinspect-hq serve`` in a subprocess; start, kill (SIGKILL) and start again."""

    def __init__(self, hq_dir: Path, port: int | None = None, *, plain_put: bool = False,
                 serve_args: list[str] | None = None) -> None:
        self.hq_dir = hq_dir
        self.serve_args = serve_args or []
        self.port = port or free_port()
        self.plain_put = plain_put
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HqProcess:
        cmd = [str(HQ_EXE), "serve", "--dir", str(self.hq_dir), "--port", str(self.port)]
        if self.plain_put:
            cmd.append("--plain-put")
        cmd += self.serve_args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(self.hq_dir / "serve.log", "ab"))
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> HqProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class CuttingProxy:
    """Forwards 127.0.0.1:port → target; after ``cuts[i]`` bytes sent upstream in total,
    slams both sides of the connection that carried them shut (one cut per entry)."""

    def __init__(self, target_port: int, cuts: list[int], *, pace: float = 0.0) -> None:
        self.target_port = target_port
        self.pace = pace  # seconds slept per piece forwarded upstream (a slow network)
        self.cuts = sorted(cuts)
        self.upstream_bytes = 0
        self.cut_count = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, counting: bool) -> None:
        try:
            while True:
                data = src.recv(32768)
                if not data:
                    break
                if counting and self.pace:
                    time.sleep(self.pace)
                if counting:
                    with self._lock:
                        limit = self.cuts[0] - self.upstream_bytes if self.cuts else None
                        if limit is not None and len(data) >= limit:
                            self.cuts.pop(0)
                            self.cut_count += 1
                            self.upstream_bytes += limit
                            dst.sendall(data[:limit])
                            raise ConnectionAbortedError("cut")
                        self.upstream_bytes += len(data)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def close(self) -> None:
        self._stopped = True
        self._server.close()


def run_python(code: str, *, env: dict[str, str] | None = None) -> subprocess.Popen:
    """A child Python process running ``code`` (for the client-killed tests)."""
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def make_hq(hq_dir: Path) -> Path:
    """An HQ folder with its keys (``fieldinspect-hq keygen``)."""
    from sync.hq import keys

    keys.keygen(hq_dir)
    return hq_dir


def enroll_and_pair(ws, hq_dir: Path):  # noqa: ANN001, ANN201
    """Enroll the workspace's device at HQ and pin HQ's keys in the workspace; the device."""
    from app.device import DeviceIdentity
    from sync.hq.store import HqStore
    from sync.pairing import pair_with_folder

    device = ws.device
    store = HqStore(hq_dir)
    try:
        store.enroll(device.public_key_pem)
    finally:
        store.close()
    pair_with_folder(ws, hq_dir, actor="A01")
    return device


def hq_counts(hq_dir: Path, device_id: str) -> dict[str, int]:
    from sync.hq.store import HqStore

    store = HqStore(hq_dir)
    try:
        return store.counts(device_id)
    finally:
        store.close()
