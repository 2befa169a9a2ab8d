"""Whether an inspection may lawfully start: all start gates together, and the
overrides the law allows (R4/R5 exempt sources, R7 approval — never R1 or R6).

R2 (certificate shown) is not a start gate: it judges the on-site record once
it is written, so it is called on its own (:func:`app.gates.check_certificate_shown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from app.deadlines import WorkCalendar
from app.domain import CheckItem, Inspection, InspectionPlan, Officer, PreNotice, Subject
from app.gates.findings import (
    ITEM_LIST,
    PLAN_FILED,
    PRE_NOTICE,
    STAFFING,
    WHITE_LIST,
    Finding,
    LegalSource,
    RuleSettings,
    Severity,
)
from app.gates.frequency import check_frequency, credit_notice
from app.gates.planning import check_items, check_plan, check_pre_notice
from app.gates.staffing import check_staffing
from local_db.errors import UserFacingError

# The rules whose blocks the law lets an officer lift with a recorded reason.
OVERRIDABLE_RULES = frozenset({"R4", "R5", "R7"})
_RULE_SOURCES: dict[str, LegalSource] = {
    "R1": STAFFING, "R4": PLAN_FILED, "R5": PRE_NOTICE, "R6": ITEM_LIST, "R7": WHITE_LIST,
}


@dataclass(frozen=True, slots=True)
class StartContext:
    """Everything the start gates look at for one inspection, loaded beforehand."""

    inspection: Inspection
    subject: Subject
    roster: Mapping[str, Officer]
    plan: InspectionPlan | None
    notice: PreNotice | None
    item_codes: tuple[str, ...]
    catalogue: Mapping[str, CheckItem]
    others: tuple[Inspection, ...]
    calendar: WorkCalendar


def evaluate_start(ctx: StartContext, now: datetime, settings: RuleSettings | None = None) -> list[Finding]:
    """Run the start gates R1, R4, R5, R6, R7 and R8 for ``ctx.inspection`` at ``now``."""
    settings = settings or RuleSettings()
    i = ctx.inspection
    return [
        *check_staffing(i.officer_ids, ctx.roster, i.agency_id, now),
        *check_plan(i, ctx.plan, ctx.item_codes, now),
        *check_pre_notice(i, ctx.notice, ctx.item_codes, now, ctx.calendar, settings),
        *check_items(ctx.item_codes, ctx.catalogue),
        *check_frequency(i, ctx.subject, ctx.others, now, settings),
        credit_notice(ctx.subject),
    ]


@dataclass(frozen=True, slots=True)
class Override:
    """A recorded exception to one rule: why, on what basis, and who approved it.

    ``reference`` is the document the exception rests on: the campaign or
    complaint number for an exempt source (R4), the provision requiring an
    immediate inspection (R5), the approval record's number (R7).
    """

    rule: str
    reason: str
    reference: str
    approved_by: str


class OverrideRefused(UserFacingError):
    """An override the law does not allow, or one missing its reason, reference or approver."""

    def __init__(self, rule: str, zh: str, en: str) -> None:
        source = _RULE_SOURCES.get(rule)
        super().__init__(
            zh + (f" 依据：{source.zh}" if source else ""),
            en + (f" Source: {source.en}." if source else ""),
        )
        self.rule = rule


@dataclass(frozen=True, slots=True)
class StartDecision:
    """The findings, the overrides accepted, and the blocks they lifted."""

    findings: tuple[Finding, ...]
    accepted: tuple[Override, ...] = ()
    lifted: tuple[Finding, ...] = ()

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """Blocks still standing after the overrides."""
        return tuple(f for f in self.findings if f.severity is Severity.BLOCK and f not in self.lifted)

    @property
    def allowed(self) -> bool:
        """True when nothing blocks the start."""
        return not self.blocking


def _validate(o: Override, findings: Iterable[Finding]) -> list[Finding]:
    if o.rule not in OVERRIDABLE_RULES:
        raise OverrideRefused(o.rule, "这一要求不允许例外，不能以批准或说明代替。",
                              "This requirement allows no exception; no approval or reason can replace it.")
    for value, zh, en in ((o.reason, "例外理由", "reason"), (o.reference, "依据文号", "reference"),
                          (o.approved_by, "批准人", "approver")):
        if not value.strip():
            raise OverrideRefused(o.rule, f"例外未填写{zh}，不予接受。",
                                  f"The exception gives no {en} and is refused.")
    lifts = [f for f in findings if f.rule == o.rule and f.severity is Severity.BLOCK and f.overridable]
    if not lifts:
        raise OverrideRefused(o.rule, "这一要求没有可以例外解除的阻止项。",
                              "This requirement has no block that an exception could lift.")
    return lifts


def decide_start(findings: Iterable[Finding], overrides: Iterable[Override] = ()) -> StartDecision:
    """Apply ``overrides`` to the findings of :func:`evaluate_start`.

    Refuses (raises :class:`OverrideRefused`) an override of a rule without an
    exception (R1, R6, ...), one with a blank reason, reference or approver, a
    second override of the same rule, and one for a rule that blocks nothing.
    An override lifts every overridable block of its rule; blocks that are not
    overridable (an unfiled plan under R4, say) stay.
    """
    findings = tuple(findings)
    accepted: list[Override] = []
    lifted: list[Finding] = []
    for o in overrides:
        if any(a.rule == o.rule for a in accepted):
            raise OverrideRefused(o.rule, "同一要求只能登记一条例外。",
                                  "Only one exception may be recorded for the same requirement.")
        lifted.extend(_validate(o, findings))
        accepted.append(o)
    return StartDecision(findings=findings, accepted=tuple(accepted), lifted=tuple(lifted))
