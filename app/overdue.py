"""Overdue recordings (R18): not taken in, or not synced, in time after the end of duty.

R18: recordings are ingested and synced within 24 hours (configurable) of the
end of duty; overdue material is flagged to the team leader. The end of duty of
a recording is the configured time of day (default 18:00) on the day it was
captured — or the next day's when it was captured later than that.

Sync is built separately: :func:`overdue_recordings` takes the set of SHA-256
values already synced (empty until sync exists), so it needs nothing from it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Set
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from app import access
from app.clock import CHINA_TZ
from app.domain import EvidenceItem, EvidenceSourceKind
from app.session import Session
from app.evidence import media
from app.evidence.bodycam import CameraVolume, pending_files, rel_path
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace
from local_db.database import transaction

REMINDED = "evidence.overdue_reminded"
LIMIT_SETTING = "duty.overdue_hours"
END_OF_DUTY_SETTING = "duty.end_time"
DEFAULT_LIMIT_HOURS = 24
DEFAULT_END_OF_DUTY = time(18, 0)


class OverdueKind(enum.StrEnum):
    NOT_INGESTED = "not_ingested"  # still on an attached body camera
    NOT_SYNCED = "not_synced"  # sealed here, not yet at HQ


@dataclass(frozen=True, slots=True)
class OverdueFlag:
    kind: OverdueKind
    ref: str  # SHA-256 of a sealed item, or the camera serial and path of a file
    recorded_at: datetime
    deadline: datetime
    officer_ids: tuple[str, ...] = ()
    inspection_id: str | None = None
    camera: str | None = None  # the body camera's serial, when the recording came from one

    def late_by(self, now: datetime) -> timedelta:
        return max(now - self.deadline, timedelta(0))


@dataclass(frozen=True, slots=True)
class CameraFile:
    """A recording still on an attached body camera (``app.evidence.bodycam.pending_files``)."""

    serial: str
    rel_path: str
    modified_at: datetime
    officer_id: str | None = None  # the camera's wearer, when assigned


def limit_hours(ws: Workspace) -> int:
    value = ws.settings.get(LIMIT_SETTING)
    return int(value) if value and value.isdecimal() and int(value) > 0 else DEFAULT_LIMIT_HOURS


def end_of_duty_time(ws: Workspace) -> time:
    value = ws.settings.get(END_OF_DUTY_SETTING)
    try:
        return time.fromisoformat(value) if value else DEFAULT_END_OF_DUTY
    except ValueError:
        return DEFAULT_END_OF_DUTY


def deadline_for(recorded_at: datetime, *, end_of_duty: time = DEFAULT_END_OF_DUTY,
                 hours: int = DEFAULT_LIMIT_HOURS) -> datetime:
    """The end of the duty the recording belongs to, plus ``hours``."""
    end = datetime.combine(recorded_at.date(), end_of_duty, tzinfo=recorded_at.tzinfo)
    if recorded_at > end:
        end += timedelta(days=1)
    return end + timedelta(hours=hours)


def is_recording(item: EvidenceItem) -> bool:
    """R18 is about recordings: video and audio originals."""
    return media.is_timed(item.media_type) and item.derived_from is None


def overdue_recordings(items: Iterable[EvidenceItem], synced: Set[str], now: datetime, *,
                       end_of_duty: time = DEFAULT_END_OF_DUTY, hours: int = DEFAULT_LIMIT_HOURS,
                       camera_files: Iterable[CameraFile] = ()) -> list[OverdueFlag]:
    """R18 flags at ``now``: sealed recordings not in ``synced`` and camera files not taken in,
    each past its deadline; oldest first."""
    flags = []
    for item in items:
        if not is_recording(item) or item.sha256 in synced:
            continue
        deadline = deadline_for(item.captured_at, end_of_duty=end_of_duty, hours=hours)
        if now > deadline:
            camera = item.source_detail if item.source_kind is EvidenceSourceKind.BODY_CAMERA else None
            flags.append(OverdueFlag(OverdueKind.NOT_SYNCED, item.sha256, item.captured_at, deadline,
                                     item.officer_ids, item.inspection_id, camera or None))
    for f in camera_files:
        deadline = deadline_for(f.modified_at, end_of_duty=end_of_duty, hours=hours)
        if now > deadline:
            flags.append(OverdueFlag(OverdueKind.NOT_INGESTED, f"{f.serial}:{f.rel_path}", f.modified_at, deadline,
                                     (f.officer_id,) if f.officer_id else (), camera=f.serial))
    flags.sort(key=lambda f: f.recorded_at)
    return flags


def overdue_in(ws: Workspace, items: Iterable[EvidenceItem], synced: Set[str] = frozenset(),
               camera_files: Iterable[CameraFile] = ()) -> list[OverdueFlag]:
    """:func:`overdue_recordings` with the workspace's clock and settings."""
    return overdue_recordings(items, synced, ws.clock(), end_of_duty=end_of_duty_time(ws), hours=limit_hours(ws),
                              camera_files=camera_files)


def pending_camera_files(locker: EvidenceLocker, volumes: Iterable[CameraVolume]) -> list[CameraFile]:
    """Recordings on attached cameras not yet taken in, with their file times (a camera
    writes a file when the recording stops, so its time is when the recording ended)."""
    found = []
    for volume in volumes:
        for path in pending_files(locker, volume):
            try:
                with open(path, "rb") as fh:
                    kind = media.sniff(fh.read(media.SNIFF_BYTES)) or ""
                mtime = path.stat().st_mtime
            except OSError:
                continue  # unplugged while listing: it is flagged next time
            if not media.is_timed(kind):
                continue  # R18 is about recordings
            found.append(CameraFile(volume.serial, rel_path(volume, path),
                                    datetime.fromtimestamp(mtime, CHINA_TZ), volume.officer_id))
    return found


def mark_reminded(ws: Workspace, flag: OverdueFlag, *, by: Session) -> None:
    """The team leader signed in as ``by`` records that the officers of an overdue recording
    were reminded (R18).

    Only someone who may review is flagged overdue material, so only they may mark it;
    a refusal is audited. The mark is an audit entry: it changes nothing of the recording.
    """
    person = access.acting(ws, by, access.Permission.REVIEW, flag.ref)
    with transaction(ws.db):
        ws.audit.append(person.id, REMINDED, flag.ref, kind=flag.kind.value, officers=list(flag.officer_ids),
                        deadline=flag.deadline.isoformat())


def reminded(ws: Workspace) -> dict[str, datetime]:
    """When each overdue recording (by its ``ref``) was last marked as reminded."""
    return {e.target: e.at for e in ws.audit.repo.entries() if e.action == REMINDED}
