"""An independent verifier, written only from docs/FORMATS.md "Seal records":
hashlib, the sqlcipher3 module (with the database key) and the ``openssl`` command line — nothing of app.evidence.
It must agree with ``fieldinspect verify`` on a good folder and on tampered ones.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from keys_kit import keys_of
from tests.database_key import connect_raw

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command line"),
]

ROOT = Path(__file__).resolve().parents[2]
GENESIS = "0" * 64
FIELDS = {"format", "seq", "prev", "sha256", "size", "media_type", "evidence_type", "captured_at",
          "ingested_at", "source", "device_id", "officers", "inspection_id", "derived_from", "derivation",
          "original_name"}


def fieldinspect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def openssl_verify(pub: Path, record: bytes, signature: bytes, scratch: Path) -> bool:
    (scratch / "record.json").write_bytes(record)
    (scratch / "record.sig").write_bytes(signature)
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pub), "-rawin",
                           "-in", str(scratch / "record.json"), "-sigfile", str(scratch / "record.sig")],
                          capture_output=True, text=True)
    return done.returncode == 0 and "Verified Successfully" in done.stdout


def decrypt_fie1(blob: bytes, master: bytes) -> bytes | None:
    """The plaintext of a FIE1 file, written from docs/FORMATS.md ("Encrypted files"); None if it fails."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if blob[:4] != b"FIE1":
        return None
    chunk, wrapped_len = int.from_bytes(blob[4:8], "big"), int.from_bytes(blob[8:10], "big")
    header, wrapped = blob[:10 + wrapped_len], blob[10:10 + wrapped_len]
    try:
        key = AESGCM(master).decrypt(wrapped[4:16], wrapped[16:], b"FIW1" + b"file-key")
        body, out, i = blob[len(header):], [], 0
        while True:
            piece = body[:chunk + 16]
            body = body[chunk + 16:]
            final = len(piece) < chunk + 16
            if not final and not body:  # a full chunk may not be last: the final one is shorter
                return None
            out.append(AESGCM(key).decrypt(i.to_bytes(11, "big") + bytes([final]), piece, header))
            i += 1
            if final:
                return b"".join(out)
    except (InvalidTag, ValueError):
        return None


def independent_verify(folder: Path, scratch: Path) -> list[str]:
    """Every failure found by the rules of docs/FORMATS.md; empty when the folder holds."""
    failures: list[str] = []
    pub = folder / "device" / "device.pub.pem"
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(pub), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    device_id = hashlib.sha256(der[-32:]).hexdigest()[:32]
    conn = connect_raw(f"{(folder / 'fieldinspect.sqlite').as_uri()}?mode=ro", keys_of(folder).db_key, uri=True)
    rows = conn.execute("SELECT seq, record, signature FROM seal_records ORDER BY seq").fetchall()
    conn.close()
    prev, named = GENESIS, set()
    for n, (seq, text, signature) in enumerate(rows, start=1):
        record_bytes = text.encode("utf-8")
        record = json.loads(record_bytes)
        if set(record) != FIELDS or record["format"] != "fieldinspect.seal/1":
            failures.append(f"{seq}: fields")
        canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        if canonical != record_bytes:
            failures.append(f"{seq}: not canonical")
        if not seq == n == record["seq"]:
            failures.append(f"{seq}: sequence")
        if record["prev"] != prev:
            failures.append(f"{seq}: prev")
        if record["device_id"] != device_id:
            failures.append(f"{seq}: device")
        if not openssl_verify(pub, record_bytes, base64.b64decode(signature), scratch):
            failures.append(f"{seq}: signature")
        sha = record["sha256"]
        path = folder / "evidence" / "sha256" / sha[:2] / sha
        named.add(path)
        if not path.is_file():
            failures.append(f"{seq}: file missing")
        else:
            data = decrypt_fie1(path.read_bytes(), keys_of(folder).master.secret)
            if data is None or hashlib.sha256(data).hexdigest() != sha or len(data) != record["size"]:
                failures.append(f"{seq}: file altered")
        prev = hashlib.sha256(record_bytes).hexdigest()
    for path in (folder / "evidence" / "sha256").glob("*/*"):
        if path not in named:
            failures.append(f"unsealed file {path.name}")
    return failures


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    media = tmp_path / "DCIM"
    media.mkdir()
    for n in range(3):
        (media / f"IMG_{n}.JPG").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(4000))
    assert fieldinspect("demo", "--data", str(data)).returncode == 0
    done = fieldinspect("import", str(media), "--inspection", "JC-2026-1101", "--officer", "33010621001",
                        "--type", "视听资料", "--data", str(data))
    assert done.returncode == 0, done.stderr
    return data


def both(folder: Path, scratch: Path) -> tuple[list[str], int]:
    scratch.mkdir(exist_ok=True)
    return independent_verify(folder, scratch), fieldinspect("verify", str(folder)).returncode


def _raw(folder: Path) -> sqlcipher.Connection:
    conn = connect_raw(folder / "fieldinspect.sqlite", keys_of(folder).db_key, isolation_level=None)
    conn.execute("DROP TRIGGER seal_records_no_update")
    return conn


def test_good_folder_passes_both(folder: Path, tmp_path: Path) -> None:
    failures, code = both(folder, tmp_path / "s")
    assert failures == [] and code == 0


def test_exported_originals_verify_with_sha256sum(folder: Path, tmp_path: Path) -> None:
    """The store is encrypted; an export is the plaintext, and its seal checks with sha256sum."""
    from app.evidence.locker import EvidenceLocker
    from keys_kit import as_, open_workspace

    ws = open_workspace(folder)
    try:
        locker = EvidenceLocker(ws)
        lines = []
        for item in locker.items.all():
            assert locker.store.path_for(item.sha256).read_bytes()[:4] == b"FIE1"
            dest = locker.export(item.sha256, tmp_path / "out", actor=as_(ws, "O01"), purpose="核验")
            lines.append(f"{item.sha256}  {dest}\n")
    finally:
        ws.close()
    check = subprocess.run(["sha256sum", "-c", "-"], input="".join(lines), capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.count(": OK") == len(lines) >= 3, check.stdout + check.stderr


def test_altered_file_byte_fails_both(folder: Path, tmp_path: Path) -> None:
    path = next((folder / "evidence" / "sha256").glob("*/*"))
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x80
    path.write_bytes(bytes(data))
    failures, code = both(folder, tmp_path / "s")
    assert [f.split(": ")[1] for f in failures] == ["file altered"] and code == 1


def test_altered_seal_field_fails_both(folder: Path, tmp_path: Path) -> None:
    conn = _raw(folder)
    record = json.loads(conn.execute("SELECT record FROM seal_records WHERE seq = 2").fetchone()[0])
    record["officers"] = ["33010621001"]
    conn.execute("UPDATE seal_records SET record = ? WHERE seq = 2",
                 [json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))])
    failures, code = both(folder, tmp_path / "s")
    assert failures == ["2: signature", "3: prev"] and code == 1


def test_swapped_signature_fails_both(folder: Path, tmp_path: Path) -> None:
    conn = _raw(folder)
    sig1 = conn.execute("SELECT signature FROM seal_records WHERE seq = 1").fetchone()[0]
    conn.execute("UPDATE seal_records SET signature = ? WHERE seq = 3", [sig1])
    failures, code = both(folder, tmp_path / "s")
    assert failures == ["3: signature"] and code == 1
