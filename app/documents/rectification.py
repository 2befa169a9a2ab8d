"""责令（限期）改正通知书 (rectification order) as PDF: facts, provisions violated, legal
basis, what to correct, the deadline, the consequence, and the re-inspection date (R10).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents import layout as L
from app.documents import pdf

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.model import RectificationOrder

TITLE = "责令（限期）改正通知书"


def _story(order: RectificationOrder) -> list[Flowable]:
    s = L.styles()
    subject = order.subject
    story: list[Flowable] = L.heading(order.agency.name, TITLE, order.document_no)
    story.append(L.field_table([
        ("当事人", subject.name), ("统一社会信用代码", subject.uscc or "—"),
        ("法定代表人（负责人）", subject.representative or "—"), ("联系电话", subject.phone or "—"),
        ("*住所（地址）", subject.address or "—"),
    ]))
    story.append(Spacer(1, 4))
    story.append(L.para(f"经查，{order.facts}", s.body_indent))
    provisions = "、".join(order.provisions_violated)
    story.append(L.para(f"你（单位）的上述行为违反了{provisions}的规定。", s.body_indent))
    story.append(L.markup(
        f"依据{L.text(order.legal_basis)}的规定，本机关责令你（单位）于<b>{L.day(order.deadline)}</b>前改正上述违法行为。"
        "改正内容如下：", s.body_indent))
    for n, correction in enumerate(order.corrections, start=1):
        story.append(L.para(f"{n}. {correction}", s.body_indent))
    story.append(L.para(f"逾期不改正的后果：{order.consequence}", s.body_indent))
    story.append(L.markup(f"本机关将于<b>{L.day(order.follow_up_on)}</b>对你（单位）的改正情况进行复查。", s.body_indent))
    story.append(L.para(order.remedy, s.body_indent))
    officers = "、".join(f"{o.name}（执法证号 {o.cert_no}）" for o in order.officers)
    story.append(L.para(f"执法人员：{officers}", s.body_indent))
    last = L.para(f"联系电话：{order.contact_phone}", s.body_indent)
    # The last line goes with the seal area and the receipt: the seal never stands alone on a page.
    story.append(KeepTogether([last, L.issuer_block(order.agency.name, order.issued_on), Spacer(1, 8),
                               L.receipt_block(order.receipt, "当事人")]))
    return story


def _produce(order: RectificationOrder, progress: pdf.Progress | None) -> Callable[[BinaryIO], None]:
    story = _story(order)
    return lambda fh: pdf.build(fh, story, title=TITLE, document_no=order.document_no, progress=progress)


def render_rectification_order(order: RectificationOrder, dest: Path, *,
                               progress: pdf.Progress | None = None, master: MasterKey | None = None) -> Path:
    """Write the rectification order to ``dest`` atomically."""
    return pdf.write_atomic(dest, _produce(order, progress), master=master)


def rectification_order_bytes(order: RectificationOrder) -> bytes:
    """The rectification order as PDF bytes, for a preview."""
    return pdf.to_bytes(_produce(order, None))
