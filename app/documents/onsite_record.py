"""现场检查笔录 (on-site inspection record) as PDF.

A final record must be complete (:func:`record_problems`): two officers (R1), each
certificate shown first (R2), recusal asked and answered (R3), every officer signed
and the party signed or its refusal noted with a witness (R9). A draft — the
record read to the party before signing — may be printed at any time; it carries
a "草稿" mark and empty signature boxes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, TableStyle

from app.clock import CHINA_TZ
from app.documents import layout as L
from app.documents import pdf

if TYPE_CHECKING:
    from app.crypto import MasterKey
from app.documents.errors import RecordIncomplete
from app.documents.model import ItemFinding, ItemResult, OnsiteRecord, Signature, SignerRole

TITLE = "现场检查笔录"
RECUSAL_NOTICE = ("依照《中华人民共和国行政处罚法》第四十三条，执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，"
                  "应当回避；当事人认为执法人员有上述情形的，有权申请回避。问：你（单位）是否申请执法人员回避？")
_SHA256 = re.compile(r"[0-9a-f]{64}")
SHORT_ID_DIGITS = 12
FINDING_WIDTHS = (10, 30, 13, 66, 28, 23)  # mm, 170 in all


def record_problems(record: OnsiteRecord) -> list[tuple[str, str, str]]:
    """What keeps ``record`` from being final, as ``(rule, zh, en)``; empty when it may be printed final."""
    problems: list[tuple[str, str, str]] = []
    certs = [o.cert_no for o in record.officers]
    if len(set(certs)) < 2:
        problems.append(("R1", "笔录须有至少两名执法人员，且执法证号互不相同。",
                         "the record needs at least two officers with distinct certificates."))
    shown = {c.cert_no: c.at for c in record.certificates_shown}
    for officer in record.officers:
        if officer.cert_no not in shown:
            problems.append(("R2", f"未记录执法人员 {officer.name}（{officer.cert_no}）出示执法证件。",
                             f"no entry that {officer.name} ({officer.cert_no}) showed the certificate."))
    strangers = sorted(set(shown) - set(certs))
    if strangers:
        problems.append(("R2", f"出示证件记录中的执法证号 {'、'.join(strangers)} 不属于本次执法人员。",
                         f"certificates {', '.join(strangers)} were shown by no officer of this record."))
    if record.recusal is None:
        problems.append(("R3", "未记录告知申请回避的权利及当事人的答复。",
                         "the record does not state that recusal was asked about and the answer."))
    elif shown and max(shown.values()) > record.recusal.asked_at:
        problems.append(("R2", "出示执法证件须为笔录的第一项，应先于告知回避。",
                         "showing the certificates must be the first entry, before the recusal question."))
    signed = {(s.role, s.name) for s in record.signatures}
    for officer in record.officers:
        if (SignerRole.OFFICER, officer.name) not in signed:
            problems.append(("R9", f"执法人员 {officer.name} 尚未签名。", f"officer {officer.name} has not signed."))
    names = {o.name for o in record.officers}
    for s in record.signatures:
        if s.role is SignerRole.OFFICER and s.name not in names:
            problems.append(("R9", f"签名人 {s.name} 不是本笔录所列的执法人员。",
                             f"{s.name} signed as an officer but is not an officer of this record."))
    party_signed = any(s.role is SignerRole.PARTY for s in record.signatures)
    if not party_signed and record.refusal is None:
        problems.append(("R9", "当事人尚未签名，也未注明拒绝签名的情况及见证人。",
                         "the party has neither signed nor is a refusal with a witness noted."))
    if party_signed and record.refusal is not None:
        problems.append(("R9", "当事人已签名，不应同时注明拒绝签名。",
                         "the party signed; a refusal cannot be noted as well."))
    return problems


def check_final(record: OnsiteRecord) -> None:
    """Raise :class:`RecordIncomplete` listing every problem when the record is not complete."""
    problems = record_problems(record)
    if problems:
        raise RecordIncomplete(problems)


def short_ref(ref: str) -> str:
    """An evidence reference as printed: a SHA-256 shortened to its first 12 hex digits."""
    return ref[:SHORT_ID_DIGITS] if _SHA256.fullmatch(ref) else ref


def _finding_cell(item: ItemFinding) -> list[Flowable]:
    s = L.styles()
    cell: list[Flowable] = [L.para(item.finding or "—", s.cell)]
    if item.minor:
        measures = "、".join(m.label for m in item.minor.measures)
        cell.append(L.markup(f"处理措施：{measures}。已对当事人进行教育：{L.text(item.minor.education)}", s.cell))
        if item.minor.ground:
            cell.append(L.para(f"{item.minor.ground.text}。", s.cell))
    if item.penalty:
        p = item.penalty
        clause = p.clause
        ref = f"（{L.text(clause.reference)}）" if clause.reference else ""
        cell.append(L.markup(f"拟处罚：{L.text(p.proposal)}。适用裁量权基准{ref}：事项“{L.text(clause.matter)}”，"
                             f"阶次“{L.text(clause.tier)}”，幅度“{L.text(clause.range)}”。", s.cell))
        if p.deviation:
            d = p.deviation
            cell.append(L.markup(f"调整适用基准：{L.text(d.reason)}；经{L.text(d.approved_by)}批准"
                                 f"（{L.text(d.approval_ref)}，{L.day(d.approved_on)}）。", s.cell))
    return cell


def _findings_table(record: OnsiteRecord) -> Flowable:
    s = L.styles()
    rows: list[list[Any]] = [[L.para(h, s.head) for h in ("序号", "检查事项", "结果", "检查情况及处理", "依据", "证据")]]
    for n, item in enumerate(record.findings, start=1):
        label = item.result.label
        if item.result is ItemResult.NON_COMPLIANT:
            label = f"<font color='#b00000'>{label}</font>"
        cells = [
            [L.para(str(n), s.cell_center)],
            [L.markup(f"{L.text(item.name)}<br/><font size=7 color='#555555'>{L.text(item.code)}</font>", s.cell)],
            [L.markup(label, s.cell_center)],
            _finding_cell(item),
            [L.para(item.legal_basis or "—", s.cell)],
            [L.para("\n".join(short_ref(r) for r in item.evidence) or "—", s.small)],
        ]
        rows += L.fold_tall_row(cells, FINDING_WIDTHS, lambda _k, n=n: [
            [L.para(str(n), s.cell_center)], [L.para("（续）", s.cell)], [], [], [], []])
    return L.ruled_table(rows, FINDING_WIDTHS, valign="TOP")


def _signature_cell(signature: Signature | None) -> Any:
    if signature is None:
        return Spacer(1, 14 * mm)  # room to sign by hand on a printed draft
    return L.signature_image(signature.png, signature.name, 40, 14)


def _signatures(record: OnsiteRecord) -> Flowable:
    s = L.styles()
    by_key = {(sig.role, sig.name): sig for sig in record.signatures}
    rows: list[list[Any]] = [[L.para(h, s.head) for h in ("身份", "姓名", "签名", "时间")]]

    def add(role: SignerRole, name: str) -> None:
        sig = by_key.get((role, name))
        rows.append([L.para(role.label, s.cell_center), L.para(name, s.cell_center), _signature_cell(sig),
                     L.para(L.when(sig.signed_at) if sig else "", s.cell_center)])

    for officer in record.officers:
        add(SignerRole.OFFICER, officer.name)
    if record.recorder not in {o.name for o in record.officers}:
        add(SignerRole.RECORDER, record.recorder)
    parties = [sig for sig in record.signatures if sig.role is SignerRole.PARTY]
    if record.refusal is not None:
        r = record.refusal
        rows.append([L.para("当事人", s.cell_center), L.para(r.signer, s.cell_center),
                     L.markup(f"拒绝签名。情况：{L.text(r.reason)}；见证人：{L.text(r.witness)}。"
                              f"由执法人员{L.text(r.noted_by)}注明。", s.cell),
                     L.para(L.when(r.noted_at), s.cell_center)])
    for sig in parties or ([] if record.refusal else [None]):
        name = sig.name if sig else record.present_person
        rows.append([L.para("当事人", s.cell_center), L.para(name, s.cell_center), _signature_cell(sig),
                     L.para(L.when(sig.signed_at) if sig else "", s.cell_center)])
    for sig in record.signatures:
        if sig.role is SignerRole.WITNESS:
            add(SignerRole.WITNESS, sig.name)
    table = L.ruled_table(rows, (22, 30, 70, 48))
    table.setStyle(TableStyle([("TOPPADDING", (2, 1), (2, -1), 4), ("BOTTOMPADDING", (2, 1), (2, -1), 4)]))
    return table


def _story(record: OnsiteRecord, draft: bool = False) -> list[Flowable]:
    s = L.styles()
    subject = record.subject
    officers = "；".join(f"{o.name}（执法证号 {o.cert_no}）" for o in record.officers)
    same_day = record.ended_at.astimezone(CHINA_TZ).date() == record.started_at.astimezone(CHINA_TZ).date()
    end = L.clock_time(record.ended_at) if same_day else L.when(record.ended_at)
    story: list[Flowable] = L.heading(record.agency.name, TITLE, "" if draft else record.document_no)
    story.append(L.field_table([
        ("*检查时间", f"{L.when(record.started_at)} 至 {end}"),
        ("*检查地点", record.place),
        ("被检查人", subject.name),
        ("统一社会信用代码", subject.uscc or "—"),
        ("法定代表人（负责人）", subject.representative or "—"),
        ("联系电话", subject.phone or "—"),
        ("*住所（地址）", subject.address or "—"),
        ("现场负责人", record.present_person),
        ("职务", record.present_role or "—"),
        ("*执法机关", record.agency.name),
        ("*执法人员", officers),
        ("记录人", record.recorder),
        ("检查任务编号", record.inspection_id),
    ]))
    story.append(L.para("一、出示执法证件", s.section))
    shown = {c.cert_no: c.at for c in record.certificates_shown}
    rows = [[L.para(h, s.head) for h in ("执法人员", "执法证号", "出示时间")]]
    rows += [[L.para(o.name, s.cell_center), L.para(o.cert_no, s.cell_center),
              L.para(L.when(shown[o.cert_no]) if o.cert_no in shown else "未记录", s.cell_center)]
             for o in record.officers]
    story.append(L.para("执法人员向当事人出示执法证件，表明身份，说明来意。", s.body_indent))
    story.append(L.ruled_table(rows, (50, 60, 60)))
    story.append(L.para("二、告知申请回避的权利", s.section))
    if record.recusal:
        r = record.recusal
        story.append(L.markup(f"{L.when(r.asked_at)}，执法人员{L.text(r.asked_by)}告知：{RECUSAL_NOTICE}", s.body_indent))
        story.append(L.markup(f"答：{L.text(r.answer)}", s.body_indent))
    else:
        story.append(L.para("（未记录）", s.body_indent))
    story.append(L.para(f"三、检查情况（共 {len(record.findings)} 项）", s.section))
    story.append(_findings_table(record) if record.findings else L.para("（未记录检查事项）", s.body_indent))
    story.append(L.para("四、行政执法案件监督卡", s.section))
    card = record.supervision_card
    story.append(L.markup(
        f"已向当事人发放《行政执法案件监督卡》，由{L.text(card.received_by)}于{L.when(card.handed_at)}签收。" if card
        else "未向当事人发放《行政执法案件监督卡》。", s.body_indent))
    if record.notes:
        story.append(L.para("五、其他情况", s.section))
        story.append(L.para(record.notes, s.body_indent))
    story.append(CondPageBreak(60 * mm))
    closing = L.para("以上笔录已交当事人阅读（或已向当事人宣读），与现场情况一致。", s.body_indent)
    # The seal goes with the signatures, so neither stands alone on a page.
    seal = L.issuer_block(record.agency.name, record.ended_at.astimezone(CHINA_TZ).date(), 120)
    story.append(KeepTogether([Spacer(1, 6), closing, Spacer(1, 4), _signatures(record),
                               L.closing_with_code("" if draft else record.document_code, seal)]))
    return story


def page_signature(record: OnsiteRecord) -> pdf.PageSignature:
    """What every page of the record carries at its foot: the party's signature, or its refusal noted."""
    party = next((sig for sig in record.signatures if sig.role is SignerRole.PARTY), None)
    if party is not None:
        L.signature_image(party.png, party.name, 40, 10)  # an unreadable image is refused before printing
        return pdf.PageSignature(png=party.png)
    if record.refusal is not None:
        r = record.refusal
        return pdf.PageSignature(note=f"{r.signer}拒绝签名，见证人{r.witness}在场，执法人员{r.noted_by}注明")
    return pdf.PageSignature()


def _produce(record: OnsiteRecord, draft: bool, progress: pdf.Progress | None) -> Callable[[BinaryIO], None]:
    if not draft:
        check_final(record)
    story = _story(record, draft)  # built before the file is opened: a bad image fails without a trace on disk
    sign = page_signature(record)
    return lambda fh: pdf.build(fh, story, title=TITLE, document_no="" if draft else record.document_no,
                              draft=draft, progress=progress, page_signature=sign, draft_mark="草稿 未签名")


def render_onsite_record(record: OnsiteRecord, dest: Path, *, draft: bool = False,
                         progress: pdf.Progress | None = None, master: MasterKey | None = None) -> Path:
    """Write the record to ``dest`` atomically; ``progress(page)`` is called as each page is done.

    Not a draft: raises :class:`RecordIncomplete` (R1, R2, R3, R9) before anything is written.
    """
    return pdf.write_atomic(dest, _produce(record, draft, progress), master=master)


def onsite_record_bytes(record: OnsiteRecord, *, draft: bool = False, progress: pdf.Progress | None = None) -> bytes:
    """The record as PDF bytes, for a preview."""
    return pdf.to_bytes(_produce(record, draft, progress))
