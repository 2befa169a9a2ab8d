"""The start gates run through the workspace service against the demo data set.

The demo is seeded unshifted at DEMO_NOW (Monday 2026-11-23 08:30), so the
dates in resources/demo/inspections.json and resources/reference/demo.json hold.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.gates.service import StartBlocked
from keys_kit import as_
import pytest

from app.audit import verify
from app.clock import CHINA_TZ
from app.gates import (
    Finding,
    Override,
    OverrideRefused,
    Severity,
    StartDataMissing,
    authorize_start,
    check_start,
    load_start_context,
)
from app.workspace import Workspace

APPROVAL = Override("R7", "群众投诉油烟，需在本季度复查", "清西执审〔2026〕8号", "周敏")
NOTICE_1105_ITEMS = ("SR-001", "SR-002", "HW-001")  # all announced by YG-2026-044


def _codes(found: list[Finding], severity: Severity = Severity.BLOCK) -> set[str]:
    return {f.code for f in found if f.severity is severity}


def _overrides_logged(ws: Workspace) -> list:
    return [e for e in ws.audit.repo.entries() if e.action == "gate.override"]


def test_R7_demo_S06_second_inspection_in_quarter_blocks(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1105", item_codes=NOTICE_1105_ITEMS)
    r7 = [f for f in found if f.code == "R7.white_list_quarter"]
    assert len(r7) == 1 and r7[0].related == ("JC-2026-1020",)
    assert _codes(found) == {"R7.white_list_quarter"}


def test_R7_demo_S06_inspection_in_next_quarter_is_allowed(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1105", item_codes=NOTICE_1105_ITEMS,
                        now=datetime(2027, 1, 5, 9, 0, tzinfo=CHINA_TZ))
    assert "R7.white_list_quarter" not in _codes(found)


def test_R7_demo_approval_override_is_written_to_audit_log(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    decision = authorize_start(ws, "JC-2026-1105", [APPROVAL], actor=as_(ws, "O02"), item_codes=NOTICE_1105_ITEMS)
    assert decision.allowed and decision.accepted == (APPROVAL,)
    [entry] = _overrides_logged(ws)
    assert entry.actor == "O02" and entry.target == "JC-2026-1105"
    assert entry.detail == {"rule": "R7", "reason": APPROVAL.reason, "reference": APPROVAL.reference,
                            "approved_by": "周敏", "lifted": ["R7.white_list_quarter"]}
    assert verify(ws.db) == []


def test_R7_demo_override_with_empty_reason_is_refused_and_only_the_refusal_logged(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    who = as_(ws, "O02")
    before = len(list(ws.audit.repo.entries()))
    with pytest.raises(OverrideRefused):
        authorize_start(ws, "JC-2026-1105", [Override("R7", " ", "清西执审〔2026〕8号", "周敏")],
                        actor=who, item_codes=NOTICE_1105_ITEMS)
    [refusal] = list(ws.audit.repo.entries())[before:]
    assert (refusal.actor, refusal.action, refusal.detail["rule"]) == ("O02", "refused", "R7")


def test_R7_demo_override_is_not_logged_while_other_blocks_remain(demo_workspace: Workspace) -> None:
    # DQ-001 is in the plan but YG-2026-044 did not announce it: R5 still blocks.
    with pytest.raises(StartBlocked) as err:
        authorize_start(demo_workspace, "JC-2026-1105", [APPROVAL], actor=as_(demo_workspace, "O02"),
                        item_codes=(*NOTICE_1105_ITEMS, "DQ-001"))
    assert {f.code for f in err.value.decision.blocking} == {"R5.items_not_announced"}
    assert _overrides_logged(demo_workspace) == []
    assert list(demo_workspace.audit.repo.entries())[-1].action == "refused"  # the refusal is on the record


def test_R7_demo_S13_open_tasks_are_proposed_for_merging(demo_workspace: Workspace) -> None:
    for this, other in (("JC-2026-1106", "JC-2026-1108"), ("JC-2026-1108", "JC-2026-1106")):
        merge = [f for f in check_start(demo_workspace, this) if f.code == "R7.merge"]
        assert [f.related for f in merge] == [(other,)]


def test_R4_demo_unfiled_plan_blocks_JC_2026_1104(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1104")
    assert "R4.plan_not_filed" in _codes(found)
    with pytest.raises(OverrideRefused):
        authorize_start(demo_workspace, "JC-2026-1104", [Override("R4", "急需", "某号", "周敏")], actor=as_(demo_workspace, "O03"))


def test_R5_demo_notice_period_of_JC_2026_1102_has_not_ended(demo_workspace: Workspace) -> None:
    # YG-2026-042 published Saturday 11-21: Sun, Mon, Tue; the period ends Wednesday 11-25 00:00.
    announced = ("SR-001", "HW-001", "DQ-001")
    end = datetime(2026, 11, 25, 0, 0, tzinfo=CHINA_TZ)
    assert "R5.period_running" in _codes(check_start(demo_workspace, "JC-2026-1102", item_codes=announced))
    assert "R5.period_running" in _codes(check_start(demo_workspace, "JC-2026-1102", item_codes=announced,
                                                     now=end - timedelta(seconds=1)))
    assert _codes(check_start(demo_workspace, "JC-2026-1102", item_codes=announced, now=end)) == set()


def test_R1_demo_auxiliary_as_second_person_in_JC_2026_1106(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1106")
    aux = [f for f in found if f.code == "R1.auxiliary"]
    assert len(aux) == 1 and aux[0].related == ("A01",) and "赵磊" in aux[0].zh
    assert "R1.too_few" in _codes(found)


def test_R1_demo_revoked_officer_in_JC_2026_1107(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1107")
    assert [f.related for f in found if f.code == "R1.revoked"] == [("O05",)]


def test_R1_demo_expired_certificate_in_JC_2026_1104(demo_workspace: Workspace) -> None:
    assert [f.related for f in check_start(demo_workspace, "JC-2026-1104") if f.code == "R1.expired"] == [("O04",)]


@pytest.mark.parametrize("iid", ["JC-2026-1101", "JC-2026-1103"])
def test_R1_R4_R5_R6_R7_demo_tasks_for_today_may_start(demo_workspace: Workspace, iid: str) -> None:
    found = check_start(demo_workspace, iid)
    assert _codes(found) == set()
    assert authorize_start(demo_workspace, iid, actor=as_(demo_workspace, "O01")).allowed


def test_R8_demo_every_inspection_shows_credit_and_every_finding_cites_its_source(
        demo_workspace: Workspace) -> None:
    ids = [o.id for o in demo_workspace.inspections.overview()]
    assert len(ids) == 12
    for iid in ids:
        found = check_start(demo_workspace, iid)
        r8 = [f for f in found if f.rule == "R8"]
        assert len(r8) == 1 and r8[0].severity is Severity.INFO
        subject = demo_workspace.subjects.get(demo_workspace.inspections.get(iid).subject_id)
        assert f"信用等级 {subject.credit_grade.value}" in r8[0].zh
        for f in found:
            assert f.rule and f.rule not in f.zh and f.source in f.zh and f.rule not in f.en


def test_R6_demo_items_default_to_the_template(demo_workspace: Workspace) -> None:
    ctx = load_start_context(demo_workspace, "JC-2026-1101")
    assert ctx.item_codes == ("SR-001", "HW-001", "HW-002", "DQ-001", "RQ-002")  # template T-CY
    ctx = load_start_context(demo_workspace, "JC-2026-1104")
    assert ctx.item_codes == ("DQ-002", "GH-001")  # no template: what YG-2026-043 announced


def test_R6_demo_item_off_the_list_blocks(demo_workspace: Workspace) -> None:
    found = check_start(demo_workspace, "JC-2026-1103", item_codes=("SR-001", "ZZ-404"))
    assert [f.related for f in found if f.code == "R6.unknown"] == [("ZZ-404",)]


def test_unknown_inspection_is_a_user_facing_error(demo_workspace: Workspace) -> None:
    with pytest.raises(StartDataMissing) as info:
        check_start(demo_workspace, "JC-NOPE")
    assert "JC-NOPE" in info.value.zh and "JC-NOPE" in info.value.en
