"""Benchmark: building and encrypting a bundle with 2 GiB of evidence vs ``tar c … | age -r …``.

A workspace with the demo data and ``--files`` random originals totalling ``--size-mib``
is sealed once into ``--cache`` (its keys in a private Secret Service started for the
run, so the folder is made anew each run); then, in the same run and as
child processes, ``build_bundle`` writes the encrypted bundle, and the shell pipeline
``tar c <the same originals> | age -r <HQ recipient> > out`` does the reference job.
The ratio of wall times (goal ≤ 1.2×; the last line, ``bundle: ratio=… peak_mib=…``,
gives the median over the rounds) and each child's peak resident memory (from
``/proc/self/status`` VmHWM for ours, ``/usr/bin/time`` for tar and age) are
printed; the pipeline's peak is the larger of tar's and age's, as both run at once.

    .venv/bin/python benchmarks/bundle.py [--size-mib 2048] [--files 16] [--repeat 1]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report  # noqa: E402
from childproc import run_child, seal_random_originals, vm_hwm_kib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def prepare(cache: Path, size_mib: int, files: int) -> None:
    """Seal ``files`` random originals into a demo workspace at ``cache`` (once) and pair it."""
    sys.path.insert(0, str(ROOT))
    from app import access, demo
    from app.clock import fixed_clock
    from sync.hq import keys
    from sync.pairing import pair_with_folder
    from app.clock import CHINA_TZ

    DEMO_NOW = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)  # the demo files' anchor (tests/conftest.py)

    from app import unlock

    shutil.rmtree(cache, ignore_errors=True)
    ws = unlock.create(cache / "data", clock=fixed_clock(DEMO_NOW))
    demo.seed(ws, media=False)
    from memkeys import hq_passphrase

    hq_passphrase()
    keys.keygen(cache / "hq")
    admin = access.sign_in(ws, "M01", "400101")  # the demo administrator
    pair_with_folder(ws, cache / "hq", session=admin)
    seal_random_originals(ws, cache / "source.bin", size_mib, files, session=access.sign_in(ws, "O01", "100101"))
    ws.close()


def child_build(cache: str, out: str) -> None:
    """Inside the child: copy the cached folder's database state aside and build the bundle."""
    sys.path.insert(0, str(ROOT))
    from app import access, unlock
    from sync.bundle import build_bundle, run

    data = Path(cache) / "data"
    ws = unlock.unlock(data, "O01", "100101")  # the demo officer's PIN
    session = access.record_unlock(ws, "O01")
    start = time.perf_counter()
    info = run(build_bundle(ws, Path(out), device=ws.device, session=session))
    elapsed = time.perf_counter() - start
    ws.close()
    print(f"{elapsed:.6f} {info.size} {info.resent} {vm_hwm_kib()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/fieldinspect-bench-bundle"))
    args = parser.parse_args()
    if shutil.which("age") is None:
        raise SystemExit("needs the age command line")
    sys.path.insert(0, str(ROOT))
    from tests import secret_service

    service = secret_service.start()
    try:
        _run(args)
    finally:
        if service is not None:
            service.stop()


def _run(args: argparse.Namespace) -> None:
    prepare(args.cache, args.size_mib, args.files)
    sys.path.insert(0, str(ROOT))
    recipient = (args.cache / "hq" / "hq-age.pub").read_text().strip()
    from app.evidence.store import EvidenceStore

    objects = EvidenceStore(args.cache / "data", None).objects
    out_dir = args.cache / "out"
    out_dir.mkdir(exist_ok=True)
    ratios: list[float] = []
    peaks: list[float] = []
    for round_ in range(args.repeat):
        # A fresh copy of the database each round, so every build is a first build, not a re-send.
        db_src = args.cache / "data" / "fieldinspect.sqlite"
        backup = args.cache / "db-pristine"
        if not backup.exists():
            backup.mkdir()
            for f in (args.cache / "data").glob("fieldinspect.sqlite*"):
                shutil.copy2(f, backup / f.name)
        for f in (args.cache / "data").glob("fieldinspect.sqlite*"):
            f.unlink()
        for f in backup.iterdir():
            shutil.copy2(f, db_src.parent / f.name)
        for f in out_dir.iterdir():
            f.unlink()
        ours, ours_wall, _ = run_child([sys.executable, __file__, "--child-build", str(args.cache),
                                               str(out_dir / "bundle.age")])
        inner, size, _, ours_rss = ours.split()
        # /usr/bin/time reports each tool's own peak (its children start small, unlike ours)
        shell = (f"/usr/bin/time -f 'tar %M' -o {out_dir / 'tar.rss'} tar c -C {objects} . "
                 f"| /usr/bin/time -f 'age %M' -o {out_dir / 'age.rss'} age -r {recipient} > {out_dir / 'reference.age'}")
        _, ref_wall, _ = run_child(["bash", "-c", shell])
        ref_rss = max(int((out_dir / f"{t}.rss").read_text().split()[-1]) for t in ("tar", "age"))
        ref_size = (out_dir / "reference.age").stat().st_size
        print(f"round {round_ + 1}: evidence {args.size_mib} MiB in {args.files} files")
        print(f"  build_bundle        {ours_wall:7.2f} s  ({float(inner):.2f} s inside)  {int(size) / 2**20:8.1f} MiB"
              f"  peak RSS {int(ours_rss) / 1024:6.1f} MiB")
        print(f"  tar c | age -r      {ref_wall:7.2f} s  {ref_size / 2**20:27.1f} MiB  peak RSS {ref_rss / 1024:6.1f} MiB"
              f" (largest of tar, age)")
        print(f"  ratio               {ours_wall / ref_wall:7.2f}×  (goal ≤ 1.2×)")
        ratios.append(ours_wall / ref_wall)
        peaks.append(int(ours_rss) / 1024)
    report.line("bundle", statistics.median(ratios), max(peaks), size_mib=args.size_mib, rounds=args.repeat)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child-build":
        child_build(sys.argv[2], sys.argv[3])
    else:
        main()
