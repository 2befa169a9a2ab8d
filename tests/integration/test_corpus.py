"""The bad-input corpus (tests/corpus/README.md): every input the application takes from
outside, each answered with a message in Chinese and in English, a documented exit status
(0 done, 1 done but something refused or found wrong, 2 nothing done), no traceback, and
no change on disk (evidence store, outbox, the input itself).

Command-line inputs run ``python -m cli`` in child processes, two at a time; reference
data, inspection codes (QR), tus requests and settings values go through the core
in-process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app import demo, paths
from app.crypto import sha256_file
from keys_kit import create_workspace, keys_of, open_workspace, remember
from local_db.database import DB_FILENAME

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import enroll_and_pair, make_hq  # noqa: E402

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
OFFICER, INSPECTION = "33010621001", "JC-2026-1101"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}[ ,:;.]+[A-Za-z]{2,}")
GBK = "现场照片".encode("gbk")


def bilingual(text: str) -> bool:
    return bool(CJK.search(text) and ENGLISH.search(text))


# --- templates ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("corpus")
    plain = base / "demo"
    ws = create_workspace(plain)
    try:
        demo.seed(ws, media=False)
    finally:
        ws.close()
    paired = base / "paired"
    shutil.copytree(plain, paired)
    remember(paired, keys_of(plain))
    hq = make_hq(base / "hq")
    ws = open_workspace(paired)
    try:
        enroll_and_pair(ws, hq)
    finally:
        ws.close()
    src = base / "src"
    src.mkdir()
    (src / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(20_000))
    (src / "b.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + os.urandom(40_000))
    assert _run(["import", str(src), "--inspection", INSPECTION, "--officer", OFFICER,
                 "--data", str(paired)]).returncode == 0
    assert _run(["bundle", "--out", str(base / "b.bundle"), "--data", str(paired)]).returncode == 0
    return {"demo": plain, "paired": paired, "hq": hq, "bundle": base / "b.bundle"}


def _run(argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli", *argv], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60, errors="backslashreplace")


# --- command-line cases -----------------------------------------------------------------

@dataclass
class Case:
    id: str
    build: Callable[[Path, Path, dict], list[str]]  # (inputs folder, data folder, templates) → argv
    codes: set[int]
    template: str = "demo"
    env: dict = field(default_factory=dict)
    data_changes: bool = False  # only the database and key files may change otherwise


def _file(name: str | bytes, data: bytes) -> Callable[[Path], Path]:
    def make(inputs: Path) -> Path:
        path = os.path.join(os.fsencode(inputs), name if isinstance(name, bytes) else os.fsencode(name))
        with open(path, "wb") as fh:
            fh.write(data)
        return Path(os.fsdecode(path))
    return make


def _import(make: Callable[[Path], Path]) -> Callable[[Path, Path, dict], list[str]]:
    return lambda inputs, data, t: ["import", str(make(inputs)), "--inspection", INSPECTION, "--officer", OFFICER,
                                    "--data", str(data)]


def _fifo(inputs: Path) -> Path:
    os.mkfifo(inputs / "pipe.mp4")
    return inputs / "pipe.mp4"


def _dev_link(inputs: Path) -> Path:
    (inputs / "zero.mp4").symlink_to("/dev/zero")
    return inputs / "zero.mp4"


def _empty_folder(inputs: Path) -> Path:
    (inputs / "DCIM").mkdir()
    return inputs / "DCIM"


def _gbk_folder(inputs: Path) -> Path:
    folder = os.path.join(os.fsencode(inputs), GBK)
    os.mkdir(folder)
    with open(os.path.join(folder, b"note.jpg"), "wb") as fh:
        fh.write(b"plain text, not a photo")
    return Path(os.fsdecode(folder))


def _status(inputs: Path, data: Path, t: dict) -> list[str]:
    return ["status", "--data", str(data)]


def _damage(how: Callable[[Path], None]) -> Callable[[Path, Path, dict], list[str]]:
    def build(inputs: Path, data: Path, t: dict) -> list[str]:
        how(data)
        return ["status", "--data", str(data)]
    return build


def _write(rel: str, data: bytes) -> Callable[[Path], None]:
    def how(folder: Path) -> None:
        path = folder / rel
        if path.exists():
            os.chmod(path, 0o600)
        path.write_bytes(data)
    return how


def _truncate(rel: str, size: int) -> Callable[[Path], None]:
    return lambda folder: os.truncate(folder / rel, size)


def _foreign_sqlite(folder: Path) -> None:
    (folder / DB_FILENAME).unlink()
    conn = sqlite3.connect(folder / DB_FILENAME)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _evidence(folder: Path) -> Path:
    from app.evidence.store import EvidenceStore

    return next(p for p in EvidenceStore(folder, None).objects.rglob("*") if p.is_file())


def _alter_evidence(folder: Path) -> None:
    path = _evidence(folder)
    os.chmod(path, 0o644)
    with open(path, "r+b") as fh:
        fh.seek(100)
        fh.write(b"\x00" * 16)


def _verify(how: Callable[[Path], None]) -> Callable[[Path, Path, dict], list[str]]:
    def build(inputs: Path, data: Path, t: dict) -> list[str]:
        how(data)
        return ["verify", str(data)]
    return build


def _extra_evidence(folder: Path) -> None:
    from app.evidence.store import EvidenceStore

    sha = "ab" * 32
    target = EvidenceStore(folder, None).path_for(sha)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"FIE1" + os.urandom(100))


def _bundle_verify(make: Callable[[Path, dict], Path], identity: bool | str = True) -> Callable:
    def build(inputs: Path, data: Path, t: dict) -> list[str]:
        bundle = make(inputs, t)
        argv = ["verify", str(bundle), "--officer", "O01"]
        if identity is True:
            argv += ["--hq-identity", str(t["hq"] / "hq-age.key")]
        elif identity:
            ident = inputs / "identity.key"
            ident.write_text(identity)
            argv += ["--hq-identity", str(ident)]
        return argv
    return build


def _bundle_bytes(change: Callable[[bytes], bytes]) -> Callable[[Path, dict], Path]:
    def make(inputs: Path, t: dict) -> Path:
        out = inputs / "b.bundle"
        out.write_bytes(change(t["bundle"].read_bytes()))
        return out
    return make


def _flip(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def _receipt(make: Callable[[Path, dict], Path]) -> Callable[[Path, Path, dict], list[str]]:
    return lambda inputs, data, t: ["bundle", "--receipt", str(make(inputs, t)), "--data", str(data)]


def _corpus_receipt(name: str) -> Callable[[Path, dict], Path]:
    def make(inputs: Path, t: dict) -> Path:
        shutil.copy(CORPUS / "receipts" / name, inputs / name)
        return inputs / name
    return make


def _signed_receipt(*, key: str, bundle_id: str | None = None) -> Callable[[Path, dict], Path]:
    """A receipt-shaped file signed by HQ's key (``key="hq"``) or by a stranger's."""
    def make(inputs: Path, t: dict) -> Path:
        from app import crypto
        from sync.hq import keys
        from sync.receipt import RECEIPT_FORMAT, SignedReceipt

        signer = keys.signing_key(t["hq"]) if key == "hq" else crypto.generate_signing_key()
        body = crypto.canonical_json({"format": RECEIPT_FORMAT, "bundle_id": bundle_id or "X-1", "sequence": 1})
        out = inputs / "receipt.json"
        out.write_bytes(SignedReceipt(body, crypto.sign(signer, body)).to_json())
        return out
    return make


def _bytes_file(name: str, data: bytes) -> Callable[[Path, dict], Path]:
    def make(inputs: Path, t: dict) -> Path:
        (inputs / name).write_bytes(data)
        return inputs / name
    return make


TEXT = b"this is plain text, not a photo or a video\n"
CASES: list[Case] = [
    # files and folders to import
    Case("import-empty-file", _import(_file("empty.jpg", b"")), {1}),
    Case("import-text-named-jpg", _import(_file("note.jpg", TEXT)), {1}),
    Case("import-random-mp4", _import(_file("noise.mp4", os.urandom(5000))), {1}),
    Case("import-zeros-mp4", _import(_file("zeros.mp4", b"\x00" * 5000)), {1}),
    Case("import-missing-path", _import(lambda i: i / "no-such-file.jpg"), {1}),
    Case("import-empty-folder", _import(_empty_folder), {0}),
    Case("import-fifo", _import(_fifo), {1}),
    Case("import-link-to-device", _import(_dev_link), {1}),
    Case("import-gbk-name", _import(_file(GBK + b".jpg", TEXT)), {1}),
    Case("import-gbk-folder", _import(_gbk_folder), {1}),
    Case("import-invalid-utf8-name", _import(_file(b"\xff\xfe\x80.jpg", TEXT)), {1}),
    Case("import-control-characters", _import(_file("a\x07b\x1b[31m\n.jpg", TEXT)), {1}),
    Case("import-bidi-override", _import(_file("\u202egpj.exe", TEXT)), {1}),
    Case("import-long-name", _import(_file("长" * 80 + ".jpg", TEXT)), {1}),
    Case("import-unknown-inspection", lambda i, d, t: ["import", str(_file("a.jpg", TEXT)(i)), "--inspection",
                                                       "NO-SUCH", "--officer", OFFICER, "--data", str(d)], {2}),
    Case("import-unknown-officer", lambda i, d, t: ["import", str(_file("a.jpg", TEXT)(i)), "--inspection",
                                                    INSPECTION, "--officer", "99999999999", "--data", str(d)], {2}),
    Case("import-bad-evidence-type", lambda i, d, t: ["import", str(_file("a.jpg", TEXT)(i)), "--inspection",
                                                      INSPECTION, "--officer", OFFICER, "--type", "照片",
                                                      "--data", str(d)], {2}),
    Case("import-nothing-named", lambda i, d, t: ["import", "--inspection", INSPECTION, "--officer", OFFICER,
                                                  "--data", str(d)], {2}),
    Case("import-camera-missing", lambda i, d, t: ["import", "--camera", str(i / "NO-CARD"), "--inspection",
                                                   INSPECTION, "--data", str(d)], {2}),
    Case("import-camera-not-a-camera", lambda i, d, t: ["import", "--camera", str(_empty_folder(i)),
                                                        "--inspection", INSPECTION, "--data", str(d)], {2}),
    # data folders and databases
    Case("folder-missing", lambda i, d, t: ["status", "--data", str(i / "nowhere")], {2}),
    Case("folder-empty", lambda i, d, t: ["status", "--data", str(_empty_folder(i))], {2}),
    Case("folder-is-a-file", lambda i, d, t: ["status", "--data", str(_file("data", TEXT)(i))], {2}),
    Case("database-truncated", _damage(_truncate(DB_FILENAME, 100)), {2}),
    Case("database-random", _damage(_write(DB_FILENAME, os.urandom(8192))), {2}),
    Case("database-empty", _damage(_write(DB_FILENAME, b"")), {2}),
    Case("database-of-another-program", _damage(_foreign_sqlite), {2}),
    Case("gate-damaged", _damage(_write("device/gate.sqlite", os.urandom(4096))), {2}),
    Case("installation-missing", _damage(lambda f: (f / "device" / "installation").unlink()), {2}),
    Case("installation-unknown", _damage(_write("device/installation", b"0" * 32 + b"\n")), {2}),
    Case("pin-wrong", _status, {2}, env={"FIELDINSPECT_PIN": "999999"}),
    Case("pin-empty", _status, {2}, env={"FIELDINSPECT_PIN": ""}),
    Case("pin-letters-and-long", _status, {2}, env={"FIELDINSPECT_PIN": "abc" * 400}),
    Case("officer-unknown", _status, {2}, env={"FIELDINSPECT_OFFICER": "NOBODY"}),
    Case("officer-not-given", _status, {2}, env={"FIELDINSPECT_OFFICER": ""}),
    Case("officer-gbk-bytes", _status, {2}, env={"FIELDINSPECT_OFFICER": os.fsdecode(GBK)}),
    Case("evidence-altered", _verify(_alter_evidence), {1}, template="paired"),
    Case("evidence-deleted", _verify(lambda f: (os.chmod(_evidence(f), 0o644), _evidence(f).unlink())), {1},
         template="paired", data_changes=True),
    Case("evidence-file-without-seal", _verify(_extra_evidence), {1}, template="paired", data_changes=True),
    # bundles
    Case("bundle-random", _bundle_verify(_bundle_bytes(lambda b: os.urandom(len(b)))), {1}, template="paired"),
    Case("bundle-empty", _bundle_verify(_bundle_bytes(lambda b: b"")), {1, 2}, template="paired"),
    Case("bundle-truncated", _bundle_verify(_bundle_bytes(lambda b: b[:len(b) // 2])), {1}, template="paired"),
    Case("bundle-one-byte-flipped", _bundle_verify(_bundle_bytes(_flip)), {1}, template="paired"),
    Case("bundle-no-identity", _bundle_verify(_bundle_bytes(lambda b: b), identity=False), {2}, template="paired"),
    Case("bundle-identity-garbage", _bundle_verify(_bundle_bytes(lambda b: b), identity="AGE-SECRET-KEY-NOPE\n"),
         {1, 2}, template="paired"),
    Case("bundle-identity-missing", lambda i, d, t: ["verify", str(t["bundle"]), "--officer", "O01",
                                                     "--hq-identity", str(i / "none.key")], {2}, template="paired"),
    Case("bundle-gbk-file-name", _bundle_verify(lambda i, t: _file(GBK + b".bundle", os.urandom(300))(i)), {1},
         template="paired"),
    # receipts
    Case("receipt-missing-file", _receipt(lambda i, t: i / "none.json"), {2}, template="paired"),
    *[Case(f"receipt-{p.stem}", _receipt(_corpus_receipt(p.name)), {2}, template="paired")
      for p in sorted((CORPUS / "receipts").glob("*.json"))],
    Case("receipt-gbk-bytes", _receipt(_bytes_file("r.json", "回执".encode("gbk"))), {2}, template="paired"),
    Case("receipt-binary", _receipt(_bytes_file("r.json", os.urandom(200))), {2}, template="paired"),
    Case("receipt-signed-by-a-stranger", _receipt(_signed_receipt(key="stranger")), {2}, template="paired"),
    Case("receipt-for-an-unknown-bundle", _receipt(_signed_receipt(key="hq")), {2}, template="paired"),
    Case("receipt-on-an-unpaired-device", _receipt(_signed_receipt(key="hq")), {2}),
    # HQ addresses given to sync
    Case("sync-url-not-a-url", lambda i, d, t: ["sync", "--server", "not a url", "--data", str(d)], {1, 2},
         template="paired"),
    Case("sync-url-ftp", lambda i, d, t: ["sync", "--server", "ftp://hq.example", "--data", str(d)], {1, 2},
         template="paired"),
    # an HQ that does not answer: the retries end (exit 3), the bundle waits
    Case("sync-hq-unreachable", lambda i, d, t: ["sync", "--server", f"http://127.0.0.1:{_closed_port()}",
                                                 "--retries", "3", "--give-up-after", "5", "--data", str(d)], {3},
         template="paired"),
    Case("sync-retries-zero", lambda i, d, t: ["sync", "--server", "http://127.0.0.1:9", "--retries", "0",
                                               "--data", str(d)], {2}, template="paired"),
]


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    """Files that an answered bad input must leave alone (not the database or the key files)."""
    seen: dict[str, tuple[int, int]] = {}
    for root in roots:
        for dirpath, _, files in os.walk(os.fsencode(root)):
            for f in files:
                path = os.path.join(dirpath, f)
                rel = os.fsdecode(os.path.relpath(path, os.fsencode(root)))
                if rel.startswith((DB_FILENAME, "device")) or "/." in rel or rel.startswith("."):
                    continue
                st = os.lstat(path)
                seen[f"{root.name}/{rel}"] = (st.st_size, st.st_mtime_ns)
    return seen


def _seal_count(data: Path) -> int | None:
    from tests.database_key import connect_raw

    try:
        conn = connect_raw(data / DB_FILENAME, keys_of(data).db_key)
    except Exception:  # noqa: BLE001 - a damaged folder of the corpus
        return None
    try:
        return conn.execute("SELECT COUNT(*) FROM seal_records").fetchone()[0]
    except Exception:  # noqa: BLE001
        return None
    finally:
        conn.close()


def _run_case(case: Case, t: dict, base: Path) -> str | None:
    here = base / case.id
    inputs, data = here / "inputs", here / "data"
    inputs.mkdir(parents=True)
    shutil.copytree(t[case.template], data)
    remember(data, keys_of(t[case.template]))
    argv = case.build(inputs, data, t)
    before, seals = _snapshot(data, inputs), _seal_count(data)
    done = _run(argv, case.env)
    out = done.stdout + done.stderr
    problems = []
    if done.returncode not in case.codes:
        problems.append(f"exit {done.returncode}, expected {sorted(case.codes)}")
    if "Traceback" in done.stderr:
        problems.append("a traceback")
    if not bilingual(out):
        problems.append("no message in both Chinese and English")
    if not case.data_changes and _snapshot(data, inputs) != before:
        problems.append("files changed on disk")
    if _seal_count(data) != seals:
        problems.append("the seal records changed")
    if problems:
        return f"{'; '.join(problems)}\n--- {' '.join(argv)}\n{out[-1500:]}"
    shutil.rmtree(here, ignore_errors=True)
    return None


def test_the_command_line_answers_every_bad_input_in_both_languages_without_a_traceback(
        templates: dict, tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda c: (c.id, _run_case(c, templates, tmp_path)), CASES))
    failures = {name: why for name, why in outcomes if why}
    print(f"\ncorpus: {len(CASES)} command-line inputs, {len(failures)} failed")
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())


# --- in-process inputs -------------------------------------------------------------------

def _reference_variants() -> dict[str, bytes]:
    doc = json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))
    variants: dict[str, bytes] = {"empty": b"", "not-json": b"{{{", "gbk": "基础数据".encode("gbk"),
                                  "array": b"[]", "wrong-format": json.dumps({**doc, "format": "x/9"}).encode()}
    broken = json.loads(json.dumps(doc))
    broken.pop("officers", None)
    variants["no-officers"] = json.dumps(broken).encode()
    dup = json.loads(json.dumps(doc))
    if dup.get("officers"):
        dup["officers"].append(dict(dup["officers"][0], id="X99"))
    variants["duplicate-certificate"] = json.dumps(dup, ensure_ascii=False).encode()
    bad_date = json.loads(json.dumps(doc))
    bad_date["issued_at"] = "yesterday"
    variants["bad-issued-at"] = json.dumps(bad_date).encode()
    return variants


def test_reference_data_qr_codes_tus_requests_and_settings_are_answered_in_both_languages(
        demo_workspace, tmp_path: Path) -> None:  # noqa: ANN001
    from starlette.testclient import TestClient

    from app import access, overdue
    from app.device import DeviceIdentity
    from app.documents.qr import parse_code
    from app.evidence.locker import EvidenceLocker
    from app.reference import load_file
    from local_db.errors import UserFacingError
    from sync.device_auth import authorization_header
    from sync.hq import keys
    from sync.hq.server import create_app
    from sync.hq.store import HqStore

    failures: dict[str, str] = {}
    count = 0

    def refused(name: str, call: Callable[[], object]) -> None:
        nonlocal count
        count += 1
        try:
            call()
        except UserFacingError as exc:
            if not (CJK.search(exc.zh) and ENGLISH.search(exc.en)):
                failures[name] = f"{exc.zh!r} / {exc.en!r}"
            return
        except Exception as exc:  # noqa: BLE001 - what must not happen
            failures[name] = f"{type(exc).__name__}: {exc}"
            return
        failures[name] = "accepted"

    for name, data in _reference_variants().items():
        path = tmp_path / f"ref-{name}.json"
        path.write_bytes(data)
        refused(f"reference-{name}", lambda p=path: load_file(p))

    for n, line in enumerate((CORPUS / "qr_payloads.txt").read_text("utf-8").splitlines()):
        refused(f"qr-{n}", lambda s=line.replace("\\n", "\n"): parse_code(s))

    hq = tmp_path / "hq"
    keys.keygen(hq)
    device = DeviceIdentity.generate(tmp_path / "dev")
    store = HqStore(hq)
    store.enroll(device.public_key_pem)
    store.close()
    with TestClient(create_app(hq)) as client:
        for n, req in enumerate(json.loads((CORPUS / "tus_requests.json").read_text("utf-8"))):
            count += 1
            path = "/files/" + req["upload"] if "upload" in req else "/files/"
            headers = dict(req["headers"])
            if req.get("auth"):
                headers.setdefault("Tus-Resumable", "1.0.0")
                headers["Authorization"] = authorization_header(device.device_id, device.sign, req["method"],
                                                                path.rstrip("/") if "upload" in req else path)
            r = client.request(req["method"], path, headers=headers)
            text = r.text if req["method"] != "HEAD" else "中文 and English"  # HEAD has no body
            if r.status_code < 400 or r.status_code >= 500 or not bilingual(text) and req["method"] != "HEAD":
                failures[f"tus-{n} {req['why']}"] = f"{r.status_code} {r.text!r}"

    ws = demo_workspace
    readers = {"evidence.retention_months": lambda: EvidenceLocker(ws).retention_months(),
               "duty.overdue_hours": lambda: overdue.limit_hours(ws),
               "duty.end_time": lambda: overdue.end_of_duty_time(ws),
               "session.idle_lock_minutes": lambda: access.idle_lock_minutes(ws)}
    for n, line in enumerate((CORPUS / "settings.txt").read_text("utf-8").splitlines()):
        key, _, value = line.partition("\t")
        if key not in readers:
            continue
        count += 1
        ws.settings.set(key, value)
        try:
            readers[key]()  # an unusable value falls back to the default, it never stops the program
        except Exception as exc:  # noqa: BLE001
            failures[f"setting-{n} {key}={value!r}"] = f"{type(exc).__name__}: {exc}"
    print(f"\ncorpus: {count} in-process inputs, {len(failures)} failed")
    assert count >= 30
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_the_corpus_has_at_least_sixty_inputs() -> None:
    in_process = len(_reference_variants()) + len((CORPUS / "qr_payloads.txt").read_text("utf-8").splitlines()) \
        + len(json.loads((CORPUS / "tus_requests.json").read_text("utf-8"))) \
        + len((CORPUS / "settings.txt").read_text("utf-8").splitlines())
    assert len(CASES) + in_process >= 60


# --- the window over the inputs it takes (data folders, PINs, who signs in) --------------------

WINDOW_CASES = [c for c in CASES if c.id.startswith(("folder-", "database-", "gate-", "installation-", "pin-",
                                                     "officer-"))]


def _run_window(case: Case, t: dict, base: Path) -> str | None:
    here = base / f"window-{case.id}"
    inputs, data = here / "inputs", here / "data"
    inputs.mkdir(parents=True)
    shutil.copytree(t[case.template], data)
    argv = case.build(inputs, data, t)
    folder = argv[argv.index("--data") + 1]
    officer = case.env.get("FIELDINSPECT_OFFICER", "O01")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **case.env}
    env.pop("FIELDINSPECT_OFFICER", None)
    args = ["--data", folder, "--exit-when-ready"] + (["--officer", officer] if officer else [])
    done = subprocess.run([sys.executable, "-c", "import sys; from ui.launcher import main; sys.exit(main())", *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=120, errors="backslashreplace")
    problems = []
    if done.returncode == 0 and officer:
        problems.append("the window opened")
    if "Traceback" in done.stderr:
        problems.append("a traceback")
    if officer and not bilingual(done.stdout + done.stderr):
        problems.append("no message in both Chinese and English")
    if problems:
        return f"{'; '.join(problems)} (exit {done.returncode})\n--- {' '.join(args)}\n{done.stderr[-1500:]}"
    shutil.rmtree(here, ignore_errors=True)
    return None


def test_the_offscreen_window_answers_the_same_bad_folders_and_sign_ins_without_a_traceback(
        templates: dict, tmp_path: Path) -> None:
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda c: (c.id, _run_window(c, templates, tmp_path)), WINDOW_CASES))
    failures = {name: why for name, why in outcomes if why}
    print(f"\ncorpus: {len(WINDOW_CASES)} inputs to the window, {len(failures)} failed")
    assert len(WINDOW_CASES) >= 12
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
