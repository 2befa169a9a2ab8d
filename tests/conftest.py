"""Shared fixtures. Qt is never imported here: unit tests must run without it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from app import custody, demo
from app.clock import CHINA_TZ, fixed_clock
from app.crypto import Argon2Params
from app.workspace import Workspace
from keys_kit import create_workspace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Who the command line signs in as when a test does not say (demo O01); tests of
# signing in on the command line set their own.
os.environ["FIELDINSPECT_OFFICER"] = "O01"
os.environ["FIELDINSPECT_PIN"] = "100101"
# Child processes of the tests import keys_kit from here.
os.environ["FIELDINSPECT_TESTS"] = str(Path(__file__).parent)
# Argon2 at a test cost in this process; tests/unit/test_custody.py measures the real one.
custody.PIN_KDF = Argon2Params(time_cost=1, memory_kib=8 * 1024)

_SECRET_SERVICE: list[subprocess.Popen] = []


def pytest_configure(config: pytest.Config) -> None:
    """A private session bus and an unlocked gnome-keyring (a real Secret Service) for the run.

    Every test process and its children store the data folders' key-store secrets
    there; the user's own key store is never touched.
    """
    if os.environ.get("FIELDINSPECT_TEST_SECRET_SERVICE"):
        return  # a child pytest inherits the parent's
    home = Path(tempfile.mkdtemp(prefix="fieldinspect-keyring-"))
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_RUNTIME_DIR": str(runtime)}
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            raise pytest.UsageError(f"the tests need a Secret Service: {tool} is not installed "
                                    "(Debian: dbus-daemon gnome-keyring; .ci/run installs them)")
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL,
                           env=env)
    address = bus.stdout.readline().decode().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      env=env)
    keyring_daemon.stdin.write(b"fieldinspect-tests")
    keyring_daemon.stdin.close()
    _SECRET_SERVICE.extend([keyring_daemon, bus])
    os.environ.update({"DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": str(runtime),
                       "FIELDINSPECT_TEST_SECRET_SERVICE": str(home)})
    _wait_for_secret_service()


def _wait_for_secret_service() -> None:
    import time

    import keyring
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    for _ in range(100):
        try:
            backend.set_password("FieldInspect-test", "probe", "ok")
            if backend.get_password("FieldInspect-test", "probe") == "ok":
                keyring.set_keyring(backend)
                return
        except Exception:  # the daemon is still starting
            pass
        time.sleep(0.05)
    raise pytest.UsageError("the Secret Service (gnome-keyring) did not answer")


def pytest_unconfigure(config: pytest.Config) -> None:
    for proc in _SECRET_SERVICE:
        proc.terminate()
        proc.wait(timeout=10)
    home = os.environ.get("FIELDINSPECT_TEST_SECRET_SERVICE")
    if _SECRET_SERVICE and home:
        shutil.rmtree(home, ignore_errors=True)

# The demo files are anchored on Monday 2026-11-23; a clock on that morning
# seeds them unshifted, so tests can name the dates in the files.
DEMO_NOW = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def workspace(data_folder: Path):
    """An opened, empty workspace on a fixed clock."""
    ws = create_workspace(data_folder, clock=fixed_clock(DEMO_NOW))
    yield ws
    ws.close()


@pytest.fixture
def demo_workspace(workspace: Workspace) -> Workspace:
    """The workspace seeded with the demo data set, unshifted."""
    assert demo.seed(workspace)
    return workspace
