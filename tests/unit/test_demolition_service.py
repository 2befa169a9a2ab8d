"""A forced demolition through the core service, on a real database and evidence store:
R1, R16, R20–R26 and the audit trail."""

from __future__ import annotations

from app.access import RoleRefused
from keys_kit import as_
import io
from local_db.database import dbapi
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app import demo
from app.audit import verify as verify_audit
from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.errors import DemolitionBlocked, DemolitionInputInvalid, DemolitionRefused, DemolitionStateError
from app.demolition.inventory import HANDED_OVER, REFUSED, STORED
from app.demolition.service import DemolitionService
from app.documents.specimen import signature_png
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.records import read_record
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError
from demolition_flow import MovingClock, link_video
from keys_kit import open_workspace, keys_of

ID_NO = "330106198001011234"


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ))


@pytest.fixture
def ws(data_folder: Path, clock: MovingClock):
    workspace = open_workspace(data_folder, clock=clock)
    assert demo.seed(workspace)
    yield workspace
    workspace.close()


@pytest.fixture
def svc(ws: Workspace) -> DemolitionService:
    return DemolitionService(ws)


READY, BLOCKED = specimen.READY_CASE, specimen.BLOCKED_CASE


def started(svc: DemolitionService, clock: MovingClock, *, witness: bool = True) -> str:
    clock.at(2026, 11, 23, 9, 0)
    svc.start(READY, actor=as_(svc, "O01"))
    svc.set_party(READY, present=False, actor=as_(svc, "O01"))
    if witness:
        svc.add_witness(READY, kind="witness", name="周明", id_no=ID_NO, no_interest="本人与本案当事人无利害关系。",
                        signature_png=signature_png("周明"), actor=as_(svc, "O01"))
    return READY


def count(svc: DemolitionService, n: int, **kw: object) -> int:
    photo = svc.inventory.take_photo(READY, specimen.sample_photo(n), actor=as_(svc.inventory, "O01"))
    fields = dict(name=f"木质衣柜{n}", category="家具", quantity="1", unit="件", condition="完好", label_no=f"B-{n:03d}",
                  photos=[photo], actor=as_(svc.inventory, "O01"), storage_place="西城区暂扣物品仓库 A 区")
    fields.update(kw)
    return svc.inventory.add_item(READY, **fields).item_no  # type: ignore[arg-type]


def record_video(svc: DemolitionService, start: datetime, seconds: float) -> None:
    link_video(svc, READY, start, seconds)


def test_demo_seeds_one_case_ready_on_monday_and_one_blocked(svc: DemolitionService) -> None:
    assert [c.id for c in svc.cases()] == [READY, BLOCKED]
    assert [f for f in svc.start_findings(READY) if f.severity.value == "block"] == []
    blocked = {f.code for f in svc.start_findings(BLOCKED) if f.severity.value == "block"}
    assert blocked == {"R20.no_plan", "R21.litigation_window", "R21.removal"}
    with pytest.raises(DemolitionBlocked) as err:
        svc.start(BLOCKED, actor=as_(svc, "O01"))
    assert "R21" not in err.value.zh and "行政诉讼法" in err.value.zh and "Source:" in err.value.en


def test_R21_an_emergency_reason_does_not_lift_preconditions_R22_it_does_and_is_audited(
        svc: DemolitionService, ws: Workspace, clock: MovingClock) -> None:
    with pytest.raises(DemolitionBlocked):
        svc.start(BLOCKED, actor=as_(svc, "O01"), emergency_reason="结构随时可能倒塌")
    clock.at(2026, 11, 23, 22, 0)
    with pytest.raises(DemolitionBlocked) as err:
        svc.start(READY, actor=as_(svc, "O01"))
    assert [f.code for f in err.value.findings] == ["R22.night"]
    case = svc.start(READY, actor=as_(svc, "O01"), emergency_reason="台风预警，危房随时倒塌")
    assert case.status == "in_progress"
    entry = ws.db.execute("SELECT detail FROM audit_log WHERE action = 'demolition.start'").fetchone()[0]
    assert "台风预警" in entry and "R22.night" in entry
    assert verify_audit(ws.db) == []


def test_R1_only_an_officer_of_the_case_may_start_it(svc: DemolitionService, clock: MovingClock) -> None:
    clock.at(2026, 11, 23, 9)
    with pytest.raises(RoleRefused) as err:
        svc.start(READY, actor=as_(svc, "A01"))
    assert err.value.rule == "R1"


def test_R20_R21_case_entered_on_the_device_and_bad_input_saves_nothing(svc: DemolitionService, ws: Workspace) -> None:
    with pytest.raises(DemolitionInputInvalid):
        svc.create_case(case_id="QC-X", party_name="", place="", structure="棚", announcement_no="告1",
                        announcement_served_on=date(2026, 5, 1), self_demolition_deadline=date(2026, 5, 10),
                        removal_deadline=date(2026, 11, 1), officer_ids=["O01", "O02"],
                        scheduled_at=datetime(2026, 11, 24, 9, tzinfo=CHINA_TZ), actor=as_(svc, "O01"))
    assert svc.repo.get("QC-X") is None
    with pytest.raises(DemolitionInputInvalid):  # the number names the documents folder: no paths
        svc.create_case(case_id="../../x", party_name="王某", place="某村", structure="棚", announcement_no="告1",
                        announcement_served_on=date(2026, 5, 1), self_demolition_deadline=date(2026, 5, 10),
                        removal_deadline=date(2026, 11, 1), officer_ids=["O01", "O02"],
                        scheduled_at=datetime(2026, 11, 24, 9, tzinfo=CHINA_TZ), actor=as_(svc, "O01"))
    assert svc.repo.get("../../x") is None
    case = svc.create_case(case_id="QC-X", party_name="王某", place="某村", structure="棚", announcement_no="告1",
                           announcement_served_on=date(2026, 5, 1), self_demolition_deadline=date(2026, 5, 10),
                           removal_deadline=date(2026, 11, 1), officer_ids=["O01", "O02"],
                           scheduled_at=datetime(2026, 11, 24, 9, tzinfo=CHINA_TZ), actor=as_(svc, "O01"))
    assert "R20.no_plan" in {f.code for f in svc.start_findings(case.id)}
    svc.record_emergency_plan(case.id, "设警戒区", actor=as_(svc, "O01"))
    svc.update_case(case.id, litigation_filed=True, actor=as_(svc, "O01"))
    assert {f.code for f in svc.start_findings(case.id) if f.severity.value == "block"} == {"R21.litigation_filed"}
    with pytest.raises(DemolitionRefused) as err:
        svc.update_case(case.id, means="cut_power", actor=as_(svc, "O01"))
    assert err.value.rule == "R23"
    with pytest.raises(dbapi.IntegrityError):
        ws.db.execute("UPDATE demolition_cases SET means = 'cut_water' WHERE id = ?", [case.id])


def test_R25_pause_needs_a_reason_resume_is_checked_against_R22(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    with pytest.raises(DemolitionRefused) as err:
        svc.pause(READY, reason=" ", actor=as_(svc, "O01"))
    assert err.value.rule == "R25"
    clock.at(2026, 11, 23, 9, 40)
    svc.pause(READY, reason="当事人亲属情绪激动，攀爬屋顶", actor=as_(svc, "O02"))
    with pytest.raises(DemolitionStateError):
        svc.end(READY, actor=as_(svc, "O01"))
    clock.at(2026, 11, 23, 22, 5)
    with pytest.raises(DemolitionBlocked):
        svc.resume(READY, actor=as_(svc, "O01"))
    clock.at(2026, 11, 24, 8, 0)
    assert svc.resume(READY, actor=as_(svc, "O01")).status == "in_progress"
    assert [(e.kind, e.reason) for e in svc.events(READY)] == [
        ("start", ""), ("pause", "当事人亲属情绪激动，攀爬屋顶"), ("resume", "")]


def test_R25_abandon_after_a_pause_seals_what_was_counted(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    count(svc, 1)
    clock.at(2026, 11, 23, 9, 30)
    with pytest.raises(DemolitionStateError):
        svc.abandon(READY, reason="风险", actor=as_(svc, "O01"))  # only after a pause
    svc.pause(READY, reason="结构倾覆风险", actor=as_(svc, "O01"))
    # R16: abandoning closes the operation too — not while it was never recorded
    with pytest.raises(DemolitionBlocked) as blocked:
        svc.abandon(READY, reason="经评估当日无法安全作业", actor=as_(svc, "O01"))
    assert any(f.rule == "R16" for f in blocked.value.findings)
    assert svc.case(READY).status == "paused"
    link_video(svc, READY, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 40 * 60)
    case = svc.abandon(READY, reason="经评估当日无法安全作业", actor=as_(svc, "O01"))
    assert case.status == "abandoned" and case.inventory_sha256
    sealed = read_record(svc.locker, case.inventory_sha256)
    assert sealed["closing"] == "abandon" and len(sealed["items"]) == 1


def test_R24_the_party_absent_without_a_witness_refuses_the_inventory(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock, witness=False)
    photo = svc.inventory.take_photo(READY, specimen.sample_photo(1), actor=as_(svc.inventory, "O01"))
    with pytest.raises(DemolitionRefused) as err:
        svc.inventory.add_item(READY, name="冰箱", category="家用电器", quantity=1, unit="台", condition="完好",
                               label_no="B-1", photos=[photo], actor=as_(svc.inventory, "O01"))
    assert err.value.rule == "R24" and "当事人不在场" in err.value.zh and "浙江省违法建筑处置规定" in err.value.zh
    assert svc.inventory.items(READY) == []
    with pytest.raises(DemolitionRefused) as err:
        svc.add_witness(READY, kind="witness", name="周明", id_no="123", no_interest="", signature_png=b"x", actor=as_(svc, "O01"))
    assert "身份证" in err.value.zh and "无利害关系" in err.value.zh and svc.witnesses(READY) == []


def test_R24_each_item_needs_a_photo_of_this_case_a_unique_label_and_a_number(svc: DemolitionService,
                                                                              clock: MovingClock) -> None:
    started(svc, clock)
    base = dict(name="冰箱", category="家用电器", quantity=1, unit="台", condition="完好", label_no="B-1", actor=as_(svc, "O01"))
    with pytest.raises(DemolitionRefused):
        svc.inventory.add_item(READY, photos=[], **base)  # type: ignore[arg-type]
    with pytest.raises(DemolitionRefused):
        svc.inventory.add_item(READY, photos=["0" * 64], **base)  # type: ignore[arg-type]
    count(svc, 1, label_no="B-1")
    with pytest.raises(DemolitionInputInvalid):
        count(svc, 2, label_no="B-1")
    with pytest.raises(DemolitionInputInvalid):
        count(svc, 3, quantity="三")
    assert [i.item_no for i in svc.inventory.items(READY)] == [1]


def test_R24_an_item_edited_after_counting_is_a_new_version_never_an_update(svc: DemolitionService, ws: Workspace,
                                                                          clock: MovingClock) -> None:
    started(svc, clock)
    n = count(svc, 1, quantity="2")
    with pytest.raises(DemolitionRefused):
        svc.inventory.edit_item(READY, n, reason="", quantity="3", actor=as_(svc.inventory, "O01"))
    clock.at(2026, 11, 23, 9, 20)
    edited = svc.inventory.edit_item(READY, n, reason="复点发现柜内另有一件", quantity="3", actor=as_(svc.inventory, "O02"))
    assert (edited.version, edited.quantity, edited.edit_reason) == (2, 3, "复点发现柜内另有一件")
    assert [(v.version, str(v.quantity)) for v in svc.inventory.versions(READY)] == [(1, "2"), (2, "3")]
    assert [i.quantity for i in svc.inventory.items(READY)] == [3]
    assert [e.version for e in svc.inventory.edits(READY)] == [2]
    for sql in ("UPDATE demolition_item_versions SET quantity = '9'", "DELETE FROM demolition_item_versions"):
        with pytest.raises(dbapi.IntegrityError, match="append-only"):
            ws.db.execute(sql)


def test_R16_the_end_needs_recordings_over_the_whole_operation_then_R24_seals_the_inventory(
        svc: DemolitionService, ws: Workspace, clock: MovingClock) -> None:
    started(svc, clock)
    for n in range(1, 4):
        count(svc, n)
    svc.inventory.edit_item(READY, 2, reason="名称记错", name="五斗柜", actor=as_(svc.inventory, "O01"))
    clock.at(2026, 11, 23, 10, 0)
    with pytest.raises(DemolitionBlocked) as err:
        svc.end(READY, actor=as_(svc, "O01"))
    assert {f.rule for f in err.value.findings} == {"R16"} and "118号" in err.value.zh
    record_video(svc, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 3700)
    case = svc.end(READY, actor=as_(svc, "O01"))
    assert case.status == "ended"
    sealed = read_record(svc.locker, case.inventory_sha256)
    assert sealed["format"] == "fieldinspect.inventory/1"
    assert [(i["item_no"], i["version"]) for i in sealed["items"]] == [(1, 1), (2, 1), (2, 2), (3, 1)]
    assert all(len(p) == 64 for i in sealed["items"] for p in i["photos"])
    assert sealed["witnesses"][0]["id_no"] == ID_NO and sealed["party_present"] is False
    assert [e["kind"] for e in sealed["events"]] == ["start"]  # the end is written with the seal
    with pytest.raises(DemolitionStateError):
        count(svc, 9)  # sealed: nothing more is counted
    report = verify_folder(ws.folder, keys=keys_of(ws.folder))
    assert report.ok, [p.describe() for p in report.problems]


def test_R24_storage_notice_and_a_partial_handover_with_the_rest_refused(svc: DemolitionService,
                                                                          clock: MovingClock) -> None:
    started(svc, clock)
    for n in range(1, 5):
        count(svc, n)
    record_video(svc, datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ), 1800)
    clock.at(2026, 11, 23, 9, 30)
    with pytest.raises(DemolitionStateError):
        svc.inventory.store(READY, [1], storage_place="仓库", actor=as_(svc.inventory, "O01"))  # still on site
    svc.end(READY, actor=as_(svc, "O01"))
    inv = svc.inventory
    inv.store(READY, [1, 2, 3, 4], storage_place="西城区暂扣物品仓库 A 区", actor=as_(inv, "O01"))
    with pytest.raises(DemolitionInputInvalid):
        inv.notify_collect(READY, notice_no="领通1号", collect_by=date(2026, 11, 23), actor=as_(inv, "O01"))
    inv.notify_collect(READY, notice_no="西综执领通〔2026〕7号", collect_by=date(2026, 12, 7), actor=as_(inv, "O01"))
    clock.at(2026, 11, 25, 10, 0)
    with pytest.raises(DemolitionRefused):
        inv.hand_over(READY, [1, 2], recipient_name="陈建国", recipient_id_no="", signature_png=b"", actor=as_(inv, "O01"))
    receipt = inv.hand_over(READY, [1, 2], recipient_name="陈建国", recipient_id_no="330106196805120017",
                            signature_png=signature_png("陈建国"), actor=as_(inv, "O01"))
    assert receipt.item_nos == (1, 2) and len(receipt.signature_sha256) == 64
    with pytest.raises(DemolitionStateError):
        inv.hand_over(READY, [2, 3], recipient_name="陈建国", recipient_id_no="330106196805120017",
                      signature_png=signature_png("陈建国"), actor=as_(inv, "O01"))
    inv.refuse(READY, [4], note="当事人称该物品已无价值，拒绝领取", actor=as_(inv, "O01"))
    assert inv.states(READY) == {1: HANDED_OVER, 2: HANDED_OVER, 3: STORED, 4: REFUSED}
    later = inv.hand_over(READY, [3, 4], recipient_name="陈小军", recipient_id_no="33010619900101123X",
                          signature_png=signature_png("陈小军"), actor=as_(inv, "O02"))
    assert later.recipient_id_no.endswith("X") and set(inv.states(READY).values()) == {HANDED_OVER}


def ended(svc: DemolitionService, clock: MovingClock) -> None:
    """Started, one item counted, recorded throughout, ended: the inventory is sealed."""
    started(svc, clock)
    count(svc, 1)
    record_video(svc, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 40 * 60)
    clock.at(2026, 11, 23, 9, 30)
    svc.end(READY, actor=as_(svc, "O01"))


def test_R26_signatures_on_the_inventory_list_by_both_sides(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    count(svc, 1)
    with pytest.raises(DemolitionRefused) as early:  # not on a list that can still change
        svc.inventory.sign(READY, document="inventory", role="party", signer_name="陈建国",
                           image_png=signature_png("陈建国"), actor=as_(svc.inventory, "O01"))
    assert early.value.rule == "R26" and "结束" in early.value.zh
    record_video(svc, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 40 * 60)
    clock.at(2026, 11, 23, 9, 30)
    svc.end(READY, actor=as_(svc, "O01"))
    with pytest.raises(DemolitionRefused):
        svc.inventory.sign(READY, document="inventory", role="officer", signer_name="", signer_ref="A01",
                           image_png=signature_png("王"), actor=as_(svc.inventory, "O01"))
    officer = svc.inventory.sign(READY, document="inventory", role="officer", signer_name="", signer_ref="O01",
                                 image_png=signature_png("张伟"), actor=as_(svc.inventory, "O01"))
    witness = svc.inventory.sign(READY, document="inventory", role="witness", signer_name="周明",
                                 image_png=signature_png("周明"), actor=as_(svc.inventory, "O01"))
    assert (officer.signer_name, witness.role) == ("张伟", "witness")
    with pytest.raises(DemolitionRefused) as stranger:  # R24: only a recorded witness signs as witness
        svc.inventory.sign(READY, document="inventory", role="witness", signer_name="随便谁",
                           image_png=signature_png("随便谁"), actor=as_(svc.inventory, "O01"))
    assert stranger.value.rule == "R24"


def test_R24_the_party_cannot_be_its_own_independent_witness(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock, witness=False)
    party_id = svc.case(READY).party_id_no
    assert party_id
    with pytest.raises(DemolitionRefused) as refused:
        svc.add_witness(READY, kind="witness", name="陈建国", id_no=party_id, no_interest="无利害关系",
                        signature_png=signature_png("陈建国"), actor=as_(svc, "O01"))
    assert refused.value.rule == "R24" and "当事人" in refused.value.zh and svc.repo.witnesses(READY) == []


def test_photos_are_sealed_evidence_linked_to_the_case_a_second_take_is_the_same_item(
        svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    data = specimen.sample_photo(7)
    first = svc.inventory.take_photo(READY, data, actor=as_(svc.inventory, "O01"))
    assert svc.inventory.take_photo(READY, data, actor=as_(svc.inventory, "O02")) == first
    assert svc.repo.linked(READY, "photo") == [first]
    assert svc.locker.items.get(first).media_type == "image/jpeg"


def test_the_night_hours_are_a_setting(svc: DemolitionService, ws: Workspace, clock: MovingClock) -> None:
    ws.settings.set("demolition.night_start", "21:00")
    clock.at(2026, 11, 23, 21, 30)
    assert "R22.night" in {f.code for f in svc.start_findings(READY)}
    clock.now = clock.now + timedelta(hours=-1)
    assert "R22.night" not in {f.code for f in svc.start_findings(READY)}


@pytest.mark.parametrize("start,end", [("22h", "06:00"), ("22:00", "22:00")])
def test_R22_an_unusable_night_setting_falls_back_to_the_default_and_says_so(
        svc: DemolitionService, ws: Workspace, clock: MovingClock, start: str, end: str) -> None:
    ws.settings.set("demolition.night_start", start)
    ws.settings.set("demolition.night_end", end)
    clock.at(2026, 11, 23, 22, 30)
    found = {f.code: f for f in svc.start_findings(READY)}
    assert "R22.night" in found  # the default 22:00–06:00 still applies
    assert "R22.night_setting" in found and "22:00–06:00" in found["R22.night_setting"].zh


def test_R16_a_gap_with_its_reason_lets_the_operation_end(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    record_video(svc, datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ), 600)  # 09:00–09:10, then the camera failed
    clock.at(2026, 11, 23, 9, 30)
    with pytest.raises(DemolitionBlocked):
        svc.end(READY, actor=as_(svc, "O01"))
    with pytest.raises(UserFacingError):
        svc.explain_recording_gaps(READY, reason=" ", actor=as_(svc, "O01"))
    assert svc.explain_recording_gaps(READY, reason="执法记录仪电量耗尽，备用机 09:30 到场", actor=as_(svc, "O01")) == 1
    assert svc.explain_recording_gaps(READY, reason="再次", actor=as_(svc, "O01")) == 0  # nothing left unexplained
    assert svc.end(READY, actor=as_(svc, "O01")).status == "ended"


def test_R24_R25_more_bad_input_is_refused_with_a_message_and_saves_nothing(
        svc: DemolitionService, ws: Workspace, clock: MovingClock) -> None:
    """Each refusal carries Chinese and English text; the tables are unchanged after it."""
    started(svc, clock)
    count(svc, 1)
    before = ws.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    with pytest.raises(UserFacingError) as err:
        svc.inventory.take_photo(READY, b"not a picture at all", actor=as_(svc.inventory, "O01"))
    assert err.value.zh and err.value.en
    svc.pause(READY, reason="风险", actor=as_(svc, "O01"))
    with pytest.raises(DemolitionRefused) as err:
        svc.abandon(READY, reason="", actor=as_(svc, "O01"))
    assert err.value.rule == "R25" and "Source:" in err.value.en
    svc.resume(READY, actor=as_(svc, "O01"))
    record_video(svc, datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ), 600)
    clock.at(2026, 11, 23, 9, 10)
    svc.end(READY, actor=as_(svc, "O01"))
    after_end = ws.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    for bad in (lambda: svc.inventory.store(READY, [1], storage_place=" ", actor=as_(svc.inventory, "O01")),
                lambda: svc.inventory.store(READY, [], storage_place="仓库", actor=as_(svc.inventory, "O01")),
                lambda: svc.inventory.store(READY, [9], storage_place="仓库", actor=as_(svc.inventory, "O01")),
                lambda: svc.inventory.refuse(READY, [1], note="", actor=as_(svc.inventory, "O01")),
                lambda: svc.inventory.notify_collect(READY, notice_no="", collect_by=date(2026, 12, 1), actor=as_(svc.inventory, "O01"))):
        with pytest.raises(UserFacingError) as err:
            bad()
        assert err.value.zh and err.value.en
    assert ws.db.execute("SELECT COUNT(*) FROM demolition_custody").fetchone()[0] == 0
    assert ws.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == after_end > before
    with pytest.raises(DemolitionStateError):
        svc.update_case(READY, emergency_plan="改", actor=as_(svc, "O01"))  # started: the preconditions are fixed


def test_R21_deadlines_before_service_are_refused_when_the_case_is_changed(svc: DemolitionService) -> None:
    with pytest.raises(DemolitionInputInvalid) as err:
        svc.update_case(BLOCKED, removal_deadline=date(2026, 6, 1), actor=as_(svc, "O01"))
    assert "送达" in err.value.zh and "served" in err.value.en
    assert svc.case(BLOCKED).removal_deadline == date(2026, 11, 30)


def test_R26_the_party_refusing_to_sign_is_written_down_after_the_witness_signs(svc: DemolitionService,
                                                                                clock: MovingClock) -> None:
    ended(svc, clock)
    with pytest.raises(DemolitionRefused) as err:
        svc.inventory.record_refusal(READY, document="inventory", reason="当事人称不认可清点结果，拒绝签字", actor=as_(svc.inventory, "O01"))
    assert err.value.rule == "R26" and "见证人" in err.value.zh
    with pytest.raises(DemolitionRefused):
        svc.inventory.record_refusal(READY, document="inventory", reason=" ", actor=as_(svc.inventory, "O01"))
    svc.inventory.sign(READY, document="inventory", role="witness", signer_name="周明", image_png=signature_png("周明"),
                       actor=as_(svc.inventory, "O01"))
    refusal = svc.inventory.record_refusal(READY, document="inventory", reason="当事人称不认可清点结果，拒绝签字",
                                           actor=as_(svc.inventory, "O01"))
    assert refusal.document == "inventory" and svc.inventory.refusals(READY) == [refusal]


def test_R22_counting_past_22_00_stops_unless_an_emergency_was_recorded(svc: DemolitionService,
                                                                         clock: MovingClock) -> None:
    """Started lawfully at 09:00, the execution may not go on into the night: counting and
    photographing are refused at 22:00 (21:59 still counts); pausing and ending stay possible."""
    started(svc, clock)
    clock.at(2026, 11, 23, 21, 59)
    count(svc, 1)
    clock.at(2026, 11, 23, 22, 0)
    with pytest.raises(DemolitionBlocked) as blocked:
        svc.inventory.take_photo(READY, specimen.sample_photo(2), actor=as_(svc.inventory, "O01"))
    assert any(f.rule == "R22" for f in blocked.value.findings)
    with pytest.raises(DemolitionBlocked):
        svc.inventory.edit_item(READY, 1, reason="数量复核", quantity="2", actor=as_(svc.inventory, "O01"))
    assert svc.pause(READY, reason="天黑，暂停作业", actor=as_(svc, "O01")).status == "paused"
    # an emergency recorded at the resume lifts R22 for the work that follows (audited)
    svc.resume(READY, actor=as_(svc, "O01"), emergency_reason="房屋随时倒塌，危及相邻住户安全")
    count(svc, 2)
    assert len(svc.inventory.items(READY)) == 2


def test_R1_resuming_after_a_long_pause_checks_the_certificates_again(svc: DemolitionService,
                                                                       clock: MovingClock) -> None:
    started(svc, clock)
    svc.pause(READY, reason="当事人情绪激动", actor=as_(svc, "O01"))
    with transaction(svc.ws.db):  # O02's certificate is revoked during the pause
        svc.ws.db.execute("UPDATE officers SET revoked = 1 WHERE id = 'O02'")
    clock.at(2026, 11, 24, 9, 0)
    with pytest.raises(DemolitionBlocked) as blocked:
        svc.resume(READY, actor=as_(svc, "O01"))
    assert any(f.rule == "R1" for f in blocked.value.findings)
    assert svc.case(READY).status == "paused"


def test_R16_only_recordings_of_the_case_s_officers_count(svc: DemolitionService, clock: MovingClock) -> None:
    started(svc, clock)
    other = svc.locker.ingest_stream(
        io.BytesIO(specimen.recording_mp4(3600)), evidence_type=EvidenceType.AUDIOVISUAL,
        officer_certs=["33010621003"], source_kind=EvidenceSourceKind.BODY_CAMERA, source_detail="BC-09",
        captured_at=datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ)).item  # O03's camera, another job
    clock.at(2026, 11, 23, 9, 30)
    assert other.sha256 not in {i.sha256 for i in svc.candidate_recordings(READY)}
    with pytest.raises(DemolitionRefused) as refused:
        svc.link_recording(READY, other.sha256, actor=as_(svc, "O01"))
    assert refused.value.rule == "R16"


@pytest.mark.parametrize("table", ["demolition_signatures", "demolition_refusals", "demolition_witnesses"])
def test_R24_R26_signatures_refusals_and_witnesses_cannot_be_changed_or_removed(
        svc: DemolitionService, clock: MovingClock, table: str) -> None:
    ended(svc, clock)
    svc.inventory.sign(READY, document="inventory", role="witness", signer_name="周明",
                       image_png=signature_png("周明"), actor=as_(svc.inventory, "O01"))
    svc.inventory.record_refusal(READY, document="inventory", reason="当事人拒绝在清单上签名", actor=as_(svc.inventory, "O01"))
    assert svc.ws.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] >= 1
    with pytest.raises(dbapi.IntegrityError):
        svc.ws.db.execute(f"DELETE FROM {table}")
    if table != "demolition_witnesses":  # witnesses refused UPDATE since migration 0008
        with pytest.raises(dbapi.IntegrityError):
            svc.ws.db.execute(f"UPDATE {table} SET case_id = case_id")
