"""Domain types of on-site administrative law enforcement.

Plain frozen dataclasses: they carry no behaviour that needs a database or a
display, so rules and services can be tested as pure functions over them.

``app.domain.people`` holds the roster (roles, agencies, people, certificates);
``app.domain.work`` everything else. Both are imported from here, each on the
first use of one of its names (PEP 562): the sign-in page shows the roster
without paying for the four dozen classes of the work (about 20 ms at start-up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

_PEOPLE = ("StaffRole", "Agency", "Officer", "CertificateState")

_WORK = (
    "SubjectKind", "CreditGrade", "ListStatus", "FilingStatus", "InspectionSource",
    "InspectionStatus", "StaffAssignment", "Subject", "CheckItem", "ChecklistTemplate",
    "InspectionPlan", "PreNotice", "HolidayCalendarDay", "Inspection", "AuditEntry",
    "InspectionOverview", "RecordEntryKind", "RecordEntry", "EvidenceType", "EvidenceSourceKind",
    "RetentionClass", "EvidenceItem", "SealRow", "EvidenceAccess", "CheckResultValue",
    "FlexibleMeasure", "NoPenaltyGround", "SignerRole", "DiscretionBenchmark", "CheckResult",
    "PenaltyProposal", "Signature", "SignatureRefusal", "RectificationOrder", "OnsiteRecord",
    "ReviewDecisionKind", "AwaitingGroup", "ReviewDecision",
)


def __getattr__(name: str) -> Any:
    # Only the names of the two modules: anything else asked of the package (``__wrapped__``
    # by inspect, ``__path__`` probes) is answered without loading either.
    if name in _PEOPLE:
        from app.domain import people as module
    elif name in _WORK:
        from app.domain import work as module
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PEOPLE) | set(_WORK))


if TYPE_CHECKING:
    from app.domain.people import *  # noqa: F401,F403
    from app.domain.work import *  # noqa: F401,F403
