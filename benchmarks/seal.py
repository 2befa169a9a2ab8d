"""Benchmark: hashing + sealing a 1 GiB file through the evidence store vs ``openssl dgst -sha256``.

The store reads the file once, hashes the plaintext and encrypts the same buffer
(FIE1, AES-256-GCM) on two threads, and writes it durably (fsync). Besides the whole
seal, the child times that one pass written to /dev/null, which takes the disk out
(``cp`` + ``sync`` is printed as the floor of the durable write).

Both run as child processes on the same file in the same run, so the ratio says how
close the one-pass copy+hash+seal comes to the reference hasher, and each child's
peak resident memory (ru_maxrss from the child's own rusage, via ``os.wait4``) shows that memory stays flat whatever the size.

    .venv/bin/python benchmarks/seal.py [--size-mib 1024] [--keep]

A script, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from childproc import run_child  # noqa: E402
import report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 1 << 20


def child_seal(data: str, source: str) -> None:
    """Run inside the child: seal ``source`` into the data folder ``data``."""
    sys.path.insert(0, str(ROOT))
    from app import demo
    from app.crypto import sha256_file
    from app.evidence.locker import EvidenceLocker
    from memkeys import new_workspace

    ws = new_workspace(Path(data))  # new keys: originals are encrypted under its master key
    demo.seed(ws)
    locker = EvidenceLocker(ws)
    start = time.perf_counter()
    item = locker.ingest_file(Path(source), evidence_type="audiovisual",
                              officer_certs=["33010621001", "33010621002"]).item
    sealed = time.perf_counter() - start
    start = time.perf_counter()
    sha256_file(source)  # hashing alone, for context: what the copy and fsync add
    hashed = time.perf_counter() - start
    # The same one pass (read once, SHA-256 and AES-256-GCM of the same buffer on two
    # threads) with the disk taken out: written to /dev/null, nothing to fsync.
    from app.crypto.filecrypt import encrypt_hashing

    null = os.open(os.devnull, os.O_WRONLY)
    start = time.perf_counter()
    with open(source, "rb", buffering=0) as fh:
        for _ in encrypt_hashing(fh, null, ws.master):
            pass
    passed = time.perf_counter() - start
    os.close(null)
    print(f"{sealed:.6f} {hashed:.6f} {passed:.6f} {item.sha256}")
    ws.close()


def write_source(path: Path, size: int) -> None:
    # An MP4 signature in front so the store takes it as video; the rest random,
    # written in chunks so this script itself stays small.
    with open(path, "wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")
        left = size - 24
        while left > 0:
            n = min(CHUNK * 16, left)
            fh.write(os.urandom(n))
            left -= n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--child", nargs=2, metavar=("DATA", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_seal(*args.child)
        return
    if shutil.which("openssl") is None:
        raise SystemExit("openssl is needed as the reference")

    scratch = Path(tempfile.mkdtemp(prefix="seal-bench-"))
    try:
        source = scratch / "source.mp4"
        size = args.size_mib * CHUNK
        write_source(source, size)
        # Warm the page cache once so neither side is charged for the first read from disk.
        run_child(["openssl", "dgst", "-sha256", str(source)])
        ref_out, ref_s, ref_rss = run_child(["openssl", "dgst", "-sha256", str(source)])
        seal_out, seal_wall, seal_rss = run_child([sys.executable, __file__, "--child",
                                                   str(scratch / "data"), str(source)])
        # The store writes a durable copy; ``cp`` + ``sync`` is the floor for that part.
        copy = scratch / "copy.mp4"
        _, cp_s, _ = run_child(["sh", "-c", f"cp '{source}' '{copy}' && sync '{copy}'"])
        copy.unlink()
        seal_s, hash_s, pass_s, sha = seal_out.split()
        assert ref_out.split()[-1] == sha, "the store and openssl disagree on the SHA-256"
        seal_time = float(seal_s)
        mib = size / CHUNK
        print(f"file: {mib:.0f} MiB, SHA-256 {sha}")
        print(f"openssl dgst -sha256: {ref_s:7.2f} s  {mib / ref_s:7.1f} MiB/s  peak RSS {ref_rss / 1024:6.1f} MiB")
        print(f"store copy+hash+seal: {seal_time:7.2f} s  {mib / seal_time:7.1f} MiB/s  "
              f"peak RSS {seal_rss / 1024:6.1f} MiB (whole child incl. interpreter; wall {seal_wall:.2f} s)")
        print(f"cp + sync (reference): {cp_s:5.2f} s  {mib / cp_s:7.1f} MiB/s")
        print(f"hash only (app.crypto): {float(hash_s):5.2f} s  {mib / float(hash_s):7.1f} MiB/s")
        print(f"hash+encrypt pass, no disk (to /dev/null): {float(pass_s):5.2f} s  {mib / float(pass_s):7.1f} MiB/s")
        print(f"sealing throughput / openssl: durable {ref_s / seal_time:.2f}   "
              f"pass without the disk {ref_s / float(pass_s):.2f}  (goal: at least 0.8)")
        print(f"ratio store / openssl: {seal_time / ref_s:.2f}   "
              f"ratio hash-only / openssl: {float(hash_s) / ref_s:.2f}   "
              f"ratio store / (cp + sync): {seal_time / cp_s:.2f}")
        # here the ratio is a throughput (openssl's time over ours): the goal is at least 0.8
        report.line("seal", ref_s / seal_time, seal_rss / 1024, pass_ratio=ref_s / float(pass_s),
                    size_mib=round(mib))
    finally:
        if args.keep:
            print(f"kept: {scratch}")
        else:
            # Sealed originals are read-only, the folder is ours to remove.
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
