"""Import evidence files: choose files, a folder or a body camera, then seal them with progress.

The import runs ``app.evidence.importer.FileImport`` on the database job lane.
Cancelling stops inside the current file's copy and leaves nothing of it (no
staging file, no store file, no row); files already sealed stay sealed.

Body cameras come from ``app.evidence.bodycam`` when that module is present:
``find_camera_volumes()`` finds them (``mount_point``, ``label``, ``serial``),
``assigned_officer(ws, volume)`` names the wearer, ``pending_files(locker,
volume)`` lists what is new, and ``CameraImport`` seals it as ``body_camera``
evidence and remembers what was taken in. Without the module the section says
so and the rest of the dialog works.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import EvidenceType, Officer, StaffRole
from app.evidence.importer import FileImport, ImportProgress, ImportReport
from app.evidence.locker import EvidenceLocker
from local_db.errors import UserFacingError
from ui.models.evidence_gallery import type_label
from ui.workers import Job, database_pool, emit

log = logging.getLogger(__name__)


def bodycam_module() -> ModuleType | None:
    """``app.evidence.bodycam`` when it is installed, else None."""
    try:
        from app.evidence import bodycam
    except ImportError:
        return None
    return bodycam


@dataclass(frozen=True, slots=True)
class DetectedCamera:
    """A body camera found on this machine, its wearer and its files not yet taken in."""

    volume: Any  # app.evidence.bodycam.CameraVolume
    wearer: Officer | None
    pending: tuple[Path, ...]


def detect_cameras(locker: EvidenceLocker, roots: Sequence[Path] | None = None) -> list[DetectedCamera]:
    """Connected body cameras (or those at ``roots``, folders taken as volume roots).

    Reads the database: run it on the database lane.
    """
    bodycam = bodycam_module()
    if bodycam is None:
        return []
    return [DetectedCamera(v, bodycam.assigned_officer(locker.ws, v), tuple(bodycam.pending_files(locker, v)))
            for v in bodycam.find_camera_volumes(roots)]


def format_bytes(n: float) -> str:
    """Bytes for a person: 1 decimal from KB on, binary multiples."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


class ImportDialog(QDialog):
    """Choose what to import and how to record it (R15 type, officers, inspection), then run it."""

    imported = Signal(object)  # ImportReport, after a run ends (also when cancelled)

    def __init__(self, locker: EvidenceLocker, *, officer: Officer | None = None, language: str = "zh",
                 inspection_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("keepThroughLock", True)  # an import goes on behind the idle lock
        self.locker = locker
        self.operator = officer  # the signed-in person, named as the one who sealed
        self.language = language
        self.setWindowTitle(self.tr("导入证据"))
        self.setModal(True)  # nobody signs out or imports twice while files are sealed
        self.resize(860, 640)
        self.paths: list[Path] = []
        self.importer: FileImport | None = None
        self.job: Job | None = None
        self.report: ImportReport | None = None
        self.cameras: list[DetectedCamera] = []
        self.camera: DetectedCamera | None = None  # the camera whose files are chosen
        self.bodycam = bodycam_module()
        self._detection: Job | None = None
        self.progress_steps: list[ImportProgress] = []
        self._started_at = 0.0

        # --- files and folders
        files_box = QGroupBox(self.tr("文件"))
        self.choose_files = QPushButton(self.tr("选择文件…"))
        self.choose_files.clicked.connect(self._choose_files)
        self.choose_folder = QPushButton(self.tr("选择文件夹…"))
        self.choose_folder.clicked.connect(self._choose_folder)
        self.clear_paths = QPushButton(self.tr("清空"))
        self.clear_paths.clicked.connect(lambda: self.set_paths([]))
        self.path_list = QListWidget()
        self.path_list.setFixedHeight(110)
        row = QHBoxLayout()
        for w in (self.choose_files, self.choose_folder, self.clear_paths):
            row.addWidget(w)
        row.addStretch(1)
        fl = QVBoxLayout(files_box)
        fl.addLayout(row)
        fl.addWidget(self.path_list)

        # --- body cameras
        cam_box = QGroupBox(self.tr("执法记录仪"))
        self.camera_list = QListWidget()
        self.camera_list.setFixedHeight(80)
        self.camera_note = QLabel()
        self.camera_note.setObjectName("hint")
        self.camera_note.setWordWrap(True)
        self.refresh_cameras = QPushButton(self.tr("重新检测"))
        self.refresh_cameras.clicked.connect(lambda: self.detect())
        self.use_camera_button = QPushButton(self.tr("导入所选记录仪的新文件"))
        self.use_camera_button.clicked.connect(lambda: self.use_camera(self.camera_list.currentRow()))
        cam_buttons = QHBoxLayout()
        cam_buttons.addWidget(self.refresh_cameras)
        cam_buttons.addWidget(self.use_camera_button)
        cam_buttons.addStretch(1)
        cl = QVBoxLayout(cam_box)
        cl.addWidget(self.camera_note)
        cl.addWidget(self.camera_list)
        cl.addLayout(cam_buttons)

        # --- how the items are recorded
        self.inspection = QComboBox()
        self.inspection.addItem(self.tr("不关联检查任务"), None)
        for r in locker.ws.inspections.overview():
            self.inspection.addItem(f"{r.id}  {r.subject_name}", r.id)
        self.set_inspection(inspection_id)
        self.officers = QListWidget()
        self.officers.setFixedHeight(150)
        for o in locker.ws.officers.all():
            # The collector is the person signed in (a body camera: its assigned wearer), never chosen here.
            if officer is None or o.id != officer.id:
                continue
            entry = QListWidgetItem(f"{o.name}  {o.cert_no or ''}")
            entry.setSizeHint(QSize(0, 36))
            entry.setData(Qt.ItemDataRole.UserRole, o)
            entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked)
            self.officers.addItem(entry)
        self.evidence_type = QComboBox()
        self.evidence_type.addItem(self.tr("请选择证据种类（必填）"), None)
        for kind in EvidenceType:
            self.evidence_type.addItem(type_label(kind), kind)
        type_hint = QLabel(self.tr("须为法定八种证据之一（《中华人民共和国行政处罚法》第四十六条）"))
        type_hint.setObjectName("hint")
        form = QFormLayout()
        form.addRow(self.tr("检查任务"), self.inspection)
        form.addRow(self.tr("采集人员"), self.officers)
        form.addRow(self.tr("证据种类"), self.evidence_type)
        form.addRow("", type_hint)

        # --- progress and outcome
        self.source_note = QLabel()
        self.source_note.setObjectName("hint")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.hide()  # until an import starts
        self.progress_text = QLabel()
        # Scrolls: a card with many unreadable files gives a long report.
        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setMinimumHeight(90)
        self.message.setFrameShape(QFrame.Shape.NoFrame)
        self.start_button = QPushButton(self.tr("开始导入"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("取消导入"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for w in (self.start_button, self.cancel_button, self.close_button):
            buttons.addWidget(w)

        sources = QHBoxLayout()  # side by side: the dialog must fit a 1280×800 screen
        sources.addWidget(files_box, 1)
        sources.addWidget(cam_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(sources)
        layout.addLayout(form)
        layout.addWidget(self.source_note)
        layout.addWidget(self.bar)
        layout.addWidget(self.progress_text)
        layout.addWidget(self.message, 1)
        layout.addLayout(buttons)
        self._set_running(False)
        self.detect()

    # --- choosing ------------------------------------------------------------------
    def set_paths(self, paths: Sequence[Path], *, camera: DetectedCamera | None = None) -> None:
        """The files and folders to import; ``camera`` when they are a body camera's new files."""
        self.paths = [Path(p) for p in paths]
        self.camera = camera
        self.path_list.clear()
        self.path_list.addItems([str(p) for p in self.paths])
        if camera is not None:
            self.source_note.setText(self.tr("来源：执法记录仪 %1，%2 个新文件")
                                     .replace("%1", camera.volume.serial).replace("%2", str(len(self.paths))))
        else:
            self.source_note.setText("")

    def set_inspection(self, inspection_id: str | None) -> None:
        self.inspection.setCurrentIndex(max(0, self.inspection.findData(inspection_id)))

    def set_evidence_type(self, kind: EvidenceType | None) -> None:
        self.evidence_type.setCurrentIndex(max(0, self.evidence_type.findData(kind)))

    def _show_collector(self, person: Officer) -> None:
        self.officers.clear()
        entry = QListWidgetItem(f"{person.name}  {person.cert_no or ''}")
        entry.setSizeHint(QSize(0, 36))
        entry.setData(Qt.ItemDataRole.UserRole, person)
        entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Checked)
        self.officers.addItem(entry)

    def set_officers(self, officer_ids: Sequence[str]) -> None:
        for n in range(self.officers.count()):
            entry = self.officers.item(n)
            checked = entry.data(Qt.ItemDataRole.UserRole).id in officer_ids
            entry.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_officers(self) -> list[Officer]:
        return [self.officers.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.officers.count())
                if self.officers.item(n).checkState() == Qt.CheckState.Checked]

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("选择证据文件"), "",
                                                self.tr("照片、视频和录音 (*.jpg *.jpeg *.png *.heic *.tif *.mp4 "
                                                        "*.mov *.avi *.mkv *.3gp *.wav *.mp3 *.amr *.m4a);;所有文件 (*)"))
        if names:
            self.set_paths(sorted({*self.paths, *map(Path, names)}) if self.camera is None else list(map(Path, names)))

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择文件夹（如相机的 DCIM）"))
        if folder:
            self.set_paths([Path(folder)])

    # --- body cameras ---------------------------------------------------------------
    def detect(self, roots: Sequence[Path] | None = None) -> Job | None:
        """Look for connected body cameras (or camera folders at ``roots``) in the background."""
        self.camera_list.clear()
        self.cameras = []
        if self.bodycam is None:
            self.camera_note.setText(self.tr("本机尚未安装执法记录仪识别模块；可用“选择文件夹…”导入记录仪的文件。"))
            self.refresh_cameras.setEnabled(False)
            self.use_camera_button.setEnabled(False)
            return None
        self.camera_note.setText(self.tr("正在检测执法记录仪…"))
        job = self._detection = Job(detect_cameras, self.locker, roots)
        # Only the latest detection is shown, even if an earlier one answers later.
        job.result.connect(lambda cams: self._cameras_found(cams) if self._detection is job else None)
        job.error.connect(self._cameras_failed)
        return job.bind(self).start(database_pool())

    def _cameras_found(self, cameras: list[DetectedCamera]) -> None:
        self.cameras = cameras
        self.camera_list.clear()
        for cam in cameras:
            text = "  ·  ".join(filter(None, [
                cam.volume.label or str(cam.volume.mount_point), cam.volume.serial,
                self.tr("配发：%1").replace("%1", cam.wearer.name) if cam.wearer else self.tr("未配发"),
                self.tr("%1 个新文件").replace("%1", str(len(cam.pending))),
            ]))
            self.camera_list.addItem(text)
        self.camera_note.setText(self.tr("未检测到执法记录仪。") if not cameras else "")
        self.use_camera_button.setEnabled(bool(cameras))

    def _cameras_failed(self, exc: BaseException) -> None:
        self.camera_note.setText(self.tr("检测执法记录仪失败：") + _message(exc, self.language))

    def use_camera(self, row: int) -> None:
        """Import the new files of the detected camera at ``row``, collected by its officer."""
        if not 0 <= row < len(self.cameras):
            return
        cam = self.cameras[row]
        self.set_paths(cam.pending, camera=cam)
        if cam.wearer is not None:
            self._show_collector(cam.wearer)  # a camera's files are its wearer's, as assigned
        if self.evidence_type.currentData() is None:
            self.set_evidence_type(EvidenceType.AUDIOVISUAL)  # recordings; the officer may change it (R15)

    # --- running --------------------------------------------------------------------
    def start(self) -> Job | None:
        """Check the choices and start the import; None (with a message) when they are incomplete."""
        if self.job is not None and not self.job.is_done:
            return None
        if not self.paths:
            self.message.setPlainText(self.tr("请先选择要导入的文件或文件夹。"))
            return None
        options: dict[str, Any] = dict(
            inspection_id=self.inspection.currentData(), cancel=threading.Event(),
            evidence_type=self.evidence_type.currentData(),
            actor=self.operator)
        try:
            # Type (R15), the person importing and the inspection are checked before any file is
            # read; the collector is the signed-in person (a body camera: its assigned wearer).
            if self.camera is not None and self.bodycam is not None:
                # Remembers what was taken in, so the camera's list of new files shrinks.
                importer: FileImport = self.bodycam.CameraImport(self.locker, self.camera.volume,
                                                                  files=self.paths, **options)
            else:
                importer = FileImport(self.locker, self.paths, **options)
        except UserFacingError as exc:
            self.message.setPlainText(exc.message(self.language))
            return None
        if not importer.files:
            self.message.setPlainText(self.tr("所选位置没有可导入的文件。"))
            return None
        self.importer, self.report, self.progress_steps = importer, None, []
        self.message.setPlainText("")
        self.bar.setValue(0)
        self.progress_text.setText(self.tr("准备导入 %1 个文件，共 %2")
                                   .replace("%1", str(len(importer.files)))
                                   .replace("%2", format_bytes(importer.total_bytes())))
        self._started_at = time.monotonic()
        self.bar.show()
        # The importer watches its own cancel event and ends with its report intact.
        self.job = Job(importer.run, cancel_event=importer.cancel, progress_interval_s=0.1)
        self.job.progress.connect(self._progress)
        self.job.error.connect(self._failed)
        self.job.finished.connect(self._finished)
        self._set_running(True)
        self.job.bind(self).start(database_pool())
        return self.job

    def cancel(self) -> None:
        """Stop the running import; what is sealed stays, the current file leaves nothing."""
        if self.job is not None and not self.job.is_done:
            self.job.cancel()
            self.progress_text.setText(self.tr("正在取消…"))

    def reject(self) -> None:
        if self.job is not None and not self.job.is_done:
            self.cancel()  # closes once the import has stopped cleanly
            return
        super().reject()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.job is not None and not self.job.is_done:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def _progress(self, step: ImportProgress) -> None:
        self.progress_steps.append(step)
        total = max(step.bytes_total, 1)
        self.bar.setValue(int(1000 * step.bytes_done / total))
        # The importer measures a smoothed rate; the average since the start stands in before it.
        elapsed = time.monotonic() - self._started_at
        rate = getattr(step, "rate_bps", 0.0) or (step.bytes_done / elapsed if elapsed > 0.2 else 0.0)
        left = getattr(step, "seconds_left", None)
        if left is None and rate:
            left = (step.bytes_total - step.bytes_done) / rate
        parts = [f"{format_bytes(step.bytes_done)} / {format_bytes(step.bytes_total)}",
                 self.tr("文件 %1/%2").replace("%1", str(min(step.files_done + 1, step.files_total)))
                 .replace("%2", str(step.files_total))]
        if rate:
            parts.append(f"{format_bytes(rate)}/s")
        if left is not None:
            parts.append(self.tr("剩余约 %1").replace("%1", format_duration(left)))
        if step.current is not None:
            parts.append(step.current.name)
        self.progress_text.setText("  ·  ".join(parts))

    def _failed(self, exc: BaseException) -> None:
        self.message.setPlainText(self.tr("导入中断：") + _message(exc, self.language))

    def _finished(self) -> None:
        self._set_running(False)
        if self.importer is None:
            return
        report = self.report = self.importer.report
        lines = [self.tr("已导入并封存 %1 项").replace("%1", str(len(report.imported))),
                 self.tr("重复（证据库中已有，未再次封存）%1 项").replace("%1", str(len(report.duplicates))),
                 self.tr("失败 %1 项").replace("%1", str(len(report.failed)))]
        lines += [f"  · {path.name}：{exc.message(self.language)}" for path, exc in report.failed]
        if report.cancelled:
            lines.append(self.tr("导入已取消：已封存的文件保留为证据，正在导入的文件未留下任何内容。"))
            self.progress_text.setText(self.tr("已取消"))
        elif self.job is not None and self.job.outcome == "result":
            self.bar.setValue(self.bar.maximum())
            self.progress_text.setText(self.tr("导入完成，用时 %1")
                                       .replace("%1", format_duration(time.monotonic() - self._started_at)))
        text = "\n".join(lines)
        self.message.setPlainText(text if not self.message.toPlainText() else self.message.toPlainText() + "\n" + text)
        emit(self.imported, report)

    def _set_running(self, running: bool) -> None:
        for w in (self.choose_files, self.choose_folder, self.clear_paths, self.inspection, self.officers,
                  self.evidence_type, self.start_button, self.camera_list):
            w.setEnabled(not running)
        self.use_camera_button.setEnabled(not running and bool(self.cameras))
        self.refresh_cameras.setEnabled(not running and self.bodycam is not None)
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)


def _message(exc: BaseException, language: str) -> str:
    return exc.message(language) if isinstance(exc, UserFacingError) else f"{type(exc).__name__}: {exc}"
