"""Sign-in with PINs, the persisted back-off, and the role boundaries (R1)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app import access, audit, demo
from app.clock import CHINA_TZ
from app.access import Permission, PinInvalid, PinMismatch, PinRequired, PinWrong, RoleRefused, SignInLocked
from app.domain import CheckResultValue, SignerRole, StaffRole
from app.onsite.rules import EntryRefused
from app.onsite.service import OnsiteService
from app.workspace import Workspace
from local_db.database import transaction
from keys_kit import create_workspace, open_workspace

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
    ws = create_workspace(tmp_path / "d", clock=clock)
    demo.seed(ws)
    yield ws, clock
    ws.close()


def _actions(ws: Workspace) -> list[str]:
    return [e.action for e in ws.audit.repo.entries()]


def test_demo_pins_unwrap_each_persons_copy_of_the_master_key(demo_workspace: Workspace) -> None:
    gate = demo_workspace.custody.gate
    leader, officer = gate.pin_wrap("L01"), gate.pin_wrap("O01")
    assert leader.salt != officer.salt and leader.wrapped != officer.wrapped  # each PIN has its own salt
    assert demo_workspace.keys.master.secret not in leader.wrapped
    leader_person = access.sign_in(demo_workspace, "L01", "200101")
    assert leader_person.role is StaffRole.TEAM_LEADER
    assert _actions(demo_workspace)[-1] == "session.sign_in"
    with pytest.raises(PinWrong):
        access.sign_in(demo_workspace, "L01", "200102")
    assert "staff_pins" not in demo_workspace.db.table_names()  # no PIN hash rests in the main database


def test_wrong_pins_back_off_growing_and_survive_a_restart(clocked, tmp_path: Path) -> None:
    ws, clock = clocked
    for _ in range(access.FREE_ATTEMPTS):  # three free tries, as the README says
        with pytest.raises(PinWrong) as wrong:
            access.sign_in(ws, "O01", "000001")
        assert wrong.value.locked_for is None
    with pytest.raises(PinWrong) as wrong:
        access.sign_in(ws, "O01", "000001")
    assert wrong.value.locked_for == timedelta(seconds=30)
    # even the right PIN is not tried while locked
    with pytest.raises(SignInLocked) as locked:
        access.sign_in(ws, "O01", "100101")
    assert locked.value.remaining == timedelta(seconds=30) and "30 秒" in locked.value.zh
    ws.close()
    reopened = open_workspace(tmp_path / "d", clock=clock)  # an application restart does not reset it
    with pytest.raises(SignInLocked):
        access.sign_in(reopened, "O01", "100101")
    clock.now += timedelta(seconds=31)
    with pytest.raises(PinWrong) as wrong:
        access.sign_in(reopened, "O01", "999990")
    assert wrong.value.locked_for == timedelta(seconds=60)  # the wait doubles
    clock.now += timedelta(seconds=61)
    assert access.sign_in(reopened, "O01", "100101").id == "O01"
    clock.now += timedelta(seconds=1)
    with pytest.raises(PinWrong) as wrong:  # a good sign-in starts the count again
        access.sign_in(reopened, "O01", "000001")
    assert wrong.value.locked_for is None
    actions = _actions(reopened)
    assert actions.count("session.pin_failed") == 6 and actions.count("session.sign_in_refused") == 2
    assert audit.verify(reopened.db) == []
    reopened.close()


def test_backoff_is_capped() -> None:
    assert access.backoff(access.FREE_ATTEMPTS) is None
    assert access.backoff(access.FREE_ATTEMPTS + 1) == access.BACKOFF_FIRST
    assert access.backoff(50) == access.BACKOFF_MAX


def test_a_person_without_a_pin_is_issued_one_and_trivial_or_short_pins_are_refused(
        demo_workspace: Workspace) -> None:
    ws = demo_workspace
    assert not access.has_pin(ws, "O03")
    with pytest.raises(PinRequired) as err:
        access.sign_in(ws, "O03", "123456")
    assert "管理员" in err.value.zh
    for pin, confirm, error in [("1234", "1234", PinInvalid), ("12a456", "12a456", PinInvalid),
                                ("１２３４５６", "１２３４５６", PinInvalid), ("000000", "000000", access.PinTrivial),
                                ("123456", "123456", access.PinTrivial), ("987654", "987654", access.PinTrivial),
                                ("121212", "121212", access.PinTrivial), ("890123", "890123", access.PinTrivial),
                                ("583920", "583921", PinMismatch)]:
        with pytest.raises(error) as err:
            access.issue_pin(ws, "O03", pin, confirm, by="L01")
        assert err.value.zh and err.value.en and "Nothing was saved" in err.value.en
        assert not access.has_pin(ws, "O03")
    access.issue_pin(ws, "O03", "583920", "583920", by="L01")
    assert access.sign_in(ws, "O03", "583920").id == "O03"
    assert _actions(ws)[-2:] == ["session.pin_set", "session.sign_in"]


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
        assert "R1" not in err.value.zh and "辅助人员" in err.value.zh and "行政处罚法》第四十二条" in err.value.zh and "Art. 42" in err.value.en
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
    access.sign_in(ws, "O01", "100101")
    access.record_session(ws, "O01", "lock")
    with pytest.raises(PinWrong):  # a wrong PIN ends nobody's session
        access.sign_in(ws, "L01", "000001", taking_over_from="O01")
    assert [e.action for e in ws.audit.repo.entries()][-2:] == ["session.lock", "session.pin_failed"]
    access.sign_in(ws, "L01", "200101", taking_over_from="O01")
    tail = list(ws.audit.repo.entries())[-2:]
    assert [(e.actor, e.action) for e in tail] == [("O01", "session.sign_out"), ("L01", "session.sign_in")]
    access.sign_in(ws, "L01", "200101", taking_over_from="L01")  # the same person resumes: nobody signs out
    assert [e.action for e in ws.audit.repo.entries()][-1:] == ["session.sign_in"]
    assert audit.verify(ws.db) == []


def test_a_person_changes_their_own_pin_with_the_current_one(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    with pytest.raises(PinMismatch):
        access.change_pin(ws, "O01", "100101", "472913", "472914")
    with pytest.raises(PinInvalid):
        access.change_pin(ws, "O01", "100101", "12", "12")
    with pytest.raises(PinWrong):  # a wrong current PIN counts like one at sign-in
        access.change_pin(ws, "O01", "999990", "472913", "472913")
    assert [e.action for e in ws.audit.repo.entries()][-1] == "session.pin_failed"
    access.change_pin(ws, "O01", "100101", "472913", "472913")
    assert [e.action for e in ws.audit.repo.entries()][-1] == "session.pin_changed"
    with pytest.raises(PinWrong):
        access.sign_in(ws, "O01", "100101")
    assert access.sign_in(ws, "O01", "472913").id == "O01"
    assert audit.verify(ws.db) == []


def test_changing_a_pin_is_refused_while_wrong_pins_back_off(clocked) -> None:
    ws, _clock = clocked
    for _ in range(access.FREE_ATTEMPTS + 1):
        with pytest.raises(PinWrong):
            access.change_pin(ws, "O01", "000001", "472913", "472913")
    with pytest.raises(SignInLocked):  # even the right PIN waits out the back-off
        access.change_pin(ws, "O01", "100101", "472913", "472913")


def test_the_pin_command_issues_a_pin_read_from_standard_input(demo_workspace: Workspace) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "FIELDINSPECT_PIN": "200101"}  # the administrator's own PIN
    done = subprocess.run([sys.executable, "-m", "cli", "pin", "O03", "--by", "L01",
                           "--data", str(demo_workspace.folder)], input="246810\n246810\n",
                          capture_output=True, text=True, cwd=root, env=env)
    assert done.returncode == 0, done.stderr
    assert access.sign_in(demo_workspace, "O03", "246810").id == "O03"
    wrong = subprocess.run([sys.executable, "-m", "cli", "pin", "O03", "--by", "L01",
                            "--data", str(demo_workspace.folder)],
                           input="246810\n135790\n", capture_output=True, text=True, cwd=root, env=env)
    assert wrong.returncode == 2 and "differ" in wrong.stderr
    anonymous = subprocess.run([sys.executable, "-m", "cli", "pin", "O03", "--data", str(demo_workspace.folder)],
                               input="246810\n246810\n", capture_output=True, text=True, cwd=root,
                               env={k: v for k, v in env.items() if k != "FIELDINSPECT_OFFICER"})
    assert anonymous.returncode == 2 and "--by" in anonymous.stderr
    unauthenticated = subprocess.run([sys.executable, "-m", "cli", "pin", "O03", "--by", "L01", "--data",
                                      str(demo_workspace.folder)], input="246810\n246810\n", capture_output=True,
                                     text=True, cwd=root, env={**env, "FIELDINSPECT_PIN": "999990"})
    assert unauthenticated.returncode == 2 and "Wrong PIN" in unauthenticated.stderr
