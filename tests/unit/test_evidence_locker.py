"""Sealed intake, logged export and refused removal of originals (R15, R17, R19)."""

from __future__ import annotations

from keys_kit import as_
import io
import json
import os
from local_db.database import dbapi
import stat
import struct
from datetime import date, timedelta
from pathlib import Path

import pytest

from keys_kit import keys_of
from app.clock import fixed_clock
from app.crypto import canonical_json, sha256_hex
from app.device import DeviceIdentity
from app.domain import EvidenceSourceKind, EvidenceType, RetentionClass
from app.evidence import errors, media
from app.evidence.locker import EvidenceLocker, add_months
from app.evidence.seal import GENESIS_PREV, record_hash
from app.workspace import Workspace

O1, O2 = "33010621001", "33010621002"


def jpeg(tag: str, size: int = 200) -> bytes:
    body = tag.encode() * (size // max(len(tag), 1) + 1)
    return b"\xff\xd8\xff\xe0" + body[:size] + b"\xff\xd9"


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def ingest(locker: EvidenceLocker, data: bytes, **kw: object):  # type: ignore[no-untyped-def]
    options: dict[str, object] = dict(evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=[O1, O2],
                                      source_kind=EvidenceSourceKind.WEBCAM, source_detail="0",
                                      inspection_id="JC-2026-1101", original_name="photo.jpg")
    options.update(kw)
    return locker.ingest_stream(io.BytesIO(data), **options)


def count(ws: Workspace, table: str) -> int:
    return ws.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def plain(locker: EvidenceLocker, sha256: str) -> bytes:
    """The original's plaintext, through the decrypting reader (the file itself is FIE1)."""
    with locker.store.open(sha256) as fh:
        return fh.read()


def store_files(locker: EvidenceLocker) -> list[str]:
    return list(locker.store.stored_hashes())


def test_R17_ingest_writes_read_only_original_at_its_content_address(locker: EvidenceLocker) -> None:
    data = jpeg("a")
    item = ingest(locker, data).item
    path = locker.store.path_for(item.sha256)
    assert path == locker.ws.folder / "evidence" / "sha256" / item.sha256[:2] / item.sha256
    assert plain(locker, item.sha256) == data
    assert path.read_bytes().startswith(b"FIE1") and data not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert item.media_type == "image/jpeg" and item.size == len(data)
    assert item.officer_ids == ("O01", "O02") and item.officer_certs == (O1, O2)
    assert list(locker.store.staging.iterdir()) == []


def test_R17_seal_record_is_signed_chained_and_audited(locker: EvidenceLocker) -> None:
    first = ingest(locker, jpeg("a")).item
    second = ingest(locker, jpeg("b")).item
    rows = locker.seals.all()
    assert [r.seq for r in rows] == [1, 2] == [first.seal_seq, second.seal_seq]
    records = [json.loads(r.record) for r in rows]
    assert records[0]["prev"] == GENESIS_PREV
    assert records[1]["prev"] == record_hash(rows[0].record)
    assert canonical_json(records[1]) == rows[1].record
    assert records[1]["sha256"] == second.sha256 and records[1]["officers"] == [O1, O2]
    assert records[1]["device_id"] == locker.device.device_id
    assert locker.device.public.verify(rows[1].signature, rows[1].record)
    sealed = [e for e in locker.ws.audit.repo.entries() if e.action == "evidence.sealed"]
    assert [(e.target, e.detail["seq"], e.detail["record_sha256"]) for e in sealed] == [
        (first.sha256, 1, record_hash(rows[0].record)), (second.sha256, 2, record_hash(rows[1].record))]


@pytest.mark.parametrize("fail_in", ["audit", "place"])
def test_R17_seal_row_evidence_row_audit_and_file_are_all_or_nothing(
        locker: EvidenceLocker, monkeypatch: pytest.MonkeyPatch, fail_in: str) -> None:
    ws = locker.ws
    audit_before = count(ws, "audit_log")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    if fail_in == "audit":
        monkeypatch.setattr(ws.audit, "append", boom)
    else:
        monkeypatch.setattr(locker.store, "place", boom)
    with pytest.raises(OSError):
        ingest(locker, jpeg("a"))
    assert (count(ws, "evidence"), count(ws, "seal_records"), count(ws, "audit_log")) == (0, 0, audit_before)
    assert store_files(locker) == [] and list(locker.store.staging.iterdir()) == []


def test_unsealed_leftover_at_the_address_is_reused_or_replaced(locker: EvidenceLocker) -> None:
    """A crash between rename and commit leaves a file with no seal; sealing it again must work."""
    good, bad = jpeg("crash"), jpeg("other")
    for data, leftover in ((good, good), (bad, b"planted bytes")):
        path = locker.store.path_for(sha256_hex(data))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(leftover)
        item = ingest(locker, data).item
        assert plain(locker, item.sha256) == data and item.sha256 == sha256_hex(data)
    assert list(locker.store.staging.iterdir()) == []


def test_duplicate_content_is_not_sealed_twice(locker: EvidenceLocker) -> None:
    first = ingest(locker, jpeg("a"))
    again = ingest(locker, jpeg("a"), source_detail="1")
    assert not first.duplicate and again.duplicate
    assert again.item.sha256 == first.item.sha256 and again.item.seal_seq == 1
    assert count(locker.ws, "seal_records") == 1 and len(store_files(locker)) == 1
    assert list(locker.store.staging.iterdir()) == []


@pytest.mark.parametrize("given", [None, "", "photo", "视听", "证据"])
def test_R15_evidence_type_required_and_restricted_to_the_eight(locker: EvidenceLocker, given: str | None) -> None:
    with pytest.raises(errors.EvidenceTypeInvalid) as err:
        ingest(locker, jpeg("a"), evidence_type=given)
    assert "第四十六条" in err.value.zh and "Art. 46" in err.value.en.replace("art.", "Art.")
    assert count(locker.ws, "evidence") == 0 and store_files(locker) == []


def test_R15_each_of_the_eight_types_is_accepted_by_key_or_label(locker: EvidenceLocker) -> None:
    assert len(EvidenceType) == 8
    for n, kind in enumerate(EvidenceType):
        by_label = ingest(locker, jpeg(f"l{n}"), evidence_type=kind.label).item
        by_key = ingest(locker, jpeg(f"k{n}"), evidence_type=kind.value).item
        assert by_label.evidence_type is kind is by_key.evidence_type
    assert ingest(locker, jpeg("x"), evidence_type="现场笔录").item.evidence_type is EvidenceType.INSPECTION_RECORD


def test_R15_database_refuses_a_type_outside_the_eight(locker: EvidenceLocker) -> None:
    item = ingest(locker, jpeg("a")).item
    row = dict(next(locker.items.raw_rows()))
    row.update(sha256="f" * 64, evidence_type="photo", retain_until=item.retain_until.isoformat())
    with pytest.raises(dbapi.IntegrityError, match="CHECK"):
        locker.ws.db.execute(f"INSERT INTO evidence ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                             list(row.values()))


def test_R17_derived_item_points_to_its_original(locker: EvidenceLocker) -> None:
    original = ingest(locker, jpeg("video")).item
    still = ingest(locker, jpeg("still"), derived_from=original.sha256, derivation="still").item
    assert still.derived_from == original.sha256 and still.derivation == "still"
    assert [d.sha256 for d in locker.items.derived_from(original.sha256)] == [still.sha256]
    record = json.loads(locker.seals.all()[1].record)
    assert (record["derived_from"], record["derivation"]) == (original.sha256, "still")
    assert plain(locker, original.sha256) == jpeg("video")  # the original is untouched
    with pytest.raises(errors.UnknownEvidence):
        ingest(locker, jpeg("orphan"), derived_from="0" * 64)


def test_R17_export_copies_the_original_and_is_logged(locker: EvidenceLocker, tmp_path: Path) -> None:
    item = ingest(locker, jpeg("a")).item
    dest = locker.export(item.sha256, tmp_path / "out", actor=as_(locker, "O01"), purpose="移送法制审核")
    assert dest.read_bytes() == jpeg("a") and dest.suffix == ".jpg"
    (log,) = locker.access.for_item(item.sha256)
    assert (log.action, log.actor, log.destination, log.purpose) == ("export", "O01", str(dest), "移送法制审核")
    assert any(e.action == "evidence.export" and e.target == item.sha256 for e in locker.ws.audit.repo.entries())
    with locker.view(item.sha256, actor=as_(locker, "O02"), purpose="review") as fh:
        assert fh.read() == jpeg("a")
    assert [a.action for a in locker.access.for_item(item.sha256)] == ["export", "view"]


def test_R17_altered_original_is_not_exported(locker: EvidenceLocker, tmp_path: Path) -> None:
    item = ingest(locker, jpeg("a")).item
    path = locker.store.path_for(item.sha256)
    path.chmod(0o644)
    path.write_bytes(jpeg("b"))
    with pytest.raises(errors.OriginalAltered):
        locker.export(item.sha256, tmp_path / "out", actor=as_(locker, "O01"))
    assert locker.access.for_item(item.sha256) == []
    assert list((tmp_path / "out").iterdir()) == []


def test_R19_removal_under_retention_is_refused_and_audited(locker: EvidenceLocker) -> None:
    item = ingest(locker, jpeg("a")).item
    assert item.retention_class is RetentionClass.UNLINKED
    assert item.retain_until == add_months(locker.ws.clock().date(), 6) == date(2027, 5, 23)
    with pytest.raises(errors.RetentionRefused) as err:
        locker.remove(item.sha256, actor=as_(locker, "O01"), reason="拍错了")
    assert "保存期限" in err.value.zh and "2027-05-23" in err.value.zh
    (attempt,) = [e for e in locker.ws.audit.repo.entries() if e.action == "evidence.remove_refused"]
    assert (attempt.actor, attempt.target, attempt.detail["rule"], attempt.detail["reason"]) == (
        "O01", item.sha256, "R19", "拍错了")
    assert plain(locker, item.sha256) == jpeg("a") and locker.items.exists(item.sha256)


def test_R17_removal_after_retention_is_still_refused_and_audited(locker: EvidenceLocker) -> None:
    item = ingest(locker, jpeg("a")).item
    locker.ws.audit.clock = locker.ws.clock = fixed_clock(locker.ws.clock() + timedelta(days=400))
    with pytest.raises(errors.OriginalsWriteOnce) as err:
        locker.remove(item.sha256, actor=as_(locker, "O01"))
    assert "118号" in err.value.zh
    assert [e.detail["rule"] for e in locker.ws.audit.repo.entries() if e.action == "evidence.remove_refused"] == ["R17"]
    assert locker.store.exists(item.sha256)


def test_R19_retention_months_are_configurable(locker: EvidenceLocker) -> None:
    locker.ws.settings.set("evidence.retention_months", "12")
    assert ingest(locker, jpeg("a")).item.retain_until == date(2027, 11, 23)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_R17_database_refuses_edit_and_delete_of_sealed_rows(locker: EvidenceLocker, tmp_path: Path) -> None:
    item = ingest(locker, jpeg("a")).item
    locker.export(item.sha256, tmp_path, actor=as_(locker, "O01"))
    db = locker.ws.db
    for sql in ("UPDATE evidence SET size = 1", "UPDATE evidence SET inspection_id = NULL",
                "DELETE FROM evidence", "UPDATE seal_records SET signature = ''", "DELETE FROM seal_records",
                "UPDATE evidence_access_log SET actor = 'x'", "DELETE FROM evidence_access_log",
                "UPDATE evidence SET retain_until = '2026-12-01'"):
        with pytest.raises(dbapi.IntegrityError):
            db.execute(sql)
    db.execute("UPDATE evidence SET retain_until = '2030-01-01'")  # keeping longer is allowed
    db.execute("UPDATE evidence SET retention_class = 'case', retain_until = NULL, case_id = 'AJ-1'")
    with pytest.raises(dbapi.IntegrityError):
        db.execute("UPDATE evidence SET retention_class = 'unlinked', retain_until = '2031-01-01'")


def test_non_media_and_empty_inputs_are_refused_clearly(locker: EvidenceLocker, tmp_path: Path) -> None:
    garbage = tmp_path / "IMG_0001.JPG"
    garbage.write_bytes(b"this is not a photo at all" * 100)
    with pytest.raises(errors.UnsupportedMedia) as err:
        locker.ingest_file(garbage, evidence_type="视听资料", officer_certs=[O1])
    assert "IMG_0001.JPG" in err.value.zh and "not a recognised" in err.value.en
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(errors.EmptySource):
        locker.ingest_file(empty, evidence_type="视听资料", officer_certs=[O1])
    with pytest.raises(errors.SourceUnreadable):
        locker.ingest_file(tmp_path, evidence_type="视听资料", officer_certs=[O1])
    with pytest.raises(errors.SourceUnreadable):
        locker.ingest_file(tmp_path / "gone.mp4", evidence_type="视听资料", officer_certs=[O1])
    assert count(locker.ws, "evidence") == 0 and store_files(locker) == []
    assert list(locker.store.staging.iterdir()) == []


def test_unknown_officer_or_inspection_is_refused_before_copying(locker: EvidenceLocker) -> None:
    with pytest.raises(errors.UnknownOfficer):
        ingest(locker, jpeg("a"), officer_certs=["99999999999"])
    with pytest.raises(errors.OfficerRequired):
        ingest(locker, jpeg("a"), officer_certs=[])
    with pytest.raises(errors.UnknownInspection):
        ingest(locker, jpeg("a"), inspection_id="JC-0000-0000")
    assert not locker.store.staging.exists() or list(locker.store.staging.iterdir()) == []


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def test_video_duration_from_mvhd_and_truncated_video_still_sealed(locker: EvidenceLocker, tmp_path: Path) -> None:
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    mvhd = _box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, 61_500) + b"\x00" * 80)
    whole = ftyp + _box(b"mdat", os.urandom(500)) + _box(b"moov", mvhd)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(whole)
    item = locker.ingest_file(clip, evidence_type="视听资料", officer_certs=[O1]).item
    assert (item.media_type, item.duration_ms) == ("video/mp4", 61_500)
    # A camera that lost power leaves no index: the file is still evidence, sealed as it is.
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(ftyp + _box(b"mdat", os.urandom(500))[:300])
    cut_item = locker.ingest_file(cut, evidence_type="视听资料", officer_certs=[O1]).item
    assert (cut_item.media_type, cut_item.duration_ms) == ("video/mp4", None)


@pytest.mark.parametrize(("head", "expected"), [
    (b"\xff\xd8\xff\xe1", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"RIFF\x00\x00\x00\x00AVI LIST", "video/x-msvideo"), (b"\x00\x00\x00\x18ftypqt  ", "video/quicktime"),
    (b"\x00\x00\x00\x18ftypisom", "video/mp4"), (b"PK\x03\x04", None), (b"%PDF-1.7", None), (b"", None),
])
def test_media_is_judged_by_content(head: bytes, expected: str | None) -> None:
    assert media.sniff(head) == expected


def test_locker_uses_the_workspace_device_key(demo_workspace: Workspace) -> None:
    device = demo_workspace.device
    assert EvidenceLocker(demo_workspace).device.device_id == device.device_id


def test_a_file_placed_without_its_seal_is_set_aside_at_the_next_start(
        locker: EvidenceLocker, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kill between the rename into the store and the commit leaves bytes that never became
    evidence (R17): the next start moves them out of the store, keeps them, and logs it; sealed
    originals stay where they are."""
    from app.evidence import store as store_module
    from app.evidence.verify import verify_folder

    kept = ingest(locker, jpeg("sealed")).item.sha256
    orphan = jpeg("never sealed")
    sha = sha256_hex(orphan)
    path = locker.store.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orphan)
    os.chmod(path, 0o444)
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).kinds() == {"unsealed-file"}

    EvidenceLocker(locker.ws)  # a start moments after: another process may still commit it
    assert path.exists()

    monkeypatch.setattr(store_module, "UNSEALED_GRACE_S", 0.0)
    EvidenceLocker(locker.ws)
    assert not path.exists() and locker.store.exists(kept)
    [aside] = (locker.store.root / "unsealed").iterdir()
    assert aside.name.startswith(sha + ".") and aside.read_bytes() == orphan
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).ok
    last = locker.ws.audit.repo.last()
    assert last is not None and (last.action, last.target) == ("evidence.unsealed_set_aside", sha)
