"""The on-site record from start to close: R2, R3, R9, R10, R11, R12, R13, and merging (R7)."""

from __future__ import annotations

from datetime import date, datetime

from app.access import RoleRefused
from keys_kit import as_
import cv2
import numpy as np
import pytest

from app.clock import CHINA_TZ
from app.domain import (
    CheckResultValue,
    FlexibleMeasure,
    InspectionSource,
    InspectionStatus,
    NoPenaltyGround,
    SignerRole,
)
from app.onsite.rules import EntryRefused
from app.onsite.service import ClosingRefused, OnsiteService, OnsiteStateError, StartBlocked
from app.workspace import Workspace
from local_db.database import transaction

TASK = "JC-2026-1101"  # 味之源餐饮店, plan filed, notice period over, O01 + O02, assistant A01, template T-CY


def png(seed: int = 1) -> bytes:
    """A small real PNG, as the signature pad produces."""
    rng = np.random.default_rng(seed)
    image = np.full((60, 200), 255, np.uint8)
    pts = rng.integers(0, [200, 60], size=(8, 2)).astype(np.int32)
    cv2.polylines(image, [pts], False, 0, 2)
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


@pytest.fixture
def onsite(demo_workspace: Workspace) -> OnsiteService:
    return OnsiteService(demo_workspace)


@pytest.fixture
def started(onsite: OnsiteService) -> OnsiteService:
    onsite.begin(TASK, actor=as_(onsite, "O01"))
    return onsite


def opened(onsite: OnsiteService) -> OnsiteService:
    onsite.show_certificate(TASK, "O01", actor=as_(onsite, "O01"))
    onsite.show_certificate(TASK, "O02", actor=as_(onsite, "O01"))
    onsite.ask_recusal(TASK, requested=False, actor=as_(onsite, "O01"))
    return onsite


def test_begin_creates_the_checklist_from_the_template_and_marks_the_task_in_progress(started: OnsiteService) -> None:
    record = started.record(TASK)
    assert [r.item_code for r in record.results] == ["SR-001", "HW-001", "HW-002", "DQ-001", "RQ-002"]
    assert all(r.result is CheckResultValue.NOT_CHECKED for r in record.results)
    assert record.results[0].legal_basis.startswith("《城市市容和环境卫生管理条例》")
    assert started.ws.inspections.get(TASK).status is InspectionStatus.IN_PROGRESS
    last = started.ws.db.execute("SELECT action, target FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    assert tuple(last) == ("inspection.start", TASK)


def test_begin_is_refused_while_a_start_gate_blocks(onsite: OnsiteService) -> None:
    with pytest.raises(StartBlocked) as err:
        onsite.begin("JC-2026-1102", actor=as_(onsite, "O01"))  # R5: the notice period is still running
    assert "预告" in err.value.zh and "R5" not in err.value.zh
    assert onsite.ws.inspections.get("JC-2026-1102").status is InspectionStatus.PLANNED
    assert not onsite.records.exists("JC-2026-1102")


def test_R1_auxiliary_staff_cannot_start_an_inspection(onsite: OnsiteService) -> None:
    with pytest.raises(RoleRefused) as err:
        onsite.begin(TASK, actor=as_(onsite, "A01"))
    assert err.value.rule == "R1"


def test_R2_results_wait_until_every_officer_has_shown_the_certificate(started: OnsiteService) -> None:
    started.show_certificate(TASK, "O01", actor=as_(started, "O01"))
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    assert err.value.rule == "R2" and "O02" in err.value.zh
    record = started.show_certificate(TASK, "O02", actor=as_(started, "O01"))
    assert [(o, c) for o, c, _ in record.certificates_shown] == [
        ("O01", started.ws.officers.get("O01").cert_no), ("O02", started.ws.officers.get("O02").cert_no)]


def test_R2_an_assistant_does_not_show_a_certificate_as_officer(started: OnsiteService) -> None:
    with pytest.raises(EntryRefused) as err:
        started.show_certificate(TASK, "A01", actor=as_(started, "O01"))
    assert err.value.rule == "R2"


def test_R3_recusal_is_asked_after_the_certificates_and_before_any_result(started: OnsiteService) -> None:
    with pytest.raises(EntryRefused) as err:
        started.ask_recusal(TASK, requested=False, actor=as_(started, "O01"))
    assert err.value.rule == "R2"
    started.show_certificate(TASK, "O01", actor=as_(started, "O01"))
    started.show_certificate(TASK, "O02", actor=as_(started, "O01"))
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    assert err.value.rule == "R3"


def test_R3_a_recusal_request_halts_the_record(started: OnsiteService) -> None:
    started.show_certificate(TASK, "O01", actor=as_(started, "O01"))
    started.show_certificate(TASK, "O02", actor=as_(started, "O01"))
    with pytest.raises(EntryRefused):
        started.ask_recusal(TASK, requested=True, statement="", actor=as_(started, "O01"))  # whom and why must be written
    started.ask_recusal(TASK, requested=True, statement="申请执法人员王某回避，理由：系其亲属", actor=as_(started, "O01"))
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    assert err.value.rule == "R3" and "负责人" in err.value.zh
    assert "R3.requested" in [f.code for f in started.closing_findings(TASK)]


def test_R10_a_non_compliant_result_needs_the_problem_found_and_the_advice(started: OnsiteService) -> None:
    opened(started)
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "DQ-001", result=CheckResultValue.NON_COMPLIANT, actor=as_(started, "O01"))
    assert err.value.rule == "R10" and "问题" in err.value.zh
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "DQ-001", result=CheckResultValue.NON_COMPLIANT, finding="油烟超标", actor=as_(started, "O01"))
    assert err.value.rule == "R10" and "整改建议" in err.value.zh


def test_R6_a_result_for_an_item_not_on_the_list_is_refused(started: OnsiteService) -> None:
    opened(started)
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "GH-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    assert err.value.rule == "R6"


@pytest.mark.parametrize("kwargs, fragment", [
    ({"minor": True}, "柔性措施"),
    ({"minor": True, "measures": [FlexibleMeasure.REMINDER],
      "no_penalty_ground": NoPenaltyGround.MINOR_CORRECTED}, "教育"),
    ({"no_penalty_ground": NoPenaltyGround.FIRST_MINOR, "education_given": True}, "轻微"),
])
def test_R11_minor_violations_need_measures_ground_and_education(started: OnsiteService, kwargs: dict,
                                                                 fragment: str) -> None:
    opened(started)
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "SR-001", result=CheckResultValue.NON_COMPLIANT, finding="门前堆放纸箱",
                              rectification_advice="清理门前堆物", actor=as_(started, "O01"), **kwargs)
    assert err.value.rule == "R11" and fragment in err.value.zh
    assert "行政处罚法》第三十三条" in err.value.zh


def test_R11_measures_on_a_compliant_item_are_refused(started: OnsiteService) -> None:
    opened(started)
    with pytest.raises(EntryRefused) as err:
        started.record_result(TASK, "SR-001", result=CheckResultValue.COMPLIANT, minor=True,
                              measures=[FlexibleMeasure.ADVICE], actor=as_(started, "O01"))
    assert err.value.rule == "R11"


def test_R11_a_minor_violation_corrected_on_the_spot_needs_no_order(started: OnsiteService) -> None:
    opened(started)
    started.record_result(TASK, "SR-001", result=CheckResultValue.NON_COMPLIANT, finding="门前堆放纸箱，当场清理",
                          rectification_advice="保持门前责任区整洁",
                          minor=True, measures=[FlexibleMeasure.REMINDER, FlexibleMeasure.GUIDANCE],
                          no_penalty_ground=NoPenaltyGround.MINOR_CORRECTED, education_given=True, actor=as_(started, "O01"))
    record = started.record(TASK)
    assert record.results[0].measures == (FlexibleMeasure.REMINDER, FlexibleMeasure.GUIDANCE)
    assert "R10.no_order" not in [f.code for f in started.closing_findings(TASK)]


def _non_compliant_oil_fumes(onsite: OnsiteService) -> None:
    onsite.record_result(TASK, "DQ-001", result=CheckResultValue.NON_COMPLIANT,
                         finding="油烟净化设施未开启，后厨排烟口可见明显油烟", rectification_advice="立即开启并定期清洗",
                         actor=as_(onsite, "O01"))


def test_R12_a_penalty_names_a_benchmark_clause_of_its_item(started: OnsiteService) -> None:
    opened(started)
    _non_compliant_oil_fumes(started)
    with pytest.raises(EntryRefused) as err:
        started.propose_penalty(TASK, "DQ-001", benchmark_id="SR-001-B2", proposed="罚款5000元", actor=as_(started, "O01"))
    assert err.value.rule == "R12" and "裁量基准" in err.value.zh
    proposal = started.propose_penalty(TASK, "DQ-001", benchmark_id="DQ-001-B1", proposed="罚款5000元", actor=as_(started, "O01"))
    assert started.record(TASK).penalties == (proposal,)


def test_R12_no_penalty_for_a_compliant_item(started: OnsiteService) -> None:
    opened(started)
    started.record_result(TASK, "DQ-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    with pytest.raises(EntryRefused) as err:
        started.propose_penalty(TASK, "DQ-001", benchmark_id="DQ-001-B1", proposed="罚款5000元", actor=as_(started, "O01"))
    assert err.value.rule == "R12"


def test_R12_a_deviation_from_the_benchmark_needs_an_approval_record(started: OnsiteService) -> None:
    opened(started)
    _non_compliant_oil_fumes(started)
    with pytest.raises(EntryRefused) as err:
        started.propose_penalty(TASK, "DQ-001", benchmark_id="DQ-001-B1", proposed="罚款3000元",
                                deviation="当事人系残疾人个体户，经营困难", actor=as_(started, "O01"))
    assert "主要负责人批准或集体讨论" in err.value.zh
    approved = started.propose_penalty(
        TASK, "DQ-001", benchmark_id="DQ-001-B1", proposed="罚款3000元", deviation="当事人系残疾人个体户，经营困难",
        approval_ref="清综执裁调〔2026〕3号", approved_by="局长办公会", approved_at=datetime(2026, 11, 23, 8, 0,
                                                                                  tzinfo=CHINA_TZ), actor=as_(started, "O01"))
    assert approved.approval_ref == "清综执裁调〔2026〕3号"
    # a proposal is withdrawn when the item turns out compliant after all
    started.record_result(TASK, "DQ-001", result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    assert started.record(TASK).penalties == ()


def test_R10_an_order_creates_a_follow_up_task_after_the_deadline(started: OnsiteService) -> None:
    opened(started)
    _non_compliant_oil_fumes(started)
    assert "R10.no_order" in [f.code for f in started.closing_findings(TASK)]
    # Deadline Friday 2026-12-04: the first working day after it is Monday 2026-12-07.
    order = started.issue_order(TASK, deadline=date(2026, 12, 4), actor=as_(started, "O01"))
    follow = started.ws.inspections.get(order.follow_up_id)
    assert order.item_codes == ("DQ-001",)
    assert follow.source is InspectionSource.FOLLOW_UP and follow.source_ref == order.id
    assert follow.scheduled_at == datetime(2026, 12, 7, 9, 0, tzinfo=CHINA_TZ)
    assert follow.officer_ids == ("O01", "O02") and follow.status is InspectionStatus.PLANNED
    assert started.ws.inspections.item_codes(follow.id) == ("DQ-001",)
    assert "R10.no_order" not in [f.code for f in started.closing_findings(TASK)]
    with pytest.raises(OnsiteStateError):
        started.issue_order(TASK, deadline=date(2026, 12, 4), actor=as_(started, "O01"))


def test_R10_R27_a_follow_up_after_a_deadline_before_a_holiday_waits_for_the_next_working_day(
        started: OnsiteService) -> None:
    opened(started)
    _non_compliant_oil_fumes(started)
    # 2026-12-31 (Thursday) is the deadline; 2027-01-01 is New Year's Day, then a weekend.
    # The demo calendar covers 2025–2026 only: a date outside it is refused, not guessed.
    from app.deadlines import CalendarNotCovered
    with pytest.raises(CalendarNotCovered):
        started.issue_order(TASK, deadline=date(2026, 12, 31), actor=as_(started, "O01"))
    order = started.issue_order(TASK, deadline=date(2026, 12, 30), actor=as_(started, "O01"))
    assert started.ws.inspections.get(order.follow_up_id).scheduled_at.date() == date(2026, 12, 31)


def test_R10_the_deadline_must_lie_ahead_and_only_non_compliant_items_are_ordered(started: OnsiteService) -> None:
    opened(started)
    _non_compliant_oil_fumes(started)
    with pytest.raises(EntryRefused):
        started.issue_order(TASK, deadline=date(2026, 11, 23), actor=as_(started, "O01"))
    with pytest.raises(EntryRefused):
        started.issue_order(TASK, deadline=date(2026, 12, 4), item_codes=["SR-001"], actor=as_(started, "O01"))
    with pytest.raises(RoleRefused) as err:
        started.issue_order(TASK, deadline=date(2026, 12, 4), actor=as_(started, "A01"))
    assert err.value.rule == "R1"


def test_R9_signatures_are_png_images_and_officers_sign_for_themselves(started: OnsiteService) -> None:
    with pytest.raises(EntryRefused):
        started.sign(TASK, role=SignerRole.PARTY, signer_name="李四", image_png=b"not a png", actor=as_(started, "O01"))
    with pytest.raises(RoleRefused) as err:
        started.sign(TASK, role=SignerRole.OFFICER, signer_name="辅助", signer_ref="A01", image_png=png(),
                     actor=as_(started, "A01"))
    assert "执法辅助人员" in err.value.zh
    with pytest.raises(EntryRefused) as err:  # an officer signs for himself only
        started.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O02", image_png=png(),
                     actor=as_(started, "O01"))
    assert "不能代O02签名" in err.value.zh
    signature = started.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O01", image_png=png(),
                             actor=as_(started, "O01"))
    assert signature.signer_name == started.ws.officers.get("O01").name
    assert signature.image_png.startswith(b"\x89PNG")
    with pytest.raises(Exception, match="append-only"), transaction(started.ws.db):
        started.ws.db.execute("DELETE FROM signatures WHERE id = ?", [signature.id])


def test_R9_a_refusal_needs_a_reason_and_a_witness_signature(started: OnsiteService) -> None:
    officer_sig = started.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O01", image_png=png(),
                               actor=as_(started, "O01"))
    with pytest.raises(EntryRefused):
        started.record_refusal(TASK, reason="当事人称看不懂，拒绝签字", witness_signature_id=officer_sig.id,
                               actor=as_(started, "O01"))
    witness = started.sign(TASK, role=SignerRole.WITNESS, signer_name="赵见证", signer_ref="330102198001011234",
                           image_png=png(2), actor=as_(started, "O01"))
    with pytest.raises(EntryRefused):
        started.record_refusal(TASK, reason="  ", witness_signature_id=witness.id, actor=as_(started, "O01"))
    record = started.record_refusal(TASK, reason="当事人称看不懂，拒绝签字", witness_signature_id=witness.id,
                                    actor=as_(started, "O01"))
    assert record.refusals[0].witness_signature_id == witness.id
    assert "R9.party" not in [f.code for f in started.closing_findings(TASK)]


def test_R9_party_absent_needs_a_witness(started: OnsiteService) -> None:
    started.set_party(TASK, absent=True, actor=as_(started, "O01"))
    assert "R9.absent_witness" in [f.code for f in started.closing_findings(TASK)]
    started.sign(TASK, role=SignerRole.WITNESS, signer_name="社区网格员 钱某", image_png=png(3), actor=as_(started, "O01"))
    assert "R9.absent_witness" not in [f.code for f in started.closing_findings(TASK)]


def test_close_lists_everything_missing_then_closes_when_all_rules_hold(started: OnsiteService) -> None:
    with pytest.raises(ClosingRefused) as err:
        started.close(TASK, actor=as_(started, "O01"))
    codes = {f.code for f in err.value.findings}
    assert {"R2.not_shown", "R3.not_asked", "R9.officer", "R9.party", "R13.card"} <= codes
    opened(started)
    started.set_party(TASK, name="李四", role="负责人", id_no="330102199001011234", actor=as_(started, "O01"))
    for code in ("SR-001", "HW-001", "HW-002", "RQ-002"):
        started.record_result(TASK, code, result=CheckResultValue.COMPLIANT, actor=as_(started, "O01"))
    _non_compliant_oil_fumes(started)
    started.issue_order(TASK, deadline=date(2026, 12, 4), actor=as_(started, "O01"))
    started.hand_over_card(TASK, recipient="李四", actor=as_(started, "O01"))
    started.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O01", image_png=png(), actor=as_(started, "O01"))
    with pytest.raises(ClosingRefused) as err:
        started.close(TASK, actor=as_(started, "O01"))
    assert {f.code for f in err.value.findings if f.severity == "block"} == {"R9.officer", "R9.party"}
    started.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O02", image_png=png(4), actor=as_(started, "O02"))
    started.sign(TASK, role=SignerRole.PARTY, signer_name="李四", signer_ref="330102199001011234", image_png=png(5),
                 actor=as_(started, "O01"))
    record = started.close(TASK, actor=as_(started, "O01"))
    assert record.ended_at is not None
    assert started.ws.inspections.get(TASK).status is InspectionStatus.CLOSED
    with pytest.raises(OnsiteStateError):
        started.record_result(TASK, "SR-001", result=CheckResultValue.NOT_APPLICABLE, actor=as_(started, "O01"))
    actions = [r[0] for r in started.ws.db.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-1] == "inspection.close" and "record.order_issued" in actions


def test_R7_merge_puts_every_item_into_one_visit_and_cancels_the_others(onsite: OnsiteService) -> None:
    # 川香阁: 1106 (plan, T-CY) and 1108 (complaint, T-CY) are open for the same subject.
    merged = onsite.merge("JC-2026-1108", ["JC-2026-1106"], actor=as_(onsite, "O03"))
    assert onsite.ws.inspections.get("JC-2026-1106").status is InspectionStatus.CANCELLED
    assert onsite.ws.inspections.get("JC-2026-1106").merged_into == "JC-2026-1108"
    assert onsite.ws.inspections.item_codes(merged.id) == ("SR-001", "HW-001", "HW-002", "DQ-001", "RQ-002")
    with pytest.raises(OnsiteStateError):
        onsite.merge("JC-2026-1101", ["JC-2026-1103"], actor=as_(onsite, "O01"))  # another subject


def test_migration_5_keeps_inspections_staff_and_evidence_links(tmp_path) -> None:
    """The inspections table is rebuilt by migration 0005; nothing linked to it may be lost."""
    import sqlite3

    from local_db.database import migrate

    conn = sqlite3.connect(tmp_path / "v4.sqlite3", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, target=4)
    conn.executescript("""
        INSERT INTO agencies (id, name) VALUES ('AG', '清河市综合行政执法局');
        INSERT INTO officers (id, name, role, agency_id, cert_no, cert_issuer, cert_expiry)
            VALUES ('O1', '张三', 'officer', 'AG', 'C1', 'AG', '2030-01-01');
        INSERT INTO subjects (id, kind, name, credit_grade) VALUES ('S1', 'person', '李四', 'B');
        INSERT INTO inspections (id, subject_id, agency_id, source, source_ref, scheduled_at, created_at)
            VALUES ('I1', 'S1', 'AG', 'complaint', 'TS-1', '2026-11-23T09:00:00+08:00', '2026-11-20T09:00:00+08:00');
        INSERT INTO inspection_staff VALUES ('I1', 'O1', 'officer', 0);
        INSERT INTO evidence (sha256, size, media_type, evidence_type, inspection_id, captured_at, ingested_at,
                              source_kind, retain_until)
            VALUES ('""" + "a" * 64 + """', 3, 'image/jpeg', 'audiovisual', 'I1', '2026-11-23T09:00:00+08:00',
                    '2026-11-23T09:00:00+08:00', 'file', '2027-05-23');
    """)
    applied = migrate(conn)
    assert applied[0] == 5
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("SELECT id, source, source_ref, merged_into FROM inspections").fetchall() == [
        ("I1", "complaint", "TS-1", None)]
    assert conn.execute("SELECT * FROM inspection_staff").fetchall() == [("I1", "O1", "officer", 0)]
    assert conn.execute("SELECT inspection_id FROM evidence").fetchall() == [("I1",)]
    conn.execute("UPDATE inspections SET source = 'follow_up' WHERE id = 'I1'")  # the new source is accepted
    conn.close()
