"""Content-addressed, write-once files: ``<data>/evidence/sha256/ab/abcdef…``.

Every file here is encrypted (``app/crypto/filecrypt.py``, format ``FIE1``) under
its own key wrapped by the device master key; its address is the SHA-256 of the
plaintext, which is what the seal states. Bytes are read once, hashed and
encrypted into a staging file in the same file system. Once the seal is written
the staging file is renamed onto its content address, already read-only (0444),
and the folder is synced. An existing file at an address is never replaced or
opened for writing, except once to encrypt a plaintext original left by an
earlier version (:meth:`EvidenceStore.encrypt_plaintext`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from local_db.crashpoints import point

from app.atomic_files import fsync_dir
from app.crypto.filecrypt import (
    MAGIC,
    EncryptedReader,
    FileCryptError,
    MasterKeyLocked,
    encrypt_hashing,
    plaintext_fd,
    sha256_encrypted,
)
from app.evidence.media import SNIFF_BYTES

if TYPE_CHECKING:
    from app.crypto import MasterKey

STORE_DIR = "evidence"
OBJECTS_DIR = "sha256"
STAGING_DIR = "staging"
RECORDING_DIR = "recording"
SET_ASIDE_DIR = "unsealed"
# A file placed at its address is committed within moments (the rename happens inside
# the seal transaction); one still without a seal after this long never will be.
UNSEALED_GRACE_S = 60.0
READ_ONLY = 0o444
# An fdatasync every so many bytes while the copy runs (0: none). Measured with the
# encrypted store (benchmarks/import.py, 2 GiB in 12 files, best of 3): every 64 MiB
# 3.51 s, never 3.15 s — each is a device cache flush — so intake instead starts the
# writeback of every 8 MiB without waiting (app.crypto.filecrypt.WRITEBACK_EVERY).
FLUSH_EVERY = 0


def recording_root(data_folder: Path) -> Path:
    """``<data>/evidence/recording``: webcam segments not yet sealed live here."""
    return Path(data_folder) / STORE_DIR / RECORDING_DIR


@dataclass(frozen=True, slots=True)
class StagedFile:
    """Bytes copied and hashed, on disk, but not yet at their address (not yet evidence)."""

    path: Path
    sha256: str
    size: int
    head: bytes  # the first bytes, to tell what the content is


class EvidenceStore:
    """The folder of originals of one data folder."""

    def __init__(self, data_folder: Path, master: MasterKey | None) -> None:
        self.root = Path(data_folder) / STORE_DIR
        self.objects = self.root / OBJECTS_DIR
        self.staging = self.root / STAGING_DIR
        self.master = master

    def path_for(self, sha256: str) -> Path:
        """Where the original with this SHA-256 lives (whether or not it exists)."""
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a lower-case hex SHA-256: {sha256!r}")
        return self.objects / sha256[:2] / sha256

    def stage(self, src: BinaryIO) -> Generator[int, None, StagedFile]:
        """Read ``src`` once into an encrypted staging file, hashing the plaintext; yields bytes done.

        Closing the generator early (cancellation) or any error removes the staging
        file, so nothing half-copied is ever left behind. Without the master key
        nothing is written (:class:`MasterKeyLocked`).
        """
        if self.master is None:
            raise MasterKeyLocked("the device master key is locked")
        self.staging.mkdir(parents=True, exist_ok=True)
        # The writer's process id in the name: once that process is gone, nobody can finish it.
        fd, name = tempfile.mkstemp(prefix=f"incoming-{os.getpid()}-", suffix=".part", dir=self.staging)
        path = Path(name)
        try:
            with os.fdopen(fd, "wb", buffering=0) as dst:
                sha256, size = yield from encrypt_hashing(src, dst.fileno(), self.master, flush_every=FLUSH_EVERY)
                os.fsync(dst.fileno())
            point("store.stage-fsync")
            # Read-only before it gets its name: no moment exists at which the
            # original is writable under its address.
            os.chmod(path, READ_ONLY)
            with EncryptedReader(path, self.master) as fh:
                head = fh.read(SNIFF_BYTES)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise
        return StagedFile(path=path, sha256=sha256, size=size, head=head)

    def discard(self, staged: StagedFile) -> None:
        """Remove a staging file that will not become evidence."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staged.path)

    def place(self, staged: StagedFile) -> bool:
        """Move a staged file onto its address; True when this call created the file.

        Only called for content that has no seal yet. A file already at the address
        was left by a crash after the rename but before the database commit: when its
        bytes are the right ones it is kept and the staged copy dropped; when they are
        not (it was never evidence) the staged copy takes its place.
        """
        target = self.path_for(staged.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() and self._hash_or_none(target) == (staged.sha256, staged.size):
            self.discard(staged)
            return False
        os.replace(staged.path, target)
        point("store.placed")
        fsync_dir(target.parent)
        point("store.place-dirsync")
        return True

    def withdraw_unsealed(self, sha256: str) -> None:
        """Undo :meth:`place` when the seal transaction did not commit.

        Only for a file placed moments ago whose seal was rolled back: it never
        became evidence. Sealed originals are never removed.
        """
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path_for(sha256))

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def open(self, sha256: str) -> EncryptedReader:
        """The original's plaintext, read-only and seekable, decrypted chunk by chunk as it is read.

        :class:`~app.crypto.filecrypt.FileCryptError` when the file does not decrypt
        (altered, cut, another device's), :class:`MasterKeyLocked` without the key.
        """
        return EncryptedReader(self.path_for(sha256), self.master)

    @contextlib.contextmanager
    def plaintext_path(self, sha256: str) -> Iterator[str]:
        """A path to the original's plaintext for a tool that reads files (ffprobe, ffmpeg, OpenCV).

        The plaintext lives in an anonymous memory file (``memfd``) for the duration of
        the ``with`` block and is never written to a disk; the path
        ``/proc/<pid>/fd/<n>`` opens it from this process and its children.
        """
        with self.open(sha256) as reader:
            fd = plaintext_fd(reader, name=f"fieldinspect-{sha256[:12]}")
        try:
            yield f"/proc/{os.getpid()}/fd/{fd}"
        finally:
            os.close(fd)

    def open_staged(self, staged: StagedFile) -> EncryptedReader:
        """A staged file's plaintext (to read its duration before it is sealed)."""
        return EncryptedReader(staged.path, self.master)

    def hash_of(self, sha256: str) -> tuple[str, int]:
        """Recompute (SHA-256, size) of the plaintext at the address ``sha256``.

        A file that does not decrypt (altered, cut, not encrypted) hashes as
        ``("", size on disk)``: it matches no seal.
        """
        path = self.path_for(sha256)
        found = self._hash_or_none(path)
        return found if found is not None else ("", path.stat().st_size)

    def _hash_or_none(self, path: Path) -> tuple[str, int] | None:
        try:
            return sha256_encrypted(path, self.master)
        except MasterKeyLocked:
            raise
        except FileCryptError:
            return None

    def is_plaintext(self, sha256: str) -> bool:
        """True when the file at the address is not in the FIE1 format (an earlier version's original)."""
        return not _starts_with_magic(self.path_for(sha256))

    def plaintext_files(self) -> list[Path]:
        """Originals and set-aside files still in the clear (written by an earlier version)."""
        found: list[Path] = []
        for folder in (self.objects, self.root / SET_ASIDE_DIR):
            if folder.is_dir():
                for f in sorted(folder.rglob("*")):
                    if f.is_file() and not _starts_with_magic(f):
                        found.append(f)
        return found

    def encrypt_plaintext(self) -> list[Path]:
        """Encrypt in place, once, each plaintext file an earlier version left; return them.

        Each file is encrypted into ``staging/upgrade-<name>.part``, fsynced, made
        read-only and renamed over the plaintext (then the folder is fsynced): a
        kill before the rename leaves the plaintext whole and the next run starts
        it again; after it, the encrypted file. Its address (the SHA-256 of the
        plaintext) does not change, so every seal still names it.
        """
        if self.master is None:
            raise MasterKeyLocked("the device master key is locked")
        done: list[Path] = []
        if self.staging.is_dir():
            for old in self.staging.glob("upgrade-*.part"):
                old.unlink(missing_ok=True)
        for path in self.plaintext_files():
            self.staging.mkdir(parents=True, exist_ok=True)
            tmp = self.staging / f"upgrade-{path.name}.part"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with open(path, "rb", buffering=0) as src:
                    for _ in encrypt_hashing(src, fd, self.master, flush_every=FLUSH_EVERY):
                        pass
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                tmp.unlink(missing_ok=True)
                raise
            os.close(fd)
            point("store.upgrade-fsync")
            os.chmod(tmp, READ_ONLY)
            os.replace(tmp, path)
            point("store.upgrade-renamed")
            fsync_dir(path.parent)
            done.append(path)
        return done

    def stored_hashes(self) -> Iterator[str]:
        """The address of every file in the store, sorted."""
        if not self.objects.is_dir():
            return
        for sub in sorted(self.objects.iterdir()):
            if sub.is_dir():
                for f in sorted(sub.iterdir()):
                    yield f.name

    def write_derived(self, path: Path, data: bytes) -> None:
        """Write a derived file of the store (a thumbnail) encrypted, atomically.

        Not fsynced: it is made again from the original when it is missing or damaged
        (two fsyncs per thumbnail were most of a screen's scrolling time)."""
        from app.crypto.filecrypt import write_encrypted

        write_encrypted(path, data, self.master, durable=False)

    def clean_staging(self, *, older_than_s: float = 3600.0) -> int:
        """Remove staging files left by a crash or a killed process; return how many.

        Only files untouched for ``older_than_s``: a copy in progress in another
        process keeps writing to its file, so it is never taken for a leftover.
        """
        removed = 0
        if self.staging.is_dir():
            cutoff = time.time() - older_than_s
            for f in [*self.staging.glob("incoming-*.part"), *self.staging.glob("upgrade-*.part")]:
                with contextlib.suppress(FileNotFoundError):
                    if f.stat().st_mtime <= cutoff:
                        f.unlink()
                        removed += 1
        return removed

    def set_aside_unsealed(self, sealed: set[str], *, older_than_s: float | None = None) -> list[str]:
        """Move files at an address with no seal out of the store; return their hashes.

        Such a file was renamed into place by an ingest whose transaction never
        committed (the process was killed in between): it never became evidence.
        It is kept, not deleted, under ``evidence/unsealed/<sha256>.<unix time>`` so nothing is lost,
        and the store again holds only sealed originals. Only files whose last
        change (the rename) is older than ``older_than_s`` are moved: another
        process may be about to commit the seal of a newer one.
        """
        moved: list[str] = []
        cutoff = time.time() - (UNSEALED_GRACE_S if older_than_s is None else older_than_s)
        for sha256 in list(self.stored_hashes()):
            if sha256 in sealed:
                continue
            path = self.path_for(sha256)
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_ctime > cutoff:
                    continue
                aside = self.root / SET_ASIDE_DIR
                aside.mkdir(exist_ok=True)
                os.replace(path, aside / f"{sha256}.{int(time.time())}")
                fsync_dir(aside)
                fsync_dir(path.parent)
                moved.append(sha256)
        return moved


def _starts_with_magic(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return True  # unreadable: not ours to rewrite
