"""Opening and scrolling the review queue with 50,000 and 5,000 items, against the same with 50.

For each size a fresh data folder is filled with that many sealed small JPEGs
(drawn with OpenCV), captured by O01 and O02 for one inspection. Then, in this
process, offscreen unless a display is set:

- *open*: the team leader's review page is shown (the queue counted, its first
  window fetched, the filters filled) and the thumbnails of the first screen of
  rows are produced (none are cached: the cache folder is emptied); the median of
  ``--opens`` such openings, each with a new page, is reported;
- *scroll*: the queue is scrolled a screen at a time, ``--screens`` screens (or to
  the end of a shorter list), each screen's thumbnails produced before the next;
  the median and the slowest screen are reported (a window is fetched on the way).

Prints the times, the ratios to the smallest size (goal: opening ≤ 1.5×; a screen
under 50 ms) and, last, one line for scripts:
``review: ratio=<open 50,000/50> ratio_5000=… scroll_ms=… peak_mib=…``.
Not a timed test of the suite.

    .venv/bin/python benchmarks/review.py [--sizes 50,5000,50000] [--screens 60] [--opens 5]
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if "DISPLAY" not in os.environ else "xcb")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import cv2  # noqa: E402
import numpy as np  # noqa: E402

from app import demo  # noqa: E402
from app.clock import CHINA_TZ, fixed_clock  # noqa: E402
from app.domain import EvidenceSourceKind, EvidenceType  # noqa: E402
from app.evidence.locker import EvidenceLocker  # noqa: E402
from keys_kit import as_  # noqa: E402
from memkeys import new_workspace  # noqa: E402
import report  # noqa: E402

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
    officer = as_(ws, "O01")  # signed in with the demo PIN
    start = time.perf_counter()
    for n in range(count):
        locker.ingest_stream(io.BytesIO(tiny_jpeg(n)), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=CERTS,
                             source_kind=EvidenceSourceKind.WEBCAM, source_detail="0",
                             inspection_id="JC-2026-1101", session=officer, original_name=f"IMG_{n:05d}.jpg")
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


def open_once(app, ws, locker):  # type: ignore[no-untyped-def]
    """A new review page and thumbnail cache (its folder emptied): seconds to the first
    screen with its thumbnails, and the page, still open."""
    import shutil

    from ui.pages.review import ReviewPage
    from ui.thumbnails import CACHE_DIR, ThumbnailCache

    shutil.rmtree(ws.folder / CACHE_DIR, ignore_errors=True)
    cache = ThumbnailCache(ws.folder, locker.store)
    page = ReviewPage(ws, lambda: (locker, cache))
    page.resize(1280, 800)
    start = time.perf_counter()
    page.set_officer(ws.officers.get("L01"))
    page.show()
    wait_for_thumbnails(app, page, cache)
    return time.perf_counter() - start, page, cache


def close(app, page, cache) -> None:  # type: ignore[no-untyped-def]
    page.shutdown()
    cache.shutdown()
    page.close()
    page.deleteLater()
    app.processEvents()


def measure(ws, screens_wanted: int, opens: int) -> tuple[float, list[float], int]:  # type: ignore[no-untyped-def]
    """The median of ``opens`` cold openings, then ``screens_wanted`` screens scrolled."""
    from PySide6.QtWidgets import QApplication

    from ui.application import create_application

    app = QApplication.instance() or create_application()
    locker = EvidenceLocker(ws)
    times = []
    for n in range(opens):
        opened, page, cache = open_once(app, ws, locker)
        times.append(opened)
        if n < opens - 1:
            close(app, page, cache)
    total = page.model.total
    bar = page.table.verticalScrollBar()
    per_screen = []
    while len(per_screen) < screens_wanted and (bar.value() < bar.maximum() or page.model.canFetchMore()):
        start = time.perf_counter()
        bar.setValue(min(bar.maximum(), bar.value() + bar.pageStep()))
        app.processEvents()  # the view asks for the next window when it reaches the end
        wait_for_thumbnails(app, page, cache)
        per_screen.append(time.perf_counter() - start)
    close(app, page, cache)
    ws.close()
    return statistics.median(times), per_screen, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,5000,50000", help="queue sizes, the smallest first")
    parser.add_argument("--screens", type=int, default=60)
    parser.add_argument("--opens", type=int, default=5, help="cold openings per size (the median is reported)")
    args = parser.parse_args()
    sizes = [int(n) for n in args.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        measure(build(Path(tmp) / "warm-up", sizes[0])[0], 3, 1)  # first table, fonts, style: not part of any size
        for count in sizes:
            ws, built = build(Path(tmp) / f"d{count}", count)
            opened, per_screen, total = measure(ws, args.screens, args.opens)
            results[count] = (opened, per_screen)
            print(f"{count:>6} items: sealed in {built:6.1f} s; queue of {total} opened with first-screen "
                  f"thumbnails in {opened * 1000:7.1f} ms (median of {args.opens}); {len(per_screen)} screens scrolled, median "
                  f"{statistics.median(per_screen) * 1000:5.1f} ms, slowest {max(per_screen) * 1000:5.1f} ms",
                  flush=True)
    base = results[sizes[0]][0]
    ratios = {n: results[n][0] / base for n in sizes[1:]}
    slowest = max(max(p) for _, p in results.values())
    median = statistics.median([t for _, p in results.values() for t in p])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("ratio to " + str(sizes[0]) + ": " + ", ".join(f"open {n} {r:.2f}x" for n, r in ratios.items()))
    extra = {f"ratio_{n}": r for n, r in list(ratios.items())[:-1]}
    report.line("review", ratios[sizes[-1]], peak, **extra, scroll_median_ms=median * 1000,
                scroll_max_ms=slowest * 1000)


if __name__ == "__main__":
    main()
