"""Operations of the crash-point harness that have no command of their own.

Run as ``python tests/integration/crash_ops.py OP DATA [ARG…]`` from the repository
root, with the environment of :mod:`local_db.crashpoints`. Each signs in with the
demo officer's PIN as the window would, runs the one recovery routine
(``sync.recovery.recover``) as every entry point does, then the operation:

- ``record DATA``: one short webcam segment written by the real writer, closed and sealed;
- ``reference DATA FILE``: reference data signed by HQ (FILE holds data, FILE.sig its
  signature) verified and loaded;
- ``inventory DATA``: one item, photographed in place, entered in the ready demo demolition case;
- ``migrate DATA``: an earlier version's folder opened: adopted, its database migrated
  and encrypted (signed in with the old PIN);
- ``upload DATA HQ``: the end-of-shift sync of DATA to HQ's receiver (``fieldinspect-hq
  serve --dir HQ``, started here): bundle, tus upload in small chunks, receipt, the
  upload's termination. The crash points are HQ's: the environment of
  :mod:`local_db.crashpoints` is handed to the receiver only, and when the receiver is
  killed this process kills itself too, so the run ends as a kill.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

OFFICERS = ("33010621001",)
LEGACY_PIN = ("O01", "1357")


def _open(data: Path):  # noqa: ANN202
    from keys_kit import open_workspace

    return open_workspace(data, person="O01")


def _recovered(ws) -> None:  # noqa: ANN001
    from sync.recovery import recover

    recover(ws)


def record(data: Path) -> None:
    import numpy as np

    from app.evidence.locker import EvidenceLocker
    from app.evidence.segments import RecordingFolder, seal_closed_segment, start_segment
    from keys_kit import as_

    ws = _open(data)
    try:
        _recovered(ws)
        locker = EvidenceLocker(ws)
        session = datetime.now().strftime("S%H%M%S%f")
        folder = RecordingFolder(ws.folder, session, master=locker.store.master)
        writer = start_segment(folder, 1, source_detail="webcam:0", officers=OFFICERS, inspection_id="JC-2026-1101",
                               evidence_type="audiovisual", started_at=ws.clock().replace(microsecond=0),
                               fps=10.0, size=(64, 48), seconds=60)
        for i in range(10):
            writer.write(np.full((48, 64, 3), i * 20, dtype=np.uint8))
        journal = writer.close(datetime.now().astimezone())
        seal_closed_segment(locker, journal, writer.path, session=as_(ws, "O01"))
        folder.close()
    finally:
        ws.close()


def reference(data: Path, file: Path) -> None:
    from sync.reference_pull import apply_reference

    ws = _open(data)
    try:
        _recovered(ws)
        apply_reference(ws, file.read_bytes(), file.with_name(file.name + ".sig").read_bytes())
    finally:
        ws.close()


def inventory(data: Path) -> None:
    from app.clock import CHINA_TZ, fixed_clock
    from app.demolition import specimen
    from app.demolition.service import DemolitionService
    from keys_kit import as_, open_workspace

    ws = open_workspace(data, clock=fixed_clock(datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)), person="O01")
    try:
        _recovered(ws)
        s = DemolitionService(ws)
        photo = s.inventory.take_photo(specimen.READY_CASE, specimen.sample_photo(1), actor=as_(ws, "O01"))
        s.inventory.add_item(specimen.READY_CASE, name="餐椅", category="家具", quantity=4, unit="件",
                             condition="完好", label_no="QC7-B001", photos=[photo], actor=as_(ws, "O01"))
    finally:
        ws.close()


def migrate(data: Path) -> None:
    from app import unlock

    custody = unlock.open_custody(data)
    keys = custody.unlock(*LEGACY_PIN, now=datetime.now().astimezone().replace(microsecond=0))
    ws = unlock.open_with_keys(custody, keys)
    try:
        _recovered(ws)
    finally:
        ws.close()


def upload(data: Path, hq_dir: Path) -> None:
    import os
    import signal

    # taken out before local_db.crashpoints reads them (at its import)
    crash = {k: os.environ.pop(k) for k in ("FIELDINSPECT_CRASH_AT", "FIELDINSPECT_CRASH_TRACE") if k in os.environ}
    from local_db.errors import UserFacingError
    from sync import client
    from sync.upload import Backoff
    from keys_kit import as_
    from sync_loopback import HqProcess  # beside this file

    ws = _open(data)
    os.environ.update(crash)  # for the receiver started now, not for this process
    hq = HqProcess(hq_dir).start()
    for name in crash:
        del os.environ[name]
    try:
        _recovered(ws)
        client.run(client.sync_to_hq(ws, hq.url, device=ws.device, session=as_(ws, "O01"), chunk_size=128 << 10,
                                     reference=False,
                                     backoff=Backoff(0.05, 0.2, give_up_after=5.0), max_failures=4))
    except UserFacingError:
        if hq.proc.poll() is None:
            raise
    finally:
        hq.stop()
        if hq.proc.returncode == -signal.SIGKILL:  # the receiver was killed at its point: so is the device
            os.kill(os.getpid(), signal.SIGKILL)
        ws.close()


if __name__ == "__main__":
    op, folder, *rest = sys.argv[1:]
    {"record": record, "reference": reference, "inventory": inventory, "migrate": migrate, "upload": upload}[op](
        Path(folder), *[Path(r) if op in ("reference", "upload") else r for r in rest])
