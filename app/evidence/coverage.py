"""R16: a seizure (查封扣押) or forced demolition (强制拆除) is recorded on video for the
whole time on site, and every gap in the recordings carries a reason.

Recordings are evidence items with a capture time and a running time: webcam
segments and body-camera files alike. Their intervals are merged — segments whose
gap is at most ``tolerance`` (default 2 s: the moment one segment closes and the
next opens) count as continuous — and what is left of the operation window is a
gap. A gap is explained when recorded reasons cover it. :func:`coverage_findings`
blocks closing the operation while any gap is unexplained.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.clock import CHINA_TZ
from app.domain import EvidenceItem
from app.evidence import errors
from app.gates.findings import Finding, LegalSource, Severity, finding, local
from app.workspace import Workspace
from local_db.database import transaction
from local_db.evidence_repository import EvidenceRepository
from local_db.evidence_sources_repository import GapReason, GapReasonRepository

FULL_PROCESS_RECORDING = LegalSource(
    "《丰城市关于进一步规范行政执法工作的指导意见》（丰法府建办字〔2021〕4号）三（七）2；"
    "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》"
    "（国办发〔2018〕118号）（九）",
    "Fengcheng City Guiding Opinions on Further Standardising Administrative Enforcement (2021), 3(7)2; "
    "General Office of the State Council, Guiding Opinions on the enforcement publicity, full-process "
    "recording and legal review systems (Guo Ban Fa [2018] No. 118), (9)",
)
DEFAULT_TOLERANCE = timedelta(seconds=2)


@dataclass(frozen=True, slots=True)
class Interval:
    """A span of time, start included, end excluded."""

    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the recordings cover of an operation window, and the gaps."""

    window: Interval
    covered: tuple[Interval, ...]
    gaps: tuple[Interval, ...]
    tolerance: timedelta = DEFAULT_TOLERANCE

    @property
    def complete(self) -> bool:
        return not self.gaps


@dataclass(frozen=True, slots=True)
class Gap:
    """A gap with the reasons recorded for it; explained when they cover all of it."""

    interval: Interval
    reasons: tuple[GapReason, ...]
    explained: bool


class OperationWindowInvalid(errors.EvidenceError):
    def __init__(self, start: datetime, end: datetime) -> None:
        super().__init__(f"行动结束时间（{_when(end)}）须晚于开始时间（{_when(start)}）。",
                         f"The operation must end ({_when(end)}) after it starts ({_when(start)}).")


class GapReasonRequired(errors.EvidenceError):
    def __init__(self) -> None:
        super().__init__(
            f"录像缺口须填写原因（依据：{FULL_PROCESS_RECORDING.zh}）。未保存。",
            f"A recording gap needs a reason (source: {FULL_PROCESS_RECORDING.en}). Nothing was saved.")


class UnknownRecorder(errors.EvidenceError):
    def __init__(self, officer: str) -> None:
        super().__init__(f"{officer} 不在本机人员名册中，不能记录缺口原因。",
                         f"{officer} is not on this device's roster and cannot record a gap reason.")


def recording_interval(item: EvidenceItem) -> Interval | None:
    """The time an original video recording covers; None for photos, audio, derived
    items and video whose running time could not be read."""
    if not item.media_type.startswith("video/") or item.derived_from is not None or not item.duration_ms:
        return None
    start = local(item.captured_at)
    return Interval(start, start + timedelta(milliseconds=item.duration_ms))


def compute_coverage(start: datetime, end: datetime, recordings: Iterable[EvidenceItem | Interval], *,
                     tolerance: timedelta = DEFAULT_TOLERANCE) -> Coverage:
    """Merge the recordings inside ``start``–``end`` and find the gaps.

    Two recordings at most ``tolerance`` apart are continuous, and so is a
    recording starting at most ``tolerance`` after the window opens (or ending at
    most that long before it closes); anything longer is a gap.
    """
    start, end = local(start), local(end)
    if end <= start:
        raise OperationWindowInvalid(start, end)
    spans = []
    for r in recordings:
        interval = r if isinstance(r, Interval) else recording_interval(r)
        if interval is None:
            continue
        s, e = max(local(interval.start), start), min(local(interval.end), end)
        if e > s:
            spans.append(Interval(s, e))
    spans.sort(key=lambda i: i.start)
    merged: list[Interval] = []
    for span in spans:
        if merged and span.start - merged[-1].end <= tolerance:
            merged[-1] = Interval(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    gaps, cursor = [], start
    for span in merged:
        if span.start - cursor > tolerance:
            gaps.append(Interval(cursor, span.start))
        cursor = max(cursor, span.end)
    if end - cursor > tolerance:
        gaps.append(Interval(cursor, end))
    return Coverage(Interval(start, end), tuple(merged), tuple(gaps), tolerance)


def explain_gaps(coverage: Coverage, reasons: Sequence[GapReason]) -> list[Gap]:
    """Each gap with the reasons that touch it; explained when together they cover it
    (a remainder no longer than the tolerance is ignored)."""
    out = []
    for gap in coverage.gaps:
        touching = tuple(r for r in reasons if local(r.start) < gap.end and local(r.end) > gap.start)
        left = [gap]
        for r in sorted(touching, key=lambda r: r.start):
            left = [piece for part in left for piece in _minus(part, local(r.start), local(r.end))]
        out.append(Gap(gap, touching, all(p.duration <= coverage.tolerance for p in left)))
    return out


def _minus(part: Interval, start: datetime, end: datetime) -> list[Interval]:
    pieces = []
    if start > part.start:
        pieces.append(Interval(part.start, min(start, part.end)))
    if end < part.end:
        pieces.append(Interval(max(end, part.start), part.end))
    return [p for p in pieces if p.end > p.start]


def coverage_findings(coverage: Coverage, reasons: Sequence[GapReason], *, operation_ref: str) -> list[Finding]:
    """R16 findings: BLOCK for each gap without a reason, INFO for each explained one."""
    related = (operation_ref,)
    out = []
    for gap in explain_gaps(coverage, reasons):
        if gap.explained:
            out += _explained_findings([gap], related)
            continue
        if not coverage.covered:
            out.append(finding(
                "R16", Severity.BLOCK, "R16.no_recording",
                f"行动 {operation_ref}（{_span(coverage.window)}）没有任何录像。查封扣押、强制拆除须全程音像记录；"
                "未说明原因前不能结束本次行动。",
                f"Operation {operation_ref} ({_span(coverage.window)}) has no video recording at all. Seizures "
                "and forced demolitions are recorded on video throughout; the operation cannot be closed until "
                "this is explained.",
                FULL_PROCESS_RECORDING, related=related))
            continue
        out.append(finding(
            "R16", Severity.BLOCK, "R16.gap",
            f"行动 {operation_ref} 的录像在 {_span(gap.interval)}（{_length(gap.interval.duration)}）中断，未记录原因。"
            "查封扣押、强制拆除须全程录像，每处缺口须说明原因；补录原因前不能结束本次行动。",
            f"The recordings of operation {operation_ref} stop during {_span(gap.interval)} "
            f"({_length(gap.interval.duration)}) with no reason recorded. Seizures and forced demolitions are "
            "recorded on video throughout and each gap needs a reason; the operation cannot be closed until then.",
            FULL_PROCESS_RECORDING, related=related))
    return out


def _explained_findings(gaps: Iterable[Gap], related: tuple[str, ...]) -> list[Finding]:
    return [finding("R16", Severity.INFO, "R16.gap_explained",
                    f"录像缺口 {_span(g.interval)} 已说明原因：{'；'.join(r.reason for r in g.reasons)}。",
                    f"Recording gap {_span(g.interval)} is explained: {'; '.join(r.reason for r in g.reasons)}.",
                    FULL_PROCESS_RECORDING, related=related) for g in gaps if g.explained]


def record_gap_reason(ws: Workspace, operation_ref: str, start: datetime, end: datetime, reason: str, *,
                      recorded_by: str) -> GapReason:
    """Record why the recordings of ``operation_ref`` stop during ``start``–``end``; audited.

    ``recorded_by`` is an officer's roster id or certificate number.
    """
    start, end = local(start), local(end)
    if not reason or not reason.strip():
        raise GapReasonRequired()
    if end <= start:
        raise OperationWindowInvalid(start, end)
    officer = ws.officers.get(recorded_by) or ws.officers.by_cert_no(recorded_by)
    if officer is None:
        raise UnknownRecorder(recorded_by)
    at = ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)
    repo = GapReasonRepository(ws.db)
    with transaction(ws.db):
        row_id = repo.insert(operation_ref=operation_ref, start=start, end=end, reason=reason.strip(),
                             recorded_by=officer.id, recorded_at=at)
        ws.audit.append(officer.id, "recording.gap_reason", operation_ref, gap_start=start.isoformat(),
                        gap_end=end.isoformat(), reason=reason.strip(), id=row_id)
    return GapReason(row_id, operation_ref, start, end, reason.strip(), officer.id, at)


def check_full_process_recording(ws: Workspace, operation_ref: str, start: datetime, end: datetime,
                                 recordings: Iterable[EvidenceItem] | None = None, *,
                                 inspection_id: str | None = None,
                                 tolerance: timedelta = DEFAULT_TOLERANCE) -> tuple[Coverage, list[Finding]]:
    """R16 for one operation: its coverage and findings, with the reasons on record.

    ``recordings`` default to the evidence items of ``inspection_id``.
    """
    if recordings is None:
        recordings = EvidenceRepository(ws.db).for_inspection(inspection_id) if inspection_id else []
    coverage = compute_coverage(start, end, recordings, tolerance=tolerance)
    reasons = GapReasonRepository(ws.db).for_operation(operation_ref)
    return coverage, coverage_findings(coverage, reasons, operation_ref=operation_ref)


def _when(moment: datetime) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M:%S") if moment.tzinfo else moment.isoformat()


def _span(interval: Interval) -> str:
    s, e = local(interval.start), local(interval.end)
    return f"{_when(s)}–{e.strftime('%H:%M:%S') if e.date() == s.date() else _when(e)}"


def _length(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    whole = int(seconds)
    text = f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
    return text if seconds == whole else f"{text}.{round((seconds - whole) * 1000):03d}"
