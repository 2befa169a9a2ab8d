"""Load test: many devices syncing at once through one and through two HQ receivers.

Loopback only, bounded in count (``--devices``) and time (``--timeout`` per phase).
Before anything is timed, ``--devices`` data folders are made with the real client
code, each with its own device key, seeded with the demo data, paired with one HQ
key folder, given ``--notes`` sealed records and ``--file-kib`` of sealed video
(optional), and its bundle built (encrypted to HQ) by ``sync.bundle.build_bundle``.

Then, for each receiver count in ``--receivers`` (default ``1,2``), a fresh HQ (a copy
of the keys, a new PostgreSQL database, every device enrolled) is served by that
many ``fieldinspect-hq serve`` processes sharing the database and the folder, and
every device at once (one thread each; device i talks to receiver i mod R) uploads
its bundle with ``sync.upload.upload_file`` and waits for the receipt with
``sync.client.fetch_outcome``. Printed per phase: wall time, MiB/s and bundles/min,
p50/p95/p99 of the time from a device's first request to its receipt; then it checks
that every receipt is signed by HQ and names the device's bundle and every sealed
original, and that HQ holds every device's bundle once and each of its seal records
once. With ``--kill`` one receiver is killed (SIGKILL) once a third of the devices
have their receipt and started again a second later; the check must still pass. A
count written with ``k`` (``--receivers 1,2,2k``) kills in that phase only, so one run
compares one receiver, two, and two of which one dies.

Each phase ends with one line for scripts, ``hq_load: receivers=2 kill=0 devices=… ok=1``
(wall time, MiB/s, bundles/min, percentiles, the receivers' peak resident memory
``peak_mib``), and the run with ``hq_load: ratio=…``: the throughput of the last phase
over the first's.

    .venv/bin/python benchmarks/hq_load.py [--devices 50] [--notes 5] [--file-kib 0]
        [--receivers 1,2] [--ingest-workers 1] [--kill] [--database postgresql://…] [--profile]
        [--cprofile DIR] [--blobs s3]

Without ``--database`` a throw-away PostgreSQL cluster is started (tests/pg_cluster.py;
needs Debian's postgresql). ``--profile`` prints the CPU time used by the receivers,
PostgreSQL and this (client) process in each phase, and the bytes the receivers and
PostgreSQL wrote (``/proc/<pid>/io`` ``write_bytes``), to show what bounds throughput.
``--cprofile DIR`` also runs every receiver under ``sync.hq.profiling`` (per thread,
CPU clock), stops it with SIGTERM at the end of the phase, and prints the merged
profile of the phase: the top functions by own time and that time grouped into
start-up (imports, before the phase's clock starts), hashing/crypto, database driver,
HTTP stack, file I/O, FieldInspect code and the rest (one line for scripts,
``hq_load_cprofile: receivers=…``). The ``.prof`` files stay in
``DIR/phase<n>-<receivers>``; a receiver killed by ``--kill`` writes none (its
restarted successor does). ``--cprofile-clock wall`` measures wall time instead, to
see where a thread waits (the disk, PostgreSQL, the interpreter lock). The profiler costs the receivers CPU: compare throughput
with a run without it.
``--blobs s3`` keeps HQ's files in an S3 bucket
served by moto on loopback instead of the shared folder.
A script, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "integration"))


@dataclass
class Device:
    ws: object
    identity: object
    bundle: Path
    bundle_id: str
    size: int
    seals: int
    evidence: list[str]


def prepare(root: Path, hq_keys: Path, n: int, notes: int, file_kib: int) -> list[Device]:
    import io

    from app import custody, demo
    from app.crypto import Argon2Params
    from app.domain import EvidenceSourceKind, EvidenceType
    from app.evidence.locker import EvidenceLocker
    from app.evidence.records import seal_record
    from keys_kit import as_, create_workspace
    from sync import bundle
    from sync.pairing import pair_with_folder

    custody.PIN_KDF = Argon2Params(time_cost=1, memory_kib=8 * 1024)  # set-up cost, not what is measured
    devices = []
    for i in range(n):
        ws = create_workspace(root / f"dev{i:04d}")
        demo.seed(ws)
        pair_with_folder(ws, hq_keys, session=as_(ws, "O01"))
        locker = EvidenceLocker(ws)
        for k in range(notes):
            seal_record(locker, "note", {"device": i, "n": k}, officer_certs=["33010621001"],
                        session=as_(ws, "O01"),
                        inspection_id="JC-2026-1101")
        if file_kib:
            data = b"\xff\xd8\xff\xe0" + os.urandom(file_kib * 1024 - 4)
            locker.ingest_stream(io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL,
                                 officer_certs=["33010621001"], source_kind=EvidenceSourceKind.FILE,
                                 source_detail="load test", original_name=f"clip{i}.mp4",
                                 inspection_id="JC-2026-1101", session=as_(ws, "O01"))
        out = root / f"dev{i:04d}.age"
        info = bundle.run(bundle.build_bundle(ws, out, device=ws.device, session=as_(ws, "O01")))
        seals = ws.db.execute("SELECT COUNT(*) FROM seal_records").fetchone()[0]
        evidence = [r[0] for r in ws.db.execute("SELECT sha256 FROM seal_records ORDER BY seq").fetchall()]
        devices.append(Device(ws, ws.device, out, info.bundle_id, out.stat().st_size, seals, evidence))
        if (i + 1) % 25 == 0:
            print(f"  prepared {i + 1}/{n}", flush=True)
    return devices


def _cpu_of(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError):
        return 0.0


def _written(pid: int) -> int:
    """Bytes the process (and its reaped children) caused to be written to storage."""
    try:
        for line in Path(f"/proc/{pid}/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _postgres_pids(data: Path | None) -> list[int]:
    """The postmaster of the cluster in ``data`` and its children; without one, every postgres.

    The postmaster's counters include its reaped children (cutime/cstime, and
    ``/proc/<pid>/io``), so connections closed during a phase are not lost.
    """
    postmaster = None
    if data is not None:
        try:
            postmaster = int((data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if postmaster is None:
                    if (entry / "comm").read_text().strip() == "postgres":
                        pids.append(int(entry.name))
                elif int(entry.name) == postmaster or \
                        int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def _postgres_usage(data: Path | None) -> tuple[float, int]:
    """CPU seconds and bytes written by PostgreSQL so far."""
    pids = _postgres_pids(data)
    return sum(_cpu_of(pid) for pid in pids), sum(_written(pid) for pid in pids)


# Where a function's own time goes, first match wins: (bucket, substrings of "file:name").
BUCKETS = (
    ("startup", ("<frozen importlib", "builtins.compile", "builtins.exec", "marshal.loads", "/re/_", "_imp.")),
    ("hashing_crypto", ("hashlib", "_hashlib", "cryptography", "_rust", "hmac", "_blake2", "/app/crypto/",
                        "ChaCha20", "AESGCM", "X25519", "Ed25519", "Poly1305")),
    ("database", ("psycopg", "sqlite3", "/sync/hq/db.py")),
    ("http", ("uvicorn", "h11", "httptools", "starlette", "anyio", "asyncio", "selectors", "epoll",
              "socket", "email/", "urllib/")),
    ("file_io", ("posix.", "_io.", "shutil", "fsync", "/os.py", "/tempfile.py")),
    ("fieldinspect", ("/app/", "/sync/", "/local_db/")),
)


def _bucket(func: tuple[str, int, str]) -> str:
    where = f"{func[0]}:{func[2]}"
    for name, needles in BUCKETS:
        if any(n in where for n in needles):
            return name
    return "other"


def cprofile_report(folder: Path, clock: str = "cpu") -> dict[str, float]:
    """Merge the receivers' per-thread profiles in ``folder``; print the top functions and buckets."""
    files = sorted(str(f) for f in folder.glob("*.prof"))
    if not files:
        print(f"   cprofile: no profile written in {folder}")
        return {}
    stats = pstats.Stats(files[0])
    stats.add(*files[1:])
    total = sum(tt for (_, _, tt, _, _) in stats.stats.values())
    print(f"   cprofile ({len(files)} threads of {len({Path(f).name.split('-')[1] for f in files})} processes, "
          f"{clock} clock): {total:.1f} s own time; top functions by own time:")
    top = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:15]
    for func, (_, calls, tt, ct, _) in top:
        print(f"     {tt:7.2f} s {tt / total * 100:5.1f}%  cum {ct:7.2f} s  {calls:>9} calls  "
              f"{pstats.func_std_string(func)}")
    buckets = dict.fromkeys([name for name, _ in BUCKETS] + ["other"], 0.0)
    for func, (_, _, tt, _, _) in stats.stats.items():
        buckets[_bucket(func)] += tt
    print("   cprofile buckets: " + "  ".join(f"{k} {v:.1f} s ({v / total * 100:.0f}%)" for k, v in buckets.items()))
    threads: dict[str, float] = {}  # by kind: the event loop (MainThread), ingest, bundle reading, …
    for f in files:
        kind = re.sub(r"[-_]\d+", "", Path(f).stem.split("-", 3)[3])
        threads[kind] = threads.get(kind, 0.0) + sum(tt for (_, _, tt, _, _) in pstats.Stats(f).stats.values())
    threads = dict(sorted(threads.items(), key=lambda item: item[1], reverse=True))
    print("   cprofile by thread: " + "  ".join(f"{k} {v:.1f} s" for k, v in threads.items()))
    return {"profiled_s": round(total, 1), **{f"{k}_s": round(v, 1) for k, v in buckets.items()},
            **{f"thread_{k}_s": round(v, 1) for k, v in threads.items()}, "threads": len(files)}


def _peak_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM), MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def phase(devices: list[Device], hq_keys: Path, work: Path, database: str, receivers: int, kill: bool,
          timeout: float, profile: bool, workers: int, poll: float, blobs: str | None = None,
          cprofile: Path | None = None, cprofile_clock: str = "cpu",
          pg_data: Path | None = None) -> dict[str, float]:
    from app import crypto
    from local_db.upload_repository import UploadRepository
    from sync import client, upload
    from sync.hq import keys, profiling
    from sync.hq.store import HqStore
    from sync.receipt import SignedReceipt
    from sync_loopback import HqProcess

    hq_dir = Path(tempfile.mkdtemp(dir=work, prefix=f"hq-{receivers}{'k' if kill else ''}-"))  # one per phase
    shutil.copytree(hq_keys, hq_dir, dirs_exist_ok=True)
    os.environ["FIELDINSPECT_HQ_DATABASE"] = database
    store = HqStore(hq_dir, blobs=blobs)
    for d in devices:
        store.enroll(d.identity.public_key_pem)
    store.close()
    serve_args = ["--ingest-workers", str(workers), *(["--blobs", blobs] if blobs else [])]
    if cprofile is not None:  # inherited by every receiver started in this phase, the restarted one too
        os.environ[profiling.ENV] = str(cprofile)
        os.environ[profiling.CLOCK_ENV] = cprofile_clock
    procs = [HqProcess(hq_dir, serve_args=serve_args).start() for _ in range(receivers)]
    peaks: list[float] = []
    hq_pub = crypto.load_public_key_pem((hq_dir / keys.SIGNING_PUB).read_bytes())
    done = threading.Event()
    finished = [0]
    lock = threading.Lock()
    killed: list[str] = []

    go = threading.Barrier(len(devices) + 1)  # every device starts at the same moment

    def sync(i: int, d: Device) -> tuple[float, bytes | None, str | None]:
        server = procs[i % receivers].url
        go.wait()
        started = time.perf_counter()
        try:
            steps = upload.upload_file(UploadRepository(d.ws.db), d.bundle, key=d.bundle_id, server=server,
                                       device=d.identity, backoff=upload.Backoff(0.1, 1.0), max_failures=30)
            try:
                while True:
                    next(steps)
            except StopIteration as stop:
                url = stop.value
            status, body = client.fetch_outcome(server, url, d.identity, timeout=timeout, poll=poll,
                                                backoff=upload.Backoff(0.1, 1.0))
            elapsed = time.perf_counter() - started
            with lock:
                finished[0] += 1
                if finished[0] >= len(devices) / 3:
                    done.set()
            return elapsed, body if status == 200 else None, None if status == 200 else json.dumps(body)
        except Exception as exc:  # noqa: BLE001 - counted as a failure below
            return time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}"

    def killer() -> None:
        done.wait()
        victim = procs[0]
        peaks.append(_peak_mib(victim.proc.pid))
        victim.kill()
        killed.append(f"receiver on port {victim.port} killed after {finished[0]} receipts")
        time.sleep(1.0)
        victim.start()

    cpu0 = {p.proc.pid: _cpu_of(p.proc.pid) for p in procs}
    written0 = {p.proc.pid: _written(p.proc.pid) for p in procs}
    (pg0, pg_written0), me0 = _postgres_usage(pg_data), time.process_time()
    if kill:
        threading.Thread(target=killer, daemon=True).start()
    with ThreadPoolExecutor(max_workers=len(devices)) as pool:
        futures = [pool.submit(sync, i, d) for i, d in enumerate(devices)]
        go.wait()
        t0 = time.perf_counter()
        results = [f.result() for f in futures]
    wall = time.perf_counter() - t0
    # a receiver restarted by the killer has a new pid and counts from zero (the killed one's use is lost)
    cpu = sum(_cpu_of(p.proc.pid) - cpu0.get(p.proc.pid, 0.0) for p in procs if p.proc)
    rx_written = sum(_written(p.proc.pid) - written0.get(p.proc.pid, 0) for p in procs if p.proc)
    (pg, pg_written), me = _postgres_usage(pg_data), time.process_time() - me0
    pg, pg_written = pg - pg0, pg_written - pg_written0
    for p in procs:
        peaks.append(_peak_mib(p.proc.pid))
        p.stop()  # SIGTERM: a profiled receiver writes its profile now
    if cprofile is not None:
        os.environ.pop(profiling.ENV)
        os.environ.pop(profiling.CLOCK_ENV)

    # --- checks -------------------------------------------------------------------------
    failures = [(i, err) for i, (_, body, err) in enumerate(results) if body is None]
    bad_receipts = []
    for d, (_, body, _) in zip(devices, results, strict=True):
        if body is None:
            continue
        receipt = SignedReceipt.from_json(body)
        fields = json.loads(receipt.body)
        if not (crypto.verify_signature(hq_pub, receipt.signature, receipt.body)
                and fields["bundle_id"] == d.bundle_id and fields["device_id"] == d.identity.device_id
                and fields["evidence"] == d.evidence):
            bad_receipts.append(d.bundle_id)
    store = HqStore(hq_dir, blobs=blobs)
    try:
        wrong = [d.identity.device_id for d in devices
                 if store.counts(d.identity.device_id)["bundles"] != 1
                 or store.counts(d.identity.device_id)["seals"] != d.seals]
        total_seals = store.conn.execute("SELECT COUNT(*) FROM seals").fetchone()[0]
        total_bundles = store.conn.execute("SELECT COUNT(*) FROM bundles").fetchone()[0]
        missing_files = [sha for (sha,) in store.conn.execute("SELECT sha256 FROM evidence").fetchall()
                         if not store.blobs.has(store.evidence_key(sha))]
    finally:
        store.close()
    ok = (not failures and not bad_receipts and not wrong and not missing_files
          and total_bundles == len(devices) and total_seals == sum(d.seals for d in devices))

    times = sorted(t for t, body, _ in results if body is not None)
    mib = sum(d.size for d in devices) / (1 << 20)

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))] if times else float("nan")

    print(f"\n== {receivers} receiver(s) × {workers} ingest worker(s), {len(devices)} devices, {mib:.1f} MiB in bundles"
          f" (mean {mib * 1024 / len(devices):.0f} KiB){' , one killed mid-run' if kill else ''}")
    for line in killed:
        print(f"   {line}, restarted 1 s later")
    print(f"   wall {wall:.2f} s   throughput {mib / wall:.2f} MiB/s   {len(devices) / wall * 60:.0f} bundles/min")
    print(f"   per sync: p50 {pct(50):.2f} s   p95 {pct(95):.2f} s   p99 {pct(99):.2f} s   max {pct(100):.2f} s")
    if profile:
        print(f"   CPU s: receivers {cpu:.1f}  postgres {pg:.1f}  clients (this process) {me:.1f}"
              f"   = {(cpu + pg + me) / wall:.2f} cores busy of {os.cpu_count()}")
        print(f"   written: receivers {rx_written / (1 << 20):.1f} MiB  postgres {pg_written / (1 << 20):.1f} MiB"
              f"   = {(rx_written + pg_written) / (1 << 20) / wall:.1f} MiB/s")
    print(f"   check: {len(devices) - len(failures)}/{len(devices)} receipts, {len(bad_receipts)} invalid; "
          f"HQ holds {total_bundles} bundles, {total_seals} seal records "
          f"(expected {len(devices)}, {sum(d.seals for d in devices)}); "
          f"{len(wrong)} devices wrong, {len(missing_files)} originals missing → {'OK' if ok else 'FAILED'}")
    for i, err in failures[:5]:
        print(f"   device {i}: {err}")
    result = {"receivers": receivers, "kill": int(kill), "devices": len(devices), "mib": round(mib, 1),
              "wall_s": round(wall, 2), "mib_s": round(mib / wall, 2), "bundles_min": round(len(devices) / wall * 60),
              "p50_s": round(pct(50), 2), "p95_s": round(pct(95), 2), "p99_s": round(pct(99), 2),
              "peak_mib": round(max(peaks, default=0.0)), "cpu_receivers_s": round(cpu, 1),
              "cpu_postgres_s": round(pg, 1), "cpu_clients_s": round(me, 1),
              "write_rx_mib": round(rx_written / (1 << 20), 1), "write_pg_mib": round(pg_written / (1 << 20), 1),
              "ok": int(ok)}
    print("hq_load: " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    if cprofile is not None:
        buckets = cprofile_report(cprofile, cprofile_clock)
        print(f"hq_load_cprofile: receivers={receivers} kill={int(kill)} "
              + " ".join(f"{k}={v}" for k, v in buckets.items()), flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--notes", type=int, default=5, help="sealed records per device")
    parser.add_argument("--file-kib", type=int, default=0, help="one sealed video of this size per device")
    parser.add_argument("--receivers", default="1,2", help="receiver counts to run, in order (e.g. 1,2)")
    parser.add_argument("--kill", action="store_true", help="kill one receiver mid-run and restart it")
    parser.add_argument("--database", default=None, help="a PostgreSQL server to use (a new schema per phase)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds a device waits for its receipt")
    parser.add_argument("--ingest-workers", type=int, default=1, help="serve --ingest-workers of each receiver")
    parser.add_argument("--poll", type=float, default=0.5,
                        help="seconds between a device's receipt requests (the client's default: 0.5)")
    parser.add_argument("--profile", action="store_true",
                        help="CPU seconds of receivers, PostgreSQL, clients; bytes written")
    parser.add_argument("--cprofile", type=Path, default=None, metavar="DIR",
                        help="profile the receivers per function (files in DIR), print the merged top")
    parser.add_argument("--cprofile-clock", choices=["cpu", "wall"], default="cpu",
                        help="what --cprofile measures: each thread's CPU time, or wall time (where it waits)")
    parser.add_argument("--blobs", choices=["folder", "s3"], default="folder",
                        help="where HQ keeps its files: the shared folder, or an S3 bucket (moto on loopback)")
    args = parser.parse_args()
    try:
        plan = [(int(x.rstrip("k")), args.kill or x.endswith("k")) for x in args.receivers.split(",")]
    except ValueError:
        parser.error("--receivers is a list of counts, each one optionally followed by k (kill in that phase)")
    if not 1 <= args.devices <= 500:
        parser.error("--devices must be 1..500 (bounded: this is a loopback load test)")

    import secret_service

    service = secret_service.start()
    cluster = None
    s3 = None
    work = Path(tempfile.mkdtemp(prefix="fi-hq-load-"))
    try:
        import pg_cluster
        from sync.hq import keys

        if args.database is None:
            cluster = pg_cluster.Cluster()
        hq_keys = work / "hq-keys"
        from memkeys import hq_passphrase

        hq_passphrase()
        keys.keygen(hq_keys)
        print(f"preparing {args.devices} devices ({args.notes} records"
              f"{f', {args.file_kib} KiB video' if args.file_kib else ''} each)…", flush=True)
        t = time.perf_counter()
        devices = prepare(work / "devices", hq_keys, args.devices, args.notes, args.file_kib)
        print(f"  done in {time.perf_counter() - t:.0f} s", flush=True)
        blobs = None
        if args.blobs == "s3":
            import s3_server

            s3 = s3_server.start()
            s3.environ(os.environ)
        results = []
        for phase_number, (n, kill) in enumerate(plan, start=1):
            if s3 is not None:
                blobs = s3.new_bucket(f"load-{phase_number}")
            if cluster is not None:
                database = cluster.new_database()
            else:
                import psycopg

                schema = f"load_{os.getpid()}_{n}"
                with psycopg.connect(args.database, autocommit=True) as conn:
                    conn.execute(f"CREATE SCHEMA {schema}")
                database = f"{args.database} options='-c search_path={schema}'" if "=" in args.database \
                    else f"{args.database}?options=-csearch_path%3D{schema}"
            for d in devices:  # each phase sends every bundle afresh
                d.ws.db.execute("DELETE FROM sync_uploads")
            cprofile = None
            if args.cprofile is not None:
                cprofile = args.cprofile.resolve() / f"phase{phase_number}-{n}{'k' if kill else ''}"
                cprofile.mkdir(parents=True, exist_ok=True)
            results.append(phase(devices, hq_keys, work, database, n, kill, args.timeout,
                                 args.profile or args.cprofile is not None,
                                 args.ingest_workers, args.poll, blobs, cprofile=cprofile,
                                 cprofile_clock=args.cprofile_clock,
                                 pg_data=cluster.data if cluster is not None else None))
        for d in devices:
            d.ws.close()
        ok = all(r["ok"] for r in results)
        first, last = results[0], results[-1]
        print(f"hq_load: ratio={last['mib_s'] / first['mib_s']:.2f} first={first['receivers']} "
              f"last={last['receivers']} peak_mib={max(r['peak_mib'] for r in results)} "
              f"phases={len(results)} blobs={args.blobs} ok={int(ok)}", flush=True)
        return 0 if ok else 1
    finally:
        if cluster is not None:
            cluster.stop()
        if s3 is not None:
            s3.stop()
        shutil.rmtree(work, ignore_errors=True)
        if service is not None:
            service.stop()


if __name__ == "__main__":
    sys.exit(main())
