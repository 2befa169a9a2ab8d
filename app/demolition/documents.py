"""The documents of a forced demolition, in the same PDF standard as the inspection
documents (embedded CJK font, CJK wrap, ruled tables, page x/y):

- 财物登记清单 (inventory list) in two copies, one for each side, each signed (R24, R26),
  with the edits made after counting;
- 强制拆除现场笔录 (on-site record of the operation): preconditions, times, pauses,
  emergency reasons, presence, witness, recordings (R16, R20–R25);
- 财物移交清单 (handover receipt) of one handover, with the recipient's signature;
- QR label sheet: one label per box or label number.
"""

from __future__ import annotations

import enum
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, TableStyle

from app.demolition.inventory import state_label
from app.deadlines import CalendarNotCovered
from app.demolition.rules import Means, litigation_ends, reconsideration_ends
from app.demolition.service import DemolitionService
from app.demolition.errors import DemolitionStateError
from app.documents import doc_code, fonts
from app.documents import layout as L
from app.documents import pdf
from app.clock import CHINA_TZ
from app.documents.numbering import DocumentNumbers
from app.session import Session
from local_db.demolition_repository import CaseSignature, CustodyEntry, DemolitionCase, ItemVersion

DOCUMENTS_DIR = "documents"
COPIES = ("第一联  执法机关存档", "第二联  当事人收执")
_EVENT_ZH = {"start": "开始执行", "pause": "暂停", "resume": "恢复执行", "abandon": "终止执行", "end": "执行结束"}
_WITNESS_ZH = {"notary": "公证人员", "witness": "见证人"}


class DemolitionDocument(enum.StrEnum):
    INVENTORY = "inventory"
    RECORD = "record"
    HANDOVER = "handover"
    LABELS = "labels"

    @property
    def doc_type(self) -> str | None:
        """The 文号 counter the document is numbered on; labels carry no number."""
        return {"inventory": "inventory", "record": "demolition_record", "handover": "handover"}.get(self.value)

    @property
    def title(self) -> str:
        return {"inventory": "财物登记清单", "record": "强制拆除现场笔录", "handover": "财物移交清单",
                "labels": "财物标签"}[self.value]


def item_code_id(case_id: str, item_no: int) -> str:
    """The id a label's document code names: the case and the item number."""
    return f"{case_id}/{item_no}"


class DemolitionDocuments:
    """Builds the stories of one case's documents from the service's data."""

    def __init__(self, service: DemolitionService, *, session: Session | None = None) -> None:
        """``session``: who issues the documents (numbers them); a draft needs nobody."""
        self.s = service
        self.session = session
        self.numbers = DocumentNumbers(service.ws)
        self._issued: dict[str, str] = {}

    @staticmethod
    def document_key(case_id: str, kind: DemolitionDocument, handover_id: int | None = None) -> str:
        """The key a document's 文号 is kept under: one per case and kind, one per handover."""
        return f"demolition/{case_id}/{kind.value}" + (f"/{handover_id}" if handover_id else "")

    def number(self, case: DemolitionCase, kind: DemolitionDocument, handover_id: int | None = None, *,
               draft: bool = False) -> str:
        """The document's 文号: issued on first final print, the same ever after; "" for a draft."""
        if kind.doc_type is None:
            return ""
        key = self.document_key(case.id, kind, handover_id)
        if draft:
            issued = self.numbers.get(key)
            return issued.number if issued else ""
        return self.numbers.issue(key, case.agency_id, kind.doc_type, session=self.session).number

    def path_for(self, case_id: str, kind: DemolitionDocument, suffix: str = "") -> Path:
        return self.s.ws.folder / DOCUMENTS_DIR / case_id / f"{case_id}_{kind.title}{suffix}.pdf"

    def render(self, case_id: str, kind: DemolitionDocument, *, handover_id: int | None = None,
               progress: pdf.Progress | None = None, draft: bool = False, out_dir: Path | None = None) -> Path:
        """Write the document atomically, encrypted, into the case's documents folder — or plain into
        ``out_dir``, an export — and return its path.

        Not a draft, the document is issued and gets its 文号 (once); a draft prints 草稿.
        """
        case = self.s.case(case_id)
        dest = self.path_for(case_id, kind, f"_{handover_id}" if handover_id else "")
        if out_dir is not None:
            dest = Path(out_dir) / dest.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if kind is DemolitionDocument.HANDOVER and handover_id is None:
            handover_id = self._handover_entry(case, None).id
        number = self.number(case, kind, handover_id, draft=draft)
        self._issued[self.document_key(case.id, kind, handover_id)] = number
        # Kept encrypted in the data folder; written plain only where the user exports to (``out_dir``).
        master = None if out_dir is not None else self.s.ws.master
        if kind is DemolitionDocument.INVENTORY:
            return pdf.write_atomic(dest, lambda fh: self._two_copies(case, fh, progress, number), master=master)
        story = self.story(case_id, kind, handover_id=handover_id)
        sign = self._page_signature(case) if kind is DemolitionDocument.RECORD else None
        produce: Callable[[BinaryIO], None] = lambda fh: pdf.build(  # noqa: E731
            fh, story, title=kind.title, document_no=number, progress=progress,
            running_header=kind is not DemolitionDocument.LABELS, page_signature=sign,
            numbered=kind is not DemolitionDocument.LABELS)
        return pdf.write_atomic(dest, produce, master=master)

    def _number_of(self, case: DemolitionCase, kind: DemolitionDocument, handover_id: int | None = None) -> str:
        """The number the document being printed carries ("" while a draft)."""
        key = self.document_key(case.id, kind, handover_id)
        if key not in self._issued:
            issued = self.numbers.get(key)
            self._issued[key] = issued.number if issued else ""
        return self._issued[key]

    def _page_signature(self, case: DemolitionCase) -> pdf.PageSignature:
        """The party's signature, or its refusal, at the foot of every page of the record (笔录 practice)."""
        party = [x for x in self.s.inventory.signatures(case.id) if x.document == "record" and x.role == "party"]
        if party:
            return pdf.PageSignature(png=party[-1].image_png)
        refused = [r for r in self.s.inventory.refusals(case.id) if r.document == "record"]
        if refused:
            return pdf.PageSignature(note=f"当事人拒绝签名（{refused[-1].reason}），见证人在场")
        if case.party_present is False:
            return pdf.PageSignature(note="当事人未到场，由见证人见证")
        return pdf.PageSignature()

    def _two_copies(self, case: DemolitionCase, out: BinaryIO, progress: pdf.Progress | None, number: str) -> None:
        """R26: both copies in one file, each numbered on its own (第 x 页 共 y 页 of its copy).

        The copies are the same but for their caption, so one copy is laid out first to
        learn its page count; then both are laid out with that count.
        """
        title = DemolitionDocument.INVENTORY.title
        pages: list[int] = []
        pdf.build(io.BytesIO(), self._inventory(case, COPIES[0]), title=title, document_no=number,
                  progress=pages.append)
        per_copy = max(pages)
        story: list[Flowable] = []
        for n, copy in enumerate(COPIES):
            if n:
                story.append(PageBreak())
            story += self._inventory(case, copy)
        doc = pdf.DocumentTemplate(out, title=title, document_no=number, progress=progress, draft=not number)
        doc.build(story, canvasmaker=_copies_canvas(per_copy))

    def story(self, case_id: str, kind: DemolitionDocument, *, handover_id: int | None = None) -> list[Flowable]:
        case = self.s.case(case_id)
        if kind is DemolitionDocument.INVENTORY:
            story: list[Flowable] = []
            for n, copy in enumerate(COPIES):
                if n:
                    story.append(PageBreak())
                story += self._inventory(case, copy)
            return story
        if kind is DemolitionDocument.RECORD:
            return self._record(case)
        if kind is DemolitionDocument.HANDOVER:
            return self._handover(case, handover_id)
        return self._labels(case)

    # --- pieces --------------------------------------------------------------------------

    def _agency(self, case: DemolitionCase) -> str:
        agency = self.s.ws.agencies.get(case.agency_id)
        return agency.name if agency else case.agency_id

    def _officers(self, case: DemolitionCase) -> str:
        officers = [self.s.ws.officers.get(i) for i in case.officer_ids]
        return "、".join(f"{o.name}（执法证号 {o.cert_no}）" for o in officers if o)

    def _case_fields(self, case: DemolitionCase) -> list[tuple[str, Any]]:
        window = self.s.operation_window(case.id)
        started = L.when(window[0]) if window else "—"
        return [("当事人", case.party_name), ("证件号码", case.party_id_no or "—"),
                ("公告文号", case.announcement_no), ("公告送达日", L.day(case.announcement_served_on)),
                ("清除财物期限", L.day(case.removal_deadline)), ("执行开始", started),
                ("*地点", case.place)]

    def _witness_rows(self, case: DemolitionCase) -> list[Flowable]:
        s = L.styles()
        out: list[Flowable] = []
        presence = ("当事人到场：" + case.party_present_name) if case.party_present else \
            ("当事人未到场" if case.party_present is False else "当事人到场情况：未记录")
        out.append(L.para(presence, s.body))
        for w in self.s.witnesses(case.id):
            org = f"，{w.organisation}" if w.organisation else ""
            out.append(L.para(f"{_WITNESS_ZH[w.kind]}：{w.name}（身份证号码 {w.id_no}{org}）。声明：{w.no_interest}", s.body))
        return out

    def _refusal_lines(self, case: DemolitionCase, document: str) -> list[Flowable]:
        s = L.styles()
        return [L.para(f"当事人拒绝签名：{r.reason}（{L.when(r.recorded_at)}，见证人在场签名）", s.body)
                for r in self.s.inventory.refusals(case.id) if r.document == document]

    def _signature_block(self, sigs: list[CaseSignature], sides: tuple[tuple[str, str], ...]) -> Flowable:
        s = L.styles()
        cells: list[Any] = []
        for role, caption in sides:
            signed = [x for x in sigs if x.role == role]
            mark: Any = L.signature_image(signed[-1].image_png, signed[-1].signer_name, 40, 13) if signed else ""
            cells += [L.para(f"{caption}：", s.body), mark]
        return L.plain_table([cells], [22, 38] * len(sides), [("VALIGN", (0, 0), (-1, -1), "BOTTOM")],
                             rowHeights=[17 * mm])

    def _inventory(self, case: DemolitionCase, copy: str) -> list[Flowable]:
        s = L.styles()
        inv = self.s.inventory
        story: list[Flowable] = L.heading(self._agency(case), DemolitionDocument.INVENTORY.title,
                                          self._number_of(case, DemolitionDocument.INVENTORY))
        story.append(L.para(copy, s.right))
        story.append(L.field_table(self._case_fields(case)))
        states = inv.states(case.id)
        names = {o.id: o.name for o in self.s.ws.officers.all()}
        versions: dict[int, list[ItemVersion]] = {}
        for v in inv.versions(case.id):
            versions.setdefault(v.item_no, []).append(v)
        widths = (10, 32, 16, 12, 10, 14, 22, 22, 32)
        rows: list[list[Any]] = [[L.para(h, s.head) for h in
                                  ("序号", "名称", "类别", "数量", "单位", "状况", "照片", "箱号/标签", "保管地点")]]
        shade: list[tuple[Any, ...]] = []
        for item_no, history in sorted(versions.items()):
            # Every version of the item: the count first, then each edit after counting, the latest last.
            for v in history:
                photos = "\n".join(p[:10] for p in v.photo_sha256s)
                if len(history) == 1:
                    name = L.para(v.name, s.cell)
                elif v.version == 1:
                    name = L.markup(f"{L.text(v.name)}<br/><font size=7 color='#555555'>清点记录（原始，第1版）</font>",
                                    s.cell)
                    shade.append(("TEXTCOLOR", (1, len(rows)), (-1, len(rows)), L.colors.HexColor("#555555")))
                else:
                    latest = "现行" if v is history[-1] else "已被后续修改替代"
                    name = L.markup(f"{L.text(v.name)}<br/><font size=7 color='#555555'>第{v.version}版 {latest}："
                                    f"{L.text(L.when(v.recorded_at))} {L.text(names.get(v.recorded_by, v.recorded_by))}"
                                    f"修改，原因：{L.text(v.edit_reason)}</font>", s.cell)
                place = v.storage_place + (f"\n{state_label(states[v.item_no])}" if v is history[-1] else "")
                rows.append([L.para(str(item_no) if v.version == 1 else f"{item_no}-{v.version}", s.cell_center),
                             name, L.para(v.category, s.cell), L.para(_qty(v.quantity), s.cell_center),
                             L.para(v.unit, s.cell_center), L.para(v.condition, s.cell), L.para(photos, s.small),
                             L.para(v.label_no, s.cell), L.para(place, s.cell)])
        if len(rows) == 1:
            rows.append([L.para("无", s.cell_center)] + [""] * 8)
        table = L.ruled_table(rows, widths)
        if shade:
            table.setStyle(TableStyle(shade))
        story.append(table)
        edits = inv.edits(case.id)
        if edits:
            story.append(L.para("清点后修改记录（原记录保留，逐次列明）：", s.section))
            erows: list[list[Any]] = [[L.para(h, s.head) for h in
                                       ("序号", "版本", "修改时间", "修改人", "修改前", "修改后", "修改原因")]]
            for e in edits:
                before = next(v for v in versions[e.item_no] if v.version == e.version - 1)
                erows.append([L.para(str(e.item_no), s.cell_center), L.para(f"第{e.version}版", s.cell_center),
                              L.para(L.when(e.recorded_at), s.cell),
                              L.para(names.get(e.recorded_by, e.recorded_by), s.cell),
                              L.para(_describe(before, e), s.cell), L.para(_describe(e, before), s.cell),
                              L.para(e.edit_reason, s.cell)])
            story.append(L.ruled_table(erows, (10, 14, 30, 16, 36, 36, 28)))
        notices = [c for c in inv.custody(case.id) if c.kind == "notice"]
        for c in notices:
            story.append(L.para(f"领取通知：{c.notice_no}，请于 {L.day(c.collect_by)} 前领取。", s.body))
        if case.inventory_sha256:
            story.append(L.para(f"本清单内容已于执行结束时封存入本机证据链，SHA-256：{case.inventory_sha256}", s.small))
        sigs = [x for x in inv.signatures(case.id) if x.document == "inventory"]
        # The closing lines go with the signatures and the seal, so no page holds them alone.
        story.append(KeepTogether([*self._witness_rows(case), L.para(f"执法人员：{self._officers(case)}", s.body),
                                   Spacer(1, 6), self._signature_block(
            sigs, (("officer", "执法人员"), ("party", "当事人"), ("witness", "见证人"))),
                                   *self._refusal_lines(case, "inventory"),
                                   self._seal(case, DemolitionDocument.INVENTORY)]))
        return story

    def _seal(self, case: DemolitionCase, kind: DemolitionDocument) -> Flowable:
        """The seal area (the agency, the day of the operation) beside the document's signed code."""
        window = self.s.operation_window(case.id)
        when = window[0] if window else self.s.now()
        seal = L.issuer_block(self._agency(case), when.astimezone(CHINA_TZ).date(), 120)
        return L.closing_with_code(self._document_code(case, kind), seal)

    def _document_code(self, case: DemolitionCase, kind: DemolitionDocument, handover_id: int | None = None) -> str:
        """The device-signed code of an issued document: its number and a hash of what it states."""
        number = self._number_of(case, kind, handover_id)
        if not number:
            return ""  # a draft proves nothing
        inv = self.s.inventory
        content: dict[str, Any] = {"number": number, "case": case, "items": inv.versions(case.id)}
        if kind is DemolitionDocument.RECORD:
            content["events"] = self.s.events(case.id)
        if kind is DemolitionDocument.HANDOVER:
            content["handover"] = self._handover_entry(case, handover_id)
        return doc_code.sign_code(kind.doc_type or "", number, content, self.s.ws.device, self.s.ws.clock())

    def label_code(self, case: DemolitionCase, item: ItemVersion) -> str:
        """A label's QR: the item (case and number) and a hash of its current version, signed by this device."""
        return doc_code.sign_code("item", item_code_id(case.id, item.item_no), item, self.s.ws.device,
                                  self.s.ws.clock())

    def _record(self, case: DemolitionCase) -> list[Flowable]:
        s = L.styles()
        story: list[Flowable] = L.heading(self._agency(case), DemolitionDocument.RECORD.title,
                                          self._number_of(case, DemolitionDocument.RECORD))
        story.append(L.field_table([
            *self._case_fields(case), ("拆除对象", case.structure), ("拆除方式", Means(case.means).label),
            ("自行拆除期限", L.day(case.self_demolition_deadline)),
            ("到场通知", case.attend_notice_no or "—"),
            ("*应急预案", case.emergency_plan or "—"),
        ]))
        story.append(L.para("执行前置条件核验（应急预案、公告及复议诉讼期限、执行时间）", s.section))
        window = self.s.operation_window(case.id)
        at = window[0] if window else None
        checked = self.s.start_findings(case.id, at) if case.status == "planned" or at else []
        if at is not None:
            checked = [f for f in checked if f.rule != "R1"]  # staffing is re-read from today's roster
        lines = [L.without_rule_codes(f.zh) for f in checked]
        if not lines:
            lines = ["前置条件均已满足：" + self._windows_text(case) + "应急预案已记录。"]
        for line in lines:
            story.append(L.para(line, s.body))
        story.append(L.para("执行经过", s.section))
        names = {o.id: o.name for o in self.s.ws.officers.all()}
        rows: list[list[Any]] = [[L.para(h, s.head) for h in ("时间", "事项", "执法人员", "原因/紧急情况")]]
        for e in self.s.events(case.id):
            why = e.reason + (f"（紧急情况：{e.emergency_reason}）" if e.emergency_reason else "")
            rows.append([L.para(L.when(e.at), s.cell), L.para(_EVENT_ZH[e.kind], s.cell),
                         L.para(names.get(e.actor, e.actor), s.cell), L.para(why or "—", s.cell)])
        story.append(L.ruled_table(rows, (42, 24, 24, 80)))
        story += self._witness_rows(case)
        recordings = self.s.recordings(case.id)
        story.append(L.para(f"全程音像记录：关联录像 {len(recordings)} 段。", s.body))
        for f in self.s.recording_findings(case.id) if window else []:
            story.append(L.para(L.without_rule_codes(f.zh), s.small))
        items = self.s.inventory.items(case.id)
        story.append(L.para(f"清点财物 {len(items)} 项，详见《财物登记清单》（一式两份）。", s.body))
        if case.inventory_sha256:
            story.append(L.para(f"清单封存 SHA-256：{case.inventory_sha256}", s.small))
        officers = L.para(f"执法人员：{self._officers(case)}", s.body)
        sigs = [x for x in self.s.inventory.signatures(case.id) if x.document == "record"]
        # The last body line goes with the signatures and the seal, so they never stand alone on a page.
        story.append(KeepTogether([officers, Spacer(1, 6), self._signature_block(
            sigs, (("officer", "执法人员"), ("party", "当事人"), ("witness", "见证人"))),
                                   *self._refusal_lines(case, "record"), self._seal(case, DemolitionDocument.RECORD)]))
        return story

    def _windows_text(self, case: DemolitionCase) -> str:
        """The R21 dates as the record states them, each window with its last day."""
        calendar = self.s.calendar()
        try:
            reconsideration = L.day(reconsideration_ends(case, calendar))
            litigation = L.day(litigation_ends(case, calendar))
        except CalendarNotCovered:
            return "公告期限、复议期、诉讼期、清除财物期限均已届满；"
        return (f"公告限期自行拆除至{L.day(case.self_demolition_deadline)}，"
                f"自送达之日（{L.day(case.announcement_served_on)}）起六十日复议期至{reconsideration}、"
                f"六个月诉讼期至{litigation}届满，期间未申请行政复议、未提起行政诉讼"
                f"（《中华人民共和国行政强制法》第四十四条）；"
                f"清除财物期限至{L.day(case.removal_deadline)}；均已届满。")

    def _handover(self, case: DemolitionCase, handover_id: int | None) -> list[Flowable]:
        s = L.styles()
        entry = self._handover_entry(case, handover_id)
        story: list[Flowable] = L.heading(self._agency(case), DemolitionDocument.HANDOVER.title,
                                          self._number_of(case, DemolitionDocument.HANDOVER, entry.id))
        story.append(L.field_table([("当事人", case.party_name), ("公告文号", case.announcement_no),
                                    ("接收人", entry.recipient_name), ("身份证号码", entry.recipient_id_no),
                                    ("移交时间", L.when(entry.at)), ("移交项数", str(len(entry.item_nos)))]))
        current = {v.item_no: v for v in self.s.inventory.items(case.id)}
        rows: list[list[Any]] = [[L.para(h, s.head) for h in ("序号", "名称", "数量", "单位", "状况", "箱号/标签")]]
        for n in entry.item_nos:
            v = current[n]
            rows.append([L.para(str(n), s.cell_center), L.para(v.name, s.cell), L.para(_qty(v.quantity), s.cell_center),
                         L.para(v.unit, s.cell_center), L.para(v.condition, s.cell), L.para(v.label_no, s.cell)])
        story.append(L.ruled_table(rows, (14, 60, 18, 16, 26, 36)))
        states = self.s.inventory.states(case.id)
        rest = [n for n, st in states.items() if n not in entry.item_nos and st != "handed_over"]
        if rest:
            story.append(L.para(f"本次为部分移交；尚未移交的财物 {len(rest)} 项（序号 {', '.join(map(str, rest))}），"
                                "其状态见《财物登记清单》。", s.body))
        story.append(L.para("接收人已当场核对上列财物的名称、数量和状况，确认无误。", s.body_indent))
        mark: Any = L.signature_image(entry.signature_png, entry.recipient_name, 40, 13) if entry.signature_png else ""
        story.append(L.plain_table([[L.para("接收人签名：", s.body), mark, L.para("时间：", s.body),
                                     L.para(L.when(entry.at), s.body)]], (30, 60, 16, 64),
                                   [("VALIGN", (0, 0), (-1, -1), "BOTTOM")], rowHeights=[17 * mm]))
        seal = L.issuer_block(self._agency(case), entry.at.astimezone(CHINA_TZ).date(), 120)
        story.append(KeepTogether([L.para(f"移交执法人员：{self._officers(case)}", s.body), L.closing_with_code(
            self._document_code(case, DemolitionDocument.HANDOVER, entry.id), seal)]))
        return story

    def _handover_entry(self, case: DemolitionCase, handover_id: int | None) -> CustodyEntry:
        entries = [c for c in self.s.inventory.custody(case.id) if c.kind == "handover"]
        entry = next((c for c in entries if c.id == handover_id), entries[-1] if entries else None)
        if entry is None:
            raise DemolitionStateError("本案尚无财物移交记录。", "This case has no handover yet.")
        return entry

    def _labels(self, case: DemolitionCase) -> list[Flowable]:
        """Labels three across: the number large, its signed QR code, and in text the agency, the case,
        the item and the day it was counted, so a label reads without a scanner."""
        s = L.styles()
        items = self.s.inventory.items(case.id)
        if not items:
            raise DemolitionStateError("清单中尚无财物，无标签可打印。", "The inventory is empty; there are no labels.")
        agency = self._agency(case)
        counted = {v.item_no: v.recorded_at for v in self.s.inventory.versions(case.id) if v.version == 1}
        small = ParagraphStyle("label_small", parent=s.cell_center, fontSize=7.5, leading=9.5)
        cells: list[Any] = []
        for v in items:
            cells.append(L.plain_table(
                [[L.para(agency, small)], [L.qr_symbol(self.label_code(case, v), 30)],
                 [L.para(v.label_no, s.agency)],
                 [L.para(f"案件 {case.id}　第{v.item_no}项", small)], [L.para(v.name, small)],
                 [L.para(f"清点日期 {L.day(counted.get(v.item_no, v.recorded_at).astimezone(CHINA_TZ).date())}",
                         small)]],
                [54], [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        rows = [cells[i:i + 3] + [""] * (3 - len(cells[i:i + 3])) for i in range(0, len(cells), 3)]
        return [L.plain_table(rows, [56, 56, 56], [("BOX", (0, 0), (-1, -1), 0.3, L.RULE),
                                                     ("INNERGRID", (0, 0), (-1, -1), 0.3, L.RULE),
                                                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")], hAlign="CENTER")]


def _copies_canvas(per_copy: int) -> type[Canvas]:
    """A canvas that numbers the pages of each copy from 1 and states the copy's page count."""

    class CopiesCanvas(Canvas):
        def getPageNumber(self) -> int:  # noqa: N802 - reportlab's name
            return (self._pageNumber - 1) % per_copy + 1

        def save(self) -> None:
            if self._code:
                self.showPage()
            self.beginForm(pdf._TOTAL_FORM, 0, -4, 60, 14)  # the form every page's footer refers to
            self.setFont(fonts.FONT_NAME, 9)
            self.drawString(0, 0, f"共 {per_copy} 页")
            self.endForm()
            super().save()

    return CopiesCanvas


def _describe(v: ItemVersion, other: ItemVersion) -> str:
    """The fields of ``v`` that differ from ``other`` (all of them when none differs), as printed."""
    fields = (("名称", v.name, other.name), ("类别", v.category, other.category),
              ("数量", f"{_qty(v.quantity)}{v.unit}", f"{_qty(other.quantity)}{other.unit}"),
              ("状况", v.condition, other.condition), ("箱号/标签", v.label_no, other.label_no),
              ("保管地点", v.storage_place, other.storage_place),
              ("照片", f"{len(v.photo_sha256s)} 张", f"{len(other.photo_sha256s)} 张"))
    changed = [f"{label}：{mine}" for label, mine, theirs in fields if mine != theirs]
    return "；".join(changed) or f"名称：{v.name}；数量：{_qty(v.quantity)}{v.unit}；状况：{v.condition}"


def _qty(value: object) -> str:
    text = format(value, "f") if not isinstance(value, str) else value
    return text.rstrip("0").rstrip(".") if "." in text else text
