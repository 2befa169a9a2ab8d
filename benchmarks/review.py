"""Opening and scrolling the review queue with 5,000 items, against the same with 50.

For each size a fresh data folder is filled with that many sealed small JPEGs
(drawn with OpenCV), captured by O01 and O02 for one inspection. Then, in this
process, offscreen unless a display is set:

- *open*: the team leader's review page is shown (queue model filled, audit log
  and its chain check, overdue list) and the thumbnails of the first screen of
  rows are produced (none are cached: the cache folder is new);
- *scroll*: the queue is scrolled a screen at a time to the end, each screen's
  thumbnails produced before the next; reported per screen, since a longer list
  has more screens to scroll through.

Prints the times and the 5,000/50 ratios. Not a timed test of the suite.

    .venv/bin/python benchmarks/review.py [--large 5000] [--small 50]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if "DISPLAY" not in os.environ else "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from app import demo  # noqa: E402
from app.clock import CHINA_TZ, fixed_clock  # noqa: E402
from app.domain import EvidenceSourceKind, EvidenceType  # noqa: E402
from app.evidence.locker import EvidenceLocker  # noqa: E402
from memkeys import new_workspace  # noqa: E402

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=CHINA_TZ)
CERTS = ["33010621001", "33010621002"]


def tiny_jpeg(n: int) -> bytes:
    img = np.full((120, 160, 3), ((n * 37) % 255, (n * 91) % 255, (n * 13) % 255), np.uint8)
    cv2.putText(img, str(n), (8, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (255, 255, 255), 2)
    return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()


def build(folder: Path, count: int):  # type: ignore[no-untyped-def]
    """A folder with ``count`` sealed photos; returns the open workspace (its key-store
    secret lives in this process only) and the time the sealing took."""
    ws = new_workspace(folder)
    ws.clock = fixed_clock(NOW)
    demo.seed(ws)
    locker = EvidenceLocker(ws)
    start = time.perf_counter()
    for n in range(count):
        locker.ingest_stream(io.BytesIO(tiny_jpeg(n)), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=CERTS,
                             source_kind=EvidenceSourceKind.WEBCAM, source_detail="0",
                             inspection_id="JC-2026-1101", actor="O01", original_name=f"IMG_{n:05d}.jpg")
    return ws, time.perf_counter() - start


def visible_rows(page) -> range:
    view = page.table
    first = view.rowAt(0)
    last = view.rowAt(view.viewport().height() - 1)
    if last < 0:
        last = page.model.rowCount() - 1
    return range(max(first, 0), last + 1)


def wait_for_thumbnails(app, page, cache) -> None:
    """Until every row on screen has its thumbnail (or is known to have none)."""
    while True:
        app.processEvents()
        rows = visible_rows(page)
        missing = [r for r in rows if (sha := page.model.row_at(r).entry.item.sha256)
                   not in cache._pixmaps and not cache.has_none(sha)]  # noqa: SLF001
        if not missing:
            return
        for r in missing:
            cache.pixmap(page.model.row_at(r).entry.item)  # what painting the row asks for
        time.sleep(0.001)


def measure(ws) -> tuple[float, float, int, int]:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.application import create_application
    from ui.pages.review import ReviewPage
    from ui.thumbnails import ThumbnailCache

    app = QApplication.instance() or create_application()
    locker = EvidenceLocker(ws)
    cache = ThumbnailCache(ws.folder, locker.store)
    page = ReviewPage(ws, lambda: (locker, cache))
    page.resize(1280, 800)
    start = time.perf_counter()
    page.set_officer(ws.officers.get("L01"))
    page.show()
    wait_for_thumbnails(app, page, cache)
    opened = time.perf_counter() - start
    rows = page.model.rowCount()
    bar = page.table.verticalScrollBar()
    screens = 0
    start = time.perf_counter()
    while bar.value() < bar.maximum():
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        wait_for_thumbnails(app, page, cache)
        screens += 1
    scrolled = time.perf_counter() - start
    page.shutdown()
    cache.shutdown()
    page.deleteLater()
    app.processEvents()
    ws.close()
    return opened, scrolled / max(screens, 1), screens, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--small", type=int, default=50)
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        measure(build(Path(tmp) / "warm-up", args.small)[0])  # first table, fonts, style: not part of either size
        for count in (args.small, args.large):
            ws, built = build(Path(tmp) / f"d{count}", count)
            opened, per_screen, screens, rows = measure(ws)
            results[count] = (opened, per_screen)
            print(f"{count:>6} items: sealed in {built:6.1f} s; queue of {rows} rows opened with first-screen "
                  f"thumbnails in {opened * 1000:7.1f} ms; scrolled {screens} screens, "
                  f"{per_screen * 1000:6.1f} ms per screen", flush=True)
    (o_s, s_s), (o_l, s_l) = results[args.small], results[args.large]
    print(f"ratio {args.large}/{args.small}: open {o_l / o_s:.2f}x, scroll per screen {s_l / s_s:.2f}x")


if __name__ == "__main__":
    main()
