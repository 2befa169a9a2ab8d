"""`fieldinspect-hq keygen`: the HQ signing key, usable by openssl."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).parent / "fieldinspect-hq"


def test_keygen_writes_an_owner_only_key_that_openssl_can_use(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    result = subprocess.run([str(EXE), "keygen", "--dir", str(keys)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    private, public = keys / "hq-signing.key.pem", keys / "hq-signing.pub.pem"
    assert private.stat().st_mode & 0o777 == 0o600
    if shutil.which("openssl") is None:
        pytest.fail("openssl is required (installed by .ci/run)")
    message = tmp_path / "m.txt"
    message.write_bytes("回执".encode())
    sig = tmp_path / "m.sig"
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(private), "-rawin",
                    "-in", str(message), "-out", str(sig)], check=True)
    verified = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin",
                               "-in", str(message), "-sigfile", str(sig)], capture_output=True, text=True)
    assert verified.returncode == 0 and "Verified Successfully" in verified.stdout


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    subprocess.run([str(EXE), "keygen", "--dir", str(tmp_path)], check=True, capture_output=True)
    before = (tmp_path / "hq-signing.key.pem").read_bytes()
    again = subprocess.run([str(EXE), "keygen", "--dir", str(tmp_path)], capture_output=True, text=True)
    assert again.returncode == 2 and "未覆盖" in again.stderr
    assert (tmp_path / "hq-signing.key.pem").read_bytes() == before
