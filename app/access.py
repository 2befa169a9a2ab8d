"""Who may sign in and what each role may do.

Sign-in is by roster person and PIN, checked by the key custody (``app.custody``):
a PIN is right when it unwraps that person's copy of the device master key. After
:data:`FREE_ATTEMPTS` wrong PINs in a row every further wrong PIN locks that
person's sign-in for a growing wait; the count and the lock live in the encrypted
gate database and survive restarts and clock changes. Every sign-in, refused
sign-in, wrong PIN, PIN set, sign-out and lock goes to the audit log.

Roles (DOMAIN.md, 'Who uses'): auxiliary staff assist — they may take photos and
fill in items — but never start an inspection, sign as an officer or approve
(R1); team leaders are officers who also review and read the audit log. The
services enforce these limits through :func:`require`; the UI only hides what
they would refuse.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from typing import NoReturn

from app.custody import (  # noqa: F401  (the sign-in errors, for callers of this module)
    BACKOFF_FIRST,
    BACKOFF_MAX,
    FREE_ATTEMPTS,
    PIN_MAX,
    PIN_MIN,
    Custody,
    CustodyError,
    PinInvalid,
    PinMismatch,
    PinRequired,
    PinTrivial,
    PinWrong,
    SignInLocked,
    UnknownPerson,
    backoff,
    check_new_pin,
)
from app.domain import CertificateState, Officer, StaffRole
from app.gates.findings import STAFFING, LegalSource
from app.session import Session, SignedInBy
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError

MAX_IDLE_LOCK_MINUTES = 12 * 60
IDLE_LOCK_SETTING = "session.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5


class Permission(enum.StrEnum):
    """The acts of DOMAIN.md's table of who may do what."""

    CAPTURE = "capture"  # take photos and videos, import
    START_INSPECTION = "start_inspection"  # an inspection or a demolition (counts among the two, R1)
    SIGN_AS_OFFICER = "sign_as_officer"  # record results, propose measures, sign and close the record
    PAD_SIGNATURE = "pad_signature"  # a party's or witness's signature drawn on the pad
    REVIEW = "review"  # approve, return, mark key evidence
    READ_AUDIT = "read_audit"
    ISSUE_PIN = "issue_pin"
    SYNC = "sync"  # write a bundle, apply a receipt, sync, pair
    VIEW_EVIDENCE = "view_evidence"  # view or export an original


_ENFORCING = frozenset({StaffRole.OFFICER, StaffRole.TEAM_LEADER})
# Who may, by role; a certificate counts only while valid (R1), checked in :func:`refusal`.
_GRANTS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.AUXILIARY: frozenset({Permission.CAPTURE, Permission.VIEW_EVIDENCE}),
    StaffRole.OFFICER: frozenset({Permission.CAPTURE, Permission.START_INSPECTION, Permission.SIGN_AS_OFFICER,
                                  Permission.PAD_SIGNATURE, Permission.SYNC, Permission.VIEW_EVIDENCE}),
    StaffRole.TEAM_LEADER: frozenset(Permission) - {Permission.ISSUE_PIN},
    StaffRole.ADMINISTRATOR: frozenset({Permission.ISSUE_PIN, Permission.SYNC}),
}
# Acts an enforcement certificate is needed for (R1).
_CERTIFIED = frozenset({Permission.CAPTURE, Permission.START_INSPECTION, Permission.SIGN_AS_OFFICER,
                        Permission.PAD_SIGNATURE, Permission.REVIEW})

_WHAT = {
    Permission.CAPTURE: ("采集或导入证据", "capture or import evidence"),
    Permission.START_INSPECTION: ("开始检查或强制拆除", "start an inspection or a demolition"),
    Permission.SIGN_AS_OFFICER: ("以执法人员身份记录、签名", "record or sign as an officer"),
    Permission.PAD_SIGNATURE: ("采集当事人或见证人签名", "take a party's or witness's signature"),
    Permission.REVIEW: ("审核证据和记录", "review evidence and records"),
    Permission.READ_AUDIT: ("查看审计日志", "read the audit log"),
    Permission.ISSUE_PIN: ("签发或重置 PIN", "issue or reset a PIN"),
    Permission.SYNC: ("生成数据包或同步", "write a bundle or sync"),
    Permission.VIEW_EVIDENCE: ("查看或导出证据原件", "view or export an original"),
}

# The sources a refusal cites, in words (never a bare rule number).
PIN_SOURCE = LegalSource("总部下发的人员名册（设备管理员签发 PIN，不得为本人签发）",
                         "the roster HQ delivers (a device administrator issues PINs, never their own)")


def what(permission: Permission, language: str = "zh") -> str:
    zh, en = _WHAT[Permission(permission)]
    return zh if language == "zh" else en


class AccessError(UserFacingError):
    """Base of sign-in and role errors."""


class RoleRefused(AccessError):
    """The act is not the acting person's to do; the refusal was audited."""

    def __init__(self, person: Officer | None, permission: Permission, zh: str | None = None,
                 en: str | None = None, *, rule: str = "R1", source: LegalSource = STAFFING) -> None:
        if zh is None or en is None:
            zh, en = _role_text(person, permission)
            if permission is Permission.ISSUE_PIN:
                rule, source = "PIN", PIN_SOURCE
        super().__init__(f"{zh}依据：{source.zh}", f"{en} Source: {source.en}.")
        self.permission = Permission(permission)
        self.rule = rule
        self.source = source
        self.person = person


class NotSignedIn(RoleRefused):
    """The act came with no session the workspace issued (nobody signed in, or a forged one)."""

    def __init__(self, claimed: str, permission: Permission) -> None:
        super().__init__(None, permission,
                         f"没有已登录的人员，不能{what(permission)}：每项操作须由本人用 PIN 登录后进行。",
                         f"Nobody is signed in; {what(permission, 'en')} needs the person acting to sign in "
                         "with their PIN.", rule="R1", source=STAFFING)
        self.claimed = claimed


def _role_text(person: Officer | None, permission: Permission) -> tuple[str, str]:
    what_zh, what_en = _WHAT[permission]
    if person is None:
        return f"未登录，不能{what_zh}。", f"Nobody signed in; cannot {what_en}."
    if person.role is StaffRole.AUXILIARY:
        return (f"{person.name}是执法辅助人员，不能{what_zh}；辅助人员可以协助（拍照、录像），不能独立执法。",
                f"{person.id} is auxiliary staff and cannot {what_en}; auxiliary staff assist "
                "(photos, video) but never act as officers.")
    if person.role is StaffRole.ADMINISTRATOR:
        return (f"{person.name}是设备管理员，只负责签发和重置 PIN，不参与执法，不能{what_zh}。",
                f"{person.id} is a device administrator, who issues and resets PINs and takes no part in "
                f"enforcement; they cannot {what_en}.")
    if permission is Permission.ISSUE_PIN:
        return (f"{person.name}（{_role_zh(person)}）不能{what_zh}，只有名册中的设备管理员可以。",
                f"{person.id} ({_role_en(person)}) may not {what_en}; only a device administrator named in "
                "the roster may.")
    return (f"{person.name}（{_role_zh(person)}）无权{what_zh}，只有带队/审核人员可以。",
            f"{person.id} ({_role_en(person)}) may not {what_en}; only a team leader may.")


def can(person: Officer | None, permission: Permission) -> bool:
    """True when ``person``'s role allows ``permission`` (the certificate is checked by :func:`acting`)."""
    return person is not None and permission in _GRANTS[person.role]


def require(person: Officer | None, permission: Permission) -> None:
    """Raise :class:`RoleRefused` unless ``person``'s role allows ``permission`` (no audit: for display)."""
    if not can(person, permission):
        raise RoleRefused(person, permission)


def refusal(person: Officer, permission: Permission, *, day: date, agency: str | None = None,
            assigned: Iterable[str] | None = None, assisting: Iterable[str] | None = None) -> RoleRefused | None:
    """Why ``person`` may not take the step (None: they may): DOMAIN.md's table, R1.

    ``assigned``: the officers of the task, when the act needs the person among them;
    ``assisting``: its auxiliary staff, who may capture for a task they assist.
    """
    permission = Permission(permission)
    assigned = tuple(assigned) if assigned is not None else None
    if person.role is StaffRole.AUXILIARY and permission is Permission.CAPTURE:
        if assisting is not None and person.id not in tuple(assisting):
            return RoleRefused(person, permission, f"{person.name}不是本任务的辅助人员，不能为其采集证据。",
                               f"{person.id} does not assist this task and cannot capture evidence for it.")
        return None
    if not can(person, permission):
        return RoleRefused(person, permission)
    if permission in _CERTIFIED and person.role in _ENFORCING \
            and not person.certificate_valid_on(day, agency or person.agency_id):
        state = person.certificate_state(day).value
        word = {"expired": ("已过期", "has expired"), "revoked": ("已被吊销", "was revoked")}.get(
            state, ("无效（非本机关签发）", "is not valid for this agency"))
        return RoleRefused(person, permission,
                           f"{person.name}的执法证{word[0]}，在换发新证之前不能以执法人员身份{_WHAT[permission][0]}。",
                           f"{person.id}'s enforcement certificate {word[1]}; until it is renewed they cannot "
                           f"{_WHAT[permission][1]} as an officer.")
    if assigned is not None and permission in (Permission.START_INSPECTION, Permission.SIGN_AS_OFFICER) \
            and person.id not in assigned:
        return RoleRefused(person, permission,
                           f"{person.name}不是本任务的执法人员，不能{_WHAT[permission][0]}。",
                           f"{person.id} is not an officer of this task and cannot {_WHAT[permission][1]}.")
    return None


def standing_notice(person: Officer, day: date) -> tuple[str, str] | None:
    """What a person who may sign in but not act is told at sign-in and on the Today page (R1):
    an officer or team leader whose certificate has expired or was revoked. None otherwise."""
    if person.role not in _ENFORCING:
        return None
    state = person.certificate_state(day)
    if state is CertificateState.EXPIRED:
        return (f"{person.name}的执法证已于 {person.cert_expiry:%Y-%m-%d} 过期：在换发新证之前，不能以执法人员身份"
                f"开始检查、记录、签名或采集证据，只能查看本人任务。依据：{STAFFING.zh}",
                f"{person.name}'s enforcement certificate expired on {person.cert_expiry:%Y-%m-%d}: until it is "
                "renewed they may not act as an enforcement officer (start, record, sign or capture), only read "
                f"their own tasks. Source: {STAFFING.en}.")
    if state is CertificateState.REVOKED:
        return (f"{person.name}的执法证已被吊销：不能以执法人员身份开始检查、记录、签名或采集证据，只能查看本人任务。"
                f"依据：{STAFFING.zh}",
                f"{person.name}'s enforcement certificate was revoked: they may not act as an enforcement officer "
                f"(start, record, sign or capture), only read their own tasks. Source: {STAFFING.en}.")
    return None


def acting(ws: Workspace, session: object, permission: Permission, target: str = "", *,
           agency: str | None = None, assigned: Iterable[str] | None = None,
           assisting: Iterable[str] | None = None) -> Officer:
    """The roster person ``session`` signed in, allowed to take the step; else refused and audited.

    Every service that acts calls this first. The person is read afresh from the
    roster (a certificate revoked by new reference data counts at once).
    """
    permission = Permission(permission)
    sessions = ws.sessions
    person = ws.officers.get(session.person.id) if sessions.valid(session) else None  # type: ignore[attr-defined]
    if person is None:
        refuse(ws, sessions.claimed(session), NotSignedIn(sessions.claimed(session), permission), target)
    assert person is not None
    why = refusal(person, permission, day=ws.clock().date(), agency=agency, assigned=assigned, assisting=assisting)
    if why is not None:
        refuse(ws, person.id, why, target)
    return person


def began_by(ws: Workspace, session: object, target: str = "") -> Officer:
    """The person whose session began a piece of work that is sealed now (an import, a
    recording): a session this workspace issued, though it may since be behind the idle
    lock or ended. The role was checked with :func:`acting` when the work began; a
    session never issued counts as nobody, refused and audited."""
    sessions = ws.sessions
    person = ws.officers.get(session.person.id) if sessions.issued(session) else None  # type: ignore[attr-defined]
    if person is None:
        refuse(ws, sessions.claimed(session), NotSignedIn(sessions.claimed(session), Permission.CAPTURE), target)
    assert person is not None
    return person


REFUSED = "refused"


def refuse(ws: Workspace, who: str, error: UserFacingError, target: str = "", *, act: str | None = None,
           rule: str | None = None) -> NoReturn:
    """Write one audit entry for a refused act (who tried, what, the rule cited) and raise ``error``."""
    permission = getattr(error, "permission", None)
    source = getattr(error, "source", None)
    with transaction(ws.db):
        ws.audit.append(who, REFUSED, target, act=act or (permission.value if permission else ""),
                        rule=rule or getattr(error, "rule", ""),
                        source_zh=source.zh if source else "", source_en=source.en if source else "",
                        reason_zh=error.zh, reason_en=error.en)
    raise error


def require_id(ws: Workspace, person_id: str, permission: Permission) -> Officer:
    """The roster person ``person_id``, checked for ``permission`` (display only, not an act)."""
    person = ws.officers.get(person_id)
    if person is None:
        raise UnknownPerson(person_id)
    require(person, permission)
    return person


def _custody(ws: Workspace) -> Custody:
    if ws.custody is None:
        raise CustodyError("此数据目录未经密钥托管打开，无法管理 PIN。", "This data folder was not opened through "
                           "its key custody; PINs cannot be managed.")
    return ws.custody


def has_pin(ws: Workspace, person_id: str) -> bool:
    return _custody(ws).has_pin(person_id)


def _take_over(ws: Workspace, person_id: str, previous: str | None) -> None:
    """Inside the sign-in transaction: the person whose locked session this sign-in ends
    is signed out first, so the log reads in the order things happened."""
    if previous is not None and previous != person_id:
        ws.audit.append(previous, "session.sign_out", previous, taken_over_by=person_id)


def issue_pin(ws: Workspace, person_id: str, pin: str, confirm: str, *, by: Session) -> None:
    """An administrator (named in the roster) gives another person a (new) PIN; the back-off starts afresh.

    Anyone else, and an administrator for their own PIN, is refused and audited.
    """
    admin = check_may_issue_pin(ws, person_id, by=by)
    check_new_pin(pin, confirm)
    _set_pin(ws, person_id, pin, actor=admin.id)


def check_may_issue_pin(ws: Workspace, person_id: str, *, by: Session) -> Officer:
    """The administrator ``by`` signed in, if they may issue ``person_id``'s PIN; else refused, audited."""
    target = _person(ws, person_id)
    admin = acting(ws, by, Permission.ISSUE_PIN, target.id)
    if admin.id == target.id:
        refuse(ws, admin.id, RoleRefused(admin, Permission.ISSUE_PIN,
                                         f"{admin.name}不能为本人签发或重置 PIN，须由另一名设备管理员办理。",
                                         f"{admin.id} cannot issue or reset their own PIN; another administrator "
                                         "must.", rule="PIN", source=PIN_SOURCE), target.id)
    return admin


def seed_pin(ws: Workspace, person_id: str, pin: str, **detail: object) -> None:
    """The demo data's PINs (``app.demo``): issued by the system, not by a person; audited."""
    _set_pin(ws, person_id, pin, actor="system", **detail)


def _set_pin(ws: Workspace, person_id: str, pin: str, *, actor: str, **detail: object) -> None:
    """Give a person a PIN: a copy of the master key under it; audited."""
    _person(ws, person_id)
    custody = _custody(ws)
    custody.refresh_people(ws.officers.all())
    custody.set_pin(ws.keys, person_id, pin, pin, by=actor, now=_now(ws), check=False)
    with transaction(ws.db):
        ws.audit.append(actor, "session.pin_set", person_id, **detail)


def sign_in(ws: Workspace, person_id: str, pin: str, *, taking_over_from: str | None = None,
            how: SignedInBy = SignedInBy.PIN) -> Session:
    """Check ``person_id``'s PIN and open a session, with the back-off of wrong PINs.

    ``taking_over_from``: the person who locked the screen; another person's sign-in
    ends that session (signed out in the same transaction, before the sign-in).
    The session returned is what every act of this person is done with.
    """
    person = _person(ws, person_id)
    _check_current_pin(ws, person_id, pin)
    if taking_over_from is None:  # whoever is behind the lock is signed out by another's sign-in
        taking_over_from = next((p for p in ws.sessions.locked() if p != person_id), None)
    with transaction(ws.db):
        _take_over(ws, person_id, taking_over_from)
        ws.audit.append(person_id, "session.sign_in", person_id, how=SignedInBy(how).value)
    if taking_over_from is not None and taking_over_from != person_id:
        ws.sessions._end_person(taking_over_from)
    return ws.sessions._issue(person, _now(ws), how)


def record_unlock(ws: Workspace, person_id: str, *, how: SignedInBy = SignedInBy.PIN) -> Session:
    """Audit the sign-in that unlocked the folder and open its session.

    The PIN was checked by the custody: the keys ``ws`` was opened with are that
    person's (``ws.keys.person_id``); nobody else's session can come of them.
    """
    if ws.keys.person_id != person_id:
        raise CustodyError("解锁数据目录的人员与登录人员不一致。", "The person who unlocked the folder is not the "
                           "one signing in.")
    person = _person(ws, person_id)
    with transaction(ws.db):
        ws.audit.append(person_id, "session.sign_in", person_id, how=SignedInBy(how).value)
    return ws.sessions._issue(person, _now(ws), how)


def pin_must_change(ws: Workspace, person_id: str) -> bool:
    """True when the person's PIN predates the rules (shorter than the minimum) and must change."""
    return _custody(ws).pin_must_change(person_id)


def change_pin(ws: Workspace, person_id: str, current: str, new: str, confirm: str) -> None:
    """A signed-in person changes their own PIN: the current one first (wrong ones count
    towards the same back-off as at sign-in), then the new one typed twice."""
    _person(ws, person_id)
    check_new_pin(new, confirm)
    _check_current_pin(ws, person_id, current)
    _custody(ws).set_pin(ws.keys, person_id, new, confirm, by=person_id, now=_now(ws))
    with transaction(ws.db):
        ws.audit.append(person_id, "session.pin_changed", person_id)


def _check_current_pin(ws: Workspace, person_id: str, pin: str) -> None:
    """Raise unless ``pin`` is the person's PIN; a wrong one is counted, backs off and is audited."""
    from app.unlock import flush_gate

    custody = _custody(ws)
    try:
        custody.check_pin(ws.keys, person_id, pin, now=_now(ws))
    finally:
        flush_gate(ws)


def record_session(ws: Workspace, person_id: str, action: str) -> None:
    """Audit a session event the UI sees: ``sign_out``, ``lock``, ``unlock``.

    A lock makes the person's session unusable at once, before the entry is written (a
    disk that cannot write must not leave it usable); their PIN makes it usable again.
    """
    if action == "lock":
        ws.sessions.lock(person_id)
    with transaction(ws.db):
        ws.audit.append(person_id, f"session.{action}", person_id)
    if action == "sign_out":
        ws.sessions._end_person(person_id)


def idle_lock_minutes(ws: Workspace) -> int:
    """Minutes without input before the screen locks (setting, default 5)."""
    value = ws.settings.get(IDLE_LOCK_SETTING)
    minutes = int(value) if value and value.isdecimal() and int(value) > 0 else DEFAULT_IDLE_LOCK_MINUTES
    return min(minutes, MAX_IDLE_LOCK_MINUTES)  # a screen left open longer than a shift is no lock at all


def _person(ws: Workspace, person_id: str) -> Officer:
    person = ws.officers.get(person_id)
    if person is None:
        raise UnknownPerson(person_id)
    return person


def _now(ws: Workspace) -> datetime:
    return ws.clock().replace(microsecond=0)


def _role_zh(person: Officer | None) -> str:
    return {StaffRole.OFFICER: "执法人员", StaffRole.AUXILIARY: "执法辅助人员",
            StaffRole.TEAM_LEADER: "带队/审核人员", StaffRole.ADMINISTRATOR: "设备管理员"}[person.role] if person else "—"


def _role_en(person: Officer | None) -> str:
    return {StaffRole.OFFICER: "officer", StaffRole.AUXILIARY: "auxiliary staff", StaffRole.TEAM_LEADER: "team leader",
            StaffRole.ADMINISTRATOR: "device administrator"}[person.role] if person else "—"
