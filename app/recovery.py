"""What a crash or a kill left behind, put right in one place.

:func:`recover` runs whenever a data folder is opened by a person: by the window
after sign-in, by every command of ``fieldinspect`` that opens the folder, and (for
the bundle files too) through :func:`sync.recovery.recover`. It is safe to run at
any time and again: what a live process still holds is left alone.

- interrupted recordings: each segment left in ``evidence/recording/`` is sealed as
  it is (``app.evidence.recovery``), so ``status`` and ``verify`` never say
  "intact" while an unsealed segment waits;
- staging leftovers: a half-copied ``incoming-*.part`` of a process that is gone is
  removed at once (``app.evidence.importer.sweep_dead_staging``);
- a file renamed onto its address whose seal never committed is moved aside
  (``EvidenceLocker``), once no process can still be committing it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from app.workspace import Workspace

log = logging.getLogger(__name__)


@dataclass
class Recovered:
    """What one run of :func:`recover` did (for the log and for tests)."""

    segments: int = 0
    staging_removed: int = 0
    problems: list[str] = field(default_factory=list)
    bundles_adopted: list[str] = field(default_factory=list)
    partials_removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.segments or self.staging_removed or self.bundles_adopted or self.partials_removed)


def recover(ws: Workspace) -> Recovered:
    """Seal interrupted recordings and clear staging leftovers of ``ws``'s folder."""
    from app.evidence.importer import sweep_dead_staging
    from app.evidence.store import EvidenceStore, recording_root

    done = Recovered()
    root = recording_root(ws.folder)
    if root.is_dir() and any(root.iterdir()):
        from app.evidence.locker import EvidenceLocker
        from app.evidence.recovery import recover_open_segments

        for result in recover_open_segments(EvidenceLocker(ws)):
            done.segments += 1
            if getattr(result, "error", None) is not None:
                done.problems.append(str(result.error))
    done.staging_removed = sweep_dead_staging(EvidenceStore(ws.folder, ws.master))
    if done:
        log.info("recovered after a crash: %s", done)
    return done
