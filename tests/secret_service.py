"""A private Secret Service for a test run or a benchmark: a session bus and an unlocked gnome-keyring.

The data folders' key-store secrets go there; the user's own key store is never
touched. ``start()`` sets the environment (``DBUS_SESSION_BUS_ADDRESS``,
``XDG_RUNTIME_DIR``) for this process and its children.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ENV_MARK = "FIELDINSPECT_TEST_SECRET_SERVICE"  # set while one runs: children use it, not their own


class SecretServiceMissing(RuntimeError):
    pass


@dataclass
class SecretService:
    home: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def stop(self) -> None:
        for proc in self.processes:
            proc.terminate()
            proc.wait(timeout=10)
        if self.processes:
            shutil.rmtree(self.home, ignore_errors=True)


def start() -> SecretService | None:
    """Start one unless this process already runs under one (None then)."""
    if os.environ.get(ENV_MARK):
        return None
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            raise SecretServiceMissing(f"a Secret Service is needed: {tool} is not installed "
                                       "(Debian: dbus-daemon gnome-keyring; .ci/run installs them)")
    home = Path(tempfile.mkdtemp(prefix="fieldinspect-keyring-"))
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(runtime)}
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, env=env)
    address = bus.stdout.readline().decode().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    daemon.stdin.write(b"fieldinspect-tests")
    daemon.stdin.close()
    service = SecretService(home, [daemon, bus])
    os.environ.update({"DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": str(runtime), ENV_MARK: str(home)})
    try:
        _wait()
    except BaseException:
        service.stop()
        raise
    return service


def _wait() -> None:
    import keyring
    from keyring.backends import SecretService as Backend

    backend = Backend.Keyring()
    for _ in range(100):
        try:
            backend.set_password("FieldInspect-test", "probe", "ok")
            if backend.get_password("FieldInspect-test", "probe") == "ok":
                keyring.set_keyring(backend)
                return
        except Exception:  # the daemon is still starting
            pass
        time.sleep(0.05)
    raise SecretServiceMissing("the Secret Service (gnome-keyring) did not answer")
