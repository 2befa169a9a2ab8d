"""Benchmark: importing a camera folder (2 GiB over several files) vs ``cp -r`` + ``sync``.

The camera folder (a DCIM tree of photos and videos of random bytes) is generated
once under /var/tmp and reused. In the same run, alternately, ``cp -r`` + ``sync``
(each copied file) copies it and a child process imports it as a body camera (copy, SHA-256, fsync,
signed seal and database row per file). The ratio says what sealing costs over a
plain durable copy; the child's peak resident memory (``ru_maxrss`` via
``os.wait4``) shows that memory stays flat whatever the sizes.

    .venv/bin/python benchmarks/import.py [--size-mib 2048] [--files 12] [--rounds 3]

Goal: at most 1.3x.

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childproc import run_child  # noqa: E402
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/var/tmp/fieldinspect-import-bench")
MiB = 1 << 20


def child_import(data: str, camera: str) -> None:
    """Run inside the child: import the camera folder ``camera`` into a new data folder."""
    sys.path.insert(0, str(ROOT))
    from app import access, demo
    from app.evidence.bodycam import CameraImport, assign_camera, camera_volume_at
    from app.evidence.locker import EvidenceLocker
    from memkeys import new_workspace

    ws = new_workspace(Path(data))  # new keys: originals are encrypted under its master key
    demo.seed(ws)
    locker = EvidenceLocker(ws)
    officer = access.sign_in(ws, "O01", "100101")  # the demo PIN of 张伟, who wears the camera
    volume = camera_volume_at(Path(camera))
    assign_camera(ws, volume.serial, "O01", actor=officer)
    start = time.perf_counter()
    job = CameraImport(locker, volume, inspection_id="JC-2026-1101", actor=officer)
    last = None
    for last in job.run():
        pass
    elapsed = time.perf_counter() - start
    assert last is not None and not job.report.failed
    print(f"{elapsed:.6f} {len(job.report.imported)} {last.bytes_done} {last.rate_bps:.0f}")
    ws.close()


def camera_plan(size_mib: int, files: int) -> list[tuple[str, int]]:
    """(relative path, size) of a camera's files: a few long videos, shorter ones, photos."""
    photos = max(1, files // 3)
    videos = max(1, files - photos)
    photo_size = 4 * MiB
    video_total = size_mib * MiB - photos * photo_size
    weights = [2 ** (i % 3) for i in range(videos)]  # sizes vary, as recordings do
    plan = [(f"DCIM/100MEDIA/VID_{i + 1:04d}.MP4", video_total * w // sum(weights)) for i, w in enumerate(weights)]
    plan += [(f"DCIM/100MEDIA/IMG_{i + 1:04d}.JPG", photo_size) for i in range(photos)]
    return plan


def ensure_source(plan: list[tuple[str, int]]) -> Path:
    """Write the camera folder once; reuse it when every file is already there at its size."""
    camera = SOURCE / f"{round(sum(s for _, s in plan) / MiB)}MiB-{len(plan)}"
    if all((camera / rel).is_file() and (camera / rel).stat().st_size == size for rel, size in plan):
        return camera
    shutil.rmtree(camera, ignore_errors=True)
    for rel, size in plan:
        path = camera / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        header = b"\xff\xd8\xff\xe0" if rel.endswith(".JPG") else b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
        with open(path, "wb") as fh:
            fh.write(header)
            left = size - len(header)
            while left > 0:
                n = min(16 * MiB, left)
                fh.write(os.urandom(n))
                left -= n
    subprocess.run(["sync"], check=True)
    return camera


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--files", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scratch", default="/var/tmp",
                        help="where the copies and data folders go (/dev/shm takes the disk out)")
    parser.add_argument("--child", nargs=2, metavar=("DATA", "CAMERA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_import(*args.child)
        return

    camera = ensure_source(camera_plan(args.size_mib, args.files))
    total = sum(p.stat().st_size for p in camera.rglob("*") if p.is_file())
    mib = total / MiB
    # Warm the page cache so neither side is charged for the first read from disk.
    run_child(["sh", "-c", f"cat '{camera}'/DCIM/100MEDIA/* > /dev/null"])
    cp_times, import_times, rss = [], [], []
    scratch = Path(tempfile.mkdtemp(prefix="import-bench-", dir=args.scratch))
    try:
        for round_no in range(args.rounds):
            copy = scratch / f"copy{round_no}"
            # fsync of each copied file (coreutils ``sync FILE…``), as the import does per file; a
            # bare ``sync`` would also flush whatever else is waiting on this shared disk
            script = f"cp -r '{camera}' '{copy}' && find '{copy}' -type f -exec sync {{}} +"
            _, cp_s, _ = run_child(["sh", "-c", script])
            cp_times.append(cp_s)
            shutil.rmtree(copy)
            data = scratch / f"data{round_no}"
            out, wall, peak = run_child([sys.executable, __file__, "--child", str(data), str(camera)])
            seconds, count, done, rate = out.split()
            import_times.append(float(seconds))
            rss.append(peak)
            print(f"round {round_no + 1}: cp -r + sync {cp_s:6.2f} s   import {float(seconds):6.2f} s "
                  f"({count} files, last reported rate {float(rate) / MiB:6.1f} MiB/s, child wall {wall:.2f} s)")
            shutil.rmtree(data)  # sealed originals are read-only; the folder is ours to remove
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    cp_best, import_best = min(cp_times), min(import_times)
    print(f"camera folder: {camera} ({mib:.0f} MiB in {args.files} files)")
    print(f"cp -r + sync (reference): {cp_best:6.2f} s  {mib / cp_best:7.1f} MiB/s (best of {args.rounds})")
    print(f"import as body camera:    {import_best:6.2f} s  {mib / import_best:7.1f} MiB/s (best of {args.rounds})")
    print(f"ratio import / (cp + sync): {import_best / cp_best:.2f}  (goal: at most 1.30)")
    print(f"peak RSS of the import (whole child incl. interpreter): {max(rss) / 1024:.1f} MiB")
    report.line("import", import_best / cp_best, max(rss) / 1024, size_mib=round(mib), cp_s=cp_best,
                import_s=import_best)


if __name__ == "__main__":
    main()
