"""Body cameras: find their volumes, know who wears them, take in what is new, and
delete from a camera only what is proven sealed — and only when asked.

A body camera plugged in over USB (or its card in a reader) shows up as a
removable FAT/exFAT/NTFS volume. It is a *camera volume* when it has a folder
cameras record into (:data:`CAMERA_FOLDERS`) holding media. Which camera it is:

1. the serial written by the camera in a device-information file
   (:data:`DEVICE_INFO_FILES`: GoPro's ``MISC/version.txt``, JSON with
   ``"camera serial number"``; a plain ``DEVICE.TXT``/``DEVICEINFO.TXT`` with a
   ``serial``/``SN``/``设备编号``/``产品序号`` line, as some 执法记录仪 write);
2. otherwise the file system's volume serial (``1234-ABCD`` for FAT): it names
   the *card*, not the camera, and changes when the card is formatted;
3. otherwise the volume label, which many cards share ("NO NAME");
4. otherwise the folder name. :attr:`CameraVolume.serial_source` says which.

Files taken in are remembered (:mod:`local_db.evidence_sources_repository`) by
path, size and modification time, so listing what is new needs no hashing; the
seal remains the authority for deleting.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.atomic_files import fsync_dir
from app.crypto import sha256_file
from app.domain import EvidenceSourceKind, EvidenceType, Officer
from app.evidence import errors, media
from app.evidence.importer import FileImport, collect_files
from app.evidence.locker import EvidenceLocker, IngestResult
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.evidence_sources_repository import (
    CameraAssignment,
    CameraAssignmentRepository,
    CameraImportRepository,
    ImportedSource,
)

# Top-level folders cameras record into, compared without case: DCIM (DCF, with
# 100MEDIA…), and those of body cameras and dash cameras.
CAMERA_FOLDERS = ("DCIM", "VIDEO", "PHOTO", "PICTURE", "AUDIO", "VOICE", "RECORD", "MOVIE",
                  "NORMAL", "EVENT", "EMR", "EVIDENCE", "IMP", "PROTECTED", "LOCKED")
DEVICE_INFO_FILES = ("MISC/version.txt", "DEVICE.TXT", "DEVICEINFO.TXT")
# Keys naming the serial in such a file, the more specific first.
SERIAL_KEYS = ("camera serial number", "serial number", "serialnumber", "serial", "sn", "产品序号", "设备序列号",
               "序列号", "设备编号", "device id", "deviceid", "device_id")
# File systems cameras and card readers use; FUSE mounts name theirs as a subtype.
CAMERA_FS_TYPES = {"vfat", "msdos", "fat", "exfat", "ntfs", "ntfs3", "fuseblk"}
FUSE_SUBTYPES = {"fusefat", "exfat", "exfat-fuse", "ntfs-3g", "lowntfs-3g", "ntfs"}
MOUNTINFO = Path("/proc/self/mountinfo")
_FAT_IOCTL_GET_VOLUME_ID = 0x80047213  # _IOR('r', 0x13, __u32), Linux vfat


@dataclass(frozen=True, slots=True)
class MountedVolume:
    """A mounted file system that may hold a camera's files."""

    mount_point: Path
    fs_type: str
    device: str = ""
    label: str = ""
    volume_id: str = ""


@dataclass(frozen=True, slots=True)
class CameraVolume:
    """A mounted body camera (or its card): where, which one, and who wears it."""

    mount_point: Path
    label: str
    serial: str
    serial_source: str  # "device-info:<file>", "volume-id", "volume-label" or "folder-name"
    media_folders: tuple[Path, ...]
    officer_id: str | None = None  # assigned wearer, from camera_assignments
    volume_id: str = ""


@dataclass(frozen=True, slots=True)
class SourceCheck:
    """A camera file hashed again and compared with its seal."""

    path: Path
    rel_path: str
    sealed_sha256: str | None
    actual_sha256: str | None
    problem: str = ""  # "", "not-imported", "changed", "unreadable", "original-altered"

    @property
    def ok(self) -> bool:
        return not self.problem


# --- errors ----------------------------------------------------------------------------

class NotACameraVolume(errors.EvidenceError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"“{path}”不是执法记录仪存储卷（没有含照片或视频的 DCIM、VIDEO 等文件夹）。",
                         f"“{path}” is not a body-camera volume (no DCIM, VIDEO… folder holding photos or videos).")
        self.path = path


class CameraNotAssigned(errors.EvidenceError):
    def __init__(self, serial: str) -> None:
        super().__init__(f"执法记录仪 {serial} 尚未分配给执法人员；请指定执法证号，或先分配该记录仪。",
                         f"Body camera {serial} is not assigned to an officer; give a certificate number "
                         "or assign the camera first.")
        self.serial = serial


class CertificateRequired(errors.EvidenceError):
    def __init__(self, officer_id: str) -> None:
        super().__init__(f"{officer_id} 没有执法证，不能作为执法记录仪的使用人（证据须记录执法证号）。",
                         f"{officer_id} holds no enforcement certificate and cannot be a body camera's wearer "
                         "(evidence names officers by certificate number).")


class CameraDeleteRefused(errors.EvidenceError):
    """Some files are not proven sealed; nothing was deleted."""

    def __init__(self, checks: Sequence[SourceCheck]) -> None:
        why_zh = {"not-imported": "尚未导入", "changed": "导入后已被改动，与封存的 SHA-256 不符",
                  "unreadable": "无法读取", "original-altered": "证据库中的原件缺失或与封存不符"}
        lines_zh = "；".join(f"{c.rel_path}（{why_zh.get(c.problem, c.problem)}）" for c in checks)
        lines_en = "; ".join(f"{c.rel_path} ({c.problem})" for c in checks)
        super().__init__(f"拒绝删除：以下文件未能证明已完整封存，记录仪上的文件均未删除：{lines_zh}。",
                         f"Deletion refused: these files are not proven sealed, and nothing was deleted "
                         f"from the camera: {lines_en}.")
        self.checks = tuple(checks)


class CameraDeleteFailed(errors.EvidenceError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"无法删除记录仪上的文件“{name}”（{reason}），该文件保留在记录仪上。",
                         f"The file “{name}” could not be deleted from the camera ({reason}); it stays there.")


# --- finding camera volumes ----------------------------------------------------------------

def find_camera_volumes(roots: Iterable[Path] | None = None, *,
                        assignments: CameraAssignmentRepository | None = None) -> list[CameraVolume]:
    """Camera volumes among ``roots`` (folders taken as volume roots), or among the
    removable volumes mounted on this machine when ``roots`` is None."""
    mounts = {m.mount_point: m for m in removable_mounts()} if roots is None else {}
    if roots is not None:
        known = {m.mount_point: m for m in _all_mounts()}
        for root in roots:
            path = Path(root).resolve()
            mounts[path] = known.get(path, MountedVolume(path, ""))
    found = []
    for mount in mounts.values():
        folders = camera_folders(mount.mount_point)
        if not folders:
            continue
        label, volume_id = volume_identity(mount)
        serial, source = camera_serial(mount.mount_point) or _fallback_serial(mount.mount_point, label, volume_id)
        assigned = assignments.get(serial) if assignments is not None else None
        found.append(CameraVolume(mount.mount_point, label, serial, source, folders,
                                  assigned.officer_id if assigned else None, volume_id))
    return sorted(found, key=lambda v: str(v.mount_point))


def _fallback_serial(root: Path, label: str, volume_id: str) -> tuple[str, str]:
    if volume_id:
        return volume_id, "volume-id"
    if label:
        return label, "volume-label"
    return root.name or str(root), "folder-name"


def camera_volume_at(path: Path, *, assignments: CameraAssignmentRepository | None = None) -> CameraVolume:
    """The camera volume whose root is ``path``; raises when it holds no camera folder."""
    found = find_camera_volumes([path], assignments=assignments)
    if not found:
        raise NotACameraVolume(Path(path))
    return found[0]


def camera_folders(root: Path) -> tuple[Path, ...]:
    """The camera folders directly under ``root`` that hold at least one media file."""
    try:
        children = sorted(p for p in Path(root).iterdir() if p.is_dir())
    except OSError:
        return ()
    wanted = {name.casefold() for name in CAMERA_FOLDERS}
    return tuple(p for p in children if p.name.casefold() in wanted and _holds_media(p))


def _holds_media(folder: Path) -> bool:
    return any(_is_media(f) for f in collect_files([folder]))


def _is_media(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return media.sniff(fh.read(media.SNIFF_BYTES)) is not None
    except OSError:
        return False


def camera_serial(root: Path) -> tuple[str, str] | None:
    """(serial, "device-info:<file>") from the camera's own information file, if any."""
    for name in DEVICE_INFO_FILES:
        path = _child_ignoring_case(Path(root), name)
        if path is None:
            continue
        try:
            with open(path, "rb") as fh:
                text = fh.read(65536).decode("utf-8-sig", errors="replace")
        except OSError:
            continue
        serial = _serial_in(text)
        if serial:
            return serial, f"device-info:{path.relative_to(root).as_posix()}"
    return None


def _serial_in(text: str) -> str | None:
    pairs: dict[str, str] = {}
    with contextlib.suppress(ValueError, AttributeError):
        data = json.loads(text)
        if isinstance(data, dict):
            pairs = {str(k).strip().casefold(): str(v) for k, v in data.items()}
    if not pairs:
        for line in text.splitlines():
            for sep in ("=", ":", "：", "\t"):
                key, found, value = line.partition(sep)
                if found:
                    pairs.setdefault(key.strip().strip('"').casefold(), value.strip(' "\t,'))
                    break
    for key in SERIAL_KEYS:
        if pairs.get(key, "").strip():
            return _clean(pairs[key])
    return None


def _clean(value: str) -> str | None:
    value = "".join(c for c in value if c.isprintable()).strip()[:64]
    return value or None


def _child_ignoring_case(root: Path, rel: str) -> Path | None:
    path = root
    for part in rel.split("/"):
        try:
            path = next(p for p in path.iterdir() if p.name.casefold() == part.casefold())
        except (OSError, StopIteration):
            return None
    return path if path.is_file() else None


def removable_mounts() -> list[MountedVolume]:
    """Mounted volumes of the kinds cameras and card readers present."""
    if sys.platform == "win32":
        return _windows_drives()
    return [m for m in _all_mounts() if _camera_fs(m) and not str(m.mount_point).startswith("/boot")]


def _camera_fs(m: MountedVolume) -> bool:
    kind, _, subtype = m.fs_type.partition(".")
    return kind in CAMERA_FS_TYPES or (kind == "fuse" and (subtype in FUSE_SUBTYPES or
                                                           (not subtype and m.device.startswith("/dev/"))))


def _all_mounts() -> list[MountedVolume]:
    try:
        return parse_mountinfo(MOUNTINFO.read_text("utf-8", errors="surrogateescape"))
    except OSError:
        return []


def parse_mountinfo(text: str) -> list[MountedVolume]:
    """Whole-file-system mounts listed in ``/proc/<pid>/mountinfo`` (proc(5)), one per device."""
    found: dict[str, MountedVolume] = {}
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2 or fields[3] != "/":
            continue  # malformed, or a bind mount of a sub-folder
        mount = MountedVolume(Path(_unescape(fields[4])), tail[0], _unescape(tail[1]))
        found.setdefault(mount.device if mount.device.startswith("/") else str(mount.mount_point), mount)
    return list(found.values())


def _unescape(field: str) -> str:
    # The kernel writes space, tab, newline and backslash as octal escapes.
    for code in ("\\040", "\\011", "\\012", "\\134"):
        field = field.replace(code, chr(int(code[1:], 8)))
    return field


def volume_identity(mount: MountedVolume) -> tuple[str, str]:
    """(volume label, volume serial) of a mounted volume, each "" when it cannot be read."""
    label, volume_id = mount.label, mount.volume_id
    if mount.device.startswith("/dev/"):
        device = os.path.realpath(mount.device)
        label = label or _udev_name("by-label", device)
        volume_id = volume_id or _udev_name("by-uuid", device).upper()
        if not (label and volume_id):
            sector_label, sector_id = _boot_sector_identity(device)
            label, volume_id = label or sector_label, volume_id or sector_id
    if not volume_id and mount.fs_type in ("vfat", "msdos"):
        volume_id = _fat_volume_id(mount.mount_point)
    return label, volume_id


def _udev_name(kind: str, device: str) -> str:
    folder = Path("/dev/disk") / kind
    with contextlib.suppress(OSError):
        for link in folder.iterdir():
            if os.path.realpath(link) == device:
                # udev writes unsafe characters as \xNN (bytes of the UTF-8 text)
                raw = re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]),
                             link.name.encode("utf-8", errors="surrogateescape"))
                return raw.decode("utf-8", errors="replace")
    return ""


def _boot_sector_identity(device: str) -> tuple[str, str]:
    """Label and serial from the boot sector, when the device can be read (root, disk group)."""
    try:
        with open(device, "rb") as fh:
            sector = fh.read(512)
    except OSError:
        return "", ""
    return parse_boot_sector(sector)


def parse_boot_sector(sector: bytes) -> tuple[str, str]:
    """(label, serial) from a FAT12/16/32, exFAT or NTFS boot sector."""
    if len(sector) < 512:
        return "", ""
    if sector[3:11] == b"EXFAT   ":
        return "", _dashed(struct.unpack_from("<I", sector, 100)[0])
    if sector[3:11] == b"NTFS    ":
        return "", f"{struct.unpack_from('<Q', sector, 72)[0]:016X}"
    if sector[510:512] != b"\x55\xaa":
        return "", ""
    ebpb = 64 if struct.unpack_from("<H", sector, 22)[0] == 0 else 36  # FAT32 has no 16-bit FAT size
    if sector[ebpb + 2] not in (0x28, 0x29):
        return "", ""
    serial = _dashed(struct.unpack_from("<I", sector, ebpb + 3)[0])
    label = sector[ebpb + 7:ebpb + 18].decode("gbk", errors="replace").strip() if sector[ebpb + 2] == 0x29 else ""
    return ("" if label == "NO NAME" else label), serial


def _dashed(value: int) -> str:
    return f"{value >> 16:04X}-{value & 0xFFFF:04X}"


def _fat_volume_id(mount_point: Path) -> str:
    try:
        import fcntl
        fd = os.open(mount_point, os.O_RDONLY)
    except (ImportError, OSError):
        return ""
    try:
        return _dashed(struct.unpack("<I", fcntl.ioctl(fd, _FAT_IOCTL_GET_VOLUME_ID, b"\0" * 4))[0])
    except OSError:
        return ""
    finally:
        os.close(fd)


def _windows_drives() -> list[MountedVolume]:
    """Removable drives by letter (GetLogicalDrives, GetDriveTypeW, GetVolumeInformationW)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask, found = kernel32.GetLogicalDrives(), []
    for i in range(26):
        root = f"{chr(ord('A') + i)}:\\"
        if not mask & (1 << i) or kernel32.GetDriveTypeW(root) != 2:  # DRIVE_REMOVABLE
            continue
        label, fs = ctypes.create_unicode_buffer(261), ctypes.create_unicode_buffer(261)
        serial = ctypes.c_uint32()
        ok = kernel32.GetVolumeInformationW(root, label, 261, ctypes.byref(serial), None, None, fs, 261)
        found.append(MountedVolume(Path(root), fs.value.lower() if ok else "", root,
                                   label.value if ok else "", _dashed(serial.value) if ok else ""))
    return found


# --- who wears which camera --------------------------------------------------------------

def assign_camera(ws: Workspace, serial: str, officer: str, *, actor: Session, label: str = "") -> CameraAssignment:
    """Assign camera ``serial`` to ``officer`` (certificate number or roster id); audited.

    Done by a signed-in person who may keep the device's data (not auxiliary staff).
    """
    from app.access import Permission, acting

    actor_id = acting(ws, actor, Permission.SYNC, serial.strip()).id
    if not serial.strip():
        raise errors.EvidenceError("记录仪序列号不能为空。", "The camera serial cannot be empty.")
    person = ws.officers.by_cert_no(officer) or ws.officers.get(officer)
    if person is None:
        raise errors.UnknownOfficer(officer)
    if not person.cert_no:
        raise CertificateRequired(person.id)
    repo = CameraAssignmentRepository(ws.db)
    assignment = CameraAssignment(serial.strip(), person.id, label, ws.clock().replace(microsecond=0), actor_id)
    with transaction(ws.db):
        previous = repo.get(assignment.serial)
        repo.set(assignment)
        ws.audit.append(actor_id, "camera.assigned", assignment.serial, officer_id=person.id, label=label,
                        previous_officer_id=previous.officer_id if previous else None)
    return assignment


def assigned_officer(ws: Workspace, volume: CameraVolume) -> Officer | None:
    """The officer who wears the camera, as assigned now."""
    assignment = CameraAssignmentRepository(ws.db).get(volume.serial)
    return ws.officers.get(assignment.officer_id) if assignment else None


# --- what is new on a camera, and taking it in -----------------------------------------------

def rel_path(volume: CameraVolume, path: Path) -> str:
    """``path`` relative to the volume root, '/'-separated as stored (absolute when outside it)."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(volume.mount_point).as_posix()
    except ValueError:
        return resolved.as_posix()  # matches nothing taken in from this camera


def pending_files(locker: EvidenceLocker, volume: CameraVolume) -> list[Path]:
    """Media files on the camera not yet taken in (no hashing: by path, size and time)."""
    known = CameraImportRepository(locker.ws.db).fingerprints(volume.serial)
    pending = []
    for path in collect_files(volume.media_folders):
        try:
            st = path.stat()
        except OSError:
            continue
        if (rel_path(volume, path), st.st_size, st.st_mtime_ns) not in known and st.st_size and _is_media(path):
            pending.append(path)
    return pending


class CameraImport(FileImport):
    """Seal the pending files of a body camera as ``body_camera`` evidence of its wearer."""

    def __init__(self, locker: EvidenceLocker, volume: CameraVolume, *, inspection_id: str | None,
                 actor: Session, evidence_type: EvidenceType | str | None = "audiovisual",
                 files: Sequence[Path] | None = None, cancel: threading.Event | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """``actor`` imports; the collector is the camera's wearer as assigned on this device,
        never a name given here."""
        wearer = assigned_officer(locker.ws, volume)
        if wearer is None or not wearer.cert_no:
            raise CameraNotAssigned(volume.serial)
        certs = [wearer.cert_no]
        locker.collectors(certs, inspection_id)  # fail before the camera is read
        self.volume = volume
        self.sources = CameraImportRepository(locker.ws.db)
        super().__init__(locker, list(files) if files is not None else pending_files(locker, volume),
                         inspection_id=inspection_id, actor=actor, evidence_type=evidence_type,
                         source_kind=EvidenceSourceKind.BODY_CAMERA, source_label=volume.serial,
                         cancel=cancel, clock=clock, _collectors=certs)

    def _detail(self, path: Path) -> str:
        return self.volume.serial

    def _captured_at(self, path: Path, stat: os.stat_result, media_type: str) -> datetime:
        # A camera writes a recording from start to end: the file's time is when it
        # stopped. The recording started its running time earlier.
        end = super()._captured_at(path, stat, media_type)
        duration = media.duration_ms(path, media_type) if media.is_timed(media_type) else None
        return end - timedelta(milliseconds=duration) if duration else end

    def _taken_in(self, path: Path, result: IngestResult) -> None:
        st = self.started[path]
        with transaction(self.locker.ws.db):
            self.sources.record(ImportedSource(self.volume.serial, rel_path(self.volume, path), st.st_size,
                                               st.st_mtime_ns, result.item.sha256,
                                               self.locker.ws.clock().replace(microsecond=0)))


# --- verified deletion, on request only ------------------------------------------------------

def verify_imported(locker: EvidenceLocker, volume: CameraVolume, files: Sequence[Path] | None = None, *,
                    progress: Callable[[int], None] | None = None) -> list[SourceCheck]:
    """Hash each camera file again and compare it with its seal (default: every file taken in).

    ``progress`` receives the bytes read so far. The original in the store is
    checked too: a camera file is only as safe to delete as its sealed copy.
    """
    sources = CameraImportRepository(locker.ws.db)
    if files is None:
        names = {s.rel_path for s in sources.for_serial(volume.serial)}
        files = [volume.mount_point / n for n in sorted(names) if (volume.mount_point / n).is_file()]
    checks, read = [], 0
    for path in files:
        rel = rel_path(volume, path)
        record = sources.latest(volume.serial, rel)
        if record is None or locker.items.get(record.sha256) is None:
            checks.append(SourceCheck(Path(path), rel, None, None, "not-imported"))
            continue
        try:
            actual, size = sha256_file(path)
        except OSError:
            checks.append(SourceCheck(Path(path), rel, record.sha256, None, "unreadable"))
            continue
        read += size
        if progress is not None:
            progress(read)
        problem = "changed" if actual != record.sha256 else ""
        if not problem and (not locker.store.exists(record.sha256) or
                            locker.store.hash_of(record.sha256) != (record.sha256, size)):
            problem = "original-altered"
        checks.append(SourceCheck(Path(path), rel, record.sha256, actual, problem))
    return checks


def delete_from_camera(locker: EvidenceLocker, volume: CameraVolume, files: Sequence[Path], *,
                       actor: str) -> list[Path]:
    """Delete ``files`` from the camera after proving each one sealed; audited.

    Every file is hashed again first. When any does not match its seal, nothing
    is deleted, the refusal is audited and :class:`CameraDeleteRefused` names them.
    Never called by the import itself: deletion happens only on request.
    """
    checks = verify_imported(locker, volume, list(dict.fromkeys(files)))
    refused = [c for c in checks if not c.ok]
    ws = locker.ws
    if refused:
        with transaction(ws.db):
            ws.audit.append(actor, "camera.delete_refused", volume.serial, label=volume.label,
                            files=[{"path": c.rel_path, "problem": c.problem} for c in refused])
        raise CameraDeleteRefused(refused)
    deleted = []
    for check in checks:
        with transaction(ws.db):
            ws.audit.append(actor, "camera.file_deleted", check.sealed_sha256 or "", serial=volume.serial,
                            label=volume.label, path=check.rel_path)
            try:
                os.unlink(check.path)  # inside the transaction: a failed delete is not logged as done
            except OSError as exc:
                raise CameraDeleteFailed(check.rel_path, exc.strerror or str(exc)) from None
        deleted.append(check.path)
    for folder in {p.parent for p in deleted}:
        fsync_dir(folder)
    return deleted
