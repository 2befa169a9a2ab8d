"""The documents of the inspection: generated off the GUI thread, previewed in place, exported."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QPushButton, QWidget

from app.onsite.documents import DocumentKind, InspectionDocuments, render_document
from local_db.errors import UserFacingError
from ui.pages.onsite_base import OnsiteContext, OnsiteStep
from ui.widgets.document_panel import DocumentPanel
from ui.workers import Job, default_pool


class DocumentsStep(OnsiteStep):
    """Choose a document, generate it (a draft record until everyone has signed), look at it, export it."""
    fills_page = True  # the list and the preview scroll by themselves


    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("文书"), self.tr(
            "行政检查通知书和监督卡带有本机签名的检查码；现场检查笔录在签名前可打印草稿供当事人阅看，"
            "全部签名后打印正式文书。"), parent)
        self.export = QPushButton(self.tr("导出…"))
        self.export.clicked.connect(self._export)
        self.panel = DocumentPanel(self.tr("生成"), (self.export,))
        self.kinds, self.generate, self.state = self.panel.kinds, self.panel.generate, self.panel.state
        self.pdf, self.view = self.panel.pdf, self.panel.view
        self.kinds.setFixedWidth(220)
        self.kinds.currentRowChanged.connect(lambda _row: self._show_existing())
        self.generate.clicked.connect(self.generate_current)
        self.layout_.addWidget(self.panel, 1)
        self.finish_layout()
        self.setMinimumHeight(560)
        self.job: Job | None = None
        self.shown: Path | None = None

    def load(self, ctx: OnsiteContext) -> None:
        super().load(ctx)
        self.documents = InspectionDocuments(ctx.service.ws, session=ctx.actor)
        current = self.current_kind()
        self.kinds.blockSignals(True)
        self.kinds.clear()
        for kind in self.documents.available(ctx.inspection.id):
            item = QListWidgetItem(kind.title)
            item.setData(Qt.ItemDataRole.UserRole, kind.value)
            self.kinds.addItem(item)
        self.kinds.blockSignals(False)
        keys = [self.kinds.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.kinds.count())]
        self.kinds.setCurrentRow(keys.index(current.value) if current and current.value in keys else 0)

    def current_kind(self) -> DocumentKind | None:
        item = self.kinds.currentItem()
        return DocumentKind(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def _show_existing(self) -> None:
        kind = self.current_kind()
        if kind is None or self.ctx is None:
            return
        path = self.documents.path_for(self.ctx.inspection.id, kind)
        if path.exists():
            self._preview(path)
            self.state.setText(self.tr("已生成：%1").replace("%1", path.name))
        else:
            self.pdf.close()
            self.shown = None
            self.state.setText(self.tr("尚未生成"))

    def generate_current(self) -> None:
        """Build the document's data here, render it on a worker, preview it when done."""
        kind = self.current_kind()
        if kind is None or self.ctx is None or (self.job is not None and not self.job.is_done):
            return
        inspection_id = self.ctx.inspection.id
        try:
            doc = self.documents.build(inspection_id, kind)
        except UserFacingError as exc:
            self._failed(exc)
            return
        draft = False
        if kind is DocumentKind.RECORD:
            from app.documents.onsite_record import record_problems
            draft = bool(record_problems(doc))  # type: ignore[arg-type]
        dest = self.documents.path_for(inspection_id, kind)
        self.generate.setEnabled(False)
        self.state.setText(self.tr("正在生成…"))
        self.job = Job(render_document, kind, doc, dest, draft=draft, master=self.documents.ws.master)
        self.job.result.connect(lambda path, d=draft: self._done(path, d))
        self.job.error.connect(self._failed)
        self.job.finished.connect(lambda: self.generate.setEnabled(True))
        self.job.bind(self).start(default_pool())

    def _done(self, path: Path, draft: bool) -> None:
        self._preview(path)
        self.error.hide()
        note = self.tr("（草稿：签名完成后再生成正式文书）") if draft else ""
        self.state.setText(self.tr("已生成：%1").replace("%1", path.name) + note)

    def _failed(self, exc: object) -> None:
        self.show_error(exc)
        self.state.setText("")

    def _preview(self, path: Path) -> None:
        self.panel.preview(path, self.documents.ws.master)
        self.shown = path

    def _export(self) -> None:
        if self.shown is None or not self.shown.exists():
            self.generate_current()
            return
        target, _ = QFileDialog.getSaveFileName(self, self.tr("导出文书"), str(Path.home() / self.shown.name),
                                                "PDF (*.pdf)")
        if target:
            from app.crypto.filecrypt import read_encrypted

            Path(target).write_bytes(read_encrypted(self.shown, self.documents.ws.master))  # the plain PDF
            self.state.setText(self.tr("已导出到 %1").replace("%1", target))
