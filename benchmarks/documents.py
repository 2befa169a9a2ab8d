"""Benchmark: the on-site record of an inspection with 200 check items vs a one-page reportlab PDF.

Both are made in this process, in the same run, with the same embedded TrueType font
(registered once before timing, as the application does), so the ratio says what the
record's tables, pagination and signatures cost over the smallest PDF reportlab can
make with that font. Peak memory is Python's own allocation peak (tracemalloc) during
each generation; the scaling lines show how time and memory grow with the item count.

    .venv/bin/python benchmarks/documents.py [--items 200] [--repeat 3]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import report  # noqa: E402

from app.documents import fonts, onsite_record, specimen  # noqa: E402


def one_page_reference() -> bytes:
    """The reference: one A4 page of Chinese text with the same font, straight on a reportlab canvas."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, initialFontName=fonts.FONT_NAME)
    canvas.setFont(fonts.FONT_NAME, 22)
    canvas.drawCentredString(A4[0] / 2, A4[1] - 80, "现场检查笔录")
    canvas.setFont(fonts.FONT_NAME, 10.5)
    for n, line in enumerate(specimen.LONG_FINDING[i:i + 40] for i in range(0, len(specimen.LONG_FINDING), 40)):
        canvas.drawString(60, A4[1] - 130 - 17 * n, line)
    canvas.drawCentredString(A4[0] / 2, 40, "第 1 页 共 1 页")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def measure(make: Callable[[], bytes], repeat: int) -> tuple[float, int, int]:
    """Median seconds over ``repeat`` runs, peak traced bytes of one run, and the output size."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        data = make()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    data = make()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    fonts.register()
    print(f"font registration (once per process): {time.perf_counter() - start:.3f} s")
    record = specimen.record(args.items)
    pages: list[int] = []
    onsite_record.onsite_record_bytes(record, progress=pages.append)  # warm-up; counts the pages

    rec_time, rec_peak, rec_size = measure(lambda: onsite_record.onsite_record_bytes(record), args.repeat)
    ref_time, ref_peak, ref_size = measure(one_page_reference, args.repeat)
    print(f"on-site record, {args.items} items, {len(pages)} pages: {rec_time:.3f} s, "
          f"peak {rec_peak / 2**20:.1f} MiB, {rec_size / 1024:.0f} KiB "
          f"({rec_time / len(pages) * 1000:.1f} ms per page)")
    print(f"reference one-page PDF (reportlab canvas, same font): {ref_time:.3f} s, "
          f"peak {ref_peak / 2**20:.1f} MiB, {ref_size / 1024:.0f} KiB")
    print(f"ratio record / one page: {rec_time / ref_time:.1f}x time, "
          f"{rec_time / len(pages) / ref_time:.2f}x per page")

    print("scaling (items: pages, seconds, peak MiB):")
    for items in (50, 100, 200, 400):
        sized = specimen.record(items)
        counted: list[int] = []
        onsite_record.onsite_record_bytes(sized, progress=counted.append)
        seconds, peak, _ = measure(lambda sized=sized: onsite_record.onsite_record_bytes(sized), 1)
        print(f"  {items:4d}: {len(counted):3d} pages, {seconds:.3f} s, {peak / 2**20:.1f} MiB")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    report.line("documents", rec_time / len(pages) / ref_time, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                pages=len(pages))


if __name__ == "__main__":
    main()
