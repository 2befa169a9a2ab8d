"""The work: subjects, plans, inspections, evidence, on-site records and review."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime


class SubjectKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    PERSON = "person"


class CreditGrade(enum.StrEnum):
    """Public credit grade used to scale inspection frequency (R8)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class ListStatus(enum.StrEnum):
    NONE = "none"
    WHITE = "white"  # 白名单: at most one inspection a quarter per agency (R7)
    BLACK = "black"  # 黑名单 / 重点监管


class FilingStatus(enum.StrEnum):
    """Filing (备案) of an annual inspection plan with the judicial department (R4)."""

    FILED = "filed"
    PENDING = "pending"
    NOT_FILED = "not_filed"


class InspectionSource(enum.StrEnum):
    """Why an inspection takes place. Only PLAN is a routine inspection (R4, R5)."""

    PLAN = "plan"
    SPECIAL_CAMPAIGN = "special_campaign"  # 上级部署的专项行动
    COMPLAINT = "complaint"  # 投诉举报
    EMERGENCY = "emergency"  # 突发事件
    ASSIGNMENT = "assignment"  # 上级交办
    FOLLOW_UP = "follow_up"  # 整改复查: re-inspection after a rectification order (R10)

    @property
    def is_exempt(self) -> bool:
        """Exempt sources need a reference instead of a filed plan and notice."""
        return self is not InspectionSource.PLAN


class InspectionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class StaffAssignment(enum.StrEnum):
    """How a person takes part in one inspection."""

    OFFICER = "officer"
    ASSISTANT = "assistant"


@dataclass(frozen=True, slots=True)
class Subject:
    """The enterprise or person inspected (检查对象)."""

    id: str
    kind: SubjectKind
    name: str
    address: str
    credit_grade: CreditGrade
    list_status: ListStatus
    uscc: str | None = None  # 统一社会信用代码, enterprises only
    representative: str | None = None


@dataclass(frozen=True, slots=True)
class CheckItem:
    """An entry of the published check-item list (检查事项清单, R6)."""

    code: str
    name: str
    legal_basis: str
    standard: str
    field: str = ""
    published: bool = True


@dataclass(frozen=True, slots=True)
class ChecklistTemplate:
    id: str
    name: str
    field: str
    item_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InspectionPlan:
    """An annual inspection plan (年度行政检查计划) and its filing (R4)."""

    id: str
    year: int
    agency_id: str
    title: str
    filing_status: FilingStatus
    item_codes: tuple[str, ...]
    filing_no: str | None = None
    filing_date: date | None = None


@dataclass(frozen=True, slots=True)
class PreNotice:
    """A pre-announcement (预告) of a routine inspection (R5)."""

    id: str
    plan_id: str
    subject_id: str
    published_on: date
    scheduled_at: datetime
    item_codes: tuple[str, ...]
    channel: str = ""


@dataclass(frozen=True, slots=True)
class HolidayCalendarDay:
    day: date
    kind: str  # "holiday" (放假) or "workday" (调休上班)
    name: str = ""


@dataclass(frozen=True, slots=True)
class Inspection:
    """An inspection task and, once started, the inspection itself."""

    id: str
    subject_id: str
    agency_id: str
    source: InspectionSource
    scheduled_at: datetime
    status: InspectionStatus
    officer_ids: tuple[str, ...] = ()
    assistant_ids: tuple[str, ...] = ()
    source_ref: str | None = None  # 专项行动文号, 投诉编号, 交办单号…
    plan_id: str | None = None
    pre_notice_id: str | None = None
    template_id: str | None = None
    place: str = ""
    created_at: datetime | None = None
    merged_into: str | None = None  # 综合查一次: the task this one was merged into (R7)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the append-only, hash-chained audit log."""

    seq: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict = field(default_factory=dict)
    prev_hash: str = ""
    hash: str = ""
    signature: str = ""  # base64 Ed25519 by the device key over app.audit.signing_message(hash)


@dataclass(frozen=True, slots=True)
class InspectionOverview:
    """One row of the inspection list: the task with what an officer needs at a glance."""

    id: str
    subject_name: str
    subject_uscc: str | None
    credit_grade: CreditGrade
    list_status: ListStatus
    source: InspectionSource
    source_ref: str | None
    scheduled_at: datetime
    status: InspectionStatus
    officer_names: tuple[str, ...]
    assistant_names: tuple[str, ...]
    place: str
    plan_filing: FilingStatus | None



class RecordEntryKind(enum.StrEnum):
    """What one line of an on-site record (现场检查笔录) states."""

    CERTIFICATE_SHOWN = "certificate_shown"  # 亮证: an officer showed the certificate (R2)
    RECUSAL_ASKED = "recusal_asked"  # 告知并询问是否申请回避 (R3)
    NOTE = "note"  # any other statement or observation


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """One entry of an on-site record, in the order it was written."""

    kind: RecordEntryKind
    at: datetime | None
    officer_id: str | None = None  # who showed the certificate, asked, or wrote the note
    text: str = ""


class EvidenceType(enum.StrEnum):
    """The eight kinds of evidence of 《中华人民共和国行政处罚法》第四十六条 (R15).

    The values are stable English keys stored in the database and in seal records;
    ``label`` gives the statutory Chinese name.
    """

    DOCUMENTARY = "documentary"  # 书证
    PHYSICAL = "physical"  # 物证
    AUDIOVISUAL = "audiovisual"  # 视听资料
    ELECTRONIC_DATA = "electronic_data"  # 电子数据
    WITNESS_TESTIMONY = "witness_testimony"  # 证人证言
    PARTY_STATEMENT = "party_statement"  # 当事人的陈述
    EXPERT_OPINION = "expert_opinion"  # 鉴定意见
    INSPECTION_RECORD = "inspection_record"  # 勘验笔录、现场笔录

    @property
    def label(self) -> str:
        return _EVIDENCE_TYPE_LABELS[self]


_EVIDENCE_TYPE_LABELS = {
    EvidenceType.DOCUMENTARY: "书证",
    EvidenceType.PHYSICAL: "物证",
    EvidenceType.AUDIOVISUAL: "视听资料",
    EvidenceType.ELECTRONIC_DATA: "电子数据",
    EvidenceType.WITNESS_TESTIMONY: "证人证言",
    EvidenceType.PARTY_STATEMENT: "当事人的陈述",
    EvidenceType.EXPERT_OPINION: "鉴定意见",
    EvidenceType.INSPECTION_RECORD: "勘验笔录、现场笔录",
}


class EvidenceSourceKind(enum.StrEnum):
    """Where an evidence file came from; the detail (index, serial, path) is kept beside it."""

    WEBCAM = "webcam"  # detail: camera index
    BODY_CAMERA = "body_camera"  # detail: device serial or volume label
    FILE = "file"  # detail: the path it was imported from


class RetentionClass(enum.StrEnum):
    """How long an original must be kept (R19)."""

    UNLINKED = "unlinked"  # not linked to a case: at least the configured months (default 6)
    CASE = "case"  # linked to a case: kept with the case


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One sealed, write-once evidence file (R17), identified by its SHA-256."""

    sha256: str
    size: int
    media_type: str
    evidence_type: EvidenceType
    captured_at: datetime
    ingested_at: datetime
    source_kind: EvidenceSourceKind
    source_detail: str
    officer_ids: tuple[str, ...]
    officer_certs: tuple[str, ...]
    seal_seq: int
    inspection_id: str | None = None
    original_name: str = ""
    duration_ms: int | None = None
    derived_from: str | None = None  # the original's SHA-256, for stills, annotations, redactions
    derivation: str | None = None  # "still", "annotation", "redaction"…
    retention_class: RetentionClass = RetentionClass.UNLINKED
    retain_until: date | None = None  # None with RetentionClass.CASE: kept with the case
    case_id: str | None = None

    def under_retention(self, day: date) -> bool:
        """True when the item may not be disposed of on ``day`` (R19)."""
        if self.retention_class is RetentionClass.CASE:
            return True
        return self.retain_until is None or day <= self.retain_until


@dataclass(frozen=True, slots=True)
class SealRow:
    """A stored seal record: the canonical JSON exactly as signed, and its signature."""

    seq: int
    sha256: str
    record: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class EvidenceAccess:
    """One logged export or view of an original (R17)."""

    id: int
    sha256: str
    at: datetime
    actor: str
    action: str  # "export" or "view"
    destination: str
    purpose: str


# --- On site: the record of one inspection (R2, R3, R9–R13) -------------------------


class CheckResultValue(enum.StrEnum):
    """The result of one check item on site."""

    COMPLIANT = "compliant"  # 符合
    NON_COMPLIANT = "non_compliant"  # 不符合
    NOT_APPLICABLE = "not_applicable"  # 不适用
    NOT_CHECKED = "not_checked"  # 未检查

    @property
    def label(self) -> str:
        return {"compliant": "符合", "non_compliant": "不符合", "not_applicable": "不适用",
                "not_checked": "未检查"}[self.value]


class FlexibleMeasure(enum.StrEnum):
    """The flexible measures offered first for a minor violation (R11)."""

    GUIDANCE = "guidance"  # 指导
    ADVICE = "advice"  # 建议
    REMINDER = "reminder"  # 提醒
    PERSUASION = "persuasion"  # 规劝
    INTERVIEW = "interview"  # 约谈

    @property
    def label(self) -> str:
        return {"guidance": "指导", "advice": "建议", "reminder": "提醒", "persuasion": "规劝",
                "interview": "约谈"}[self.value]


class NoPenaltyGround(enum.StrEnum):
    """The grounds of 行政处罚法 §33 on which a violation is not penalised (R11)."""

    NONE = ""
    MINOR_CORRECTED = "minor_corrected"  # §33(1) 违法行为轻微并及时改正，没有造成危害后果的，不予处罚
    FIRST_MINOR = "first_minor"  # §33(1) 初次违法且危害后果轻微并及时改正的，可以不予处罚
    NO_FAULT = "no_fault"  # §33(2) 当事人有证据足以证明没有主观过错的，不予处罚

    @property
    def label(self) -> str:
        return {"": "", "minor_corrected": "违法行为轻微并及时改正，没有造成危害后果",
                "first_minor": "初次违法且危害后果轻微并及时改正",
                "no_fault": "有证据足以证明没有主观过错"}[self.value]


class SignerRole(enum.StrEnum):
    OFFICER = "officer"  # 执法人员
    PARTY = "party"  # 当事人
    WITNESS = "witness"  # 见证人


@dataclass(frozen=True, slots=True)
class DiscretionBenchmark:
    """One clause of the discretion benchmark (裁量基准) for a check item (R12)."""

    id: str
    item_code: str
    matter: str  # 事项
    level: str  # 阶次
    penalty_range: str  # 幅度
    circumstances: str = ""  # 适用情形
    basis: str = ""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The result of one check item of an inspection."""

    inspection_id: str
    position: int
    item_code: str
    result: CheckResultValue
    updated_at: datetime
    updated_by: str
    finding: str = ""
    legal_basis: str = ""
    required_standard: str = ""
    rectification_advice: str = ""
    minor: bool = False
    measures: tuple[FlexibleMeasure, ...] = ()
    no_penalty_ground: NoPenaltyGround = NoPenaltyGround.NONE
    education_given: bool = False
    evidence_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PenaltyProposal:
    """A penalty proposed for a non-compliant item, with its benchmark clause (R12)."""

    inspection_id: str
    item_code: str
    benchmark_id: str
    proposed: str
    recorded_at: datetime
    recorded_by: str
    deviation: str = ""  # why the proposal departs from the benchmark; needs approval
    approval_ref: str = ""
    approved_by: str = ""
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature drawn on the device, kept as a PNG image (R9)."""

    id: int
    inspection_id: str
    role: SignerRole
    signer_name: str
    signed_at: datetime
    image_png: bytes
    image_sha256: str
    signer_ref: str = ""  # roster id of an officer, ID number of anyone else


@dataclass(frozen=True, slots=True)
class SignatureRefusal:
    """The party's refusal to sign, with the reason and the witness who signed (R9)."""

    id: int
    inspection_id: str
    reason: str
    witness_signature_id: int
    recorded_at: datetime
    recorded_by: str
    role: SignerRole = SignerRole.PARTY


@dataclass(frozen=True, slots=True)
class RectificationOrder:
    """责令（限期）改正通知书: what to correct by when, and its follow-up task (R10)."""

    id: str
    inspection_id: str
    issued_at: datetime
    issued_by: str
    deadline: date
    consequence: str
    follow_up_id: str
    item_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OnsiteRecord:
    """现场检查笔录: the on-site record of one inspection, as it stands."""

    inspection_id: str
    started_at: datetime
    started_by: str
    recorder_id: str
    party_name: str = ""
    party_role: str = ""
    party_id_no: str = ""
    party_absent: bool = False
    recusal_asked_at: datetime | None = None  # R3
    recusal_requested: bool | None = None
    recusal_statement: str = ""
    card_handed_at: datetime | None = None  # R13
    card_recipient: str = ""
    ended_at: datetime | None = None
    certificates_shown: tuple[tuple[str, str, datetime], ...] = ()  # (officer id, cert no, when): R2
    results: tuple[CheckResult, ...] = ()
    penalties: tuple[PenaltyProposal, ...] = ()
    signatures: tuple[Signature, ...] = ()
    refusals: tuple[SignatureRefusal, ...] = ()
    order: RectificationOrder | None = None


# --- Review by the team leader -----------------------------------------------------


class ReviewDecisionKind(enum.StrEnum):
    """A team leader's decision on one item, or the officer's answer to a return."""

    APPROVE = "approve"  # 通过
    RETURN = "return"  # 退回补正, with a comment
    KEY = "key"  # 通过并标为关键证据
    ANSWER = "answer"  # the capturing officer answered a return: back in the queue

    @property
    def label(self) -> str:
        return {"approve": "通过", "return": "退回", "key": "关键证据", "answer": "已答复"}[self.value]


@dataclass(frozen=True, slots=True)
class AwaitingGroup:
    """How many items awaiting review share one task and one set of collectors."""

    inspection_id: str | None
    officer_ids: tuple[str, ...]
    count: int


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """One row of the review history of an item; the decision itself is a sealed record."""

    id: int
    inspection_id: str | None
    item_sha256: str
    decision: ReviewDecisionKind
    reviewer: str  # roster id; for ANSWER the officer who answered
    at: datetime
    record_sha256: str
    comment: str = ""
    finding_ref: str = ""
