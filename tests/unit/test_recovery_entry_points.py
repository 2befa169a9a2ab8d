"""One recovery routine, run by every entry point: ``status`` and ``verify`` on the command
line seal a recording a crash left (instead of calling the folder intact while an unsealed
segment waits), and a bundle whose record committed but whose rename did not is put in place."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from app.evidence.locker import EvidenceLocker
from app.evidence.segments import RecordingFolder, start_segment
from app.evidence.store import recording_root
from app.workspace import Workspace
from cli import main as cli
from keys_kit import as_, open_workspace


def _left_by_a_crash(ws: Workspace) -> None:
    """A closed segment not yet sealed, its session's lock released (the process is gone)."""
    locker = EvidenceLocker(ws)
    folder = RecordingFolder(ws.folder, "S1", master=locker.store.master)
    writer = start_segment(folder, 1, source_detail="webcam:0", officers=("33010621001",),
                           inspection_id="JC-2026-1101", evidence_type="audiovisual",
                           started_at=ws.clock().replace(microsecond=0), fps=10.0, size=(64, 48), seconds=60)
    for i in range(5):
        writer.write(np.full((48, 64, 3), i * 40, dtype=np.uint8))
    writer.close(datetime.now().astimezone())
    folder.lock.release()


@pytest.mark.parametrize("command", ["status", "verify"])
def test_status_and_verify_seal_an_interrupted_recording_first(
        demo_workspace: Workspace, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    _left_by_a_crash(demo_workspace)
    folder = demo_workspace.folder
    demo_workspace.close()
    argv = ["status", "--data", str(folder)] if command == "status" else ["verify", str(folder)]
    assert cli.main(argv) == 0
    out = capsys.readouterr()
    assert "interrupted recording" in out.err and "intact" in out.out
    root = recording_root(folder)
    assert not root.is_dir() or not any(root.iterdir())
    ws = open_workspace(folder)
    try:
        [(detail,)] = ws.db.execute("SELECT source_detail FROM evidence WHERE source_kind = 'webcam'").fetchall()
    finally:
        ws.close()
    assert detail.endswith(";recovered")


def test_a_recorded_bundle_cut_off_before_its_rename_is_put_in_place(
        demo_workspace: Workspace, tmp_path: Path) -> None:
    from sync import bundle as bundle_module
    from sync.hq import keys
    from sync.pairing import pair_with_folder
    from sync.recovery import recover

    keys.keygen(tmp_path / "hq")
    pair_with_folder(demo_workspace, tmp_path / "hq", session=as_(demo_workspace, "M01"))
    out = tmp_path / "usb" / "b.bundle"
    real_replace = bundle_module.os.replace

    def killed(src, dst):  # noqa: ANN001, ANN202 - the process dies between the commit and the rename
        raise SystemExit("killed")

    bundle_module.os.replace = killed
    try:
        with pytest.raises(SystemExit):
            bundle_module.run(bundle_module.build_bundle(demo_workspace, out, device=demo_workspace.device,
                                                         session=as_(demo_workspace, "O01")))
    finally:
        bundle_module.os.replace = real_replace
    partial = out.with_name(out.name + ".partial")
    # the except clause removed the partial file of the killed process in this simulation only when
    # the kill came before the commit; here the record is there and the file must be too
    [(sequence, sha)] = demo_workspace.db.execute("SELECT sequence, sha256 FROM sync_bundles").fetchall()
    assert partial.exists() or out.exists()
    done = recover(demo_workspace)
    assert out.is_file() and not partial.exists() and done.bundles_adopted
    from app.crypto import sha256_file

    assert sha256_file(out)[0] == sha
    again = bundle_module.run(bundle_module.build_bundle(demo_workspace, out, device=demo_workspace.device,
                                                         session=as_(demo_workspace, "O01")))
    assert again.resent and again.sequence == sequence  # the same bundle, never a new one under its number
