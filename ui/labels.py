"""Display names of domain values, translatable through Qt (context "labels")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

from app.domain import (
    CertificateState,
    CheckResultValue,
    FilingStatus,
    FlexibleMeasure,
    InspectionSource,
    InspectionStatus,
    ListStatus,
    NoPenaltyGround,
    SignerRole,
    StaffRole,
)

# QT_TRANSLATE_NOOP marks the strings for lupdate; translate() looks them up at run time.
# Keys are (enum class, value): StrEnum members of different enums with the same
# value ("none") compare equal, so the member alone would collide.
_LABELS: dict[tuple[type, str], str] = {
    (InspectionSource, InspectionSource.PLAN.value): QT_TRANSLATE_NOOP("labels", "计划检查"),
    (InspectionSource, InspectionSource.SPECIAL_CAMPAIGN.value): QT_TRANSLATE_NOOP("labels", "专项行动"),
    (InspectionSource, InspectionSource.COMPLAINT.value): QT_TRANSLATE_NOOP("labels", "投诉举报"),
    (InspectionSource, InspectionSource.EMERGENCY.value): QT_TRANSLATE_NOOP("labels", "突发事件"),
    (InspectionSource, InspectionSource.ASSIGNMENT.value): QT_TRANSLATE_NOOP("labels", "上级交办"),
    (InspectionSource, InspectionSource.FOLLOW_UP.value): QT_TRANSLATE_NOOP("labels", "整改复查"),
    (CheckResultValue, CheckResultValue.COMPLIANT.value): QT_TRANSLATE_NOOP("labels", "符合"),
    (CheckResultValue, CheckResultValue.NON_COMPLIANT.value): QT_TRANSLATE_NOOP("labels", "不符合"),
    (CheckResultValue, CheckResultValue.NOT_APPLICABLE.value): QT_TRANSLATE_NOOP("labels", "不适用"),
    (CheckResultValue, CheckResultValue.NOT_CHECKED.value): QT_TRANSLATE_NOOP("labels", "未检查"),
    (FlexibleMeasure, FlexibleMeasure.GUIDANCE.value): QT_TRANSLATE_NOOP("labels", "指导"),
    (FlexibleMeasure, FlexibleMeasure.ADVICE.value): QT_TRANSLATE_NOOP("labels", "建议"),
    (FlexibleMeasure, FlexibleMeasure.REMINDER.value): QT_TRANSLATE_NOOP("labels", "提醒"),
    (FlexibleMeasure, FlexibleMeasure.PERSUASION.value): QT_TRANSLATE_NOOP("labels", "规劝"),
    (FlexibleMeasure, FlexibleMeasure.INTERVIEW.value): QT_TRANSLATE_NOOP("labels", "约谈"),
    (NoPenaltyGround, NoPenaltyGround.NONE.value): QT_TRANSLATE_NOOP("labels", "（无）"),
    (NoPenaltyGround, NoPenaltyGround.MINOR_CORRECTED.value): QT_TRANSLATE_NOOP(
        "labels", "轻微并及时改正，没有造成危害后果（第三十三条第一款）"),
    (NoPenaltyGround, NoPenaltyGround.FIRST_MINOR.value): QT_TRANSLATE_NOOP(
        "labels", "初次违法且危害后果轻微并及时改正（第三十三条第一款）"),
    (NoPenaltyGround, NoPenaltyGround.NO_FAULT.value): QT_TRANSLATE_NOOP(
        "labels", "有证据足以证明没有主观过错（第三十三条第二款）"),
    (SignerRole, SignerRole.OFFICER.value): QT_TRANSLATE_NOOP("labels", "执法人员"),
    (SignerRole, SignerRole.PARTY.value): QT_TRANSLATE_NOOP("labels", "当事人"),
    (SignerRole, SignerRole.WITNESS.value): QT_TRANSLATE_NOOP("labels", "见证人"),
    (InspectionStatus, InspectionStatus.PLANNED.value): QT_TRANSLATE_NOOP("labels", "待检查"),
    (InspectionStatus, InspectionStatus.IN_PROGRESS.value): QT_TRANSLATE_NOOP("labels", "检查中"),
    (InspectionStatus, InspectionStatus.CLOSED.value): QT_TRANSLATE_NOOP("labels", "已办结"),
    (InspectionStatus, InspectionStatus.CANCELLED.value): QT_TRANSLATE_NOOP("labels", "已取消"),
    (FilingStatus, FilingStatus.FILED.value): QT_TRANSLATE_NOOP("labels", "已备案"),
    (FilingStatus, FilingStatus.PENDING.value): QT_TRANSLATE_NOOP("labels", "备案中"),
    (FilingStatus, FilingStatus.NOT_FILED.value): QT_TRANSLATE_NOOP("labels", "未备案"),
    (ListStatus, ListStatus.NONE.value): QT_TRANSLATE_NOOP("labels", "—"),
    (ListStatus, ListStatus.WHITE.value): QT_TRANSLATE_NOOP("labels", "白名单"),
    (ListStatus, ListStatus.BLACK.value): QT_TRANSLATE_NOOP("labels", "黑名单"),
    (StaffRole, StaffRole.OFFICER.value): QT_TRANSLATE_NOOP("labels", "执法人员"),
    (StaffRole, StaffRole.AUXILIARY.value): QT_TRANSLATE_NOOP("labels", "辅助人员"),
    (StaffRole, StaffRole.TEAM_LEADER.value): QT_TRANSLATE_NOOP("labels", "带队/审核"),
    (StaffRole, StaffRole.ADMINISTRATOR.value): QT_TRANSLATE_NOOP("labels", "设备管理员"),
    (CertificateState, CertificateState.VALID.value): QT_TRANSLATE_NOOP("labels", "执法证有效"),
    (CertificateState, CertificateState.EXPIRED.value): QT_TRANSLATE_NOOP("labels", "执法证已过期"),
    (CertificateState, CertificateState.REVOKED.value): QT_TRANSLATE_NOOP("labels", "执法证已吊销"),
    (CertificateState, CertificateState.NONE.value): QT_TRANSLATE_NOOP("labels", "无执法证"),
}


def label(value: object) -> str:
    """The translated display name of an enum value."""
    text = _LABELS.get((type(value), str(value)))
    if text is None:
        return str(value)
    return QCoreApplication.translate("labels", text)


_REFERENCE_SOURCES = {
    "demo": QT_TRANSLATE_NOOP("labels", "演示数据"),
    "hq": QT_TRANSLATE_NOOP("labels", "总部"),
}


def reference_source(source: str) -> str:
    """Where a reference data set came from, in words (the stored key is ``demo`` or ``hq``)."""
    text = _REFERENCE_SOURCES.get(source)
    return QCoreApplication.translate("labels", text) if text else source
