"""The documents of one inspection, filled from its on-site record and rendered as PDF.

The notice and the supervision card carry the inspection code signed by this
device (R14); the on-site record is printed final only when complete (R1, R2, R3,
R9), otherwise as a marked draft for the party to read before signing.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from app.clock import CHINA_TZ
from app.device import DeviceIdentity
from app.documents import model as M
from app.documents import doc_code, qr
from app.documents.model.common import cn_day
from app.documents.numbering import DocumentNumbers
from app.domain import (
    Inspection,
    InspectionSource,
    NoPenaltyGround,
    OnsiteRecord,
    SignerRole,
)
from app.gates.planning import SOURCE_LABELS
from app.onsite.service import OnsiteService
from app.session import Session
from app.workspace import Workspace

if TYPE_CHECKING:
    from app.crypto import MasterKey

DOCUMENTS_DIR = "documents"
VERIFY_URL_SETTING = "documents.verify_url"
# The demo city's verification platform; a real deployment sets its own in the settings.
DEMO_VERIFY_URL = "https://zfjd.qinghe.gov.cn/v"
ORDER_BASIS = "《中华人民共和国行政处罚法》第二十八条第一款"
EDUCATION_TEXT = "已向当事人讲解相关法律规定和整改要求，当事人表示接受"


class DocumentKind(enum.StrEnum):
    RECORD = "record"  # 现场检查笔录
    NOTICE = "notice"  # 行政检查通知书
    RESULT = "result"  # 检查结果告知书
    ORDER = "order"  # 责令（限期）改正通知书
    CARD = "card"  # 行政执法案件监督卡

    @property
    def doc_type(self) -> str:
        """The document type of its 文号 counter (``app.documents.numbering``)."""
        return self.value

    @property
    def title(self) -> str:
        return {"record": "现场检查笔录", "notice": "行政检查通知书", "result": "检查结果告知书",
                "order": "责令限期改正通知书", "card": "行政执法案件监督卡"}[self.value]


class InspectionDocuments:
    """Builds and renders the documents of the inspections of one workspace."""

    def __init__(self, ws: Workspace, device: DeviceIdentity | None = None, *,
                 session: Session | None = None) -> None:
        """``session``: who issues the documents (numbers them); a draft needs nobody."""
        self.ws = ws
        self.onsite = OnsiteService(ws)
        self.numbers = DocumentNumbers(ws)
        self.session = session
        self._device = device

    @property
    def device(self) -> DeviceIdentity:
        if self._device is None:
            self._device = self.ws.device
        return self._device

    def available(self, inspection_id: str) -> list[DocumentKind]:
        """The documents this inspection has data for, in the order they are handed over."""
        kinds = [DocumentKind.NOTICE]
        record = self.onsite.records.get(inspection_id)
        if record is not None:
            kinds += [DocumentKind.RECORD, DocumentKind.RESULT]
            if record.order is not None:
                kinds.append(DocumentKind.ORDER)
            kinds.append(DocumentKind.CARD)
        return kinds

    def path_for(self, inspection_id: str, kind: DocumentKind) -> Path:
        return self.ws.folder / DOCUMENTS_DIR / inspection_id / f"{inspection_id}_{kind.title}.pdf"

    def build(self, inspection_id: str, kind: DocumentKind, *, draft: bool = False) -> object:
        """The document's input data, read from the database (quick; call it where the database lives).

        Not a draft, the document is issued: it gets its 文号 (once; a re-print shows
        the same number). A draft, and an on-site record that is not yet complete
        (R1, R2, R3, R9), gets none and prints as 草稿.
        """
        doc = {DocumentKind.RECORD: self.record, DocumentKind.NOTICE: self.notice,
               DocumentKind.RESULT: self.written_result, DocumentKind.ORDER: self.rectification_order,
               DocumentKind.CARD: self.supervision_card}[kind](inspection_id)
        if kind is DocumentKind.RECORD and not draft:
            from app.documents.onsite_record import record_problems
            draft = bool(record_problems(doc))  # type: ignore[arg-type]
        if draft:
            return doc
        field = "card_no" if kind is DocumentKind.CARD else "document_no"
        number = self.numbers.issue(self.document_key(inspection_id, kind), self._inspection(inspection_id).agency_id,
                                    kind.doc_type, session=self.session)
        doc = dataclasses.replace(doc, **{field: number.number})  # type: ignore[type-var]
        if kind in (DocumentKind.NOTICE, DocumentKind.CARD):  # the code names what this document states
            inspection = self._inspection(inspection_id)
            day = qr.parse_code(doc.verification_url).code.day  # type: ignore[attr-defined]
            content = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc)  # type: ignore[arg-type]
                       if f.name != "verification_url"}
            doc = dataclasses.replace(doc, verification_url=self._code(  # type: ignore[type-var]
                inspection, day, record_hash=doc_code.record_hash(content)))
        if kind is DocumentKind.RECORD:  # the record's QR: its number and content, signed by this device
            doc = dataclasses.replace(doc, document_code=doc_code.sign_code(  # type: ignore[type-var]
                "record", number.number, doc, self.device, self.ws.clock()))
        if kind is DocumentKind.RESULT and doc.rectification_order_no:  # type: ignore[attr-defined]
            # The result cites the order issued with it: the order is issued (numbered) too.
            order = self.numbers.issue(self.document_key(inspection_id, DocumentKind.ORDER),
                                       self._inspection(inspection_id).agency_id, DocumentKind.ORDER.doc_type,
                                       session=self.session)
            doc = dataclasses.replace(doc, rectification_order_no=order.number)  # type: ignore
        return doc

    @staticmethod
    def document_key(inspection_id: str, kind: DocumentKind) -> str:
        """The key a document's 文号 is kept under: one number per inspection and kind."""
        return f"inspection/{inspection_id}/{kind.value}"

    def render(self, inspection_id: str, kind: DocumentKind, *, draft: bool = False,
               progress: Callable[[int], None] | None = None) -> Path:
        """Write the document, encrypted, under ``<data>/documents/<inspection>/`` and return its path.

        The on-site record prints as a draft while it is incomplete (R1, R2, R3, R9).
        """
        doc = self.build(inspection_id, kind, draft=draft)
        if kind is DocumentKind.RECORD and not draft:
            from app.documents.onsite_record import record_problems
            draft = bool(record_problems(doc))  # type: ignore[arg-type]
        return render_document(kind, doc, self.path_for(inspection_id, kind), draft=draft, progress=progress,
                               master=self.ws.master)

    # --- the parts ----------------------------------------------------------------------

    def _inspection(self, inspection_id: str) -> Inspection:
        inspection = self.ws.inspections.get(inspection_id)
        if inspection is None:
            raise KeyError(inspection_id)
        return inspection

    def _agency(self, inspection: Inspection) -> tuple[M.AgencyLine, str]:
        agency = self.ws.agencies.get(inspection.agency_id)
        assert agency is not None
        return M.AgencyLine(id=agency.id, name=agency.name), agency.supervision_phone

    def _officers(self, inspection: Inspection) -> tuple[M.OfficerLine, ...]:
        out = []
        for officer_id in inspection.officer_ids:
            officer = self.ws.officers.get(officer_id)
            if officer is not None and officer.cert_no:
                out.append(M.OfficerLine(name=officer.name, cert_no=officer.cert_no))
        return tuple(out)

    def _subject(self, inspection: Inspection) -> M.SubjectLine:
        s = self.ws.subjects.get(inspection.subject_id)
        assert s is not None
        return M.SubjectLine(name=s.name, address=s.address, uscc=s.uscc or "", representative=s.representative or "")

    def _code(self, inspection: Inspection, day: date, record_hash: str = "") -> str:
        code = qr.InspectionCode(
            base_url=self.ws.settings.get(VERIFY_URL_SETTING) or DEMO_VERIFY_URL, inspection_id=inspection.id,
            agency_id=inspection.agency_id, officer_certs=tuple(o.cert_no for o in self._officers(inspection)),
            day=day, record_hash=record_hash,
            signed_at=self.ws.clock().replace(microsecond=0) if record_hash else None)
        return qr.build_code(code, self.device)

    def _names(self) -> dict[str, str]:
        return {o.id: o.name for o in self.ws.officers.all()}

    # --- documents ------------------------------------------------------------------------

    def notice(self, inspection_id: str) -> M.InspectionNotice:
        """行政检查通知书 (R14): basis, items, time, officers and the signed inspection code."""
        inspection = self._inspection(inspection_id)
        agency, phone = self._agency(inspection)
        from app.gates.service import load_start_context
        ctx = load_start_context(self.ws, inspection_id)
        catalogue = {c.code: c for c in self.ws.check_items.all()}
        if inspection.source is InspectionSource.PLAN and ctx.plan is not None:
            basis = f"《{ctx.plan.title}》" + (f"（备案号 {ctx.plan.filing_no}）" if ctx.plan.filing_no else "")
            if ctx.notice is not None:
                basis += f"；检查预告 {ctx.notice.id}（{cn_day(ctx.notice.published_on)}发布）"
        else:
            label = SOURCE_LABELS[inspection.source][0]
            basis = f"{label}" + (f"（{inspection.source_ref}）" if inspection.source_ref else "")
        basis += "；检查事项依据见下表"
        scheduled = inspection.scheduled_at.astimezone(CHINA_TZ)
        return M.InspectionNotice(
            inspection_id=inspection.id, document_no="", agency=agency,
            subject=self._subject(inspection), basis=basis,
            items=tuple(M.NoticeItem(code=c, name=catalogue[c].name) for c in ctx.item_codes if c in catalogue),
            scheduled_at=scheduled, place=inspection.place or self._subject(inspection).address,
            officers=self._officers(inspection), issued_on=self.ws.clock().astimezone(CHINA_TZ).date(),
            contact_phone=phone, verification_url=self._code(inspection, scheduled.date()))

    def record(self, inspection_id: str) -> M.OnsiteRecord:
        """现场检查笔录 from the on-site record as it stands."""
        inspection = self._inspection(inspection_id)
        r = self.onsite.record(inspection_id)
        agency, _ = self._agency(inspection)
        names = self._names()
        catalogue = {c.code: c for c in self.ws.check_items.all()}
        witness_names = {s.id: s.signer_name for s in r.signatures if s.role is SignerRole.WITNESS}
        refusal = r.refusals[-1] if r.refusals else None
        notes = [f"检查项 {x.item_code}：有证据足以证明没有主观过错，依据《中华人民共和国行政处罚法》第三十三条第二款不予行政处罚。"
                 for x in r.results if x.no_penalty_ground is NoPenaltyGround.NO_FAULT]
        if r.party_absent:
            notes.append("当事人不在场，由见证人在场见证并签名。")
        now = self.ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)
        return M.OnsiteRecord(
            inspection_id=inspection.id, document_no="", agency=agency,
            started_at=r.started_at, ended_at=r.ended_at or max(now, r.started_at),
            place=inspection.place or self._subject(inspection).address, subject=self._subject(inspection),
            present_person=r.party_name or ("当事人不在场" if r.party_absent else ""),
            present_role=r.party_role, officers=self._officers(inspection),
            recorder=names.get(r.recorder_id, r.recorder_id),
            certificates_shown=tuple(M.CertificateShown(cert_no=c, at=at) for _, c, at in r.certificates_shown),
            recusal=M.RecusalAnswer(
                asked_at=r.recusal_asked_at, asked_by=names.get(r.started_by, r.started_by),
                answer=("申请回避：" + r.recusal_statement) if r.recusal_requested else "不申请回避",
                requested=bool(r.recusal_requested)) if r.recusal_asked_at else None,
            findings=tuple(self._finding(x, r, catalogue) for x in r.results),
            supervision_card=M.CardHandover(handed_at=r.card_handed_at, received_by=r.card_recipient)
            if r.card_handed_at else None,
            signatures=tuple(M.Signature(role=M.SignerRole(s.role.value), name=s.signer_name, png=s.image_png,
                                         signed_at=s.signed_at) for s in r.signatures),
            refusal=M.SignatureRefusal(
                signer=r.party_name or "当事人", reason=refusal.reason,
                witness=witness_names.get(refusal.witness_signature_id, ""),
                noted_by=names.get(refusal.recorded_by, refusal.recorded_by), noted_at=refusal.recorded_at)
            if refusal else None,
            notes="\n".join(notes))

    def _finding(self, x, record: OnsiteRecord, catalogue: dict) -> M.ItemFinding:  # noqa: ANN001
        item = catalogue.get(x.item_code)
        minor = None
        if x.minor:
            ground = {NoPenaltyGround.MINOR_CORRECTED: M.NoPenaltyGround.MINOR_CORRECTED,
                      NoPenaltyGround.FIRST_MINOR: M.NoPenaltyGround.FIRST_VIOLATION}.get(x.no_penalty_ground)
            minor = M.MinorHandling(measures=tuple(M.FlexibleMeasure(m.value) for m in x.measures),
                                    education=EDUCATION_TEXT if x.education_given else "", ground=ground)
        penalty = None
        proposal = next((p for p in record.penalties if p.item_code == x.item_code), None)
        if proposal is not None:
            b = self.onsite.benchmarks.get(proposal.benchmark_id)
            penalty = M.PenaltyProposal(
                proposal=proposal.proposed,
                clause=M.DiscretionClause(matter=b.matter, tier=b.level, range=b.penalty_range,
                                          reference=f"{b.basis}（基准 {b.id}）"),
                deviation=M.BenchmarkDeviation(reason=proposal.deviation, approved_by=proposal.approved_by,
                                               approval_ref=proposal.approval_ref,
                                               approved_on=proposal.approved_at.date())
                if proposal.deviation and proposal.approved_at else None)
        return M.ItemFinding(code=x.item_code, name=item.name if item else x.item_code,
                             result=M.ItemResult(x.result.value), finding=x.finding, legal_basis=x.legal_basis,
                             evidence=x.evidence_refs, minor=minor, penalty=penalty)

    def written_result(self, inspection_id: str) -> M.WrittenResult:
        """检查结果告知书 (R10): per item the basis, finding, advice, standard and deadline."""
        inspection = self._inspection(inspection_id)
        r = self.onsite.record(inspection_id)
        agency, phone = self._agency(inspection)
        catalogue = {c.code: c for c in self.ws.check_items.all()}
        ordered = set(r.order.item_codes) if r.order else set()
        items = tuple(M.ResultItem(
            code=x.item_code, name=catalogue[x.item_code].name, result=M.ItemResult(x.result.value),
            basis=x.legal_basis, finding=x.finding, advice=x.rectification_advice, standard=x.required_standard,
            deadline=r.order.deadline if r.order and x.item_code in ordered else None) for x in r.results)
        party = next((s for s in r.signatures if s.role is SignerRole.PARTY), None)
        return M.WrittenResult(
            inspection_id=inspection.id, document_no="", agency=agency,
            subject=self._subject(inspection), inspected_at=r.started_at,
            place=inspection.place or self._subject(inspection).address, officers=self._officers(inspection),
            items=items, issued_on=(r.ended_at or self.ws.clock()).astimezone(CHINA_TZ).date(),
            contact_phone=phone, rectification_order_no=r.order.id if r.order else "",
            receipt=M.Signature(role=M.SignerRole.PARTY, name=party.signer_name, png=party.image_png,
                                signed_at=party.signed_at) if party else None)

    def rectification_order(self, inspection_id: str) -> M.RectificationOrder:
        """责令（限期）改正通知书 (R10) of the order issued on site."""
        inspection = self._inspection(inspection_id)
        r = self.onsite.record(inspection_id)
        if r.order is None:
            raise KeyError(f"{inspection_id} has no rectification order")
        agency, phone = self._agency(inspection)
        results = [x for x in r.results if x.item_code in r.order.item_codes]
        catalogue = {c.code: c for c in self.ws.check_items.all()}
        follow = self.ws.inspections.get(r.order.follow_up_id)
        return M.RectificationOrder(
            inspection_id=inspection.id, document_no="", agency=agency, subject=self._subject(inspection),
            facts="；".join(f"{catalogue[x.item_code].name}（{x.item_code}）：{x.finding}" for x in results),
            provisions_violated=tuple(dict.fromkeys(x.legal_basis for x in results)),
            legal_basis=ORDER_BASIS, corrections=tuple(x.rectification_advice or x.required_standard for x in results),
            deadline=r.order.deadline, consequence=r.order.consequence,
            follow_up_on=follow.scheduled_at.astimezone(CHINA_TZ).date() if follow else r.order.deadline,
            issued_on=r.order.issued_at.astimezone(CHINA_TZ).date(), officers=self._officers(inspection),
            contact_phone=phone)

    def supervision_card(self, inspection_id: str) -> M.SupervisionCard:
        """行政执法案件监督卡 (R13) with the inspection code (R14)."""
        inspection = self._inspection(inspection_id)
        agency, phone = self._agency(inspection)
        record = self.onsite.records.get(inspection_id)
        day = (record.started_at if record else inspection.scheduled_at).astimezone(CHINA_TZ).date()
        return M.SupervisionCard(
            inspection_id=inspection.id, card_no="", agency=agency,
            department=agency.name, officers=self._officers(inspection), supervision_phone=phone, issued_on=day,
            verification_url=self._code(inspection, day))


def render_document(kind: DocumentKind, doc: object, dest: Path, *, draft: bool = False,
                    progress: Callable[[int], None] | None = None, master: MasterKey | None = None) -> Path:
    """Render built input data to ``dest`` (no database access: safe on a worker thread).

    Only the on-site record has a draft form: the text read to the party before it signs.
    With ``master`` (always, for a document kept in the data folder) the file is encrypted.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if kind is DocumentKind.RECORD:
        from app.documents.onsite_record import render_onsite_record
        return render_onsite_record(doc, dest, draft=draft, progress=progress, master=master)  # type: ignore[arg-type]
    module, function = {
        DocumentKind.NOTICE: ("app.documents.notice", "render_notice"),
        DocumentKind.RESULT: ("app.documents.written_result", "render_written_result"),
        DocumentKind.ORDER: ("app.documents.rectification", "render_rectification_order"),
        DocumentKind.CARD: ("app.documents.supervision_card", "render_supervision_card"),
    }[kind]
    import importlib
    return getattr(importlib.import_module(module), function)(doc, dest, progress=progress, master=master)
