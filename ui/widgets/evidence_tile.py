"""One tile of the evidence gallery: thumbnail, type, time, collectors and the seal mark."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from app.domain import EvidenceItem
from ui.models.evidence_gallery import (
    ITEM_ROLE,
    OFFICER_TEXT_ROLE,
    SEAL_ROLE,
    TIME_TEXT_ROLE,
    SealCheck,
    SealState,
    type_label,
)


# Seal mark on a tile: (character, colour, filled). Outlined: the quick check (signature,
# record, size); filled green: a full re-hash matched. The characters are in the bundled font.
SEAL_MARKS = {None: ("…", "#8a939e", False), SealState.SEALED: ("✓", "#1b7f3b", False),
              SealState.VERIFIED: ("✔", "#1b7f3b", True), SealState.BROKEN: ("✖", "#b3261e", True)}


class EvidenceTileDelegate(QStyledItemDelegate):
    """A tile: thumbnail with seal mark (and running time for video), time, type, officers."""

    TILE = QSize(204, 236)
    THUMB_H = 140

    def sizeHint(self, option: QStyleOptionViewItem, index: object) -> QSize:  # noqa: N802
        return self.TILE

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: object) -> None:
        item: EvidenceItem = index.data(ITEM_ROLE)  # type: ignore[attr-defined]
        seal: SealCheck | None = index.data(SEAL_ROLE)  # type: ignore[attr-defined]
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        tile = option.rect.adjusted(4, 4, -4, -4)
        painter.setPen(QPen(QColor("#16406b" if selected else "#d8dde3"), 2 if selected else 1))
        painter.setBrush(QColor("#e3ecf6" if selected else "#ffffff"))
        painter.drawRoundedRect(tile, 8, 8)

        thumb = QRect(tile.x() + 8, tile.y() + 8, tile.width() - 16, self.THUMB_H)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e9edf2"))
        painter.drawRoundedRect(thumb, 4, 4)
        if pixmap is not None and not pixmap.isNull():
            scaled = pixmap.size().scaled(thumb.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(thumb.center())
            painter.drawPixmap(target, pixmap)
        else:
            painter.setPen(QColor("#8a939e"))
            big = QFont(option.font)
            big.setPixelSize(30)
            painter.setFont(big)
            symbol = "♪" if item.media_type.startswith("audio/") else ("▶" if item.media_type.startswith("video/") else "□")
            painter.drawText(thumb, Qt.AlignmentFlag.AlignCenter, symbol)
        if item.duration_ms is not None and item.media_type.startswith("video/"):
            self._badge(painter, option.font, thumb, f"▶ {item.duration_ms // 60000}:{item.duration_ms // 1000 % 60:02d}")
        mark, colour, filled = SEAL_MARKS[seal.state if seal else None]
        circle = QRect(thumb.right() - 30, thumb.y() + 6, 24, 24)
        painter.setPen(QPen(QColor("white" if filled else colour), 2))
        painter.setBrush(QColor(colour if filled else "white"))
        painter.drawEllipse(circle)
        mark_font = QFont(option.font)
        mark_font.setPixelSize(14)
        mark_font.setBold(True)
        painter.setFont(mark_font)
        painter.setPen(QColor("white" if filled else colour))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, mark)

        lines = [(index.data(TIME_TEXT_ROLE), 14, True, "#1f2328"),  # type: ignore[attr-defined]
                 (type_label(item.evidence_type), 13, False, "#16406b"),
                 (index.data(OFFICER_TEXT_ROLE), 13, False, "#5b6470")]  # type: ignore[attr-defined]
        y = thumb.bottom() + 6
        for text, size, bold, colour in lines:
            font = QFont(option.font)
            font.setPixelSize(size)
            font.setBold(bold)
            painter.setFont(font)
            painter.setPen(QColor(colour))
            box = QRect(thumb.x(), y, thumb.width(), size + 8)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(text or "", Qt.TextElideMode.ElideRight, box.width()))
            y += size + 9
        painter.restore()

    @staticmethod
    def _badge(painter: QPainter, font: QFont, thumb: QRect, text: str) -> None:
        small = QFont(font)
        small.setPixelSize(12)
        painter.setFont(small)
        width = painter.fontMetrics().horizontalAdvance(text) + 12
        badge = QRect(thumb.x() + 6, thumb.bottom() - 26, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor("white"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
