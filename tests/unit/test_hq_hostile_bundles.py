"""Bundles built to hurt HQ rather than to deliver evidence: each is refused with a reason,
stores nothing, and touches nothing HQ already holds (R17)."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from keys_kit import as_
from app import crypto
from sync.errors import BundleRejected
from tests.unit.bundle_kit import Kit, kit  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("hq_database")  # SQLite and PostgreSQL


def encrypt_tar(kit: Kit, members: list[tarfile.TarInfo | tuple[tarfile.TarInfo, bytes]], out: Path) -> Path:
    """A tar of ``members`` encrypted to HQ, as any holder of HQ's public recipient could make."""
    recipient = (kit.hq_dir / "hq-age.pub").read_text().strip()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for m in members:
            info, data = m if isinstance(m, tuple) else (m, b"")
            tar.addfile(info, io.BytesIO(data) if data else None)
    with open(out, "wb") as fh:
        w = crypto.AgeWriter(fh, recipient)
        w.write(raw.getvalue())
        w.close()
    return out


def test_a_sparse_member_or_one_larger_than_what_follows_is_refused(kit: Kit, tmp_path: Path) -> None:
    info = tarfile.TarInfo("data/evidence/" + "a" * 64)
    info.size = 1 << 30  # declared, never sent: the tar would end early, or be sparse
    sparse = tarfile.TarInfo("bagit.txt")
    sparse.type = tarfile.GNUTYPE_SPARSE
    for members in ([info], [sparse]):
        path = encrypt_tar(kit, members, tmp_path / "hostile.age")
        with pytest.raises(BundleRejected) as refused:
            kit.hq.ingest(path, device_id=kit.device.device_id)
        assert refused.value.code == "not-a-bag"
    assert not any((kit.hq_dir / "incoming").iterdir())  # and nothing was left half-written
    assert kit.hq.counts(kit.device.device_id)["bundles"] == 0


@pytest.mark.parametrize("hostile_id", ["../evidence", "", "someone-else-000002"])
def test_a_bundle_id_that_is_a_path_or_another_device_s_id_is_refused(
        kit: Kit, monkeypatch: pytest.MonkeyPatch, hostile_id: str) -> None:
    """A device signs whatever bag-info it writes; a compromised one could name its bag
    "../evidence" or another device's bundle. HQ requires "<device id>-<sequence>" before
    any file moves, so nothing it holds is touched."""
    from sync import bag, state

    state.apply_receipt(kit.ws, kit.hq.ingest(kit.build("1.age").path, device_id=kit.device.device_id),
                        session=as_(kit.ws, "O01"))
    held = sorted(p.relative_to(kit.hq_dir) for p in kit.hq_dir.rglob("*")
                  if p.is_file() and "incoming" not in p.parts)
    original = bag.bag_info

    def hostile_bag_info(fields: list[tuple[str, str]]) -> bytes:
        return original([(k, hostile_id if k == "FieldInspect-Bundle-Id" else v) for k, v in fields])

    monkeypatch.setattr(bag, "bag_info", hostile_bag_info)
    kit.seal_note(2)
    built = kit.build("2.age")
    assert built.sequence == 2 and not built.resent
    with pytest.raises(BundleRejected) as refused:
        kit.hq.ingest(built.path, device_id=kit.device.device_id)
    assert refused.value.code == "not-a-bag"
    assert sorted(p.relative_to(kit.hq_dir) for p in kit.hq_dir.rglob("*")
                  if p.is_file() and "incoming" not in p.parts) == held
    assert kit.hq.counts(kit.device.device_id)["bundles"] == 1


def test_an_x25519_share_of_zeros_is_an_age_error_not_a_crash(kit: Kit, tmp_path: Path) -> None:
    path = tmp_path / "zero.age"
    header = (b"age-encryption.org/v1\n-> X25519 " + crypto.age._b64(bytes(32)) + b"\n"
              + crypto.age._b64(bytes(32)) + b"\n--- " + crypto.age._b64(bytes(32)) + b"\n")
    path.write_bytes(header + os.urandom(16) + os.urandom(64))
    with pytest.raises(BundleRejected) as refused:
        kit.hq.ingest(path, device_id=kit.device.device_id)
    assert refused.value.code in ("not-age", "ciphertext-altered")
