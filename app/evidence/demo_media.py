"""Demo evidence: a few drawn photos and one short video, sealed for closed demo inspections.

So that a newcomer's gallery is not empty and ``fieldinspect verify`` has something
to check. The scenes are drawn with OpenCV; their captions are Chinese, as an
officer's would be, set in the bundled WenQuanYi Micro Hei through Pillow (OpenCV's
own fonts have no Chinese; Pillow comes with reportlab). The pictures say plainly
that they are demo material (演示); their seal records name the source as a
generated file (``file`` / ``demo:generated``), never a camera.
Everything is made in memory or a temporary folder and takes well under a second.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from app import paths

from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType, Inspection
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace

SOURCE_DETAIL = "demo:generated"
W, H = 640, 480
WHITE, BLACK, RED = (255, 255, 255), (20, 20, 20), (0, 0, 200)  # BGR, as OpenCV draws


@dataclass(frozen=True, slots=True)
class DemoShot:
    inspection_id: str
    minutes: int  # after the inspection's scheduled start
    name: str
    caption: str
    # Draws onto a BGR image (the float is 0..1 through a video) and returns the captions to set on it.
    scene: Callable[[np.ndarray, float], list[Caption]]
    video_seconds: float = 0.0  # 0: a photo


@dataclass(frozen=True, slots=True)
class Caption:
    """Text laid over a scene: where (top left), how large (px) and in which BGR colour."""

    text: str
    at: tuple[int, int]
    size: int = 20
    colour: tuple[int, int, int] = BLACK


_fonts: dict[int, ImageFont.FreeTypeFont] = {}


def _font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _fonts:
        _fonts[size] = ImageFont.truetype(str(paths.FONT_FILE), size)
    return _fonts[size]


def _write(img: np.ndarray, captions: list[Caption]) -> None:
    """Set the captions onto the BGR image in place, in one pass through Pillow."""
    canvas = Image.fromarray(img[:, :, ::-1])
    draw = ImageDraw.Draw(canvas)
    for c in captions:
        draw.text(c.at, c.text, font=_font(c.size), fill=c.colour[::-1])
    img[:] = np.asarray(canvas)[:, :, ::-1]


def _backdrop(img: np.ndarray, top: tuple[int, int, int], floor: tuple[int, int, int]) -> None:
    img[: H * 3 // 5] = top
    img[H * 3 // 5:] = floor
    cv2.line(img, (0, H * 3 // 5), (W, H * 3 // 5), (60, 60, 60), 2)


def _extinguisher(img: np.ndarray, t: float) -> list[Caption]:
    _backdrop(img, (200, 210, 215), (120, 130, 140))
    cv2.rectangle(img, (60, 120), (330, 290), (235, 235, 235), -1)  # steel worktop
    cv2.rectangle(img, (60, 290), (330, 300), (90, 90, 90), -1)
    cv2.rectangle(img, (420, 160), (490, 380), (30, 30, 200), -1)  # extinguisher body
    cv2.ellipse(img, (455, 160), (35, 18), 0, 180, 360, (30, 30, 200), -1)
    cv2.rectangle(img, (445, 118), (465, 145), (40, 40, 40), -1)
    cv2.circle(img, (455, 230), 22, (245, 245, 245), -1)  # pressure gauge
    cv2.line(img, (455, 230), (468, 218), (0, 140, 0), 3)
    return [Caption("压力表指针：绿区", (380, 395))]


def _storage(img: np.ndarray, t: float) -> list[Caption]:
    _backdrop(img, (180, 200, 210), (110, 120, 125))
    for y in (150, 230, 310):
        cv2.rectangle(img, (80, y), (560, y + 10), (70, 90, 110), -1)
        for x in range(100, 540, 70):
            cv2.rectangle(img, (x, y - 55), (x + 50, y), (60, 150, 200), -1)
    cv2.arrowedLine(img, (310, 390), (310, 325), RED, 2)
    return [Caption("离地 15 厘米", (330, 355))]


def _billboard(img: np.ndarray, t: float) -> list[Caption]:
    img[:] = (230, 200, 150)  # sky
    cv2.rectangle(img, (0, 360), (W, H), (90, 100, 100), -1)
    cv2.rectangle(img, (300, 180), (320, 360), (80, 80, 80), -1)
    cv2.rectangle(img, (120, 60), (520, 200), (40, 170, 240), -1)
    cv2.rectangle(img, (120, 60), (520, 200), (30, 30, 30), 3)
    cv2.circle(img, (505, 222), 20, RED, 2)  # where the permit plate should hang
    return [Caption("全场五折", (200, 95), size=64, colour=WHITE), Caption("未悬挂设置许可牌", (320, 250), colour=RED)]


def _worksite(img: np.ndarray, t: float) -> list[Caption]:
    _backdrop(img, (215, 195, 160), (70, 110, 140))
    shift = int(t * 160)  # a slow pan across the site in the video
    for i, x in enumerate(range(-200 + shift, W, 150)):
        cv2.rectangle(img, (x, 170), (x + 110, 290), (150, 150, 160) if i % 2 else (120, 140, 170), -1)
    cv2.rectangle(img, (0, 300), (W, 320), (0, 200, 255), -1)  # safety tape
    for x in range(0, W, 40):
        cv2.line(img, (x, 300), (x + 20, 320), (20, 20, 20), 4)
    pile = np.array([[330 - shift // 2, 440], [420 - shift // 2, 350], [530 - shift // 2, 440]], np.int32)
    cv2.fillPoly(img, [pile], (95, 95, 105))
    for dx, dy in ((-40, -20), (0, -50), (35, -25), (10, -10)):
        cv2.circle(img, (430 - shift // 2 + dx, 430 + dy), 9, (60, 60, 70), -1)
    return [Caption("渣土堆放：未覆盖防尘网", (40, 365), size=24, colour=WHITE)]


SHOTS = (
    DemoShot("JC-2026-1020", 12, "kitchen-extinguisher", "后厨：灭火器已检查", _extinguisher),
    DemoShot("JC-2026-1020", 18, "storage-shelves", "食品库房：离地存放", _storage),
    DemoShot("JC-2026-1021", 9, "sign-without-permit", "户外招牌：无设置许可牌", _billboard),
    DemoShot("JC-2026-1022", 7, "worksite", "工地：渣土未覆盖", _worksite),
    DemoShot("JC-2026-1022", 10, "worksite-walk", "工地巡查录像", _worksite, video_seconds=3.0),
)


def _frame(shot: DemoShot, at: datetime, t: float) -> np.ndarray:
    img = np.zeros((H, W, 3), np.uint8)
    captions = shot.scene(img, t)
    cv2.rectangle(img, (0, 0), (W, 34), (30, 30, 30), -1)
    cv2.rectangle(img, (0, H - 30), (W, H), (30, 30, 30), -1)
    stamp = (at + timedelta(seconds=t * shot.video_seconds)).strftime("%Y-%m-%d %H:%M:%S +08")
    _write(img, [*captions, Caption(f"演示  {shot.inspection_id}  {shot.caption}", (10, 6), size=20, colour=WHITE),
                 Caption(stamp, (10, H - 26), size=18, colour=WHITE)])
    return img


def _video(shot: DemoShot, at: datetime, folder: Path, fps: float = 10.0) -> Path:
    path = folder / f"{shot.name}.mp4"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (W, H))
    count = int(shot.video_seconds * fps)
    for n in range(count):
        writer.write(_frame(shot, at, n / max(count - 1, 1)))
    writer.release()
    return path


def seed_media(ws: Workspace, locker: EvidenceLocker | None = None) -> list[EvidenceItem]:
    """Draw and seal the demo photos and video; returns the items sealed now.

    Skips an inspection that is missing or already has evidence, so a second call
    adds nothing.
    """
    locker = locker or EvidenceLocker(ws)
    sealed: list[EvidenceItem] = []
    with tempfile.TemporaryDirectory(prefix="fieldinspect-demo-") as tmp:
        targets = {}
        for shot in SHOTS:
            if shot.inspection_id not in targets:
                inspection = ws.inspections.get(shot.inspection_id)
                fresh = inspection is not None and not locker.items.for_inspection(shot.inspection_id)
                targets[shot.inspection_id] = inspection if fresh else None
            inspection = targets[shot.inspection_id]
            if inspection is None:
                continue
            sealed.append(_seal(locker, ws, shot, inspection, Path(tmp)))
    return sealed


def _seal(locker: EvidenceLocker, ws: Workspace, shot: DemoShot, inspection: Inspection, tmp: Path) -> EvidenceItem:
    at = inspection.scheduled_at + timedelta(minutes=shot.minutes)
    certs = [c for c in (ws.officers.get(o).cert_no for o in inspection.officer_ids) if c]
    common = dict(evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=certs, inspection_id=inspection.id,
                  source_kind=EvidenceSourceKind.FILE, source_detail=SOURCE_DETAIL, captured_at=at)
    if shot.video_seconds:
        path = _video(shot, at, tmp)
        return locker.ingest_file(path, original_name=f"demo-{shot.name}.mp4", **common).item
    ok, data = cv2.imencode(".jpg", _frame(shot, at, 0.0), [cv2.IMWRITE_JPEG_QUALITY, 88])
    assert ok
    return locker.ingest_stream(io.BytesIO(data.tobytes()), original_name=f"demo-{shot.name}.jpg", **common).item
