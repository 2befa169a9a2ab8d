"""The device identity and the crypto primitives the seals rest on."""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import pytest

from app import crypto
from app.device import PUBLIC_KEY_FILE, DeviceIdentity, DeviceKeyError, DevicePublicKey
from keys_kit import clear_private_key_pem, create_workspace, open_workspace


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
    again = crypto.load_private_key_pem(clear_private_key_pem(key))
    assert crypto.public_key_raw(again.public_key()) == crypto.public_key_raw(key.public_key())
    with pytest.raises(crypto.KeyFormatError):
        crypto.load_public_key_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


def test_device_key_rests_only_wrapped_and_comes_back_at_unlock(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "d")
    device = ws.device
    ws.close()
    files = [p for p in (tmp_path / "d" / "device").iterdir()]
    assert {p.name for p in files} >= {PUBLIC_KEY_FILE, "gate.sqlite", "installation"}
    raw = crypto.private_key_raw(device.private_key)
    for p in (tmp_path / "d").rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert raw not in data and b"PRIVATE KEY" not in data, p
    again = open_workspace(tmp_path / "d")
    assert again.device.device_id == device.device_id
    assert again.device.public.verify(again.device.sign(b"x"), b"x")
    again.close()


def test_device_id_is_derived_from_the_public_key(tmp_path: Path) -> None:
    device = DeviceIdentity.generate(tmp_path)
    der_tail = crypto.public_key_raw(device.public.public_key)
    assert device.device_id == hashlib.sha256(der_tail).hexdigest()[:32]
    loaded = DevicePublicKey.load(tmp_path / "device" / PUBLIC_KEY_FILE)
    assert loaded.device_id == device.device_id
    assert loaded.verify(device.sign(b"x"), b"x")


def test_export_gives_public_key_and_id_for_enrollment(tmp_path: Path) -> None:
    device = DeviceIdentity.generate(tmp_path)
    exported = json.loads(device.export())
    assert exported["device_id"] == device.device_id
    assert DevicePublicKey.from_pem(exported["public_key_pem"].encode()).device_id == device.device_id
    assert "PRIVATE" not in device.export()


def test_mismatched_public_key_is_a_user_facing_error(tmp_path: Path) -> None:
    DeviceIdentity.generate(tmp_path)
    other = tmp_path / "other"
    DeviceIdentity.generate(other)
    # a public key from another device beside this private key
    key = crypto.generate_signing_key()
    (tmp_path / "device" / PUBLIC_KEY_FILE).write_bytes((other / "device" / PUBLIC_KEY_FILE).read_bytes())
    with pytest.raises(DeviceKeyError, match="不匹配") as err:
        DeviceIdentity.from_private_key(tmp_path, key)
    assert err.value.zh and err.value.en
