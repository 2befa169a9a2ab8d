"""``fieldinspect sync --server URL`` headless against ``fieldinspect-hq serve`` (R18: the
shift's records reach HQ with one command; HQ's refusal comes back with its reason)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths
from app.workspace import Workspace
from local_db.database import transaction
from sync.hq.store import HqStore

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess, enroll_and_pair, hq_counts, make_hq  # noqa: E402
from keys_kit import open_workspace

pytestmark = pytest.mark.integration
EXE = Path(sys.executable).parent / "fieldinspect"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def device_folder(tmp_path: Path):
    data = tmp_path / "data"
    assert _cli("demo", "--data", str(data)).returncode == 0
    hq_dir = make_hq(tmp_path / "hq")
    ws = open_workspace(data)
    try:
        device = enroll_and_pair(ws, hq_dir)
    finally:
        ws.close()
    return data, hq_dir, device


def test_r18_headless_sync_is_acknowledged_and_pulls_signed_reference_data(device_folder) -> None:  # noqa: ANN001
    data, hq_dir, device = device_folder
    store = HqStore(hq_dir)
    store.publish(paths.DEMO_REFERENCE.read_bytes().replace(b"demo-2026.11", b"hq-2026.12"))
    store.close()
    with HqProcess(hq_dir) as hq:
        result = _cli("sync", "--server", hq.url, "--data", str(data), "--officer", "O01")
        assert result.returncode == 0, result.stderr
        assert "acknowledged by HQ" in result.stdout and "reference data loaded" in result.stdout
        assert hq_counts(hq_dir, device.device_id)["bundles"] == 1
        counts = hq_counts(hq_dir, device.device_id)
        again = _cli("sync", "--server", hq.url, "--data", str(data))
        # nothing sealed since: only the audit entries of the sign-ins go, no seal twice
        assert again.returncode == 0 and "acknowledged by HQ" in again.stdout
        assert hq_counts(hq_dir, device.device_id)["seals"] == counts["seals"]
    ws = open_workspace(data)
    try:
        assert ws.reference_sets.latest()["source"] == "hq"
        assert ws.settings.get("sync.server_url") is None  # the command line saves nothing by itself
    finally:
        ws.close()


def test_r18_a_restored_old_copy_is_rejected_with_hqs_reason_and_exit_1(device_folder, tmp_path: Path) -> None:  # noqa: ANN001
    """A data folder restored from a backup re-uses a bundle sequence HQ already holds."""
    data, hq_dir, device = device_folder
    backup = tmp_path / "backup"
    shutil.copytree(data, backup)
    with HqProcess(hq_dir) as hq:
        assert _cli("sync", "--server", hq.url, "--data", str(data)).returncode == 0
        ws = open_workspace(backup)
        try:
            with transaction(ws.db):
                ws.audit.append("O01", "test.after_restore", "JC-2026-1101")
        finally:
            ws.close()
        result = _cli("sync", "--server", hq.url, "--data", str(backup))
    assert result.returncode == 1, result.stderr
    assert "rejected by HQ" in result.stdout
    ws = open_workspace(backup)
    try:
        [rejection] = ws.db.execute("SELECT code, message_zh, message_en FROM sync_rejections").fetchall()
    finally:
        ws.close()
    assert rejection[0] in ("sequence-reused", "audit-fork", "seal-fork")
    assert rejection[0] in result.stdout and rejection[1] in result.stdout
    assert hq_counts(hq_dir, device.device_id)["bundles"] == 1  # stored nothing of the rejected one


def test_sync_without_a_server_names_the_option(device_folder) -> None:  # noqa: ANN001
    data, _, _ = device_folder
    result = _cli("sync", "--data", str(data))
    assert result.returncode == 2 and "--server" in result.stderr
