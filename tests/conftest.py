"""Shared fixtures. Qt is never imported here: unit tests must run without it."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from app import demo
from app.clock import CHINA_TZ, fixed_clock
from app.workspace import Workspace
from tests.database_key import TEST_DB_KEY

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
    ws = Workspace.open(data_folder, db_key=TEST_DB_KEY, clock=fixed_clock(DEMO_NOW))
    yield ws
    ws.close()


@pytest.fixture
def demo_workspace(workspace: Workspace) -> Workspace:
    """The workspace seeded with the demo data set, unshifted."""
    assert demo.seed(workspace)
    return workspace
