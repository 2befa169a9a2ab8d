"""A real FAT volume with a body camera's DCIM tree, on a loop device, mounted in a
private mount namespace and found through /proc/self/mountinfo: detection, label and
volume serial, assignment, import, re-plugging, verified deletion.

Needs root (mounts), util-linux (unshare, losetup), dosfstools (mkfs.vfat) and
ffmpeg. The kernel's vfat driver is used when it has one; otherwise the FAT image
is mounted through FUSE with fusefat (Debian package ``fusefat``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main as cli
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from keys_kit import keys_of, open_workspace

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
LABEL, VOLUME_ID = "BODYCAM01", "1234ABCD"

# Attach the image to a loop device and mount it; both undone however the command ends.
MOUNT_SCRIPT = r"""
set -e
mp=$1; img=$2; shift 2
dev=$(losetup -f --show "$img")
cleanup() { umount "$mp" 2>/dev/null || true; losetup -d "$dev"; }
trap cleanup EXIT
if grep -qw vfat /proc/filesystems; then
    mount -t vfat "$dev" "$mp"
else
    fusefat -o rw+,fsname="$dev",subtype=fusefat "$dev" "$mp" >/dev/null 2>&1
fi
"$@"
"""

# Runs inside the namespace, with the card mounted: one plug-in of the camera.
DRIVER = r"""
import contextlib, io, json, shutil, sys
from pathlib import Path
from cli import main as cli
from app.evidence.bodycam import (CameraImport, delete_from_camera, find_camera_volumes, pending_files,
                                  verify_imported)
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace
from local_db.evidence_sources_repository import CameraAssignmentRepository
import os; sys.path.insert(0, os.environ["FIELDINSPECT_TESTS"])
from keys_kit import as_, open_workspace

step, mnt, data, src = sys.argv[1], Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
out = {}

def copy_onto_card(folder):
    # FAT through FUSE has no chmod or utime: plain copies, as a camera writes them
    for path in sorted(folder.rglob("*")):
        target = mnt / path.relative_to(folder)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            shutil.copyfile(path, target)

def run_cli(*args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main([*args, "--data", data])
    return code, buf.getvalue()

def volumes():
    ws = open_workspace(Path(data))
    try:
        found = find_camera_volumes(assignments=CameraAssignmentRepository(ws.db))
        locker = EvidenceLocker(ws)
        return [dict(mount=str(v.mount_point), label=v.label, serial=v.serial, source=v.serial_source,
                     volume_id=v.volume_id, officer=v.officer_id, folders=[p.name for p in v.media_folders],
                     pending=sorted(p.relative_to(v.mount_point).as_posix() for p in pending_files(locker, v)))
                for v in found]
    finally:
        ws.close()

if step == "first":
    copy_onto_card(src / "first")
    out["volumes"] = volumes()
    serial = out["volumes"][0]["serial"]
    os.environ["FIELDINSPECT_PIN"] = "200101"  # L01 assigns the camera
    out["assign"] = run_cli("cameras", "--assign", serial, "--officer", "33010621001", "--by", "L01")
    os.environ["FIELDINSPECT_PIN"] = "100101"
    out["listing"] = run_cli("cameras")
    out["import"] = run_cli("import", "--camera", str(mnt), "--inspection", "JC-2026-1101")
    out["after"] = volumes()
elif step == "again":
    copy_onto_card(src / "again")
    out["volumes"] = volumes()
    ws = open_workspace(Path(data))
    try:
        locker = EvidenceLocker(ws)
        [volume] = find_camera_volumes(assignments=CameraAssignmentRepository(ws.db))
        job = CameraImport(locker, volume, inspection_id="JC-2026-1101", actor=as_(ws, "O01"))
        list(job.run())
        out["imported"] = sorted(i.original_name for i in job.report.imported)
        out["checks"] = {c.rel_path: c.problem for c in verify_imported(locker, volume)}
        gone = delete_from_camera(locker, volume, [mnt / "DCIM/100MEDIA/VID_0001.MP4"], actor="O01")
        out["deleted"] = [p.relative_to(mnt).as_posix() for p in gone]
    finally:
        ws.close()
out["files"] = sorted(p.relative_to(mnt).as_posix() for p in mnt.rglob("*") if p.is_file())
print(json.dumps(out, ensure_ascii=False))
"""


def _why_not() -> str | None:
    if os.geteuid() != 0:
        return "mounting a FAT image needs root"
    for tool in ("unshare", "losetup", "mkfs.vfat", "ffmpeg"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not Path("/dev/loop-control").exists():
        return "no loop devices on this machine"
    kernel_vfat = "vfat" in Path("/proc/filesystems").read_text().split()
    if not kernel_vfat and (shutil.which("fusefat") is None or not Path("/dev/fuse").exists()):
        return "the kernel has no vfat driver and fusefat (FUSE) is not available"
    probe = subprocess.run(["losetup", "-f"], capture_output=True, text=True)
    if probe.returncode != 0:
        return f"no free loop device: {probe.stderr.strip()}"
    return None


def plug(image: Path, mount: Path, step: str, data: Path, src: Path) -> dict:
    """Mount the card in a private namespace, run one step of the driver, unmount."""
    cmd = ["unshare", "--mount", "sh", "-c", MOUNT_SCRIPT, "sh", str(mount), str(image),
           sys.executable, "-c", DRIVER, step, str(mount), str(data), str(src)]
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def ffmpeg(out: Path, *args: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", *args, str(out)], check=True)


def test_a_camera_card_on_a_real_fat_volume_is_found_imported_and_cleared_on_request(tmp_path: Path) -> None:
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    src = tmp_path / "src"
    ffmpeg(src / "first/DCIM/100MEDIA/VID_0001.MP4", "-i", "testsrc=duration=2:size=160x120:rate=10",
           "-c:v", "mpeg4")
    ffmpeg(src / "first/DCIM/100MEDIA/IMG_0002.JPG", "-i", "testsrc=size=160x120", "-frames:v", "1")
    ffmpeg(src / "first/VIDEO/REC_0003.MP4", "-i", "testsrc2=duration=3:size=160x120:rate=10", "-c:v", "mpeg4")
    ffmpeg(src / "again/VIDEO/REC_0004.MP4", "-i", "smptebars=duration=2:size=160x120:rate=10", "-c:v", "mpeg4")
    image, mount, data = tmp_path / "card.img", tmp_path / "mnt", tmp_path / "data"
    mount.mkdir()
    with open(image, "wb") as fh:
        fh.truncate(64 << 20)
    subprocess.run(["mkfs.vfat", "-n", LABEL, "-i", VOLUME_ID, str(image)], check=True, capture_output=True)
    assert cli.main(["demo", "--no-media", "--data", str(data)]) == 0

    first = plug(image, mount, "first", data, src)
    [v] = first["volumes"]
    assert v["mount"] == str(mount) and v["label"] == LABEL and v["volume_id"] == "1234-ABCD"
    # no device-information file on this card: the volume serial names it, and says so
    assert (v["serial"], v["source"]) == ("1234-ABCD", "volume-id")
    assert v["folders"] == ["DCIM", "VIDEO"] and v["officer"] is None
    assert v["pending"] == ["DCIM/100MEDIA/IMG_0002.JPG", "DCIM/100MEDIA/VID_0001.MP4", "VIDEO/REC_0003.MP4"]
    assert first["assign"][0] == 0
    code, listing = first["listing"]
    assert code == 0 and "1234-ABCD" in listing and LABEL in listing and "张伟 O01" in listing
    assert "pending files: 3" in listing
    code, text = first["import"]
    assert code == 0 and "imported 3" in text
    assert first["after"][0]["pending"] == [] and first["after"][0]["officer"] == "O01"

    again = plug(image, mount, "again", data, src)  # unplugged, recorded more, plugged in again
    assert again["volumes"][0]["serial"] == "1234-ABCD"
    assert again["volumes"][0]["pending"] == ["VIDEO/REC_0004.MP4"]
    assert again["imported"] == ["REC_0004.MP4"]
    assert set(again["checks"].values()) == {""} and len(again["checks"]) == 4
    assert again["deleted"] == ["DCIM/100MEDIA/VID_0001.MP4"]
    assert "DCIM/100MEDIA/VID_0001.MP4" not in again["files"]
    assert {"DCIM/100MEDIA/IMG_0002.JPG", "VIDEO/REC_0003.MP4", "VIDEO/REC_0004.MP4"} <= set(again["files"])

    report = verify_folder(data, keys=keys_of(data))
    assert report.ok, [p.describe("en") for p in report.problems]
    assert report.records == 4
    ws = open_workspace(data)
    try:
        actions = [(e.action, e.actor) for e in ws.audit.repo.entries() if e.action.startswith("camera.")]
        assert actions == [("camera.assigned", "L01"), ("camera.file_deleted", "O01")]
        sources = {r[0] for r in ws.db.execute("SELECT source_kind || ':' || source_detail FROM evidence")}
        assert sources == {"body_camera:1234-ABCD"}
    finally:
        ws.close()
