"""SIGKILL during ``fieldinspect import``: nothing half-imported survives, and running
the import again completes every file exactly once (R17).

The import runs in a subprocess through ``cli.main`` with a hook that makes it
stop and wait at a named point, then it is killed there:

- ``copy-large``: 64 MiB into the copy of a 200 MiB file (on the copy's thread);
- ``between-files``: after two files are sealed, before the third is sealed (two
  files are copied at once, so the third and fourth may be in staging);
- ``seal``: inside the seal transaction of the large file (evidence row written,
  seal record about to be);
- ``commit``: the large file already moved to its address, the transaction not
  yet committed — the one moment a file is in the store without its seal;
- ``camera-seal``: ``import --camera`` killed inside a seal transaction.

Afterwards SQLite's integrity check passes; after the next run the staging folder
is empty, ``verify_folder`` finds nothing wrong, and each source is sealed once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keys_kit import keys_of
from tests.database_key import connect_raw
from cli import main as cli
from app.crypto import sha256_file
from app.evidence.copier import FILES_IN_FLIGHT
from app.evidence.importer import STAGING_GRACE_S
from app.evidence.store import EvidenceStore
from app.evidence.verify import verify_folder
from local_db.database import DB_FILENAME

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
MiB = 1 << 20
LARGE = "c_large.MP4"
OFFICER, INSPECTION = "33010621001", "JC-2026-1101"

DRIVER = r"""
import sys, time
from pathlib import Path

point, args = sys.argv[1], sys.argv[2:]
LARGE = "c_large.MP4"

def pause(tag):
    sys.stderr.write(f"PAUSED {tag}\n")
    sys.stderr.flush()
    time.sleep(600)

if point == "between-files":
    from app.evidence import importer
    run = importer.FileImport.run
    def paused_run(self):
        for step in run(self):
            yield step
            if step.files_done == 2 and step.current is not None:
                pause(point)  # two files sealed, the third not yet sealed (its copy may be running)
    importer.FileImport.run = paused_run
elif point == "copy-large":
    from app.evidence.store import EvidenceStore
    stage = EvidenceStore.stage
    def paused_stage(self, src):
        steps = stage(self, src)
        try:
            while True:
                done = next(steps)
                yield done
                if getattr(src, "name", "").endswith(LARGE) and done >= 64 << 20:
                    pause(point)  # on the copy's own thread, 64 MiB into the large file
        except StopIteration as stop:
            return stop.value
    EvidenceStore.stage = paused_stage
else:
    from local_db import database
    configure = database._configure
    state = {"seals": 0}
    def traced(conn):
        configure(conn)
        def on_statement(sql):
            if sql.startswith("INSERT INTO seal_records"):
                state["seals"] += 1
                if state["seals"] == 3 and point in ("seal", "camera-seal"):
                    pause(point)  # inside BEGIN IMMEDIATE: the evidence row written, the seal not
            elif sql == "COMMIT" and state["seals"] == 3 and point == "commit":
                pause(point)  # the file is at its address; the transaction is not committed
        conn.set_trace_callback(on_statement)
    database._configure = traced

from cli import main as cli
sys.exit(cli.main(args))
"""


@pytest.fixture(scope="module")
def camera_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several files as a camera holds them, the third a 200 MiB recording of random bytes."""
    root = tmp_path_factory.mktemp("kill") / "CARD"
    media = root / "DCIM" / "100MEDIA"
    media.mkdir(parents=True)
    (media / "a_small.JPG").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(300_000))
    (media / "b_small.MP4").write_bytes(b"\x00\x00\x00\x18ftypisom" + os.urandom(2 * MiB))
    with open(media / LARGE, "wb") as fh:
        fh.write(b"\x00\x00\x00\x18ftypisom")
        for _ in range(200):
            fh.write(os.urandom(MiB))  # random: no sparse region, nothing compressible
    (media / "d_small.JPG").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500_000))
    yield root
    shutil.rmtree(root.parent, ignore_errors=True)


def import_args(point: str, card: Path, data: Path) -> list[str]:
    if point.startswith("camera"):
        return ["import", "--camera", str(card), "--inspection", INSPECTION, "--officer", OFFICER,
                "--data", str(data)]
    return ["import", str(card / "DCIM"), "--inspection", INSPECTION, "--officer", OFFICER, "--data", str(data)]


def run_until_paused(point: str, args: list[str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, point, *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + 240
    for line in proc.stderr:  # progress is written with \r, so a pause marker starts after one
        if f"PAUSED {point}" in line:
            return proc
        assert time.monotonic() < deadline, "the import never reached the pause point"
    raise AssertionError(f"the import ended (status {proc.wait()}) without reaching {point}")


def staging_files(data: Path) -> list[Path]:
    staging = EvidenceStore(data, None).staging
    return sorted(staging.iterdir()) if staging.is_dir() else []


@pytest.mark.parametrize("point", ["copy-large", "between-files", "seal", "commit", "camera-seal"])
def test_sigkill_leaves_a_consistent_store_and_the_rerun_seals_each_file_once(
        point: str, camera_folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli.main(["demo", "--no-media", "--data", str(data)]) == 0
    if point.startswith("camera"):  # the camera's wearer is its collector: L01 assigns it to O01 first
        os.environ["FIELDINSPECT_PIN"] = "200101"
        try:
            assert cli.main(["cameras", "--assign", camera_folder.name, "--officer", "33010621001", "--by", "L01",
                             "--root", str(camera_folder), "--data", str(data)]) == 0
        finally:
            os.environ["FIELDINSPECT_PIN"] = "100101"
    args = import_args(point, camera_folder, data)
    proc = run_until_paused(point, args)
    if point == "copy-large":
        # the large file is being copied; the next one may be copied already (two files in flight)
        part = max(staging_files(data), key=lambda f: f.stat().st_size)
        assert 64 * MiB <= part.stat().st_size < 200 * MiB
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    killed_at = time.time()

    conn = connect_raw(data / DB_FILENAME, keys_of(data).db_key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sealed = {r[0] for r in conn.execute("SELECT sha256 FROM seal_records")}
        rows = {r[0] for r in conn.execute("SELECT sha256 FROM evidence")}
    finally:
        conn.close()
    assert sealed == rows and len(sealed) == 2  # the two files before the large one, whole
    report = verify_folder(data, keys=keys_of(data))
    stored = set(EvidenceStore(data, None).stored_hashes())
    if point == "commit":
        # the large file reached its address but its seal did not commit: reported, not hidden
        assert [p.kind for p in report.problems] == ["unsealed-file"] and len(stored - sealed) == 1
    else:
        assert report.ok, [p.describe("en") for p in report.problems]
        assert stored == sealed
    # Staging files of the files in flight: the large one unless it reached its address
    # ("commit") or its copy had not begun ("between-files"), and the last file's when its
    # copy was under way or done.
    leftovers = staging_files(data)
    low = 1 if point in ("copy-large", "seal", "camera-seal") else 0
    assert low <= len(leftovers) <= low + 1 if point != "between-files" else len(leftovers) <= FILES_IN_FLIGHT

    # the next import sweeps what the killed one left once nobody can still be finishing it
    time.sleep(max(0.0, killed_at + STAGING_GRACE_S + 0.5 - time.time()))
    result = subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert staging_files(data) == []
    report = verify_folder(data, keys=keys_of(data))
    assert report.ok, [p.describe("en") for p in report.problems]
    sources = sorted((camera_folder / "DCIM" / "100MEDIA").iterdir())
    expected = {sha256_file(p)[0]: p.name for p in sources}
    conn = connect_raw(data / DB_FILENAME, keys_of(data).db_key)
    try:
        names = sorted(r[0] for r in conn.execute("SELECT original_name FROM evidence"))
        assert {r[0] for r in conn.execute("SELECT sha256 FROM seal_records")} == set(expected)
        assert conn.execute("SELECT COUNT(*) FROM seal_records").fetchone()[0] == 4
        assert names == sorted(expected.values())  # every file exactly once
        if point.startswith("camera"):
            remembered = sorted(r[0] for r in conn.execute("SELECT rel_path FROM camera_imports"))
            assert remembered == [f"DCIM/100MEDIA/{p.name}" for p in sources]
    finally:
        conn.close()
    assert set(EvidenceStore(data, None).stored_hashes()) == set(expected)
    assert f"imported {4 - 2}" in result.stdout  # the two sealed before the kill were not sealed again
    shutil.rmtree(data)
