"""Benchmark: HQ's ingest of a 2 GiB bundle vs ``age -d -i KEY FILE | tar x -C DIR`` + ``sync``.

A workspace with the demo data and ``--files`` random originals totalling ``--size-mib``
is sealed, paired with a new HQ folder and enrolled there, and one bundle is built
from it (``sync.bundle.build_bundle``); the bundle and the HQ folder as it was before
any ingest are cached in ``--cache`` (the workspace is removed once the bundle is
built). Then, in the same run and as child processes, each round:

(the two alternate which goes first)

1. ours: ``HqStore.ingest`` on a fresh copy of the HQ folder (decrypt with HQ's age
   identity, check the signature, the manifest and the chains, unpack, store the
   originals and the bag, fsync each file and folder, sign the receipt);
2. the reference: ``age -d -i hq-age.key BUNDLE | tar x -C DIR`` and then ``sync``,
   on the same file.

Printed: the ratio of wall times (goal ≤ 1.5×; the median over ``--repeat`` rounds
when more than one) and each side's peak resident memory (ours from
``/proc/self/status`` VmHWM in the child, the pipeline's the larger of age's and
tar's from ``/usr/bin/time``). The last line is ``ingest: ratio=… peak_mib=…``.

    .venv/bin/python benchmarks/ingest.py [--size-mib 2048] [--files 16] [--repeat 1]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childproc import run_child, seal_random_originals, vm_hwm_kib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def prepare(cache: Path, size_mib: int, files: int) -> tuple[Path, Path, str]:
    """The cached bundle, the pristine HQ folder and the device id; made when missing."""
    bundle, hq_pristine, ready = cache / "bundle.age", cache / "hq-pristine", cache / "ready"
    stamp = f"{size_mib} {files}"
    if ready.exists() and ready.read_text().split("\n")[0] == stamp:
        return bundle, hq_pristine, ready.read_text().split("\n")[1]
    sys.path.insert(0, str(ROOT))
    from app import access, demo, unlock
    from app.clock import CHINA_TZ, fixed_clock
    from app.keystore import OsKeyStore
    from memkeys import MemoryKeyring
    from sync.bundle import build_bundle, run
    from sync.hq import keys
    from sync.hq.store import HqStore
    from sync.pairing import pair_with_folder

    demo_now = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)  # the demo files' anchor (tests/conftest.py)
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    ws = unlock.create(cache / "data", keystore=OsKeyStore(MemoryKeyring()), clock=fixed_clock(demo_now))
    try:
        demo.seed(ws, media=False)
        from memkeys import hq_passphrase

        hq_passphrase()
        keys.keygen(hq_pristine)
        store = HqStore(hq_pristine)
        try:
            store.enroll(ws.device.public_key_pem)
        finally:
            store.close()
        pair_with_folder(ws, hq_pristine, session=access.sign_in(ws, "M01", "400101"))  # the demo administrator
        officer = access.sign_in(ws, "O01", "100101")
        seal_random_originals(ws, cache / "source.bin", size_mib, files, session=officer)
        run(build_bundle(ws, bundle, device=ws.device, session=officer))
        device_id = ws.device.device_id
    finally:
        ws.close()
    shutil.rmtree(cache / "data")  # only the bundle and HQ are needed from here on
    ready.write_text(f"{stamp}\n{device_id}\n")
    return bundle, hq_pristine, device_id


def child_ingest(hq_dir: str, bundle: str, device_id: str) -> None:
    """Inside the child: one ingest, its own time and peak memory."""
    sys.path.insert(0, str(ROOT))
    from sync.hq import keys
    from sync.hq.store import HqStore

    opening = time.perf_counter()
    keys.unlock(Path(hq_dir))  # once when a receiver starts (scrypt of HQ's passphrase), not per bundle
    unlocked = time.perf_counter() - opening
    with open("/proc/self/clear_refs", "w") as fh:  # the peak below is the ingest's: scrypt's 256 MiB were freed
        fh.write("5")
    store = HqStore(Path(hq_dir))
    start = time.perf_counter()
    try:
        receipt = store.ingest(Path(bundle), device_id=device_id)
    finally:
        store.close()
    elapsed = time.perf_counter() - start
    assert receipt.fields()["bundle_sha256"]
    print(f"{elapsed:.6f} {vm_hwm_kib()} {unlocked:.6f}")


def reference(work: Path, identity: Path, bundle: Path) -> tuple[float, int]:
    """``age -d -i KEY BUNDLE | tar x -C DIR`` then ``sync``: wall time and the larger peak (KiB)."""
    into = work / "extracted"
    into.mkdir()
    shell = (f"/usr/bin/time -f 'age %M' -o {work / 'age.rss'} age -d -i {identity} {bundle} "
             f"| /usr/bin/time -f 'tar %M' -o {work / 'tar.rss'} tar x -C {into} && sync")
    _, wall, _ = run_child(["bash", "-o", "pipefail", "-c", shell])
    peak = max(int((work / f"{t}.rss").read_text().split()[-1]) for t in ("age", "tar"))
    shutil.rmtree(into)
    run_child(["sync"])
    return wall, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/fieldinspect-bench-ingest"))
    args = parser.parse_args()
    for tool in ("age", "tar", "sync"):
        if shutil.which(tool) is None:
            raise SystemExit(f"needs the {tool} command line")
    bundle, hq_pristine, device_id = prepare(args.cache, args.size_mib, args.files)
    sys.path.insert(0, str(ROOT))
    from memkeys import hq_passphrase
    from sync.hq import keys

    hq_passphrase()
    # age gets HQ's identity opened, as a receiver holds it: in a memory-backed folder
    # (never on the disk), removed however the run ends.
    held = Path(tempfile.mkdtemp(prefix="ingest-bench-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    identity = held / "identity.txt"
    fd = os.open(identity, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(keys.age_identity(hq_pristine))
    try:
        rounds(args, bundle, hq_pristine, device_id, identity)
    finally:
        shutil.rmtree(held)


def rounds(args: argparse.Namespace, bundle: Path, hq_pristine: Path, device_id: str, identity: Path) -> None:
    work = args.cache / "work"
    ours_walls, ref_walls, ours_peaks, ref_peaks = [], [], [], []
    print(f"bundle: {bundle.stat().st_size / 2**20:.1f} MiB ({args.size_mib} MiB of evidence in {args.files} files)")
    for round_ in range(args.repeat):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        hq_dir = work / "hq"
        shutil.copytree(hq_pristine, hq_dir)
        run_child(["sync"])  # both sides start with nothing dirty in the page cache
        # Alternate which goes first: the second may find the bundle in the page cache.
        if round_ % 2:
            ref_wall, ref_kib = reference(work, identity, bundle)
        out, ours_wall, _ = run_child([sys.executable, __file__, "--child-ingest", str(hq_dir), str(bundle), device_id])
        inner, ours_kib, unlocked = out.split()
        ours_wall -= float(unlocked)  # HQ's keys are opened once per receiver, not per bundle
        shutil.rmtree(hq_dir)
        run_child(["sync"])
        if not round_ % 2:
            ref_wall, ref_kib = reference(work, identity, bundle)
        ours_walls.append(ours_wall)
        ref_walls.append(ref_wall)
        ours_peaks.append(int(ours_kib) / 1024)
        ref_peaks.append(ref_kib / 1024)
        print(f"round {round_ + 1}:")
        print(f"  HqStore.ingest            {ours_wall:7.2f} s  ({float(inner):.2f} s inside)  "
              f"peak RSS {int(ours_kib) / 1024:6.1f} MiB  (opening HQ's keys, {float(unlocked):.2f} s, "
              "left out)")
        print(f"  age -d | tar x + sync     {ref_wall:7.2f} s  {'':19} peak RSS {ref_kib / 1024:6.1f} MiB"
              f" (larger of age, tar)")
        print(f"  ratio                     {ours_wall / ref_wall:7.2f}x  (goal <= 1.5x)")
    shutil.rmtree(work, ignore_errors=True)
    ratio = statistics.median(ours_walls) / statistics.median(ref_walls)
    print(f"ingest: ratio={ratio:.2f} peak_mib={max(ours_peaks):.0f} ref_peak_mib={max(ref_peaks):.0f} "
          f"size_mib={args.size_mib} rounds={args.repeat}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child-ingest":
        child_ingest(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
