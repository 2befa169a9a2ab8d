"""Body cameras on plain folders: detection, assignment, pending files, camera import,
verified deletion on request. Real media from ffmpeg, real SQLite, real files."""

from __future__ import annotations

from keys_kit import as_
import os
import shutil
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from cli import main as cli
from app.clock import CHINA_TZ
from app.domain import EvidenceSourceKind
from app.evidence import bodycam, errors
from app.evidence.bodycam import (
    CameraDeleteRefused,
    CameraImport,
    CameraNotAssigned,
    CertificateRequired,
    assign_camera,
    camera_volume_at,
    delete_from_camera,
    find_camera_volumes,
    parse_boot_sector,
    parse_mountinfo,
    pending_files,
    verify_imported,
)
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace
from local_db.evidence_sources_repository import CameraAssignmentRepository, CameraImportRepository

INSPECTION = "JC-2026-1101"
pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the test media")


def ffmpeg(out: Path, *args: str) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", *args, str(out)], check=True)
    return out


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two short MP4 recordings (2 s and 3 s) and a JPEG photo, made once."""
    d = tmp_path_factory.mktemp("media")
    return {
        "a.mp4": ffmpeg(d / "a.mp4", "-i", "testsrc=duration=2:size=160x120:rate=10", "-c:v", "mpeg4"),
        "b.mp4": ffmpeg(d / "b.mp4", "-i", "testsrc2=duration=3:size=160x120:rate=10", "-c:v", "mpeg4"),
        "c.jpg": ffmpeg(d / "c.jpg", "-i", "testsrc=size=160x120", "-frames:v", "1"),
    }


def put(src: Path, dest: Path, mtime: float | None = None) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    if mtime is not None:
        os.utime(dest, (mtime, mtime))
    return dest


@pytest.fixture
def card(tmp_path: Path, clips: dict[str, Path]) -> Path:
    """A body camera's card as a folder: DCIM/100MEDIA and VIDEO, a GoPro-style info file, side files."""
    root = tmp_path / "BODYCAM01"
    put(clips["a.mp4"], root / "DCIM" / "100MEDIA" / "VID_0001.MP4", mtime=1_795_000_000)
    put(clips["c.jpg"], root / "DCIM" / "100MEDIA" / "IMG_0002.JPG")
    put(clips["b.mp4"], root / "VIDEO" / "REC_0003.MP4")
    (root / "DCIM" / "100MEDIA" / "VID_0001.THM").write_bytes(b"\xff\xd8\xff thumbnail")
    (root / "MISC").mkdir()
    (root / "MISC" / "version.txt").write_text(
        '{\n"info version":"2.0"\n,"firmware version":"H22.01.01.10.70"\n,"camera type":"HERO11 Black"\n'
        ',"camera serial number":"C3471325208909"\n}\n')
    (root / "Documents").mkdir()  # not a camera folder
    (root / "Documents" / "manual.jpg").write_bytes(clips["c.jpg"].read_bytes())
    return root


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def assigned(locker: EvidenceLocker, volume: bodycam.CameraVolume, cert: str) -> bodycam.CameraVolume:
    """The camera assigned to the officer with ``cert`` on this device (the collector of its files)."""
    bodycam.assign_camera(locker.ws, volume.serial, cert, actor=as_(locker, "O01"))
    return volume


def volume_of(locker: EvidenceLocker, root: Path) -> bodycam.CameraVolume:
    return camera_volume_at(root, assignments=CameraAssignmentRepository(locker.ws.db))


def audit(ws: Workspace, action: str) -> list:
    return [e for e in ws.audit.repo.entries() if e.action == action]


# --- detection -------------------------------------------------------------------------

def test_a_folder_with_camera_folders_of_media_is_a_camera_volume(card: Path, tmp_path: Path) -> None:
    (tmp_path / "USBSTICK" / "DCIM").mkdir(parents=True)
    (tmp_path / "USBSTICK" / "DCIM" / "notes.txt").write_text("no media here")
    (tmp_path / "DOCS").mkdir()
    found = find_camera_volumes([card, tmp_path / "USBSTICK", tmp_path / "DOCS"])
    assert [v.mount_point for v in found] == [card.resolve()]
    v = found[0]
    assert v.serial == "C3471325208909" and v.serial_source == "device-info:MISC/version.txt"
    assert [p.name for p in v.media_folders] == ["DCIM", "VIDEO"]  # not Documents, not MISC
    assert v.officer_id is None


@pytest.mark.parametrize("text, serial", [
    ("产品序号：ZFJLY-2024-0042\n型号：DSJ-X9\n", "ZFJLY-2024-0042"),
    ("Model=BC-200\nSN=BC200A1234\n", "BC200A1234"),
    ('{"deviceId": "D-1", "serial": "S-77"}', "S-77"),  # a serial before a device number
])
def test_the_serial_comes_from_a_device_info_file(card: Path, text: str, serial: str) -> None:
    shutil.rmtree(card / "MISC")
    (card / "device.txt").write_text(text, encoding="utf-8")  # found whatever its case
    v = find_camera_volumes([card])[0]
    assert (v.serial, v.serial_source) == (serial, "device-info:device.txt")


def test_without_a_device_file_the_folder_name_stands_in_and_says_so(card: Path) -> None:
    shutil.rmtree(card / "MISC")
    v = find_camera_volumes([card])[0]
    assert (v.serial, v.serial_source, v.label, v.volume_id) == ("BODYCAM01", "folder-name", "", "")


def test_mountinfo_is_parsed_with_escapes_and_only_camera_file_systems_count(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
        "61 27 8:17 / /media/zw/BODY\\040CAM rw,nosuid - vfat /dev/sdb1 rw,uid=1000\n"
        "62 27 8:33 / /run/media/zw/CARD rw - exfat /dev/sdc1 rw\n"
        "63 27 0:39 / /tmp/fatmnt rw - fuse.fusefat fusefat rw,user_id=0\n"
        "64 27 8:17 /DCIM /srv/bind rw - vfat /dev/sdb1 rw\n"  # bind mount of a sub-folder
        "65 27 8:1 / /boot/efi rw - vfat /dev/sda1 rw\n"
        "66 27 0:40 / /mnt/sshfs rw - fuse.sshfs host:/x rw\n"
        "garbage line\n"
    )
    mounts = parse_mountinfo(text)
    assert Path("/media/zw/BODY CAM") in {m.mount_point for m in mounts}
    assert Path("/srv/bind") not in {m.mount_point for m in mounts}
    info = tmp_path / "mountinfo"
    info.write_text(text)
    monkeypatch.setattr(bodycam, "MOUNTINFO", info)
    assert [(str(m.mount_point), m.fs_type) for m in bodycam.removable_mounts()] == [
        ("/media/zw/BODY CAM", "vfat"), ("/run/media/zw/CARD", "exfat"), ("/tmp/fatmnt", "fuse.fusefat")]


@pytest.mark.skipif(shutil.which("mkfs.vfat") is None, reason="mkfs.vfat (dosfstools) makes the FAT images")
@pytest.mark.parametrize("fat", ["16", "32"])
def test_label_and_volume_serial_come_from_a_real_fat_boot_sector(tmp_path: Path, fat: str) -> None:
    image = tmp_path / "card.img"
    with open(image, "wb") as fh:
        fh.truncate(40 << 20)
    subprocess.run(["mkfs.vfat", "-F", fat, "-n", "ZFJLY0042", "-i", "1234ABCD", str(image)],
                   check=True, capture_output=True)
    assert parse_boot_sector(image.read_bytes()[:512]) == ("ZFJLY0042", "1234-ABCD")
    assert parse_boot_sector(b"\0" * 512) == ("", "")


# --- who wears which camera --------------------------------------------------------------

def test_assignment_is_set_changed_and_audited(locker: EvidenceLocker, card: Path) -> None:
    ws = locker.ws
    assign_camera(ws, "C3471325208909", "33010621001", actor=as_(ws, "L01"), label="BODYCAM01")
    assert volume_of(locker, card).officer_id == "O01"
    assign_camera(ws, "C3471325208909", "O02", actor=as_(ws, "L01"))
    assert volume_of(locker, card).officer_id == "O02"
    entries = audit(ws, "camera.assigned")
    assert [(e.actor, e.target, e.detail["officer_id"], e.detail["previous_officer_id"]) for e in entries] == [
        ("L01", "C3471325208909", "O01", None), ("L01", "C3471325208909", "O02", "O01")]
    with pytest.raises(CertificateRequired):
        assign_camera(ws, "C3471325208909", "A01", actor=as_(ws, "L01"))  # auxiliary staff hold no certificate
    with pytest.raises(errors.UnknownOfficer):
        assign_camera(ws, "C3471325208909", "99999999999", actor=as_(ws, "L01"))
    assert CameraAssignmentRepository(ws.db).get("C3471325208909").officer_id == "O02"


# --- pending files and camera import ---------------------------------------------------------

def test_pending_files_before_and_after_import_and_after_replugging(
        locker: EvidenceLocker, card: Path, clips: dict[str, Path]) -> None:
    assign_camera(locker.ws, "C3471325208909", "33010621001", actor=as_(locker.ws, "L01"))
    volume = volume_of(locker, card)
    before = pending_files(locker, volume)
    assert sorted(p.name for p in before) == ["IMG_0002.JPG", "REC_0003.MP4", "VID_0001.MP4"]

    job = CameraImport(locker, volume, inspection_id=INSPECTION, actor=as_(locker, "O01"))
    steps = list(job.run())
    assert len(job.report.imported) == 3 and not job.report.failed
    assert pending_files(locker, volume) == []
    item = {i.original_name: i for i in job.report.imported}["VID_0001.MP4"]
    assert item.source_kind is EvidenceSourceKind.BODY_CAMERA and item.source_detail == "C3471325208909"
    assert item.officer_certs == ("33010621001",) and item.officer_ids == ("O01",)
    # the file's time is when the camera stopped writing; the recording began 2 s earlier
    stopped = (card / "DCIM/100MEDIA/VID_0001.MP4").stat().st_mtime
    assert item.duration_ms == 2000
    assert item.captured_at == (datetime_of(stopped) - timedelta(seconds=2)).replace(microsecond=0)
    assert steps[-1].bytes_done == steps[-1].bytes_total == sum(p.stat().st_size for p in before)

    # unplugged, new recordings made, plugged in again: the same serial shows only the new ones
    put(clips["b.mp4"], card / "VIDEO" / "REC_0004.MP4")
    photo = card / "DCIM" / "101MEDIA" / "IMG_0005.JPG"
    photo.parent.mkdir()
    photo.write_bytes(clips["c.jpg"].read_bytes() + b"another photo")
    again = volume_of(locker, card)
    assert again.serial == volume.serial
    assert sorted(p.name for p in pending_files(locker, again)) == ["IMG_0005.JPG", "REC_0004.MP4"]
    second = CameraImport(locker, again, inspection_id=INSPECTION, actor=as_(locker, "O01"))
    list(second.run())
    # REC_0004 has the bytes of REC_0003: already sealed, remembered, not sealed twice
    assert [i.original_name for i in second.report.imported] == ["IMG_0005.JPG"]
    assert [p.name for p, _ in second.report.duplicates] == ["REC_0004.MP4"]
    assert pending_files(locker, again) == []
    assert len(CameraImportRepository(locker.ws.db).for_serial(volume.serial)) == 5


def datetime_of(timestamp: float):  # type: ignore[no-untyped-def]
    from datetime import datetime
    return datetime.fromtimestamp(timestamp, CHINA_TZ)


def test_a_camera_without_an_assigned_officer_needs_one_assigned(locker: EvidenceLocker, card: Path) -> None:
    volume = volume_of(locker, card)
    with pytest.raises(CameraNotAssigned) as info:
        CameraImport(locker, volume, inspection_id=INSPECTION, actor=as_(locker, "O01"))
    assert "C3471325208909" in info.value.zh and info.value.en
    job = CameraImport(locker, assigned(locker, volume, "33010621002"), inspection_id=INSPECTION, actor=as_(locker, "O01"))
    list(job.run())
    assert {i.officer_certs for i in job.report.imported} == {("33010621002",)}


def test_rate_and_time_left_are_plausible(locker: EvidenceLocker, card: Path) -> None:
    big = card / "VIDEO" / "REC_0009.MP4"
    with open(big, "wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom" + os.urandom(48 << 20))
    job = CameraImport(locker, assigned(locker, volume_of(locker, card), "33010621001"), inspection_id=INSPECTION, actor=as_(locker, "O01"))
    started = time.monotonic()
    seen = [(time.monotonic(), step) for step in job.run()]
    in_big = [(t, s) for t, s in seen if s.current == big]
    (t0, first), (t1, step) = in_big[0], next((t, s) for t, s in in_big if s.bytes_done - in_big[0][1].bytes_done
                                              >= 0.7 * big.stat().st_size)
    # what a stopwatch says: since the start (small files and their seals included), and over the big copy
    since_start = step.bytes_done / (t1 - started)
    over_copy = (step.bytes_done - first.bytes_done) / (t1 - t0)
    # smoothed, recent seconds weigh most: between the two, give or take a disk stall
    assert since_start / 3 < step.rate_bps < over_copy * 3
    assert step.seconds_left == pytest.approx((step.bytes_total - step.bytes_done) / step.rate_bps)
    last = seen[-1][1]
    assert last.bytes_done == last.bytes_total and last.rate_bps > 0 and last.seconds_left == 0


def test_R17_cancel_mid_file_on_a_camera_import_leaves_nothing_of_it(locker: EvidenceLocker, card: Path) -> None:
    big = card / "VIDEO" / "REC_0009.MP4"
    with open(big, "wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom" + os.urandom(6 << 20))
    cancel = threading.Event()
    volume = volume_of(locker, card)
    job = CameraImport(locker, assigned(locker, volume, "33010621001"), inspection_id=INSPECTION, actor=as_(locker, "O01"), cancel=cancel)
    files_before = job.files
    for step in job.run():
        if step.current == big and step.bytes_done - sum(p.stat().st_size for p in files_before[:-1]) > 2 << 20:
            assert len(list(locker.store.staging.iterdir())) == 1  # the copy is under way
            cancel.set()
    assert job.report.cancelled and files_before[-1] == big
    sealed = {i.sha256 for i in job.report.imported}
    assert len(sealed) == 3
    assert list(locker.store.staging.iterdir()) == []
    assert {s.sha256 for s in locker.seals.all()} == sealed == set(locker.store.stored_hashes())
    assert {s.sha256 for s in CameraImportRepository(locker.ws.db).for_serial(volume.serial)} == sealed
    assert pending_files(locker, volume) == [big]


# --- verified deletion ------------------------------------------------------------------------

def test_delete_refuses_a_file_changed_after_import_and_deletes_a_verified_one(
        locker: EvidenceLocker, card: Path) -> None:
    volume = volume_of(locker, card)
    list(CameraImport(locker, assigned(locker, volume, "33010621001"), inspection_id=INSPECTION, actor=as_(locker, "O01")).run())
    changed, verified = card / "VIDEO" / "REC_0003.MP4", card / "DCIM" / "100MEDIA" / "VID_0001.MP4"
    stat = changed.stat()
    with open(changed, "r+b") as fh:  # one byte flipped, size and time kept as they were
        fh.seek(200)
        byte = fh.read(1)
        fh.seek(200)
        fh.write(bytes([byte[0] ^ 0xFF]))
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    checks = {c.path.name: c for c in verify_imported(locker, volume)}
    assert checks["REC_0003.MP4"].problem == "changed" and checks["VID_0001.MP4"].ok

    with pytest.raises(CameraDeleteRefused) as info:
        delete_from_camera(locker, volume, [verified, changed], actor="O01")
    assert "VIDEO/REC_0003.MP4" in info.value.zh and "changed" in info.value.en
    assert verified.exists() and changed.exists()  # nothing at all was deleted
    assert [e.detail["files"] for e in audit(locker.ws, "camera.delete_refused")] == [
        [{"path": "VIDEO/REC_0003.MP4", "problem": "changed"}]]

    unknown = put(verified, card / "VIDEO" / "NEW_0010.MP4")
    with pytest.raises(CameraDeleteRefused, match="尚未导入"):
        delete_from_camera(locker, volume, [unknown], actor="O01")
    assert unknown.exists()

    assert delete_from_camera(locker, volume, [verified], actor="O01") == [verified]
    assert not verified.exists() and changed.exists()
    deleted = audit(locker.ws, "camera.file_deleted")
    assert [(e.actor, e.detail["path"], e.detail["serial"]) for e in deleted] == [
        ("O01", "DCIM/100MEDIA/VID_0001.MP4", "C3471325208909")]
    item = locker.items.get(deleted[0].target)
    assert item is not None and locker.store.exists(item.sha256)  # the sealed original stays


def test_import_never_deletes_from_the_camera(locker: EvidenceLocker, card: Path) -> None:
    before = sorted(p.relative_to(card) for p in card.rglob("*"))
    list(CameraImport(locker, assigned(locker, volume_of(locker, card), "33010621001"), inspection_id=INSPECTION, actor=as_(locker, "O01")).run())
    assert sorted(p.relative_to(card) for p in card.rglob("*")) == before
    assert audit(locker.ws, "camera.file_deleted") == []


# --- command line ------------------------------------------------------------------------------

def test_cli_cameras_assign_and_import_from_camera(demo_workspace: Workspace, card: Path,
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(demo_workspace.folder)
    demo_workspace.close()
    assert cli.main(["cameras", "--root", str(card), "--data", folder]) == 0
    out = capsys.readouterr().out
    assert "C3471325208909" in out and "未分配 / not assigned" in out and "pending files: 3" in out
    assert cli.main(["import", "--camera", str(card), "--inspection", INSPECTION, "--data", folder]) == 2
    assert "not assigned" in capsys.readouterr().err
    with monkeypatch.context() as m:
        m.setenv("FIELDINSPECT_PIN", "200101")  # L01 signs in to assign
        assert cli.main(["cameras", "--assign", "C3471325208909", "--officer", "33010621003", "--by", "L01",
                         "--data", folder]) == 0
    capsys.readouterr()
    assert cli.main(["import", "--camera", str(card), "--inspection", INSPECTION, "--data", folder]) == 0
    assert "imported 3" in capsys.readouterr().out
    assert cli.main(["cameras", "--root", str(card), "--data", folder]) == 0
    out = capsys.readouterr().out
    assert "王强 O03 (33010621003)" in out and "pending files: 0" in out
    assert cli.main(["import", "--camera", str(card), "--inspection", INSPECTION, "--data", folder]) == 0
    assert "imported 0, skipped 0" in capsys.readouterr().out  # nothing pending: nothing read again
    assert cli.main(["import", "--camera", str(card.parent / "Documents"), "--inspection", INSPECTION,
                     "--data", folder]) == 2
    assert "not a body-camera volume" in capsys.readouterr().err
    assert cli.main(["verify", folder]) == 0
