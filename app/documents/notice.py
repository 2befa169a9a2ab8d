"""行政检查通知书 (inspection notice) as PDF: basis, items, time, place, officers, and the
inspection code (R14) with which the party checks the officers before letting them in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import BinaryIO

from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.documents import layout as L
from app.documents import pdf

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.model import InspectionNotice

TITLE = "行政检查通知书"


def _story(notice: InspectionNotice) -> list[Flowable]:
    s = L.styles()
    story: list[Flowable] = L.heading(notice.agency.name, TITLE, notice.document_no)
    story.append(L.para(f"{notice.subject.name}：", s.body))
    story.append(L.markup(
        f"根据{L.text(notice.basis)}，本机关定于<b>{L.when(notice.scheduled_at)}</b>对你（单位）进行行政检查。"
        "现将有关事项通知如下：", s.body_indent))
    story.append(L.para(f"一、检查地点：{notice.place}", s.body_indent))
    story.append(L.para("二、检查事项：", s.body_indent))
    rows = [[L.para(h, s.head) for h in ("序号", "事项编码", "检查事项")]]
    rows += [[L.para(str(n), s.cell_center), L.para(item.code, s.cell_center), L.para(item.name, s.cell)]
             for n, item in enumerate(notice.items, start=1)]
    story.append(L.ruled_table(rows, (14, 34, 122)))
    story.append(L.para("三、执法人员：", s.body_indent))
    rows = [[L.para(h, s.head) for h in ("姓名", "执法证号")]]
    rows += [[L.para(o.name, s.cell_center), L.para(o.cert_no, s.cell_center)] for o in notice.officers]
    story.append(L.ruled_table(rows, (60, 110)))
    story.append(L.para("四、告知事项：", s.body_indent))
    points = (
        "执法人员不少于两人，检查时将主动出示执法证件；你（单位）有权要求执法人员出示执法证件，"
        "执法人员不出示执法证件的，你（单位）有权拒绝接受检查。",
        "执法人员与你（单位）有直接利害关系或者有其他关系可能影响公正执法的，你（单位）有权申请回避。",
        "请你（单位）届时安排熟悉情况的人员在场，如实提供有关资料，配合检查。检查结果将以书面形式告知。",
        f"扫描下方二维码，可核验执法人员身份及本次检查任务（检查任务编号 {notice.inspection_id}）；"
        f"也可拨打 {notice.contact_phone} 核实。",
    )
    lines = [L.para(f"{n}. {point}", s.body_indent) for n, point in enumerate(points, start=1)]
    story += lines[:-1]
    code = L.qr_block(notice.verification_url, "扫码核验 · 亮码检查")
    sign_off = L.issuer_block(notice.agency.name, notice.issued_on, 108)
    closing = L.plain_table([[code, sign_off]], (60, 110), [("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                            ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    # The last point goes with the seal area and the receipt: the seal never stands alone on a page.
    story.append(KeepTogether([lines[-1], Spacer(1, 6), closing, Spacer(1, 8), L.receipt_block(None)]))
    return story


def _produce(notice: InspectionNotice, progress: pdf.Progress | None) -> Callable[[BinaryIO], None]:
    story = _story(notice)
    return lambda fh: pdf.build(fh, story, title=TITLE, document_no=notice.document_no, progress=progress)


def render_notice(notice: InspectionNotice, dest: Path, *, progress: pdf.Progress | None = None,
    master: MasterKey | None = None) -> Path:
    """Write the inspection notice to ``dest`` atomically."""
    return pdf.write_atomic(dest, _produce(notice, progress), master=master)


def notice_bytes(notice: InspectionNotice) -> bytes:
    """The inspection notice as PDF bytes, for a preview."""
    return pdf.to_bytes(_produce(notice, None))
