"""Legal gates: pure functions over domain objects that say whether a step may
lawfully go ahead, each finding citing its rule and legal source.

Start gates: R1 staffing, R4 plan, R5 pre-notice, R6 item list, R7 frequency,
R8 credit; R2 (certificate shown) judges the on-site record. The UI calls
:func:`check_start` / :func:`authorize_start`; tests call the pure functions.
"""

from app.gates.findings import Finding, LegalSource, RuleSettings, Severity
from app.gates.frequency import check_frequency, credit_notice
from app.gates.planning import check_items, check_plan, check_pre_notice, notice_period_end
from app.gates.service import (
    StartDataMissing,
    authorize_start,
    check_start,
    inspection_items,
    load_start_context,
)
from app.gates.staffing import check_certificate_shown, check_staffing
from app.gates.start import (
    OVERRIDABLE_RULES,
    Override,
    OverrideRefused,
    StartContext,
    StartDecision,
    decide_start,
    evaluate_start,
)

__all__ = [
    "OVERRIDABLE_RULES", "Finding", "LegalSource", "Override", "OverrideRefused", "RuleSettings",
    "Severity", "StartContext", "StartDataMissing", "StartDecision", "authorize_start",
    "check_certificate_shown", "check_frequency", "check_items", "check_plan", "check_pre_notice",
    "check_staffing", "check_start", "credit_notice", "decide_start", "evaluate_start",
    "inspection_items", "load_start_context", "notice_period_end",
]
