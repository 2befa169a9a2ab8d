"""The device identity: one Ed25519 key pair per installation.

The public key lives in ``<data>/device/device.pub.pem``; the private key rests only
wrapped by the device master key (``app.custody``) and is in memory while someone is
signed in. It signs every seal record made on this device; the public key is
enrolled at HQ (see :meth:`DeviceIdentity.export`) and is all a third party needs
to check the seals (docs/FORMATS.md).

The device id is derived from the public key — the first 32 hex digits of the
SHA-256 of its 32 raw bytes — so it cannot be claimed by another key.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from app import crypto
from app.atomic_files import write_new_file
from local_db.errors import UserFacingError

DEVICE_DIR = "device"
LEGACY_PRIVATE_KEY_FILE = "device.key.pem"  # an earlier version kept the key in the clear here
PUBLIC_KEY_FILE = "device.pub.pem"
EXPORT_FORMAT = "fieldinspect.device/1"
DEVICE_ID_HEX_DIGITS = 32


class DeviceKeyError(UserFacingError):
    """The device key files are missing, damaged or do not belong together."""

    def __init__(self, path: Path, reason_zh: str, reason_en: str) -> None:
        super().__init__(
            f"设备密钥无法使用：{path}（{reason_zh}）。\n证据无法封存；文件未作任何改动，请联系技术支持。",
            f"The device key cannot be used: {path} ({reason_en}).\n"
            "Evidence cannot be sealed; the files have not been changed. Contact support.",
        )
        self.path = path


def device_id_for(public_key: crypto.VerifyKey) -> str:
    """The device id belonging to ``public_key`` (see the module docstring)."""
    return crypto.sha256_hex(crypto.public_key_raw(public_key))[:DEVICE_ID_HEX_DIGITS]


def device_folder(data_folder: Path) -> Path:
    """Where the key pair of the installation using ``data_folder`` is kept."""
    return Path(data_folder) / DEVICE_DIR


@dataclass(frozen=True)
class DevicePublicKey:
    """What a verifier knows of a device: its public key and id."""

    public_key: crypto.VerifyKey
    device_id: str
    public_pem: bytes

    @classmethod
    def from_pem(cls, pem: bytes) -> DevicePublicKey:
        key = crypto.load_public_key_pem(pem)
        return cls(public_key=key, device_id=device_id_for(key), public_pem=crypto.public_key_pem(key))

    @classmethod
    def load(cls, path: Path) -> DevicePublicKey:
        """Read a public key PEM file (``<data>/device/device.pub.pem`` or one enrolled at HQ)."""
        try:
            return cls.from_pem(Path(path).read_bytes())
        except FileNotFoundError:
            raise DeviceKeyError(path, "公钥文件不存在", "the public key file does not exist") from None
        except crypto.KeyFormatError as exc:
            raise DeviceKeyError(path, "不是 Ed25519 公钥", f"not an Ed25519 public key: {exc}") from None

    def verify(self, signature: bytes, data: bytes) -> bool:
        return crypto.verify_signature(self.public_key, signature, data)


@dataclass(frozen=True)
class DeviceIdentity:
    """This installation's signing key, with its public half and id."""

    folder: Path
    private_key: crypto.SigningKey
    public: DevicePublicKey

    @property
    def device_id(self) -> str:
        return self.public.device_id

    @property
    def public_key_pem(self) -> bytes:
        return self.public.public_pem

    @classmethod
    def from_private_key(cls, data_folder: Path, key: crypto.SigningKey) -> DeviceIdentity:
        """The identity of ``key`` (unwrapped by the key custody); writes the public half if missing.

        The private key is never written here: it rests only wrapped by the device
        master key (``app.custody``).
        """
        folder = device_folder(data_folder)
        pub = key.public_key()
        identity = cls(folder=folder, private_key=key,
                       public=DevicePublicKey(pub, device_id_for(pub), crypto.public_key_pem(pub)))
        public_path = folder / PUBLIC_KEY_FILE
        if not public_path.exists():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                write_new_file(public_path, identity.public_key_pem, mode=0o644)
            except FileExistsError:
                pass
        if DevicePublicKey.load(public_path).device_id != identity.device_id:
            raise DeviceKeyError(public_path, "公钥与私钥不匹配", "the public key does not match the private key")
        return identity

    @classmethod
    def generate(cls, data_folder: Path) -> DeviceIdentity:
        """A new key pair for ``data_folder`` (its public half written there), held in memory.

        A data folder's own identity comes from its key custody, which keeps the
        private key wrapped by the master key (``app.custody``).
        """
        return cls.from_private_key(data_folder, crypto.generate_signing_key())

    def sign(self, data: bytes) -> bytes:
        """Ed25519 signature of ``data`` with the device key."""
        return crypto.sign(self.private_key, data)

    def export(self) -> str:
        """JSON for enrollment at HQ: the public key PEM and the device id."""
        return json.dumps({
            "format": EXPORT_FORMAT,
            "algorithm": "Ed25519",
            "device_id": self.device_id,
            "public_key_pem": self.public_key_pem.decode("ascii"),
        }, ensure_ascii=False, indent=2, sort_keys=True)
