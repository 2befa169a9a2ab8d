"""Every benchmark, one after the other, each in its own process; ``make bench`` runs this.

Each benchmark's output goes through as it comes; at the end the one-line results
(``name: ratio=… peak_mib=…``, the last line of each) are printed together, with the
wall time each took. Sizes are each benchmark's defaults unless ``--quick`` (small
inputs, for a look at the machinery rather than at the numbers).

    .venv/bin/python benchmarks/all.py [--quick] [--only review,upload]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULT = re.compile(r"^[a-z_]+: ratio=")

# (script, its arguments for a full run, for a quick one)
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("startup", ["--runs", "5"], ["--runs", "2"]),
    ("seal", [], ["--size-mib", "128"]),
    ("import", ["--rounds", "2"], ["--size-mib", "128", "--rounds", "1"]),
    ("bundle", [], ["--size-mib", "128"]),
    ("ingest", [], ["--size-mib", "128"]),
    ("upload", [], ["--size-mib", "128"]),
    ("review", [], ["--sizes", "50,500,2000", "--screens", "20"]),
    ("documents", [], ["--items", "50", "--repeat", "1"]),
    ("inventory", [], ["--items", "60"]),
    ("hq_load", [], ["--devices", "10"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated names")
    args = parser.parse_args()
    wanted = set(filter(None, args.only.split(",")))
    results: list[tuple[str, str, float]] = []
    failed = []
    for name, full, quick in BENCHMARKS:
        if wanted and name not in wanted or not (HERE / f"{name}.py").exists():
            continue
        print(f"=== {name}", flush=True)
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, str(HERE / f"{name}.py"), *(quick if args.quick else full)],
                                stdout=subprocess.PIPE, text=True)
        last = ""
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            if RESULT.match(line):
                last = line.strip()
        code = proc.wait()
        took = time.monotonic() - start
        if code != 0 or not last:
            failed.append(name)
            last = f"{name}: failed (exit {code})"
        results.append((name, last, took))
    print("=== results")
    for _, line, took in results:
        print(f"{line}  # {took:.0f} s")
    print(f"total {sum(t for *_, t in results):.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
