"""A copy of a data folder, as someone who picks up a lost tablet gets it, yields nothing readable.

The folder holds the demo data (names, ID numbers, credit codes, signatures), its demo
photos and video, and a real photo and a real recording imported as evidence. Every
byte of every file in a copy is searched for what an attacker would look for.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app import demo, paths
from app.evidence.importer import import_paths
from app.evidence.locker import EvidenceLocker
from tests.keys_kit import as_, create_workspace

pytestmark = pytest.mark.integration


def _photo(path: Path) -> bytes:
    import cv2
    import numpy as np

    rng = np.random.default_rng(7)
    image = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    path.write_bytes(data.tobytes())
    return data.tobytes()


def _recording(path: Path) -> bytes:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=15",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", str(path)], check=True)
    return path.read_bytes()


def _secrets() -> list[bytes]:
    """What must not be found: names, ID numbers, credit codes and the people of the demo cases."""
    document = json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))
    words = [o["name"] for o in document["officers"]] + [o["cert_no"] for o in document["officers"]
                                                           if o.get("cert_no")]
    for s in document["subjects"]:
        words += [s["name"], s.get("uscc") or "", s.get("representative") or "", s.get("address") or ""]
    words += ["陈建国", "330106196805120017"]  # a demolition case's party and ID number (app/demolition/specimen.py)
    return [w.encode("utf-8") for w in words if len(w) >= 2]


def test_a_copied_data_folder_shows_no_names_ids_codes_or_image_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ws = create_workspace(folder)
    try:
        demo.seed(ws, media=True)
        source = tmp_path / "card"
        source.mkdir()
        photo = _photo(source / "IMG_0001.JPG")
        video = _recording(source / "VID_0002.MP4")
        report = import_paths(EvidenceLocker(ws), [source], inspection_id="JC-2026-1101",
                              actor=as_(ws, "O01"), evidence_type="视听资料")
        assert len(report.imported) == 2 and not report.failed
    finally:
        ws.close()

    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    files = [p for p in copy.rglob("*") if p.is_file()]
    assert len(files) > 10
    needles = {
        # Markers long enough that ciphertext does not hold them by chance: a 3-byte JPEG
        # start of image turns up anywhere in a few MiB of random bytes about once in four.
        "a JPEG JFIF/Exif header": b"JFIF\x00",
        "a JPEG Exif header": b"Exif\x00\x00",
        "an MP4 file type box": b"ftypisom",
        "an MP4 movie box": b"moov\x00\x00\x00",
        "a 64-byte run of the photo": photo[len(photo) // 2:len(photo) // 2 + 64],
        "a 64-byte run of the recording": video[len(video) // 2:len(video) // 2 + 64],
        "a plain SQLite file": b"SQLite format 3",
        "a PEM private key": b"PRIVATE KEY",
        "a PIN hash": b"scrypt$",
        **{f"the text {w.decode()}": w for w in _secrets()},
    }
    found = []
    for path in files:
        data = path.read_bytes()
        found += [f"{name} in {path.relative_to(copy)}" for name, needle in needles.items() if needle in data]
        if data.startswith(b"\xff\xd8\xff") or data[4:8] == b"ftyp":
            found.append(f"a JPEG or MP4 file: {path.relative_to(copy)}")
    assert found == []
