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


# Seed 002's title page was defaced where the city name stood; the document is a
# Ningxia city government's task plan, so it is cited without a city name.
_SEED_002_ZH = "宁夏某市人民政府办公室《2025年行政执法重点工作任务分工方案》（2025年2月28日印发）"
_SEED_002_EN = "a Ningxia city government's 2025 Task Plan for Key Administrative Enforcement Work"
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
PLAN_FILED = LegalSource(f"{_SEED_002_ZH} 一（一）", f"{_SEED_002_EN}, section 1(1)")
PRE_NOTICE = LegalSource(f"{_SEED_002_ZH} 三（六）", f"{_SEED_002_EN}, section 3(6)")
ITEM_LIST = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
WHITE_LIST = LegalSource(f"{_SEED_002_ZH} 三（七）", f"{_SEED_002_EN}, section 3(7)")
ANNUAL_CAP = LegalSource(_OPINION_54_ZH, _OPINION_54_EN)
MERGE = LegalSource(f"{_SEED_002_ZH} 二（四）", f"{_SEED_002_EN}, section 2(4)")
CREDIT = LegalSource(
    "某市行政执法精准化规定（2024年1月1日起施行）第十一条",
    "a municipal regulation on precise administrative enforcement (in force 1 January 2024), Art. 11",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a gate.

    ``zh`` and ``en`` are complete messages: they name the rule and end with the
    legal source, so no caller can show one without its basis. ``code`` is a
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
    """Build a finding whose messages carry the rule id and the legal source."""
    return Finding(
        rule=rule, severity=severity,
        zh=f"【{rule}】{zh} 依据：{source.zh}",
        en=f"[{rule}] {en} Source: {source.en}.",
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
_PRECISION_ZH = "某市行政执法精准化规定（2024年1月1日起施行）"
_PRECISION_EN = "a municipal regulation on precise administrative enforcement (in force 1 January 2024)"
_BENCHMARK_ZH = "《徐州市行政裁量权基准制定和管理办法》（徐州市人民政府办公室2023年9月26日印发）"
_BENCHMARK_EN = "Xuzhou Measures on Formulating and Managing Administrative Discretion Benchmarks (2023)"

RECUSAL = LegalSource("《中华人民共和国行政处罚法》第四十三条", "Administrative Penalty Law Art. 43")
SIGNATURES = LegalSource(
    "《中华人民共和国行政处罚法》第五十五条；《中华人民共和国行政强制法》第十八条第（八）项、第（九）项",
    "Administrative Penalty Law Art. 55; Administrative Coercion Law Art. 18(8) and (9)",
)
WRITTEN_RESULT = LegalSource(f"{_SEED_002_ZH} 二（五）", f"{_SEED_002_EN}, section 2(5)")
FLEXIBLE_MEASURES = LegalSource(
    f"{_PRECISION_ZH}第六条；{_BENCHMARK_ZH}第六条第（四）项；《中华人民共和国行政处罚法》第三十三条",
    f"{_PRECISION_EN}, Art. 6; {_BENCHMARK_EN}, Art. 6(4); Administrative Penalty Law Art. 33",
)
DISCRETION_BENCHMARK = LegalSource(
    f"{_PRECISION_ZH}第五条；{_BENCHMARK_ZH}第十七条、第十八条",
    f"{_PRECISION_EN}, Art. 5; {_BENCHMARK_EN}, Arts. 17 and 18",
)
SUPERVISION_CARD = LegalSource(f"{_SEED_002_ZH} 五（十四）", f"{_SEED_002_EN}, section 5(14)")
