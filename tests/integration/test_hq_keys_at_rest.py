"""HQ's private keys rest only under its passphrase, and the standard tools still open them.

`fieldinspect-hq keygen` seals the signing key (PKCS#8 PEM) and the age identity with
age's passphrase mode (scrypt): `age -d` opens both after asking for the passphrase
at its terminal, `openssl` signs with the opened PEM, `age -d -i hq-age.key` decrypts
a bundle. Without the passphrase, or with a wrong one, HQ says so and does nothing;
an earlier version's clear keys are refused until `protect-keys` has sealed them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tty_kit import age_decrypt, run_with_terminal

from app import crypto
from app.crypto.age import AGE_INTRO
from keys_kit import clear_private_key_pem
from sync.hq import keys

EXE = Path(sys.executable).parent / "fieldinspect-hq"
PASSPHRASE = os.environ["FIELDINSPECT_HQ_PASSPHRASE"]

pytestmark = pytest.mark.skipif(shutil.which("age") is None or shutil.which("openssl") is None,
                                reason="needs the age and openssl command lines (installed by .ci/run)")


def hq(*args: str | Path, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, input=stdin,
                          env=env if env is not None else os.environ.copy(), timeout=120)


def without_passphrase() -> dict[str, str]:
    env = os.environ.copy()
    for name in (keys.PASSPHRASE_ENV, keys.PASSPHRASE_FILE_ENV, "CREDENTIALS_DIRECTORY"):
        env.pop(name, None)
    return env


def no_private_key_in_the_clear(folder: Path, *secrets: bytes) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"PRIVATE KEY" not in data and b"AGE-SECRET-KEY" not in data, path
            for secret in secrets:
                assert secret not in data, path


def test_keygen_seals_both_keys_which_age_and_openssl_open_with_the_passphrase(tmp_path: Path) -> None:
    folder = tmp_path / "hq"
    made = hq("keygen", "--dir", folder)  # age's own work factor: this is what a real HQ gets
    assert made.returncode == 0, made.stderr
    for name in keys.PRIVATE_FILES:
        assert (folder / name).read_bytes().startswith(AGE_INTRO)
        assert (folder / name).stat().st_mode & 0o777 == 0o600
        assert b"-> scrypt " in (folder / name).read_bytes()[:200]
    assert not (folder / keys.LEGACY_SIGNING_KEY).exists()
    no_private_key_in_the_clear(folder)

    # age asks for the passphrase at its terminal, as for any `age -p` file
    pem = tmp_path / "signing.pem"
    code, said = run_with_terminal(["age", "-d", "-o", str(pem), str(folder / keys.SIGNING_KEY)], [PASSPHRASE])
    assert code == 0, said
    message, sig = tmp_path / "m.txt", tmp_path / "m.sig"
    message.write_bytes("回执".encode())
    subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", str(pem), "-rawin", "-in", str(message),
                    "-out", str(sig)], check=True)
    verified = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(folder / keys.SIGNING_PUB),
                               "-rawin", "-in", str(message), "-sigfile", str(sig)], capture_output=True, text=True)
    assert verified.returncode == 0 and "Verified Successfully" in verified.stdout
    code, said = run_with_terminal(["age", "-d", "-o", str(pem), str(folder / keys.SIGNING_KEY)], ["wrong words"])
    assert code != 0 and b"incorrect passphrase" in said.lower()

    # a file sealed to HQ's recipient opens with `age -d -i hq-age.key`, the identity file as it is
    plain = os.urandom(100_000)
    (tmp_path / "plain").write_bytes(plain)
    subprocess.run(["age", "-r", keys.age_recipient(folder), "-o", str(tmp_path / "x.age"), str(tmp_path / "plain")],
                   check=True)
    assert age_decrypt(folder / keys.AGE_KEY, tmp_path / "x.age", PASSPHRASE) == plain


def test_our_reader_opens_what_age_p_sealed(tmp_path: Path) -> None:
    identity, recipient = crypto.age_generate_identity()
    (tmp_path / "id.txt").write_text(f"{identity}\n")
    code, said = run_with_terminal(["age", "-p", "-o", str(tmp_path / "id.age"), str(tmp_path / "id.txt")],
                                   [PASSPHRASE, PASSPHRASE])
    assert code == 0, said
    assert keys.read_identity_file(tmp_path / "id.age").strip() == identity
    assert crypto.age_recipient_of(keys.read_identity_file(tmp_path / "id.age")) == recipient


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    keys.keygen(tmp_path)
    before = {name: (tmp_path / name).read_bytes() for name in keys.PRIVATE_FILES}
    again = hq("keygen", "--dir", tmp_path)
    assert again.returncode == 2 and "未覆盖" in again.stderr
    assert {name: (tmp_path / name).read_bytes() for name in keys.PRIVATE_FILES} == before


def test_without_a_passphrase_hq_says_so_and_writes_nothing(tmp_path: Path) -> None:
    made = hq("keygen", "--dir", tmp_path / "new", env=without_passphrase())
    assert made.returncode == 2
    assert "未提供口令" in made.stderr and "none was given" in made.stderr and "Traceback" not in made.stderr
    assert not any((tmp_path / "new").glob("*"))

    keys.keygen(tmp_path / "hq")
    for argv in (["pairing", "--dir", tmp_path / "hq", "--out", tmp_path / "offer"],
                 ["serve", "--dir", tmp_path / "hq", "--port", "0"]):
        refused = hq(*argv, env=without_passphrase())
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "未提供口令" in refused.stderr and "Traceback" not in refused.stderr
    assert not (tmp_path / "offer").exists() or not any((tmp_path / "offer").glob("*"))


def test_a_wrong_passphrase_is_refused_with_the_file_named(tmp_path: Path) -> None:
    keys.keygen(tmp_path)
    env = without_passphrase() | {keys.PASSPHRASE_ENV: "not the passphrase"}
    refused = hq("pairing", "--dir", tmp_path, "--out", tmp_path / "offer", env=env)
    assert refused.returncode == 2
    assert "口令不正确" in refused.stderr and "Wrong passphrase" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_passphrase_comes_from_its_file_or_a_systemd_credential(tmp_path: Path) -> None:
    keys.keygen(tmp_path / "hq")
    secret = tmp_path / "secret"
    secret.write_text(PASSPHRASE + "\n")
    secret.chmod(0o600)
    by_file = hq("pairing", "--dir", tmp_path / "hq", "--out", tmp_path / "a",
                 env=without_passphrase() | {keys.PASSPHRASE_FILE_ENV: str(secret)})
    assert by_file.returncode == 0, by_file.stderr
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / keys.CREDENTIAL).write_text(PASSPHRASE)
    by_credential = hq("pairing", "--dir", tmp_path / "hq", "--out", tmp_path / "b",
                       env=without_passphrase() | {"CREDENTIALS_DIRECTORY": str(credentials)})
    assert by_credential.returncode == 0, by_credential.stderr
    missing = hq("pairing", "--dir", tmp_path / "hq", "--out", tmp_path / "c",
                 env=without_passphrase() | {keys.PASSPHRASE_FILE_ENV: str(tmp_path / "nowhere")})
    assert missing.returncode == 2 and "nowhere" in missing.stderr and "Traceback" not in missing.stderr


def test_a_short_new_passphrase_is_refused(tmp_path: Path) -> None:
    made = hq("keygen", "--dir", tmp_path, env=without_passphrase() | {keys.PASSPHRASE_ENV: "short"})
    assert made.returncode == 2 and "至少" in made.stderr
    assert not any(tmp_path.glob("hq-*"))


def test_an_earlier_versions_clear_keys_are_refused_until_protected_in_place(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    key = crypto.generate_signing_key()
    clear_pem = clear_private_key_pem(key)
    (folder / keys.LEGACY_SIGNING_KEY).write_bytes(clear_pem)
    (folder / keys.SIGNING_PUB).write_bytes(crypto.public_key_pem(key.public_key()))
    identity, recipient = crypto.age_generate_identity()
    (folder / keys.AGE_KEY).write_text(f"# public key: {recipient}\n{identity}\n")
    (folder / keys.AGE_PUB).write_text(recipient + "\n")
    fingerprint = keys.fingerprint(folder)

    refused = hq("pairing", "--dir", folder, "--out", tmp_path / "offer")
    assert refused.returncode == 2 and "protect-keys" in refused.stderr and "明文" in refused.stderr

    protected = hq("protect-keys", "--dir", folder)
    assert protected.returncode == 0, protected.stderr
    assert not (folder / keys.LEGACY_SIGNING_KEY).exists()
    no_private_key_in_the_clear(folder, crypto.private_key_raw(key), identity.encode())
    assert keys.fingerprint(folder) == fingerprint and keys.age_recipient(folder) == recipient
    opened = keys.signing_key(folder)
    assert crypto.public_key_raw(opened.public_key()) == crypto.public_key_raw(key.public_key())
    assert keys.age_identity(folder).strip().endswith(identity)
    assert hq("pairing", "--dir", folder, "--out", tmp_path / "offer").returncode == 0
    assert "没有明文私钥" in hq("protect-keys", "--dir", folder).stdout  # a second run finds nothing to do


def test_a_process_opens_each_key_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys.keygen(tmp_path)
    opened: list[str] = []
    real = keys._unseal
    monkeypatch.setattr(keys, "_unseal", lambda path, data, secret: opened.append(path.name) or real(path, data, secret))
    for _ in range(3):
        keys.signing_key(tmp_path)
        keys.age_identity(tmp_path)
    assert sorted(opened) == sorted(keys.PRIVATE_FILES)
