"""The device identity and the crypto primitives the seals rest on."""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from pathlib import Path

import pytest

from app import crypto
from app.device import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, DeviceIdentity, DeviceKeyError, DevicePublicKey


class CountingReader(io.RawIOBase):
    """A source that counts every byte handed out, to prove a single pass."""

    def __init__(self, data: bytes) -> None:
        self._inner = io.BytesIO(data)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        n = self._inner.readinto(buffer)
        self.bytes_read += n
        return n


@pytest.mark.parametrize("size", [0, 1, 1 << 20, (1 << 20) + 7, 3 * (1 << 20) - 1])
def test_copy_hashing_hashes_what_it_copies_in_one_pass(size: int) -> None:
    data = os.urandom(size)
    src, dst = CountingReader(data), io.BytesIO()
    steps = crypto.copy_hashing(src, dst)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            digest, n = stop.value
            break
    assert (digest, n) == (hashlib.sha256(data).hexdigest(), size)
    assert dst.getvalue() == data
    assert src.bytes_read == size  # read exactly once
    assert progress == sorted(progress) and (not progress or progress[-1] == size)


def test_sign_and_verify_and_pem_round_trip() -> None:
    key = crypto.generate_signing_key()
    sig = crypto.sign(key, b"record")
    assert len(sig) == 64
    pub = crypto.load_public_key_pem(crypto.public_key_pem(key.public_key()))
    assert crypto.verify_signature(pub, sig, b"record")
    assert not crypto.verify_signature(pub, sig, b"recorD")
    again = crypto.load_private_key_pem(crypto.private_key_pem(key))
    assert crypto.public_key_raw(again.public_key()) == crypto.public_key_raw(key.public_key())
    with pytest.raises(crypto.KeyFormatError):
        crypto.load_public_key_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


def test_device_key_created_once_owner_only(tmp_path: Path) -> None:
    device = DeviceIdentity.load_or_create(tmp_path)
    private = tmp_path / "device" / PRIVATE_KEY_FILE
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert not list((tmp_path / "device").glob("*.tmp"))  # the atomic write left no temp file
    again = DeviceIdentity.load_or_create(tmp_path)
    assert again.device_id == device.device_id
    assert private.read_bytes() == crypto.private_key_pem(again.private_key)


def test_device_id_is_derived_from_the_public_key(tmp_path: Path) -> None:
    device = DeviceIdentity.load_or_create(tmp_path)
    der_tail = crypto.public_key_raw(device.public.public_key)
    assert device.device_id == hashlib.sha256(der_tail).hexdigest()[:32]
    loaded = DevicePublicKey.load(tmp_path / "device" / PUBLIC_KEY_FILE)
    assert loaded.device_id == device.device_id
    assert loaded.verify(device.sign(b"x"), b"x")


def test_export_gives_public_key_and_id_for_enrollment(tmp_path: Path) -> None:
    device = DeviceIdentity.load_or_create(tmp_path)
    exported = json.loads(device.export())
    assert exported["device_id"] == device.device_id
    assert DevicePublicKey.from_pem(exported["public_key_pem"].encode()).device_id == device.device_id
    assert "PRIVATE" not in device.export()


def test_readable_private_key_is_refused_not_fixed(tmp_path: Path) -> None:
    DeviceIdentity.load_or_create(tmp_path)
    private = tmp_path / "device" / PRIVATE_KEY_FILE
    private.chmod(0o644)
    with pytest.raises(DeviceKeyError) as err:
        DeviceIdentity.load_or_create(tmp_path)
    assert "0600" in err.value.en
    assert stat.S_IMODE(private.stat().st_mode) == 0o644


def test_damaged_or_mismatched_key_is_a_user_facing_error(tmp_path: Path) -> None:
    DeviceIdentity.load_or_create(tmp_path)
    other = tmp_path / "other"
    DeviceIdentity.load_or_create(other)
    # a public key from another device beside this private key
    (tmp_path / "device" / PUBLIC_KEY_FILE).write_bytes((other / "device" / PUBLIC_KEY_FILE).read_bytes())
    with pytest.raises(DeviceKeyError, match="不匹配"):
        DeviceIdentity.load_or_create(tmp_path)
    (other / "device" / PRIVATE_KEY_FILE).write_bytes(b"not a key")
    with pytest.raises(DeviceKeyError) as err:
        DeviceIdentity.load_or_create(other)
    assert err.value.zh and err.value.en
