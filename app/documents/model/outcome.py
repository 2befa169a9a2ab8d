"""The notice before, and the documents after, an inspection: notice (R14), written result (R10),
rectification order (R10) and supervision card (R13, R14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.clock import CHINA_TZ
from app.documents import qr
from app.documents.errors import DocumentInputInvalid
from app.documents.model.common import (AgencyLine, ItemResult, OfficerLine, Signature, SubjectLine, need,
                                        need_aware)


def need_two_officers(officers: tuple[OfficerLine, ...], where: str) -> None:
    """At least two officers with distinct certificates (R1): a document naming fewer is not issued."""
    if len({o.cert_no for o in officers}) < 2:
        raise DocumentInputInvalid(where, "须列明至少两名执法人员，且执法证号互不相同。",
                                   "at least two officers with distinct certificate numbers are required.", "R1")


def need_code_for(url: str, where: str, *, inspection_id: str, agency: AgencyLine,
                  officers: tuple[OfficerLine, ...], day: date) -> None:
    """The printed QR code must describe this very document's inspection, agency, officers and day (R14)."""
    if not url:
        raise DocumentInputInvalid(where, "缺少检查码（二维码）。", "the inspection code (QR) is missing.", "R14")
    code = qr.parse_code(url).code
    expected = (inspection_id, agency.id, tuple(o.cert_no for o in officers), day)
    if (code.inspection_id, code.agency_id, code.officer_certs, code.day) != expected:
        raise DocumentInputInvalid(where, "检查码与本文书的检查任务、执法机关、执法人员或日期不一致。",
                                   "the code does not match this document's inspection, agency, officers or date.",
                                   "R14")


@dataclass(frozen=True, slots=True)
class NoticeItem:
    """A check item announced in the notice."""

    code: str
    name: str

    def __post_init__(self) -> None:
        need(self.code, "items[].code", "检查事项编码", "the check item code")
        need(self.name, f"items[{self.code}].name", "检查事项名称", "the check item name")


@dataclass(frozen=True, slots=True)
class InspectionNotice:
    """行政检查通知书: basis, items, time, place, officers, and the inspection code (R14)."""

    inspection_id: str
    document_no: str  # the 文号 given when issued (app.documents.numbering); "" prints as a 草稿
    agency: AgencyLine
    subject: SubjectLine
    basis: str
    items: tuple[NoticeItem, ...]
    scheduled_at: datetime
    place: str
    officers: tuple[OfficerLine, ...]
    issued_on: date
    contact_phone: str
    verification_url: str

    def __post_init__(self) -> None:
        need(self.basis, "basis", "检查依据", "the legal basis of the inspection")
        need(self.place, "place", "检查地点", "the place")
        need_aware(self.scheduled_at, "scheduled_at")
        if not self.items:
            raise DocumentInputInvalid("items", "通知书须列明检查事项。", "the notice must list the check items.")
        need_two_officers(self.officers, "officers")
        need_code_for(self.verification_url, "verification_url", inspection_id=self.inspection_id,
                      agency=self.agency, officers=self.officers, day=self.scheduled_at.astimezone(CHINA_TZ).date())


@dataclass(frozen=True, slots=True)
class ResultItem:
    """One check item of the written result: basis, finding, advice, standard, deadline (R10)."""

    code: str
    name: str
    result: ItemResult
    basis: str
    finding: str = ""
    advice: str = ""
    standard: str = ""
    deadline: date | None = None

    def __post_init__(self) -> None:
        where = f"items[{self.code}]"
        need(self.code, "items[].code", "检查事项编码", "the check item code")
        need(self.name, f"{where}.name", "检查事项名称", "the check item name")
        need(self.basis, f"{where}.basis", "检查依据", "the basis of the check", "R10")
        if self.result is ItemResult.NON_COMPLIANT:
            need(self.finding, f"{where}.finding", "发现的问题", "the problem found", "R10")
            need(self.advice, f"{where}.advice", "整改意见", "the rectification advice", "R10")
            need(self.standard, f"{where}.standard", "整改应达到的标准", "the required standard", "R10")


@dataclass(frozen=True, slots=True)
class WrittenResult:
    """检查结果告知书: the result given to the party in writing (R10)."""

    inspection_id: str
    document_no: str  # the 文号 given when issued (app.documents.numbering); "" prints as a 草稿
    agency: AgencyLine
    subject: SubjectLine
    inspected_at: datetime
    place: str
    officers: tuple[OfficerLine, ...]
    items: tuple[ResultItem, ...]
    issued_on: date
    contact_phone: str
    rectification_order_no: str = ""
    receipt: Signature | None = None  # the party's acknowledgement (签收)

    def __post_init__(self) -> None:
        need_aware(self.inspected_at, "inspected_at")
        if not self.items:
            raise DocumentInputInvalid("items", "告知书须逐项列明检查结果。", "the result must list every item checked.",
                                       "R10")
        for item in self.items:
            if item.deadline is not None and item.deadline < self.issued_on:
                raise DocumentInputInvalid(f"items[{item.code}].deadline", "整改期限早于告知日期。",
                                           "the deadline is before the date of issue.", "R10")


DEFAULT_REMEDY = ("如不服本通知，可以自收到本通知之日起六十日内依法申请行政复议，"
                  "或者自收到本通知之日起六个月内依法向人民法院提起行政诉讼。")


@dataclass(frozen=True, slots=True)
class RectificationOrder:
    """责令（限期）改正通知书: facts, provisions, basis, what to correct, deadline, follow-up (R10)."""

    inspection_id: str
    document_no: str  # the 文号 given when issued (app.documents.numbering); "" prints as a 草稿
    agency: AgencyLine
    subject: SubjectLine
    facts: str
    provisions_violated: tuple[str, ...]
    legal_basis: str
    corrections: tuple[str, ...]
    deadline: date
    consequence: str
    follow_up_on: date
    issued_on: date
    officers: tuple[OfficerLine, ...]
    contact_phone: str
    remedy: str = DEFAULT_REMEDY
    receipt: Signature | None = None

    def __post_init__(self) -> None:
        need(self.facts, "facts", "违法事实", "the facts")
        need(self.legal_basis, "legal_basis", "责令改正的法律依据", "the legal basis of the order")
        need(self.consequence, "consequence", "逾期不改正的后果", "the consequence of not correcting")
        if not self.provisions_violated or not all(p.strip() for p in self.provisions_violated):
            raise DocumentInputInvalid("provisions_violated", "须列明违反的规定。", "the provisions violated are missing.")
        if not self.corrections or not all(c.strip() for c in self.corrections):
            raise DocumentInputInvalid("corrections", "须列明改正内容。", "what to correct is missing.", "R10")
        if self.deadline < self.issued_on:
            raise DocumentInputInvalid("deadline", "改正期限早于发文日期。", "the deadline is before the date of issue.",
                                       "R10")
        if self.follow_up_on < self.deadline:
            raise DocumentInputInvalid("follow_up_on", "复查日期须在改正期限届满之日或之后。",
                                       "the re-inspection must be on or after the deadline.", "R10")
        need_two_officers(self.officers, "officers")


DEFAULT_SUPERVISION_POINTS: tuple[str, ...] = (
    "执法人员是否主动出示执法证件、是否不少于两人；",
    "是否告知检查事项、依据，是否告知申请回避的权利；",
    "是否超出检查事项清单或计划检查、重复检查，是否影响正常生产经营；",
    "是否依法制作现场检查笔录，是否书面告知检查结果；",
    "是否存在吃拿卡要、索取收受财物、接受宴请等违纪违法行为；",
    "执法态度是否文明规范，是否存在其他不当执法行为。",
)


@dataclass(frozen=True, slots=True)
class SupervisionCard:
    """行政执法案件监督卡: officers, department, phone on the front; what to supervise on the back (R13, R14)."""

    inspection_id: str
    card_no: str  # the 文号 given when issued; "" prints as a 草稿
    agency: AgencyLine
    department: str
    officers: tuple[OfficerLine, ...]
    supervision_phone: str
    issued_on: date
    verification_url: str
    supervised_points: tuple[str, ...] = DEFAULT_SUPERVISION_POINTS
    complaint_channels: str = "12345 政务服务便民热线"

    def __post_init__(self) -> None:
        need(self.department, "department", "工作部门", "the department", "R13")
        need(self.supervision_phone, "supervision_phone", "监督电话", "the supervision phone", "R13")
        if not self.officers:
            raise DocumentInputInvalid("officers", "监督卡须印有执法人员姓名。", "the card must name the officers.", "R13")
        if not self.supervised_points:
            raise DocumentInputInvalid("supervised_points", "监督卡背面须印有监督内容。",
                                       "the back of the card must state what may be supervised.", "R13")
        need_code_for(self.verification_url, "verification_url", inspection_id=self.inspection_id,
                      agency=self.agency, officers=self.officers, day=self.issued_on)
