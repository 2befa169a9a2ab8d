"""Building bundles and applying receipts on the device (R17, R18, R19)."""

from __future__ import annotations

import json

import io
import os
import tarfile
from pathlib import Path

import pytest

from keys_kit import as_
from app import crypto
from app.evidence.store import EvidenceStore
from local_db.sync_repository import SyncRepository
from sync import bag, bundle, state
from sync.errors import NothingToSend, NotPaired, ReceiptInvalid
from sync.hq import keys
from sync.receipt import SignedReceipt
from tests.unit.bundle_kit import Kit, kit  # noqa: F401  (fixture)


def _members(k: Kit, path: Path) -> dict[str, bytes]:
    with open(path, "rb") as fh:
        reader = crypto.AgeReader(fh, keys.age_identity(k.hq_dir))
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            return {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]


def test_age_round_trip_streams_any_length() -> None:
    """The age writer/reader pair round-trips lengths around the 64 KiB chunk edge."""
    identity, recipient = crypto.age_generate_identity()
    for n in (0, 1, crypto.AGE_CHUNK - 1, crypto.AGE_CHUNK, crypto.AGE_CHUNK + 1, 3 * crypto.AGE_CHUNK):
        data = os.urandom(n)
        out = io.BytesIO()
        with crypto.AgeWriter(out, recipient) as w:
            for i in range(0, n, 7000):
                w.write(data[i:i + 7000])
        assert crypto.AgeReader(io.BytesIO(out.getvalue()), identity).read() == data


def test_age_reader_refuses_truncated_and_altered() -> None:
    identity, recipient = crypto.age_generate_identity()
    out = io.BytesIO()
    with crypto.AgeWriter(out, recipient) as w:
        w.write(os.urandom(3 * crypto.AGE_CHUNK))
    blob = out.getvalue()
    for bad in (blob[:-1], blob[:-crypto.AGE_CHUNK - 16], blob[:len(blob) // 2] + b"x" + blob[len(blob) // 2 + 1:]):
        with pytest.raises(crypto.AgeError):
            crypto.AgeReader(io.BytesIO(bad), identity).read()
    other, _ = crypto.age_generate_identity()
    with pytest.raises(crypto.AgeError):
        crypto.AgeReader(io.BytesIO(blob), other)


def test_bundle_holds_everything_unacknowledged_in_streaming_order(kit: Kit) -> None:
    """R17: originals travel with their seal records; tag files come first, originals last."""
    sha = kit.seal_file(200_000)
    info = kit.build()
    members = _members(kit, info.path)
    names = list(members)
    assert names[:len(bag.TAG_ORDER)] == list(bag.TAG_ORDER)
    assert names[-1] == bag.evidence_path(sha)
    with EvidenceStore(kit.ws.folder, kit.ws.master).open(sha) as original:
        assert members[bag.evidence_path(sha)] == original.read()  # the bag holds the plaintext
    assert bag.seal_path(1) in members and bag.AUDIT_FILE in members
    assert bag.inspection_path("JC-2026-1101") in members
    info_fields = bag.parse_bag_info(members[bag.BAG_INFO])
    assert info_fields["FieldInspect-Device-Id"] == kit.device.device_id
    assert info_fields["FieldInspect-Seal-Range"] == "1-1"
    assert info_fields["FieldInspect-Officer-Id"] == "O01"
    assert kit.device.public.verify(members[bag.SIGNATURE], members[bag.TAGMANIFEST])
    # the signed chain head names the last seal and audit entry the bag carries
    head = json.loads(members[bag.CHAIN_HEAD])
    assert kit.device.public.verify(members[bag.CHAIN_HEAD_SIG], members[bag.CHAIN_HEAD])
    last_audit = json.loads(members[bag.AUDIT_FILE].splitlines()[-1])
    assert (head["seal_seq"], head["audit_seq"], head["audit_hash"]) == (1, last_audit["seq"], last_audit["hash"])
    assert head["problems"] == []
    assert info.size == info.path.stat().st_size and info.sha256 == crypto.sha256_file(info.path)[0]


def test_unacknowledged_bundle_is_resent_not_rebuilt(kit: Kit) -> None:
    """The same bundle (same bytes) goes again until HQ acknowledges it."""
    kit.seal_note(1)
    first = kit.build("a.age")
    kit.seal_note(2)  # new work does not change the bundle in flight
    again = kit.build("b.age")
    assert again.resent and again.bundle_id == first.bundle_id
    assert again.path.read_bytes() == first.path.read_bytes()
    same_place = bundle.run(bundle.build_bundle(kit.ws, first.path, device=kit.device, session=as_(kit.ws, "O01")))
    assert same_place.resent and same_place.sha256 == first.sha256


def test_receipt_marks_synced_and_next_bundle_holds_only_new(kit: Kit) -> None:
    """R18/R19: a verified receipt acknowledges; originals stay on the device afterwards."""
    sha1 = kit.seal_note(1)
    receipt = kit.hq.ingest(kit.build("1.age").path, device_id=kit.device.device_id)
    fields = state.apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01"))
    assert fields["evidence"] == [sha1]
    assert state.is_evidence_synced(kit.ws, 1)
    assert EvidenceStore(kit.ws.folder, kit.ws.master).exists(sha1)  # R19: nothing deleted on acknowledgement
    assert state.apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01")) == fields  # idempotent
    with pytest.raises(NothingToSend):
        kit.build("2.age")
    sha2 = kit.seal_note(2)
    second = kit.build("3.age")
    assert second.sequence == 2 and second.seal_range == (2, 2)
    members = _members(kit, second.path)
    assert [n for n in members if n.startswith("data/evidence/")] == [bag.evidence_path(sha2)]
    summary = state.pending_summary(kit.ws)
    assert summary.pending_evidence == 1 and summary.outstanding["id"] == second.bundle_id
    assert summary.acknowledged[0]["sequence"] == 1


def test_receipt_with_a_bad_signature_changes_nothing(kit: Kit) -> None:
    kit.seal_note(1)
    receipt = kit.hq.ingest(kit.build().path, device_id=kit.device.device_id)
    forged = SignedReceipt(receipt.body.replace(b'"seal_seq":1', b'"seal_seq":9'), receipt.signature)
    with pytest.raises(ReceiptInvalid) as err:
        state.apply_receipt(kit.ws, forged, session=as_(kit.ws, "O01"))
    assert "signature" in err.value.en and "签名" in err.value.zh
    assert SyncRepository(kit.ws.db).acknowledged_heads() == (0, 0)


def test_receipt_from_another_hq_is_refused(kit: Kit, tmp_path: Path) -> None:
    from sync.hq.store import HqStore

    kit.seal_note(1)
    info = kit.build()
    keys.keygen(tmp_path / "other")
    other = HqStore(tmp_path / "other")
    body = kit.hq.ingest(info.path, device_id=kit.device.device_id).body
    fake = SignedReceipt(body, crypto.sign(keys.signing_key(tmp_path / "other"), body))
    with pytest.raises(ReceiptInvalid):
        state.apply_receipt(kit.ws, fake, session=as_(kit.ws, "O01"))
    other.close()


def test_rejection_is_kept_and_the_next_build_makes_a_new_bundle(kit: Kit) -> None:
    kit.seal_note(1)
    first = kit.build("a.age")
    state.record_rejection(kit.ws, first.bundle_id, "seal-gap", "封存链不连续", "seal chain gap", session=as_(kit.ws, "O01"))
    second = kit.build("b.age")
    assert not second.resent and second.sequence == 2 and second.seal_range == (1, 1)
    summary = state.pending_summary(kit.ws)
    assert summary.rejections[0]["code"] == "seal-gap"


def test_lost_bundle_file_is_superseded(kit: Kit) -> None:
    kit.seal_note(1)
    first = kit.build("a.age")
    first.path.unlink()
    second = kit.build("b.age")
    assert second.bundle_id != first.bundle_id and not second.resent
    assert SyncRepository(kit.ws.db).bundle(first.bundle_id)["state"] == "superseded"


def test_bundle_needs_pairing(demo_workspace, tmp_path: Path) -> None:
    from app.device import DeviceIdentity

    device = demo_workspace.device
    with pytest.raises(NotPaired) as err:
        bundle.run(bundle.build_bundle(demo_workspace, tmp_path / "x.age", device=device, session=as_(demo_workspace, "O01")))
    assert "pair" in err.value.en and "配对" in err.value.zh
    assert not (tmp_path / "x.age").exists()


def test_signed_receipt_json_round_trip() -> None:
    r = SignedReceipt(b'{"a":1}', b"\x01" * 64)
    assert SignedReceipt.from_json(r.to_json()) == r
    with pytest.raises(ValueError):
        SignedReceipt.from_json(b"{}")


def test_memory_stays_flat_for_a_large_original(kit: Kit) -> None:
    """Building a bundle holding a 48 MiB original allocates a few MiB at most, not the file."""
    import tracemalloc

    kit.seal_file(48 << 20)
    tracemalloc.start()
    try:
        info = kit.build("big.age")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.size > 48 << 20
    assert peak < 6 << 20, f"peak {peak / 2**20:.1f} MiB"


def test_outbox_bundles_are_removed_once_acknowledged_or_rejected_and_usb_bundles_are_kept(kit: Kit) -> None:
    """A bundle is a transfer copy of originals the store keeps (R19): in the device's own
    outbox it goes once HQ has answered; a bundle written elsewhere (a USB stick) stays."""
    from sync.state import OUTBOX

    outbox = kit.ws.folder / OUTBOX
    outbox.mkdir(parents=True)
    sha = kit.seal_note(1)
    first = bundle.run(bundle.build_bundle(kit.ws, outbox / "b1.age", device=kit.device, session=as_(kit.ws, "O01")))
    state.apply_receipt(kit.ws, kit.hq.ingest(first.path, device_id=kit.device.device_id),
                        session=as_(kit.ws, "O01"))
    assert not first.path.exists()
    kit.seal_note(2)
    second = bundle.run(bundle.build_bundle(kit.ws, outbox / "b2.age", device=kit.device, session=as_(kit.ws, "O01")))
    state.record_rejection(kit.ws, second.bundle_id, "seal-gap", "测试", "test", session=as_(kit.ws, "O01"))
    assert not second.path.exists()
    usb = bundle.run(bundle.build_bundle(kit.ws, kit.out / "usb.age", device=kit.device, session=as_(kit.ws, "O01")))
    state.apply_receipt(kit.ws, kit.hq.ingest(usb.path, device_id=kit.device.device_id),
                        session=as_(kit.ws, "O01"))
    assert usb.path.exists()
    assert EvidenceStore(kit.ws.folder, kit.ws.master).exists(sha)  # the originals stay in the store


def test_a_damaged_bundle_waiting_to_be_resent_is_replaced_not_sent(kit: Kit) -> None:
    kit.seal_note(1)
    first = kit.build("a.age")
    data = bytearray(first.path.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size, one bit changed on the disk
    first.path.chmod(0o644)
    first.path.write_bytes(bytes(data))
    again = bundle.run(bundle.build_bundle(kit.ws, first.path, device=kit.device, session=as_(kit.ws, "O01")))
    assert not again.resent and again.sequence == 2  # superseded, rebuilt from the store
    assert kit.hq.ingest(again.path, device_id=kit.device.device_id).fields()["sequence"] == 2
