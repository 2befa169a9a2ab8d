"""An independent check of the audit log and the chain head, written only from docs/FORMATS.md
("Audit log", "Chain head"): hashlib, json, the sqlcipher3 module with the database key, and the
``openssl`` and ``age`` command lines — nothing of app/ or sync/ reads the data."""

from __future__ import annotations

import base64
import hashlib
import os
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from keys_kit import keys_of
from tty_kit import age_decrypt
from tests.database_key import connect_raw
from tests.unit.bundle_kit import make_kit

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("openssl") is None or shutil.which("age") is None,
                       reason="needs the openssl and age command lines"),
]
GENESIS = "0" * 64


def canonical(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def openssl_verify(pub: Path, message: bytes, signature: bytes, scratch: Path) -> bool:
    (scratch / "msg").write_bytes(message)
    (scratch / "sig").write_bytes(signature)
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pub), "-rawin",
                           "-in", str(scratch / "msg"), "-sigfile", str(scratch / "sig")],
                          capture_output=True, text=True)
    return done.returncode == 0 and "Verified Successfully" in done.stdout


@pytest.fixture
def synced(demo_workspace, tmp_path: Path):  # noqa: ANN001, ANN201
    """A demo folder with sealed items and one bundle made (so the device holds a signed head)."""
    kit = make_kit(demo_workspace, tmp_path)
    kit.seal_note(1)
    kit.seal_note(2)
    info = kit.build()
    kit.hq.close()
    folder = demo_workspace.folder
    demo_workspace.close()
    return folder, kit.hq_dir, info.path


def audit_failures(folder: Path, pub: Path, scratch: Path) -> list[str]:
    conn = connect_raw(f"{(folder / 'fieldinspect.sqlite').as_uri()}?mode=ro", keys_of(folder).db_key, uri=True)
    rows = conn.execute("SELECT seq, at, actor, action, target, detail, prev_hash, hash, signature "
                        "FROM audit_log ORDER BY seq").fetchall()
    (began,) = conn.execute("SELECT began_after FROM audit_signing").fetchone()
    conn.close()
    failures, prev = [], GENESIS
    for n, (seq, at, actor, action, target, detail, prev_hash, digest, signature) in enumerate(rows, 1):
        entry = {"seq": seq, "at": at, "actor": actor, "action": action, "target": target,
                 "detail": json.loads(detail), "prev_hash": prev_hash}
        if seq != n or prev_hash != prev:
            failures.append(f"{seq}: link")
        if hashlib.sha256(canonical(entry)).hexdigest() != digest:
            failures.append(f"{seq}: hash")
        if seq > began and not openssl_verify(pub, b"fieldinspect.audit/1\n" + digest.encode("ascii"),
                                              base64.b64decode(signature), scratch):
            failures.append(f"{seq}: signature")
        prev = digest
    return failures


def test_audit_entries_and_chain_heads_verify_with_openssl(synced, tmp_path: Path) -> None:  # noqa: ANN001
    folder, hq_dir, bundle = synced
    pub = folder / "device" / "device.pub.pem"  # a verifier takes the key enrolled at HQ; the same here
    assert audit_failures(folder, pub, tmp_path) == []

    conn = connect_raw(f"{(folder / 'fieldinspect.sqlite').as_uri()}?mode=ro", keys_of(folder).db_key, uri=True)
    body, signature = conn.execute("SELECT body, signature FROM chain_heads ORDER BY id DESC LIMIT 1").fetchone()
    audit = dict(conn.execute("SELECT seq, hash FROM audit_log").fetchall())
    seals = {seq: hashlib.sha256(rec.encode("utf-8")).hexdigest()
             for seq, rec in conn.execute("SELECT seq, record FROM seal_records")}
    conn.close()
    head_bytes = body.encode("utf-8")
    assert openssl_verify(pub, head_bytes, base64.b64decode(signature), tmp_path)
    head = json.loads(head_bytes)
    assert canonical(head) == head_bytes and head["format"] == "fieldinspect.chain-head/1"
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(pub), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    assert head["device_id"] == hashlib.sha256(der[-32:]).hexdigest()[:32]
    assert audit[head["audit_seq"]] == head["audit_hash"] and seals[head["seal_seq"]] == head["seal_hash"]
    assert head["seal_seq"] == 2 and head["problems"] == []

    # the same head travels in the bundle as chain-head.json and its raw signature
    plain = age_decrypt(hq_dir / "hq-age.key", bundle, os.environ["FIELDINSPECT_HQ_PASSPHRASE"])
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    assert members["chain-head.json"] == head_bytes
    assert openssl_verify(pub, members["chain-head.json"], members["chain-head.json.sig"], tmp_path)
    for line in members["data/audit/audit.jsonl"].splitlines():
        entry = json.loads(line)
        assert openssl_verify(pub, b"fieldinspect.audit/1\n" + entry["hash"].encode(),
                              base64.b64decode(entry["signature"]), tmp_path)


def test_a_changed_audit_signature_or_head_fails_the_same_check(synced, tmp_path: Path) -> None:  # noqa: ANN001
    folder, _, _ = synced
    pub = folder / "device" / "device.pub.pem"
    conn = connect_raw(folder / "fieldinspect.sqlite", keys_of(folder).db_key, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    seq, signature = conn.execute("SELECT seq, signature FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    (other,) = conn.execute("SELECT signature FROM audit_log WHERE seq = ?", (seq - 1,)).fetchone()
    conn.execute("UPDATE audit_log SET signature = ? WHERE seq = ?", (other, seq))
    body, head_sig = conn.execute("SELECT body, signature FROM chain_heads ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    assert audit_failures(folder, pub, tmp_path) == [f"{seq}: signature"]
    changed = body.replace('"seal_seq":2', '"seal_seq":1').encode()
    assert changed != body.encode()
    assert not openssl_verify(pub, changed, base64.b64decode(head_sig), tmp_path)
