"""Benchmark: adding a demolition inventory item with a photo when the inventory already
holds 300 items, against adding the first.

Each add is what the officer's tap costs: the photo sealed into the evidence store
(hashed, signed, chained, fsynced) and the item version written, through the core
service; then the same through the UI's table model (one inserted row). Several
samples are taken at both ends; medians and minima are printed (on a machine shared
with other work the minimum is the steadier figure: the commit and the fsyncs of the
seal dominate each add, and they vary with the disk's load).

    .venv/bin/python benchmarks/inventory.py [--items 300] [--samples 7]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402

from app import access, demo  # noqa: E402
from app.clock import CHINA_TZ  # noqa: E402
from app.demolition import specimen  # noqa: E402
from app.demolition.service import DemolitionService  # noqa: E402
from app.documents.specimen import signature_png  # noqa: E402
from memkeys import new_workspace  # noqa: E402


def add(s: DemolitionService, n: int, photo: bytes, officer: object) -> object:
    sha = s.inventory.take_photo(specimen.READY_CASE, photo, actor=officer)
    return s.inventory.add_item(specimen.READY_CASE, name=f"餐椅{n}", category="家具", quantity=1, unit="件",
                                condition="完好", label_no=f"B-{n:04d}", photos=[sha], actor=officer,
                                storage_place="仓库")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--samples", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.models.demolition_inventory import InventoryModel

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the model needs an application
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp) / "data")
        ws.clock = lambda: datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)
        demo.seed(ws)
        s = DemolitionService(ws)
        officer = access.sign_in(ws, "O01", "100101")  # the demo PIN of 张伟
        s.start(specimen.READY_CASE, actor=officer)
        s.set_party(specimen.READY_CASE, present=True, name="陈建国", actor=officer)
        s.add_witness(specimen.READY_CASE, kind="witness", name="周明", id_no="330106198001011234",
                      no_interest="无利害关系", signature_png=signature_png("周明"), actor=officer)
        model = InventoryModel()
        # Photos are made beforehand: drawing them is not what is measured.
        total = args.items + 2 * args.samples
        photos = [specimen.sample_photo(n) for n in range(1, total + 1)]
        print(f"photo size ≈ {statistics.mean(len(p) for p in photos) / 1024:.0f} KiB JPEG, "
              f"{args.samples} samples at each end")

        def timed(n: int) -> tuple[float, float]:
            start = time.perf_counter()
            item = add(s, n, photos[n - 1], officer)
            core = time.perf_counter() - start
            model.put(item)  # type: ignore[arg-type]
            return core, time.perf_counter() - start

        first = [timed(n) for n in range(1, args.samples + 1)]
        n = args.samples
        while n < args.items:
            n += 1
            timed(n)
        assert model.rowCount() == args.items
        late = [timed(k) for k in range(n + 1, n + args.samples + 1)]
        ws.close()
    for label, column in (("core service (seal photo + item version)", 0), ("core + UI table model", 1)):
        a = statistics.median(t[column] for t in first) * 1000
        b = statistics.median(t[column] for t in late) * 1000
        a_min = min(t[column] for t in first) * 1000
        b_min = min(t[column] for t in late) * 1000
        print(f"{label}: median first {a:.1f} ms, at {args.items} {b:.1f} ms, ratio {b / a:.2f}; "
              f"best first {a_min:.1f} ms, at {args.items} {b_min:.1f} ms, ratio {b_min / a_min:.2f}")
    report.line("inventory", b / a, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, items=args.items,
                entry_ms=b)


if __name__ == "__main__":
    main()
