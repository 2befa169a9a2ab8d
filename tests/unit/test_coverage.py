"""R16: full-process recording of seizures and forced demolitions — coverage, gaps and
their reasons, and the finding that refuses to close an operation with an unexplained gap."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.clock import CHINA_TZ
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.evidence.coverage import (
    GapReasonRequired,
    Interval,
    OperationWindowInvalid,
    UnknownRecorder,
    check_full_process_recording,
    compute_coverage,
    coverage_findings,
    record_gap_reason,
)
from app.evidence.locker import EvidenceLocker
from app.gates.findings import Severity
from app.workspace import Workspace
from local_db.database import IntegrityError

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)
OP = "QC-2026-0007"  # a forced demolition


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def video(start_s: float, seconds: float, *, kind: EvidenceSourceKind = EvidenceSourceKind.WEBCAM,
          media_type: str = "video/mp4", duration: bool = True, tag: str = "") -> EvidenceItem:
    """A sealed recording as the store describes it: capture time and running time."""
    sha = (f"{start_s:08.3f}{seconds:08.3f}{kind.value}{media_type}{tag}".encode().hex() * 4)[:64]
    return EvidenceItem(sha256=sha, size=1, media_type=media_type, evidence_type=EvidenceType.AUDIOVISUAL,
                        captured_at=at(start_s), ingested_at=at(start_s), source_kind=kind, source_detail="0",
                        officer_ids=("O01",), officer_certs=("33010621001",), seal_seq=1,
                        duration_ms=round(seconds * 1000) if duration else None)


def blocks(findings: list) -> list:
    return [f for f in findings if f.severity is Severity.BLOCK]


def segments(start_s: float, end_s: float, length: float = 60, hole: float = 1) -> list[EvidenceItem]:
    """Webcam segments of ``length`` seconds, each opening ``hole`` seconds after the last closed."""
    out, t = [], start_s
    while t < end_s:
        out.append(video(t, min(length, end_s - t)))
        t += length + hole
    return out


def test_R16_full_coverage_from_start_to_end_passes() -> None:
    cov = compute_coverage(at(0), at(600), segments(0, 600))
    assert cov.complete and cov.covered == (Interval(at(0), at(600)),)
    assert coverage_findings(cov, [], operation_ref=OP) == []


def test_R16_a_gap_in_the_middle_blocks_closing_and_cites_the_sources() -> None:
    recordings = segments(0, 180) + segments(240, 600)
    cov = compute_coverage(at(0), at(600), recordings)
    assert cov.gaps == (Interval(at(180), at(240)),)
    [f] = blocks(coverage_findings(cov, [], operation_ref=OP))
    assert f.rule == "R16" and f.code == "R16.gap" and f.related == (OP,)
    assert "09:03:00–09:04:00" in f.zh and "0:01:00" in f.zh
    assert "三（七）2" in f.zh and "国办发〔2018〕118号" in f.zh and "（九）" in f.zh
    assert f.rule == "R16" and "R16" not in f.en and "No. 118" in f.en


def test_R16_gaps_at_the_start_and_at_the_end() -> None:
    cov = compute_coverage(at(0), at(600), [video(30, 500)])
    assert cov.gaps == (Interval(at(0), at(30)), Interval(at(530), at(600)))
    assert len(blocks(coverage_findings(cov, [], operation_ref=OP))) == 2
    # recordings that run past the window are cut to it
    assert compute_coverage(at(0), at(600), [video(-100, 400), video(290, 1000)]).complete


def test_R16_overlapping_body_camera_and_webcam_recordings_merge() -> None:
    webcam = [video(0, 200), video(400, 200)]
    body = [video(150, 300, kind=EvidenceSourceKind.BODY_CAMERA)]  # worn through the webcam's restart
    cov = compute_coverage(at(0), at(600), webcam + body)
    assert cov.complete and cov.covered == (Interval(at(0), at(600)),)
    without = compute_coverage(at(0), at(600), webcam)
    assert without.gaps == (Interval(at(200), at(400)),)


def test_R16_tolerance_edge_exactly_2_s_is_continuous_and_2_001_s_is_a_gap() -> None:
    exactly = compute_coverage(at(0), at(20), [video(0, 10), video(12, 8)])
    assert exactly.complete and exactly.covered == (Interval(at(0), at(20)),)
    over = compute_coverage(at(0), at(20), [video(0, 10), video(12.001, 7.999)])
    assert over.gaps == (Interval(at(10), at(12.001)),)
    assert blocks(coverage_findings(over, [], operation_ref=OP))[0].zh.count("0:00:02.001") == 1
    # the same tolerance at the window's edges, and it is a parameter
    assert compute_coverage(at(0), at(20), [video(2, 16)]).complete
    assert compute_coverage(at(0), at(20), [video(2.001, 17.999)]).gaps == (Interval(at(0), at(2.001)),)
    strict = compute_coverage(at(0), at(20), [video(0, 10), video(11, 9)], tolerance=timedelta(0))
    assert strict.gaps == (Interval(at(10), at(11)),)


def test_R16_photos_audio_derived_and_unreadable_video_do_not_cover_time() -> None:
    items = [video(0, 600, media_type="image/jpeg"), video(0, 600, media_type="audio/mp4"),
             video(0, 600, duration=False)]
    derived = video(0, 600, tag="still")
    items.append(EvidenceItem(**{**{s: getattr(derived, s) for s in EvidenceItem.__slots__},
                                 "derived_from": "a" * 64, "derivation": "redaction"}))
    cov = compute_coverage(at(0), at(600), items)
    assert cov.covered == () and cov.gaps == (Interval(at(0), at(600)),)
    [f] = coverage_findings(cov, [], operation_ref=OP)
    assert f.severity is Severity.BLOCK and f.code == "R16.no_recording"


def test_R16_an_empty_or_reversed_window_is_refused() -> None:
    with pytest.raises(OperationWindowInvalid):
        compute_coverage(at(10), at(10), [])
    with pytest.raises(ValueError):
        compute_coverage(T0.replace(tzinfo=None), at(10), [])  # a naive time is a programming error


def test_R16_a_gap_with_a_reason_passes_and_without_one_blocks(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    recordings = segments(0, 180) + segments(240, 420) + segments(480, 600)
    coverage, findings = check_full_process_recording(ws, OP, at(0), at(600), recordings)
    assert [f.code for f in blocks(findings)] == ["R16.gap", "R16.gap"]

    reason = record_gap_reason(ws, OP, at(180), at(240), "执法记录仪更换电池", recorded_by="33010621001")
    assert reason.recorded_by == "O01" and reason.reason == "执法记录仪更换电池"
    coverage, findings = check_full_process_recording(ws, OP, at(0), at(600), recordings)
    assert [f.code for f in blocks(findings)] == ["R16.gap"]  # the second gap still has none
    assert "09:07:00–09:08:00" in blocks(findings)[0].zh
    explained = [f for f in findings if f.code == "R16.gap_explained"]
    assert len(explained) == 1 and "更换电池" in explained[0].zh and explained[0].severity is Severity.INFO

    # two reasons that together cover the second gap explain it; one alone does not
    record_gap_reason(ws, OP, at(420), at(450), "当事人要求暂停拍摄，已告知", recorded_by="O02")
    assert blocks(check_full_process_recording(ws, OP, at(0), at(600), recordings)[1])
    record_gap_reason(ws, OP, at(450), at(480), "转移至室外继续录像", recorded_by="O02")
    assert blocks(check_full_process_recording(ws, OP, at(0), at(600), recordings)[1]) == []
    # reasons belong to their operation
    assert len(blocks(check_full_process_recording(ws, "QC-2026-0008", at(0), at(600), recordings)[1])) == 2

    entries = [e for e in ws.audit.repo.entries() if e.action == "recording.gap_reason"]
    assert [(e.actor, e.target, e.detail["reason"]) for e in entries] == [
        ("O01", OP, "执法记录仪更换电池"), ("O02", OP, "当事人要求暂停拍摄，已告知"), ("O02", OP, "转移至室外继续录像")]


def test_R16_a_gap_reason_must_be_given_by_someone_on_the_roster(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    with pytest.raises(GapReasonRequired) as info:
        record_gap_reason(ws, OP, at(0), at(10), "   ", recorded_by="O01")
    assert "118" in info.value.zh and "R16" not in info.value.zh and "No. 118" in info.value.en
    with pytest.raises(UnknownRecorder):
        record_gap_reason(ws, OP, at(0), at(10), "原因", recorded_by="X99")
    with pytest.raises(OperationWindowInvalid):
        record_gap_reason(ws, OP, at(10), at(0), "原因", recorded_by="O01")
    assert ws.db.execute("SELECT COUNT(*) FROM recording_gap_reasons").fetchone()[0] == 0


def test_R16_recorded_reasons_cannot_be_edited_or_removed(demo_workspace: Workspace) -> None:
    record_gap_reason(demo_workspace, OP, at(0), at(10), "设备故障", recorded_by="O01")
    with pytest.raises(IntegrityError, match="append-only"):
        demo_workspace.db.execute("UPDATE recording_gap_reasons SET reason = '无'")
    with pytest.raises(IntegrityError, match="append-only"):
        demo_workspace.db.execute("DELETE FROM recording_gap_reasons")


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the recordings")
def test_R16_sealed_recordings_of_an_inspection_are_checked_from_the_store(
        demo_workspace: Workspace, tmp_path: Path) -> None:
    locker = EvidenceLocker(demo_workspace)
    for name, seconds, start in (("seg1.mp4", 4, 0), ("seg2.mp4", 3, 5), ("bodycam.mp4", 2, 9)):
        path = tmp_path / name
        subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                        f"testsrc=duration={seconds}:size=96x64:rate=5", "-c:v", "mpeg4", str(path)], check=True)
        kind = EvidenceSourceKind.BODY_CAMERA if name.startswith("body") else EvidenceSourceKind.WEBCAM
        locker.ingest_file(path, evidence_type="audiovisual", officer_certs=["33010621001"], source_kind=kind,
                           inspection_id="JC-2026-1101", captured_at=at(start))
    coverage, findings = check_full_process_recording(demo_workspace, OP, at(0), at(15),
                                                      inspection_id="JC-2026-1101")
    # 0–4, 5–8 (1 s apart: continuous), 9–11 (1 s apart), then 4 s of nothing before the end
    assert coverage.covered == (Interval(at(0), at(11)),)
    assert coverage.gaps == (Interval(at(11), at(15)),)
    assert [f.code for f in blocks(findings)] == ["R16.gap"]
