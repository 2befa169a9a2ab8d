"""Benchmark: uploading a 2 GiB file over tus on loopback vs ``curl -T`` to a plain PUT.

One HQ receiver (``fieldinspect-hq serve --plain-put``) runs as a child process. In
the same run:

1. ``curl -T FILE http://127.0.0.1:PORT/plain/NAME`` streams the file to the plain PUT
   endpoint (no auth, no checksum, no fsync: the floor);
2. our client (:func:`sync.upload.upload_file`: device-signed tus PATCHes of
   ``--chunk-mib`` with a SHA-256 checksum each; HQ verifies every chunk and makes it
   durable before confirming the offset) uploads the same file;
3. a flaky link: an 80 MB file (``--cut-size-mb``) through a proxy that cuts the
   connection ``--cuts`` times, at points drawn at random (``--seed``) among the bytes
   going upstream; the client resumes from HQ's offset each time. Re-sent is what
   crossed the cutting point beyond the file itself (the proxy's upstream bytes minus
   the file's size, so request headers count too): goal at most 10 % over ten cuts.

The ratio of the median wall times of ``--repeat`` alternating runs (goal ≤ 1.3×) and
the peak resident memory of this process (client and proxy) are printed; the last line
is ``upload: ratio=… peak_mib=… resent_pct=…``. The files are random (incompressible)
and cached under /tmp.

    .venv/bin/python benchmarks/upload.py [--size-mib 2048] [--chunk-mib 8] [--repeat 3]
        [--cuts 10] [--cut-size-mb 80] [--seed N]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "integration"))


def make_file(path: Path, size: int) -> None:
    if path.exists() and path.stat().st_size == size:
        return
    with open(path, "wb") as fh:
        for start in range(0, size, 1 << 20):
            fh.write(os.urandom(min(1 << 20, size - start)))


def ours(ws, path: Path, server: str, device, chunk: int, key: str):  # noqa: ANN001, ANN201
    from local_db.upload_repository import UploadRepository
    from sync.upload import Backoff, upload_file

    # The workspace stays open across runs (its key-store secret is held in memory).
    started = time.perf_counter()
    steps = upload_file(UploadRepository(ws.db), path, key=key, server=server, device=device,
                        chunk_size=chunk, backoff=Backoff(0.05, 1.0))
    last = None
    while True:
        try:
            last = next(steps)
        except StopIteration:
            break
    return time.perf_counter() - started, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=2048)
    parser.add_argument("--chunk-mib", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each; medians are compared")
    parser.add_argument("--cuts", type=int, default=10, help="cuts during the flaky-link upload")
    parser.add_argument("--cut-size-mb", type=int, default=80, help="size of the flaky-link upload (10^6 bytes)")
    parser.add_argument("--seed", type=int, default=None, help="where the cuts fall (random when not given)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "fieldinspect-bench-upload")
    args = parser.parse_args()
    if shutil.which("curl") is None:
        sys.exit("curl is required")

    from app.device import DeviceIdentity
    from sync.hq import keys
    from sync.hq.store import HqStore
    from sync_loopback import CuttingProxy, HqProcess

    args.cache.mkdir(parents=True, exist_ok=True)
    payload = args.cache / f"payload-{args.size_mib}.bin"
    make_file(payload, args.size_mib << 20)
    flaky = args.cache / f"payload-{args.cut_size_mb}MB.bin"
    make_file(flaky, args.cut_size_mb * 10**6)
    size = payload.stat().st_size
    chunk = args.chunk_mib << 20
    run = Path(tempfile.mkdtemp(prefix="upload-bench-", dir=args.cache))
    hq_dir = run / "hq"
    from memkeys import hq_passphrase

    hq_passphrase()
    keys.keygen(hq_dir)
    device = DeviceIdentity.generate(run / "device")
    store = HqStore(hq_dir)
    store.enroll(device.public_key_pem)
    store.close()
    from memkeys import new_workspace

    client = new_workspace(run / "client")
    print(f"file: {size / 2**30:.2f} GiB random; chunk {args.chunk_mib} MiB; loopback")
    try:
        with HqProcess(hq_dir, plain_put=True) as hq:
            curl_times, our_times = [], []
            for n in range(args.repeat):  # alternate, so both see the same load on a shared machine
                started = time.perf_counter()
                subprocess.run(["curl", "-sS", "--fail", "-T", str(payload), f"{hq.url}/plain/bench.bin",
                                "-o", os.devnull], check=True)
                curl_times.append(time.perf_counter() - started)
                assert (hq_dir / "plain" / "bench.bin").stat().st_size == size
                (hq_dir / "plain" / "bench.bin").unlink()
                t, last = ours(client, payload, hq.url, device, chunk, f"bench-{n}")
                our_times.append(t)
                _drop_uploads(hq_dir)
            t_curl, t_ours = statistics.median(curl_times), statistics.median(our_times)
            runs = lambda ts: ", ".join(f"{t:.2f}" for t in ts)  # noqa: E731
            print(f"curl -T (plain PUT):   {t_curl:7.2f} s  {size / t_curl / 1e6:7.1f} MB/s  (runs: {runs(curl_times)})")
            print(f"tus client (ours):     {t_ours:7.2f} s  {size / t_ours / 1e6:7.1f} MB/s  (runs: {runs(our_times)})")
            ratio = t_ours / t_curl
            print(f"ratio ours / curl:     {ratio:7.2f}x  medians of {args.repeat} (goal <= 1.3x)")

            flaky_size = flaky.stat().st_size
            seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
            points = sorted(random.Random(seed).sample(range(1, flaky_size), args.cuts))
            proxy = CuttingProxy(hq.port, points)
            try:
                t_cut, last = ours(client, flaky, proxy.url, device, chunk, "bench-cut")
            finally:
                proxy.close()
            resent = proxy.upstream_bytes - flaky_size
            resent_pct = 100 * resent / flaky_size
            print(f"flaky link:            {t_cut:7.2f} s  {flaky_size / 1e6:.0f} MB, cuts={proxy.cut_count} "
                  f"(seed {seed}), re-sent {resent / 1e6:.2f} MB = {resent_pct:.1f} % (goal <= 10 %)")
            _drop_uploads(hq_dir)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"client peak RSS:       {peak:7.1f} MiB (this process: client, proxy and all)")
            print(f"upload: ratio={ratio:.2f} peak_mib={peak:.0f} resent_pct={resent_pct:.1f} "
                  f"size_mib={args.size_mib} cuts={proxy.cut_count}")
    finally:
        shutil.rmtree(run, ignore_errors=True)


def _drop_uploads(hq_dir: Path) -> None:
    """Free the disk between runs (the upload is not a bundle; HQ rejects it after)."""
    for p in (hq_dir / "uploads").glob("*.bin"):
        p.unlink()


if __name__ == "__main__":
    main()
