"""The reference-data format: checked completely, imported all or nothing."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from app import paths, reference
from app.domain import CertificateState, FilingStatus, ListStatus, StaffRole, SubjectKind
from app.workspace import Workspace


@pytest.fixture
def document() -> dict:
    return json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))


def test_demo_set_has_what_the_demo_promises(document: dict) -> None:
    ref = reference.parse(document)
    today = date(2026, 11, 23)
    roles = [o.role for o in ref.officers]
    assert roles.count(StaffRole.AUXILIARY) == 1 and roles.count(StaffRole.TEAM_LEADER) == 1
    states = [o.certificate_state(today) for o in ref.officers if o.role is StaffRole.OFFICER]
    assert len(states) == 5
    assert states.count(CertificateState.EXPIRED) == 1 and states.count(CertificateState.REVOKED) == 1
    assert len(ref.subjects) == 20
    assert {s.credit_grade.value for s in ref.subjects} == {"A", "B", "C", "D"}
    assert {s.list_status for s in ref.subjects} == set(ListStatus)
    assert any(s.kind is SubjectKind.PERSON for s in ref.subjects)
    assert {p.filing_status for p in ref.plans} == {FilingStatus.FILED, FilingStatus.NOT_FILED}
    assert len(ref.templates) == 2 and ref.pre_notices
    assert sorted(ref.calendar) == [2025, 2026]


def test_calendar_matches_the_official_notices(document: dict) -> None:
    days = {d.day: d for d in reference.parse(document).calendar[2026]}
    # 国庆节 2026: 10-01..10-07 off, Saturday 10-10 worked (国务院办公厅 2025-11-04)
    assert all(days[date(2026, 10, n)].kind == "holiday" for n in range(1, 8))
    assert days[date(2026, 10, 10)].kind == "workday"
    assert days[date(2026, 2, 14)].kind == "workday"  # Saturday before 春节
    assert date(2026, 10, 8) not in days  # an ordinary Thursday


def _broken(document: dict, mutate) -> dict:
    doc = copy.deepcopy(document)
    mutate(doc)
    return doc


@pytest.mark.parametrize(("mutate", "where"), [
    (lambda d: d.update(format="other/9"), "$.format"),
    (lambda d: d["subjects"][0].update(uscc="91330106MA2010790X"), "subjects[0].uscc"),
    (lambda d: d["officers"][0].update(role="chief"), "officers[0].role"),
    (lambda d: d["officers"][0].update(cert_expiry="2026-13-01"), "officers[0].cert_expiry"),
    (lambda d: d["officers"][5].update(cert_no="X1"), "officers[5].cert_no"),
    (lambda d: d["plans"][0].update(filing_no=None), "plans[0].filing_no"),
    (lambda d: d["checklist_templates"][0]["item_codes"].append("NOPE-1"), "checklist_templates[0].item_codes"),
    (lambda d: d["pre_notices"][0].update(scheduled_at="2026-11-23T09:30:00"), "pre_notices[0].scheduled_at"),
    (lambda d: d["pre_notices"][0].update(subject_id="S99"), "pre_notices[0].subject_id"),
    (lambda d: d["calendar"]["years"]["2026"]["workdays"].append("2026-10-08"), "calendar.years.2026.workdays[6]"),
    (lambda d: d["officers"][1].update(cert_no=d["officers"][0]["cert_no"]), "officers[1].cert_no"),
    (lambda d: d["officers"][2].update(id=d["officers"][0]["id"]), "officers[2].id"),
    (lambda d: d["check_items"][1].update(code=d["check_items"][0]["code"]), "check_items[1].code"),
    (lambda d: d["subjects"][1].update(id=d["subjects"][0]["id"]), "subjects[1].id"),
    (lambda d: d["agencies"][0]["doc_type_codes"].update(memo="备"), "agencies[0].doc_type_codes.memo"),
    (lambda d: d["agencies"][0]["doc_type_codes"].update(notice="检〔"), "agencies[0].doc_type_codes.notice"),
    (lambda d: d["agencies"][0].update(doc_type_codes=["检"]), "agencies[0].doc_type_codes"),
    (lambda d: d["agencies"][0].update(doc_code="清西〔综〕"), "agencies[0].doc_code"),
])
def test_malformed_documents_name_the_field(document: dict, mutate, where: str) -> None:
    with pytest.raises(reference.ReferenceDataError) as info:
        reference.parse(_broken(document, mutate))
    assert info.value.where.endswith(where)
    assert where in info.value.zh and where in info.value.en


def test_unreadable_file_gives_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "ref.json"
    bad.write_text('{"format": "fieldinspect.reference/1", ', "utf-8")
    with pytest.raises(reference.ReferenceDataError, match="无法读取"):
        reference.load_file(bad)


def test_import_is_all_or_nothing(workspace: Workspace, document: dict) -> None:
    ref = reference.parse(document)
    # an officer whose agency row will not exist makes the import fail midway
    bad = ref.__class__(**{**{f: getattr(ref, f) for f in ref.__slots__}, "agencies": ()})
    with pytest.raises(Exception):
        reference.import_set(workspace.db, bad, source="file")
    assert workspace.officers.all() == [] and workspace.subjects.all() == []
    assert not workspace.has_reference_data()
    reference.import_set(workspace.db, ref, source="file")
    assert len(workspace.officers.all()) == 7
    assert workspace.reference_sets.latest()["sha256"] == ref.sha256


def test_a_set_that_gives_a_held_certificate_to_someone_else_is_refused_whole(workspace: Workspace,
                                                                              document: dict) -> None:
    reference.import_set(workspace.db, reference.parse(document), source="file")
    before = workspace.officers.all()
    taken = document["officers"][0]["cert_no"]
    newcomer = {**document["officers"][0], "id": "O99", "name": "新同事"}
    document["officers"] = [newcomer, *document["officers"][1:]]  # O01 left out, O99 gets O01's certificate
    document["version"] += "-b"
    ref = reference.parse(document)  # the set itself is consistent …
    with pytest.raises(reference.ReferenceDataError) as info:  # … but not with what the device holds
        reference.import_set(workspace.db, ref, source="file")
    assert "冲突" in info.value.zh and "conflicts" in info.value.en and taken
    assert workspace.officers.all() == before  # nothing of it was written


def test_the_repository_says_what_conflicts_instead_of_a_driver_error(workspace: Workspace,
                                                                      document: dict) -> None:
    from dataclasses import replace

    from local_db.errors import RecordConflict

    reference.import_set(workspace.db, reference.parse(document), source="file")
    o1, o2 = workspace.officers.get("O01"), workspace.officers.get("O02")
    with pytest.raises(RecordConflict) as info:
        workspace.officers.save(replace(o2, cert_no=o1.cert_no))
    assert "officers" in info.value.zh and "UNIQUE" in info.value.en


def test_reimport_updates_in_place(workspace: Workspace, document: dict) -> None:
    reference.import_set(workspace.db, reference.parse(document), source="file")
    document["officers"][0]["revoked"] = True
    reference.import_set(workspace.db, reference.parse(document), source="file")
    assert workspace.officers.get("O01").revoked
    assert len(workspace.officers.all()) == 7


def test_the_agency_numbering_scheme_is_read_and_optional(document: dict) -> None:
    agency = reference.parse(document).agencies[0]
    assert agency.doc_code == "清西综执" and dict(agency.doc_type_codes)["notice"] == "检"
    bare = copy.deepcopy(document)
    del bare["agencies"][0]["doc_code"], bare["agencies"][0]["doc_type_codes"]
    agency = reference.parse(bare).agencies[0]
    assert agency.doc_code == "" and agency.doc_type_codes == ()
