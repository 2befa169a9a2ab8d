"""The team leader's review: signed decisions in the seal chain, role boundaries, returns (R17)."""

from __future__ import annotations

import io
from local_db.database import dbapi

import pytest

from keys_kit import as_, keys_of
from app import audit
from app.access import RoleRefused
from app.domain import EvidenceSourceKind, EvidenceType, ReviewDecisionKind
from app.evidence.locker import EvidenceLocker
from app.evidence.records import read_record
from app.evidence.verify import verify_folder
from app.onsite.service import OnsiteService
from app.review import ReviewRefused, ReviewService
from app.workspace import Workspace
from local_db.database import transaction

TASK = "JC-2026-1101"
O01_CERT, O02_CERT, L01_CERT = "33010621001", "33010621002", "33010621010"


@pytest.fixture
def review(demo_workspace: Workspace) -> ReviewService:
    return ReviewService(EvidenceLocker(demo_workspace))


def capture(review: ReviewService, n: int, certs=(O01_CERT, O02_CERT), actor: str = "O01") -> str:
    data = b"\xff\xd8\xff\xe0" + f"photo {n}".encode() * 30 + b"\xff\xd9"
    return review.locker.ingest_stream(
        io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=list(certs),
        source_kind=EvidenceSourceKind.WEBCAM, source_detail="0", inspection_id=TASK, session=as_(review, actor)).item.sha256


def test_R17_a_decision_is_a_sealed_record_and_the_original_is_unchanged(review: ReviewService) -> None:
    sha = capture(review, 1)
    before = review.locker.items.get(sha)
    decision = review.decide(sha, "approve", reviewer=as_(review, "L01"), comment="清晰")
    assert decision.decision is ReviewDecisionKind.APPROVE and decision.reviewer == "L01"
    record = review.locker.items.get(decision.record_sha256)
    assert record.derived_from == sha and record.derivation == "review" and record.officer_ids == ("L01",)
    payload = read_record(review.locker, decision.record_sha256)
    assert payload["format"] == "fieldinspect.review/1" and payload["item"] == sha
    assert payload["decision"] == "approve" and payload["by"] == "L01" and payload["by_cert"] == L01_CERT
    assert review.locker.items.get(sha) == before
    with review.locker.store.open(sha) as fh:
        assert fh.read().startswith(b"\xff\xd8")
    assert review.queue(inspection_id=TASK) == []  # the review record itself is never queued
    assert verify_folder(review.ws.folder, keys=keys_of(review.ws.folder)).ok
    last = list(review.ws.audit.repo.entries())[-1]
    assert (last.action, last.actor, last.target) == ("review.approve", "L01", sha)
    assert last.detail["record"] == decision.record_sha256


def test_the_queue_per_inspection_and_officer_and_the_latest_decision_wins(review: ReviewService) -> None:
    a, b, c = capture(review, 1), capture(review, 2), capture(review, 3, certs=(O02_CERT,), actor="O02")
    assert {e.item.sha256 for e in review.queue(inspection_id=TASK)} == {a, b, c}
    assert {e.item.sha256 for e in review.queue(officer_id="O01")} == {a, b}
    assert review.queue(inspection_id="JC-2026-1102") == []
    review.decide(a, "return", reviewer=as_(review, "L01"), comment="补拍招牌")
    review.decide(b, "key", reviewer=as_(review, "L01"))
    assert {e.item.sha256 for e in review.queue()} == {c}
    assert [e.item.sha256 for e in review.returned_to("O01")] == [a]
    assert [e.item.sha256 for e in review.returned_to("O02")] == [a]  # both collectors of a
    assert review.returned_to("O03") == []
    answered = review.answer(a, officer=as_(review, "O01"), comment="已补拍")
    assert answered.decision is ReviewDecisionKind.ANSWER
    assert review.returned_to("O01") == [] and {e.item.sha256 for e in review.queue()} == {a, c}
    review.decide(a, "approve", reviewer=as_(review, "L01"))
    assert [d.decision for d in review.history(a)] == [ReviewDecisionKind.RETURN, ReviewDecisionKind.ANSWER,
                                                       ReviewDecisionKind.APPROVE]
    # the same decision twice is a second record, not a silent duplicate
    review.decide(c, "approve", reviewer=as_(review, "L01"))
    review.decide(c, "approve", reviewer=as_(review, "L01"))
    assert len(review.history(c)) == 2


def test_only_a_team_leader_may_decide(review: ReviewService) -> None:
    sha = capture(review, 1)
    for person, rule in (("A01", "执法辅助人员"), ("O03", "带队/审核人员")):
        with pytest.raises(RoleRefused) as err:
            review.decide(sha, "approve", reviewer=as_(review, person))
        assert rule in err.value.zh and err.value.en
    with pytest.raises(RoleRefused):  # a name is not a signed-in person
        review.decide(sha, "approve", reviewer="L01")  # type: ignore[arg-type]
    assert review.history(sha) == []


def test_a_team_leader_cannot_approve_what_they_captured(review: ReviewService) -> None:
    own = capture(review, 1, certs=(L01_CERT, O01_CERT), actor="L01")
    with pytest.raises(ReviewRefused) as err:
        review.decide(own, "approve", reviewer=as_(review, "L01"))
    assert "不能审核自己采集的证据" in err.value.zh and "cannot review it" in err.value.en
    assert review.history(own) == []
    # at the device with the officers' certificates: still their own capture
    pressed = capture(review, 2, certs=(O01_CERT,), actor="L01")
    with pytest.raises(ReviewRefused):
        review.decide(pressed, "key", reviewer=as_(review, "L01"))


def test_refused_decisions_write_nothing(review: ReviewService) -> None:
    sha = capture(review, 1)
    items = len(review.locker.items.all())
    with pytest.raises(ReviewRefused):
        review.decide(sha, "return", reviewer=as_(review, "L01"), comment="  ")
    with pytest.raises(ReviewRefused) as err:
        review.decide(sha, "approve", reviewer=as_(review, "L01"), finding_ref="SR-001")  # inspection not started
    assert "SR-001" in err.value.zh and "SR-001" in err.value.en
    with pytest.raises(ReviewRefused):
        review.answer(sha, officer=as_(review, "O01"), comment="x")  # nothing was returned
    assert review.history(sha) == [] and len(review.locker.items.all()) == items


def test_an_answer_comes_from_the_officer_who_captured(review: ReviewService) -> None:
    sha = capture(review, 1, certs=(O01_CERT,))
    review.decide(sha, "return", reviewer=as_(review, "L01"), comment="模糊")
    with pytest.raises(ReviewRefused):
        review.answer(sha, officer=as_(review, "O02"), comment="已补正")
    with pytest.raises(ReviewRefused):
        review.answer(sha, officer=as_(review, "O01"), comment="")
    assert review.returned_to("O01")[0].latest.comment == "模糊"


def test_a_decision_links_to_a_finding_of_the_inspection(review: ReviewService) -> None:
    onsite = OnsiteService(review.ws)
    onsite.begin(TASK, actor=as_(onsite, "O01"))
    sha = capture(review, 1)
    decision = review.decide(sha, "key", reviewer=as_(review, "L01"), finding_ref="SR-001")
    assert decision.finding_ref == "SR-001"
    with pytest.raises(ReviewRefused):
        review.decide(sha, "approve", reviewer=as_(review, "L01"), finding_ref="NO-SUCH")


def test_review_rows_are_append_only_and_the_audit_chain_holds(review: ReviewService) -> None:
    sha = capture(review, 1)
    review.decide(sha, "return", reviewer=as_(review, "L01"), comment="补拍")
    with pytest.raises(dbapi.DatabaseError, match="append-only"), transaction(review.ws.db):
        review.ws.db.execute("UPDATE review_decisions SET decision = 'approve'")
    with pytest.raises(dbapi.DatabaseError, match="append-only"), transaction(review.ws.db):
        review.ws.db.execute("DELETE FROM review_decisions")
    assert review.history(sha)[0].decision is ReviewDecisionKind.RETURN
    assert audit.verify(review.ws.db) == []


def test_several_items_are_decided_each_on_its_own(review: ReviewService) -> None:
    from app.evidence.locker import drive

    mine = capture(review, 1, certs=(L01_CERT,), actor="L01")
    others = [capture(review, 2), capture(review, 3)]
    steps = review.decide_steps([others[0], mine, others[1]], "approve", reviewer=as_(review, "L01"))
    made, refused = drive(steps)
    assert [d.item_sha256 for d in made] == others
    assert len(refused) == 1 and isinstance(refused[0], ReviewRefused)
    assert review.history(mine) == []


def test_a_team_leader_importing_under_an_officer_s_certificate_still_cannot_review_it(
        review: ReviewService, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the real import path: the person at the device is the collector and the one
    who sealed (no certificate can be named instead), so the self-review rule holds."""
    from app.evidence.importer import FileImport

    photo = tmp_path / "IMG_0001.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"imported" * 50 + b"\xff\xd9")
    job = FileImport(review.locker, [photo], inspection_id=TASK, evidence_type="audiovisual",
                     actor=as_(review.locker, "L01"))
    for _ in job.run():
        pass
    [item] = job.report.imported
    assert item.officer_ids == ("L01",)
    with pytest.raises(ReviewRefused):
        review.decide(item.sha256, "approve", reviewer=as_(review, "L01"))


def test_a_camera_photo_names_the_operator_as_the_one_who_sealed(demo_workspace: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from app.evidence.capture import CaptureSession, VideoSource

    video = tmp_path / "cam.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10",
                    "-c:v", "mpeg4", str(video)], check=True)
    locker = EvidenceLocker(demo_workspace)
    from app.evidence.errors import CollectorNotSignedIn
    leader = as_(demo_workspace, "L01")
    before = len(list(demo_workspace.audit.repo.entries()))
    with pytest.raises(CollectorNotSignedIn):  # the leader at the camera cannot name an officer as collector
        CaptureSession(locker, VideoSource(video, pace=True), officer_certs=[O01_CERT], inspection_id=TASK,
                       operator=leader)
    [refusal] = list(demo_workspace.audit.repo.entries())[before:]  # the refusal is on the record, once
    assert (refusal.action, refusal.actor, refusal.target) == ("refused", "L01", TASK)
    session = CaptureSession(locker, VideoSource(video, pace=True), inspection_id=TASK,
                             operator=as_(demo_workspace, "L01"))
    session.start()
    try:
        import time
        deadline = time.monotonic() + 10
        while session.frames_read < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        future = session.take_photo()
        item = future.result(10).item
    finally:
        session.stop()
    with pytest.raises(ReviewRefused):
        ReviewService(locker).decide(item.sha256, "approve", reviewer=as_(demo_workspace, "L01"))


def test_R1_a_leader_whose_certificate_is_for_another_agency_cannot_review_its_items(
        review: ReviewService) -> None:
    ws = review.ws
    sha = capture(review, 3)
    with transaction(ws.db):  # the item's inspection belongs to another agency than L01's certificate
        ws.db.execute("INSERT INTO agencies (id, name) SELECT 'AG-OTHER', '另一执法局' "
                      "WHERE NOT EXISTS (SELECT 1 FROM agencies WHERE id = 'AG-OTHER')")
        ws.db.execute("UPDATE inspections SET agency_id = 'AG-OTHER' WHERE id = ?", [TASK])
    with pytest.raises(RoleRefused) as err:
        review.decide(sha, "approve", reviewer=as_(review, "L01"))
    assert "非本机关签发" in err.value.zh


def test_the_queue_is_read_a_window_at_a_time_and_counted_in_one_query(review: ReviewService) -> None:
    shas = [capture(review, n) for n in range(1, 6)] + [capture(review, 6, certs=(O02_CERT,), actor="O02")]
    review.decide(shas[0], "return", reviewer=as_(review, "L01"), comment="补拍招牌")
    review.decide(shas[1], "approve", reviewer=as_(review, "L01"))
    review.answer(shas[0], officer=as_(review, "O01"), comment="已补拍")  # back in the queue
    every = [e for e in review.entries() if e.awaiting]
    pages, after = [], None
    while page := review.queue_page(after=after, limit=2):
        assert len(page) <= 2
        pages.append(page)
        after = page[-1]
    assert [e for p in pages for e in p] == every and len(every) == 5
    assert [e.latest.decision for e in every if e.item.sha256 == shas[0]] == [ReviewDecisionKind.ANSWER]
    summary = review.queue_summary()
    assert summary.count() == 5 and summary.inspections == [TASK]
    assert summary.count(officer_id="O01") == 4 == len(review.queue_page(officer_id="O01"))  # the sixth is O02's only
    assert summary.count(officer_id="O02") == 5 == len(review.queue_page(officer_id="O02"))
    assert summary.count(inspection_id="JC-2026-1102") == 0 == len(review.queue_page(inspection_id="JC-2026-1102"))
    assert set(summary.officers) >= {"O01", "O02"}
