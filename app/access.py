"""Who may sign in and what each role may do.

Sign-in is by roster person and PIN. PINs are stored only as salted scrypt
hashes (``app.crypto.hash_pin``). After :data:`FREE_ATTEMPTS` wrong PINs in a
row every further wrong PIN locks that person's sign-in for a growing wait
(:func:`backoff`); the count and the lock are kept in the database, so closing
and reopening the application does not reset them. Every sign-in, refused
sign-in, wrong PIN, PIN set, sign-out and lock goes to the audit log.

Roles (DOMAIN.md, 'Who uses'): auxiliary staff assist — they may take photos and
fill in items — but never start an inspection, sign as an officer or approve
(R1); team leaders are officers who also review and read the audit log. The
services enforce these limits through :func:`require`; the UI only hides what
they would refuse.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from app.crypto import hash_pin, pin_matches
from app.domain import Officer, StaffRole
from app.gates.findings import STAFFING
from app.workspace import Workspace
from local_db.access_repository import PinRepository, SignInAttemptRepository
from local_db.database import transaction
from local_db.errors import UserFacingError

PIN_MIN, PIN_MAX = 4, 8
MAX_IDLE_LOCK_MINUTES = 12 * 60
FREE_ATTEMPTS = 3  # wrong PINs allowed before the first wait: the fourth waits 30 s
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
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
                f"【R1】{who}是执法辅助人员，不能{what_zh}；辅助人员可以协助（拍照、填写检查项），不能独立执法。"
                f"依据：{STAFFING.zh}",
                f"[R1] {person.id} is auxiliary staff and cannot {what_en}; auxiliary staff assist "
                f"(photos, check items) but never act as officers. Source: {STAFFING.en}.")
        else:
            super().__init__(f"{who}（{_role_zh(person)}）无权{what_zh}，只有带队/审核人员可以。",
                             f"{person.id if person else 'Nobody signed in'} ({_role_en(person)}) may not "
                             f"{what_en}; only a team leader may.")
        self.permission = permission


class PinInvalid(AccessError):
    def __init__(self) -> None:
        super().__init__(f"PIN 须为 {PIN_MIN}–{PIN_MAX} 位数字。未保存。",
                         f"A PIN is {PIN_MIN} to {PIN_MAX} digits. Nothing was saved.")


class PinMismatch(AccessError):
    def __init__(self) -> None:
        super().__init__("两次输入的 PIN 不一致。未保存，请重新输入。",
                         "The two PINs differ. Nothing was saved; enter it again.")


class PinAlreadySet(AccessError):
    def __init__(self, officer_id: str) -> None:
        super().__init__(f"{officer_id} 已设置 PIN，请用原 PIN 登录。",
                         f"{officer_id} already has a PIN; sign in with it.")


class FirstPinNotAllowed(AccessError):
    def __init__(self, officer_id: str) -> None:
        super().__init__(f"{officer_id} 为带队/审核人员，首个 PIN 须由管理员在本机设置（fieldinspect pin {officer_id}），"
                         "不能在登录页自行设置。",
                         f"{officer_id} is a team leader: their first PIN is set by an administrator on this "
                         f"device (fieldinspect pin {officer_id}), not on the sign-in page.")


class PinRequired(AccessError):
    def __init__(self, officer_id: str) -> None:
        super().__init__(f"{officer_id} 尚未设置 PIN，请先设置（输入两次）。",
                         f"{officer_id} has no PIN yet; set one first (entered twice).")


class UnknownPerson(AccessError):
    def __init__(self, officer_id: str) -> None:
        super().__init__(f"人员名册中没有 {officer_id}。", f"{officer_id} is not on the roster.")


class PinWrong(AccessError):
    def __init__(self, locked_for: timedelta | None) -> None:
        if locked_for is None:
            super().__init__("PIN 不正确。", "Wrong PIN.")
        else:
            super().__init__(f"PIN 不正确。请 {_duration_zh(locked_for)}后再试。",
                             f"Wrong PIN. Try again in {_duration_en(locked_for)}.")
        self.locked_for = locked_for


class SignInLocked(AccessError):
    """Too many wrong PINs: this person cannot try again before ``until``."""

    def __init__(self, until: datetime, remaining: timedelta) -> None:
        super().__init__(f"PIN 错误次数过多，请 {_duration_zh(remaining)}后再试（{until:%H:%M:%S}）。",
                         f"Too many wrong PINs; try again in {_duration_en(remaining)} ({until:%H:%M:%S}).")
        self.until = until
        self.remaining = remaining


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


def backoff(failures: int) -> timedelta | None:
    """The wait after ``failures`` wrong PINs in a row: none at first, then doubling to a cap."""
    if failures <= FREE_ATTEMPTS:
        return None
    doublings = min(failures - FREE_ATTEMPTS - 1, 20)  # 30 s · 2**20 is far past the cap already
    return min(BACKOFF_FIRST * (2 ** doublings), BACKOFF_MAX)


def has_pin(ws: Workspace, person_id: str) -> bool:
    return PinRepository(ws.db).get(person_id) is not None


def _take_over(ws: Workspace, person_id: str, previous: str | None) -> None:
    """Inside the sign-in transaction: the person whose locked session this sign-in ends
    is signed out first, so the log reads in the order things happened."""
    if previous is not None and previous != person_id:
        ws.audit.append(previous, "session.sign_out", previous, taken_over_by=person_id)


def set_first_pin(ws: Workspace, person_id: str, pin: str, confirm: str, *,
                  taking_over_from: str | None = None) -> Officer:
    """A person without a PIN sets one, typed twice; it signs them in.

    Not a team leader: whoever reached the device could otherwise claim a leader who has
    no PIN yet and review and approve in their name. Their first PIN is issued
    (:func:`issue_pin`).
    """
    person = _person(ws, person_id)
    pins = PinRepository(ws.db)
    if pins.get(person_id) is not None:
        raise PinAlreadySet(person_id)
    if person.role is StaffRole.TEAM_LEADER:
        raise FirstPinNotAllowed(person_id)
    _check_pin(pin)
    if pin != confirm:
        raise PinMismatch()
    stored = hash_pin(pin)
    with transaction(ws.db):
        pins.set(person_id, stored, _now(ws))
        _take_over(ws, person_id, taking_over_from)
        ws.audit.append(person_id, "session.pin_set", person_id)
        ws.audit.append(person_id, "session.sign_in", person_id, first_pin=True)
    return person


def issue_pin(ws: Workspace, person_id: str, pin: str, confirm: str, *, by: str) -> None:
    """An administrator gives a person a (new) PIN on the device; the back-off starts afresh."""
    _check_pin(pin)
    if pin != confirm:
        raise PinMismatch()
    with transaction(ws.db):
        seed_pin(ws, person_id, pin, actor=by)
        SignInAttemptRepository(ws.db).set(person_id, 0, None)


def seed_pin(ws: Workspace, person_id: str, pin: str, *, actor: str = "system") -> None:
    """Give a person a PIN (demo data and administrators); audited, inside the caller's transaction."""
    _person(ws, person_id)
    _check_pin(pin)
    PinRepository(ws.db).set(person_id, hash_pin(pin), _now(ws))
    ws.audit.append(actor, "session.pin_set", person_id)


def sign_in(ws: Workspace, person_id: str, pin: str, *, taking_over_from: str | None = None) -> Officer:
    """Check ``person_id``'s PIN and open a session, with the back-off of wrong PINs.

    ``taking_over_from``: the person who locked the screen; another person's sign-in
    ends that session (signed out in the same transaction, before the sign-in).
    """
    person = _person(ws, person_id)
    _check_current_pin(ws, person_id, pin)
    with transaction(ws.db):
        SignInAttemptRepository(ws.db).set(person_id, 0, None)
        _take_over(ws, person_id, taking_over_from)
        ws.audit.append(person_id, "session.sign_in", person_id)
    return person


def change_pin(ws: Workspace, person_id: str, current: str, new: str, confirm: str) -> None:
    """A signed-in person changes their own PIN: the current one first (wrong ones count
    towards the same back-off as at sign-in), then the new one typed twice."""
    _person(ws, person_id)
    _check_pin(new)
    if new != confirm:
        raise PinMismatch()
    _check_current_pin(ws, person_id, current)
    with transaction(ws.db):
        SignInAttemptRepository(ws.db).set(person_id, 0, None)
        PinRepository(ws.db).set(person_id, hash_pin(new), _now(ws))
        ws.audit.append(person_id, "session.pin_changed", person_id)


def _check_current_pin(ws: Workspace, person_id: str, pin: str) -> None:
    """Raise unless ``pin`` is the person's PIN; a wrong one is counted and backs off."""
    stored = PinRepository(ws.db).get(person_id)
    if stored is None:
        raise PinRequired(person_id)
    attempts = SignInAttemptRepository(ws.db)
    now = _now(ws)
    failures, locked_until = attempts.get(person_id)
    if locked_until is not None and now < locked_until:
        with transaction(ws.db):
            ws.audit.append(person_id, "session.sign_in_refused", person_id, reason="locked",
                            until=locked_until.isoformat())
        raise SignInLocked(locked_until, locked_until - now)
    if not pin_matches(pin, stored):
        failures += 1
        wait = backoff(failures)
        with transaction(ws.db):
            attempts.set(person_id, failures, now + wait if wait else None)
            ws.audit.append(person_id, "session.pin_failed", person_id, failures=failures,
                            locked_seconds=int(wait.total_seconds()) if wait else 0)
        raise PinWrong(wait)


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


def _check_pin(pin: str) -> None:
    if not (PIN_MIN <= len(pin) <= PIN_MAX and pin.isascii() and pin.isdigit()):
        raise PinInvalid()


def _now(ws: Workspace) -> datetime:
    return ws.clock().replace(microsecond=0)


def _role_zh(person: Officer | None) -> str:
    return {StaffRole.OFFICER: "执法人员", StaffRole.AUXILIARY: "执法辅助人员",
            StaffRole.TEAM_LEADER: "带队/审核人员"}[person.role] if person else "—"


def _role_en(person: Officer | None) -> str:
    return person.role.value if person else "—"


def _duration_zh(d: timedelta) -> str:
    s = max(1, int(d.total_seconds() + 0.999))
    return f"{s} 秒" if s < 120 else f"{(s + 59) // 60} 分钟"


def _duration_en(d: timedelta) -> str:
    s = max(1, int(d.total_seconds() + 0.999))
    return f"{s} s" if s < 120 else f"{(s + 59) // 60} min"
