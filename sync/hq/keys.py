"""The files of an HQ folder that hold its keys (made by ``fieldinspect-hq keygen``).

- ``hq-signing.key.age`` / ``hq-signing.pub.pem``: Ed25519; HQ signs receipts and
  reference data with it, devices pin the public key. The private key is its PKCS#8
  PEM inside an age file protected by HQ's passphrase (scrypt), so
  ``age -d hq-signing.key.age | openssl pkey`` reads it.
- ``hq-age.key`` / ``hq-age.pub``: the X25519 age identity (``AGE-SECRET-KEY-1…``)
  and its recipient (``age1…``); devices encrypt bundles to the recipient. The
  identity file is protected by the same passphrase, as ``age-keygen | age -p``
  writes it, which ``age -d -i hq-age.key`` opens after asking for the passphrase.

No private key is written in the clear. The passphrase comes from a file named by
``FIELDINSPECT_HQ_PASSPHRASE_FILE``, or a systemd credential named
``fieldinspect-hq-passphrase`` (``LoadCredentialEncrypted=``), or
``FIELDINSPECT_HQ_PASSPHRASE``, or is asked for at the terminal; with none of them
HQ says so and stops. A process opens each key file once and keeps the key in
memory. Folders of earlier versions kept both keys in the clear: they are refused
until ``fieldinspect-hq protect-keys`` has encrypted them in place.
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path
from typing import Any

from app import crypto
from app.atomic_files import fsync_dir, write_new_file
from app.crypto.age import AGE_INTRO, SCRYPT_LOG_N, AgeError, AgeReader, AgeWriter
from local_db.errors import UserFacingError

SIGNING_KEY = "hq-signing.key.age"
SIGNING_PUB = "hq-signing.pub.pem"
AGE_KEY = "hq-age.key"
AGE_PUB = "hq-age.pub"
# An earlier version's signing key, a PKCS#8 PEM in the clear (its identity file kept the name).
LEGACY_SIGNING_KEY = "hq-signing.key.pem"
PRIVATE_FILES = (SIGNING_KEY, AGE_KEY)

PASSPHRASE_ENV = "FIELDINSPECT_HQ_PASSPHRASE"
PASSPHRASE_FILE_ENV = "FIELDINSPECT_HQ_PASSPHRASE_FILE"
CREDENTIAL = "fieldinspect-hq-passphrase"
PASSPHRASE_MIN = 12
# scrypt's work factor for new key files (age's default); tests set a lower one.
WORK_FACTOR = SCRYPT_LOG_N

_opened: dict[tuple[str, int, int], Any] = {}
_lock = threading.Lock()


class HqKeyError(UserFacingError):
    """HQ's keys cannot be opened (no passphrase, a wrong one, or keys kept in the clear)."""


class PassphraseMissing(HqKeyError):
    def __init__(self) -> None:
        super().__init__(
            "总部私钥受口令保护，但未提供口令：请设置 FIELDINSPECT_HQ_PASSPHRASE_FILE（口令文件）、"
            f"systemd 凭据 {CREDENTIAL}，或在终端中运行以输入口令。私钥不会以明文保存或使用。",
            "HQ's private keys are protected by a passphrase and none was given: set "
            f"FIELDINSPECT_HQ_PASSPHRASE_FILE (a file holding it), provide the systemd credential {CREDENTIAL}, "
            "or run this at a terminal to type it. The keys are never stored or used in the clear.")


class PassphraseWrong(HqKeyError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"口令不正确，无法打开总部私钥 {path}。", f"Wrong passphrase: HQ's key {path} does not open.")


class PassphraseWeak(HqKeyError):
    def __init__(self) -> None:
        super().__init__(f"总部私钥口令至少 {PASSPHRASE_MIN} 个字符。未生成任何密钥。",
                         f"HQ's key passphrase has at least {PASSPHRASE_MIN} characters. No key was made.")


class KeysInTheClear(HqKeyError):
    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"总部目录 {folder} 中的私钥仍为明文（早期版本生成）。请先运行 fieldinspect-hq protect-keys --dir {folder} "
            "以口令加密，之后才能使用。",
            f"The private keys in HQ folder {folder} are still in the clear (made by an earlier version). Run "
            f"fieldinspect-hq protect-keys --dir {folder} to encrypt them with a passphrase before using them.")


class KeyFileDamaged(HqKeyError):
    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"总部私钥文件 {path} 无法读取：{why}", f"HQ's key file {path} cannot be read: {why}")


# --- the passphrase -------------------------------------------------------------------


def passphrase(*, new: bool = False) -> str:
    """HQ's key passphrase: from the file, the credential, the variable, or the terminal."""
    named = os.environ.get(PASSPHRASE_FILE_ENV)
    credentials = os.environ.get("CREDENTIALS_DIRECTORY")
    for path in (named, os.path.join(credentials, CREDENTIAL) if credentials else None):
        if path and (named == path or os.path.exists(path)):
            try:
                text = Path(path).read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or str(exc)
                raise HqKeyError(f"无法读取口令文件 {path}：{why}", f"The passphrase file {path} cannot be read: {why}") from None
            return _checked(text.rstrip("\r\n"), new=new)
    if os.environ.get(PASSPHRASE_ENV):
        return _checked(os.environ[PASSPHRASE_ENV], new=new)
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        typed = getpass.getpass("总部私钥口令 / HQ key passphrase: ")
        if new and getpass.getpass("再次输入 / again: ") != typed:
            raise HqKeyError("两次输入的口令不一致，未生成任何密钥。", "The two passphrases differ; no key was made.")
        return _checked(typed, new=new)
    raise PassphraseMissing()


def _checked(text: str, *, new: bool) -> str:
    if not text:
        raise PassphraseMissing()
    if new and len(text) < PASSPHRASE_MIN:
        raise PassphraseWeak()
    return text


# --- making and protecting ------------------------------------------------------------


def keygen(folder: Path, secret: str | None = None) -> str:
    """Create the keys of a new HQ folder; refuse to overwrite any; return the signing-key fingerprint.

    A folder made before the age identity existed gets its age identity added.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / LEGACY_SIGNING_KEY).exists():
        raise KeysInTheClear(folder)
    if (folder / SIGNING_KEY).exists() and (folder / AGE_KEY).exists():
        raise FileExistsError(folder / SIGNING_KEY)
    secret = secret if secret is not None else passphrase(new=True)
    if not (folder / SIGNING_KEY).exists():
        key = crypto.generate_signing_key()
        _write_file(folder / SIGNING_KEY, crypto.seal_private_key(key, secret, work_factor=WORK_FACTOR))
        write_new_file(folder / SIGNING_PUB, crypto.public_key_pem(key.public_key()), mode=0o644)
    if not (folder / AGE_KEY).exists():
        identity, recipient = crypto.age_generate_identity()
        _write_sealed(folder / AGE_KEY, _identity_text(identity, recipient), secret)
        write_new_file(folder / AGE_PUB, f"{recipient}\n".encode("ascii"), mode=0o644)
    return fingerprint(folder)


def protect(folder: Path, secret: str | None = None) -> list[str]:
    """Encrypt an earlier version's keys in place with a passphrase; the names of the files protected.

    Each sealed file is written and made durable before its clear original is removed,
    so a cut at any point leaves a folder that opens (with the clear key or the sealed one).
    """
    done: list[str] = []
    plain_identity = (folder / AGE_KEY).exists() and not _sealed(folder / AGE_KEY)
    if not (folder / LEGACY_SIGNING_KEY).exists() and not plain_identity:
        return done
    secret = secret if secret is not None else passphrase(new=True)
    legacy = folder / LEGACY_SIGNING_KEY
    if legacy.exists():
        key = crypto.load_private_key_pem(legacy.read_bytes())
        if (folder / SIGNING_KEY).exists():  # sealed by a run that was cut before removing the original
            (folder / SIGNING_KEY).unlink()
        _write_file(folder / SIGNING_KEY, crypto.seal_private_key(key, secret, work_factor=WORK_FACTOR))
        _shred(legacy)
        done.append(SIGNING_KEY)
    if plain_identity:
        text = (folder / AGE_KEY).read_text("ascii")
        identity = next(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
        sealed = folder / (AGE_KEY + ".new")
        sealed.unlink(missing_ok=True)
        _write_sealed(sealed, _identity_text(identity, crypto.age_recipient_of(text)), secret)
        os.replace(sealed, folder / AGE_KEY)
        fsync_dir(folder)
        done.append(AGE_KEY)
    return done


def _write_sealed(path: Path, plain: bytes, secret: str) -> None:
    out = io.BytesIO()
    with AgeWriter(out, passphrase=secret, work_factor=WORK_FACTOR) as writer:
        writer.write(plain)
    _write_file(path, out.getvalue())


def _write_file(path: Path, sealed: bytes) -> None:
    write_new_file(path, sealed, mode=0o600)
    fsync_dir(path.parent)


def _shred(path: Path) -> None:
    """Overwrite a clear key file before removing it (what a file system keeps of it is beyond reach)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as fh:
            fh.write(os.urandom(size))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink()
    fsync_dir(path.parent)


def _identity_text(identity: str, recipient: str) -> bytes:
    return f"# public key: {recipient}\n{identity}\n".encode("ascii")


def _sealed(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(AGE_INTRO)) == AGE_INTRO


# --- reading --------------------------------------------------------------------------


def fingerprint(folder: Path) -> str:
    """SHA-256 of the raw 32-byte HQ signing public key."""
    key = crypto.load_public_key_pem((folder / SIGNING_PUB).read_bytes())
    return crypto.sha256_hex(crypto.public_key_raw(key))


def unlock(folder: Path) -> None:
    """Open both private keys now (a server does this before it listens)."""
    signing_key(folder)
    age_identity(folder)


def signing_key(folder: Path) -> crypto.SigningKey:
    return _open(folder, SIGNING_KEY, lambda plain: crypto.load_private_key_pem(plain))


def age_identity(folder: Path) -> str:
    return _open(folder, AGE_KEY, lambda plain: plain.decode("ascii"))


def read_identity_file(path: Path) -> str:
    """An age identity file's text, whether protected by a passphrase or not (``--hq-identity``)."""
    data = path.read_bytes()
    if not data.startswith(AGE_INTRO):
        return data.decode("ascii")
    return _unseal(path, data, passphrase()).decode("ascii")


def age_recipient(folder: Path) -> str:
    return (folder / AGE_PUB).read_text(encoding="ascii").strip()


def _open(folder: Path, name: str, load: Any) -> Any:
    path = Path(folder) / name
    if (Path(folder) / LEGACY_SIGNING_KEY).exists():
        raise KeysInTheClear(Path(folder))
    st = path.stat()  # a missing file: OSError, as before
    handle = (str(path.resolve()), st.st_ino, st.st_mtime_ns)
    with _lock:
        if handle in _opened:
            return _opened[handle]
        data = path.read_bytes()
        if not data.startswith(AGE_INTRO):
            raise KeysInTheClear(Path(folder))
        try:
            value = load(_unseal(path, data, passphrase()))
        except (ValueError, UnicodeDecodeError) as exc:  # opened, but not a key of the expected kind
            raise KeyFileDamaged(path, str(exc)) from None
        _opened[handle] = value
        return value


def _unseal(path: Path, data: bytes, secret: str) -> bytes:
    try:
        return AgeReader(io.BytesIO(data), passphrase=secret).read()
    except AgeError as exc:
        if "wrong passphrase" in str(exc):
            raise PassphraseWrong(path) from None
        raise KeyFileDamaged(path, str(exc)) from None
