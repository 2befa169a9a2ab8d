"""The on-site inspection record (现场检查笔录) and what it states (R2, R3, R9, R11–R13)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from app.documents.errors import DocumentInputInvalid
from app.documents.model.common import (AgencyLine, ItemResult, OfficerLine, Signature, SubjectLine, need,
                                        need_aware)


# --- On-site inspection record (现场检查笔录) ------------------------------------

class FlexibleMeasure(enum.StrEnum):
    """Flexible measures offered first for minor violations (R11)."""

    GUIDANCE = "guidance"
    ADVICE = "advice"
    REMINDER = "reminder"
    PERSUASION = "persuasion"
    INTERVIEW = "interview"

    @property
    def label(self) -> str:
        """The Chinese name of the measure."""
        return {"guidance": "指导", "advice": "建议", "reminder": "提醒", "persuasion": "规劝",
                "interview": "约谈"}[self.value]


class NoPenaltyGround(enum.StrEnum):
    """The two no-penalty grounds of 《行政处罚法》第三十三条第一款 (R11)."""

    MINOR_CORRECTED = "minor_corrected"  # shall not be penalised
    FIRST_VIOLATION = "first_violation"  # may be waived

    @property
    def text(self) -> str:
        """The ground as printed in the record, citing the article."""
        if self is NoPenaltyGround.MINOR_CORRECTED:
            return "违法行为轻微并及时改正，没有造成危害后果，依据《中华人民共和国行政处罚法》第三十三条第一款不予行政处罚"
        return "初次违法且危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款可以不予行政处罚"


@dataclass(frozen=True, slots=True)
class CertificateShown:
    """亮证: an officer showed the certificate to the party, at a time (R2)."""

    cert_no: str
    at: datetime

    def __post_init__(self) -> None:
        need(self.cert_no, "certificates_shown[].cert_no", "出示的执法证号", "the certificate shown", "R2")
        need_aware(self.at, f"certificates_shown[{self.cert_no}].at")


@dataclass(frozen=True, slots=True)
class RecusalAnswer:
    """The party was told of the right to ask for recusal and answered (R3)."""

    asked_at: datetime
    asked_by: str
    answer: str  # the party's words, e.g. 「不申请回避」
    requested: bool = False

    def __post_init__(self) -> None:
        need_aware(self.asked_at, "recusal.asked_at")
        need(self.asked_by, "recusal.asked_by", "告知回避的执法人员", "who asked about recusal", "R3")
        need(self.answer, "recusal.answer", "当事人对回避的答复", "the party's answer on recusal", "R3")


@dataclass(frozen=True, slots=True)
class MinorHandling:
    """How a minor violation was handled: flexible measures first, education recorded (R11)."""

    measures: tuple[FlexibleMeasure, ...]
    education: str  # what the party was told: the record that education was given
    ground: NoPenaltyGround | None = None

    def __post_init__(self) -> None:
        if not self.measures:
            raise DocumentInputInvalid("findings[].minor.measures", "轻微违法须先采取柔性措施（指导、建议、提醒、规劝、约谈）。",
                                       "a minor violation needs a flexible measure first.", "R11")
        need(self.education, "findings[].minor.education", "对当事人进行教育的记录", "the record that education was given",
              "R11")


@dataclass(frozen=True, slots=True)
class DiscretionClause:
    """The discretion benchmark clause applied (裁量权基准: 事项, 阶次, 幅度) (R12)."""

    matter: str
    tier: str
    range: str
    reference: str = ""  # the benchmark's document and entry number

    def __post_init__(self) -> None:
        need(self.matter, "penalty.clause.matter", "裁量基准的事项", "the benchmark matter", "R12")
        need(self.tier, "penalty.clause.tier", "裁量基准的阶次", "the benchmark tier", "R12")
        need(self.range, "penalty.clause.range", "裁量基准的幅度", "the benchmark range", "R12")


@dataclass(frozen=True, slots=True)
class BenchmarkDeviation:
    """Applying a penalty away from the benchmark, with its approval (R12)."""

    reason: str
    approved_by: str
    approval_ref: str
    approved_on: date

    def __post_init__(self) -> None:
        need(self.reason, "penalty.deviation.reason", "调整适用裁量基准的理由", "the reason to deviate", "R12")
        need(self.approved_by, "penalty.deviation.approved_by", "批准人（主要负责人或集体讨论）",
              "who approved the deviation", "R12")
        need(self.approval_ref, "penalty.deviation.approval_ref", "批准记录编号", "the approval record", "R12")


@dataclass(frozen=True, slots=True)
class PenaltyProposal:
    """A proposed penalty with the benchmark clause it applies (R12)."""

    proposal: str
    clause: DiscretionClause
    deviation: BenchmarkDeviation | None = None

    def __post_init__(self) -> None:
        need(self.proposal, "penalty.proposal", "拟作出的处罚", "the proposed penalty")
        if not isinstance(self.clause, DiscretionClause):
            raise DocumentInputInvalid("penalty.clause", "拟处罚须载明适用的裁量权基准。",
                                       "a proposed penalty must state the benchmark clause applied.", "R12")


@dataclass(frozen=True, slots=True)
class ItemFinding:
    """The result of one check item, with what was found and on which basis."""

    code: str
    name: str
    result: ItemResult
    finding: str = ""
    legal_basis: str = ""
    evidence: tuple[str, ...] = ()  # evidence references, e.g. SHA-256 (printed shortened)
    minor: MinorHandling | None = None
    penalty: PenaltyProposal | None = None

    def __post_init__(self) -> None:
        where = f"findings[{self.code}]"
        need(self.code, "findings[].code", "检查事项编码", "the check item code")
        need(self.name, f"{where}.name", "检查事项名称", "the check item name")
        if not isinstance(self.result, ItemResult):
            raise DocumentInputInvalid(f"{where}.result", "检查结果须为 符合/不符合/不适用/未检查。",
                                       "the result must be compliant, non-compliant, not applicable or not checked.")
        if self.result is ItemResult.NON_COMPLIANT:
            need(self.finding, f"{where}.finding", "发现的问题", "the problem found", "R10")
        elif self.minor or self.penalty:
            raise DocumentInputInvalid(f"{where}", "只有“不符合”的事项才有处理措施或拟处罚。",
                                       "only a non-compliant item can carry measures or a penalty.")
        if self.minor and self.minor.ground and self.penalty:
            raise DocumentInputInvalid(f"{where}", "已适用不予处罚情形，不能同时拟处罚。",
                                       "a no-penalty ground and a proposed penalty exclude each other.", "R11")


@dataclass(frozen=True, slots=True)
class CardHandover:
    """The supervision card was handed to the party (R13)."""

    handed_at: datetime
    received_by: str

    def __post_init__(self) -> None:
        need_aware(self.handed_at, "supervision_card.handed_at")
        need(self.received_by, "supervision_card.received_by", "监督卡签收人", "who received the card", "R13")


@dataclass(frozen=True, slots=True)
class SignatureRefusal:
    """The party refused to sign (or could not): written into the record with a witness (R9)."""

    signer: str
    reason: str
    witness: str
    noted_by: str
    noted_at: datetime

    def __post_init__(self) -> None:
        need(self.signer, "refusal.signer", "拒绝签名的人", "who refused to sign", "R9")
        need(self.reason, "refusal.reason", "拒绝签名的情况", "the circumstances of the refusal", "R9")
        need(self.witness, "refusal.witness", "见证人", "the witness", "R9")
        need(self.noted_by, "refusal.noted_by", "注明情况的执法人员", "the officer who noted it", "R9")
        need_aware(self.noted_at, "refusal.noted_at")


@dataclass(frozen=True, slots=True)
class OnsiteRecord:
    """现场检查笔录: one inspection, from showing certificates to signatures."""

    inspection_id: str
    document_no: str
    agency: AgencyLine
    started_at: datetime
    ended_at: datetime
    place: str
    subject: SubjectLine
    present_person: str  # the party's person on site (现场负责人)
    present_role: str
    officers: tuple[OfficerLine, ...]
    recorder: str
    certificates_shown: tuple[CertificateShown, ...] = ()
    recusal: RecusalAnswer | None = None
    findings: tuple[ItemFinding, ...] = ()
    supervision_card: CardHandover | None = None
    signatures: tuple[Signature, ...] = ()
    refusal: SignatureRefusal | None = None
    notes: str = ""
    # The device-signed document code printed as the record's QR (app.documents.doc_code); "" on a draft.
    document_code: str = ""

    def __post_init__(self) -> None:
        need(self.inspection_id, "inspection_id", "检查任务编号", "the inspection id")
        need(self.place, "place", "检查地点", "the place")
        need(self.recorder, "recorder", "记录人", "the recorder")
        need_aware(self.started_at, "started_at")
        need_aware(self.ended_at, "ended_at")
        if self.ended_at < self.started_at:
            raise DocumentInputInvalid("ended_at", "结束时间早于开始时间。", "the end is before the start.")
        if not self.officers:
            raise DocumentInputInvalid("officers", "笔录须列明执法人员及执法证号。",
                                       "the record must list the officers with certificate numbers.", "R1")
