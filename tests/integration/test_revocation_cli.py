"""A lost tablet at HQ: ``fieldinspect-hq revoke DEVICE --from TIME --reason TEXT`` makes HQ
refuse, over HTTP and on a USB stick, every bundle the device signs after TIME, with the
reason; what it synced before stays valid."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app import crypto
from keys_kit import open_workspace
from sync.hq import keys
from sync.hq.store import HqStore

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess, enroll_and_pair, make_hq  # noqa: E402
from test_anchored_chains import hq_ingest, import_photo, run  # noqa: E402

pytestmark = pytest.mark.integration
REASON = "巡查途中遗失 tablet lost on patrol"


def test_a_revoked_device_s_later_bundles_are_refused_with_the_reason(demo_workspace, tmp_path: Path) -> None:  # noqa: ANN001
    data = demo_workspace.folder
    demo_workspace.close()
    hq = make_hq(tmp_path / "hq")
    ws = open_workspace(data)
    try:
        device_id = enroll_and_pair(ws, hq).device_id
    finally:
        ws.close()
    import_photo(data, tmp_path, 60)
    with HqProcess(hq) as server:
        first = run("sync", "--server", server.url, "--data", data)
        assert first.returncode == 0 and "acknowledged by HQ" in first.stdout, first.stdout + first.stderr
        time.sleep(1.1)  # times are kept to the second: the revocation comes after the first bundle
        since = datetime.now(UTC).replace(microsecond=0)
        time.sleep(1.1)
        no_offset = run("revoke", "--dir", hq, "--from", "2026-11-23T18:00:00", "--reason", REASON, device_id,
                        module="sync.hq.cli")
        assert no_offset.returncode == 2 and "offset" in no_offset.stderr
        revoked = run("revoke", "--dir", hq, "--from", since.isoformat(), "--reason", REASON, device_id,
                      module="sync.hq.cli")
        assert revoked.returncode == 0, revoked.stderr
        assert "new key" in revoked.stdout  # a replacement is enrolled with a key of its own

        import_photo(data, tmp_path, 160)
        later = run("sync", "--server", server.url, "--data", data)
        assert later.returncode == 1, later.stdout + later.stderr
        assert "(revoked)" in later.stdout and "tablet lost on patrol" in later.stdout and "吊销" in later.stdout

    usb = tmp_path / "usb.age"
    assert run("bundle", "--data", data, "--out", usb).returncode == 0  # a new bundle after the rejection
    refused = hq_ingest(hq, device_id, usb)
    assert refused.returncode == 1 and "（revoked）" in refused.stderr and "tablet lost on patrol" in refused.stderr

    # what the device synced before the revocation stays at HQ, under HQ's signed receipt
    store = HqStore(hq)
    try:
        assert store.counts(device_id)["bundles"] == 1 and store.counts(device_id)["seals"] == 1
        receipt = store.receipt(f"{device_id}-000001")
        assert receipt is not None
        assert crypto.verify_signature(keys.signing_key(hq).public_key(), receipt.signature, receipt.body)
        sha = store.conn.execute("SELECT sha256 FROM seals WHERE device_id = ?", (device_id,)).fetchone()[0]
        assert crypto.sha256_file(store.evidence_path(sha))[0] == sha
    finally:
        store.close()
