"""行政执法案件监督卡 (supervision card, "一案一卡") as PDF (R13, R14).

The front (officers' names, department, supervision phone, the inspection code)
and the back (what the party may supervise and how) are printed on one page, one
above the other with a fold line between: cut out along the border and folded,
the sheet is the card. Two card sides fill the page instead of a third of two.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from app.documents import fonts
from app.documents import layout as L
from app.documents import pdf

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.layout import RULE
from app.documents.model import SupervisionCard

TITLE = "行政执法案件监督卡"
CARD_MM = 170
INNER_MM = CARD_MM - 10
CARD_HEIGHT_MM = 112


class FoldLine(Flowable):
    """A dashed line across the card's width with 沿此线对折 (fold here) between front and back."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 11 * L.mm

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        left = (self.width - CARD_MM * L.mm) / 2
        c.setDash(3, 2)
        c.setLineWidth(0.5)
        c.setStrokeColor(L.colors.HexColor("#777777"))
        c.line(left, 7 * L.mm, left + CARD_MM * L.mm, 7 * L.mm)
        c.setFont(fonts.FONT_NAME, 8)
        c.setFillColor(L.colors.HexColor("#555555"))
        c.drawCentredString(self.width / 2, 1 * L.mm, "沿此线对折（剪下边框内部分即为监督卡）")
        c.restoreState()


def _card(parts: list[Flowable]) -> Flowable:
    """A bordered card of fixed size holding ``parts``."""
    return L.plain_table([[parts]], (CARD_MM,), [
        ("BOX", (0, 0), (-1, -1), 1.4, RULE), ("INNERGRID", (0, 0), (-1, -1), 0, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5 * L.mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5 * L.mm), ("TOPPADDING", (0, 0), (-1, -1), 4 * L.mm),
    ], rowHeights=[CARD_HEIGHT_MM * L.mm], hAlign="CENTER")


def _side(label: str) -> Flowable:
    s = L.styles()
    return L.para(label, ParagraphStyle("side", parent=s.small, alignment=2))


def _front(card: SupervisionCard) -> list[Flowable]:
    s = L.styles()
    value = ParagraphStyle("card_value", parent=s.cell, fontSize=10.5, leading=15)
    label = ParagraphStyle("card_label", parent=s.head, fontSize=10.5, leading=15)
    phone = ParagraphStyle("phone", parent=value, fontSize=16, leading=20)
    officers = "<br/>".join(f"{L.text(o.name)}　<font size=8 color='#555555'>执法证号 {L.text(o.cert_no)}</font>"
                            for o in card.officers)
    rows: list[list[Any]] = [
        [L.para("执法机关", label), L.para(card.agency.name, value)],
        [L.para("工作部门", label), L.para(card.department, value)],
        [L.para("执法人员", label), L.markup(officers, value)],
        [L.para("监督电话", label), L.para(card.supervision_phone, phone)],
        [L.para("监督卡编号", label), L.para(card.card_no, value)],
        [L.para("发放日期", label), L.para(L.day(card.issued_on), value)],
    ]
    info = L.ruled_table(rows, (26, 80), header_rows=0)
    info.setStyle([("BACKGROUND", (0, 0), (0, -1), L.SHADE), ("TOPPADDING", (0, 0), (-1, -1), 4),
                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5)])
    code = L.qr_block(card.verification_url, "扫码核验执法人员及检查任务", symbol_mm=34)
    body = L.plain_table([[info, code]], (108, INNER_MM - 108), [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                              ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [_side("正面"), L.TitleLine(TITLE, size=20), body,
            L.para("本卡实行“一案一卡”，由执法人员在执法时向当事人发放。欢迎对执法人员的执法行为进行全程监督。", s.cell)]


def _back(card: SupervisionCard) -> list[Flowable]:
    s = L.styles()
    parts: list[Flowable] = [_side("背面"), L.TitleLine("监督内容", size=16, space_after=2)]
    parts.append(L.para("您可以对执法人员的下列执法行为进行监督：", s.body))
    parts += [L.para(f"{n}. {point}", s.body) for n, point in enumerate(card.supervised_points, start=1)]
    parts.append(L.para(f"监督方式：拨打监督电话 {card.supervision_phone}；或通过 {card.complaint_channels} 反映。"
                        "对反映的问题，将依法及时核查处理并予以答复。", s.body))
    parts.append(L.para(f"检查任务编号：{card.inspection_id}　监督卡编号：{card.card_no}", s.small))
    return parts


def _produce(card: SupervisionCard, progress: pdf.Progress | None) -> Callable[[BinaryIO], None]:
    story: list[Flowable] = [_card(_front(card)), FoldLine(), _card(_back(card))]
    return lambda fh: pdf.build(fh, story, title=TITLE, document_no=card.card_no, progress=progress,
                              running_header=False)


def render_supervision_card(card: SupervisionCard, dest: Path, *, progress: pdf.Progress | None = None,
    master: MasterKey | None = None) -> Path:
    """Write the card (page 1 front, page 2 back) to ``dest`` atomically."""
    return pdf.write_atomic(dest, _produce(card, progress), master=master)


def supervision_card_bytes(card: SupervisionCard) -> bytes:
    """The card as PDF bytes, for a preview."""
    return pdf.to_bytes(_produce(card, None))
