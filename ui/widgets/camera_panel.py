"""Camera panel: live preview, photo, segmented recording, each item sealed as it is taken.

The capture itself runs in the core (``app.evidence.capture.CaptureSession``): a
reader thread reads frames and writes segments; seals run one at a time on the
database lane (``ui.workers.database_pool``), the same single thread every other
database write of the interface uses, so their transactions never interleave.

Frames and events reach the GUI thread as queued calls of the panel's slots
(``QMetaObject.invokeMethod``). The slot takes the newest frame from the
session's one-frame slot (``LatestFrame``), and a new call is queued only once
the GUI has taken the previous frame: a slow screen drops frames, it never
queues them, and the reader never waits for it. The image is copied into a
``QImage`` on the GUI thread and shown scaled.

Why not ``Signal(object).emit`` from the reader thread: with PySide6 6.12.0 on
CPython 3.11 every ``SignalInstance.emit()`` hands back ``True`` without a new
reference, so each call lowers ``True``'s reference count by one and the
interpreter aborts ("Fatal Python error: bool_dealloc") after some hundreds to
thousands of emits — at 25 frames a second, within minutes. A queued
``invokeMethod`` carries no Python object and leaves every count as it was.
"""

from __future__ import annotations

import html
import queue
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMetaObject, QRunnable, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.domain import EvidenceItem
from app.evidence.capture import (
    CameraInfo,
    CaptureEvent,
    CaptureFailed,
    CaptureSession,
    Frame,
    PhotoSealed,
    SegmentSealed,
    VideoSource,
    list_cameras,
)
from app.evidence.locker import EvidenceLocker
from app.session import Session
from app.evidence.recovery import RecoveredSegment, recover_open_segments
from local_db.errors import UserFacingError
from ui.workers import database_pool

Context = Callable[[], tuple[Sequence[str], str | None]]  # (officer certificate numbers, inspection id)
SourceFactory = Callable[[int | str], VideoSource]
FILE_ENTRY = "file"


class DatabaseLane(Executor):
    """The database pool seen as a ``concurrent.futures`` executor, for the core's sealer."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # type: ignore[override]
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits on the future
                future.set_exception(exc)

        database_pool().start(QRunnable.create(run))
        return future


def paced_source(target: int | str) -> VideoSource:
    """A camera, or a video file played at its own frame rate as if it were one."""
    return VideoSource(target, pace=True)


class CameraPanel(QWidget):
    """Preview, 拍照 and 开始录像/停止录像 for the officers and inspection that ``context`` names.

    ``on_sealed`` is called on the GUI thread with each item sealed (a gallery can refresh).
    """

    def __init__(self, locker: EvidenceLocker, context: Context, source_factory: SourceFactory = paced_source, *,
                 segment_seconds: float = 60.0, cameras: Callable[[], list[CameraInfo]] = list_cameras,
                 sealer: Executor | None = None, recover: bool = True, language: str = "zh",
                 on_sealed: Callable[[EvidenceItem], None] | None = None,
                 operator: Callable[[], Session | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPanel")
        self.locker, self.context, self.source_factory = locker, context, source_factory
        self.segment_seconds = segment_seconds
        self.language = language
        self.on_sealed = on_sealed
        self.operator = operator  # the signed-in person: the audit log names them as the one who sealed
        self.sealer = sealer or DatabaseLane()
        self.session: CaptureSession | None = None
        self.last_sha256: str | None = None
        self.photos = 0
        self.segments_sealed = 0
        self.shown_frames = 0  # frames painted
        self.error_text = ""
        self._recorded_before = 0  # frames the session had recorded before this recording began
        self._image: QImage | None = None
        self._events: queue.SimpleQueue[CaptureEvent | list[RecoveredSegment]] = queue.SimpleQueue()

        self.source_box = QComboBox()
        self.source_box.setMinimumWidth(260)
        for cam in cameras():
            self.source_box.addItem(self.tr("摄像头 {0}：{1}").format(cam.index, cam.name), cam.index)
        self.source_box.addItem(self.tr("视频文件…"), FILE_ENTRY)
        self.source_box.setCurrentIndex(-1)
        self.source_box.setPlaceholderText(self.tr("选择摄像头"))
        self.source_box.activated.connect(self._source_chosen)
        self.preview = QLabel(self.tr("未选择画面来源"))
        self.preview.setObjectName("cameraPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(320, 240)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("#cameraPreview { background: #1f2328; color: #c5cbd3; border-radius: 6px; }")
        self.photo_button = QPushButton(self.tr("拍照"))
        self.record_button = QPushButton(self.tr("开始录像"))
        self.record_button.setObjectName("recordButton")
        self.record_button.setCheckable(True)
        self.record_button.setStyleSheet(
            "#recordButton:checked { background: #b3261e; color: white; border: 1px solid #8c1d18; }")
        for button in (self.photo_button, self.record_button):
            button.setMinimumWidth(120)
        self.photo_button.clicked.connect(self.take_photo)
        self.record_button.clicked.connect(self._record_clicked)
        self.status = QLabel()
        self.status.setObjectName("cameraStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("画面来源")))
        top.addWidget(self.source_box, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.photo_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

        # Elapsed time moves on between events; twice a second is enough for a clock in seconds.
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._refresh)
        self._ticker.start()
        self._refresh()
        if recover:  # segments a crash left behind are sealed before anything new is recorded
            self.sealer.submit(recover_open_segments, locker).add_done_callback(self._recovered)

    # --- source ------------------------------------------------------------------------------

    def _source_chosen(self, row: int) -> None:
        data = self.source_box.itemData(row)
        if data == FILE_ENTRY:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("选择视频文件"), "",
                                                  self.tr("视频文件 (*.mp4 *.avi *.mov *.mkv *.m4v)"))
            if not path:
                return
            self.source_box.insertItem(row, Path(path).name, path)
            self.source_box.setCurrentIndex(row)
            data = path
        self.open_source(data)

    def open_source(self, target: int | str) -> bool:
        """Stop any running source and preview ``target``; False (with a message) when it cannot open."""
        self.close_source()
        self.error_text = ""
        try:
            certs, inspection = self.context()
            source = self.source_factory(target)
            self.session = CaptureSession(
                self.locker, source, officer_certs=certs, inspection_id=inspection,
                segment_seconds=self.segment_seconds, on_frame=self._relay_frame,
                on_event=self._relay_event, sealer=self.sealer)
        except UserFacingError as exc:
            self._show_error(exc)
            return False
        self.session.start()
        self._refresh()
        return True

    def close_source(self) -> None:
        """Stop the session at once; its last segment is sealed on the database lane after this returns."""
        session, self.session = self.session, None
        if session is not None:
            session.stop(wait_seals=False)  # a long import ahead on the lane must not freeze the window
        self._refresh()

    # --- actions -------------------------------------------------------------------------------

    def take_photo(self) -> None:
        """Seal the frame on screen as a photo for the current officers and inspection."""
        if self.session is None:
            return
        try:
            self.session.set_collectors(*self.context(), operator=self.operator())
            self.session.take_photo()
        except UserFacingError as exc:
            self._show_error(exc)

    def _record_clicked(self, checked: bool) -> None:
        if self.session is None:
            self.record_button.setChecked(False)
            return
        if checked:
            try:
                self.session.set_collectors(*self.context(), operator=self.operator())
            except UserFacingError as exc:
                self.record_button.setChecked(False)
                self._show_error(exc)
                return
            self._recorded_before = self.session.frames_recorded
            self.session.start_recording()
        else:
            self.session.stop_recording()
        self._refresh()

    # --- worker threads → GUI thread ----------------------------------------------------------

    def _relay_frame(self, frame: Frame) -> None:
        """Reader thread: a frame waits in the session's slot; have the GUI thread take it."""
        self._wake("_take_frame")

    def _relay_event(self, event: CaptureEvent | list[RecoveredSegment]) -> None:
        """Reader or sealing thread: queue the event for the GUI thread."""
        self._events.put(event)
        self._wake("_drain_events")

    def _recovered(self, future: Future) -> None:
        if future.exception() is None:
            self._relay_event(future.result())

    def _wake(self, slot: str) -> None:
        try:
            QMetaObject.invokeMethod(self, slot, Qt.ConnectionType.QueuedConnection)
        except RuntimeError:  # the widget is gone; its session is being stopped
            pass

    @Slot()
    def _take_frame(self) -> None:
        frame = self.session.latest.take() if self.session is not None else None
        if frame is None:
            return
        image = frame.image
        height, width = image.shape[:2]
        self._image = QImage(image.data, width, height, image.strides[0], QImage.Format.Format_BGR888).copy()
        self.shown_frames += 1
        self._paint_preview()

    @Slot()
    def _drain_events(self) -> None:
        while True:
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                break
            self._apply(event)
        self._refresh()

    def _apply(self, event: CaptureEvent | list[RecoveredSegment]) -> None:
        sealed: list[EvidenceItem] = []
        if isinstance(event, list):
            recovered = [r.item for r in event if r.item is not None and not r.already_sealed]
            sealed = recovered + [r.derived for r in event if r.derived is not None]
            if recovered:
                self.error_text = self.tr("已恢复并封存 {0} 段上次中断的录像").format(len(recovered))
        elif isinstance(event, PhotoSealed):
            self.photos += not event.duplicate
            sealed = [event.item]
        elif isinstance(event, SegmentSealed):
            self.segments_sealed += 1
            sealed = [event.item]
        elif isinstance(event, CaptureFailed):
            self._show_error(event.error)
        if sealed:
            self.last_sha256 = sealed[0].sha256 if isinstance(event, list) else sealed[-1].sha256
            if self.on_sealed is not None:
                for item in sealed:
                    self.on_sealed(item)

    # --- display ---------------------------------------------------------------------------------

    def _paint_preview(self) -> None:
        if self._image is None:
            return
        self.preview.setPixmap(QPixmap.fromImage(self._image).scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def _show_error(self, error: UserFacingError) -> None:
        self.error_text = error.message(self.language)
        self._refresh()

    def _refresh(self) -> None:
        """Buttons and status line from the session's state."""
        session = self.session
        live = session is not None and session.running
        recording = live and session.recording  # type: ignore[union-attr]
        self.photo_button.setEnabled(live)
        self.record_button.setEnabled(live)
        self.record_button.setChecked(recording)
        self.record_button.setText(self.tr("停止录像") if recording else self.tr("开始录像"))
        parts = []
        if recording:
            frames = session.frames_recorded - self._recorded_before  # type: ignore[union-attr]
            seconds = int(frames / session.source.fps)  # type: ignore[union-attr]
            parts.append('<span style="color:#b3261e; font-weight:bold">{0}</span>'.format(html.escape(
                self.tr("● 录像中 第 {0} 段 已录 {1:02d}:{2:02d}").format(
                    session.segments_started, seconds // 60, seconds % 60))))  # type: ignore[union-attr]
        parts.append(html.escape(self.tr("已封存 照片 {0} 张 录像 {1} 段").format(self.photos, self.segments_sealed)))
        if self.last_sha256:
            parts.append(html.escape(self.tr("最近封存 SHA-256 {0}…").format(self.last_sha256[:12])))
        text = " &emsp;·&emsp; ".join(parts)
        if self.error_text:
            text += '<br><span style="color:#b3261e">{0}</span>'.format(html.escape(self.error_text))
        self.status.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._paint_preview()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self._ticker.stop()
        self.close_source()
        super().closeEvent(event)
