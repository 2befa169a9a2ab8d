"""Video segments being recorded: their folder, journal, writer, and sealing.

A recording is cut into MPEG-4 (``mp4v``) segments. OpenCV writes each into an
anonymous memory file (``app/evidence/memfiles.py``); what it has written is
encrypted on the fly (``FIE1``, :data:`SPOOL_CHUNK` chunks) into
``<data>/evidence/recording/<session>/segment-NNNN.mp4``, so no plaintext frame
ever reaches the disk. When the segment closes, the finished MP4 replaces that
spool, encrypted whole, before the journal records the close. Beside each open
segment a small journal (``segment-NNNN.json``, format
``fieldinspect.segment/1``) says who recorded what, when, from which source, at
which frame rate and size, and carries the encoder's configuration header (the
MPEG-4 VOL), so that a segment left behind by a crash can be sealed with the
right collectors and, when its index (``moov``) was never written, rebuilt into a
playable copy (app/evidence/recovery.py). The journal is written atomically
before the first frame and again when the segment closes.

A segment and its journal are removed only after its seal has committed; a crash
at any point leaves either a sealed item, or files that recovery seals on the
next start, never both missing. The session folder holds a lock for as long as
the session runs, so recovery never takes a live recording for a leftover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from local_db.crashpoints import point

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Generator
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO


from app.atomic_files import fsync_dir
from app.crypto.filecrypt import MAGIC, EncryptedReader, EncryptedWriter, FileCryptError
from app.domain import EvidenceSourceKind
from app.evidence.errors import EvidenceError
from app.evidence.locker import EvidenceLocker, IngestResult
from app.evidence.memfiles import MemFile
from app.session import Session

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.evidence.store import RECORDING_DIR, recording_root  # noqa: F401  (re-exported)

JOURNAL_FORMAT = "fieldinspect.segment/1"
FOURCC = "mp4v"
LOCK_NAME = "session.lock"
RECOVERED_SUFFIX = ";recovered"
# Fault injection for crash tests: "<point>:<segment index>:<seconds>" makes the
# sealer wait at that point (closed, sealing, sealed) so a test can kill the process there.
PAUSE_ENV = "FIELDINSPECT_CAPTURE_PAUSE"
# The open segment reaches the disk in chunks of this size: a crash loses at most the
# bytes of one chunk plus what the encoder still buffered (about a second of video).
SPOOL_CHUNK = 16 << 10


class RecordingFailed(EvidenceError):
    """The segment file could not be created (disk full, folder not writable, codec missing)."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"无法写入录像文件 {path.name}（{reason}）。录像未开始；已封存的内容不受影响。",
            f"The recording file {path.name} cannot be written ({reason}). Recording did not start; "
            "items already sealed are not affected.",
        )


class RecordingStoppedDiskFull(EvidenceError):
    """The disk filled while a segment was being written: the recording stopped, what it held is sealed."""

    def __init__(self, segments: int, *, sealed: bool = True) -> None:
        kept_zh = "均已封存，没有丢失" if sealed else "保留在本机，腾出空间后下次启动时自动封存"
        kept_en = "is sealed; nothing was lost" if sealed else \
            "is kept on the device and sealed at the next start once there is space"
        super().__init__(
            f"磁盘空间已满，录像已自动停止。已录制的内容（共 {segments} 段）{kept_zh}。"
            "请腾出空间（或换用其他数据目录）后再开始录像。",
            f"The disk is full, so the recording stopped. What was recorded ({segments} segment(s)) {kept_en}. "
            "Free some space (or use another data folder) before recording again.")
        self.segments = segments


class RecordingMediumReadOnly(EvidenceError):
    """The data folder is on a read-only medium: no segment can be written."""

    def __init__(self, segments: int) -> None:
        super().__init__(
            "数据目录所在介质为只读，无法写入录像，录像已停止"
            + (f"；此前录制的 {segments} 段已封存。" if segments else "，未录制任何内容。"),
            "The data folder is on a read-only medium: no recording can be written, so it stopped"
            + (f"; the {segments} segment(s) recorded before are sealed." if segments else
               "; nothing was recorded."))


def disk_full(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class SpaceReserve:
    """Disk space held back while a segment is written, so that a full disk still leaves
    room to close it and seal it: twice what was spooled (the closed copy, then the
    staged one), and :data:`RESERVE_MARGIN` for the encoder's tail, the index and the
    database. The reserve grows before each chunk is spooled; when it cannot grow the
    disk is full, and the segment is closed in the space given back."""

    def __init__(self, path: Path, margin: int) -> None:
        self.path, self.margin, self.size = path, margin, 0
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)

    def hold(self, spooled: int) -> None:
        """Hold ``2 × spooled + margin`` bytes; OSError (ENOSPC) when the disk cannot give them."""
        want = 2 * spooled + self.margin
        if want <= self.size:
            return
        if hasattr(os, "posix_fallocate"):
            os.posix_fallocate(self.fd, self.size, want - self.size)
        else:  # no fallocate: write the bytes out
            os.pwrite(self.fd, bytes(want - self.size), self.size)
        self.size = want

    def release(self) -> None:
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.fd = -1
        with contextlib.suppress(OSError):
            os.unlink(self.path)


# held back beyond twice the spooled bytes: about a second of encoder output, the index, the seal's commit
RESERVE_MARGIN = 8 << 20


class CameraLost(EvidenceError):
    """The camera stopped delivering frames (unplugged, or its driver failed)."""

    def __init__(self, source: str, segments: int) -> None:
        kept_zh = (f"此前录下的 {segments} 段录像已完整保存并逐段封存，不会丢失。" if segments
                   else "没有正在进行的录像。")
        kept_en = (f"The {segments} segment(s) recorded so far are saved whole and are being sealed one by one; "
                   "nothing is lost." if segments else "No recording was under way.")
        super().__init__(f"摄像头 {source} 已断开或停止输出画面，录像已停止。{kept_zh}请检查连接后重新开始。",
                         f"The camera {source} was disconnected or stopped sending frames; recording has stopped. "
                         f"{kept_en} Check the connection and start again.")
        self.source = source
        self.segments = segments


class CameraUnavailable(EvidenceError):
    def __init__(self, source: str) -> None:
        super().__init__(f"无法打开摄像头或视频文件 {source}（可能被其他程序占用或不存在）。",
                         f"Cannot open the camera or video file {source} (it may be in use by another "
                         "program, or not exist).")
        self.source = source


class NoFrameYet(EvidenceError):
    def __init__(self) -> None:
        super().__init__("尚未收到画面，无法拍照。", "No picture has arrived yet; a photo cannot be taken.")


@dataclass(frozen=True, slots=True)
class SegmentJournal:
    """What recovery needs to seal a segment exactly as the live session would have."""

    session: str
    index: int
    file: str
    source_kind: str
    source_detail: str
    officers: tuple[str, ...]
    inspection_id: str | None
    evidence_type: str
    started_at: str  # ISO 8601 with offset, seconds precision
    fps: float
    width: int
    height: int
    codec_config: str = ""  # hex of the encoder's MPEG-4 VOL header, for rebuilding the index
    fourcc: str = FOURCC
    closed_at: str | None = None  # set once the writer has written the index (moov)
    frames: int | None = None
    format: str = JOURNAL_FORMAT

    @property
    def original_name(self) -> str:
        """The name the sealed segment carries: session and number, so segments sort in order."""
        return f"{self.session}-{self.index:04d}.mp4"

    def to_json(self) -> bytes:
        data = asdict(self)
        data["officers"] = list(self.officers)
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> SegmentJournal:
        value: dict[str, Any] = json.loads(data.decode("utf-8"))
        if value.get("format") != JOURNAL_FORMAT:
            raise ValueError(f"not a segment journal: {value.get('format')!r}")
        value["officers"] = tuple(value["officers"])
        return cls(**value)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new bytes, whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        point("segment.journal-fsync")
        os.replace(tmp, path)
        point("segment.journal-renamed")
        fsync_dir(path.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class SessionLock:
    """An exclusive, non-blocking lock on a session folder, released by the OS when the process dies."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / LOCK_NAME
        self._fh: Any = None

    def acquire(self) -> bool:
        """Take the lock; False when another live session (any process) holds it."""
        fh = open(self.path, "a+b")
        try:
            if sys.platform == "win32":
                import msvcrt
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self, *, remove: bool = False) -> None:
        """Let go of the lock; with ``remove`` also delete the lock file (the folder is done)."""
        if self._fh is None:
            return
        if remove:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        self._fh.close()  # closing the descriptor releases flock/locking
        self._fh = None


class RecordingFolder:
    """The folder of one capture session, locked while the session runs."""

    def __init__(self, data_folder: Path, session: str, *, master: MasterKey | None) -> None:
        self.session = session
        self.master = master
        self.path = recording_root(data_folder) / session
        self.path.mkdir(parents=True, exist_ok=True)
        self.lock = SessionLock(self.path)
        if not self.lock.acquire():
            raise RecordingFailed(self.path, "folder in use by another session")

    def segment_path(self, index: int) -> Path:
        return self.path / f"segment-{index:04d}.mp4"

    def journal_path(self, index: int) -> Path:
        return self.path / f"segment-{index:04d}.json"

    def close(self) -> None:
        """Release the lock; remove the folder when every segment in it has been sealed."""
        leftovers = [p for p in self.path.iterdir() if p.name != LOCK_NAME] if self.path.is_dir() else []
        self.lock.release(remove=not leftovers)
        if not leftovers:
            with contextlib.suppress(OSError):
                self.path.rmdir()


_codec_configs: dict[tuple[int, int, float], bytes] = {}


def codec_config(folder: Path, width: int, height: int, fps: float) -> bytes:
    """The MPEG-4 VOL header OpenCV's ``mp4v`` encoder writes for this size and rate.

    The MP4 muxer keeps it only in the index (``moov``/``esds``), which a killed
    writer never writes; the header is a pure function of the encoder settings, so
    a one-frame probe encoded with the same settings yields the same bytes. Empty
    when this OpenCV cannot hand back the raw stream header.
    """
    key = (width, height, float(fps))
    if key in _codec_configs:
        return _codec_configs[key]
    import cv2  # OpenCV and NumPy load only when a camera records, not at every start
    import numpy as np

    probe = MemFile("probe", ".mp4")  # even a black frame is not written to the disk
    name = str(probe.path)
    config = b""
    try:
        writer = cv2.VideoWriter(name, cv2.VideoWriter_fourcc(*FOURCC), float(fps), (width, height))
        if writer.isOpened():
            writer.write(np.zeros((height, width, 3), np.uint8))
            writer.release()
            cap = cv2.VideoCapture(name, cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
            try:
                index = int(cap.get(cv2.CAP_PROP_CODEC_EXTRADATA_INDEX))
                if cap.isOpened() and cap.grab():
                    ok, extradata = cap.retrieve(None, index)
                    if ok and extradata is not None:
                        config = bytes(extradata.ravel())
            finally:
                cap.release()
    except (cv2.error, AttributeError):  # an OpenCV without raw-stream access
        config = b""
    finally:
        probe.close()
    _codec_configs[key] = config
    return config


if TYPE_CHECKING:
    import numpy as np


class SegmentWriter:
    """One open segment: the journal is on disk before the first frame is written.

    OpenCV writes into a memory file; after each frame the bytes it has flushed
    there are appended, encrypted, to the segment's spool on disk.
    """

    def __init__(self, folder: RecordingFolder, journal: SegmentJournal, frame_limit: int) -> None:
        self.folder = folder
        self.journal = journal
        self.frame_limit = max(1, frame_limit)
        self.path = folder.segment_path(journal.index)
        self.journal_path = folder.journal_path(journal.index)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            self._spool = EncryptedWriter(fd, folder.master, chunk_size=SPOOL_CHUNK)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            raise
        self._spool_fd = fd
        self._spooled = 0
        try:
            self._reserve = SpaceReserve(self.path.with_name(f".{self.path.stem}.reserve.tmp"), RESERVE_MARGIN)
            self._reserve.hold(0)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            with contextlib.suppress(AttributeError):
                self._reserve.release()
            raise
        self._mem = MemFile(f"segment-{journal.index:04d}", ".mp4")
        write_atomic(self.journal_path, journal.to_json())
        import cv2

        self._cv2 = cv2
        self._writer = cv2.VideoWriter(str(self._mem.path), cv2.VideoWriter_fourcc(*FOURCC), journal.fps,
                                       (journal.width, journal.height))
        if not self._writer.isOpened():
            self._writer.release()
            self._abandon()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.journal_path)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
            raise RecordingFailed(self.path, f"OpenCV cannot open an {FOURCC} writer")
        self.frames = 0

    @property
    def full(self) -> bool:
        return self.frames >= self.frame_limit

    def write(self, image: np.ndarray) -> None:
        """Append one BGR frame; a frame of another size (camera switched mode) is scaled."""
        if image.shape[1] != self.journal.width or image.shape[0] != self.journal.height:
            image = self._cv2.resize(image, (self.journal.width, self.journal.height))
        self._writer.write(image)
        self.frames += 1
        self._spool_new_bytes()

    def _spool_new_bytes(self) -> None:
        """Encrypt to disk every whole chunk the encoder has flushed into memory since the last call.

        Raises OSError (ENOSPC) when the disk is full; the frames written so far, this one
        included, are all in memory and :meth:`close` puts them on disk in the reserve's space.
        """
        size = self._mem.size
        while size - self._spooled >= SPOOL_CHUNK:
            self._reserve.hold(self._spooled + SPOOL_CHUNK)
            self._spool.write(self._mem.pread(SPOOL_CHUNK, self._spooled))
            self._spooled += SPOOL_CHUNK

    def _abandon(self) -> None:
        self._reserve.release()
        with contextlib.suppress(OSError):
            self._spool.abandon()
        with contextlib.suppress(OSError):
            os.close(self._spool_fd)
        self._mem.close()

    def close(self, closed_at: datetime) -> SegmentJournal:
        """Write the index, put the finished segment on disk encrypted, record the close in the journal."""
        self._writer.release()
        self._reserve.release()  # the space held back for this: the close, then the seal
        try:
            tmp = self.path.with_name(f".{self.path.name}.closing.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with EncryptedWriter(fd, self.folder.master) as whole:
                    offset, size = 0, self._mem.size
                    while offset < size:
                        block = self._mem.pread(1 << 20, offset)
                        whole.write(block)
                        offset += len(block)
                os.fsync(fd)
            finally:
                os.close(fd)
            point("segment.close-fsync")
            os.replace(tmp, self.path)  # the spool gives way to the whole file, atomically
            point("segment.close-renamed")
            fsync_dir(self.path.parent)
        finally:
            self._abandon()
        self.journal = replace(self.journal, closed_at=closed_at.replace(microsecond=0).isoformat(),
                               frames=self.frames)
        write_atomic(self.journal_path, self.journal.to_json())
        return self.journal


def open_segment(path: Path, master: MasterKey | None) -> BinaryIO:
    """A segment's plaintext: a closed one whole, a spool a crash left up to its last whole chunk.

    A plain MP4 (written by an earlier version, or a memory file) opens as it is.
    """
    with open(path, "rb") as fh:
        encrypted = fh.read(len(MAGIC)) == MAGIC
    if not encrypted:
        return open(path, "rb", buffering=0)
    try:
        return EncryptedReader(path, master)
    except FileCryptError:
        return EncryptedReader(path, master, recover=True)


def start_segment(folder: RecordingFolder, index: int, *, source_detail: str, officers: tuple[str, ...],
                  inspection_id: str | None, evidence_type: str, started_at: datetime, fps: float,
                  size: tuple[int, int], seconds: float) -> SegmentWriter:
    """Open segment ``index`` of a webcam recording, its journal on disk first."""
    width, height = size
    journal = SegmentJournal(
        session=folder.session, index=index, file=folder.segment_path(index).name,
        source_kind=EvidenceSourceKind.WEBCAM.value, source_detail=source_detail, officers=officers,
        inspection_id=inspection_id, evidence_type=evidence_type, started_at=started_at.isoformat(),
        fps=fps, width=width, height=height, codec_config=codec_config(folder.path, width, height, fps).hex())
    return SegmentWriter(folder, journal, round(fps * seconds))


def seal_closed_segment(locker: EvidenceLocker, journal: SegmentJournal, path: Path, *,
                        session: Session | None = None) -> IngestResult:
    """Seal a segment the live session just closed, then remove its files (only after the commit)."""
    fault_pause("closed", journal.index)
    result = seal_segment(locker, journal, path, session=session)
    fault_pause("sealed", journal.index)
    remove_sealed(path.parent, journal.index)
    return result


def fault_pause(point: str, index: int) -> None:
    """Wait at a named point when :data:`PAUSE_ENV` asks for it (crash tests only)."""
    wanted = os.environ.get(PAUSE_ENV)
    if not wanted:
        return
    name, _, rest = wanted.partition(":")
    at, _, seconds = rest.partition(":")
    if name == point and at == str(index):
        print(f"capture-pause {point} {index}", file=sys.stderr, flush=True)
        time.sleep(float(seconds or 30))


def seal_segment(locker: EvidenceLocker, journal: SegmentJournal, path: Path, *, recovered: bool = False,
                 derived_from: str | None = None, derivation: str | None = None,
                 session: Session | None = None) -> IngestResult:
    """Seal a segment file as it is, with the collectors and start time of its journal.

    A segment sealed by recovery rather than by the live session carries
    :data:`RECOVERED_SUFFIX` at the end of its source detail.
    """
    detail = journal.source_detail + (RECOVERED_SUFFIX if recovered else "")
    name = journal.original_name if derived_from is None else journal.original_name.replace(
        ".mp4", f"-{derivation}.mp4")
    with open_segment(path, locker.store.master) as fh:
        steps = locker.ingest_steps(
            fh, evidence_type=journal.evidence_type, officer_certs=journal.officers,
            source_kind=EvidenceSourceKind(journal.source_kind), source_detail=detail, original_name=name,
            inspection_id=journal.inspection_id, captured_at=datetime.fromisoformat(journal.started_at),
            derived_from=derived_from, derivation=derivation, session=session)
        return _drive_with_pause(steps, journal.index)


def _drive_with_pause(steps: Generator[int, None, IngestResult], index: int) -> IngestResult:
    paused = False
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
        if not paused:
            paused = True
            fault_pause("sealing", index)  # bytes are being staged, nothing committed yet


def remove_sealed(folder: Path, index: int) -> None:
    """After the seal committed: the segment first, then its journal (a journal alone is harmless)."""
    for path in (folder / f"segment-{index:04d}.mp4", folder / f"segment-{index:04d}.json"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        point("segment.removed")
    fsync_dir(folder)
