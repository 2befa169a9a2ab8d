"""A bundle HQ refuses over USB (``fieldinspect-hq ingest``) comes back to the device as a
signed refusal where the receipt would be; ``fieldinspect bundle --receipt`` applies it like
a receipt: the device shows HQ's reason, marks the bundle refused, and the next bundle is
a new one that HQ accepts (the same case over HTTP: tests/integration/test_sync_cli.py)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from app import demo
from cli import main as cli
from keys_kit import create_workspace, keys_of, open_workspace, remember
from local_db.database import transaction
from sync.hq import cli as hq_cli

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import enroll_and_pair, hq_counts, make_hq  # noqa: E402

pytestmark = pytest.mark.integration


def test_a_usb_refusal_is_signed_applied_like_a_receipt_and_the_next_bundle_is_accepted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    ws = create_workspace(data)
    try:
        demo.seed(ws, media=False)
        device = enroll_and_pair(ws, make_hq(tmp_path / "hq"))
    finally:
        ws.close()
    hq_dir = tmp_path / "hq"
    backup = tmp_path / "backup"
    shutil.copytree(data, backup)
    remember(backup, keys_of(data))
    usb = tmp_path / "usb"

    assert cli.main(["bundle", "--out", str(usb / "first.bundle"), "--data", str(data)]) == 0
    assert hq_cli.main(["ingest", "--dir", str(hq_dir), "--device", device.device_id,
                        str(usb / "first.bundle")]) == 0

    # the restored copy re-uses the sequence HQ already holds: refused, with a signed reason
    ws = open_workspace(backup)
    try:
        with transaction(ws.db):
            ws.audit.append("O01", "test.after_restore", "JC-2026-1101")
    finally:
        ws.close()
    assert cli.main(["bundle", "--out", str(usb / "again.bundle"), "--data", str(backup)]) == 0
    capsys.readouterr()
    assert hq_cli.main(["ingest", "--dir", str(hq_dir), "--device", device.device_id,
                        str(usb / "again.bundle")]) == 1
    refusal = usb / "again.bundle.receipt.json"
    assert refusal.is_file() and "signed refusal written" in capsys.readouterr().err

    assert cli.main(["bundle", "--receipt", str(refusal), "--data", str(backup)]) == 1
    out = capsys.readouterr().out
    assert "refused by HQ" in out
    ws = open_workspace(backup)
    try:
        [(code, zh)] = ws.db.execute("SELECT code, message_zh FROM sync_rejections").fetchall()
        states = [r[0] for r in ws.db.execute("SELECT state FROM sync_bundles ORDER BY sequence")]
    finally:
        ws.close()
    assert code in ("sequence-reused", "audit-fork", "seal-fork") and code in out and zh in out
    assert states[-1] == "rejected"
    # applied twice: nothing changes
    assert cli.main(["bundle", "--receipt", str(refusal), "--data", str(backup)]) == 1
    # a refusal altered on the stick is not HQ's
    forged = usb / "forged.json"
    forged.write_bytes(refusal.read_bytes().replace(b"sequence-reused", b"sequence-reusee"))
    assert cli.main(["bundle", "--receipt", str(forged), "--data", str(backup)]) == 2
    assert "HQ signature does not verify" in capsys.readouterr().err
    # the next bundle is a new one, with the next sequence, and not the refused file offered again
    assert cli.main(["bundle", "--out", str(usb / "next.bundle"), "--data", str(backup)]) == 0
    assert "re-sent" not in capsys.readouterr().out
    assert hq_counts(hq_dir, device.device_id)["bundles"] == 1
