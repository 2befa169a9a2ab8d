"""Refusals of the demolition use cases; each names its rule and legal source."""

from __future__ import annotations

from collections.abc import Sequence

from app.gates.findings import Finding, LegalSource
from local_db.errors import UserFacingError


class DemolitionRefused(UserFacingError):
    """A step the demolition rules do not allow, with the rule and its source."""

    def __init__(self, rule: str, zh: str, en: str, source: LegalSource) -> None:
        super().__init__(f"{zh} 依据：{source.zh}", f"{en} Source: {source.en}.")
        self.rule = rule


class DemolitionBlocked(UserFacingError):
    """The findings that stop a step (start, resume, end); each cites its rule and source."""

    def __init__(self, what_zh: str, what_en: str, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(f"{what_zh}：\n" + "\n".join(f.zh for f in self.findings),
                         f"{what_en}:\n" + "\n".join(f.en for f in self.findings))


class DemolitionStateError(UserFacingError):
    """A step asked of a case in the wrong state, or of an unknown case or item."""


class DemolitionInputInvalid(UserFacingError):
    """A field that is missing or malformed; nothing was saved."""
