"""Every durable step killed, one at a time: the crash-point harness (DESIGN.md, threat model).

Each durable step (fsync, rename, commit) calls ``local_db.crashpoints.point(NAME)``.
For each operation below the harness first runs it once with a trace, which lists the
points it passes in order; then, for every point in the trace, it runs the operation
again in a fresh copy of the same folder, killed (SIGKILL) at the first time it passes
the point, and again at the last time when that pass follows another step (see
:func:`targets`). After each kill it checks:

- SQLite's ``PRAGMA integrity_check`` is ``ok``;
- ``verify_folder`` finds nothing wrong, or only a named state the next start puts
  right (:data:`RECOVERABLE`);

then it runs the same operation again (which recovers first, as every entry point
does) and checks that it completes, that ``verify_folder`` finds nothing wrong, that
no original is lost or sealed twice, and that no file is left that nothing accounts
for (staging, partial bundles, recording leftovers, files at an address without a
seal). Operations run two at a time.

Two operations check more. ``pin`` (an administrator issues a new PIN) checks after
each kill that the folder opens with the old PIN or the new one, never neither.
``upload`` (the sync to HQ's receiver, whose points are the ones killed: the tus
store's, the ingest's) checks that the next sync resumes the upload, that HQ ingests
the bundle exactly once and that the device takes HQ's receipt. The sign-in's gate
commits, which every command passes, are killed in those operations that change the
gate (``pin``, ``migrate``), not in every one (:attr:`Op.skip`).

A point found in the sources but in no operation's trace fails
:func:`test_every_point_in_the_sources_is_killed_at`: a new durable step cannot be
forgotten.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app import demo, paths
from app.crypto import sha256_file
from app.evidence.store import EvidenceStore, recording_root
from app.evidence.verify import verify_folder
from keys_kit import as_, create_workspace, keys_of, open_workspace, remember
from local_db import cipher
from local_db.crashpoints import ENV_AT, ENV_TRACE
from local_db.database import DB_FILENAME
from tests.database_key import connect_raw

sys.path.insert(0, str(Path(__file__).parent))

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("app", "local_db", "sync")
OFFICER, INSPECTION = "33010621001", "JC-2026-1101"
OLD_PIN, NEW_PIN, ADMIN_PIN = "100101", "583920", "400101"  # O01's demo PIN, the one issued, M01's
# verify's findings that a kill may leave and the next start puts right
RECOVERABLE = {"unsealed-file", "plaintext-file"}
CHILD_TIMEOUT = 60


def declared_points() -> set[str]:
    """Every ``point("…")`` call in the core's sources."""
    found: set[str] = set()
    for pkg in SOURCES:
        for path in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "point"
                        and node.args and isinstance(node.args[0], ast.Constant)):
                    found.add(node.args[0].value)
    return found


# --- the operations --------------------------------------------------------------------

@dataclass
class Op:
    name: str
    template: Path
    command: Callable[[Path, Path], list[str]]  # (case folder, data folder) → argv after the interpreter
    after: Callable[[Path, Path], None]  # checks once the re-run completed
    legacy: bool = False  # the database may still be a plain SQLite file
    hq: bool = False  # the folder is an HQ folder, not a device's
    extra: dict = field(default_factory=dict)
    env: dict = field(default_factory=dict)  # for the operation's process
    stdin: str | None = None
    # points of the operation not killed at here: the sign-in's gate commits are the same
    # step in every command, killed in the operations that change the gate (pin, migrate)
    skip: tuple[str, ...] = ("gate.",)
    after_kill: Callable[[Path, Path], str | None] | None = None  # an invariant right after the kill
    check_kill: Callable[[Op, Path, Path], str | None] | None = None  # the whole check after a kill


def _cli(*args: str) -> list[str]:
    return ["-m", "cli", *args]


def _driver(*args: str) -> list[str]:
    return [str(ROOT / "tests" / "integration" / "crash_ops.py"), *args]


def _sources(base: Path) -> Path:
    """A small camera folder: two photos and a video, random bytes behind the magic."""
    media = base / "CARD" / "DCIM" / "100MEDIA"
    media.mkdir(parents=True)
    (media / "a.JPG").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(150_000))
    (media / "b.MP4").write_bytes(b"\x00\x00\x00\x18ftypisom" + os.urandom(600_000))
    (media / "c.JPG").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(80_000))
    return base / "CARD"


def _demo_folder(folder: Path) -> Path:
    ws = create_workspace(folder)
    try:
        demo.seed(ws, media=False)
    finally:
        ws.close()
    return folder


def _paired(folder: Path, hq_dir: Path) -> None:
    from sync_loopback import enroll_and_pair

    ws = open_workspace(folder)
    try:
        enroll_and_pair(ws, hq_dir)
    finally:
        ws.close()


def _run(argv: list[str], env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, input=stdin,
                          env={**os.environ, **(env or {})}, timeout=CHILD_TIMEOUT)


def _db_rows(data: Path, sql: str, legacy: bool = False) -> list[tuple]:
    path = data / DB_FILENAME
    conn = cipher.connect(path, None) if legacy and cipher.is_plain_sqlite(path) else \
        connect_raw(path, keys_of(data).db_key)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def _no_leftovers(data: Path) -> list[str]:
    """Files nothing accounts for: staging, recording leftovers, addresses without a seal."""
    bad: list[str] = []
    store = EvidenceStore(data, None)
    if store.staging.is_dir():
        bad += [f"staging: {p.name}" for p in store.staging.iterdir()]
    root = recording_root(data)
    if root.is_dir():
        bad += [f"recording: {p.relative_to(root)}" for p in root.rglob("*") if p.is_file()]
    sealed = {r[0] for r in _db_rows(data, "SELECT sha256 FROM seal_records")}
    bad += [f"unsealed: {sha}" for sha in set(store.stored_hashes()) - sealed]
    twice = [sha for sha, n in Counter(r[0] for r in _db_rows(
        data, "SELECT sha256 FROM seal_records WHERE derived_from IS NULL OR derived_from = ''")).items() if n > 1] \
        if _has_column(data, "seal_records", "derived_from") else \
        [sha for sha, n in Counter(r[0] for r in _db_rows(data, "SELECT sha256 FROM seal_records")).items() if n > 1]
    bad += [f"sealed twice: {sha}" for sha in twice]
    return bad


def _has_column(data: Path, table: str, column: str) -> bool:
    return any(r[1] == column for r in _db_rows(data, f"PRAGMA table_info({table})"))


def _legacy_keys(data: Path) -> None:
    """An earlier version's folder, once adopted, opens with its old PIN: hold those keys."""
    from datetime import datetime

    from app.custody import Custody

    if not Custody.present(data):
        return
    custody = Custody.open(data)
    try:
        remember(data, custody.unlock("O01", "1357", now=datetime.now().astimezone().replace(microsecond=0)))
    finally:
        custody.close()


def _verify(data: Path, legacy: bool = False) -> list[str]:
    if legacy and cipher.is_plain_sqlite(data / DB_FILENAME):
        return []  # an earlier version's folder not yet adopted: nothing sealed under custody yet
    report = verify_folder(data, keys=keys_of(data))
    return [f"{p.kind}: {p.describe('en')}" for p in report.problems]


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Op]:
    base = tmp_path_factory.mktemp("crash")
    card = _sources(base)
    expected = {sha256_file(p)[0] for p in (card / "DCIM" / "100MEDIA").iterdir()}
    from sync_loopback import make_hq

    hq_dir = make_hq(base / "hq")
    result: dict[str, Op] = {}

    # import: three files from a camera folder
    plain = _demo_folder(base / "t-import")

    def after_import(case: Path, data: Path) -> None:
        sealed = [r[0] for r in _db_rows(data, "SELECT sha256 FROM seal_records")]
        assert expected <= set(sealed), "an original was not sealed"

    result["import"] = Op("import", plain, lambda case, data: _cli(
        "import", str(card / "DCIM"), "--inspection", INSPECTION, "--officer", OFFICER, "--data", str(data)),
        after_import)

    # bundle: the demo folder, paired, with the three files sealed
    paired = _demo_folder(base / "t-bundle")
    _paired(paired, hq_dir)
    assert _run(_cli("import", str(card / "DCIM"), "--inspection", INSPECTION, "--officer", OFFICER,
                     "--data", str(paired))).returncode == 0

    def after_bundle(case: Path, data: Path) -> None:
        out = case / "usb" / "b.bundle"
        assert out.is_file() and not list(out.parent.glob("*.partial")), sorted(os.listdir(out.parent))
        rows = _db_rows(data, "SELECT sequence, sha256, path, state FROM sync_bundles ORDER BY sequence")
        assert len({r[0] for r in rows}) == len(rows), "a sequence number given out twice"
        made = [r for r in rows if r[3] == "made"]
        assert len(made) == 1 and sha256_file(out)[0] == made[0][1], rows
        from sync.hq.store import HqStore

        hq = case / "hq"
        shutil.copytree(hq_dir, hq)
        store = HqStore(hq)
        try:  # HQ takes the bundle: the device knows it, so it will take HQ's receipt
            receipt = store.ingest(out, device_id=keys_of(data).device.device_id)
        finally:
            store.close()
        from sync import state
        from sync.receipt import SignedReceipt

        ws = open_workspace(data)
        try:
            state.apply_receipt(ws, SignedReceipt.from_json(receipt.to_json()), session=as_(ws, "O01"))
        finally:
            ws.close()

    result["bundle"] = Op("bundle", paired, lambda case, data: _cli(
        "bundle", "--out", str(case / "usb" / "b.bundle"), "--data", str(data)), after_bundle)

    # receipt: a bundle made and ingested at HQ; the device applies HQ's receipt
    sent = base / "t-receipt"
    shutil.copytree(paired, sent)
    remember(sent, keys_of(paired))
    assert _run(_cli("bundle", "--out", str(base / "usb" / "r.bundle"), "--data", str(sent))).returncode == 0
    from sync.hq.store import HqStore

    hq_receipt = base / "hq-receipt"
    shutil.copytree(hq_dir, hq_receipt)
    store = HqStore(hq_receipt)
    try:
        receipt_file = base / "r.receipt.json"
        receipt_file.write_bytes(store.ingest(base / "usb" / "r.bundle", device_id=keys_of(sent).device.device_id)
                                 .to_json())
        store.publish(paths.DEMO_REFERENCE.read_bytes().replace(b"demo-2026.11", b"hq-2026.12"))
        data, signature = store.latest_reference()  # type: ignore[misc]
    finally:
        store.close()

    def after_receipt(case: Path, data: Path) -> None:
        assert [r[0] for r in _db_rows(data, "SELECT state FROM sync_bundles")] == ["acknowledged"]

    result["receipt"] = Op("receipt", sent, lambda case, data: _cli(
        "bundle", "--receipt", str(receipt_file), "--data", str(data)), after_receipt)

    # the unacknowledged bundle written again to another stick
    result["resend"] = Op("resend", sent, lambda case, data: _cli(
        "bundle", "--out", str(case / "usb" / "b.bundle"), "--data", str(data)), after_bundle)

    # a folder whose originals an earlier version stored in the clear: encrypted in place
    upgraded = base / "t-upgrade"
    shutil.copytree(paired, upgraded)
    remember(upgraded, keys_of(paired))
    store = EvidenceStore(upgraded, None)
    for src in (card / "DCIM" / "100MEDIA").iterdir():
        path = store.path_for(sha256_file(src)[0])
        os.chmod(path, 0o644)
        path.write_bytes(src.read_bytes())
        os.chmod(path, 0o444)

    def after_upgrade(case: Path, data: Path) -> None:
        assert EvidenceStore(data, None).plaintext_files() == []

    result["upgrade"] = Op("upgrade", upgraded, lambda case, data: _cli("status", "--data", str(data)),
                           after_upgrade)

    # reference data signed by HQ, loaded on the paired device
    ref_file = base / "reference.json"
    ref_file.write_bytes(data)
    ref_file.with_name(ref_file.name + ".sig").write_bytes(signature)

    def after_reference(case: Path, data: Path) -> None:
        rows = _db_rows(data, "SELECT version FROM reference_sets ORDER BY rowid")
        assert rows[-1][0] == "hq-2026.12", rows
        loaded = _db_rows(data, "SELECT COUNT(*) FROM audit_log WHERE action = 'sync.reference_loaded'")
        assert loaded[0][0] == 1, "the loading of reference data is not in the audit log exactly once"

    result["reference"] = Op("reference", paired, lambda case, data: _driver("reference", str(data), str(ref_file)),
                             after_reference)

    # HQ takes in a bundle brought on a USB stick
    def after_hq(case: Path, data: Path) -> None:
        from sync.receipt import SignedReceipt

        receipt = SignedReceipt.from_json((case / "r.receipt.json").read_bytes())
        assert receipt.fields()["bundle_id"]

    result["hq-ingest"] = Op("hq-ingest", hq_dir, lambda case, data: [
        "-c", "import sys; from sync.hq.cli import main; sys.exit(main())", "ingest", "--dir", str(data),
        "--device", keys_of(sent).device.device_id, "--receipt", str(case / "r.receipt.json"),
        str(base / "usb" / "r.bundle")], after_hq, hq=True)

    # an item photographed and entered in a demolition case's inventory (the case started, witnessed)
    from app.clock import CHINA_TZ, fixed_clock
    from app.demolition import specimen
    from app.demolition.service import DemolitionService
    from app.documents.specimen import signature_png
    from datetime import datetime as _dt

    site = base / "t-inventory"
    ws = create_workspace(site, clock=fixed_clock(_dt(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)))
    try:
        demo.seed(ws, media=False)
        s = DemolitionService(ws)
        s.start(specimen.READY_CASE, actor=as_(ws, "O01"))
        s.set_party(specimen.READY_CASE, present=True, name="陈建国", actor=as_(ws, "O01"))
        s.add_witness(specimen.READY_CASE, kind="witness", name="周明", id_no="330106198001011234",
                      no_interest="本人与本案当事人及执法机关均无利害关系。", signature_png=signature_png("周明"),
                      actor=as_(ws, "O01"))
    finally:
        ws.close()

    def after_inventory(case: Path, data: Path) -> None:
        # a kill after the commit leaves the item counted; entering it again is the person's act
        items = _db_rows(data, "SELECT COUNT(*) FROM demolition_item_versions")[0][0]
        assert items in (1, 2), f"{items} items counted"

    result["inventory"] = Op("inventory", site, lambda case, data: _driver("inventory", str(data)), after_inventory)

    # a webcam segment closed and sealed
    def after_record(case: Path, data: Path) -> None:
        rows = _db_rows(data, "SELECT COUNT(*) FROM seal_records")
        assert rows[0][0] >= 1

    result["record"] = Op("record", plain, lambda case, data: _driver("record", str(data)), after_record)

    # an earlier version's folder: adopted, migrated and encrypted
    sys.path.insert(0, str(ROOT / "tests" / "unit"))
    from test_legacy_folder import make_legacy_folder

    legacy = base / "t-legacy"
    make_legacy_folder(legacy)

    def after_migrate(case: Path, data: Path) -> None:
        from local_db.database import latest_version

        assert not cipher.is_plain_sqlite(data / DB_FILENAME)
        assert _db_rows(data, "SELECT MAX(version) FROM schema_version")[0][0] == latest_version()

    result["migrate"] = Op("migrate", legacy, lambda case, data: _driver("migrate", str(data)), after_migrate,
                           legacy=True, skip=())

    # an administrator issues O01 a new PIN: the folder opens with the old or the new PIN, never neither
    def opens_with(data: Path, pin: str) -> bool:
        from datetime import datetime

        from app.custody import Custody, CustodyError

        custody = Custody.open(data)
        try:
            custody.unlock("O01", pin, now=datetime.now().astimezone().replace(microsecond=0))
            return True
        except CustodyError:
            return False
        finally:
            custody.close()

    def old_or_new(case: Path, data: Path) -> str | None:
        return None if opens_with(data, OLD_PIN) or opens_with(data, NEW_PIN) else "O01's PIN: neither opens"

    def after_pin(case: Path, data: Path) -> None:
        assert opens_with(data, NEW_PIN), "the new PIN does not open the folder"

    result["pin"] = Op("pin", plain, lambda case, data: _cli("pin", "O01", "--by", "M01", "--data", str(data)),
                       after_pin, env={"FIELDINSPECT_OFFICER": "M01", "FIELDINSPECT_PIN": ADMIN_PIN},
                       stdin=f"{NEW_PIN}\n{NEW_PIN}\n", skip=(), after_kill=old_or_new)

    # the end-of-shift sync to HQ's receiver, which is killed at its points and started again
    def upload_command(case: Path, data: Path) -> list[str]:
        if not (case / "hq").exists():
            shutil.copytree(hq_dir, case / "hq")
        return _driver("upload", str(data), str(case / "hq"))

    def after_upload(case: Path, data: Path) -> None:
        # The next run signs in again, which is itself on the record: it may send a second,
        # small bundle after the resumed one. Each is acknowledged, and held by HQ once.
        rows = _db_rows(data, "SELECT sequence, state FROM sync_bundles ORDER BY sequence")
        assert rows and {state for _, state in rows} == {"acknowledged"}, rows
        bundles = _hq_rows(case / "hq", "SELECT device_id, sequence FROM bundles")
        assert sorted(seq for _, seq in bundles) == [seq for seq, _ in rows], f"HQ holds {bundles}, the device {rows}"

    result["upload"] = Op("upload", paired, upload_command, after_upload, check_kill=_upload_case)
    return result


# --- running -------------------------------------------------------------------------

def _copy(op: Op, case: Path) -> Path:
    data = case / "data"
    shutil.copytree(op.template, data, symlinks=True)
    if not op.legacy and not op.hq:
        remember(data, keys_of(op.template))
    return data


def _trace(op: Op, base: Path) -> list[str]:
    case = base / f"trace-{op.name}"
    data = _copy(op, case)
    trace = case / "trace.txt"
    done = _run(op.command(case, data), {**op.env, ENV_TRACE: str(trace)}, op.stdin)
    assert done.returncode == 0, f"{op.name}: {done.stdout}{done.stderr}"
    if op.legacy:
        _legacy_keys(data)
    op.after(case, data)
    return trace.read_text("utf-8").split() if trace.exists() else []


def _kill_case(op: Op, target: str, base: Path) -> str | None:
    """Kill ``op`` at ``target`` (``NAME#N``), check, run again, check; None or what went wrong."""
    case = base / f"{op.name}-{target.replace('#', '-')}"
    data = _copy(op, case)
    killed = _run(op.command(case, data), {**op.env, ENV_AT: target}, op.stdin)
    if killed.returncode != -signal.SIGKILL:
        return f"not killed (status {killed.returncode}): {killed.stderr[-800:]}"
    if op.legacy:
        _legacy_keys(data)
    if op.hq:
        return _hq_case(op, case, data)
    if op.check_kill is not None:
        return op.check_kill(op, case, data)
    integrity = _db_rows(data, "PRAGMA integrity_check", op.legacy)
    if integrity != [("ok",)]:
        return f"integrity_check after the kill: {integrity}"
    problems = [p for p in _verify(data, op.legacy) if p.split(":")[0] not in RECOVERABLE]
    if problems:
        return f"verify after the kill: {problems}"
    broken = op.after_kill(case, data) if op.after_kill is not None else None
    if broken:
        return f"after the kill: {broken}"
    again = _run(op.command(case, data), op.env, op.stdin)
    if again.returncode != 0:
        return f"the next run failed (status {again.returncode}): {again.stdout[-400:]}{again.stderr[-800:]}"
    if op.legacy:
        _legacy_keys(data)
    if "Traceback" in again.stderr:
        return f"the next run printed a traceback: {again.stderr[-800:]}"
    problems = _verify(data)
    if problems:
        return f"verify after the next run: {problems}"
    leftovers = _no_leftovers(data)
    if leftovers:
        return f"left over after the next run: {leftovers}"
    return _after(op, case, data, "run")


def _after(op: Op, case: Path, data: Path, when: str) -> str | None:
    """The operation's own checks once it ran again; the case's files go when they hold."""
    try:
        op.after(case, data)
    except AssertionError as exc:
        return f"after the next {when}: {exc}"
    shutil.rmtree(case, ignore_errors=True)
    return None


def _upload_case(op: Op, case: Path, data: Path) -> str | None:
    """After HQ's receiver was killed mid-sync: both databases whole; the next sync resumes the
    upload, HQ ingests the bundle once and the device takes its receipt."""
    for where, rows in (("HQ", _hq_rows(case / "hq", "PRAGMA integrity_check")),
                        ("device", _db_rows(data, "PRAGMA integrity_check"))):
        if rows != [("ok",)]:
            return f"{where} integrity_check after the kill: {rows}"
    again = _run(op.command(case, data))
    if again.returncode != 0 or "Traceback" in again.stderr:
        return f"the next sync failed (status {again.returncode}): {again.stdout[-400:]}{again.stderr[-800:]}"
    problems = _verify(data) + _no_leftovers(data)
    if problems:
        return f"after the next sync: {problems}"
    return _after(op, case, data, "sync")


def _hq_rows(hq: Path, sql: str) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(hq / "hq.sqlite")
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def _hq_case(op: Op, case: Path, hq: Path) -> str | None:
    """After a kill at HQ: its database whole; the next ingest stores the bundle once, nothing left over."""
    if _hq_rows(hq, "PRAGMA integrity_check") != [("ok",)]:
        return "HQ integrity_check after the kill"
    again = _run(op.command(case, hq))
    if again.returncode != 0 or "Traceback" in again.stderr:
        return f"the next ingest failed (status {again.returncode}): {again.stderr[-800:]}"
    leftovers = [str(p.relative_to(hq)) for p in (hq / "incoming").iterdir()] if (hq / "incoming").is_dir() else []
    known = {r[0] for r in _hq_rows(hq, "SELECT sha256 FROM evidence")}
    stored = {p.name for p in (hq / "evidence").rglob("*") if p.is_file()} if (hq / "evidence").is_dir() else set()
    leftovers += [f"evidence without a row: {sha}" for sha in stored - known]
    leftovers += [f"row without evidence: {sha}" for sha in known - stored]
    bundles = _hq_rows(hq, "SELECT device_id, sequence FROM bundles")
    bags = {(p.parent.name, int(p.name)) for p in (hq / "bags").glob("*/*")} if (hq / "bags").is_dir() else set()
    leftovers += [f"bag without a row: {b}" for b in bags - set(bundles)]
    if len(bundles) != 1 or leftovers:
        return f"after the next ingest: {len(bundles)} bundles; {leftovers}"
    return _after(op, case, hq, "ingest")


@pytest.fixture(scope="module")
def traces(ops: dict[str, Op], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    base = tmp_path_factory.mktemp("traces")
    with ThreadPoolExecutor(2) as pool:
        found = dict(zip(ops, pool.map(lambda op: _trace(op, base), ops.values())))
    return found


def targets(trace: list[str]) -> list[str]:
    """Each point of a trace at its first pass, and at its last when that one follows another
    step than the first did (the same step in another place: the last commit of an import
    seals a file, the first records the sign-in); a loop's repeats of one step are killed once."""
    counts, before, first, last = Counter(trace), "", {}, {}
    for name in trace:
        first.setdefault(name, before)
        last[name] = before
        before = name
    return [t for name in dict.fromkeys(trace) for t in
            ([f"{name}#1"] + ([f"{name}#{counts[name]}"] if counts[name] > 1 and last[name] != first[name] else []))]


def _killed_at(op: Op, trace: list[str]) -> list[str]:
    return targets([name for name in trace if not name.startswith(op.skip)])


def test_every_point_in_the_sources_is_killed_at(ops: dict[str, Op], traces: dict[str, list[str]]) -> None:
    declared = declared_points()
    reached = {t.partition("#")[0] for name, op in ops.items() for t in _killed_at(op, traces[name])}
    assert len(declared) >= 20, sorted(declared)
    assert declared - reached == set(), "crash points no operation of the harness passes"
    assert reached - declared == set(), "points reached that the source scan does not see"


def test_a_kill_at_each_crash_point_is_survived(ops: dict[str, Op], traces: dict[str, list[str]],
                                                tmp_path_factory: pytest.TempPathFactory) -> None:
    base = tmp_path_factory.mktemp("kills")
    cases = [(op, t) for name, op in ops.items() for t in _killed_at(op, traces[name])]
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda c: (c[0].name, c[1], _kill_case(c[0], c[1], base)), cases))
    took = time.monotonic() - started
    print(f"\ncrash points: {len(declared_points())} in the sources, {len(cases)} kills "
          f"over {len(ops)} operations in {took:.0f} s")
    for name, target, failure in outcomes:
        print(f"  {'FAIL' if failure else 'ok  '} {name:10s} {target}")
    failures = {f"{name} @ {target}": failure for name, target, failure in outcomes if failure}
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
