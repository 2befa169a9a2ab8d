"""The look shared by every document: styles, heading block, ruled tables, signature
boxes, the QR symbol, the issuer and receipt blocks (pages and files: ``pdf.py``).

Every piece of text is set in the embedded font (``fonts.register``); table cells are
Paragraphs with CJK word wrap so long Chinese text wraps inside its column.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, LongTable, Paragraph, TableStyle

from app.clock import CHINA_TZ
from app.documents import fonts
from app.documents.errors import SignatureImageInvalid
from app.documents.model.common import cn_day

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 18 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
RULE = colors.HexColor("#333333")
SHADE = colors.HexColor("#eeeeee")


# --- Text --------------------------------------------------------------------------

def text(value: str) -> str:
    """User text made safe for Paragraph markup, line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


# One date style in every document: 2026年5月12日 (no leading zeros), times as 8时05分.
def when(moment: datetime) -> str:
    """``2026年11月23日8时30分`` in China time."""
    m = moment.astimezone(CHINA_TZ)
    return f"{day(m.date())}{clock_time(m)}"


def clock_time(moment: datetime) -> str:
    """``8时30分`` in China time."""
    m = moment.astimezone(CHINA_TZ)
    return f"{m.hour}时{m.minute:02d}分"


def day(value: date) -> str:
    """``2026年5月12日``."""
    return cn_day(value)


_RULE_CODE = re.compile(r"\s*[（(【\[]\s*R\d+(?:\s*[–\-—、,，/]\s*R?\d+)*\s*[）)】\]]\s*|\bR\d+(?:\.\w+)?\b")


def without_rule_codes(value: str) -> str:
    """``value`` with the application's internal rule codes (R1…R27) taken out: a document cites the law in words."""
    return _RULE_CODE.sub("", value or "")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles every document uses."""

    body: ParagraphStyle
    body_indent: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    agency: ParagraphStyle
    docno: ParagraphStyle
    section: ParagraphStyle
    right: ParagraphStyle


@lru_cache(maxsize=1)
def styles() -> Styles:
    """The paragraph styles, all in the embedded font with CJK word wrap."""
    font = fonts.register()

    def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading, wordWrap="CJK", **kw)

    return Styles(
        body=style("body", 10.5, 17),
        body_indent=style("body_indent", 10.5, 17, firstLineIndent=21),
        small=style("small", 8, 11, textColor=colors.HexColor("#444444"), rightIndent=5),
        # rightIndent: room for a punctuation mark that hangs at the line end, inside the cell.
        cell=style("cell", 9, 12.5, rightIndent=6),
        cell_center=style("cell_center", 9, 12.5, alignment=TA_CENTER),
        head=style("head", 9, 12.5, alignment=TA_CENTER),
        agency=style("agency", 16, 22, alignment=TA_CENTER, spaceAfter=2),
        docno=style("docno", 12, 16, alignment=TA_RIGHT, spaceBefore=4, spaceAfter=6),
        section=style("section", 11.5, 17, spaceBefore=8, spaceAfter=4),
        right=style("right", 10.5, 17, alignment=TA_RIGHT),
    )


def para(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of plain user text (escaped; a character the Song face lacks in the fallback face)."""
    return Paragraph(fonts.with_fallback(text(value)), style or styles().body)


def markup(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A Paragraph of markup the caller has already escaped (a character the Song face lacks in the fallback face)."""
    return Paragraph(fonts.with_fallback(value), style or styles().body)


class TitleLine(Flowable):
    """A centred one-line title, stroked as well as filled so it reads as bold (the font has no bold face)."""

    def __init__(self, value: str, size: float = 22, space_after: float = 4) -> None:
        super().__init__()
        self.value, self.size, self.space_after = value, size, space_after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.35 + self.space_after

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(fonts.FONT_NAME, self.size)
        c.setLineWidth(self.size / 30)
        text_object = c.beginText()
        text_object.setTextRenderMode(2)  # fill and stroke
        width = c.stringWidth(self.value, fonts.FONT_NAME, self.size)
        text_object.setTextOrigin((self.width - width) / 2, self.space_after + self.size * 0.3)
        text_object.textLine(self.value)
        c.drawText(text_object)
        c.restoreState()


def heading(agency: str, title: str, document_no: str = "") -> list[Flowable]:
    """The top of an official document: agency name, title in large type, the 文号 at the right.

    A document not yet issued has no number: 草稿 stands in its place.
    """
    s = styles()
    number = text(document_no) if document_no else "<font color='#b00000'>草稿（未编号，不作正式文书使用）</font>"
    return [para(agency, s.agency), TitleLine(title), markup(number, s.docno)]


# --- Tables --------------------------------------------------------------------------

def ruled_table(rows: Sequence[Sequence[Any]], widths_mm: Sequence[float], *, header_rows: int = 1,
                valign: str = "MIDDLE") -> LongTable:
    """A clean ruled table; header rows are shaded and repeat on every page the table spans.

    Rows move whole to the next page: pass rows through :func:`fold_tall_row` first
    when a cell may be taller than a page.
    """
    widths = [w * mm for w in widths_mm]
    table = LongTable(list(rows), colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        # Even Paragraph cells get the cell font set first: left at its default, Helvetica would be added.
        ("FONT", (0, 0), (-1, -1), fonts.FONT_NAME, 9),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.9, RULE),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    table.setStyle(TableStyle(commands))
    table.spaceBefore, table.spaceAfter = 3, 3
    return table


CELL_PADDING_X = 6  # left + right padding of a ruled table cell, in points
TALL_ROW = 0.35 * (PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM)


def _pieces(cell: list[Flowable], width: float, limit: float) -> list[list[Flowable]]:
    """``cell`` cut into runs of flowables of about equal height, each at most ``limit`` high.

    Equal parts, not greedy ones, so no continuation row holds a lone last line.
    """
    total = sum(f.wrap(width, limit)[1] for f in cell)
    if total <= limit:
        return [cell]
    parts_wanted = math.ceil(total / limit)
    target = min(limit, total / parts_wanted + 14)  # a line of slack: cuts fall between lines
    pieces: list[list[Flowable]] = [[]]
    used = 0.0
    queue = list(cell)
    while queue:
        flowable = queue.pop(0)
        _, height = flowable.wrap(width, limit)
        if used + height <= target:
            pieces[-1].append(flowable)
            used += height
            continue
        parts = flowable.split(width, target - used) if target - used > 24 else []
        if len(parts) == 2:
            pieces[-1].append(parts[0])
            queue.insert(0, parts[1])
        elif not pieces[-1]:
            pieces[-1].append(flowable)  # cannot be cut: it stands alone
        else:
            queue.insert(0, flowable)
        pieces.append([])
        used = 0.0
    return [p for p in pieces if p]


def fold_tall_row(cells: Sequence[list[Flowable]], widths_mm: Sequence[float],
                  continued: Callable[[int], list[list[Flowable]]], limit: float = TALL_ROW) -> list[list[Any]]:
    """One row, or several when a cell is taller than ``limit``: continuation rows carry the rest.

    Rows then never need splitting inside (which reportlab does poorly), and a
    very long finding cannot overflow a page. ``continued(k)`` gives the cells of
    the k-th continuation row; its non-empty cells are replaced by the overflow.
    """
    cut = [_pieces(cell, w * mm - CELL_PADDING_X, limit) if cell else [[]] for cell, w in zip(cells, widths_mm)]
    extra = max(len(c) for c in cut) - 1
    if extra <= 0:
        return [list(cells)]
    rows: list[list[Any]] = [[c[0] for c in cut]]
    for k in range(1, extra + 1):
        template = continued(k)
        rows.append([c[k] if k < len(c) else template[i] for i, c in enumerate(cut)])
    return rows


def field_table(pairs: Sequence[tuple[str, Any]], *, pairs_per_row: int = 2,
                label_mm: float = 26) -> LongTable:
    """Label/value pairs in a ruled grid, labels shaded; a value may be text or a flowable.

    A pair whose label starts with ``*`` takes the whole row.
    """
    s = styles()
    value_mm = (CONTENT_WIDTH / mm - pairs_per_row * label_mm) / pairs_per_row
    widths = [label_mm, value_mm] * pairs_per_row
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    row: list[Any] = []

    def close(current: list[Any]) -> None:
        for column in range(0, len(current), 2):
            commands.append(("BACKGROUND", (column, len(rows)), (column, len(rows)), SHADE))
        rows.append(current + [""] * (2 * pairs_per_row - len(current)))

    for label, value in pairs:
        cell = value if isinstance(value, Flowable) else para(str(value), s.cell)
        if label.startswith("*"):
            if row:
                close(row)
                row = []
            commands.append(("SPAN", (1, len(rows)), (-1, len(rows))))
            close([para(label[1:], s.head), cell])
            continue
        row += [para(label, s.head), cell]
        if len(row) == 2 * pairs_per_row:
            close(row)
            row = []
    if row:
        close(row)
    table = ruled_table(rows, widths, header_rows=0)
    table.setStyle(TableStyle(commands))
    return table


# --- Images ----------------------------------------------------------------------------

def signature_image(png: bytes, signer: str, box_w_mm: float, box_h_mm: float) -> Image:
    """The signature scaled to fit a box, keeping its proportions; an unreadable PNG is refused."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(png)) as probe:
            probe.verify()  # catches truncated or corrupt data before reportlab meets it
        with PILImage.open(io.BytesIO(png)) as picture:
            width, height = picture.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SignatureImageInvalid(signer, str(exc) or type(exc).__name__) from None
    scale = min(box_w_mm * mm / width, box_h_mm * mm / height)
    image = Image(io.BytesIO(png), width=width * scale, height=height * scale)
    image.hAlign = "CENTER"
    return image


QUIET_ZONE_MODULES = 4  # ISO/IEC 18004 asks for four light modules around the symbol


def qr_symbol(payload: str, symbol_mm: float = 32) -> Drawing:
    """The QR symbol of ``payload`` (error correction M), the dark-module area ``symbol_mm`` wide.

    The quiet zone comes on top, so however long the payload the symbol keeps its
    printed size (scannable from about 30 mm).
    """
    widget = QrCodeWidget(payload, barLevel="M", barBorder=QUIET_ZONE_MODULES)
    widget.qr.make()
    modules = widget.qr.getModuleCount()
    size = symbol_mm * mm * (modules + 2 * QUIET_ZONE_MODULES) / modules
    widget.barWidth = widget.barHeight = size
    drawing = Drawing(size, size)
    # The renderer sets the drawing's initial font even with no text; left alone that is Helvetica.
    drawing.initialFontName = fonts.register()
    drawing.add(widget)
    return drawing


# --- Layout blocks -------------------------------------------------------------------

def plain_table(rows: Sequence[Sequence[Any]], widths_mm: Sequence[float], commands: Sequence[tuple[Any, ...]] = (),
                **kw: Any) -> LongTable:
    """A table without rules, for placing blocks side by side; its font is set so no base-14 font creeps in."""
    table = LongTable(list(rows), colWidths=[w * mm for w in widths_mm], hAlign=kw.pop("hAlign", "LEFT"), **kw)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.FONT_NAME, 10.5), *commands]))
    return table


SEAL_MM = 38  # room for the seal: the round seals of agencies are 38 to 45 mm across


class SealArea(Flowable):
    """The sign-off (落款) with the seal area (印章): a dashed circle the seal goes on, over the
    agency name and the date of issue, at the right of the page, as GB/T 9704 places it."""

    def __init__(self, agency_name: str, issued_on: date | None, width_mm: float | None = None) -> None:
        super().__init__()
        self.agency_name, self.issued_on = agency_name, issued_on
        self.box_width = (width_mm or CONTENT_WIDTH / mm) * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = min(self.box_width, avail_width)
        return self.width, (SEAL_MM + 2) * mm

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        size = 12
        date_text = day(self.issued_on) if self.issued_on else "年　　月　　日"
        name_w = c.stringWidth(self.agency_name, fonts.FONT_NAME, size)
        date_w = c.stringWidth(date_text, fonts.FONT_NAME, size)
        right = self.width - 4 * mm  # 右空四字 would be wider than the cells; a margin of 4 mm
        centre_x = right - max(name_w, date_w) / 2
        centre_y = (SEAL_MM / 2 + 1) * mm
        c.setStrokeColor(colors.HexColor("#c06060"))
        c.setDash(2, 2)
        c.setLineWidth(0.6)
        c.circle(centre_x, centre_y, SEAL_MM / 2 * mm)
        c.setFillColor(colors.HexColor("#c06060"))
        c.setFont(fonts.FONT_NAME, 8)
        c.drawCentredString(centre_x, centre_y + SEAL_MM / 2 * mm - 5 * mm, "（印章）")
        c.setFillColor(colors.black)
        c.setFont(fonts.FONT_NAME, size)
        c.drawCentredString(centre_x, centre_y + 2, self.agency_name)
        c.drawCentredString(centre_x, centre_y - 18, date_text)
        c.restoreState()


def issuer_block(agency_name: str, issued_on: date | None, width_mm: float | None = None) -> Flowable:
    """The sign-off (落款): the seal area with the agency name and the date of issue, at the right."""
    return SealArea(agency_name, issued_on, width_mm)


def receipt_block(receipt: Any, who: str = "被检查人") -> Flowable:
    """The party's acknowledgement of receipt: its signature image and time, or blanks to sign by hand."""
    s = styles()
    if receipt is not None:
        mark: Any = signature_image(receipt.png, receipt.name, 40, 13)
        when_text = when(receipt.signed_at)
    else:
        mark, when_text = "", ""
    rows = [[para(f"{who}签收：", s.body), mark, para("时间：", s.body), para(when_text, s.body)]]
    return plain_table(rows, (33, 60, 16, 61), [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                                 ("LINEBELOW", (1, 0), (1, 0), 0.5, RULE),
                                                 ("LINEBELOW", (3, 0), (3, 0), 0.5, RULE)], rowHeights=[17 * mm])


def closing_with_code(code: str, seal: Flowable, caption: str = "扫码核验本文书") -> Flowable:
    """The document code (when there is one) at the left, the seal area at the right, side by side."""
    if not code:
        return seal
    block = qr_block(code, caption, 24)
    return plain_table([[block, seal]], (48, CONTENT_WIDTH / mm - 48), [
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


def qr_block(payload: str, caption: str, symbol_mm: float = 32) -> Flowable:
    """The inspection code (R14) with a caption under it, centred in its own small table."""
    s = styles()
    symbol = qr_symbol(payload, symbol_mm)
    return plain_table([[symbol], [para(caption, s.cell_center)]], [symbol.width / mm + 8],
                       [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1)], hAlign="CENTER")
