"""R18: recordings not taken in or not synced within the limit after the end of duty."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

from app.clock import CHINA_TZ
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.overdue import CameraFile, OverdueKind, deadline_for, overdue_in, overdue_recordings
from app.workspace import Workspace


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CHINA_TZ)


def recording(n: int, captured: datetime, media_type: str = "video/mp4") -> EvidenceItem:
    return EvidenceItem(
        sha256=f"{n:064x}", size=10, media_type=media_type, evidence_type=EvidenceType.AUDIOVISUAL,
        captured_at=captured, ingested_at=captured, source_kind=EvidenceSourceKind.BODY_CAMERA,
        source_detail="C1", officer_ids=("O01",), officer_certs=("33010621001",), seal_seq=n,
        inspection_id="JC-2026-1101")


def test_R18_deadline_is_end_of_duty_plus_the_limit() -> None:
    assert deadline_for(at(20, 10)) == at(21, 18)
    assert deadline_for(at(20, 19)) == at(22, 18)  # after the end of duty: that night's duty ends next day
    assert deadline_for(at(20, 10), end_of_duty=time(17, 30), hours=12) == at(21, 5, 30)


def test_R18_unsynced_recordings_past_the_limit_are_flagged() -> None:
    old, fresh = recording(1, at(20, 9)), recording(2, at(22, 9))
    photo = replace(recording(3, at(19, 9)), media_type="image/jpeg")
    still = replace(recording(4, at(19, 9)), derived_from=old.sha256, derivation="still")
    flags = overdue_recordings([old, fresh, photo, still], set(), at(22, 9))
    assert [(f.kind, f.ref) for f in flags] == [(OverdueKind.NOT_SYNCED, old.sha256)]
    assert flags[0].deadline == at(21, 18) and flags[0].officer_ids == ("O01",)
    assert overdue_recordings([old], {old.sha256}, at(22, 9)) == []  # synced: no flag
    assert overdue_recordings([old], set(), at(21, 18)) == []  # exactly at the deadline: still in time


def test_R18_files_left_on_a_camera_are_flagged_not_ingested() -> None:
    files = [CameraFile("C1", "DCIM/100/A.MP4", at(20, 9), "O02"), CameraFile("C1", "DCIM/100/B.MP4", at(22, 8))]
    flags = overdue_recordings([], set(), at(22, 9), camera_files=files)
    assert [(f.kind, f.ref, f.officer_ids) for f in flags] == [
        (OverdueKind.NOT_INGESTED, "C1:DCIM/100/A.MP4", ("O02",))]


def test_R18_limit_and_end_of_duty_come_from_settings(workspace: Workspace) -> None:
    item = recording(1, at(22, 8))  # the fixed clock says 23 Nov 08:30
    assert overdue_in(workspace, [item]) == []
    workspace.settings.set("duty.overdue_hours", "2")
    workspace.settings.set("duty.end_time", "06:00")
    assert [f.ref for f in overdue_in(workspace, [item])] == [item.sha256]
    workspace.settings.set("duty.end_time", "not a time")  # falls back to 18:00
    assert overdue_in(workspace, [item])[0].deadline == at(22, 20)


def test_R18_recordings_left_on_an_attached_camera(demo_workspace: Workspace, tmp_path) -> None:
    import os
    from app.evidence.bodycam import find_camera_volumes
    from app.evidence.locker import EvidenceLocker
    from app.overdue import pending_camera_files

    card = tmp_path / "CAM"
    (card / "DCIM" / "100MEDIA").mkdir(parents=True)
    video = card / "DCIM" / "100MEDIA" / "VID_0001.MP4"
    video.write_bytes(b"\0\0\0\x18ftypmp42" + b"\0" * 200)
    photo = card / "DCIM" / "100MEDIA" / "IMG_0002.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 200)
    old = at(20, 9).timestamp()
    for f in (video, photo):
        os.utime(f, (old, old))
    files = pending_camera_files(EvidenceLocker(demo_workspace), find_camera_volumes([card]))
    assert [(f.rel_path, f.modified_at) for f in files] == [("DCIM/100MEDIA/VID_0001.MP4", at(20, 9))]
    flags = overdue_in(demo_workspace, [], camera_files=files)
    assert [(f.kind, f.ref.split(":", 1)[1]) for f in flags] == [(OverdueKind.NOT_INGESTED, "DCIM/100MEDIA/VID_0001.MP4")]


def test_R18_only_a_reviewer_marks_an_overdue_recording_reminded(demo_workspace: Workspace) -> None:
    """The mark is the team leader's (overdue material is flagged to him); an officer is refused, audited."""
    import pytest

    from app.access import RoleRefused
    from app.overdue import OverdueFlag, mark_reminded, reminded
    from keys_kit import as_

    ws = demo_workspace
    flag = OverdueFlag(OverdueKind.NOT_SYNCED, "cd" * 32, at(20, 10), at(21, 18), ("O01",))
    with pytest.raises(RoleRefused):
        mark_reminded(ws, flag, by=as_(ws, "O01"))
    assert list(ws.audit.repo.entries())[-1].action == "refused" and reminded(ws) == {}
    mark_reminded(ws, flag, by=as_(ws, "L01"))
    assert set(reminded(ws)) == {flag.ref}
    assert list(ws.audit.repo.entries())[-1].actor == "L01"
