"""A signature pad for pen, touch and mouse, kept as a PNG image (R9).

Strokes are stored as point lists in widget coordinates with the pen pressure
of each point (1.0 for mouse and touch), painted as smooth paths, and rendered
once into a white, fixed-size image when the signature is saved — so what is kept
does not depend on the window size at the moment of signing.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget
from ui.workers import emit

PEN_WIDTH = 3.0
SAVED_SIZE = QSize(600, 200)  # pixels of the kept image (3:1)
MIN_STROKE_POINTS = 2


class SignaturePad(QWidget):
    """Draw with a pen, a finger or the mouse; :meth:`to_png` gives the image to keep."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[tuple[QPointF, float]]] = []
        self._current: list[tuple[QPointF, float]] | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(360, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("请在此区域内签名"))

    # --- state ------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(len(s) >= MIN_STROKE_POINTS for s in self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self.update()
        emit(self.changed)

    def stroke_count(self) -> int:
        return len(self._strokes)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(540, 180)

    # --- input --------------------------------------------------------------------------

    def _begin(self, pos: QPointF, pressure: float) -> None:
        self._current = [(pos, pressure)]
        self._strokes.append(self._current)
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        last = self._current[-1][0]
        if abs(last.x() - pos.x()) + abs(last.y() - pos.y()) < 0.5:
            return
        self._current.append((pos, pressure))
        self.update()

    def _end(self) -> None:
        if self._current is not None:
            if len(self._current) == 1:  # a tap: keep a dot
                p, w = self._current[0]
                self._current.append((QPointF(p.x() + 0.6, p.y() + 0.6), w))
            self._current = None
            emit(self.changed)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), 1.0)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position(), 1.0)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:  # noqa: N802
        # A pen sends tablet events first; accepting them stops the synthesized mouse events.
        pressure = max(0.2, min(1.0, event.pressure() or 1.0))
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), pressure)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def event(self, event) -> bool:  # noqa: ANN001
        if isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                pos = points[0].position()
                if event.type() == QTouchEvent.Type.TouchBegin:
                    self._begin(pos, 1.0)
                elif event.type() == QTouchEvent.Type.TouchUpdate:
                    self._extend(pos, 1.0)
                elif event.type() in (QTouchEvent.Type.TouchEnd, QTouchEvent.Type.TouchCancel):
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # --- painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#c8ccd2"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.75
        painter.drawLine(QPointF(16, baseline), QPointF(self.width() - 16, baseline))
        if self.is_empty() and self._current is None:
            painter.setPen(QColor("#9aa0a6"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("请在此处签名"))
        self._paint_strokes(painter, 1.0, QPointF(0, 0))
        painter.setPen(QPen(QColor("#8a9099"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))

    def _paint_strokes(self, painter: QPainter, scale: float, offset: QPointF) -> None:
        for stroke in self._strokes:
            for (a, pa), (b, pb) in zip(stroke, stroke[1:], strict=False):
                width = PEN_WIDTH * scale * (0.5 + (pa + pb) / 2)
                painter.setPen(QPen(QColor("#101418"), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                    Qt.PenJoinStyle.RoundJoin))
                path = QPainterPath(offset + a * scale)
                path.lineTo(offset + b * scale)
                painter.drawPath(path)

    # --- output -------------------------------------------------------------------------

    def to_image(self) -> QImage:
        """The signature on white, fitted into :data:`SAVED_SIZE` whatever the widget's size."""
        image = QImage(SAVED_SIZE, QImage.Format.Format_RGB32)
        image.fill(QColor("#ffffff"))
        bounds = QRectF(0, 0, max(1, self.width()), max(1, self.height()))
        scale = min(SAVED_SIZE.width() / bounds.width(), SAVED_SIZE.height() / bounds.height())
        offset = QPointF((SAVED_SIZE.width() - bounds.width() * scale) / 2,
                         (SAVED_SIZE.height() - bounds.height() * scale) / 2)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_strokes(painter, scale, offset)
        painter.end()
        return image

    def to_png(self) -> bytes:
        """PNG bytes of :meth:`to_image`; empty when nothing was drawn."""
        if self.is_empty():
            return b""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.to_image().save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
