"""Display names of domain values, translatable through Qt (context "labels")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

# QT_TRANSLATE_NOOP marks the strings for lupdate; translate() looks them up at run time.
# Keys are (name of the enum class in app.domain, value): StrEnum members of different
# enums with the same value ("none") compare equal, so the member alone would collide.
# Named, not imported, so the sign-in page does not load the domain's work types.
_LABELS: dict[tuple[str, str], str] = {
    ("InspectionSource", "plan"): QT_TRANSLATE_NOOP("labels", "计划检查"),
    ("InspectionSource", "special_campaign"): QT_TRANSLATE_NOOP("labels", "专项行动"),
    ("InspectionSource", "complaint"): QT_TRANSLATE_NOOP("labels", "投诉举报"),
    ("InspectionSource", "emergency"): QT_TRANSLATE_NOOP("labels", "突发事件"),
    ("InspectionSource", "assignment"): QT_TRANSLATE_NOOP("labels", "上级交办"),
    ("InspectionSource", "follow_up"): QT_TRANSLATE_NOOP("labels", "整改复查"),
    ("CheckResultValue", "compliant"): QT_TRANSLATE_NOOP("labels", "符合"),
    ("CheckResultValue", "non_compliant"): QT_TRANSLATE_NOOP("labels", "不符合"),
    ("CheckResultValue", "not_applicable"): QT_TRANSLATE_NOOP("labels", "不适用"),
    ("CheckResultValue", "not_checked"): QT_TRANSLATE_NOOP("labels", "未检查"),
    ("FlexibleMeasure", "guidance"): QT_TRANSLATE_NOOP("labels", "指导"),
    ("FlexibleMeasure", "advice"): QT_TRANSLATE_NOOP("labels", "建议"),
    ("FlexibleMeasure", "reminder"): QT_TRANSLATE_NOOP("labels", "提醒"),
    ("FlexibleMeasure", "persuasion"): QT_TRANSLATE_NOOP("labels", "规劝"),
    ("FlexibleMeasure", "interview"): QT_TRANSLATE_NOOP("labels", "约谈"),
    ("NoPenaltyGround", ""): QT_TRANSLATE_NOOP("labels", "（无）"),
    ("NoPenaltyGround", "minor_corrected"): QT_TRANSLATE_NOOP(
        "labels", "轻微并及时改正，没有造成危害后果（第三十三条第一款）"),
    ("NoPenaltyGround", "first_minor"): QT_TRANSLATE_NOOP(
        "labels", "初次违法且危害后果轻微并及时改正（第三十三条第一款）"),
    ("NoPenaltyGround", "no_fault"): QT_TRANSLATE_NOOP(
        "labels", "有证据足以证明没有主观过错（第三十三条第二款）"),
    ("SignerRole", "officer"): QT_TRANSLATE_NOOP("labels", "执法人员"),
    ("SignerRole", "party"): QT_TRANSLATE_NOOP("labels", "当事人"),
    ("SignerRole", "witness"): QT_TRANSLATE_NOOP("labels", "见证人"),
    ("InspectionStatus", "planned"): QT_TRANSLATE_NOOP("labels", "待检查"),
    ("InspectionStatus", "in_progress"): QT_TRANSLATE_NOOP("labels", "检查中"),
    ("InspectionStatus", "closed"): QT_TRANSLATE_NOOP("labels", "已办结"),
    ("InspectionStatus", "cancelled"): QT_TRANSLATE_NOOP("labels", "已取消"),
    ("FilingStatus", "filed"): QT_TRANSLATE_NOOP("labels", "已备案"),
    ("FilingStatus", "pending"): QT_TRANSLATE_NOOP("labels", "备案中"),
    ("FilingStatus", "not_filed"): QT_TRANSLATE_NOOP("labels", "未备案"),
    ("ListStatus", "none"): QT_TRANSLATE_NOOP("labels", "—"),
    ("ListStatus", "white"): QT_TRANSLATE_NOOP("labels", "白名单"),
    ("ListStatus", "black"): QT_TRANSLATE_NOOP("labels", "黑名单"),
    ("StaffRole", "officer"): QT_TRANSLATE_NOOP("labels", "执法人员"),
    ("StaffRole", "auxiliary"): QT_TRANSLATE_NOOP("labels", "辅助人员"),
    ("StaffRole", "team_leader"): QT_TRANSLATE_NOOP("labels", "带队/审核"),
    ("StaffRole", "administrator"): QT_TRANSLATE_NOOP("labels", "设备管理员"),
    ("CertificateState", "valid"): QT_TRANSLATE_NOOP("labels", "执法证有效"),
    ("CertificateState", "expired"): QT_TRANSLATE_NOOP("labels", "执法证已过期"),
    ("CertificateState", "revoked"): QT_TRANSLATE_NOOP("labels", "执法证已吊销"),
    ("CertificateState", "none"): QT_TRANSLATE_NOOP("labels", "无执法证"),
}


def label(value: object) -> str:
    """The translated display name of an enum value."""
    text = _LABELS.get((type(value).__name__, str(value)))
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
