"""Import photo and video files, or a whole folder tree (a camera's DCIM), sealing each.

:meth:`FileImport.run` is a generator yielding :class:`ImportProgress` (bytes done
of the total), for the UI to turn into signals. Stopping it — by closing the
generator or setting the ``cancel`` event — stops inside the current file's copy
and leaves nothing of that file: no staging file, no store file, no row. Files
already sealed stay sealed (they are evidence now). Content already in the store
(same SHA-256) is skipped. A file that is not media is reported and skipped; it
does not stop the others.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.clock import CHINA_TZ
from app.crypto import copy_hashing
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.evidence import errors, media
from app.evidence.locker import EvidenceLocker, IngestResult, evidence_type_of
from local_db.errors import UserFacingError

# Camera side files that are never evidence themselves (thumbnails, indexes, OS litter).
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
IGNORED_SUFFIXES = {".thm", ".lrv", ".xml", ".db", ".ini", ".ctg", ".txt"}


@dataclass(frozen=True, slots=True)
class ImportProgress:
    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    current: Path | None


@dataclass
class ImportReport:
    imported: list[EvidenceItem] = field(default_factory=list)
    duplicates: list[tuple[Path, EvidenceItem]] = field(default_factory=list)
    failed: list[tuple[Path, UserFacingError]] = field(default_factory=list)
    cancelled: bool = False


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, and every file under the folders named, in a stable order."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [Path(root) / f for f in sorted(files) if _wanted(f)]
        else:
            found.append(p)
    return list(dict.fromkeys(found))


def _wanted(name: str) -> bool:
    return not name.startswith(".") and name not in IGNORED_NAMES \
        and os.path.splitext(name)[1].lower() not in IGNORED_SUFFIXES


class FileImport:
    """One import run over ``paths`` (files or folders) into ``locker``."""

    def __init__(self, locker: EvidenceLocker, paths: Sequence[Path], *, inspection_id: str | None,
                 officer_certs: Sequence[str], evidence_type: EvidenceType | str | None,
                 source_kind: EvidenceSourceKind = EvidenceSourceKind.FILE, source_label: str = "",
                 cancel: threading.Event | None = None) -> None:
        # Checked now, before any file is read, so a wrong type fails fast (R15).
        self.evidence_type = evidence_type_of(evidence_type)
        locker.collectors(officer_certs, inspection_id)
        self.locker = locker
        self.files = collect_files(paths)
        self.inspection_id = inspection_id
        self.officer_certs = tuple(officer_certs)
        self.source_kind = source_kind
        self.source_label = source_label  # body-camera serial or volume label, when known
        self.cancel = cancel or threading.Event()
        self.report = ImportReport()

    def total_bytes(self) -> int:
        return sum(_size(p) for p in self.files)

    def run(self) -> Iterator[ImportProgress]:
        """Import file by file, yielding progress after each chunk and each file."""
        total, done = self.total_bytes(), 0
        for index, path in enumerate(self.files):
            if self.cancel.is_set():
                self.report.cancelled = True
                return
            yield ImportProgress(done, total, index, len(self.files), path)
            result: IngestResult | None = None
            try:
                steps = self._steps(path)
                try:
                    while True:
                        try:
                            n = next(steps)
                        except StopIteration as stop:
                            result = stop.value
                            break
                        if self.cancel.is_set():
                            steps.close()  # removes the staging file of this file
                            self.report.cancelled = True
                            return
                        yield ImportProgress(done + n, total, index, len(self.files), path)
                except GeneratorExit:
                    self.report.cancelled = True  # the consumer stopped iterating
                    raise
                finally:
                    steps.close()
            except UserFacingError as exc:
                self.report.failed.append((path, exc))
            except OSError as exc:
                self.report.failed.append((path, errors.SourceUnreadable(path.name, exc.strerror or str(exc))))
            if result is not None:
                if result.duplicate:
                    self.report.duplicates.append((path, result.item))
                else:
                    self.report.imported.append(result.item)
            done += _size(path)
        yield ImportProgress(done, total, len(self.files), len(self.files), None)

    def _steps(self, path: Path) -> Generator[int, None, IngestResult]:
        """The ingest generator of one file, refusing non-media before copying a byte."""
        with open(path, "rb") as peek:
            head = peek.read(media.SNIFF_BYTES)
        if not head:
            raise errors.EmptySource(path.name)
        if media.sniff(head) is None:
            raise errors.UnsupportedMedia(path.name)
        stat = path.stat()
        # A camera card is often imported again with files already sealed. When name
        # and size match an item, hash without copying: a read, no write, and no
        # staging file; only a real mismatch goes on to the (one-pass) copy.
        if self.locker.items.with_name_and_size(path.name, stat.st_size):
            with open(path, "rb", buffering=0) as fh:
                sha256, _ = yield from copy_hashing(fh, None)
            existing = self.locker.items.get(sha256)
            if existing is not None:
                return IngestResult(existing, duplicate=True)
        detail = f"{self.source_label}:{path}" if self.source_label else str(path)
        fh = open(path, "rb", buffering=0)
        try:
            result = yield from self.locker.ingest_steps(
                fh, evidence_type=self.evidence_type, officer_certs=self.officer_certs,
                source_kind=self.source_kind, source_detail=detail, original_name=path.name,
                inspection_id=self.inspection_id,
                # The camera's file time is the best capture time a plain file offers.
                captured_at=datetime.fromtimestamp(stat.st_mtime, CHINA_TZ),
            )
        finally:
            fh.close()
        return result


def import_paths(locker: EvidenceLocker, paths: Sequence[Path], *,
                 progress: Callable[[ImportProgress], None] | None = None, **options: object) -> ImportReport:
    """Run a :class:`FileImport` to its end, calling ``progress`` on the way."""
    job = FileImport(locker, paths, **options)  # type: ignore[arg-type]
    for step in job.run():
        if progress is not None:
            progress(step)
    return job.report


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
