"""Who is on the roster: roles, agencies, people and their certificates.

The one part of the domain the sign-in page needs; the rest (``app.domain.work``)
loads while a PIN's key is derived.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class StaffRole(enum.StrEnum):
    """What a person on the roster may be counted as (DOMAIN.md, 'Who uses')."""

    OFFICER = "officer"  # 行政执法人员, holds an enforcement certificate
    AUXILIARY = "auxiliary"  # 执法辅助人员, assists, never counts as an officer (R1)
    TEAM_LEADER = "team_leader"  # 带队/审核人员, an officer who also reviews
    ADMINISTRATOR = "administrator"  # 设备管理员, issues and resets PINs; no part in inspections

    @property
    def certified(self) -> bool:
        """Whether the role holds an enforcement certificate (auxiliary staff and administrators do not)."""
        return self not in (StaffRole.AUXILIARY, StaffRole.ADMINISTRATOR)


@dataclass(frozen=True, slots=True)
class Agency:
    id: str
    name: str
    region: str
    supervision_phone: str
    # 文号: the agency's 机关代字 and each document type's 代字 (reference data; defaults when empty).
    doc_code: str = ""
    doc_type_codes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Officer:
    """A person on the roster. ``cert_no`` is empty for auxiliary staff."""

    id: str
    name: str
    role: StaffRole
    agency_id: str
    cert_no: str | None = None
    cert_issuer: str | None = None  # issuing agency id of the certificate
    cert_field: str | None = None  # 执法领域
    cert_expiry: date | None = None  # last day of validity
    revoked: bool = False

    def certificate_valid_on(self, day: date, agency_id: str) -> bool:
        """True when the certificate may be shown on ``day`` for ``agency_id``.

        A certificate is valid through its expiry day, is void once revoked, and
        counts only for the agency that issued it (R1).
        """
        if not self.role.certified or not self.cert_no:
            return False
        if self.revoked or self.cert_expiry is None:
            return False
        return day <= self.cert_expiry and self.cert_issuer == agency_id

    def certificate_state(self, day: date) -> CertificateState:
        if not self.role.certified or not self.cert_no:
            return CertificateState.NONE
        if self.revoked:
            return CertificateState.REVOKED
        if self.cert_expiry is None or day > self.cert_expiry:
            return CertificateState.EXPIRED
        return CertificateState.VALID


class CertificateState(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NONE = "none"  # auxiliary staff hold no enforcement certificate
