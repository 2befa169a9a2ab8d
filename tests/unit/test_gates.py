"""The start gates as pure functions: R1, R2, R4, R5, R6, R7, R8 and overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.clock import CHINA_TZ
from app.deadlines import WorkCalendar
from app.domain import (
    CheckItem,
    CreditGrade,
    FilingStatus,
    Inspection,
    InspectionPlan,
    InspectionSource,
    InspectionStatus,
    ListStatus,
    Officer,
    PreNotice,
    RecordEntry,
    RecordEntryKind,
    StaffRole,
    Subject,
    SubjectKind,
)
from app.gates import (
    Finding,
    Override,
    OverrideRefused,
    RuleSettings,
    Severity,
    StartContext,
    check_certificate_shown,
    check_frequency,
    check_items,
    check_plan,
    check_pre_notice,
    check_staffing,
    credit_notice,
    decide_start,
    evaluate_start,
    notice_period_end,
)

AGENCY = "QH-XC-ZHZF"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)  # a Monday
TODAY = NOW.date()


def officer(oid: str, *, expiry: date = date(2028, 1, 1), revoked: bool = False,
            issuer: str = AGENCY, cert_no: str | None = None) -> Officer:
    return Officer(id=oid, name=f"人员{oid}", role=StaffRole.OFFICER, agency_id=AGENCY,
                   cert_no=cert_no or f"C-{oid}", cert_issuer=issuer, cert_expiry=expiry, revoked=revoked)


AUXILIARY = Officer(id="A01", name="赵磊", role=StaffRole.AUXILIARY, agency_id=AGENCY)
SUBJECT = Subject(id="S1", kind=SubjectKind.ENTERPRISE, name="某餐饮店", address="某路 1 号",
                  credit_grade=CreditGrade.A, list_status=ListStatus.NONE)
WHITE_SUBJECT = replace(SUBJECT, list_status=ListStatus.WHITE)
PLAN = InspectionPlan(id="P1", year=2026, agency_id=AGENCY, title="年度计划", filing_status=FilingStatus.FILED,
                      item_codes=("SR-001", "HW-001", "DQ-001"), filing_no="备〔2026〕1号",
                      filing_date=date(2026, 1, 20))
NOTICE = PreNotice(id="YG1", plan_id="P1", subject_id="S1", published_on=date(2026, 11, 16),
                   scheduled_at=datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ), item_codes=("SR-001", "HW-001"))
CATALOGUE = {
    "SR-001": CheckItem("SR-001", "门前责任区", "条例第十四条", "整洁"),
    "HW-001": CheckItem("HW-001", "垃圾分类", "固废法第四十九条", "分类投放"),
    "DQ-001": CheckItem("DQ-001", "油烟净化", "大气法第八十一条", "达标排放"),
    "XX-999": CheckItem("XX-999", "未公布事项", "—", "—", published=False),
}


def inspection(iid: str = "JC1", *, source: InspectionSource = InspectionSource.PLAN,
               status: InspectionStatus = InspectionStatus.PLANNED, at: datetime = NOW,
               officers: tuple[str, ...] = ("O1", "O2"), source_ref: str | None = None,
               agency: str = AGENCY, subject: str = "S1") -> Inspection:
    routine = source is InspectionSource.PLAN
    return Inspection(id=iid, subject_id=subject, agency_id=agency, source=source, scheduled_at=at,
                      status=status, officer_ids=officers, source_ref=source_ref,
                      plan_id="P1" if routine else None, pre_notice_id="YG1" if routine else None)


def codes(findings: list[Finding], severity: Severity | None = None) -> set[str]:
    return {f.code for f in findings if severity is None or f.severity is severity}


def blocks(findings: list[Finding]) -> set[str]:
    return codes(findings, Severity.BLOCK)


ROSTER = {o.id: o for o in (officer("O1"), officer("O2"), AUXILIARY)}


# R1 ---------------------------------------------------------------------------------------

def test_R1_two_valid_officers_pass() -> None:
    assert check_staffing(("O1", "O2"), ROSTER, AGENCY, NOW) == []


def test_R1_certificate_expiring_today_is_valid() -> None:
    roster = {**ROSTER, "O2": officer("O2", expiry=TODAY)}
    assert check_staffing(("O1", "O2"), roster, AGENCY, NOW) == []


def test_R1_certificate_expired_yesterday_blocks() -> None:
    roster = {**ROSTER, "O2": officer("O2", expiry=TODAY - timedelta(days=1))}
    found = check_staffing(("O1", "O2"), roster, AGENCY, NOW)
    assert blocks(found) == {"R1.expired", "R1.too_few"}
    assert next(f for f in found if f.code == "R1.expired").related == ("O2",)


def test_R1_validity_is_judged_on_the_china_date() -> None:
    # 2026-11-22 17:00 UTC is already 11-23 01:00 in China: a certificate ending 11-22 has expired.
    roster = {**ROSTER, "O2": officer("O2", expiry=date(2026, 11, 22))}
    utc_now = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    assert "R1.expired" in blocks(check_staffing(("O1", "O2"), roster, AGENCY, utc_now))
    assert check_staffing(("O1", "O2"), roster, AGENCY, utc_now - timedelta(hours=2)) == []


def test_R1_revoked_certificate_blocks() -> None:
    roster = {**ROSTER, "O2": officer("O2", revoked=True)}
    assert blocks(check_staffing(("O1", "O2"), roster, AGENCY, NOW)) == {"R1.revoked", "R1.too_few"}


def test_R1_certificate_of_another_agency_blocks() -> None:
    roster = {**ROSTER, "O2": officer("O2", issuer="QH-DC-SCJG")}
    found = check_staffing(("O1", "O2"), roster, AGENCY, NOW)
    assert blocks(found) == {"R1.other_agency", "R1.too_few"}
    assert "QH-DC-SCJG" in next(f for f in found if f.code == "R1.other_agency").zh


def test_R1_auxiliary_as_second_person_blocks() -> None:
    found = check_staffing(("O1", "A01"), ROSTER, AGENCY, NOW)
    assert blocks(found) == {"R1.auxiliary", "R1.too_few"}
    assert "赵磊" in next(f for f in found if f.code == "R1.auxiliary").zh


def test_R1_auxiliary_as_assistant_does_not_block(official_calendar: WorkCalendar) -> None:
    ctx = _context(replace(inspection(), assistant_ids=("A01",)), official_calendar)
    assert not {c for c in blocks(evaluate_start(ctx, NOW)) if c.startswith("R1")}


def test_R1_same_certificate_counts_once() -> None:
    roster = {**ROSTER, "O2": officer("O2", cert_no="C-O1")}
    assert blocks(check_staffing(("O1", "O2"), roster, AGENCY, NOW)) == {"R1.duplicate_certificate", "R1.too_few"}


def test_R1_unknown_person_and_single_officer_block() -> None:
    assert blocks(check_staffing(("O1", "O9"), ROSTER, AGENCY, NOW)) == {"R1.unknown", "R1.too_few"}
    assert blocks(check_staffing(("O1",), ROSTER, AGENCY, NOW)) == {"R1.too_few"}


def test_R1_three_officers_with_one_revoked_still_pass_the_count() -> None:
    roster = {**ROSTER, "O3": officer("O3", revoked=True)}
    assert blocks(check_staffing(("O1", "O2", "O3"), roster, AGENCY, NOW)) == {"R1.revoked"}


def test_R1_cannot_be_overridden() -> None:
    found = check_staffing(("O1", "A01"), ROSTER, AGENCY, NOW)
    with pytest.raises(OverrideRefused) as info:
        decide_start(found, [Override("R1", "人手不足", "无", "队长")])
    assert info.value.rule == "R1" and "不允许例外" in info.value.zh and "行政处罚法》第四十二条" in info.value.zh
    assert all(not f.overridable for f in found)


# R2 ---------------------------------------------------------------------------------------

def _shown(oid: str, at: datetime | None = NOW) -> RecordEntry:
    return RecordEntry(RecordEntryKind.CERTIFICATE_SHOWN, at, oid)


NOTE = RecordEntry(RecordEntryKind.NOTE, NOW, "O1", "现场有一名店员")


def test_R2_certificates_shown_first_pass() -> None:
    assert check_certificate_shown([_shown("O1"), _shown("O2"), NOTE], ("O1", "O2")) == []


def test_R2_missing_certificate_shown_blocks() -> None:
    found = check_certificate_shown([_shown("O1"), NOTE], ("O1", "O2"), ROSTER)
    assert blocks(found) == {"R2.missing"}
    assert "人员O2" in found[0].zh and "行政处罚法》第五十五条" in found[0].zh


def test_R2_certificate_shown_after_other_entries_blocks() -> None:
    assert blocks(check_certificate_shown([_shown("O1"), NOTE, _shown("O2")], ("O1", "O2"))) == {"R2.not_first"}


def test_R2_certificate_shown_without_time_blocks() -> None:
    assert blocks(check_certificate_shown([_shown("O1"), _shown("O2", None)], ("O1", "O2"))) == {"R2.no_time"}


def test_R2_empty_record_blocks_for_every_officer() -> None:
    found = check_certificate_shown([], ("O1", "O2"))
    assert [f.related for f in found] == [("O1",), ("O2",)]


def test_R2_entry_for_unassigned_person_warns() -> None:
    found = check_certificate_shown([_shown("O1"), _shown("O2"), _shown("A01")], ("O1", "O2"))
    assert codes(found) == {"R2.not_assigned"} and blocks(found) == set()


# R4 ---------------------------------------------------------------------------------------

def test_R4_routine_inspection_under_filed_plan_passes() -> None:
    found = check_plan(inspection(), PLAN, ("SR-001",), NOW)
    assert codes(found) == {"R4.filed"} and found[0].severity is Severity.INFO


@pytest.mark.parametrize("status", [FilingStatus.NOT_FILED, FilingStatus.PENDING])
def test_R4_plan_not_filed_blocks_and_cannot_be_overridden(status: FilingStatus) -> None:
    found = check_plan(inspection(), replace(PLAN, filing_status=status), ("SR-001",), NOW)
    assert blocks(found) == {"R4.plan_not_filed"}
    with pytest.raises(OverrideRefused):
        decide_start(found, [Override("R4", "急需检查", "某文号", "队长")])


def test_R4_routine_inspection_without_plan_blocks() -> None:
    assert blocks(check_plan(inspection(), None, ("SR-001",), NOW)) == {"R4.plan_missing"}


def test_R4_plan_of_another_year_or_agency_blocks() -> None:
    assert blocks(check_plan(inspection(), replace(PLAN, year=2025), ("SR-001",), NOW)) == {"R4.plan_other_year"}
    assert blocks(check_plan(inspection(), replace(PLAN, agency_id="X"), ("SR-001",), NOW)) == {"R4.plan_other_agency"}


def test_R4_items_outside_the_filed_plan_block() -> None:
    found = check_plan(inspection(), PLAN, ("SR-001", "GH-001"), NOW)
    assert blocks(found) == {"R4.items_outside_plan"} and found[0].related == ("GH-001",)


@pytest.mark.parametrize("ref", [None, "", "   "])
def test_R4_exempt_source_without_reference_blocks(ref: str | None) -> None:
    found = check_plan(inspection(source=InspectionSource.COMPLAINT, source_ref=ref), None, ("SR-001",), NOW)
    assert blocks(found) == {"R4.exempt_without_reference"}
    assert found[0].overridable


@pytest.mark.parametrize("source", [s for s in InspectionSource if s.is_exempt])
def test_R4_exempt_source_with_reference_needs_no_plan(source: InspectionSource) -> None:
    found = check_plan(inspection(source=source, source_ref="12345-2026-1"), None, ("SR-001",), NOW)
    assert codes(found) == {"R4.exempt"} and "12345-2026-1" in found[0].zh


def test_R4_exempt_reference_recorded_by_override_lifts_block() -> None:
    found = check_plan(inspection(source=InspectionSource.ASSIGNMENT), None, ("SR-001",), NOW)
    decision = decide_start(found, [Override("R4", "上级电话交办", "清西办交〔2026〕16号", "周敏")])
    assert decision.allowed and decision.lifted == tuple(found)


# R5 ---------------------------------------------------------------------------------------

def test_R5_notice_period_ending_exactly_now_is_allowed(official_calendar: WorkCalendar) -> None:
    # Published Monday 11-16; Tue, Wed, Thu are the three days; the period ends Friday 00:00.
    notice = replace(NOTICE, published_on=date(2026, 11, 16))
    end = datetime(2026, 11, 20, 0, 0, tzinfo=CHINA_TZ)
    assert notice_period_end(notice.published_on, 3, official_calendar) == end
    at_end = check_pre_notice(inspection(), notice, ("SR-001",), end, official_calendar, RuleSettings())
    assert "R5.period_running" not in blocks(at_end)
    before = check_pre_notice(inspection(), notice, ("SR-001",), end - timedelta(seconds=1),
                              official_calendar, RuleSettings())
    assert "R5.period_running" in blocks(before)


def test_R5_notice_period_is_compared_in_china_time(official_calendar: WorkCalendar) -> None:
    notice = replace(NOTICE, published_on=date(2026, 11, 16))
    utc_end = datetime(2026, 11, 19, 16, 0, tzinfo=UTC)  # = 11-20 00:00 in China
    assert "R5.period_running" not in blocks(
        check_pre_notice(inspection(), notice, (), utc_end, official_calendar, RuleSettings()))
    assert "R5.period_running" in blocks(
        check_pre_notice(inspection(), notice, (), utc_end - timedelta(seconds=1), official_calendar, RuleSettings()))


def test_R5_period_whose_last_day_is_saturday_rolls_to_monday(official_calendar: WorkCalendar) -> None:
    # Published Wednesday 11-18: Thu, Fri, Sat; Saturday is a rest day, so the last day is Monday 11-23.
    assert notice_period_end(date(2026, 11, 18), 3, official_calendar) == datetime(2026, 11, 24, tzinfo=CHINA_TZ)


def test_R5_period_whose_last_day_is_in_national_day_rolls_past_it(official_calendar: WorkCalendar) -> None:
    assert notice_period_end(date(2026, 9, 28), 3, official_calendar) == datetime(2026, 10, 9, tzinfo=CHINA_TZ)


def test_R5_notice_days_are_configurable(official_calendar: WorkCalendar) -> None:
    # From Wednesday 11-18: 3 days reach Saturday, rolled to Monday; 6 days reach Tuesday 11-24.
    notice = replace(NOTICE, published_on=date(2026, 11, 18))
    at = datetime(2026, 11, 24, 9, 0, tzinfo=CHINA_TZ)
    assert "R5.period_running" not in blocks(
        check_pre_notice(inspection(), notice, (), at, official_calendar, RuleSettings(notice_days=3)))
    assert "R5.period_running" in blocks(
        check_pre_notice(inspection(), notice, (), at, official_calendar, RuleSettings(notice_days=6)))


def test_R5_routine_inspection_without_notice_blocks(official_calendar: WorkCalendar) -> None:
    found = check_pre_notice(inspection(), None, ("SR-001",), NOW, official_calendar, RuleSettings())
    assert blocks(found) == {"R5.missing"} and found[0].overridable


def test_R5_exempt_source_needs_no_notice(official_calendar: WorkCalendar) -> None:
    insp = inspection(source=InspectionSource.EMERGENCY, source_ref="应急〔2026〕9号")
    found = check_pre_notice(insp, None, ("SR-001",), NOW, official_calendar, RuleSettings())
    assert codes(found) == {"R5.exempt"} and blocks(found) == set()


def test_R5_items_not_on_the_notice_block(official_calendar: WorkCalendar) -> None:
    found = check_pre_notice(inspection(), NOTICE, ("SR-001", "DQ-001"), NOW, official_calendar, RuleSettings())
    assert blocks(found) == {"R5.items_not_announced"}
    assert next(f for f in found if f.severity is Severity.BLOCK).related == ("DQ-001",)


def test_R5_notice_for_another_subject_or_plan_blocks(official_calendar: WorkCalendar) -> None:
    notice = replace(NOTICE, subject_id="S2", plan_id="P9")
    found = check_pre_notice(inspection(), notice, ("SR-001",), NOW, official_calendar, RuleSettings())
    assert blocks(found) == {"R5.other_subject", "R5.other_plan"}


def test_R5_start_on_another_day_than_announced_warns(official_calendar: WorkCalendar) -> None:
    later = NOW + timedelta(days=1)
    found = check_pre_notice(inspection(), NOTICE, ("SR-001",), later, official_calendar, RuleSettings())
    assert codes(found) == {"R5.time_differs", "R5.announced"}
    assert codes(check_pre_notice(inspection(), NOTICE, ("SR-001",), NOW, official_calendar,
                                  RuleSettings())) == {"R5.announced"}


def test_R5_period_reaching_an_uncovered_year_blocks(official_calendar: WorkCalendar) -> None:
    notice = replace(NOTICE, published_on=date(2026, 12, 30))
    found = check_pre_notice(inspection(), notice, (), datetime(2027, 1, 6, tzinfo=CHINA_TZ),
                             official_calendar, RuleSettings())
    assert blocks(found) == {"R5.calendar_missing"} and "2027" in found[0].zh


def test_R5_law_requires_immediate_inspection_override_lifts_period(official_calendar: WorkCalendar) -> None:
    notice = replace(NOTICE, published_on=date(2026, 11, 21))
    found = check_pre_notice(inspection(), notice, ("SR-001",), NOW, official_calendar, RuleSettings())
    assert "R5.period_running" in blocks(found)
    decision = decide_start(found, [Override("R5", "燃气泄漏险情，须立即检查", "《城镇燃气管理条例》第四十二条", "周敏")])
    assert decision.allowed


# R6 ---------------------------------------------------------------------------------------

def test_R6_published_items_pass() -> None:
    assert check_items(("SR-001", "HW-001"), CATALOGUE) == []


def test_R6_unknown_or_unpublished_item_blocks_and_cannot_be_overridden() -> None:
    found = check_items(("SR-001", "ZZ-404", "XX-999"), CATALOGUE)
    assert blocks(found) == {"R6.unknown", "R6.unpublished"}
    assert [f.related for f in found] == [("ZZ-404",), ("XX-999",)]
    assert "国办发〔2024〕54号" in found[0].zh
    with pytest.raises(OverrideRefused):
        decide_start(found, [Override("R6", "临时需要", "无", "队长")])


def test_R6_no_items_chosen_blocks() -> None:
    assert blocks(check_items((), CATALOGUE)) == {"R6.no_items"}


# R7 ---------------------------------------------------------------------------------------

def _done(iid: str, at: datetime, status: InspectionStatus = InspectionStatus.CLOSED, **kw) -> Inspection:
    return inspection(iid, status=status, at=at, **kw)


OCT_15 = datetime(2026, 10, 15, 10, 0, tzinfo=CHINA_TZ)


def test_R7_white_listed_second_inspection_in_quarter_blocks() -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [_done("JC0", OCT_15)], NOW, RuleSettings())
    assert blocks(found) == {"R7.white_list_quarter"}
    assert found[0].related == ("JC0",) and found[0].overridable


def test_R7_white_listed_inspection_in_next_quarter_is_allowed() -> None:
    january = datetime(2027, 1, 5, 9, 0, tzinfo=CHINA_TZ)
    assert check_frequency(inspection(at=january), WHITE_SUBJECT, [_done("JC0", OCT_15)], january,
                           RuleSettings()) == []


def test_R7_quarter_boundary_is_taken_in_china_time() -> None:
    oct_1 = datetime(2026, 10, 1, 9, 0, tzinfo=CHINA_TZ)
    late_september = _done("JC0", datetime(2026, 9, 30, 23, 30, tzinfo=CHINA_TZ))
    assert check_frequency(inspection(at=oct_1), WHITE_SUBJECT, [late_september], oct_1, RuleSettings()) == []
    # 16:30 UTC on 09-30 is 00:30 on 10-01 in China: same quarter.
    early_october = _done("JC0", datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
    assert blocks(check_frequency(inspection(at=oct_1), WHITE_SUBJECT, [early_october], oct_1,
                                  RuleSettings())) == {"R7.white_list_quarter"}


def test_R7_only_inspections_that_took_place_count() -> None:
    others = [
        _done("JC-cancelled", OCT_15, InspectionStatus.CANCELLED),
        _done("JC-planned", OCT_15, InspectionStatus.PLANNED),
        _done("JC1", OCT_15, InspectionStatus.IN_PROGRESS),  # the inspection itself
        _done("JC-other-agency", OCT_15, agency="QH-DC-SCJG"),
        _done("JC-other-subject", OCT_15, subject="S2"),
    ]
    assert blocks(check_frequency(inspection(), WHITE_SUBJECT, others, NOW, RuleSettings())) == set()
    in_progress = _done("JC-running", OCT_15, InspectionStatus.IN_PROGRESS)
    assert blocks(check_frequency(inspection(), WHITE_SUBJECT, [in_progress], NOW,
                                  RuleSettings())) == {"R7.white_list_quarter"}


def test_R7_subject_not_on_white_list_has_no_quarterly_limit() -> None:
    assert blocks(check_frequency(inspection(), SUBJECT, [_done("JC0", OCT_15)], NOW, RuleSettings())) == set()


def test_R7_white_list_limit_is_configurable() -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [_done("JC0", OCT_15)], NOW,
                            RuleSettings(white_list_per_quarter=2))
    assert blocks(found) == set()


def test_R7_annual_cap_blocks_when_configured() -> None:
    others = [_done("JC-a", datetime(2026, 3, 2, tzinfo=CHINA_TZ)), _done("JC-b", OCT_15),
              _done("JC-last-year", datetime(2025, 12, 30, tzinfo=CHINA_TZ))]
    assert blocks(check_frequency(inspection(), SUBJECT, others, NOW, RuleSettings())) == set()
    found = check_frequency(inspection(), SUBJECT, others, NOW, RuleSettings(annual_cap_per_subject=2))
    assert blocks(found) == {"R7.annual_cap"} and found[0].related == ("JC-a", "JC-b")
    assert blocks(check_frequency(inspection(), SUBJECT, others, NOW, RuleSettings(annual_cap_per_subject=3))) == set()


def test_R7_open_tasks_of_the_subject_are_proposed_for_merging() -> None:
    others = [_done("JC-open", NOW + timedelta(days=3), InspectionStatus.PLANNED, source=InspectionSource.COMPLAINT),
              _done("JC-closed", OCT_15), _done("JC-cancelled", NOW, InspectionStatus.CANCELLED),
              _done("JC-other-agency", NOW, InspectionStatus.PLANNED, agency="QH-DC-SCJG")]
    found = check_frequency(inspection(), SUBJECT, others, NOW, RuleSettings())
    merge = [f for f in found if f.code == "R7.merge"]
    assert len(merge) == 1 and merge[0].related == ("JC-open",) and merge[0].severity is Severity.WARN


def test_R7_approval_override_lifts_over_cap_block() -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [_done("JC0", OCT_15)], NOW, RuleSettings())
    decision = decide_start(found, [Override("R7", "群众反映油烟扰民，需复查", "清西执审〔2026〕8号", "周敏")])
    assert decision.allowed and decision.blocking == ()


@pytest.mark.parametrize("override", [
    Override("R7", "", "清西执审〔2026〕8号", "周敏"),
    Override("R7", "   ", "清西执审〔2026〕8号", "周敏"),
    Override("R7", "复查", "", "周敏"),
    Override("R7", "复查", "清西执审〔2026〕8号", " "),
])
def test_R7_override_with_empty_reason_reference_or_approver_is_refused(override: Override) -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [_done("JC0", OCT_15)], NOW, RuleSettings())
    with pytest.raises(OverrideRefused) as info:
        decide_start(found, [override])
    assert info.value.rule == "R7" and "54号" in info.value.zh and "R7" not in info.value.zh and info.value.en


def test_R7_override_for_a_rule_that_blocks_nothing_is_refused() -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [], NOW, RuleSettings())
    with pytest.raises(OverrideRefused):
        decide_start(found, [Override("R7", "复查", "清西执审〔2026〕8号", "周敏")])


def test_R7_second_override_of_the_same_rule_is_refused() -> None:
    found = check_frequency(inspection(), WHITE_SUBJECT, [_done("JC0", OCT_15)], NOW, RuleSettings())
    o = Override("R7", "复查", "清西执审〔2026〕8号", "周敏")
    with pytest.raises(OverrideRefused):
        decide_start(found, [o, o])


# R8 ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", list(ListStatus))
def test_R8_credit_grade_and_list_status_are_shown(status: ListStatus) -> None:
    subject = replace(SUBJECT, credit_grade=CreditGrade.C, list_status=status)
    f = credit_notice(subject)
    assert f.rule == "R8" and f.severity is Severity.INFO
    assert "信用等级 C" in f.zh and "credit grade C" in f.en
    assert ("白名单" in f.zh) == (status is ListStatus.WHITE)
    assert ("黑名单" in f.zh) == (status is ListStatus.BLACK)
    assert "54号" in f.zh


# evaluate_start ---------------------------------------------------------------------------

def _context(insp: Inspection, calendar: WorkCalendar, **kw) -> StartContext:
    fields = dict(inspection=insp, subject=SUBJECT, roster=ROSTER, plan=PLAN, notice=NOTICE,
                  item_codes=("SR-001", "HW-001"), catalogue=CATALOGUE, others=(), calendar=calendar)
    fields.update(kw)
    return StartContext(**fields)


def test_R1_R4_R5_R6_R7_R8_clean_routine_inspection_may_start(official_calendar: WorkCalendar) -> None:
    found = evaluate_start(_context(inspection(), official_calendar), NOW)
    assert blocks(found) == set()
    assert {f.rule for f in found} == {"R4", "R5", "R8"}  # the INFO findings
    assert decide_start(found).allowed


def test_R1_R4_R6_blocks_stay_while_R5_R7_are_lifted(official_calendar: WorkCalendar) -> None:
    ctx = _context(inspection(officers=("O1", "A01")), official_calendar, subject=WHITE_SUBJECT, notice=None,
                   item_codes=("SR-001", "XX-999"), others=(_done("JC0", OCT_15),))
    found = evaluate_start(ctx, NOW)
    assert {"R1.auxiliary", "R5.missing", "R6.unpublished", "R7.white_list_quarter"} <= blocks(found)
    decision = decide_start(found, [Override("R5", "依法须立即检查", "某法第十条", "周敏"),
                                    Override("R7", "复查", "审批〔2026〕1号", "周敏")])
    assert not decision.allowed
    assert {f.rule for f in decision.blocking} == {"R1", "R4", "R6"}  # XX-999 is outside the plan too


def test_every_finding_carries_its_rule_and_cites_its_source(official_calendar: WorkCalendar) -> None:
    ctx = _context(inspection(officers=("O1", "A01")), official_calendar, subject=WHITE_SUBJECT, notice=None,
                   item_codes=("SR-001", "XX-999", "ZZ-1"), others=(_done("JC0", OCT_15),
                                                                  _done("JC9", NOW, InspectionStatus.PLANNED)))
    found = evaluate_start(ctx, NOW, RuleSettings(annual_cap_per_subject=1))
    assert {f.rule for f in found} == {"R1", "R4", "R5", "R6", "R7", "R8"}
    for f in found:
        assert f.zh.endswith(f.source) and "依据：" in f.zh, f.zh
        assert f.rule not in f.zh and f.rule not in f.en and "Source:" in f.en  # officers read the law
        assert f.source and f.code.startswith(f"{f.rule}.")
        assert f.message("en") == f.en and f.message() == f.zh


def test_R1_gates_refuse_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        check_staffing(("O1", "O2"), ROSTER, AGENCY, datetime(2026, 11, 23, 9, 0))
