"""The files of an HQ folder that hold its keys (made by ``fieldinspect-hq keygen``).

- ``hq-signing.key.pem`` / ``hq-signing.pub.pem``: Ed25519; HQ signs receipts and
  reference data with it, devices pin the public key.
- ``hq-age.key`` / ``hq-age.pub``: the X25519 age identity (``AGE-SECRET-KEY-1…``,
  the file format ``age-keygen`` writes) and its recipient (``age1…``); devices
  encrypt bundles to the recipient.
"""

from __future__ import annotations

from pathlib import Path

from app import crypto
from app.atomic_files import write_new_file

SIGNING_KEY = "hq-signing.key.pem"
SIGNING_PUB = "hq-signing.pub.pem"
AGE_KEY = "hq-age.key"
AGE_PUB = "hq-age.pub"


def keygen(folder: Path) -> str:
    """Create the keys of a new HQ folder; refuse to overwrite any; return the signing-key fingerprint.

    A folder made before the age identity existed gets its age identity added.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / SIGNING_KEY).exists() and (folder / AGE_KEY).exists():
        raise FileExistsError(folder / SIGNING_KEY)
    if not (folder / SIGNING_KEY).exists():
        key = crypto.generate_signing_key()
        write_new_file(folder / SIGNING_KEY, crypto.private_key_pem(key), mode=0o600)
        write_new_file(folder / SIGNING_PUB, crypto.public_key_pem(key.public_key()), mode=0o644)
    if not (folder / AGE_KEY).exists():
        identity, recipient = crypto.age_generate_identity()
        write_new_file(folder / AGE_KEY, f"# public key: {recipient}\n{identity}\n".encode("ascii"), mode=0o600)
        write_new_file(folder / AGE_PUB, f"{recipient}\n".encode("ascii"), mode=0o644)
    return fingerprint(folder)


def fingerprint(folder: Path) -> str:
    """SHA-256 of the raw 32-byte HQ signing public key."""
    key = crypto.load_public_key_pem((folder / SIGNING_PUB).read_bytes())
    return crypto.sha256_hex(crypto.public_key_raw(key))


def signing_key(folder: Path) -> crypto.SigningKey:
    return crypto.load_private_key_pem((folder / SIGNING_KEY).read_bytes())


def age_identity(folder: Path) -> str:
    return (folder / AGE_KEY).read_text(encoding="ascii")


def age_recipient(folder: Path) -> str:
    return (folder / AGE_PUB).read_text(encoding="ascii").strip()
