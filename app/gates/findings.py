"""What a gate says: structured findings that cite their rule and legal source,
the legal sources themselves, and the thresholds that are configuration.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time

from app.clock import CHINA_TZ


class Severity(enum.StrEnum):
    BLOCK = "block"  # the step cannot go ahead
    WARN = "warn"  # lawful, but the officer should look again
    INFO = "info"  # shown on every inspection for context


@dataclass(frozen=True, slots=True)
class LegalSource:
    """A citation in both languages. ``zh`` is the authoritative text."""

    zh: str
    en: str


# The agencies on the device are 清河市 ones: another city's task plan binds none of them,
# so the rules it was read from cite the national texts that ask the same.
_OPINION_54_ZH = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）"
_OPINION_54_EN = "General Office of the State Council Opinion on Strictly Regulating Inspections of Enterprises (Guobanfa [2024] No. 54)"

STAFFING = LegalSource(
    "《中华人民共和国行政处罚法》第四十二条；《中华人民共和国行政强制法》第十七条、第十八条第（二）项",
    "Administrative Penalty Law Art. 42; Administrative Coercion Law Art. 17 and Art. 18(2)",
)
CERTIFICATE_SHOWN = LegalSource(
    "《中华人民共和国行政处罚法》第五十五条",
    "Administrative Penalty Law Art. 55",
)
PLAN_FILED = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
PRE_NOTICE = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
ITEM_LIST = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
WHITE_LIST = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
ANNUAL_CAP = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
MERGE = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
CREDIT = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
_OPINION_118_ZH = ("《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
                   "（国办发〔2018〕118号）")
_OPINION_118_EN = ("General Office of the State Council, Guiding Opinions on the enforcement publicity, full-process "
                   "recording and legal review systems (Guo Ban Fa [2018] No. 118)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a gate.

    ``zh`` and ``en`` are complete messages that end with the legal source, so no
    caller can show one without its basis (the rule id is ``rule``, never in the text). ``code`` is a
    stable key for programs (``"R1.revoked"``); ``related`` names the officers,
    items or inspections the finding is about (for R7 merging: the ids to merge).
    """

    rule: str
    severity: Severity
    zh: str
    en: str
    source: str
    code: str = ""
    overridable: bool = False
    related: tuple[str, ...] = ()

    def message(self, language: str = "zh") -> str:
        """The message in the user's language."""
        return self.en if language.startswith("en") else self.zh


def finding(rule: str, severity: Severity, code: str, zh: str, en: str, source: LegalSource,
            *, overridable: bool = False, related: tuple[str, ...] = ()) -> Finding:
    """Build a finding whose messages end with the legal source.

    The rule id stays on the finding for programs and tests; an officer reads the law,
    not an internal code.
    """
    return Finding(
        rule=rule, severity=severity,
        zh=f"{zh} 依据：{source.zh}",
        en=f"{en} Source: {source.en}.",
        source=source.zh, code=code, overridable=overridable, related=related,
    )


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """Thresholds that vary by province or sector (DOMAIN.md, 'What is not settled').

    ``annual_cap_per_subject`` is None when no cap is configured.
    """

    notice_days: int = 3
    annual_cap_per_subject: int | None = None
    white_list_per_quarter: int = 1
    night_start: time = time(22, 0)
    night_end: time = time(6, 0)

    def __post_init__(self) -> None:
        if self.notice_days < 0:
            raise ValueError("notice_days cannot be negative")
        if self.white_list_per_quarter < 1:
            raise ValueError("white_list_per_quarter must be at least 1")
        if self.annual_cap_per_subject is not None and self.annual_cap_per_subject < 1:
            raise ValueError("annual_cap_per_subject must be at least 1 or None")


def local(moment: datetime) -> datetime:
    """``moment`` in China Standard Time; a naive datetime is a programming error."""
    if moment.tzinfo is None:
        raise ValueError("gates need an aware datetime; use app.clock")
    return moment.astimezone(CHINA_TZ)


# --- On site (R2, R3, R9–R14) ------------------------------------------------------------
RECUSAL = LegalSource("《中华人民共和国行政处罚法》第四十三条", "Administrative Penalty Law Art. 43")
SIGNATURES = LegalSource(
    "《中华人民共和国行政处罚法》第五十五条；《中华人民共和国行政强制法》第十八条第（八）项、第（九）项",
    "Administrative Penalty Law Art. 55; Administrative Coercion Law Art. 18(8) and (9)",
)
WRITTEN_RESULT = LegalSource(
    f"《中华人民共和国行政处罚法》第二十八条第一款；{_OPINION_54_ZH}",
    f"Administrative Penalty Law Art. 28(1); {_OPINION_54_EN}",
)
FLEXIBLE_MEASURES = LegalSource("《中华人民共和国行政处罚法》第三十三条", "Administrative Penalty Law Art. 33")
DISCRETION_BENCHMARK = LegalSource("《中华人民共和国行政处罚法》第三十四条", "Administrative Penalty Law Art. 34")
SUPERVISION_CARD = LegalSource(_OPINION_118_ZH, _OPINION_118_EN)
