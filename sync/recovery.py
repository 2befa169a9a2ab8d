"""The one recovery routine of every entry point: :func:`app.recovery.recover`, and the
bundle files a kill left behind.

A bundle is recorded in the database before it appears under its name
(:func:`sync.bundle.build_bundle`), so two states can follow a kill:

- killed while the bundle was written: ``<out>.partial`` is incomplete and no bundle
  was recorded; the file named in :data:`sync.state.WRITING_SETTING` is removed;
- killed after the record committed, before the rename: the partial file is complete
  and its size and SHA-256 are those recorded; it is renamed into place (adopted), so
  the sequence number it was given is never given out again.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from app import crypto
from app.atomic_files import fsync_dir
from app.recovery import Recovered
from app.recovery import recover as recover_evidence
from app.workspace import Workspace
from local_db.sync_repository import SyncRepository
from sync.state import WRITING_SETTING


def recover(ws: Workspace) -> Recovered:
    """Recover evidence (recordings, staging) and bundle files of ``ws``'s folder."""
    done = recover_evidence(ws)
    adopt_recorded_partial(ws, done)
    writing = ws.settings.get(WRITING_SETTING) or ""
    if writing:
        partial = Path(writing)
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
            done.partials_removed.append(str(partial))
        ws.settings.set(WRITING_SETTING, "")
    return done


def adopt_recorded_partial(ws: Workspace, done: Recovered) -> None:
    """Put the complete partial file of the outstanding bundle under its recorded name."""
    pending = SyncRepository(ws.db).outstanding()
    if pending is None or not pending.get("path"):
        return
    out = Path(pending["path"])
    partial = out.with_name(out.name + ".partial")
    if out.exists() or not partial.is_file():
        return
    try:
        if partial.stat().st_size != pending["size"] or _sha256(partial) != pending["sha256"]:
            return
    except OSError:
        return
    os.replace(partial, out)
    fsync_dir(out.parent)
    done.bundles_adopted.append(pending["id"])
    if ws.settings.get(WRITING_SETTING) == str(partial.resolve()):
        ws.settings.set(WRITING_SETTING, "")


def _sha256(path: Path) -> str:
    with open(path, "rb", buffering=0) as fh:
        steps = crypto.copy_hashing(fh, None)
        while True:
            try:
                next(steps)
            except StopIteration as stop:
                return stop.value[0]
