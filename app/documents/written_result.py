"""检查结果告知书 (written result) as PDF: for every item checked, its basis, the problem
found, the rectification advice, the required standard and the deadline (R10).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Any, BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents import layout as L
from app.documents import pdf

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.model import ItemResult, ResultItem, WrittenResult

TITLE = "检查结果告知书"
ITEM_WIDTHS = (10, 27, 26, 13, 46, 48)  # mm, 170 in all


def _requirements(item: ResultItem) -> list[Flowable]:
    s = L.styles()
    if not (item.advice or item.standard or item.deadline):
        return [L.para("—", s.cell)]
    lines = [("整改意见", item.advice), ("应达到的标准", item.standard),
             ("整改期限", L.day(item.deadline) if item.deadline else "")]
    return [L.markup(f"<font color='#555555'>{label}：</font>{L.text(value)}", s.cell) for label, value in lines if value]


def _items_table(result: WrittenResult) -> Flowable:
    s = L.styles()
    heads = ("序号", "检查事项", "检查依据", "结果", "发现的问题", "整改意见、应达到的标准及期限")
    rows: list[list[Any]] = [[L.para(h, s.head) for h in heads]]
    for n, item in enumerate(result.items, start=1):
        label = item.result.label
        if item.result is ItemResult.NON_COMPLIANT:
            label = f"<font color='#b00000'>{label}</font>"
        cells = [[L.para(str(n), s.cell_center)],
                 [L.markup(f"{L.text(item.name)}<br/><font size=7 color='#555555'>{L.text(item.code)}</font>", s.cell)],
                 [L.para(item.basis, s.cell)], [L.markup(label, s.cell_center)],
                 [L.para(item.finding or "—", s.cell)], _requirements(item)]
        rows += L.fold_tall_row(cells, ITEM_WIDTHS, lambda _k, n=n: [
            [L.para(str(n), s.cell_center)], [L.para("（续）", s.cell)], [], [], [], []])
    return L.ruled_table(rows, ITEM_WIDTHS, valign="TOP")


def _story(result: WrittenResult) -> list[Flowable]:
    s = L.styles()
    story: list[Flowable] = L.heading(result.agency.name, TITLE, result.document_no)
    story.append(L.para(f"{result.subject.name}：", s.body))
    story.append(L.para(
        f"本机关执法人员{'、'.join(o.name for o in result.officers)}于{L.when(result.inspected_at)}在{result.place}"
        f"对你（单位）进行了行政检查（检查任务编号 {result.inspection_id}）。现将检查结果书面告知如下：", s.body_indent))
    story.append(_items_table(result))
    problems = [item for item in result.items if item.result is ItemResult.NON_COMPLIANT]
    if problems:
        text = "对上述问题，请你（单位）按照整改意见在整改期限内整改，达到应达到的标准。"
        if result.rectification_order_no:
            text += f"本机关已另行制发《责令（限期）改正通知书》（{result.rectification_order_no}），并将在期限届满后进行复查。"
        story.append(L.para(text, s.body_indent))
    else:
        story.append(L.para("本次检查未发现问题。", s.body_indent))
    last = L.para(f"如对检查结果有异议，可向本机关提出。联系电话：{result.contact_phone}。", s.body_indent)
    # The last paragraph goes with the seal area and the receipt: the seal never stands alone on a page.
    story.append(KeepTogether([last, L.issuer_block(result.agency.name, result.issued_on), Spacer(1, 8),
                               L.receipt_block(result.receipt)]))
    return story


def _produce(result: WrittenResult, progress: pdf.Progress | None) -> Callable[[BinaryIO], None]:
    story = _story(result)
    return lambda fh: pdf.build(fh, story, title=TITLE, document_no=result.document_no, progress=progress)


def render_written_result(result: WrittenResult, dest: Path, *, progress: pdf.Progress | None = None,
    master: MasterKey | None = None) -> Path:
    """Write the written result to ``dest`` atomically."""
    return pdf.write_atomic(dest, _produce(result, progress), master=master)


def written_result_bytes(result: WrittenResult) -> bytes:
    """The written result as PDF bytes, for a preview."""
    return pdf.to_bytes(_produce(result, None))
