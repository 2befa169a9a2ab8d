"""HQ's ingest: replays, and every way a bundle is refused with nothing stored (R17)."""

from __future__ import annotations

import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app import crypto, demo
from app.clock import fixed_clock
from app.workspace import Workspace
from sync import bag, state
from sync.errors import BundleRejected
from sync.hq import keys
from sync.hq.store import HqStore
from sync.tarstream import TarStream
from tests.conftest import DEMO_NOW
from tests.unit.bundle_kit import Kit, kit, make_kit  # noqa: F401  (fixture)
from keys_kit import as_, create_workspace, open_workspace

pytestmark = pytest.mark.usefixtures("hq_database")  # SQLite and PostgreSQL


def _snapshot(hq: HqStore) -> tuple:
    """Everything HQ holds: rows of every table and every file outside incoming/."""
    rows = {t: sorted(map(tuple, hq.conn.execute(f"SELECT * FROM {t}").fetchall())) for t in hq.db.tables()}
    files = sorted(str(p.relative_to(hq.folder)) for p in hq.folder.rglob("*")
                   if p.is_file() and not p.name.startswith(("hq.sqlite", "ingest.lock")))
    return rows, files


def _rewrap(k: Kit, src: Path, dst: Path, edit: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """Decrypt, change the members, and encrypt again to HQ (what anyone with the recipient can do)."""
    with open(src, "rb") as fh:
        reader = crypto.AgeReader(fh, keys.age_identity(k.hq_dir))
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            members = {m.name: tar.extractfile(m).read() for m in tar}  # type: ignore[union-attr]
    members = edit(members)
    with open(dst, "wb") as fh:
        age = crypto.AgeWriter(fh, keys.age_recipient(k.hq_dir))
        tar = TarStream(age, mtime=0)  # type: ignore[arg-type]
        for name, data in members.items():
            tar.add_bytes(name, data)
        tar.close()
        age.close()
    return dst


def _rejected(k: Kit, path: Path, code: str, device_id: str | None = None) -> BundleRejected:
    before = _snapshot(k.hq)
    with pytest.raises(BundleRejected) as err:
        k.hq.ingest(path, device_id=device_id or k.device.device_id)
    assert err.value.code == code
    assert err.value.zh and err.value.en and err.value.zh != err.value.en
    assert _snapshot(k.hq) == before, "a refused bundle must store nothing"
    assert not any((k.hq.folder / "incoming").iterdir())
    return err.value


def test_ingest_stores_once_and_replay_gives_the_same_receipt(kit: Kit) -> None:
    """R17: HQ holds each original once, as sealed; the same bundle twice → same receipt bytes."""
    sha = kit.seal_file(300_000)
    info = kit.build()
    first = kit.hq.ingest(info.path, device_id=kit.device.device_id)
    again = kit.hq.ingest(info.path, device_id=kit.device.device_id)
    assert again.body == first.body and again.signature == first.signature
    fields = first.fields()
    assert fields["bundle_sha256"] == info.sha256 and fields["evidence"] == [sha]
    assert fields["chain_head"]["seal_seq"] == 1
    assert crypto.sha256_file(kit.hq.evidence_path(sha))[0] == sha
    assert kit.hq.counts(kit.device.device_id)["seals"] == 1
    hq_pub = crypto.load_public_key_pem((kit.hq_dir / keys.SIGNING_PUB).read_bytes())
    assert crypto.verify_signature(hq_pub, first.signature, first.body)


def test_tampered_ciphertext_is_rejected(kit: Kit) -> None:
    kit.seal_file(200_000)
    info = kit.build()
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = kit.out / "tampered.age"
    bad.write_bytes(bytes(data))
    _rejected(kit, bad, "ciphertext-altered")


def test_truncated_bundle_is_rejected(kit: Kit) -> None:
    kit.seal_file(200_000)
    info = kit.build()
    for cut in (info.size - 1, info.size // 2, 40):
        bad = kit.out / f"cut-{cut}.age"
        bad.write_bytes(info.path.read_bytes()[:cut])
        _rejected(kit, bad, "ciphertext-altered" if cut > 200 else "not-age")


def test_unsigned_bundle_is_rejected(kit: Kit) -> None:
    kit.seal_note(1)
    bad = _rewrap(kit, kit.build().path, kit.out / "unsigned.age",
                  lambda m: {n: d for n, d in m.items() if n != bag.SIGNATURE})
    err = _rejected(kit, bad, "unsigned")
    assert "签名" in err.zh and "signature" in err.en


def test_changed_original_is_rejected(kit: Kit) -> None:
    """R17: an original changed on the way does not match the manifest the device signed."""
    sha = kit.seal_file(100_000)

    def change(m: dict[str, bytes]) -> dict[str, bytes]:
        name = bag.evidence_path(sha)
        m[name] = m[name][:-1] + bytes([m[name][-1] ^ 1])
        return m

    _rejected(kit, _rewrap(kit, kit.build().path, kit.out / "changed.age", change), "manifest-mismatch")


def test_changed_manifest_breaks_the_device_signature(kit: Kit) -> None:
    sha = kit.seal_file(100_000)

    def change(m: dict[str, bytes]) -> dict[str, bytes]:
        name = bag.evidence_path(sha)
        m[name] = b"\xff\xd8\xff\xe0forged"
        manifest = m[bag.MANIFEST].decode().replace(f"{sha}  {name}", f"{crypto.sha256_hex(m[name])}  {name}")
        m[bag.MANIFEST] = manifest.encode()
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED])
        return m

    _rejected(kit, _rewrap(kit, kit.build().path, kit.out / "forged.age", change), "bad-signature")


def test_foreign_device_and_unenrolled_device_are_rejected(kit: Kit, tmp_path: Path) -> None:
    other_ws = create_workspace(tmp_path / "other-data", clock=fixed_clock(DEMO_NOW))
    demo.seed(other_ws)
    other = make_kit(other_ws, tmp_path / "o", hq_name="unused")
    shutil.rmtree(other.hq_dir)
    # the other device is paired with *our* HQ but never enrolled there
    from sync.pairing import pair_with_folder

    pair_with_folder(other.ws, kit.hq_dir, session=as_(other.ws, "O01"), replace=True)
    foreign = other.build("foreign.age")
    _rejected(kit, foreign.path, "foreign-device")  # uploaded under our device's id
    _rejected(kit, foreign.path, "not-enrolled", device_id=other.device.device_id)
    other_ws.close()


def test_different_bag_under_a_used_sequence_is_rejected(kit: Kit) -> None:
    kit.seal_note(1)
    info = kit.build()
    kit.hq.ingest(info.path, device_id=kit.device.device_id)

    def resign(m: dict[str, bytes]) -> dict[str, bytes]:
        m[bag.BAG_INFO] += b"Internal-Sender-Description: again\n"
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED])
        m[bag.SIGNATURE] = kit.device.sign(m[bag.TAGMANIFEST])
        return m

    _rejected(kit, _rewrap(kit, info.path, kit.out / "reused.age", resign), "sequence-reused")


def test_gap_in_the_seal_chain_is_rejected(kit: Kit, tmp_path: Path) -> None:
    kit.seal_note(1)
    fresh = tmp_path / "hq-before"
    shutil.copytree(kit.hq_dir, fresh)  # HQ as it was before bundle 1 arrived
    receipt = kit.hq.ingest(kit.build("1.age").path, device_id=kit.device.device_id)
    state.apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01"))
    kit.seal_note(2)
    second = kit.build("2.age")
    kit.hq.close()
    kit.hq = HqStore(fresh, database=str(fresh / "hq.sqlite"))  # the copy, whichever database the test uses
    kit.hq.enroll(kit.device.public_key_pem)
    err = _rejected(kit, second.path, "seal-gap")
    assert "seq 0" in err.en and "2" in err.en


def test_fork_in_the_seal_chain_is_rejected(kit: Kit, tmp_path: Path) -> None:
    """A second history signed by the same device key (a restored copy) is a fork."""
    kit.ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy"
    shutil.copytree(kit.ws.folder, copy)
    kit.seal_note(1)
    kit.hq.ingest(kit.build("mine.age").path, device_id=kit.device.device_id)

    twin_ws = open_workspace(copy, clock=fixed_clock(DEMO_NOW))
    twin = Kit(twin_ws, kit.device, kit.hq_dir, kit.hq, kit.out)
    twin.seal_note(99)
    dummy = twin.build("dummy.age")  # use up sequence 1 on the copy, so the sequence is not what clashes
    state.record_rejection(twin_ws, dummy.bundle_id, "test", "测试", "test", session=as_(twin_ws, "O01"))
    forked = twin.build("fork.age")
    assert forked.sequence == 2
    _rejected(kit, forked.path, "seal-fork")
    twin_ws.close()


def test_the_same_bundle_ingested_at_once_is_stored_once(kit: Kit) -> None:
    """Two uploads of one bundle finishing together (two threads, one HqStore each) → one copy, one receipt."""
    import threading

    kit.seal_file(500_000)
    info = kit.build()
    receipts: list[bytes] = []
    errors: list[BaseException] = []

    def upload() -> None:
        store = HqStore(kit.hq_dir)
        try:
            receipts.append(store.ingest(info.path, device_id=kit.device.device_id).body)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=upload) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(receipts)) == 1 and len(receipts) == 3
    assert kit.hq.counts(kit.device.device_id) == {"seals": 1, "audit": kit.hq.counts(kit.device.device_id)["audit"],
                                                   "snapshots": 12, "bundles": 1}


def _resigned(k: Kit, edit: Callable[[dict[str, bytes]], None]) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    """An edit made by someone holding the device key: manifests rebuilt and signed again."""
    def apply(m: dict[str, bytes]) -> dict[str, bytes]:
        edit(m)
        payload = [n for n in m if n.startswith("data/")]
        m[bag.MANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in payload])
        size = sum(len(m[n]) for n in payload)
        m[bag.BAG_INFO] = b"".join(line + b"\n" for line in m[bag.BAG_INFO].splitlines()
                                   if not line.startswith(b"Payload-Oxum")) + f"Payload-Oxum: {size}.{len(payload)}\n".encode()
        m[bag.TAGMANIFEST] = bag.manifest([(n, crypto.sha256_hex(m[n])) for n in bag.TAGGED])
        m[bag.SIGNATURE] = k.device.sign(m[bag.TAGMANIFEST])
        return m
    return apply


def _alter_seal(m: dict[str, bytes]) -> None:
    m[bag.seal_path(1)] = m[bag.seal_path(1)].replace(b'"size":', b'"size":1', 1)


def _drop_original(m: dict[str, bytes]) -> None:
    for name in [n for n in m if n.startswith("data/evidence/")]:
        del m[name]


def _alter_audit(m: dict[str, bytes]) -> None:
    m[bag.AUDIT_FILE] = m[bag.AUDIT_FILE].replace(b'"actor":"O01"', b'"actor":"O02"', 1)


@pytest.mark.parametrize("edit, code", [(_alter_seal, "bad-seal"), (_drop_original, "evidence-mismatch"),
                                        (_alter_audit, "audit-fork")])
def test_content_signed_by_the_device_is_still_checked_item_by_item(kit: Kit, edit, code: str) -> None:
    """R17: a valid bag signature does not excuse a seal, original or audit entry that does not hold."""
    kit.seal_file(50_000)
    bad = _rewrap(kit, kit.build().path, kit.out / f"{code}.age", _resigned(kit, edit))
    _rejected(kit, bad, code)


def test_cancelled_build_leaves_no_file_and_no_record(kit: Kit) -> None:
    from local_db.sync_repository import SyncRepository
    from sync.bundle import build_bundle

    kit.seal_file(3 << 20)
    steps = build_bundle(kit.ws, kit.out / "cancelled.age", device=kit.device, session=as_(kit.ws, "O01"))
    next(steps)
    next(steps)
    steps.close()
    assert list(kit.out.iterdir()) == []
    assert SyncRepository(kit.ws.db).bundles() == []


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/escape", "data/evidence/../../escape", "extra.txt"])
def test_members_outside_the_bag_layout_are_refused(kit: Kit, tmp_path: Path, name: str) -> None:
    """A crafted tar never writes outside HQ's incoming folder."""
    kit.seal_note(1)

    def add(m: dict[str, bytes]) -> dict[str, bytes]:
        return {name: b"x", **m}

    bad = _rewrap(kit, kit.build().path, kit.out / "crafted.age", add)
    _rejected(kit, bad, "not-a-bag")
    assert not (kit.hq.folder / "escape.txt").exists() and not (tmp_path / "escape.txt").exists()


def test_encrypted_garbage_is_not_a_bag(kit: Kit) -> None:
    import io as _io

    buffer = _io.BytesIO()
    with crypto.AgeWriter(buffer, keys.age_recipient(kit.hq_dir)) as w:
        w.write(b"this is not a tar archive" * 100)
    path = kit.out / "garbage.age"
    path.write_bytes(buffer.getvalue())
    _rejected(kit, path, "not-a-bag")
