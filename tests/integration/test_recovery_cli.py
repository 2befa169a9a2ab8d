"""Losing the key store does not lose the evidence: HQ re-keys the folder (``fieldinspect-hq recover``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.keystore import OsKeyStore

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


def run(*args: str, pin: str | None = "100101", stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("FIELDINSPECT_OFFICER", None)
    if pin is None:
        env.pop("FIELDINSPECT_PIN", None)
    else:
        env["FIELDINSPECT_PIN"] = pin
    return subprocess.run([str(BIN / args[0]), *args[1:]], input=stdin, capture_output=True, text=True,
                          env=env, timeout=300)


def test_hq_recovers_a_folder_whose_key_store_was_lost(tmp_path: Path) -> None:
    data, hq, copy = tmp_path / "data", tmp_path / "hq", tmp_path / "copy"
    assert run("fieldinspect", "demo", "--data", str(data)).returncode == 0
    assert run("fieldinspect-hq", "keygen", "--dir", str(hq)).returncode == 0
    unpaired = run("fieldinspect-hq", "recover", "--dir", str(hq), "--data", str(data), "--person", "L01",
                   stdin="583920\n583920\n")
    assert unpaired.returncode == 2 and "never paired" in unpaired.stderr
    paired = run("fieldinspect", "pair", "--hq-dir", str(hq), "--by", "O01", "--data", str(data))
    assert paired.returncode == 0, paired.stderr
    assert (data / "device" / "recovery.age").is_file()
    before = run("fieldinspect", "verify", str(data), "--officer", "O01")
    assert before.returncode == 0, before.stdout + before.stderr

    installation = (data / "device" / "installation").read_text().strip()
    OsKeyStore().delete(installation)  # the key store is lost (a reinstalled OS, a new profile)
    lost = run("fieldinspect", "status", "--officer", "O01", "--data", str(data))
    assert lost.returncode == 2 and "key store" in lost.stderr and "recover" in lost.stderr

    other_hq = tmp_path / "other-hq"
    assert run("fieldinspect-hq", "keygen", "--dir", str(other_hq)).returncode == 0
    foreign = run("fieldinspect-hq", "recover", "--dir", str(other_hq), "--data", str(data), "--person", "L01",
                  stdin="583920\n583920\n")
    assert foreign.returncode == 2 and "does not open" in foreign.stderr
    trivial = run("fieldinspect-hq", "recover", "--dir", str(hq), "--data", str(data), "--person", "L01",
                  stdin="123456\n123456\n")
    assert trivial.returncode == 2 and (data / "device" / "installation").read_text().strip() == installation

    done = run("fieldinspect-hq", "recover", "--dir", str(hq), "--data", str(data), "--person", "L01",
               stdin="583920\n583920\n")
    assert done.returncode == 0, done.stderr
    assert (data / "device" / "installation").read_text().strip() != installation
    status = run("fieldinspect", "status", "--officer", "L01", "--data", str(data), pin="583920")
    assert status.returncode == 0, status.stdout + status.stderr
    after = run("fieldinspect", "verify", str(data), "--officer", "L01", pin="583920")
    assert after.returncode == 0 and after.stdout.splitlines()[1:3] == before.stdout.splitlines()[1:3]
    old_pin = run("fieldinspect", "status", "--officer", "O01", "--data", str(data))
    assert old_pin.returncode == 2 and "no PIN yet" in old_pin.stderr  # every other PIN is issued again
    assert "custody.recovered" in subprocess.run(
        [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[2]); from keys_kit import open_workspace;"
         "ws = open_workspace(sys.argv[1], person='L01', pin='583920');"
         "print(' '.join(e.action for e in ws.audit.repo.entries()))", str(data), os.environ["FIELDINSPECT_TESTS"]],
        capture_output=True, text=True).stdout
