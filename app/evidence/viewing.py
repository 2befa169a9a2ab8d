"""Where decrypted copies go when a person views an original in another program.

A system viewer needs a file. The copy is made in a private folder outside the
data folder — ``$XDG_RUNTIME_DIR/fieldinspect-view/`` (a memory file system on
most systems), else ``<temp>/fieldinspect-view-<uid>/`` — mode 0700, one
sub-folder per person, and the application removes it when the person signs out
or the window closes, and at the next start whatever a crash left. Each view is
logged (R17) by ``EvidenceLocker.view``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

VIEW_FOLDER_NAME = "fieldinspect-view"


def view_root() -> Path:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / VIEW_FOLDER_NAME
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"{VIEW_FOLDER_NAME}-{uid}"


def private_view_folder(person_id: str) -> Path:
    """The person's folder for viewer copies, created 0700 (and checked to be ours)."""
    root = view_root()
    root.mkdir(mode=0o700, exist_ok=True)
    st = root.lstat()
    if root.is_symlink() or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        raise PermissionError(f"{root} is not a private folder of this user")
    os.chmod(root, 0o700)
    folder = root / person_id
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def clean_view_folders() -> None:
    """Remove every viewer copy (sign-out, window closed, start after a crash)."""
    root = view_root()
    if root.is_dir() and not root.is_symlink():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                for f in child.iterdir():
                    try:
                        os.chmod(f, 0o600)
                    except OSError:
                        pass
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
