"""Thumbnails of sealed originals, made off the GUI thread and cached on disk.

The cache lives in ``<data>/cache/thumbnails/<sha256>.jpg``: a cache, not
evidence — it is never inside ``evidence/``, may be deleted at any time and is
rebuilt on demand. A thumbnail shows the evidence, so it is stored encrypted like
it (``FIE1``, its own key wrapped by the master key) and decoded from memory.
Originals are read only through the store's decrypting ``open``; reading one for
a thumbnail is not a view by a person, so it is not logged (R17 logs people's
views and exports).

Photos are decoded by ``QImageReader`` at a reduced size (JPEG decodes at 1/2,
1/4, 1/8 scale directly); videos give the frame at 1 s, or the first frame of a
shorter clip, through OpenCV reading the same read-only file object. Everything
in a worker is a ``QImage``; the GUI thread turns finished images into pixmaps.
"""

from __future__ import annotations

import errno
import io
import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap

from app.crypto.filecrypt import FileCryptError, MasterKeyLocked, read_encrypted
from app.domain import EvidenceItem
from app.evidence.store import EvidenceStore
from ui.workers import Job, emit

log = logging.getLogger(__name__)

CACHE_DIR = Path("cache") / "thumbnails"
THUMBNAIL_SIZE = 320  # longest side in pixels: big enough for the detail preview
VIDEO_FRAME_MS = 1000  # a frame at 1 s shows the scene better than a black first frame
JPEG_QUALITY = 85
PHOTO_MAX_BYTES = 256 << 20  # a "photo" larger than this is not decoded for a thumbnail


def cache_folder(data_folder: Path) -> Path:
    """The thumbnail cache of a data folder (outside the evidence store)."""
    return Path(data_folder) / CACHE_DIR


def thumbnail_path(data_folder: Path, sha256: str) -> Path:
    """Where the cached thumbnail of the item ``sha256`` is kept."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a lower-case hex SHA-256: {sha256!r}")
    return cache_folder(data_folder) / f"{sha256}.jpg"


def can_render(media_type: str) -> bool:
    """True for media that have a picture to show (photos and video, not audio)."""
    return media_type.startswith(("image/", "video/"))


def render_thumbnail(store: EvidenceStore, item: EvidenceItem, size: int = THUMBNAIL_SIZE) -> QImage | None:
    """A picture of ``item`` no larger than ``size`` pixels, or None when there is none.

    Safe in a worker thread: only ``QImage`` and file reads.
    """
    if item.media_type.startswith("image/"):
        return _photo(store, item, size)
    if item.media_type.startswith("video/"):
        return _video_frame(store, item, size)
    return None


def load_or_render(data_folder: Path, store: EvidenceStore, item: EvidenceItem,
                   size: int = THUMBNAIL_SIZE, problems: list[OSError] | None = None) -> QImage | None:
    """The cached thumbnail, or a new one rendered and written to the cache.

    A cache that cannot be written (a full or read-only disk) costs nothing but the
    cache: the thumbnail is returned all the same, and the error is added to ``problems``.
    """
    path = thumbnail_path(data_folder, item.sha256)
    if path.is_file():
        try:
            image = QImage.fromData(read_encrypted(path, store.master))
        except FileCryptError as exc:
            if isinstance(exc, MasterKeyLocked):
                raise
            image = QImage()  # not ours, damaged, or plain from an earlier version: made again
        if not image.isNull():
            return image
    image = render_thumbnail(store, item, size)
    if image is None or image.isNull():
        return None
    _write_atomically(store, image, path, problems if problems is not None else [])
    return image


def _photo(store: EvidenceStore, item: EvidenceItem, size: int) -> QImage | None:
    if item.size > PHOTO_MAX_BYTES:
        return None
    with store.open(item.sha256) as fh:
        data = QByteArray(fh.read())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # camera orientation (EXIF) as the officer held it
    full = reader.size()
    if full.isValid() and max(full.width(), full.height()) > size:
        reader.setScaledSize(full.scaled(QSize(size, size), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        log.info("no thumbnail for %s: %s", item.sha256[:16], reader.errorString())
        return None
    if max(image.width(), image.height()) > size:  # orientation swapped the sides
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return image


# OpenCV's reading from a Python stream calls back into Python from FFmpeg's demuxer; two such
# readers at once on the two thumbnail threads crashed the process once. One at a time.
_VIDEO_READER = threading.Lock()


def _video_frame(store: EvidenceStore, item: EvidenceItem, size: int) -> QImage | None:
    with _VIDEO_READER:
        return _read_video_frame(store, item, size)


def _read_video_frame(store: EvidenceStore, item: EvidenceItem, size: int) -> QImage | None:
    import cv2  # large; only a worker that renders a video needs it

    frame = None
    with store.open(item.sha256) as raw, io.BufferedReader(raw, 1 << 20) as fh:  # decrypted as OpenCV reads
        capture = cv2.VideoCapture(fh, cv2.CAP_FFMPEG, [])
        try:
            if not capture.isOpened():
                return None
            if (item.duration_ms or VIDEO_FRAME_MS + 1) > VIDEO_FRAME_MS:
                capture.set(cv2.CAP_PROP_POS_MSEC, VIDEO_FRAME_MS)
                ok, frame = capture.read()
                if not ok:
                    frame = None
            if frame is None:
                capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                ok, frame = capture.read()
                if not ok:
                    return None
        finally:
            capture.release()
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    height, width = rgb.shape[:2]
    image = QImage(rgb.data, width, height, rgb.strides[0], QImage.Format.Format_RGB888).copy()
    return image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)


def _write_atomically(store: EvidenceStore, image: QImage, path: Path, problems: list[OSError]) -> None:
    """Encode the JPEG in memory and write it encrypted, atomically: a reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a full or read-only disk: the thumbnail is shown, only not cached
        problems.append(exc)
        return
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.save(buffer, "JPG", JPEG_QUALITY):
        buffer.close()
        try:
            store.write_derived(path, bytes(data.data()))
        except OSError as exc:  # a full or read-only disk: the thumbnail is shown, only not cached
            problems.append(exc)


class ThumbnailCache(QObject):
    """Pixmaps for the gallery: asks for a thumbnail when a tile needs it, loads it in a job.

    :meth:`pixmap` never blocks: it returns what is ready (or None) and queues a job
    for what is not; ``ready(sha256)`` is emitted when a pixmap arrives.
    """

    ready = Signal(str)
    # Said once per kind: a full or read-only disk keeps thumbnails from being saved (they still show).
    storage_problem = Signal(str)

    def __init__(self, data_folder: Path, store: EvidenceStore, parent: QObject | None = None,
                 *, threads: int = 2) -> None:
        super().__init__(parent)
        self.data_folder = Path(data_folder)
        self.store = store
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._pixmaps: dict[str, QPixmap] = {}
        self._pending: dict[str, Job] = {}
        self._none: set[str] = set()  # items with no picture (audio, undecodable): not asked again
        self._said: set[int] = set()  # the errno of each storage problem already said

    def pixmap(self, item: EvidenceItem) -> QPixmap | None:
        """The thumbnail of ``item`` if it is ready; otherwise None, and it is requested."""
        found = self._pixmaps.get(item.sha256)
        if found is None:
            self.request(item)
        return found

    def has_none(self, sha256: str) -> bool:
        """True when the item has no picture (audio, or content that cannot be decoded)."""
        return sha256 in self._none

    def request(self, item: EvidenceItem) -> None:
        """Queue the item's thumbnail unless it is ready, pending or known to have none."""
        sha = item.sha256
        if sha in self._pixmaps or sha in self._pending or sha in self._none:
            return
        if not can_render(item.media_type):
            self._none.add(sha)
            return
        problems: list[OSError] = []  # filled by the job; read here once its result has arrived
        job = Job(load_or_render, self.data_folder, self.store, item, problems=problems)
        job.result.connect(lambda image, sha=sha: self._arrived(sha, image, problems))
        job.error.connect(lambda exc, sha=sha: self._failed(sha, exc))
        self._pending[sha] = job
        job.bind(self).start(self.pool)

    def pending(self) -> int:
        return len(self._pending)

    def _arrived(self, sha: str, image: QImage | None, problems: Sequence[OSError] = ()) -> None:
        self._pending.pop(sha, None)
        for exc in problems:
            self._say(exc)
        if image is None or image.isNull():
            self._none.add(sha)
        else:
            self._pixmaps[sha] = QPixmap.fromImage(image)  # GUI thread: pixmaps are made here
        emit(self.ready, sha)

    def _say(self, exc: OSError) -> None:
        full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
        if not (full or exc.errno == errno.EROFS) or exc.errno in self._said:
            log.info("thumbnail not cached: %s", exc)
            return
        self._said.add(exc.errno or 0)
        emit(self.storage_problem, self.tr("磁盘空间已满：缩略图未能保存，照片照常显示，证据不受影响。请腾出空间。") if full
             else self.tr("数据目录所在介质为只读：缩略图未能保存，照片照常显示，证据不受影响。"))

    def _failed(self, sha: str, exc: object) -> None:
        self._pending.pop(sha, None)
        self._none.add(sha)
        log.info("thumbnail of %s failed: %s", sha[:16], exc)
        emit(self.ready, sha)

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Cancel queued work and wait for running jobs (before the workspace closes)."""
        self.pool.clear()
        for job in list(self._pending.values()):
            job.cancel()
        self.pool.waitForDone(int(timeout_s * 1000))
