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
from datetime import datetime

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
from app.domain import Officer, StaffRole
from app.gates.findings import STAFFING
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError

MAX_IDLE_LOCK_MINUTES = 12 * 60
IDLE_LOCK_SETTING = "session.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5


class Permission(enum.StrEnum):
    CAPTURE = "capture"  # take photos and videos, import, fill in check items
    START_INSPECTION = "start_inspection"
    SIGN_AS_OFFICER = "sign_as_officer"
    REVIEW = "review"  # approve, return, mark key evidence
    READ_AUDIT = "read_audit"


_GRANTS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.AUXILIARY: frozenset({Permission.CAPTURE}),
    StaffRole.OFFICER: frozenset({Permission.CAPTURE, Permission.START_INSPECTION, Permission.SIGN_AS_OFFICER}),
    StaffRole.TEAM_LEADER: frozenset(Permission),
}

_WHAT = {
    Permission.CAPTURE: ("采集证据", "capture evidence"),
    Permission.START_INSPECTION: ("开始检查", "start an inspection"),
    Permission.SIGN_AS_OFFICER: ("以执法人员身份签名", "sign as an officer"),
    Permission.REVIEW: ("审核证据和记录", "review evidence and records"),
    Permission.READ_AUDIT: ("查看审计日志", "read the audit log"),
}


class AccessError(UserFacingError):
    """Base of sign-in and role errors."""


class RoleRefused(AccessError):
    """The person's role does not allow the step."""

    def __init__(self, person: Officer | None, permission: Permission) -> None:
        what_zh, what_en = _WHAT[permission]
        who = person.name if person else "未登录"
        if person is not None and person.role is StaffRole.AUXILIARY:
            super().__init__(
                f"{who}是执法辅助人员，不能{what_zh}；辅助人员可以协助（拍照、填写检查项），不能独立执法。"
                f"依据：{STAFFING.zh}",
                f"{person.id} is auxiliary staff and cannot {what_en}; auxiliary staff assist "
                f"(photos, check items) but never act as officers. Source: {STAFFING.en}.")
        else:
            super().__init__(f"{who}（{_role_zh(person)}）无权{what_zh}，只有带队/审核人员可以。",
                             f"{person.id if person else 'Nobody signed in'} ({_role_en(person)}) may not "
                             f"{what_en}; only a team leader may.")
        self.permission = permission


















def can(person: Officer | None, permission: Permission) -> bool:
    """True when ``person``'s role allows ``permission``."""
    return person is not None and permission in _GRANTS[person.role]


def require(person: Officer | None, permission: Permission) -> None:
    """Raise :class:`RoleRefused` unless ``person``'s role allows ``permission``."""
    if not can(person, permission):
        raise RoleRefused(person, permission)


def require_id(ws: Workspace, person_id: str, permission: Permission) -> Officer:
    """The roster person ``person_id``, checked for ``permission``."""
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


def issue_pin(ws: Workspace, person_id: str, pin: str, confirm: str, *, by: str) -> None:
    """An administrator gives a person a (new) PIN on the device; the back-off starts afresh."""
    check_new_pin(pin, confirm)
    seed_pin(ws, person_id, pin, actor=by)


def seed_pin(ws: Workspace, person_id: str, pin: str, *, actor: str = "system", **detail: object) -> None:
    """Give a person a PIN (demo data and administrators): a copy of the master key under it; audited."""
    _person(ws, person_id)
    custody = _custody(ws)
    custody.refresh_people(ws.officers.all())
    custody.set_pin(ws.keys, person_id, pin, pin, by=actor, now=_now(ws), check=False)
    with transaction(ws.db):
        ws.audit.append(actor, "session.pin_set", person_id, **detail)


def sign_in(ws: Workspace, person_id: str, pin: str, *, taking_over_from: str | None = None) -> Officer:
    """Check ``person_id``'s PIN and open a session, with the back-off of wrong PINs.

    ``taking_over_from``: the person who locked the screen; another person's sign-in
    ends that session (signed out in the same transaction, before the sign-in).
    """
    person = _person(ws, person_id)
    _check_current_pin(ws, person_id, pin)
    with transaction(ws.db):
        _take_over(ws, person_id, taking_over_from)
        ws.audit.append(person_id, "session.sign_in", person_id)
    return person


def record_unlock(ws: Workspace, person_id: str) -> None:
    """Audit the sign-in that unlocked the folder (the PIN was checked by the custody)."""
    with transaction(ws.db):
        ws.audit.append(person_id, "session.sign_in", person_id)


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
    """Audit a session event the UI sees: ``sign_out``, ``lock``, ``unlock``."""
    with transaction(ws.db):
        ws.audit.append(person_id, f"session.{action}", person_id)


def idle_lock_minutes(ws: Workspace) -> int:
    """Minutes without input before the screen locks (setting, default 5)."""
    value = ws.settings.get(IDLE_LOCK_SETTING)
    minutes = int(value) if value and value.isdigit() and int(value) > 0 else DEFAULT_IDLE_LOCK_MINUTES
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
            StaffRole.TEAM_LEADER: "带队/审核人员"}[person.role] if person else "—"


def _role_en(person: Officer | None) -> str:
    return person.role.value if person else "—"
