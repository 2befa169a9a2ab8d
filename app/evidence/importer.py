"""Import photo and video files, or a whole folder tree (a camera's DCIM), sealing each.

:meth:`FileImport.run` is a generator yielding :class:`ImportProgress` (bytes done
of the total), for the UI to turn into signals. Stopping it — by closing the
generator or setting the ``cancel`` event — stops inside the current file's copy
and leaves nothing of that file: no staging file, no store file, no row. Files
already sealed stay sealed (they are evidence now). Content already in the store
(same SHA-256) is skipped. A file that is not media is reported and skipped; it
does not stop the others. Progress carries the smoothed read rate and the time
left, for a person waiting at a camera with a few gigabytes on it.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from stat import S_ISREG
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from app.access import Permission, acting
from app.clock import CHINA_TZ
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.evidence import errors, media, names
from app.evidence.copier import FILES_IN_FLIGHT, BackgroundCopy
from app.evidence.locker import EvidenceLocker, IngestResult, Intake, evidence_type_of
from app.evidence.store import EvidenceStore
from app.session import Session
from local_db.errors import UserFacingError

# Camera side files that are never evidence themselves (thumbnails, indexes, OS litter).
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
IGNORED_SUFFIXES = {".thm", ".lrv", ".xml", ".db", ".ini", ".ctg", ".txt"}


# A staging file nobody has open may still be on its way into the store: between
# the end of its copy and its rename the ingest waits at most for the database
# write lock (busy_timeout, 5 s). Past this age such a file is a leftover.
STAGING_GRACE_S = 10.0
# The longest wait for news of a copy before checking for cancellation again.
PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True, slots=True)
class ImportProgress:
    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int
    current: Path | None
    rate_bps: float = 0.0  # bytes read per second, smoothed over a few seconds; 0 until measured
    seconds_left: float | None = None  # None until a rate is known


class RateMeter:
    """Read rate in bytes per second, averaged with exponentially fading weights.

    Bytes and seconds are both summed with weights that halve every
    ``window_s`` × ln 2 seconds, so the rate follows a change of speed within a
    few seconds, and each moment weighs by its duration: a burst of chunks from
    the page cache or the seal of a small file cannot swing it.
    """

    def __init__(self, *, window_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self.clock = clock
        self.rate = 0.0
        self._since = clock()
        self._pending = 0
        self._bytes = 0.0
        self._seconds = 0.0

    def add(self, nbytes: int) -> float:
        """Count ``nbytes`` just read (0: time passed without reading); return the rate."""
        self._pending += max(nbytes, 0)
        now = self.clock()
        elapsed = now - self._since
        if elapsed > 0:  # a clock that has not moved yet: keep the bytes for the next reading
            fade = math.exp(-elapsed / self.window_s)
            self._bytes = self._bytes * fade + self._pending
            self._seconds = self._seconds * fade + elapsed
            self.rate = self._bytes / self._seconds
            self._since, self._pending = now, 0
        return self.rate

    def seconds_left(self, remaining_bytes: int) -> float | None:
        """Time to read ``remaining_bytes`` at the current rate; None before a rate is known."""
        return max(remaining_bytes, 0) / self.rate if self.rate > 0 else None


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
                 actor: Session, evidence_type: EvidenceType | str | None,
                 source_kind: EvidenceSourceKind = EvidenceSourceKind.FILE, source_label: str = "",
                 cancel: threading.Event | None = None, clock: Callable[[], float] = time.monotonic,
                 _collectors: Sequence[str] | None = None) -> None:
        """``actor``: the signed-in person importing, who is also the collector; only a body
        camera's import (``app.evidence.bodycam.CameraImport``) names its wearer instead."""
        # Checked now, before any file is read, so a wrong type fails fast (R15).
        self.evidence_type = evidence_type_of(evidence_type)
        inspection = locker.ws.inspections.get(inspection_id) if inspection_id else None
        if inspection_id is not None and inspection is None:
            raise errors.UnknownInspection(inspection_id)
        person = acting(locker.ws, actor, Permission.CAPTURE, inspection_id or "",
                        agency=inspection.agency_id if inspection else None,
                        assisting=inspection.assistant_ids if inspection else ())  # auxiliary: his task only
        officer_certs = tuple(_collectors) if _collectors is not None else (person.cert_no or person.id,)
        locker.collectors(officer_certs, inspection_id)
        self.locker = locker
        sweep_dead_staging(locker.store)
        self.files = collect_files(paths)
        self.inspection_id = inspection_id
        self.officer_certs = tuple(officer_certs)
        self.source_kind = source_kind
        self.source_label = source_label  # body-camera serial or volume label, when known
        self.cancel = cancel or threading.Event()
        self.clock = clock
        self.report = ImportReport()
        # Who is at the device: the audit log names them as the one who sealed, which is
        # what keeps a team leader from reviewing their own import (app.review).
        self.session = actor
        self.started: dict[Path, os.stat_result] = {}  # each file's state when its import began

    def total_bytes(self) -> int:
        return sum(_size(p) for p in self.files)

    def run(self) -> Iterator[ImportProgress]:
        """Import file by file, yielding progress while each is copied and after each file.

        Up to :data:`FILES_IN_FLIGHT` files are copied and hashed at once, on their
        own threads; they are sealed strictly in order, here.
        """
        total, done = self.total_bytes(), 0
        meter = RateMeter(clock=self.clock)
        count = len(self.files)
        copies: dict[int, BackgroundCopy] = {}
        intakes: dict[int, Intake | UserFacingError] = {}
        counted = 0  # bytes already given to the meter
        ticked = threading.Event()  # a copy has moved on: time to report

        def progress(index: int, path: Path | None) -> ImportProgress:
            nonlocal counted
            at = done + sum(c.bytes_done for c in copies.values())
            meter.add(max(at - counted, 0))
            counted = max(counted, at)
            return ImportProgress(at, total, index, count, path, meter.rate, meter.seconds_left(total - at))

        def launch_upto(last: int) -> None:
            for k in range(last + 1):
                if k < count and k not in intakes:
                    try:
                        intakes[k], hash_only = self._prepare(self.files[k])
                        copies[k] = BackgroundCopy(self.locker.store, self.files[k], hash_only=hash_only, ticked=ticked)
                    except UserFacingError as exc:
                        intakes[k] = exc
                    except OSError as exc:
                        intakes[k] = errors.from_os_error(names.display(self.files[k].name), exc)

        try:
            for index, path in enumerate(self.files):
                if self.cancel.is_set():
                    self.report.cancelled = True
                    return
                launch_upto(index + FILES_IN_FLIGHT - 1)
                yield progress(index, path)
                result: IngestResult | None = None
                try:
                    intake = intakes[index]
                    if isinstance(intake, UserFacingError):
                        raise intake
                    while True:
                        copy = copies[index]
                        while not copy.wait(0):
                            ticked.wait(PROGRESS_INTERVAL_S)
                            ticked.clear()
                            if self.cancel.is_set():
                                self.report.cancelled = True
                                return
                            yield progress(index, path)
                        if self.cancel.is_set():
                            self.report.cancelled = True
                            return
                        outcome = copy.result()
                        if isinstance(outcome, tuple):  # hashed in place: a re-import, or not
                            existing = self.locker.items.get(outcome[0])
                            if existing is not None:
                                result = IngestResult(existing, duplicate=True)
                                break
                            copies[index] = BackgroundCopy(self.locker.store, path, ticked=ticked)
                            continue
                        changed = self._changed(path, outcome.size)
                        if changed is not None:
                            self.locker.store.discard(outcome)
                            raise changed
                        result = self.locker.seal_staged(outcome, intake)
                        break
                except GeneratorExit:
                    self.report.cancelled = True  # the consumer stopped iterating
                    raise
                except UserFacingError as exc:
                    self.report.failed.append((path, exc))
                except OSError as exc:
                    self.report.failed.append((path, errors.from_os_error(names.display(path.name), exc)))
                finally:
                    if index in copies:
                        copies.pop(index).stop()
                if result is not None:
                    if result.duplicate:
                        self.report.duplicates.append((path, result.item))
                    else:
                        self.report.imported.append(result.item)
                    self._taken_in(path, result)
                done += _size(path)
            yield progress(count, None)
        finally:
            for copy in copies.values():
                copy.stop()  # removes what they staged

    # --- what a particular source adds (see app.evidence.bodycam) ----------------------

    def _detail(self, path: Path) -> str:
        """The seal's source detail for ``path`` (a name that is not UTF-8 with its exact bytes)."""
        where = names.stored_name(str(path)) + names.name_hex(path.name)
        return f"{self.source_label}:{where}" if self.source_label else where

    def _captured_at(self, path: Path, stat: os.stat_result, media_type: str) -> datetime:
        """When ``path`` was recorded; the camera's file time is the best a plain file offers."""
        return datetime.fromtimestamp(stat.st_mtime, CHINA_TZ)

    def _taken_in(self, path: Path, result: IngestResult) -> None:
        """Called once ``path`` is sealed (or found sealed already); nothing to add for plain files."""

    def _changed(self, path: Path, copied: int) -> UserFacingError | None:
        """A reason to refuse ``path`` when it changed while it was copied (size or time), else None."""
        before = self.started.get(path)
        try:
            now = path.stat()
        except OSError as exc:
            return errors.SourceChanged(names.display(path.name), f"已无法访问：{exc.strerror or exc}",
                                        f"it can no longer be reached: {exc.strerror or exc}")
        if before is None:
            return None
        if copied != before.st_size or now.st_size != before.st_size:
            return errors.SourceChanged(names.display(path.name), f"大小由 {before.st_size} 变为 {now.st_size} 字节，已复制 {copied} 字节",
                                        f"its size went from {before.st_size} to {now.st_size} bytes; {copied} were copied")
        if now.st_mtime_ns != before.st_mtime_ns:
            return errors.SourceChanged(names.display(path.name), "修改时间已变", "its modification time changed")
        return None

    def _prepare(self, path: Path) -> tuple[Intake, bool]:
        """Check ``path`` before a byte is copied; True when hashing it in place comes first."""
        # Taken before a byte is read: a file that changes while it is read no
        # longer matches what is remembered of it, and is offered again.
        stat = self.started[path] = path.stat()
        if not S_ISREG(stat.st_mode):  # a pipe or a device would block or never end
            raise errors.NotAFile(names.display(path.name))
        with open(path, "rb") as peek:
            head = peek.read(media.SNIFF_BYTES)
        if not head:
            raise errors.EmptySource(names.display(path.name))
        media_type = media.sniff(head)
        if media_type is None:
            raise errors.UnsupportedMedia(names.display(path.name))
        intake = self.locker.intake(
            evidence_type=self.evidence_type, officer_certs=self.officer_certs, source_kind=self.source_kind,
            source_detail=self._detail(path), original_name=names.stored_name(path.name),
            inspection_id=self.inspection_id,
            captured_at=self._captured_at(path, stat, media_type), session=self.session)
        # A camera card is often imported again with files already sealed. When name
        # and size match an item, hash without copying: a read, no write, and no
        # staging file; only a real mismatch goes on to the (one-pass) copy.
        return intake, bool(self.locker.items.with_name_and_size(names.stored_name(path.name), stat.st_size))


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


def sweep_dead_staging(store: EvidenceStore, *, grace_s: float = STAGING_GRACE_S) -> int:
    """Remove staging files of a copy that can no longer finish; return how many.

    A killed import leaves its half-copied staging file behind. The store itself
    only removes such files after an hour, because one may belong to a copy still
    running in another process. Where the system can say which files are open
    (Linux ``/proc``), a file that no process has open and that has not changed
    for ``grace_s`` seconds belongs to nobody and is removed at once; elsewhere the
    store's own age rule applies. Staging files are never evidence: nothing sealed
    is touched.
    """
    leftovers = sorted(store.staging.glob("incoming-*.part")) if store.staging.is_dir() else []
    if not leftovers:
        return 0
    open_now = _open_paths()
    if open_now is None:
        return store.clean_staging()
    removed = 0
    cutoff = time.time() - grace_s
    for f in leftovers:
        with contextlib.suppress(FileNotFoundError):
            st = f.stat()
            if str(f.resolve()) in open_now:
                continue
            # A file whose writing process is gone goes at once (an immediate re-run after a
            # kill finds none); a live process's file only once it has sat unchanged a while.
            if _writer_alive(f) and max(st.st_mtime, st.st_ctime) > cutoff:
                continue
            f.unlink()
            removed += 1
    return removed


def _writer_alive(staged: Path) -> bool:
    """False when the process named in ``incoming-<pid>-….part`` no longer runs (True if unknown)."""
    parts = staged.name.split("-")
    if len(parts) < 3 or not parts[1].isdigit():
        return True  # an earlier version's name: the age rule decides
    pid = int(parts[1])
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process, or a platform that cannot say
    return True


def _open_paths() -> set[str] | None:
    """Paths of the files every visible process has open, or None where that cannot be known."""
    proc = Path("/proc")
    if not sys.platform.startswith("linux") or not (proc / "self" / "fd").is_dir():
        return None
    found: set[str] = set()
    for pid in proc.iterdir():
        if not pid.name.isdigit():
            continue
        try:
            fds = list((pid / "fd").iterdir())
        except OSError:
            continue  # gone, or another user's process (not readable)
        for fd in fds:
            with contextlib.suppress(OSError):
                # readlink never touches the file itself, so a stuck mount cannot hang us
                found.add(os.readlink(fd))
    return found
