"""Durable, atomic file writes: temp file in the same folder, fsync, rename, fsync folder.

A power cut at any moment leaves either the old state or the new file complete,
never a half-written file under the final name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from local_db.cipher import fsync_path
from local_db.crashpoints import point


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (POSIX; a no-op where unsupported)."""
    fsync_path(folder)


def write_new_file(path: Path, data: bytes, *, mode: int) -> None:
    """Create ``path`` with ``data`` and ``mode``; refuse (FileExistsError) to replace it.

    The file appears under its name only once complete and on disk. Refusing to
    replace matters for keys: overwriting a device key would orphan every seal it made.
    """
    folder = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, mode) if hasattr(os, "fchmod") else os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        point("file.new-fsync")
        try:
            # link() fails when the name exists, so two first starts racing each
            # other cannot both win.
            os.link(tmp, path)
        except (AttributeError, NotImplementedError, PermissionError):
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(tmp, path)
        point("file.new-linked")
        fsync_dir(folder)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
