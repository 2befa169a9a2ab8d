"""Bring a data folder of an earlier version to encrypted storage, once, at unlock.

Originals (and set-aside files) in the clear are encrypted in place by the store
(``EvidenceStore.encrypt_plaintext``: written beside, fsynced, renamed over, so a
kill leaves the plaintext or the encrypted file, never neither); document PDFs
under ``documents/`` the same way; plain thumbnails in ``cache/`` are only a
cache and are removed (they are made again, encrypted). Webcam segments an
earlier version left in the clear are sealed by the crash recovery, which reads
both forms. The count is audited.
"""

from __future__ import annotations

from pathlib import Path

from app.crypto.filecrypt import MAGIC, write_encrypted
from app.evidence.store import EvidenceStore
from app.workspace import Workspace

DOCUMENTS_DIR = "documents"
CACHE_DIR = "cache"


def _plain(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) != MAGIC
    except OSError:
        return False


def encrypt_folder_at_rest(ws: Workspace) -> dict[str, int]:
    """Encrypt what an earlier version left in the clear; returns what was done (all zero: nothing)."""
    store = EvidenceStore(ws.folder, ws.master)
    originals = len(store.encrypt_plaintext())
    documents = 0
    docs = Path(ws.folder) / DOCUMENTS_DIR
    if docs.is_dir():
        for pdf in sorted(docs.rglob("*.pdf")):
            if pdf.is_file() and _plain(pdf):
                write_encrypted(pdf, pdf.read_bytes(), ws.master)  # a few hundred KiB; atomic rename
                documents += 1
    removed = 0
    cache = Path(ws.folder) / CACHE_DIR
    if cache.is_dir():
        for f in sorted(cache.rglob("*")):
            if f.is_file() and _plain(f):
                f.unlink(missing_ok=True)
                removed += 1
    done = {"originals": originals, "documents": documents, "cache_removed": removed}
    if originals or documents or removed:
        ws.audit.append("system", "evidence.encrypted_at_rest", "", **done)
    return done
