"""Shared fixtures. Qt is never imported here: unit tests must run without it."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from app import custody, demo
from app.clock import CHINA_TZ, fixed_clock
from app.crypto import Argon2Params
from app.workspace import Workspace
from sync.hq import keys as hq_keys
import secret_service
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
# HQ's key files: the passphrase of every test HQ folder, and scrypt at a test cost for the
# folders made in this process (tests/integration/test_hq_keys_at_rest.py uses age's own).
os.environ["FIELDINSPECT_HQ_PASSPHRASE"] = "test passphrase for HQ keys"
os.environ.pop("FIELDINSPECT_HQ_PASSPHRASE_FILE", None)
hq_keys.WORK_FACTOR = 10

_SECRET_SERVICE: list[secret_service.SecretService] = []


def pytest_configure(config: pytest.Config) -> None:
    """A private session bus and an unlocked gnome-keyring (a real Secret Service) for the run.

    Every test process and its children store the data folders' key-store secrets
    there (a child pytest inherits the parent's); the user's own key store is never touched.
    """
    try:
        service = secret_service.start()
    except secret_service.SecretServiceMissing as exc:
        raise pytest.UsageError(str(exc)) from None
    if service is not None:
        _SECRET_SERVICE.append(service)


def pytest_unconfigure(config: pytest.Config) -> None:
    for service in _SECRET_SERVICE:
        service.stop()

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


# --- HQ's database: the HQ tests run against SQLite and against PostgreSQL --------------

_PG: list = []


@pytest.fixture(scope="session")
def pg_cluster():
    """One throw-away PostgreSQL cluster for the whole run (tests/pg_cluster.py), started
    when the first test needs it and stopped at the end."""
    import pg_cluster as pg

    try:
        cluster = pg.Cluster()
    except pg.PostgresMissing as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hq_database(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Which database the HQ stores made in this test use (FIELDINSPECT_HQ_DATABASE,
    inherited by the receivers a test starts): each file's own SQLite, or a fresh
    PostgreSQL schema. Apply with ``pytestmark = pytest.mark.usefixtures("hq_database")``."""
    if request.param == "sqlite":
        monkeypatch.delenv("FIELDINSPECT_HQ_DATABASE", raising=False)
        return "sqlite"
    url = request.getfixturevalue("pg_cluster").new_database()
    monkeypatch.setenv("FIELDINSPECT_HQ_DATABASE", url)
    return url
