"""Sign-in with PINs, the persisted back-off, and the role boundaries (R1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import access, audit, demo
from app.clock import CHINA_TZ
from app.access import Permission, PinInvalid, PinMismatch, PinRequired, PinWrong, RoleRefused, SignInLocked
from app.crypto import pin_matches
from app.domain import CheckResultValue, SignerRole, StaffRole
from app.onsite.rules import EntryRefused
from app.onsite.service import OnsiteService
from app.workspace import Workspace
from local_db.access_repository import PinRepository
from local_db.database import transaction
from tests.database_key import TEST_DB_KEY

TASK = "JC-2026-1101"  # O01 + O02, assistant A01
DEMO_NOW = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)


class Clock:
    """A clock the test moves by hand: the back-off is tested without sleeping."""

    def __init__(self) -> None:
        self.now = DEMO_NOW

    def __call__(self):
        return self.now


@pytest.fixture
def clocked(tmp_path: Path):
    clock = Clock()
    ws = Workspace.open(tmp_path / "d", db_key=TEST_DB_KEY, create=True, clock=clock)
    demo.seed(ws)
    yield ws, clock
    ws.close()


def _actions(ws: Workspace) -> list[str]:
    return [e.action for e in ws.audit.repo.entries()]


def test_demo_pins_are_salted_scrypt_hashes_and_sign_in(demo_workspace: Workspace) -> None:
    stored = PinRepository(demo_workspace.db).get("L01")
    assert stored.startswith("scrypt$") and "2001" not in stored
    assert pin_matches("2001", stored) and not pin_matches("2002", stored)
    other = PinRepository(demo_workspace.db).get("O01")
    assert stored.split("$")[4] != other.split("$")[4]  # each PIN has its own salt
    leader = access.sign_in(demo_workspace, "L01", "2001")
    assert leader.role is StaffRole.TEAM_LEADER
    assert _actions(demo_workspace)[-1] == "session.sign_in"


def test_wrong_pins_back_off_growing_and_survive_a_restart(clocked, tmp_path: Path) -> None:
    ws, clock = clocked
    for _ in range(access.FREE_ATTEMPTS):  # three free tries, as the README says
        with pytest.raises(PinWrong) as wrong:
            access.sign_in(ws, "O01", "0000")
        assert wrong.value.locked_for is None
    with pytest.raises(PinWrong) as wrong:
        access.sign_in(ws, "O01", "0000")
    assert wrong.value.locked_for == timedelta(seconds=30)
    # even the right PIN is not tried while locked
    with pytest.raises(SignInLocked) as locked:
        access.sign_in(ws, "O01", "1001")
    assert locked.value.remaining == timedelta(seconds=30) and "30 秒" in locked.value.zh
    ws.close()
    reopened = Workspace.open(tmp_path / "d", db_key=TEST_DB_KEY, clock=clock)  # an application restart does not reset it
    with pytest.raises(SignInLocked):
        access.sign_in(reopened, "O01", "1001")
    clock.now += timedelta(seconds=31)
    with pytest.raises(PinWrong) as wrong:
        access.sign_in(reopened, "O01", "9999")
    assert wrong.value.locked_for == timedelta(seconds=60)  # the wait doubles
    clock.now += timedelta(seconds=61)
    assert access.sign_in(reopened, "O01", "1001").id == "O01"
    clock.now += timedelta(seconds=1)
    with pytest.raises(PinWrong) as wrong:  # a good sign-in starts the count again
        access.sign_in(reopened, "O01", "0000")
    assert wrong.value.locked_for is None
    actions = _actions(reopened)
    assert actions.count("session.pin_failed") == 6 and actions.count("session.sign_in_refused") == 2
    assert audit.verify(reopened.db) == []
    reopened.close()


def test_backoff_is_capped() -> None:
    assert access.backoff(access.FREE_ATTEMPTS) is None
    assert access.backoff(access.FREE_ATTEMPTS + 1) == access.BACKOFF_FIRST
    assert access.backoff(50) == access.BACKOFF_MAX


def test_a_person_without_a_pin_sets_one_confirmed_twice(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert not access.has_pin(ws, "O03")
    with pytest.raises(PinRequired):
        access.sign_in(ws, "O03", "1234")
    for pin, confirm, error in [("12", "12", PinInvalid), ("12a4", "12a4", PinInvalid),
                                ("１２３４", "１２３４", PinInvalid), ("1234", "1243", PinMismatch)]:
        with pytest.raises(error) as err:
            access.set_first_pin(ws, "O03", pin, confirm)
        assert err.value.zh and err.value.en and "Nothing was saved" in err.value.en
        assert not access.has_pin(ws, "O03")
    assert access.set_first_pin(ws, "O03", "4321", "4321").id == "O03"
    assert _actions(ws)[-2:] == ["session.pin_set", "session.sign_in"]
    with pytest.raises(access.PinAlreadySet):
        access.set_first_pin(ws, "O03", "9999", "9999")
    assert access.sign_in(ws, "O03", "4321").id == "O03"


def test_unknown_person_is_refused(demo_workspace: Workspace) -> None:
    with pytest.raises(access.UnknownPerson) as err:
        access.sign_in(demo_workspace, "X99", "1234")
    assert "X99" in err.value.zh and "X99" in err.value.en


def test_R1_roles_grant_what_each_may_do(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    aux, officer, leader = ws.officers.get("A01"), ws.officers.get("O01"), ws.officers.get("L01")
    assert access.can(aux, Permission.CAPTURE)
    for p in (Permission.START_INSPECTION, Permission.SIGN_AS_OFFICER, Permission.REVIEW, Permission.READ_AUDIT):
        assert not access.can(aux, p)
        with pytest.raises(RoleRefused) as err:
            access.require(aux, p)
        assert "【R1】" in err.value.zh and "行政处罚法》第四十二条" in err.value.zh and "Art. 42" in err.value.en
    assert access.can(officer, Permission.START_INSPECTION) and not access.can(officer, Permission.REVIEW)
    with pytest.raises(RoleRefused):
        access.require(officer, Permission.READ_AUDIT)
    assert all(access.can(leader, p) for p in Permission)
    assert not access.can(None, Permission.CAPTURE)


def test_R1_auxiliary_staff_assist_but_cannot_start_or_sign_as_officer(demo_workspace: Workspace) -> None:
    onsite = OnsiteService(demo_workspace)
    with pytest.raises(EntryRefused) as err:
        onsite.begin(TASK, actor="A01")
    assert err.value.rule == "R1"
    onsite.begin(TASK, actor="O01", recorder_id="A01")
    for officer in ("O01", "O02"):
        onsite.show_certificate(TASK, officer, actor="O01")
    onsite.ask_recusal(TASK, requested=False, actor="O01")
    # filling in an item is assisting: allowed
    onsite.record_result(TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor="A01")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 80
    with pytest.raises(EntryRefused):
        onsite.sign(TASK, role=SignerRole.OFFICER, signer_name="赵磊", signer_ref="A01", image_png=png, actor="A01")


def test_idle_lock_minutes_setting(demo_workspace: Workspace) -> None:
    assert access.idle_lock_minutes(demo_workspace) == access.DEFAULT_IDLE_LOCK_MINUTES
    demo_workspace.settings.set(access.IDLE_LOCK_SETTING, "2")
    assert access.idle_lock_minutes(demo_workspace) == 2
    demo_workspace.settings.set(access.IDLE_LOCK_SETTING, "zero")
    assert access.idle_lock_minutes(demo_workspace) == access.DEFAULT_IDLE_LOCK_MINUTES


def test_a_switch_of_user_ends_the_locked_session_before_the_new_one_begins(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    access.sign_in(ws, "O01", "1001")
    access.record_session(ws, "O01", "lock")
    with pytest.raises(PinWrong):  # a wrong PIN ends nobody's session
        access.sign_in(ws, "L01", "0000", taking_over_from="O01")
    assert [e.action for e in ws.audit.repo.entries()][-2:] == ["session.lock", "session.pin_failed"]
    access.sign_in(ws, "L01", "2001", taking_over_from="O01")
    tail = list(ws.audit.repo.entries())[-2:]
    assert [(e.actor, e.action) for e in tail] == [("O01", "session.sign_out"), ("L01", "session.sign_in")]
    access.sign_in(ws, "L01", "2001", taking_over_from="L01")  # the same person resumes: nobody signs out
    assert [e.action for e in ws.audit.repo.entries()][-1:] == ["session.sign_in"]
    assert audit.verify(ws.db) == []


def test_a_person_changes_their_own_pin_with_the_current_one(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    with pytest.raises(PinMismatch):
        access.change_pin(ws, "O01", "1001", "424242", "424243")
    with pytest.raises(PinInvalid):
        access.change_pin(ws, "O01", "1001", "12", "12")
    with pytest.raises(PinWrong):  # a wrong current PIN counts like one at sign-in
        access.change_pin(ws, "O01", "9999", "424242", "424242")
    assert [e.action for e in ws.audit.repo.entries()][-1] == "session.pin_failed"
    access.change_pin(ws, "O01", "1001", "424242", "424242")
    assert [e.action for e in ws.audit.repo.entries()][-1] == "session.pin_changed"
    with pytest.raises(PinWrong):
        access.sign_in(ws, "O01", "1001")
    assert access.sign_in(ws, "O01", "424242").id == "O01"
    assert audit.verify(ws.db) == []


def test_changing_a_pin_is_refused_while_wrong_pins_back_off(clocked) -> None:
    ws, _clock = clocked
    for _ in range(access.FREE_ATTEMPTS + 1):
        with pytest.raises(PinWrong):
            access.change_pin(ws, "O01", "0000", "424242", "424242")
    with pytest.raises(SignInLocked):  # even the right PIN waits out the back-off
        access.change_pin(ws, "O01", "1001", "424242", "424242")


def test_a_team_leader_without_a_pin_cannot_claim_one_at_the_sign_in_page(demo_workspace: Workspace) -> None:
    """Whoever reached the device (an auxiliary, say) could otherwise become a reviewer."""
    ws = demo_workspace
    with transaction(ws.db):
        ws.db.execute("DELETE FROM staff_pins WHERE officer_id = 'L01'")
    with pytest.raises(access.FirstPinNotAllowed):
        access.set_first_pin(ws, "L01", "777777", "777777")
    assert not access.has_pin(ws, "L01")
    access.issue_pin(ws, "L01", "777777", "777777", by="admin")  # the administrator gives one
    assert access.sign_in(ws, "L01", "777777").id == "L01"
    assert [e.action for e in ws.audit.repo.entries()][-2:] == ["session.pin_set", "session.sign_in"]


def test_the_pin_command_issues_a_pin_read_from_standard_input(demo_workspace: Workspace) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "app.cli", "pin", "O03", "--by", "admin",
                           "--data", str(demo_workspace.folder)], input="246810\n246810\n",
                          capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
    assert access.sign_in(demo_workspace, "O03", "246810").id == "O03"
    wrong = subprocess.run([sys.executable, "-m", "app.cli", "pin", "O03", "--data", str(demo_workspace.folder)],
                           input="246810\n135790\n", capture_output=True, text=True, cwd=root)
    assert wrong.returncode == 2 and "differ" in wrong.stderr
