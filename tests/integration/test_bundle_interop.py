"""Bundles with third-party tools only (R17): the `age` CLI decrypts, `bagit` validates,
`openssl` checks the device signature; and the USB round trip through the two command lines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import bagit
from tty_kit import age_decrypt
import pytest

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("age") is None or shutil.which("openssl") is None,
                       reason="needs the age and openssl command lines"),
]

ROOT = Path(__file__).resolve().parents[2]
HQ_EXE = Path(sys.executable).parent / "fieldinspect-hq"
CERT = "33010621001"


def run(*args: str | Path, ok: bool = True, **kw: object) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, **kw)  # type: ignore[call-overload]
    if ok:
        assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done


def fieldinspect(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "cli", *args, ok=ok)


@pytest.fixture
def device_with_evidence(tmp_path: Path) -> tuple[Path, Path]:
    data, hq = tmp_path / "data", tmp_path / "hq"
    fieldinspect("demo", "--no-media", "--data", data)
    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(150_000))
    fieldinspect("import", photo, "--inspection", "JC-2026-1101", "--officer", CERT, "--type", "audiovisual",
                 "--data", data)
    run(HQ_EXE, "keygen", "--dir", hq)
    fieldinspect("pair", "--hq-dir", hq, "--data", data)
    run(HQ_EXE, "enroll", "--dir", hq, data / "device" / "device.pub.pem")
    return data, hq


def test_age_cli_decrypts_bagit_validates_openssl_verifies(device_with_evidence, tmp_path: Path) -> None:
    data, hq = device_with_evidence
    bundle = tmp_path / "shift.age"
    fieldinspect("bundle", "--out", bundle, "--officer", "O01", "--data", data)
    bag_dir = tmp_path / "bag"
    bag_dir.mkdir()
    plain = age_decrypt(hq / "hq-age.key", bundle, os.environ["FIELDINSPECT_HQ_PASSPHRASE"])
    run("tar", "x", "-C", bag_dir, input=plain)
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # every manifest and the Payload-Oxum, by the third-party validator
    assert bag.info["FieldInspect-Seal-Range"] == "1-1"
    assert any(p.startswith("data/evidence/") for p in bag.payload_files())
    verified = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", data / "device" / "device.pub.pem",
                   "-rawin", "-in", bag_dir / "tagmanifest-sha256.txt",
                   "-sigfile", bag_dir / "tagmanifest-sha256.txt.sig")
    assert b"Signature Verified Successfully" in verified.stdout
    seal = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", bag_dir / "device.pub.pem", "-rawin",
               "-in", bag_dir / "data/seals/00000001.json", "-sigfile", bag_dir / "data/seals/00000001.sig")
    assert b"Signature Verified Successfully" in seal.stdout
    # a changed tag manifest no longer verifies
    (bag_dir / "tagmanifest-sha256.txt").write_bytes((bag_dir / "tagmanifest-sha256.txt").read_bytes() + b"\n")
    bad = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", data / "device" / "device.pub.pem", "-rawin",
              "-in", bag_dir / "tagmanifest-sha256.txt", "-sigfile", bag_dir / "tagmanifest-sha256.txt.sig",
              ok=False)
    assert bad.returncode != 0


def test_reader_takes_what_the_age_cli_encrypted(device_with_evidence, tmp_path: Path) -> None:
    """Our decryptor reads `age -r` output: the same bag re-encrypted by the age tool verifies."""
    data, hq = device_with_evidence
    bundle = tmp_path / "shift.age"
    fieldinspect("bundle", "--out", bundle, "--data", data)
    plain = age_decrypt(hq / "hq-age.key", bundle, os.environ["FIELDINSPECT_HQ_PASSPHRASE"])
    recipient = (hq / "hq-age.pub").read_text().strip()
    reencrypted = tmp_path / "by-age-cli.age"
    run("age", "-r", recipient, "-o", reencrypted, input=plain)
    out = fieldinspect("verify", reencrypted, "--hq-identity", hq / "hq-age.key",
                       "--public-key", data / "device" / "device.pub.pem")
    assert "intact" in out.stdout.decode()


def test_identity_from_age_keygen_decrypts_our_output(tmp_path: Path) -> None:
    from app import crypto

    if shutil.which("age-keygen") is None:
        pytest.skip("age-keygen not installed")
    run("age-keygen", "-o", tmp_path / "key.txt")
    identity = (tmp_path / "key.txt").read_text()
    recipient = crypto.age_recipient_of(identity)
    assert recipient in identity  # age-keygen writes "# public key: age1…"
    payload = os.urandom(200_000)
    with open(tmp_path / "x.age", "wb") as fh, crypto.AgeWriter(fh, recipient) as w:
        w.write(payload)
    assert run("age", "-d", "-i", tmp_path / "key.txt", tmp_path / "x.age").stdout == payload


def test_usb_round_trip_and_verify_reports(device_with_evidence, tmp_path: Path) -> None:
    """R18: bundle → HQ ingest → receipt → device marks synced; verify names a tampered bundle."""
    data, hq = device_with_evidence
    bundle = tmp_path / "usb" / "shift.age"
    fieldinspect("bundle", "--out", bundle, "--data", data)
    report = fieldinspect("verify", bundle, "--hq-identity", hq / "hq-age.key").stdout.decode()
    assert "intact" in report and "seal records: 1" in report
    tampered = tmp_path / "tampered.age"
    blob = bytearray(bundle.read_bytes())
    blob[-100] ^= 1
    tampered.write_bytes(bytes(blob))
    bad = fieldinspect("verify", tampered, "--hq-identity", hq / "hq-age.key", ok=False)
    assert bad.returncode == 1 and "ciphertext-altered" in bad.stdout.decode()
    device_id = (data / "device" / "device.pub.pem").exists() and run(
        HQ_EXE, "enroll", "--dir", hq, data / "device" / "device.pub.pem").stdout.decode().split()[-1]
    rejected = run(HQ_EXE, "ingest", "--dir", hq, "--device", device_id, tampered, ok=False)
    assert rejected.returncode == 1 and "ciphertext-altered" in rejected.stderr.decode()
    run(HQ_EXE, "ingest", "--dir", hq, "--device", device_id, bundle)
    receipt = bundle.with_name("shift.age.receipt.json")
    fieldinspect("bundle", "--receipt", receipt, "--data", data)
    # Nothing sealed since: the next bundle carries only the audit entries of the
    # command-line sign-ins made after the first one (each is an act, and audited).
    fieldinspect("bundle", "--out", tmp_path / "next.age", "--data", data)
    after = fieldinspect("verify", tmp_path / "next.age", "--hq-identity", hq / "hq-age.key").stdout.decode()
    assert "intact" in after and "seal records: 0" in after
