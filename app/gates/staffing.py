"""R1 (two officers with valid certificates) and R2 (certificate shown first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from app.domain import CertificateState, Officer, RecordEntry, RecordEntryKind, StaffRole
from app.gates.findings import CERTIFICATE_SHOWN, STAFFING, Finding, Severity, finding, local

MIN_OFFICERS = 2


def _who(o: Officer) -> str:
    return f"{o.name}（{o.cert_no}）" if o.cert_no else o.name


def check_staffing(officer_ids: Sequence[str], roster: Mapping[str, Officer],
                   agency_id: str, now: datetime) -> list[Finding]:
    """R1: at least two officers with distinct certificates valid at ``now`` for ``agency_id``.

    A certificate is valid through its expiry day. Auxiliary staff never count,
    and one listed as an officer blocks: the record would name them as one.
    Never overridable.
    """
    day = local(now).date()
    out: list[Finding] = []
    valid_certs: dict[str, str] = {}  # cert_no -> officer id of the first holder
    for oid in officer_ids:
        o = roster.get(oid)
        if o is None:
            out.append(finding("R1", Severity.BLOCK, "R1.unknown",
                               f"执法人员 {oid} 不在人员名册中，不能计入检查人员。",
                               f"Officer {oid} is not on the roster and cannot count as an officer.",
                               STAFFING, related=(oid,)))
            continue
        if not o.role.certified or not o.cert_no:
            out.append(finding("R1", Severity.BLOCK, "R1.auxiliary",
                               f"{o.name}是执法辅助人员，不持执法证，不能作为执法人员参加检查。",
                               f"{o.name} is auxiliary staff without an enforcement certificate and "
                               "cannot take part as an officer.",
                               STAFFING, related=(oid,)))
            continue
        state = o.certificate_state(day)
        if state is CertificateState.REVOKED:
            out.append(finding("R1", Severity.BLOCK, "R1.revoked",
                               f"{_who(o)}的执法证已被注销或吊销。",
                               f"The certificate of {o.name} ({o.cert_no}) has been revoked.",
                               STAFFING, related=(oid,)))
        elif state is CertificateState.EXPIRED:
            expiry = o.cert_expiry.isoformat() if o.cert_expiry else "未登记"
            out.append(finding("R1", Severity.BLOCK, "R1.expired",
                               f"{_who(o)}的执法证已于 {expiry} 到期。",
                               f"The certificate of {o.name} ({o.cert_no}) expired on {expiry}.",
                               STAFFING, related=(oid,)))
        elif o.cert_issuer != agency_id:
            out.append(finding("R1", Severity.BLOCK, "R1.other_agency",
                               f"{_who(o)}的执法证由 {o.cert_issuer} 核发，不是本机关（{agency_id}）的执法证。",
                               f"The certificate of {o.name} ({o.cert_no}) was issued by {o.cert_issuer}, "
                               f"not by this agency ({agency_id}).",
                               STAFFING, related=(oid,)))
        elif o.cert_no in valid_certs:
            out.append(finding("R1", Severity.BLOCK, "R1.duplicate_certificate",
                               f"{o.name}的执法证号 {o.cert_no} 与已列人员重复，同一证件只计一人。",
                               f"{o.name}'s certificate {o.cert_no} is already counted for another officer; "
                               "one certificate counts once.",
                               STAFFING, related=(oid, valid_certs[o.cert_no])))
        else:
            valid_certs[o.cert_no] = oid
    if len(valid_certs) < MIN_OFFICERS:
        out.append(finding("R1", Severity.BLOCK, "R1.too_few",
                           f"持有效执法证的执法人员只有 {len(valid_certs)} 名，检查须由至少两名执法人员实施。",
                           f"Only {len(valid_certs)} officer(s) hold a valid certificate; an inspection "
                           "needs at least two officers.",
                           STAFFING, related=tuple(valid_certs.values())))
    return out


def check_certificate_shown(entries: Sequence[RecordEntry], officer_ids: Sequence[str],
                            roster: Mapping[str, Officer] | None = None) -> list[Finding]:
    """R2: the record opens with a timed "certificate shown" entry for every assigned officer.

    Only the unbroken run of 亮证 entries at the start counts: a certificate
    shown after questioning began was not shown first. ``roster`` only lends
    names to the messages.
    """
    def name(oid: str) -> str:
        o = (roster or {}).get(oid)
        return f"{o.name}（{oid}）" if o else oid

    leading: dict[str, RecordEntry] = {}
    for e in entries:
        if e.kind is not RecordEntryKind.CERTIFICATE_SHOWN:
            break
        if e.officer_id is not None:
            leading.setdefault(e.officer_id, e)
    shown_later = {e.officer_id for e in entries
                   if e.kind is RecordEntryKind.CERTIFICATE_SHOWN and e.officer_id not in leading}
    out: list[Finding] = []
    for oid in officer_ids:
        entry = leading.get(oid)
        if entry is None and oid in shown_later:
            out.append(finding("R2", Severity.BLOCK, "R2.not_first",
                               f"执法人员 {name(oid)} 的亮证记录不在笔录开头，亮证应先于其他记录。",
                               f"Officer {name(oid)} showed the certificate only after other entries; it must "
                               "come first in the record.",
                               CERTIFICATE_SHOWN, related=(oid,)))
        elif entry is None:
            out.append(finding("R2", Severity.BLOCK, "R2.missing",
                               f"笔录中没有执法人员 {name(oid)} 出示执法证的记录。",
                               f"The record has no entry of officer {name(oid)} showing the certificate.",
                               CERTIFICATE_SHOWN, related=(oid,)))
        elif entry.at is None:
            out.append(finding("R2", Severity.BLOCK, "R2.no_time",
                               f"执法人员 {name(oid)} 的亮证记录缺少时间。",
                               f"The certificate-shown entry of officer {name(oid)} has no time.",
                               CERTIFICATE_SHOWN, related=(oid,)))
    strangers = sorted(set(leading) - set(officer_ids))
    if strangers:
        out.append(finding("R2", Severity.WARN, "R2.not_assigned",
                           f"亮证记录中有未列为本次检查执法人员的人员：{'、'.join(map(name, strangers))}。",
                           f"Certificate-shown entries name people not assigned as officers: {', '.join(map(name, strangers))}.",
                           CERTIFICATE_SHOWN, related=tuple(strangers)))
    return out
