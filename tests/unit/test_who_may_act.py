"""DOMAIN.md's table of who may do what, tried as a dishonest user would.

Each forbidden combination of role and act is driven through the services and
through the command line; each is refused, and each refusal is exactly one audit
entry naming who tried, what, and the rule. No service that writes takes a bare
name: a test reads their signatures.
"""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from app import access
from app.access import Permission, RoleRefused
from app.audit_words import REFUSED, describe, is_refusal
from app.demolition import specimen
from app.demolition.service import DemolitionService
from app.documents.numbering import DocumentNumbers
from app.domain import CheckResultValue, SignerRole
from app.evidence.importer import FileImport
from app.evidence.locker import EvidenceLocker
from app.evidence.records import seal_record
from app.onsite.documents import DocumentKind, InspectionDocuments
from app.onsite.service import OnsiteService
from app.review import ReviewRefused, ReviewService
from app.session import Session, SignedInBy
from app.workspace import Workspace
from keys_kit import DEMO_PINS, as_, open_workspace
from local_db.errors import UserFacingError
from sync import client
from sync import state as sync_state
from sync.bundle import build_bundle
from sync.pairing import pair, pair_with_folder
from sync.receipt import SignedReceipt

TASK = "JC-2026-1101"  # O01 + O02, assistant A01
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 80


def jpeg(folder: Path, name: str = "IMG_0001.JPG") -> Path:
    path = folder / name
    path.write_bytes(b"\xff\xd8\xff\xe0" + name.encode() * 40 + b"\xff\xd9")
    return path


def started(ws: Workspace) -> OnsiteService:
    onsite = OnsiteService(ws)
    onsite.begin(TASK, actor=as_(ws, "O01"))
    for officer in ("O01", "O02"):
        onsite.show_certificate(TASK, officer, actor=as_(ws, "O01"))
    onsite.ask_recusal(TASK, requested=False, actor=as_(ws, "O01"))
    return onsite


def captured(ws: Workspace, tmp: Path, who: str = "O01") -> str:
    job = FileImport(EvidenceLocker(ws), [jpeg(tmp, f"IMG_{who}.JPG")], inspection_id=TASK, evidence_type="书证",
                     actor=as_(ws, who))
    list(job.run())
    return job.report.imported[0].sha256


# (who, act, what is tried): each forbidden by DOMAIN.md's table.
FORBIDDEN: list[tuple[str, str, Callable[[Workspace, Path], object]]] = [
    ("O04", "start an inspection, certificate expired",
     lambda ws, _: OnsiteService(ws).begin("JC-2026-1104", actor=as_(ws, "O04"))),
    ("O05", "start an inspection, certificate revoked",
     lambda ws, _: OnsiteService(ws).begin("JC-2026-1107", actor=as_(ws, "O05"))),
    ("A01", "start an inspection, auxiliary", lambda ws, _: OnsiteService(ws).begin(TASK, actor=as_(ws, "A01"))),
    ("M01", "start an inspection, administrator", lambda ws, _: OnsiteService(ws).begin(TASK, actor=as_(ws, "M01"))),
    ("O03", "start an inspection he is not assigned to",
     lambda ws, _: OnsiteService(ws).begin(TASK, actor=as_(ws, "O03"))),
    ("A01", "record a result, auxiliary", lambda ws, _: started(ws).record_result(
        TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(ws, "A01"))),
    ("O04", "record a result, certificate expired", lambda ws, _: started(ws).record_result(
        TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(ws, "O04"))),
    ("M01", "record a result, administrator", lambda ws, _: started(ws).record_result(
        TASK, "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(ws, "M01"))),
    ("A01", "sign the record as officer, auxiliary", lambda ws, _: started(ws).sign(
        TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="A01", image_png=PNG, actor=as_(ws, "A01"))),
    ("O01", "sign the record for another officer", lambda ws, _: started(ws).sign(
        TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O02", image_png=PNG, actor=as_(ws, "O01"))),
    ("A01", "take the party's signature, auxiliary", lambda ws, _: started(ws).sign(
        TASK, role=SignerRole.PARTY, signer_name="陈晓", image_png=PNG, actor=as_(ws, "A01"))),
    ("O04", "take the party's signature, certificate expired", lambda ws, _: started(ws).sign(
        TASK, role=SignerRole.PARTY, signer_name="陈晓", image_png=PNG, actor=as_(ws, "O04"))),
    ("O04", "import evidence, certificate expired", lambda ws, tmp: FileImport(
        EvidenceLocker(ws), [jpeg(tmp)], inspection_id=TASK, evidence_type="书证", actor=as_(ws, "O04"))),
    ("M01", "import evidence, administrator", lambda ws, tmp: FileImport(
        EvidenceLocker(ws), [jpeg(tmp)], inspection_id=TASK, evidence_type="书证", actor=as_(ws, "M01"))),
    ("A01", "import evidence for a task he does not assist", lambda ws, tmp: FileImport(
        EvidenceLocker(ws), [jpeg(tmp)], inspection_id="JC-2026-1103", evidence_type="书证", actor=as_(ws, "A01"))),
    ("O01", "review evidence, officer", lambda ws, tmp: ReviewService(EvidenceLocker(ws)).decide(
        captured(ws, tmp, "O02"), "approve", reviewer=as_(ws, "O01"))),
    ("A01", "review evidence, auxiliary", lambda ws, tmp: ReviewService(EvidenceLocker(ws)).decide(
        captured(ws, tmp), "approve", reviewer=as_(ws, "A01"))),
    ("M01", "review evidence, administrator", lambda ws, tmp: ReviewService(EvidenceLocker(ws)).decide(
        captured(ws, tmp), "approve", reviewer=as_(ws, "M01"))),
    ("L01", "review evidence he imported himself", lambda ws, tmp: ReviewService(EvidenceLocker(ws)).decide(
        captured(ws, tmp, "L01"), "approve", reviewer=as_(ws, "L01"))),
    ("L01", "reset his own PIN, team leader",
     lambda ws, _: access.issue_pin(ws, "L01", "583920", "583920", by=as_(ws, "L01"))),
    ("L01", "issue another's PIN, team leader",
     lambda ws, _: access.issue_pin(ws, "O03", "583920", "583920", by=as_(ws, "L01"))),
    ("O01", "issue a PIN, officer", lambda ws, _: access.issue_pin(ws, "O03", "583920", "583920", by=as_(ws, "O01"))),
    ("M01", "reset his own PIN, administrator",
     lambda ws, _: access.issue_pin(ws, "M01", "583920", "583920", by=as_(ws, "M01"))),
    ("A01", "start a demolition, auxiliary",
     lambda ws, _: DemolitionService(ws).start(specimen.READY_CASE, actor=as_(ws, "A01"))),
    ("O04", "start a demolition, certificate expired",
     lambda ws, _: DemolitionService(ws).start(specimen.READY_CASE, actor=as_(ws, "O04"))),
    ("M01", "export an original, administrator",
     lambda ws, tmp: EvidenceLocker(ws).export(captured(ws, tmp), tmp / "out", actor=as_(ws, "M01"))),
    # a numbered document goes out under an officer's name (R1)
    ("A01", "issue a document number, auxiliary", lambda ws, _: DocumentNumbers(ws).issue(
        f"inspection/{TASK}/notice", ws.inspections.get(TASK).agency_id, "notice", session=as_(ws, "A01"))),
    ("O04", "issue a document number, certificate expired", lambda ws, _: DocumentNumbers(ws).issue(
        f"inspection/{TASK}/notice", ws.inspections.get(TASK).agency_id, "notice", session=as_(ws, "O04"))),
    ("M01", "render an inspection's notice, administrator", lambda ws, _: InspectionDocuments(
        ws, session=as_(ws, "M01")).build(TASK, DocumentKind.NOTICE)),
    ("M01", "seal a record into the chain, administrator", lambda ws, _: seal_record(
        EvidenceLocker(ws), "note", {"n": 1}, officer_certs=["33010621001"], session=as_(ws, "M01"))),
    # writing a bundle, syncing, applying HQ's receipt, pairing: never auxiliary staff
    ("A01", "write a bundle, auxiliary",
     lambda ws, tmp: build_bundle(ws, tmp / "b.age", device=ws.device, session=as_(ws, "A01"))),
    ("A01", "sync with HQ, auxiliary", lambda ws, _: client.sync_to_hq(
        ws, "http://127.0.0.1:9", device=ws.device, session=as_(ws, "A01"))),
    ("A01", "apply HQ's receipt, auxiliary", lambda ws, _: sync_state.apply_receipt(
        ws, SignedReceipt(b"{}", b""), session=as_(ws, "A01"))),
    ("A01", "apply HQ's refusal, auxiliary", lambda ws, _: sync_state.apply_refusal(
        ws, SignedReceipt(b"{}", b""), session=as_(ws, "A01"))),
    ("A01", "pair the device with HQ, auxiliary",
     lambda ws, tmp: pair_with_folder(ws, tmp / "hq", session=as_(ws, "A01"))),
    ("A01", "pin HQ's keys, auxiliary",
     lambda ws, _: pair(ws, recipient="age1x", signing_pub_pem=b"", session=as_(ws, "A01"))),
]


def _refusals(ws: Workspace, after: int) -> list:
    return [e for e in ws.audit.repo.entries() if e.seq > after and is_refusal(e)]


@pytest.mark.parametrize(("who", "act", "attempt"), FORBIDDEN, ids=[f"{w}: {a}" for w, a, _ in FORBIDDEN])
def test_each_forbidden_act_is_refused_with_exactly_one_audit_entry(demo_workspace: Workspace, tmp_path: Path,
                                                                     who: str, act: str, attempt) -> None:
    ws = demo_workspace
    # what the attempt needs first (signing in, an inspection started, an item captured) is done by others
    before = max(e.seq for e in ws.audit.repo.entries())
    with pytest.raises(UserFacingError) as err:
        attempt(ws, tmp_path)
    assert "R1" not in err.value.zh and "R9" not in err.value.zh.replace("【R9】", "")  # sources in words
    [refusal] = _refusals(ws, before)
    assert refusal.action == REFUSED and refusal.detail["act"] and refusal.detail["rule"]
    assert refusal.actor == who
    assert "被拒绝" in describe(refusal, "zh", {o.id: o.name for o in ws.officers.all()})
    assert "refused" in describe(refusal, "en")


def test_at_least_fifteen_forbidden_combinations_are_tried() -> None:
    assert len(FORBIDDEN) >= 15 and len({(w, a) for w, a, _ in FORBIDDEN}) == len(FORBIDDEN)


def test_a_session_not_issued_by_the_sign_in_is_nobody(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    forged = Session(person=ws.officers.get("O01"), signed_in_at=datetime.now(), how=SignedInBy.PIN, token="x")
    before = max(e.seq for e in ws.audit.repo.entries())
    for attempt in (lambda: OnsiteService(ws).begin(TASK, actor=forged),
                    lambda: OnsiteService(ws).begin(TASK, actor="O01")):  # a bare name
        with pytest.raises(access.NotSignedIn):
            attempt()
    assert len(_refusals(ws, before)) == 2
    # a signed-out person's session ends with the sign-out
    session = as_(ws, "O02")
    access.record_session(ws, "O02", "sign_out")
    with pytest.raises(access.NotSignedIn):
        OnsiteService(ws).begin(TASK, actor=session)


def test_a_locked_session_acts_again_only_after_the_same_persons_pin(demo_workspace: Workspace) -> None:
    """R1: behind the idle lock nobody acts in the name of the person who locked; their PIN resumes."""
    ws = demo_workspace
    session = access.sign_in(ws, "O01", DEMO_PINS["O01"])
    access.record_session(ws, "O01", "lock")
    before = max(e.seq for e in ws.audit.repo.entries())
    with pytest.raises(access.NotSignedIn):
        OnsiteService(ws).begin(TASK, actor=session)
    assert [e.actor for e in _refusals(ws, before)] == ["O01"]
    with pytest.raises(access.PinWrong):  # a wrong PIN does not unlock it
        access.sign_in(ws, "O01", "999999")
    with pytest.raises(access.NotSignedIn):
        OnsiteService(ws).begin(TASK, actor=session)
    again = access.sign_in(ws, "O01", DEMO_PINS["O01"])
    assert again is session  # the same session goes on
    OnsiteService(ws).begin(TASK, actor=session)


def test_another_persons_sign_in_ends_the_locked_session(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    session = access.sign_in(ws, "O01", DEMO_PINS["O01"])
    access.record_session(ws, "O01", "lock")
    other = access.sign_in(ws, "O02", DEMO_PINS["O02"])
    assert ws.sessions.current is other and ws.sessions.locked() == []
    [out] = [e for e in ws.audit.repo.entries() if e.action == "session.sign_out"]
    assert out.actor == "O01" and out.detail["taken_over_by"] == "O02"
    # the locked person's own PIN later opens a new session; the old one stays ended
    assert access.sign_in(ws, "O01", DEMO_PINS["O01"]) is not session
    with pytest.raises(access.NotSignedIn):
        OnsiteService(ws).begin(TASK, actor=session)


def test_the_expired_officer_may_sign_in_and_is_told_he_may_not_act(demo_workspace: Workspace) -> None:
    session = access.sign_in(demo_workspace, "O04", DEMO_PINS["O04"])
    notice = access.standing_notice(session.person, demo_workspace.clock().date())
    assert notice is not None and "换发新证" in notice[0] and "renewed" in notice[1]
    assert access.standing_notice(demo_workspace.officers.get("O01"), demo_workspace.clock().date()) is None


# --- the command line --------------------------------------------------------------------------------------

def _cli(folder: Path, monkeypatch: pytest.MonkeyPatch, who: str, *argv: str, stdin: str = "") -> int:
    import sys

    import cli.main as cli

    monkeypatch.setenv("FIELDINSPECT_PIN", DEMO_PINS[who])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return cli.main([*argv, "--data", str(folder)])


CLI_FORBIDDEN = [
    ("O04", ["import", "{photo}", "--inspection", TASK, "--officer", "O04"]),
    ("O05", ["import", "{photo}", "--inspection", TASK, "--officer", "O05"]),
    ("M01", ["import", "{photo}", "--inspection", TASK, "--officer", "M01"]),
    ("A01", ["import", "{photo}", "--inspection", "JC-2026-1103", "--officer", "A01"]),
    ("L01", ["pin", "L01", "--officer", "L01"]),
    ("L01", ["pin", "O03", "--officer", "L01"]),
    ("O01", ["pin", "O03", "--officer", "O01"]),
    ("A01", ["pin", "O03", "--officer", "A01"]),
    ("O04", ["pin", "O03", "--officer", "O04"]),
    ("M01", ["pin", "M01", "--officer", "M01"]),
    ("A01", ["bundle", "--out", "{out}", "--officer", "A01"]),
    ("A01", ["bundle", "--receipt", "{out}", "--officer", "A01"]),
    ("A01", ["sync", "--server", "http://127.0.0.1:9", "--officer", "A01"]),
    ("A01", ["pair", "--hq-dir", "{out}", "--by", "A01"]),
    ("A01", ["cameras", "--assign", "BC-0042", "--officer", "O01", "--by", "A01"]),
]


@pytest.mark.parametrize(("who", "argv"), CLI_FORBIDDEN, ids=[" ".join(a[:2]) + f" by {w}" for w, a in CLI_FORBIDDEN])
def test_each_forbidden_command_is_refused_with_exactly_one_audit_entry(
        demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, who: str, argv: list[str]) -> None:
    folder = demo_workspace.folder
    before = max(e.seq for e in demo_workspace.audit.repo.entries())
    demo_workspace.close()
    args = [a.format(photo=jpeg(tmp_path), out=tmp_path / "x.json") for a in argv]
    assert _cli(folder, monkeypatch, who, *args, stdin="583920\n583920\n") == 2
    ws = open_workspace(folder)
    try:
        refusals = _refusals(ws, before)
        assert [(e.actor, e.action) for e in refusals] == [(who, REFUSED)]
        assert not [e for e in ws.audit.repo.entries() if e.seq > before
                    and e.action in ("session.pin_set", "evidence.sealed", "sync.bundle_made", "camera.assigned")]
    finally:
        ws.close()


def test_the_pin_command_needs_an_administrator_and_then_works(demo_workspace: Workspace, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = demo_workspace.folder
    demo_workspace.close()
    assert _cli(folder, monkeypatch, "M01", "pin", "L01", "--officer", "M01", stdin="583920\n583920\n") == 0
    ws = open_workspace(folder)
    try:
        assert access.sign_in(ws, "L01", "583920").id == "L01"
    finally:
        ws.close()


def test_the_self_review_path_through_the_command_line_is_closed(demo_workspace: Workspace, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A team leader imports naming an officer as collector, then approves it himself: closed both ways."""
    folder = demo_workspace.folder
    demo_workspace.close()
    photo = jpeg(tmp_path)
    # naming the officer is signing in as the officer: the leader's PIN does not open it
    monkeypatch.setenv("FIELDINSPECT_PIN", DEMO_PINS["L01"])
    import cli.main as cli
    assert cli.main(["import", str(photo), "--inspection", TASK, "--officer", "33010621001",
                     "--data", str(folder)]) == 2
    # importing as himself makes him the collector, and the one who sealed
    assert _cli(folder, monkeypatch, "L01", "import", str(photo), "--inspection", TASK, "--officer", "L01") == 0
    ws = open_workspace(folder)
    try:
        review = ReviewService(EvidenceLocker(ws))
        [entry] = review.queue()[-1:]
        assert entry.item.officer_ids == ("L01",)
        before = max(e.seq for e in ws.audit.repo.entries())
        with pytest.raises(ReviewRefused):
            review.decide(entry.item.sha256, "approve", reviewer=as_(ws, "L01"))
        [refusal] = _refusals(ws, before)
        assert refusal.detail["act"] == "review.self" and review.history(entry.item.sha256) == []
    finally:
        ws.close()


def test_status_shows_the_audit_log_in_words(demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    OnsiteService(demo_workspace).begin(TASK, actor=as_(demo_workspace, "O01"))
    folder = demo_workspace.folder
    demo_workspace.close()
    assert _cli(folder, monkeypatch, "O01", "status", "--officer", "O01", "--audit", "5") in (0, 1)
    out = capsys.readouterr().out
    assert "张伟 开始检查 JC-2026-1101（检查事项 " in out and "inspection.start" not in out
    assert _cli(folder, monkeypatch, "O01", "status", "--officer", "O01", "--lang", "en") in (0, 1)
    out = capsys.readouterr().out
    assert "张伟 started inspection JC-2026-1101 (check items " in out and "session.sign_in" not in out


# --- no service that writes takes a bare name --------------------------------------------------------------

def _public_writers() -> list[tuple[str, Callable]]:
    from app.demolition.documents import DemolitionDocuments
    from app.demolition.inventory import InventoryService
    from app.evidence.capture import CaptureSession
    from app import overdue
    from app.evidence import bodycam, segments
    from app.gates import service as gates

    classes = [OnsiteService, DemolitionService, InventoryService, ReviewService]
    out = [(f"{c.__name__}.{n}", f) for c in classes for n, f in inspect.getmembers(c, inspect.isfunction)
           if not n.startswith("_")]
    out += [("EvidenceLocker.export", EvidenceLocker.export), ("EvidenceLocker.view", EvidenceLocker.view),
            ("EvidenceLocker.remove", EvidenceLocker.remove), ("FileImport", FileImport.__init__),
            ("CameraImport", bodycam.CameraImport.__init__), ("assign_camera", bodycam.assign_camera),
            ("authorize_start", gates.authorize_start), ("issue_pin", access.issue_pin),
            ("CaptureSession", CaptureSession.__init__), ("CaptureSession.set_collectors", CaptureSession.set_collectors),
            ("DocumentNumbers.issue", DocumentNumbers.issue), ("seal_record", seal_record),
            ("InspectionDocuments", InspectionDocuments.__init__),
            ("DemolitionDocuments", DemolitionDocuments.__init__),
            # the sealing primitives: who began the work, as a session (never a name)
            ("EvidenceLocker.ingest_steps", EvidenceLocker.ingest_steps), ("EvidenceLocker.intake", EvidenceLocker.intake),
            ("seal_segment", segments.seal_segment), ("seal_closed_segment", segments.seal_closed_segment),
            ("mark_reminded", overdue.mark_reminded)]
    return out


def _sync_functions() -> list[tuple[str, Callable]]:
    """Every public function and method of the sync layer (bundles, receipts, sync, pairing, HQ)."""
    import importlib
    import pkgutil

    import sync

    out: list[tuple[str, Callable]] = []
    for info in pkgutil.walk_packages(sync.__path__, "sync."):
        module = importlib.import_module(info.name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                out.append((f"{info.name}.{name}", fn))
        for cname, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                out += [(f"{info.name}.{cname}.{name}", fn) for name, fn in inspect.getmembers(cls, inspect.isfunction)
                        if not name.startswith("_") or name == "__init__"]
    return out


ACTOR_NAMES = {"actor", "reviewer", "officer", "by", "operator", "officer_id", "session"}
NOT_THE_ACTOR = {
    ("assign_camera", "officer"),  # the wearer the camera is assigned to, not who acts
    ("OnsiteService.show_certificate", "officer_id"),  # whose certificate is shown (by the acting officer)
    # reads: whose items a list is filtered to
    ("ReviewService.entries", "officer_id"), ("ReviewService.queue", "officer_id"),
    ("ReviewService.queue_page", "officer_id"),
    ("ReviewService.returned_to", "officer_id"),
}


def _bare_actors(functions: list[tuple[str, Callable]]) -> tuple[int, list[str]]:
    """How many parameters name who acts, and those that are not a session."""
    checked, bare = 0, []
    for name, fn in functions:
        for param in inspect.signature(fn).parameters.values():
            if param.name in ACTOR_NAMES and (name, param.name) not in NOT_THE_ACTOR:
                checked += 1
                # a camera may run before anyone acts (None); once given, it is a session, never a name
                if param.annotation not in ("Session", Session, "Session | None"):
                    bare.append(f"{name}({param.name}: {param.annotation})")
    return checked, bare


def test_no_public_service_method_that_writes_takes_a_bare_actor_string() -> None:
    checked, bare = _bare_actors(_public_writers())
    assert bare == [] and checked >= 40
    checked, bare = _bare_actors(_sync_functions())
    assert bare == [] and checked >= 6  # build_bundle, sync_to_hq, the receipts, the rejection, pairing


def test_the_signature_check_catches_a_bare_name() -> None:
    def bundle(ws: Workspace, *, officer_id: str) -> None: ...

    def pair(ws: Workspace, *, actor: str | None = None) -> None: ...

    def close(ws: Workspace, *, by: Session) -> None: ...

    checked, bare = _bare_actors([("bundle", bundle), ("pair", pair), ("close", close)])
    assert checked == 3 and bare == ["bundle(officer_id: str)", "pair(actor: str | None)"]


def test_permissions_follow_the_table() -> None:
    from app.domain import Officer, StaffRole

    admin = Officer(id="M", name="管", role=StaffRole.ADMINISTRATOR, agency_id="A")
    assert access.can(admin, Permission.ISSUE_PIN) and not access.can(admin, Permission.CAPTURE)
    with pytest.raises(RoleRefused):
        access.require(admin, Permission.START_INSPECTION)
