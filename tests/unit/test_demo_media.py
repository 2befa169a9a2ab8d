"""Demo media: drawn photos and a short video, sealed for closed demo inspections (R15, R17)."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from app import demo
from cli import main as cli
from app.clock import CHINA_TZ, fixed_clock
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.demo_media import SHOTS, SOURCE_DETAIL, seed_media
from app.evidence.locker import EvidenceLocker
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from keys_kit import create_workspace, keys_of

DEMO_NOW = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)  # the demo files' anchor morning


def test_demo_media_are_sealed_and_verify(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "d", clock=fixed_clock(DEMO_NOW))
    assert demo.seed(ws)
    items = seed_media(ws)  # its time is in the start-up benchmark, not here
    locker = EvidenceLocker(ws)
    assert len(items) == len(SHOTS) == len(locker.items.all()) == 5
    photos = [i for i in items if i.media_type == "image/jpeg"]
    (video,) = [i for i in items if i.media_type == "video/mp4"]
    assert len(photos) == 4
    for item in items:
        inspection = ws.inspections.get(item.inspection_id)
        assert inspection.status.value == "closed"  # evidence only for inspections already done
        certs = tuple(ws.officers.get(o).cert_no for o in inspection.officer_ids)
        assert item.officer_certs == certs and item.evidence_type is EvidenceType.AUDIOVISUAL
        assert item.source_kind is EvidenceSourceKind.FILE and item.source_detail == SOURCE_DETAIL
        assert inspection.scheduled_at < item.captured_at < inspection.scheduled_at + timedelta(hours=1)
    for photo in photos:
        with locker.store.open(photo.sha256) as fh:
            image = cv2.imdecode(np.frombuffer(fh.read(), np.uint8), cv2.IMREAD_COLOR)
        assert image.shape == (480, 640, 3) and image.std() > 20  # a drawn scene, not a blank frame
    with locker.store.plaintext_path(video.sha256) as plain:
        frames = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                                 "-show_entries", "stream=nb_read_frames,codec_name", "-of", "csv=p=0", plain],
                                capture_output=True, text=True, check=True)
    assert frames.stdout.strip() == "mpeg4,30" and video.duration_ms == 3000
    assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok
    # a second call adds nothing
    assert seed_media(ws) == [] and len(locker.items.all()) == 5
    ws.close()
    assert cli.main(["verify", str(ws.folder)]) == 0


def test_seed_with_media_is_idempotent_and_default_seed_has_no_evidence(tmp_path: Path) -> None:
    """Workspaces for tests keep an empty seal chain; the first start of the application asks for media."""
    plain = create_workspace(tmp_path / "plain", clock=fixed_clock(DEMO_NOW))
    assert demo.seed(plain)
    assert EvidenceLocker(plain).items.all() == []
    plain.close()

    ws = create_workspace(tmp_path / "media", clock=fixed_clock(DEMO_NOW))
    assert demo.seed(ws, media=True)
    assert not demo.seed(ws, media=True)  # already seeded: nothing changes
    locker = EvidenceLocker(ws)
    assert len(locker.items.all()) == 5 and [r.seq for r in locker.seals.all()] == [1, 2, 3, 4, 5]
    assert {i.inspection_id for i in locker.items.all()} == {"JC-2026-1020", "JC-2026-1021", "JC-2026-1022"}
    ws.close()


def test_demo_photos_carry_chinese_captions_drawn_in_a_chinese_font() -> None:
    """What an officer reads on a demo photo is Chinese: no English words in any caption, and
    the banner really shows glyphs (a font without Chinese would leave it blank or boxes)."""
    import re

    from app.evidence.demo_media import _frame

    at = datetime(2026, 11, 23, 9, tzinfo=CHINA_TZ)
    for shot in SHOTS:
        img = np.zeros((480, 640, 3), np.uint8)
        captions = shot.scene(img, 0.0)
        for text in [shot.caption, *(c.text for c in captions)]:
            assert re.search(r"[\u4e00-\u9fff]", text) and not re.search(r"[A-Za-z]{2,}", text), text
        banner = _frame(shot, at, 0.0)[:34, 200:]  # the caption part of the top strip, after the task id
        assert (banner > 200).sum() > 300, shot.name  # white glyph pixels on the dark strip
