"""Anchored chains, on a demo data folder with imported photos that has synced once with HQ:
someone holding the database key (but not the device key) rewrites a seal record or an
audit entry with another Ed25519 key and re-chains what follows, cuts the audit log's
tail, appends an entry of his own, or drops an append-only trigger. ``fieldinspect
verify`` and ``status`` name each of them and exit 1, and HQ refuses the next bundle
from the folder, naming why (R17 "防删改")."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from app import crypto
from app.audit import entry_hash, signing_message
from app.domain import AuditEntry
from keys_kit import keys_of, open_workspace, remember
from local_db.database import DB_FILENAME
from tests.database_key import connect_raw

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import enroll_and_pair, make_hq  # noqa: E402

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CERT = "33010621001"


def run(*args: object, module: str = "cli") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def photo(path: Path, shade: int) -> Path:
    ok, data = cv2.imencode(".jpg", np.full((48, 64, 3), shade, np.uint8))
    assert ok
    path.write_bytes(data.tobytes())
    return path


def import_photo(data: Path, tmp: Path, shade: int) -> None:
    done = run("import", "--data", data, "--officer", CERT, "--inspection", "JC-2026-1101",
               photo(tmp / f"photo-{shade}.jpg", shade))
    assert done.returncode == 0, done.stderr


def hq_ingest(hq: Path, device_id: str, bundle: Path) -> subprocess.CompletedProcess[str]:
    return run("ingest", "--dir", hq, "--device", device_id, bundle, module="sync.hq.cli")


@pytest.fixture
def synced(demo_workspace, tmp_path: Path):  # noqa: ANN001, ANN201
    """(data folder, HQ folder, device id): one photo synced over USB, two more imported since."""
    data = demo_workspace.folder
    demo_workspace.close()
    hq = make_hq(tmp_path / "hq")
    ws = open_workspace(data)
    try:
        device_id = enroll_and_pair(ws, hq).device_id
    finally:
        ws.close()
    import_photo(data, tmp_path, 40)
    first = tmp_path / "first.age"
    assert run("bundle", "--data", data, "--out", first).returncode == 0
    assert hq_ingest(hq, device_id, first).returncode == 0
    assert run("bundle", "--data", data, "--receipt", f"{first}.receipt.json").returncode == 0
    import_photo(data, tmp_path, 120)
    import_photo(data, tmp_path, 200)
    assert run("verify", data).returncode == 0
    return data, hq, device_id


def _raw(folder: Path):
    conn = connect_raw(folder / DB_FILENAME, keys_of(folder).db_key, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


def _acked_audit_head(conn) -> int:  # noqa: ANN001
    return max(json.loads(b)["chain_head"]["audit_seq"] for (b,) in conn.execute("SELECT body FROM sync_receipts"))


def _entries(conn, after: int) -> list[AuditEntry]:  # noqa: ANN001
    rows = conn.execute("SELECT seq, at, actor, action, target, detail, prev_hash FROM audit_log WHERE seq > ? "
                        "ORDER BY seq", (after,)).fetchall()
    from datetime import datetime

    return [AuditEntry(seq=s, at=datetime.fromisoformat(a), actor=ac, action=act, target=t, detail=json.loads(d),
                       prev_hash=p) for s, a, ac, act, t, d, p in rows]


def forge_seal(conn) -> None:  # noqa: ANN001
    """Seal 2 (not yet synced) gets another name; it and seal 3 are re-chained under a foreign key."""
    foreign = crypto.generate_signing_key()
    conn.execute("DROP TRIGGER seal_records_no_update")
    (text2,), (text3,) = conn.execute("SELECT record FROM seal_records WHERE seq IN (2, 3) ORDER BY seq")
    rec2, rec3 = json.loads(text2), json.loads(text3)
    rec2["original_name"] = "renamed.jpg"
    new2 = crypto.canonical_json(rec2)
    rec3["prev"] = crypto.sha256_hex(new2)
    new3 = crypto.canonical_json(rec3)
    for seq, data in ((2, new2), (3, new3)):
        conn.execute("UPDATE seal_records SET record = ?, signature = ? WHERE seq = ?",
                     (data.decode(), base64.b64encode(crypto.sign(foreign, data)).decode(), seq))
    conn.execute("CREATE TRIGGER seal_records_no_update BEFORE UPDATE ON seal_records "
                 "BEGIN SELECT RAISE(ABORT, 'seal_records is append-only'); END")


def forge_audit(conn) -> None:  # noqa: ANN001
    """The first entry HQ has not acknowledged is rewritten; it and all after it re-chained and re-signed."""
    foreign = crypto.generate_signing_key()
    head = _acked_audit_head(conn)
    conn.execute("DROP TRIGGER audit_log_no_update")
    entries = _entries(conn, head)
    prev = entries[0].prev_hash
    for n, e in enumerate(entries):
        detail = {**e.detail, "forged": True} if n == 0 else e.detail
        draft = AuditEntry(seq=e.seq, at=e.at, actor=e.actor, action=e.action, target=e.target, detail=detail,
                           prev_hash=prev)
        prev = entry_hash(draft)
        conn.execute("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ?, signature = ? WHERE seq = ?",
                     (json.dumps(detail, ensure_ascii=False, sort_keys=True), draft.prev_hash, prev,
                      base64.b64encode(crypto.sign(foreign, signing_message(prev))).decode(), e.seq))
    conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def cut_tail(conn) -> None:  # noqa: ANN001
    """The audit log loses its newest entries, down below the head HQ acknowledged."""
    head = _acked_audit_head(conn)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq > ?", (head - 5,))
    conn.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")


def append_forged(conn) -> None:  # noqa: ANN001
    """An entry of his own, correctly hash-chained, but without the device key's signature."""
    seq, prev = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    last = _entries(conn, seq - 1)[0]
    e = AuditEntry(seq=seq + 1, at=last.at, actor="O01", action="evidence.exported", target="x",
                   detail={"to": "/media/usb"}, prev_hash=prev)
    conn.execute("INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (e.seq, e.at.isoformat(), e.actor, e.action, e.target, '{"to": "/media/usb"}', prev, entry_hash(e)))


def drop_trigger(conn) -> None:  # noqa: ANN001
    conn.execute("DROP TRIGGER audit_log_no_delete")


CASES: dict[str, tuple[Callable, set[str], str]] = {
    # tampering → (kinds verify and status must name, HQ's refusal code)
    "forged-seal": (forge_seal, {"altered-record"}, "bad-seal"),
    "forged-audit": (forge_audit, {"audit-forged"}, "bad-audit"),
    "cut-tail": (cut_tail, {"cut-tail"}, "chain-not-extended"),
    "appended-entry": (append_forged, {"audit-unsigned"}, "bad-audit"),
    "dropped-trigger": (drop_trigger, {"missing-trigger"}, "device-tampered"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_r17_tampering_is_named_by_verify_and_status_and_refused_by_hq(synced, tmp_path: Path, case: str) -> None:  # noqa: ANN001
    data, hq, device_id = synced
    tamper, kinds, code = CASES[case]
    folder = tmp_path / case
    shutil.copytree(data, folder)
    remember(folder, keys_of(data))
    conn = _raw(folder)
    tamper(conn)
    conn.close()

    verify = run("verify", folder)
    assert verify.returncode == 1, verify.stdout
    status = run("status", "--data", folder)
    assert status.returncode == 1, status.stdout
    for kind in kinds:
        assert f"[{kind}]" in verify.stdout, verify.stdout
        assert f"[{kind}]" in status.stdout, status.stdout

    bundle = tmp_path / f"{case}.age"
    made = run("bundle", "--data", folder, "--out", bundle)
    assert made.returncode == 0, made.stderr
    refused = hq_ingest(hq, device_id, bundle)
    assert refused.returncode == 1 and f"（{code}）" in refused.stderr, refused.stderr


def test_the_untampered_folder_s_next_bundle_is_accepted(synced, tmp_path: Path) -> None:  # noqa: ANN001
    """The same steps without tampering: the refusals above come from the tampering alone."""
    data, hq, device_id = synced
    bundle = tmp_path / "next.age"
    assert run("bundle", "--data", data, "--out", bundle).returncode == 0
    accepted = hq_ingest(hq, device_id, bundle)
    assert accepted.returncode == 0, accepted.stderr
    assert run("status", "--data", data).returncode == 0
