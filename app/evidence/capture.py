"""Webcam capture: live frames, photos and video segments, each sealed as it is taken.

One code path serves a camera (an OpenCV device index) and a video file (tests,
demonstrations): :class:`VideoSource` wraps ``cv2.VideoCapture(int | str)``.
A :class:`CaptureSession` runs a reader thread that reads frames, keeps only the
newest for display (:class:`LatestFrame`, size 1: the reader never waits for the
screen), and, while recording, writes ``mp4v`` segments cut by frame count
(frame rate × segment length). Each closed segment, and each photo, is sealed on
a single sealing thread through the evidence locker, so the reader keeps reading
while a segment is hashed. Segment files, their journals and crash recovery are
in app/evidence/segments.py and app/evidence/recovery.py.

A read that fails on a live source means the camera is gone: the open segment is
closed and sealed, the session stops and reports :class:`CameraLost`. On a file
source the end of the file simply ends the recording.
"""

from __future__ import annotations

import glob
import io
import math
import os
import secrets
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from app.access import Permission, acting, refuse
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType, Officer
from app.evidence import errors
from app.evidence.errors import EvidenceError
from app.evidence.locker import EvidenceLocker, IngestResult, evidence_type_of
from app.session import Session
from app.evidence.segments import (
    CameraLost,
    CameraUnavailable,
    NoFrameYet,
    RecordingFolder,
    RecordingMediumReadOnly,
    RecordingStoppedDiskFull,
    SegmentJournal,
    SegmentWriter,
    disk_full,
    seal_closed_segment,
    start_segment,
)
from local_db.errors import UserFacingError

DEFAULT_SEGMENT_SECONDS = 60.0
DEFAULT_FPS = 25.0  # when a camera does not say
LOST_AFTER_S = 1.0  # a live source that fails to deliver this long is taken as unplugged
JPEG_QUALITY = 92


@dataclass(frozen=True, slots=True)
class CameraInfo:
    index: int  # what cv2.VideoCapture takes
    name: str
    device: str = ""  # /dev/videoN on Linux


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray  # BGR, as OpenCV delivers it
    number: int  # 1-based, frames read since the session started
    at: datetime  # wall-clock time it was read (China time)


def list_cameras(max_index: int = 4, budget_s: float = 1.5) -> list[CameraInfo]:
    """The cameras present, found without blocking for long.

    On Linux the V4L2 nodes and their sysfs names are read and nothing is opened
    (a UVC camera's second node, its metadata stream, is left out). Elsewhere the
    first ``max_index`` indices are opened in turn, each in a daemon thread, within
    ``budget_s`` seconds in all: some drivers hang on an index with no camera.
    """
    if sys.platform.startswith("linux"):
        found = []
        for node in sorted(glob.glob("/dev/video*"), key=lambda p: int("0" + "".join(filter(str.isdigit, p)))):
            number = int("0" + "".join(filter(str.isdigit, os.path.basename(node))))
            sysfs = Path("/sys/class/video4linux") / os.path.basename(node)
            if _read(sysfs / "index") not in ("", "0"):
                continue  # the metadata node of a camera whose capture node is listed already
            found.append(CameraInfo(number, _read(sysfs / "name") or f"Camera {number}", node))
        return found
    found, deadline = [], time.monotonic() + budget_s
    for index in range(max_index):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        result: list[bool] = []
        probe = threading.Thread(target=lambda i=index: result.append(_opens(i)), daemon=True)
        probe.start()
        probe.join(left)
        if result and result[0]:
            found.append(CameraInfo(index, f"Camera {index}"))
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8", "replace").strip()
    except OSError:
        return ""


def _opens(index: int) -> bool:
    cap = cv2.VideoCapture(index)
    try:
        return cap.isOpened()
    finally:
        cap.release()


class VideoSource:
    """Frames from a camera index or a video file, through the same ``cv2.VideoCapture`` path.

    ``live`` (default: True for a camera) decides what a failed read means: camera
    lost, or end of the file. ``pace`` (default: True for a camera, where reads wait
    for the sensor anyway) makes file reads keep the file's frame rate.
    """

    def __init__(self, target: int | str | Path, *, live: bool | None = None, pace: bool | None = None) -> None:
        self.target: int | str = target if isinstance(target, int) else str(target)
        is_camera = isinstance(target, int)
        self.live = is_camera if live is None else live
        self.pace = (not is_camera and self.live) if pace is None else pace
        self._cap = cv2.VideoCapture(self.target)
        if not self._cap.isOpened():
            self._cap.release()
            raise CameraUnavailable(self.detail)
        fps = self._cap.get(cv2.CAP_PROP_FPS)
        self.claimed_fps = float(fps) if fps and math.isfinite(fps) and 1 <= fps <= 240 else DEFAULT_FPS
        self.size = (int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        self._started: float | None = None
        self._read = 0
        self._times: deque[float] = deque(maxlen=50)  # when the last frames of a camera arrived

    @property
    def fps(self) -> float:
        """Frames per second to record at: a file's own rate; for a camera, the rate it really delivers.

        Many webcams claim 30 and deliver 15 in poor light; writing at the claimed
        rate would make a segment play twice as fast and misstate its duration.
        """
        times = self._times
        if isinstance(self.target, int) and len(times) >= 25 and times[-1] > times[0]:
            measured = (len(times) - 1) / (times[-1] - times[0])
            if abs(measured - self.claimed_fps) > 0.15 * self.claimed_fps:
                return round(measured, 2)
        return self.claimed_fps

    @property
    def detail(self) -> str:
        """The seal record's source detail: ``webcam:<index>`` or the file path."""
        return f"webcam:{self.target}" if isinstance(self.target, int) else self.target

    def read(self) -> np.ndarray | None:
        """The next frame, or None when the source has none (ended, unplugged)."""
        if self.pace and not isinstance(self.target, int):
            now = time.monotonic()
            if self._started is None:
                self._started = now
            wait = self._started + self._read / self.claimed_fps - now
            if wait > 0:
                time.sleep(wait)
        ok, image = self._cap.read()
        if not ok or image is None:
            return None
        self._read += 1
        self._times.append(time.monotonic())
        return image

    def close(self) -> None:
        self._cap.release()


class LatestFrame:
    """A slot holding the newest frame only: older ones are dropped, the writer never waits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: Frame | None = None

    def put(self, frame: Frame) -> bool:
        """Store ``frame``; True when the slot was empty (the reader should be told)."""
        with self._lock:
            was_empty = self._frame is None
            self._frame = frame
        return was_empty

    def take(self) -> Frame | None:
        """The newest frame, emptying the slot."""
        with self._lock:
            frame, self._frame = self._frame, None
        return frame


# --- what a session reports (on the reader or sealing thread: the UI turns them into signals) ---


@dataclass(frozen=True, slots=True)
class SegmentStarted:
    index: int


@dataclass(frozen=True, slots=True)
class SegmentSealed:
    index: int
    frames: int
    item: EvidenceItem


@dataclass(frozen=True, slots=True)
class PhotoSealed:
    item: EvidenceItem
    duplicate: bool = False  # the same frame was sealed already (content addressed)


@dataclass(frozen=True, slots=True)
class CaptureFailed:
    """A problem the officer must see: :class:`CameraLost`, a seal that failed, a disk error."""

    error: UserFacingError


@dataclass(frozen=True, slots=True)
class SourceEnded:
    """The reader stopped: the file ended, the camera was lost, or :meth:`CaptureSession.stop`."""

    frames: int


CaptureEvent = SegmentStarted | SegmentSealed | PhotoSealed | CaptureFailed | SourceEnded


class CaptureSession:
    """Preview, photos and segmented recording from one source, for named officers and an inspection."""

    def __init__(self, locker: EvidenceLocker, source: VideoSource, *, officer_certs: Sequence[str] = (),
                 inspection_id: str | None = None, evidence_type: EvidenceType | str = EvidenceType.AUDIOVISUAL,
                 segment_seconds: float = DEFAULT_SEGMENT_SECONDS,
                 on_frame: Callable[[Frame], None] | None = None,
                 on_event: Callable[[CaptureEvent], None] | None = None,
                 sealer: Executor | None = None, operator: Session | None = None) -> None:
        # Checked now, so a wrong officer or type fails before a frame is recorded (R15).
        self.evidence_type = evidence_type_of(evidence_type)
        person = self._operator(locker, operator, inspection_id)
        officer_certs = self._collectors(locker, person, officer_certs, inspection_id)
        locker.collectors(officer_certs, inspection_id)
        self.locker = locker
        self.source = source
        self.officer_certs = officer_certs
        self.inspection_id = inspection_id
        # who is at the device: named in the audit log as the one who sealed
        self.operator = operator if person is not None else None  # the session, once checked
        self.segment_seconds = float(segment_seconds)
        self.on_frame = on_frame
        self.on_event = on_event
        self.latest = LatestFrame()
        self.session_id = f"{self._now().strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(3)}"
        self.frames_read = 0
        self.frames_recorded = 0
        self.segments_started = 0
        self.segments_sealed = 0
        self.sealed: list[EvidenceItem] = []
        self.error: UserFacingError | None = None
        self._own_sealer = sealer is None
        self._sealer = sealer or ThreadPoolExecutor(max_workers=1, thread_name_prefix="seal")
        self._pending: list[Future] = []
        self._current: Frame | None = None
        self._want_recording = False
        self._writer: SegmentWriter | None = None
        self._folder: RecordingFolder | None = None
        self._stop = threading.Event()
        self._applied = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=f"capture-{source.detail}", daemon=True)

    # --- control (any thread) -----------------------------------------------------------------

    def start(self) -> None:
        """Start reading frames."""
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def recording(self) -> bool:
        """A recording is under way (between two segments too)."""
        return self._writer is not None or (self._want_recording and self.running)

    def set_collectors(self, officer_certs: Sequence[str], inspection_id: str | None,
                       operator: Session | None = None) -> None:
        """Name the officers, inspection and operator for the next photo and segment (an open
        segment keeps its own). The operator is the signed-in session, checked for capture;
        with one, the collector is that person (``officer_certs`` may name nobody else)."""
        person = self._operator(self.locker, operator, inspection_id)
        officer_certs = self._collectors(self.locker, person, officer_certs, inspection_id)
        self.locker.collectors(officer_certs, inspection_id)
        self.officer_certs, self.inspection_id = officer_certs, inspection_id
        if person is not None:
            self.operator = operator

    @staticmethod
    def _operator(locker: EvidenceLocker, operator: Session | None, inspection_id: str | None) -> Officer | None:
        """The operator, once their session may capture for this inspection (refused and audited
        otherwise)."""
        if operator is None:
            return None
        inspection = locker.ws.inspections.get(inspection_id) if inspection_id else None
        return acting(locker.ws, operator, Permission.CAPTURE, inspection_id or "",
                      agency=inspection.agency_id if inspection else None,
                      assisting=inspection.assistant_ids if inspection else ())

    @staticmethod
    def _collectors(locker: EvidenceLocker, person: Officer | None, officer_certs: Sequence[str],
                    inspection_id: str | None) -> tuple[str, ...]:
        """Who collects: the signed-in operator themself (by certificate, or roster id for
        auxiliary staff); only a camera running before anyone acts names its officers.
        Naming someone else is refused, and the refusal is on the record."""
        named = tuple(dict.fromkeys(officer_certs))
        if person is None:
            return named
        own = (person.cert_no or person.id,)
        if named and named != own:
            refuse(locker.ws, person.id, errors.CollectorNotSignedIn(person.name, named), inspection_id or "",
                   act="capture")
        return own

    def start_recording(self) -> None:
        """Begin a recording at the next frame."""
        self._want_recording = True

    def stop_recording(self, timeout: float = 5.0) -> None:
        """End the recording; returns once its last segment has been handed to the sealer."""
        self._want_recording = False
        with self._applied:
            self._applied.wait_for(lambda: self._writer is None or not self.running, timeout)

    def take_photo(self, evidence_type: EvidenceType | str | None = None) -> Future[IngestResult]:
        """Seal the frame on screen now as a JPEG photo; the future gives the sealed item."""
        frame = self._current
        if frame is None:
            raise NoFrameYet()
        kind = evidence_type_of(evidence_type) if evidence_type is not None else self.evidence_type
        return self._submit(self._seal_photo, frame, kind, self.officer_certs, self.inspection_id)

    def stop(self, timeout: float = 30.0, *, wait_seals: bool = True) -> None:
        """Stop reading and close the open segment; with ``wait_seals``, wait until all is sealed.

        Without waiting the seals finish in the background (a window can close at
        once); should the program end first, recovery seals the files on the next start.
        """
        self._want_recording = False
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        if wait_seals:
            self.wait_sealed(timeout)
        if self._own_sealer:
            self._sealer.shutdown(wait=wait_seals)

    def wait_sealed(self, timeout: float | None = None) -> None:
        """Wait until every photo and closed segment handed over so far is sealed (or failed)."""
        for future in list(self._pending):
            future.exception(timeout)

    # --- reader thread -----------------------------------------------------------------------------

    def _run(self) -> None:
        failing_since: float | None = None
        try:
            while not self._stop.is_set():
                image = self.source.read()
                if image is None:
                    if self.source.live and not self._stop.is_set():
                        failing_since = failing_since or time.monotonic()
                        if time.monotonic() - failing_since < LOST_AFTER_S:
                            time.sleep(0.02)  # a driver hiccup is not yet an unplugged camera
                            continue
                        self._close_segment()  # the files are whole on disk; the seal follows
                        self._fail(CameraLost(self.source.detail, self.segments_started))
                    break
                failing_since = None
                self.frames_read += 1
                frame = Frame(image, self.frames_read, self._now())
                self._current = frame
                if self.latest.put(frame) and self.on_frame is not None:
                    self.on_frame(frame)
                self._apply_recording_state(image)
                if self._writer is not None:
                    before = self._writer.frames
                    try:
                        self._writer.write(image)
                    finally:  # a frame that reached the encoder is in the segment, even when its spooling failed
                        self.frames_recorded += self._writer.frames - before
                    if self._writer.full:
                        self._close_segment()  # the next frame opens the next segment
        except UserFacingError as exc:
            self._fail(exc)
        except OSError as exc:
            self._fail_on_disk(exc)
        except cv2.error as exc:
            self._fail(EvidenceError(f"录像出错：{exc}", f"Recording failed: {exc}"))
        finally:
            self._want_recording = False
            try:
                self._close_segment()
            except OSError as exc:  # even the reserve did not hold: the spool stays for recovery
                self._fail_on_disk(exc)
            if self._folder is not None:
                self._submit(self._folder.close)  # after every seal queued before it
            self.source.close()
            self._emit(SourceEnded(self.frames_read))
            with self._applied:
                self._applied.notify_all()

    def _apply_recording_state(self, image: np.ndarray) -> None:
        """Open or close the segment as asked, so the frame just read is the first or not recorded."""
        if self._want_recording and self._writer is None:
            self._open_segment(image)
        elif not self._want_recording and self._writer is not None:
            self._close_segment()
        with self._applied:
            self._applied.notify_all()

    def _open_segment(self, sample: np.ndarray) -> None:
        if self._folder is None:
            self._folder = RecordingFolder(self.locker.ws.folder, self.session_id, master=self.locker.store.master)
        self.segments_started += 1
        self._writer = start_segment(
            self._folder, self.segments_started, source_detail=self.source.detail, officers=self.officer_certs,
            inspection_id=self.inspection_id, evidence_type=self.evidence_type.value, started_at=self._now(),
            fps=self.source.fps, size=(sample.shape[1], sample.shape[0]), seconds=self.segment_seconds)
        self._emit(SegmentStarted(self.segments_started))

    def _close_segment(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:  # it holds a frame at least: segments open on the frame they record
            self._submit(self._seal_segment, writer.close(self._now()), writer.path)

    # --- sealing thread ------------------------------------------------------------------------------

    def _seal_segment(self, journal: SegmentJournal, path: Path) -> IngestResult:
        try:
            result = seal_closed_segment(self.locker, journal, path, session=self.operator)
        except UserFacingError as exc:
            self._fail(exc)  # the files stay; recovery seals them on the next start
            raise
        self.sealed.append(result.item)
        self.segments_sealed += 1
        self._emit(SegmentSealed(journal.index, journal.frames or 0, result.item))
        return result

    def _seal_photo(self, frame: Frame, kind: EvidenceType, certs: tuple[str, ...],
                    inspection_id: str | None) -> IngestResult:
        # Encoded here, not on the caller's (GUI) thread; each frame is its own array, never reused.
        ok, encoded = cv2.imencode(".jpg", frame.image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        try:
            if not ok:
                raise NoFrameYet()
            result = self.locker.ingest_stream(
                io.BytesIO(encoded.tobytes()), evidence_type=kind, officer_certs=certs,
                source_kind=EvidenceSourceKind.WEBCAM, source_detail=self.source.detail,
                original_name=f"{self.session_id}-photo-{frame.number:06d}.jpg",
                inspection_id=inspection_id, captured_at=frame.at, session=self.operator)
        except UserFacingError as exc:
            self._fail(exc)
            raise
        self.sealed.append(result.item)
        self._emit(PhotoSealed(result.item, result.duplicate))
        return result

    # --- shared ----------------------------------------------------------------------------------------

    def _submit(self, fn: Callable[..., object], *args: object) -> Future:
        future = self._sealer.submit(fn, *args)
        self._pending.append(future)
        return future

    def _fail_on_disk(self, exc: OSError) -> None:
        """A write of the recording failed: a full disk and a read-only medium each have their message."""
        import errno

        recorded = max(0, self.segments_started - (self._writer is None))  # None: the last one never opened
        if disk_full(exc):
            try:
                self._close_segment()  # in the space the reserve gave back: what was recorded is sealed
            except OSError:
                self._fail(RecordingStoppedDiskFull(recorded, sealed=False))
                return
            self._fail(RecordingStoppedDiskFull(recorded))
        elif exc.errno == errno.EROFS:
            self._fail(RecordingMediumReadOnly(recorded))
        else:
            self._fail(EvidenceError(f"录像出错：{exc}", f"Recording failed: {exc}"))

    def _fail(self, error: UserFacingError) -> None:
        self.error = error
        self._emit(CaptureFailed(error))

    def _emit(self, event: CaptureEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def _now(self) -> datetime:
        return self.locker.ws.clock().replace(microsecond=0)
