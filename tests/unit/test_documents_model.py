"""The document input data refuses what the law asks for and is missing (R1, R2, R3, R9–R14),
and a final on-site record must be complete before it is printed."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from app.documents import onsite_record, specimen
from app.documents.errors import DocumentInputInvalid, RecordIncomplete, SignatureImageInvalid
from app.documents.model import (BenchmarkDeviation, CertificateShown, DiscretionClause, FlexibleMeasure,
                                 ItemFinding, ItemResult, MinorHandling, NoPenaltyGround, OfficerLine,
                                 PenaltyProposal, ResultItem, Signature, SignatureRefusal, SignerRole,
                                 SupervisionCard)

AT = specimen.START


def rules_of(problems: list[tuple[str, str, str]]) -> list[str]:
    return [rule for rule, _, _ in problems]


def assert_cites(error: DocumentInputInvalid, rule: str) -> None:
    assert error.rule == rule
    assert "依据：" in error.zh and "Source:" in error.en
    assert rule not in error.zh and rule not in error.en  # officers read the law, not internal codes


# --- Field-by-field checks -------------------------------------------------------------

def test_R10_non_compliant_item_needs_the_problem_found() -> None:
    with pytest.raises(DocumentInputInvalid) as caught:
        ItemFinding("SR-001", "门前责任区", ItemResult.NON_COMPLIANT, finding="  ")
    assert_cites(caught.value, "R10")
    assert "findings[SR-001].finding" in caught.value.zh


def test_measures_or_penalty_only_on_a_non_compliant_item() -> None:
    minor = MinorHandling((FlexibleMeasure.REMINDER,), "已讲解要求")
    with pytest.raises(DocumentInputInvalid):
        ItemFinding("SR-001", "门前责任区", ItemResult.COMPLIANT, "符合", minor=minor)


def test_R11_minor_violation_needs_a_flexible_measure_and_the_education_given() -> None:
    with pytest.raises(DocumentInputInvalid) as caught:
        MinorHandling((), "已讲解要求")
    assert_cites(caught.value, "R11")
    with pytest.raises(DocumentInputInvalid) as caught:
        MinorHandling((FlexibleMeasure.ADVICE,), "")
    assert_cites(caught.value, "R11")


def test_R11_no_penalty_ground_excludes_a_proposed_penalty() -> None:
    clause = DiscretionClause("擅自张贴", "轻微", "警告")
    with pytest.raises(DocumentInputInvalid) as caught:
        ItemFinding("SR-003", "张贴宣传品", ItemResult.NON_COMPLIANT, "张贴两处",
                    minor=MinorHandling((FlexibleMeasure.PERSUASION,), "已规劝", NoPenaltyGround.FIRST_VIOLATION),
                    penalty=PenaltyProposal("警告", clause))
    assert_cites(caught.value, "R11")


@pytest.mark.parametrize("field", ["matter", "tier", "range"])
def test_R12_benchmark_clause_needs_matter_tier_and_range(field: str) -> None:
    values = {"matter": "擅自张贴", "tier": "一般", "range": "一百元以上一千元以下", field: ""}
    with pytest.raises(DocumentInputInvalid) as caught:
        DiscretionClause(**values)
    assert_cites(caught.value, "R12")


def test_R12_deviation_from_the_benchmark_needs_an_approval_record() -> None:
    with pytest.raises(DocumentInputInvalid) as caught:
        BenchmarkDeviation("情节特殊", "局长办公会", "", date(2026, 11, 23))
    assert_cites(caught.value, "R12")
    with pytest.raises(DocumentInputInvalid) as caught:
        PenaltyProposal("罚款三百元", None)  # type: ignore[arg-type]
    assert_cites(caught.value, "R12")


def test_R9_refusal_note_names_the_circumstances_and_a_witness() -> None:
    with pytest.raises(DocumentInputInvalid) as caught:
        SignatureRefusal("张国庆", "拒绝签名", "", "张伟", AT)
    assert_cites(caught.value, "R9")


def test_signature_must_be_a_png_and_times_must_be_aware() -> None:
    with pytest.raises(SignatureImageInvalid) as caught:
        Signature(SignerRole.PARTY, "张国庆", b"GIF89a not a png", AT)
    assert "张国庆" in caught.value.zh and "PNG" in caught.value.en
    png = specimen.signature_png("张国庆")
    with pytest.raises(DocumentInputInvalid) as naive:
        Signature(SignerRole.PARTY, "张国庆", png, datetime(2026, 11, 23, 10, 0))
    assert "signed_at" in naive.value.en
    assert Signature(SignerRole.PARTY, "张国庆", png, AT).pixel_size == (480, 160)


def test_R10_written_result_item_needs_basis_advice_and_standard() -> None:
    with pytest.raises(DocumentInputInvalid) as caught:
        ResultItem("DQ-001", "油烟净化", ItemResult.NON_COMPLIANT, "《大气污染防治法》第八十一条", "设施未运行",
                   advice="清洗检修", standard="")
    assert_cites(caught.value, "R10")
    ResultItem("SR-001", "门前责任区", ItemResult.COMPLIANT, "《条例》第十四条")  # nothing to advise


def test_R10_rectification_follow_up_not_before_the_deadline() -> None:
    order = specimen.rectification_order()
    with pytest.raises(DocumentInputInvalid) as caught:
        dataclasses.replace(order, follow_up_on=order.deadline - timedelta(days=1))
    assert_cites(caught.value, "R10")
    with pytest.raises(DocumentInputInvalid) as caught:
        dataclasses.replace(order, deadline=order.issued_on - timedelta(days=1))
    assert_cites(caught.value, "R10")


def test_R1_notice_names_two_officers_with_distinct_certificates(tmp_path: Path) -> None:
    from app.device import DeviceIdentity

    notice = specimen.notice(DeviceIdentity.generate(tmp_path))
    twice = (notice.officers[0], OfficerLine("张伟（重复）", notice.officers[0].cert_no))
    with pytest.raises(DocumentInputInvalid) as caught:
        dataclasses.replace(notice, officers=twice)
    assert_cites(caught.value, "R1")


def test_R14_printed_code_must_describe_this_document(tmp_path: Path) -> None:
    from app.device import DeviceIdentity

    device = DeviceIdentity.generate(tmp_path)
    notice = specimen.notice(device)
    with pytest.raises(DocumentInputInvalid) as caught:
        dataclasses.replace(notice, inspection_id="JC-2026-1102")
    assert_cites(caught.value, "R14")
    with pytest.raises(DocumentInputInvalid) as caught:
        dataclasses.replace(notice, scheduled_at=notice.scheduled_at + timedelta(days=1))
    assert_cites(caught.value, "R14")


def test_R13_card_needs_department_phone_and_what_may_be_supervised(tmp_path: Path) -> None:
    from app.device import DeviceIdentity

    card = specimen.supervision_card(DeviceIdentity.generate(tmp_path))
    for change in ({"supervision_phone": ""}, {"department": " "}, {"supervised_points": ()}):
        with pytest.raises(DocumentInputInvalid) as caught:
            dataclasses.replace(card, **change)
        assert_cites(caught.value, "R13")
    assert isinstance(card, SupervisionCard)


# --- Completeness of a final on-site record ------------------------------------------------

def test_complete_specimen_record_has_no_problems() -> None:
    assert onsite_record.record_problems(specimen.record(8)) == []
    assert onsite_record.record_problems(specimen.record(8, party_refuses=True)) == []


def test_R9_unsigned_record_lists_every_missing_signature() -> None:
    problems = onsite_record.record_problems(specimen.record(3, signed=False))
    assert rules_of(problems) == ["R9", "R9", "R9"]
    assert "张伟" in problems[0][1] and "李娜" in problems[1][1] and "当事人" in problems[2][1]


def test_R9_party_cannot_both_sign_and_refuse() -> None:
    record = specimen.record(3)
    refusal = SignatureRefusal("张国庆", "拒绝签名", "周敏", "张伟", AT)
    assert rules_of(onsite_record.record_problems(dataclasses.replace(record, refusal=refusal))) == ["R9"]


def test_R2_every_officer_shows_the_certificate_first() -> None:
    record = specimen.record(3)
    one_shown = dataclasses.replace(record, certificates_shown=record.certificates_shown[:1])
    assert rules_of(onsite_record.record_problems(one_shown)) == ["R2"]
    late = tuple(CertificateShown(c.cert_no, record.recusal.asked_at + timedelta(minutes=5))
                 for c in record.certificates_shown)
    assert rules_of(onsite_record.record_problems(dataclasses.replace(record, certificates_shown=late))) == ["R2"]
    stranger = record.certificates_shown + (CertificateShown("99999999999", AT),)
    assert rules_of(onsite_record.record_problems(dataclasses.replace(record, certificates_shown=stranger))) == ["R2"]


def test_R9_officer_signature_by_someone_not_on_the_record() -> None:
    record = specimen.record(3)
    extra = Signature(SignerRole.OFFICER, "王强", specimen.signature_png("王强"), AT)
    problems = onsite_record.record_problems(dataclasses.replace(record, signatures=record.signatures + (extra,)))
    assert rules_of(problems) == ["R9"] and "王强" in problems[0][1]


def test_R3_recusal_question_and_answer_are_recorded() -> None:
    record = dataclasses.replace(specimen.record(3), recusal=None)
    assert rules_of(onsite_record.record_problems(record)) == ["R3"]


def test_R1_record_with_one_officer_is_not_final() -> None:
    record = specimen.record(3)
    alone = dataclasses.replace(record, officers=record.officers[:1],
                                certificates_shown=record.certificates_shown[:1],
                                signatures=tuple(s for s in record.signatures if s.name != "李娜"))
    assert rules_of(onsite_record.record_problems(alone)) == ["R1"]


def test_R9_incomplete_record_is_refused_as_final_and_nothing_is_written(tmp_path: Path) -> None:
    dest = tmp_path / "record.pdf"
    with pytest.raises(RecordIncomplete) as caught:
        onsite_record.render_onsite_record(specimen.record(3, signed=False), dest)
    assert caught.value.rules == ("R9",)
    assert "第五十五条" in caught.value.zh and "Art. 55" in caught.value.en and "R9" not in caught.value.zh
    assert list(tmp_path.iterdir()) == []
    onsite_record.render_onsite_record(specimen.record(3, signed=False), dest, draft=True)
    assert dest.read_bytes().startswith(b"%PDF-")
