"""A video player for the large preview: the picture, play/pause and a frame scrubber, made for a finger.

QtMultimedia (its FFmpeg back end) plays a decrypted copy in the person's private
viewing folder (``app.evidence.viewing``), made by :meth:`VideoPreview.show_original`
as the viewer copy is (checked against its seal, the view logged, R17);
:meth:`VideoPreview.clear` stops it and removes the copy, which the page calls when
the selection changes or the person leaves. The scrubber steps by a frame
(``FRAME_MS``) and by a second on a page step.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from app.domain import EvidenceItem
from app.evidence.locker import EvidenceLocker
from app.session import Session
from local_db.errors import UserFacingError
from ui.workers import Job, database_pool

FRAME_MS = 40  # one frame at 25 fps: what one step of the scrubber moves


def clock(ms: int) -> str:
    seconds = max(ms, 0) // 1000
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class VideoPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.sha256: str | None = None  # the original shown, or being decrypted for showing
        self.video = QVideoWidget()
        self.video.setMinimumHeight(220)
        self.player = QMediaPlayer(self)
        self.player.setVideoOutput(self.video)
        self.play_button = QPushButton(self.tr("播放"))
        self.play_button.setMinimumSize(88, 44)
        self.play_button.clicked.connect(self.toggle)
        self.scrubber = QSlider(Qt.Orientation.Horizontal)
        self.scrubber.setMinimumHeight(44)
        self.scrubber.setSingleStep(FRAME_MS)
        self.scrubber.setPageStep(1000)
        self.scrubber.setRange(0, 0)
        self.scrubber.setAccessibleName(self.tr("播放位置"))
        self.scrubber.valueChanged.connect(self._scrubbed)
        self.time = QLabel("00:00 / 00:00")
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(lambda _state: self._sync_button())
        self.player.errorOccurred.connect(lambda _error, text: self.time.setText(self.tr("无法播放：%1").replace("%1", text)))
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.scrubber, 1)
        controls.addWidget(self.time)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.video, 1)
        layout.addLayout(controls)
        self._sync_button()

    def show_original(self, locker: EvidenceLocker, item: EvidenceItem, actor: Session,
                      language: str = "zh") -> Job | None:
        """Decrypt ``item`` into ``actor``'s private viewing folder on the database lane, then show it."""
        if self.sha256 == item.sha256:
            return None
        from app.evidence.viewing import private_view_folder
        from ui.pages.evidence_detail import copy_for_viewing

        self.clear()
        self.sha256 = item.sha256
        self.time.setText(self.tr("正在解密视频…"))
        job = Job(copy_for_viewing, locker, item, actor, private_view_folder(actor.id))
        job.result.connect(lambda path, sha=item.sha256: self._decrypted(sha, path))
        job.error.connect(lambda exc: self.time.setText(
            exc.message(language) if isinstance(exc, UserFacingError) else f"{type(exc).__name__}: {exc}"))
        return job.bind(self).start(database_pool())

    def _decrypted(self, sha256: str, path: Path) -> None:
        if sha256 != self.sha256:  # the selection moved on meanwhile: the copy goes at once
            os.chmod(path, 0o600)
            path.unlink(missing_ok=True)
            return
        self._load(path)

    def _load(self, path: Path) -> None:
        """Show ``path`` (a decrypted copy this widget now owns) at its first frame, paused."""
        self.path = path
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self._sync_button()

    def clear(self) -> None:
        """Stop, let go of the file and remove the decrypted copy."""
        self.sha256 = None
        self.player.stop()
        self.player.setSource(QUrl())
        if self.path is not None:
            try:
                os.chmod(self.path, 0o600)  # the copy is read-only (a viewer cannot save over it)
                self.path.unlink()
            except FileNotFoundError:
                pass
            self.path = None
        self.scrubber.blockSignals(True)
        self.scrubber.setRange(0, 0)
        self.scrubber.blockSignals(False)
        self.time.setText("00:00 / 00:00")
        self._sync_button()

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        elif self.path is not None:
            self.player.play()

    def _sync_button(self) -> None:
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText(self.tr("暂停") if playing else self.tr("播放"))
        self.play_button.setEnabled(self.path is not None)
        self.scrubber.setEnabled(self.path is not None)

    def _duration(self, ms: int) -> None:
        self.scrubber.setRange(0, max(ms, 0))
        self._position(self.player.position())

    def _position(self, ms: int) -> None:
        self.scrubber.blockSignals(True)  # the player moved it: do not seek back
        self.scrubber.setValue(ms)
        self.scrubber.blockSignals(False)
        self.time.setText(f"{clock(ms)} / {clock(self.player.duration())}")

    def _scrubbed(self, ms: int) -> None:
        self.player.setPosition(ms)
        self.time.setText(f"{clock(ms)} / {clock(self.player.duration())}")
