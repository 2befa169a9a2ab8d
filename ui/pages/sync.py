"""The Sync page: what is pending, what is on its way, what HQ acknowledged or refused.

One action starts the end-of-shift sync (:func:`sync.client.sync_to_hq`). It runs on
its own single-thread pool with its own database connection, so capture, import and
every other job go on while gigabytes are uploaded; closing the page or pressing
Cancel stops it at the next chunk, and the next sync resumes where HQ stands.
With "sync automatically when HQ is reachable" on, the page asks HQ every
``poll_ms`` (on a worker) and starts the sync when HQ has just become reachable.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThreadPool, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.custody import UnlockedKeys
from app.session import Session, Sessions
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError
from sync import client
from sync.pairing import current_pairing
from sync.reachability import ReachabilityWatch, hq_reachable
from ui.labels import reference_source
from ui.models.sync_tables import ReceiptsModel, RejectionsModel, megabytes
from ui.widgets.pairing_panel import PairingPanel
from ui.workers import Job, default_pool

_sync_pool: QThreadPool | None = None


def sync_pool() -> QThreadPool:
    """One thread for the sync: never more than one upload, never on the database pool."""
    global _sync_pool
    if _sync_pool is None:
        _sync_pool = QThreadPool()
        _sync_pool.setMaxThreadCount(1)
        _sync_pool.setObjectName("sync")
    return _sync_pool


def run_sync(folder: Path, keys: UnlockedKeys, sessions: Sessions, session: Session | None, server: str,
             chunk_size: int = 8 << 20) -> Generator[client.SyncProgress, None, client.SyncOutcome]:
    """The sync on its own connection to the data folder (the job's body), with the window's keys.

    The connection shares the window's sessions: ``session`` is checked there as it
    would be at the window (one the window ended or never issued is nobody).
    """
    ws = Workspace.open(folder, keys=keys, sessions=sessions)
    try:
        return (yield from client.sync_to_hq(ws, server, device=ws.device, session=session,  # type: ignore[arg-type]
                                             chunk_size=chunk_size))
    finally:
        ws.close()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class SyncPage(QWidget):
    def __init__(self, workspace: Workspace, *, current_officer: Callable[[], Session | None],
                 language: str = "zh", poll_ms: int = 30_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.current_officer = current_officer
        self.language = language
        self.job: Job | None = None
        self.chunk_size = 8 << 20
        self.watch = ReachabilityWatch()
        self._probe: Job | None = None

        heading = QLabel(self.tr("同步"))
        heading.setObjectName("pageTitle")
        hint = QLabel(self.tr("收班时将加密、签名的数据包断点续传至执法监督平台；总部签名回执核验后，记录才标记为已同步。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)

        self.server = QLineEdit(self.ws.settings.get(client.SERVER_SETTING) or "")
        self.server.setPlaceholderText("http://127.0.0.1:8470")
        self.server.editingFinished.connect(self._save_server)
        self.auto = QCheckBox(self.tr("总部可连接时自动同步"))
        self.auto.setChecked(self.ws.settings.get(client.AUTO_SYNC_SETTING) == "1")
        self.auto.toggled.connect(self._save_auto)
        self.reachable = QLabel("—")
        self.reference = QLabel("—")
        form = QFormLayout()
        form.addRow(self.tr("总部接收端地址"), self.server)
        form.addRow("", self.auto)
        form.addRow(self.tr("总部连接状态"), self.reachable)
        form.addRow(self.tr("当前基础数据"), self.reference)
        self.pairing = PairingPanel(self.ws, session=current_officer, language=language)
        self.pairing.paired.connect(self.refresh)

        self.start_button = QPushButton(self.tr("结束值班同步"))
        self.start_button.setObjectName("primary")
        self.start_button.setMinimumHeight(44)
        self.start_button.clicked.connect(self.start_sync)

        self.pending = QLabel()
        self.pending.setWordWrap(True)
        pending_box = QGroupBox(self.tr("待发送"))
        QVBoxLayout(pending_box).addWidget(self.pending)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.flight = QLabel(self.tr("没有正在进行的上传"))
        self.flight.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.setVisible(False)  # shown only while a sync runs
        self.cancel_button.clicked.connect(self.cancel_sync)
        flight_box = QGroupBox(self.tr("正在上传"))
        fl = QVBoxLayout(flight_box)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        fl.addLayout(row)
        fl.addWidget(self.flight)

        self.receipts = ReceiptsModel(self)
        self.rejections = RejectionsModel(language, self)
        self.receipts_view = self._table(self.receipts)
        self.rejections_view = self._table(self.rejections)
        acked_box = QGroupBox(self.tr("总部已确认"))
        QVBoxLayout(acked_box).addWidget(self.receipts_view)
        rejected_box = QGroupBox(self.tr("总部拒收"))
        QVBoxLayout(rejected_box).addWidget(self.rejections_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(heading)
        layout.addWidget(hint)
        top = QHBoxLayout()
        top.addLayout(form, 1)
        top.addWidget(self.pairing, 1)
        layout.addLayout(top)
        layout.addWidget(self.start_button)
        layout.addWidget(pending_box)
        layout.addWidget(flight_box)
        tables = QHBoxLayout()
        tables.addWidget(acked_box, 3)
        tables.addWidget(rejected_box, 2)
        layout.addLayout(tables, 1)

        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.probe)
        self.timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        if self.server.text().strip():
            QTimer.singleShot(0, self.probe)  # show HQ's state at once, not after the first interval
        # What is pending is counted when the page is shown, not at start-up (a few tens of ms).

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """On quit: stop polling, stop the sync at its next chunk, let both threads end.

        The upload's state is on disk, so the next start resumes where HQ stands.
        """
        self.timer.stop()
        for job in (self._probe, self.job):
            if job is not None:
                job.cancel()
                job.wait(timeout_s)

    def _table(self, model: ReceiptsModel | RejectionsModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    # --- settings ------------------------------------------------------------------------

    def _save_server(self) -> None:
        with transaction(self.ws.db):
            self.ws.settings.set(client.SERVER_SETTING, self.server.text().strip())

    def _save_auto(self, on: bool) -> None:
        with transaction(self.ws.db):
            self.ws.settings.set(client.AUTO_SYNC_SETTING, "1" if on else "0")
        if on:
            self.probe()

    # --- what the device holds ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()

    def refresh_if_visible(self) -> None:
        """For the window's refresh after other work: recount only when someone is looking."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        from sync.state import pending_summary

        s = pending_summary(self.ws)
        if not s.paired:
            text = self.tr("本设备尚未与总部配对：请先在“与总部配对”中选择总部的配对文件或二维码，配对后即可同步。")
        elif not (s.pending_evidence or s.pending_inspections or s.outstanding):
            text = self.tr("没有待同步的数据：所有记录均已被总部确认。")
        else:
            text = self.tr("证据 %1 件（%2），检查记录 %3 份，审计记录 %4 条").replace(
                "%1", str(s.pending_evidence)).replace("%2", megabytes(s.pending_bytes)).replace(
                "%3", str(s.pending_inspections)).replace("%4", str(s.pending_audit))
            if s.outstanding:
                text += "\n" + self.tr("待确认的数据包：%1（%2），将原样续传").replace(
                    "%1", s.outstanding["id"]).replace("%2", megabytes(s.outstanding["size"]))
        self.pending.setText(text)
        self.receipts.set_rows(s.acknowledged)
        self.rejections.set_rows(s.rejections)
        ref = self.ws.reference_sets.latest()
        self.reference.setText(f"{ref['version']}（{reference_source(ref['source'])}）" if ref else "—")
        self.start_button.setEnabled(s.paired and self.job is None)
        self.pairing.refresh()

    # --- the sync -------------------------------------------------------------------------------

    def start_sync(self) -> None:
        server = self.server.text().strip()
        if self.job is not None:
            return
        if not server:
            self.flight.setText(self.tr("请先填写总部接收端地址。"))
            return
        self._save_server()
        # Checked by the sync itself, on its thread (auxiliary staff never send the device's
        # data, DOMAIN.md; a refusal is audited once and shown like any failure).
        self.job = Job(run_sync, Path(self.ws.folder), self.ws.keys, self.ws.sessions, self.current_officer(),
                       server, self.chunk_size)
        self.job.progress.connect(self._progress)
        self.job.result.connect(self._done)
        self.job.error.connect(self._failed)
        self.job.cancelled.connect(lambda: self.flight.setText(self.tr("已取消；下次同步将从断点继续。")))
        self.job.finished.connect(self._finished)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.bar.setValue(0)
        self.flight.setText(self.tr("正在准备数据包…"))
        self.job.bind(self).start(sync_pool())

    def cancel_sync(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, p: client.SyncProgress) -> None:
        if p.phase == "building":
            self.flight.setText(self.tr("正在生成加密数据包：已写入 %1").replace("%1", megabytes(p.done)))
        elif p.phase == "uploading" and p.total:
            self.bar.setValue(int(1000 * p.done / p.total))
            text = self.tr("已发送 %1 / %2 · 速率 %3/s · 剩余 %4").replace("%1", megabytes(p.done)).replace(
                "%2", megabytes(p.total)).replace("%3", megabytes(int(p.rate or 0))).replace(
                "%4", _duration(p.seconds_left))
            if p.retrying:
                text += "\n" + self.tr("连接中断，正在重试：%1").replace("%1", p.retrying)
            self.flight.setText(text)
        elif p.phase == "checking":
            self.bar.setValue(1000)
            self.flight.setText(self.tr("已全部送达，等待总部核验并签发回执…"))
        elif p.phase == "reference":
            self.bar.setValue(1000) if self.bar.value() else None
            self.flight.setText(self.tr("正在获取并核验总部基础数据…"))

    def _done(self, outcome: client.SyncOutcome) -> None:
        if outcome.acknowledged or outcome.rejected:
            self.bar.setValue(1000)  # every byte arrived (progress is throttled: the last step may be skipped)
        parts = []
        if outcome.acknowledged:
            parts.append(self.tr("总部已确认 %1 个数据包。").replace("%1", str(len(outcome.acknowledged))))
        if outcome.rejected:
            parts.append(self.tr("总部拒收 %1 个数据包，原因见下表。").replace("%1", str(len(outcome.rejected))))
        if outcome.nothing_to_send:
            parts.append(self.tr("没有待同步的数据。"))
        if outcome.reference_loaded:
            parts.append(self.tr("基础数据已更新。"))
        self.flight.setText(" ".join(parts))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserFacingError):
            self.flight.setText(exc.message(self.language))
        else:
            self.flight.setText(self.tr("同步失败：%1").replace("%1", str(exc)))

    def _finished(self) -> None:
        self.job = None
        self.cancel_button.setEnabled(False)
        self.cancel_button.setVisible(False)
        self.refresh()

    # --- auto-sync when HQ becomes reachable ---------------------------------------------------

    def probe(self) -> None:
        """Ask HQ whether it is reachable, on a worker; act on the answer on the GUI thread."""
        server = self.server.text().strip()
        if not server or self._probe is not None:
            return
        self._probe = Job(hq_reachable, server)
        self._probe.result.connect(self._reachability)
        self._probe.finished.connect(self._probe_done)
        self._probe.bind(self).start(default_pool())

    def _probe_done(self) -> None:
        self._probe = None

    def _reachability(self, reachable: bool) -> None:
        became = self.watch.observe(reachable)
        self.reachable.setText(self.tr("可连接") if reachable else self.tr("无法连接"))
        if became and self.auto.isChecked() and self.job is None and current_pairing(self.ws) is not None:
            self.start_sync()
