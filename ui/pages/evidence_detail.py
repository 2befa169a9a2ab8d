"""The detail beside the gallery: what an item is, its seal, who viewed or exported it (R17).

Also the logged way an original reaches the system viewer: a copy in a per-user view
folder under ``<data>/cache/view/``, logged as a view.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.crypto import copy_hashing
from app.domain import EvidenceItem
from app.evidence import errors
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace
from app.session import Session
from local_db.evidence_repository import EvidenceAccessRepository
from ui.dialogs.import_dialog import format_bytes
from ui.models.evidence_gallery import (
    GalleryRow,
    SealCheck,
    SealState,
    type_label,
)
from ui.thumbnails import ThumbnailCache


VIEW_PURPOSE = "在系统查看器中打开"  # stored in the access log with each view (R17)


def view_folder(data_folder: Path, officer_id: str) -> Path:
    """Where decrypted copies opened in the system viewer go: a private 0700 folder outside the
    data folder, removed by the application (``app/evidence/viewing.py``)."""
    from app.evidence.viewing import private_view_folder

    return private_view_folder(officer_id)


def copy_for_viewing(locker: EvidenceLocker, item: EvidenceItem, actor: Session,
                     folder: Path) -> Generator[int, None, Path]:
    """Log a view (R17) and copy the original, checked against its seal, into ``folder``.

    The copy is read-only, so a viewer cannot save over it by mistake.
    """
    folder.mkdir(parents=True, exist_ok=True)
    stem, ext = os.path.splitext(Path(item.original_name).name)
    dest = folder / f"{item.sha256[:16]}_{stem or 'evidence'}{ext}"
    part = dest.with_name(dest.name + ".part")
    with locker.view(item.sha256, actor=actor, purpose=VIEW_PURPOSE) as src, open(part, "wb") as dst:
        digest, size = yield from copy_hashing(src, dst)
    if (digest, size) != (item.sha256, item.size):
        part.unlink()
        raise errors.OriginalAltered(item.sha256)
    os.chmod(part, 0o444)
    if dest.exists():  # an earlier view's copy: read-only, so make it removable first (Windows)
        os.chmod(dest, 0o644)
        dest.unlink()
    os.replace(part, dest)
    return dest


class EvidenceDetail(QScrollArea):
    """The selected item: larger preview, seal state, every sealed field, the access log (R17)."""

    def __init__(self, ws: Workspace, language: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.language = ws, language
        self.thumbnails: ThumbnailCache | None = None
        self.item: EvidenceItem | None = None
        self.setFixedWidth(372)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        panel = QFrame()
        panel.setObjectName("detailPanel")
        self.preview = QLabel()
        self.preview.setFixedSize(320, 190)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #e9edf2; border-radius: 6px; color: #8a939e;")
        self.seal = QLabel()
        self.open_button = QPushButton(self.tr("打开"))
        self.export_button = QPushButton(self.tr("导出…"))
        self.verify_button = QPushButton(self.tr("校验"))
        self.open_button.setToolTip(self.tr("复制到本人查看目录并用系统程序打开；查看记入访问记录"))
        self.verify_button.setToolTip(self.tr("重新计算原件的 SHA-256 并与封存记录比对"))
        self.rehash_bar = QProgressBar()
        self.rehash_bar.setTextVisible(False)
        self.rehash_bar.setFixedHeight(8)
        self.rehash_bar.hide()
        self.message = QLabel()
        self.access_lines: list[str] = []
        self.fields = QFormLayout()
        self.fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.fields.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields.setHorizontalSpacing(10)
        self.fields.setVerticalSpacing(6)
        self.values: dict[str, QLabel] = {}
        for key, caption in (("name", self.tr("文件名")), ("sha256", "SHA-256"), ("size", self.tr("大小")),
                             ("media", self.tr("文件类型")), ("type", self.tr("证据种类")),
                             ("captured", self.tr("拍摄时间")), ("ingested", self.tr("入库时间")),
                             ("source", self.tr("来源")), ("officers", self.tr("采集人员")),
                             ("inspection", self.tr("检查任务")), ("derived", self.tr("派生自")),
                             ("retention", self.tr("保存期限")), ("seq", self.tr("封存序号"))):
            heading = QLabel(caption)
            heading.setObjectName("hint")
            self.values[key] = QLabel("—")
            self.values[key].setMinimumWidth(200)
            self.fields.addRow(heading, self.values[key])
        # 64 hex digits: two lines of 32 in a smaller size fit the column.
        self.values["sha256"].setStyleSheet("font-size: 12px;")
        self.access = QLabel()
        access_title = QLabel(self.tr("访问记录（查看、导出）"))
        access_title.setObjectName("hint")
        for w in (self.seal, self.message, self.access, *self.values.values()):
            w.setWordWrap(True)
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for b in (self.open_button, self.export_button, self.verify_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.seal)
        layout.addLayout(buttons)
        layout.addWidget(self.rehash_bar)
        layout.addWidget(self.message)
        layout.addLayout(self.fields)
        layout.addWidget(access_title)
        layout.addWidget(self.access)
        layout.addStretch(1)
        self.setWidget(panel)
        self.show_item(None)

    def show_item(self, row: GalleryRow | None) -> None:
        self.item = row.item if row else None
        for b in (self.open_button, self.export_button, self.verify_button):
            b.setEnabled(row is not None)
        self.message.setText("")
        self.rehash_bar.hide()
        if row is None:
            for v in self.values.values():
                v.setText("—")
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("未选择证据"))
            self.seal.setText("")
            self.access.setText("")
            return
        i = row.item
        officers = {o.id: o for o in self.ws.officers.all()}
        duration = f" · {i.duration_ms // 60000}:{i.duration_ms // 1000 % 60:02d}" if i.duration_ms else ""
        sources = {"webcam": self.tr("现场拍摄（摄像头 %1）"), "body_camera": self.tr("执法记录仪 %1"),
                   "file": self.tr("文件导入：%1")}
        texts = {
            "name": i.original_name or "—", "sha256": f"{i.sha256[:32]}\n{i.sha256[32:]}",
            "size": self.tr("%1（%2 字节）").replace("%1", format_bytes(i.size)).replace("%2", f"{i.size:,}"),
            "media": i.media_type + duration,
            "type": type_label(i.evidence_type), "captured": f"{i.captured_at:%Y-%m-%d %H:%M:%S}",
            "ingested": f"{i.ingested_at:%Y-%m-%d %H:%M:%S}",
            "source": sources[i.source_kind.value].replace("%1", i.source_detail),
            "officers": "、".join(f"{officers[o].name if o in officers else o}（{c}）"
                                 for o, c in zip(i.officer_ids, i.officer_certs, strict=False)),
            "inspection": row.inspection_label or self.tr("未关联检查任务"),
            "derived": f"{i.derived_from[:16]}…（{i.derivation}）" if i.derived_from else self.tr("—（原件）"),
            "retention": (self.tr("随案件 %1 保存").replace("%1", i.case_id or "")
                          if i.retain_until is None else
                          self.tr("至少保存至 %1").replace("%1", i.retain_until.isoformat())),
            "seq": str(i.seal_seq),
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        # Paths have no spaces to wrap at: shorten in the middle, the whole path in the tooltip.
        source = self.values["source"]
        source.setToolTip(i.source_detail)
        source.setText(source.fontMetrics().elidedText(texts["source"], Qt.TextElideMode.ElideMiddle, 240))
        self.show_seal(row.seal)
        self.show_access(i)
        self.thumbnail_ready(i.sha256)

    def thumbnail_ready(self, sha256: str) -> None:
        if self.item is None or self.item.sha256 != sha256 or self.thumbnails is None:
            return
        pixmap = self.thumbnails.pixmap(self.item)
        if pixmap is not None:
            self.preview.setPixmap(pixmap.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                 Qt.TransformationMode.SmoothTransformation))
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("无预览") if self.thumbnails.has_none(sha256) else self.tr("正在生成预览…"))

    def show_seal(self, check: SealCheck | None) -> None:
        if check is None:
            text, colour = self.tr("封存状态：正在核验…"), "#5b6470"
        elif check.state is SealState.BROKEN:
            text = self.tr("✖ 封存异常：") + "\n".join(check.describe(self.language))
            colour = "#b3261e"
        elif check.state is SealState.VERIFIED:
            text, colour = self.tr("✔ 校验通过：原件的 SHA-256 与封存记录一致（已完整重新计算）"), "#1b7f3b"
        else:
            text, colour = self.tr("✓ 封存完好：签名有效，原件存在且大小与封存一致"), "#1b7f3b"
        self.seal.setText(text)
        self.seal.setStyleSheet(f"color: {colour}; font-weight: bold;")
        if check is not None and check.rehashed:
            self.rehash_bar.hide()

    def show_access(self, item: EvidenceItem) -> None:
        """The access log of the item: every view and export (R17)."""
        if self.item is None or item.sha256 != self.item.sha256:
            return
        officers = {o.id: o.name for o in self.ws.officers.all()}
        actions = {"view": self.tr("查看"), "export": self.tr("导出")}
        metrics = self.access.fontMetrics()
        lines = [" ".join(filter(None, [f"{a.at:%Y-%m-%d %H:%M}", officers.get(a.actor, a.actor),
                                         actions.get(a.action, a.action), a.purpose]))
                 + ("\n  → " + metrics.elidedText(a.destination, Qt.TextElideMode.ElideMiddle, 300)
                    if a.destination else "")
                 for a in EvidenceAccessRepository(self.ws.db).for_item(item.sha256)]
        self.access_lines = lines
        self.access.setText("\n".join(lines) or self.tr("尚无查看或导出"))

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {'#b3261e' if error else '#1f2328'};")

    def rehash_started(self) -> None:
        if self.item is not None:
            self.rehash_bar.setRange(0, 1000)  # per mille: a recording can exceed a bar's int range
            self.rehash_bar.setValue(0)
            self.rehash_bar.show()
            self.seal.setText(self.tr("正在校验：重新计算原件的 SHA-256…"))

    def rehash_progress(self, item: EvidenceItem, done: int) -> None:
        if self.item is not None and item.sha256 == self.item.sha256:
            self.rehash_bar.setValue(min(1000, done * 1000 // max(1, item.size)))
