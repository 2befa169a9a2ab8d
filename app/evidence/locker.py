"""The evidence locker: originals go in sealed, come out logged, and never leave otherwise.

Every file that enters is copied and hashed in one pass (``EvidenceStore.stage``),
then sealed: the evidence row, the signed seal record and the audit entry are
written in one database transaction, during which the file takes its read-only
place in the store (R17). Exports and views are logged (R17). Removal is always
refused and the attempt audited (R17, R19).
"""

from __future__ import annotations

import calendar
import contextlib
import dataclasses
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, NoReturn, TypeVar

from app.access import Permission, acting, began_by
from app.atomic_files import fsync_dir
from app.crypto import copy_hashing
from app.crypto.filecrypt import FileCryptError, MasterKeyLocked
from app.device import DeviceIdentity
from app.domain import EvidenceItem, Officer, EvidenceSourceKind, EvidenceType, RetentionClass
from app.evidence import errors, media
from app.evidence.seal import seal_item
from app.evidence.store import EvidenceStore, StagedFile
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.evidence_repository import EvidenceAccessRepository, EvidenceRepository, SealRepository

T = TypeVar("T")

RETENTION_SETTING = "evidence.retention_months"
DEFAULT_RETENTION_MONTHS = 6


@dataclass(frozen=True, slots=True)
class IngestResult:
    item: EvidenceItem
    duplicate: bool  # the same bytes were already sealed; nothing new was written


@dataclass(frozen=True, slots=True)
class Intake:
    """What a file will be sealed as, checked before it is copied (see :meth:`EvidenceLocker.intake`)."""

    evidence_type: EvidenceType
    officers: tuple[Officer, ...]
    source_kind: EvidenceSourceKind
    source_detail: str
    original_name: str
    inspection_id: str | None
    captured_at: datetime | None
    derived_from: str | None
    derivation: str | None
    actor: str
    record_media_type: str | None = None
    then: Callable[[EvidenceItem], None] | None = None


def evidence_type_of(value: EvidenceType | str | None) -> EvidenceType:
    """The evidence type named by its English key or its Chinese label (R15)."""
    if isinstance(value, EvidenceType):
        return value
    if value:
        wanted = value.strip().replace("/", "、")
        for t in EvidenceType:
            if wanted in (t.value, t.label) or wanted in t.label.split("、"):
                return t
    raise errors.EvidenceTypeInvalid(value)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class EvidenceLocker:
    """Sealed intake, logged export, and refused removal of originals for one workspace."""

    def __init__(self, ws: Workspace, device: DeviceIdentity | None = None) -> None:
        self.ws = ws
        self.device = device or ws.device
        self.store = EvidenceStore(ws.folder, ws.master)
        self.items = EvidenceRepository(ws.db)
        self.seals = SealRepository(ws.db)
        self.access = EvidenceAccessRepository(ws.db)
        self.store.clean_staging()
        for sha256 in self.store.set_aside_unsealed(self.items.hashes()):
            self.ws.audit.append("system", "evidence.unsealed_set_aside", sha256,
                                 reason="placed in the store by an ingest that never committed its seal")

    def retention_months(self) -> int:
        """R19: months an item not linked to a case is kept (setting, default 6)."""
        value = self.ws.settings.get(RETENTION_SETTING)
        return int(value) if value and value.isdecimal() and int(value) > 0 else DEFAULT_RETENTION_MONTHS

    # --- intake ---------------------------------------------------------------

    def ingest_steps(
        self, src: BinaryIO, *, evidence_type: EvidenceType | str | None, officer_certs: Sequence[str],
        source_kind: EvidenceSourceKind, source_detail: str = "", original_name: str = "",
        inspection_id: str | None = None, captured_at: datetime | None = None,
        derived_from: str | None = None, derivation: str | None = None, session: Session | None = None,
        record_media_type: str | None = None,
        then: Callable[[EvidenceItem], None] | None = None,
    ) -> Generator[int, None, IngestResult]:
        """Copy, hash and seal ``src``; yields bytes done, returns the sealed item.

        Everything is checked before a byte is copied. Closing the generator while
        it copies leaves nothing behind: no file in the store, no row.

        ``record_media_type`` is for records the application itself writes
        (``app.evidence.records``), whose JSON no media sniffer recognises; ``then``
        runs inside the sealing transaction, so that rows which point at the new
        item exist exactly when the item does.
        """
        intake = self.intake(
            evidence_type=evidence_type, officer_certs=officer_certs, source_kind=source_kind,
            source_detail=source_detail, original_name=original_name, inspection_id=inspection_id,
            captured_at=captured_at, derived_from=derived_from, derivation=derivation, session=session,
            record_media_type=record_media_type, then=then)
        staged = yield from self.store.stage(src)
        return self.seal_staged(staged, intake)

    def intake(
        self, *, evidence_type: EvidenceType | str | None, officer_certs: Sequence[str],
        source_kind: EvidenceSourceKind, source_detail: str = "", original_name: str = "",
        inspection_id: str | None = None, captured_at: datetime | None = None,
        derived_from: str | None = None, derivation: str | None = None, session: Session | None = None,
        record_media_type: str | None = None, then: Callable[[EvidenceItem], None] | None = None,
    ) -> Intake:
        """Check what an item will be sealed as, before a byte of it is copied.

        ``session``: who began the work (checked for the act by the service that began
        it), named in the audit log as the one who sealed; without one (the demo data, a
        recording recovered at start-up) the first collector is.
        """
        kind = evidence_type_of(evidence_type)
        officers = self.collectors(officer_certs, inspection_id)
        if derived_from is not None and not self.items.exists(derived_from):
            raise errors.UnknownEvidence(derived_from)
        if derived_from is not None and not derivation:
            derivation = "derived"
        return Intake(kind, tuple(officers), EvidenceSourceKind(source_kind), source_detail, original_name,
                      inspection_id, captured_at, derived_from, derivation if derived_from else None,
                      began_by(self.ws, session, inspection_id or "").id if session is not None
                      else officers[0].id, record_media_type, then)

    def seal_staged(self, staged: StagedFile, intake: Intake) -> IngestResult:
        """Seal a file copied into staging (or find its content sealed already).

        Database work: call it on the thread that owns the workspace. Whatever the
        outcome the staging file is gone afterwards.
        """
        name = intake.original_name or intake.source_detail
        try:
            existing = self.items.get(staged.sha256)
            if existing is not None:
                self.store.discard(staged)
                return IngestResult(existing, duplicate=True)
            if staged.size == 0:
                raise errors.EmptySource(name)
            media_type = intake.record_media_type or media.sniff(staged.head)
            if media_type is None:
                raise errors.UnsupportedMedia(name)
            now = self.ws.clock().replace(microsecond=0)
            officers = intake.officers
            item = EvidenceItem(
                sha256=staged.sha256, size=staged.size, media_type=media_type, evidence_type=intake.evidence_type,
                captured_at=(intake.captured_at or now).replace(microsecond=0), ingested_at=now,
                source_kind=intake.source_kind, source_detail=intake.source_detail,
                officer_ids=tuple(o.id for o in officers), officer_certs=tuple(o.cert_no or "" for o in officers),
                seal_seq=0, inspection_id=intake.inspection_id, original_name=intake.original_name,
                duration_ms=self._duration(staged, media_type),
                derived_from=intake.derived_from, derivation=intake.derivation,
                retention_class=RetentionClass.UNLINKED,
                retain_until=add_months(now.date(), self.retention_months()),
            )
        except BaseException:
            self.store.discard(staged)
            raise
        placed = False
        try:
            with transaction(self.ws.db):
                row = seal_item(item, device=self.device, evidence=self.items, seals=self.seals,
                                audit=self.ws.audit, actor=intake.actor)
                if intake.then is not None:
                    intake.then(dataclasses.replace(item, seal_seq=row.seq))
                placed = self.store.place(staged)
        except BaseException:
            self.store.discard(staged)
            if placed:
                self.store.withdraw_unsealed(item.sha256)
            raise
        return IngestResult(dataclasses.replace(item, seal_seq=row.seq), duplicate=False)

    def _duration(self, staged: StagedFile, media_type: str) -> int | None:
        if not media.is_timed(media_type):
            return None
        with self.store.open_staged(staged) as fh:
            return media.duration_ms(fh, media_type)

    def ingest_stream(self, src: BinaryIO, **kwargs: object) -> IngestResult:
        """:meth:`ingest_steps` run to the end, for callers that need no progress."""
        return drive(self.ingest_steps(src, **kwargs))  # type: ignore[arg-type]

    def ingest_file(self, path: Path, **kwargs: object) -> IngestResult:
        """Seal a file as it is (never transcoded); the source defaults to this file path."""
        path = Path(path)
        kwargs.setdefault("source_kind", EvidenceSourceKind.FILE)
        kwargs.setdefault("source_detail", str(path))
        kwargs.setdefault("original_name", path.name)
        try:
            fh = open(path, "rb", buffering=0)
        except OSError as exc:
            raise errors.SourceUnreadable(path.name, exc.strerror or str(exc)) from None
        with fh:
            try:
                return self.ingest_stream(fh, **kwargs)
            except OSError as exc:  # a full disk and a read-only medium are said as such
                raise errors.from_os_error(path.name, exc) from None

    def collectors(self, certs: Sequence[str], inspection_id: str | None = None) -> list[Officer]:
        """The officers named by certificate number, checking them and the inspection.

        Raises before anything is read, so a batch with a typo fails at once.
        """
        if inspection_id is not None and self.ws.inspections.get(inspection_id) is None:
            raise errors.UnknownInspection(inspection_id)
        if not certs:
            raise errors.OfficerRequired()
        found = []
        for cert in dict.fromkeys(certs):
            # auxiliary staff, who hold no certificate, are named by their roster id
            officer = self.ws.officers.by_cert_no(cert) or self.ws.officers.get(cert)
            if officer is None:
                raise errors.UnknownOfficer(cert)
            found.append(officer)
        return found

    # --- export and view (R17) ------------------------------------------------------

    def export(self, sha256: str, dest_folder: Path, *, actor: Session, purpose: str = "") -> Path:
        """Copy the original out to ``dest_folder`` and log the export (R17).

        The original is decrypted into the copy and checked against the seal while it
        is written; an original that no longer matches (or no longer decrypts) is not
        handed out. The export is the plaintext: it verifies with ``sha256sum``.
        """
        item = self._item(sha256)
        by = acting(self.ws, actor, Permission.VIEW_EVIDENCE, sha256).id
        dest_folder = Path(dest_folder)
        dest_folder.mkdir(parents=True, exist_ok=True)
        dest = dest_folder / _export_name(item)
        part = dest.with_name(dest.name + ".part")
        try:
            with self.store.open(sha256) as src, open(part, "wb") as dst:
                digest, size = drive(copy_hashing(src, dst))
                dst.flush()
                os.fsync(dst.fileno())
        except (FileNotFoundError, FileCryptError) as exc:
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
            if isinstance(exc, MasterKeyLocked):
                raise
            raise errors.OriginalAltered(sha256) from None
        if (digest, size) != (item.sha256, item.size):
            part.unlink()
            raise errors.OriginalAltered(sha256)
        with transaction(self.ws.db):
            self._log_access(item, by, "export", destination=str(dest), purpose=purpose)
            os.replace(part, dest)
        fsync_dir(dest_folder)
        return dest

    @contextlib.contextmanager
    def view(self, sha256: str, *, actor: Session, purpose: str = "") -> Iterator[BinaryIO]:
        """Open the original read-only for display; the view is logged first (R17)."""
        item = self._item(sha256)
        by = acting(self.ws, actor, Permission.VIEW_EVIDENCE, sha256).id
        if not self.store.exists(sha256):
            raise errors.OriginalAltered(sha256)
        with transaction(self.ws.db):
            self._log_access(item, by, "view", purpose=purpose)
        with self.store.open(sha256) as fh:
            yield fh

    def _log_access(self, item: EvidenceItem, actor: str, action: str, *,
                    destination: str = "", purpose: str = "") -> None:
        at = self.ws.clock().replace(microsecond=0)
        self.access.insert(sha256=item.sha256, at=at, actor=actor, action=action,
                           destination=destination, purpose=purpose)
        self.ws.audit.append(actor, f"evidence.{action}", item.sha256, destination=destination, purpose=purpose)

    # --- removal: never (R17, R19) -------------------------------------------------------

    def remove(self, sha256: str, *, actor: Session, reason: str = "") -> NoReturn:
        """Refuse to delete an original, and write the attempt to the audit log.

        Under retention the refusal cites R19; after it, R17 still forbids this
        application to delete an original (disposal is an archive procedure).
        """
        item = self._item(sha256)
        by = acting(self.ws, actor, Permission.VIEW_EVIDENCE, sha256).id
        today = self.ws.clock().date()
        retained = item.under_retention(today)
        with transaction(self.ws.db):
            self.ws.audit.append(by, "evidence.remove_refused", sha256, reason=reason,
                                 rule="R19" if retained else "R17",
                                 retain_until=item.retain_until.isoformat() if item.retain_until else None)
        if retained:
            raise errors.RetentionRefused(sha256, item.retain_until, self.retention_months())
        raise errors.OriginalsWriteOnce(sha256)

    def _item(self, sha256: str) -> EvidenceItem:
        item = self.items.get(sha256)
        if item is None:
            raise errors.UnknownEvidence(sha256)
        return item


def drive(steps: Generator[int, None, T]) -> T:
    """Run a progress generator to its end and return its result."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def _export_name(item: EvidenceItem) -> str:
    """A name that keeps the original's extension and cannot collide between items."""
    stem, ext = os.path.splitext(Path(item.original_name).name)
    return f"{item.sha256[:16]}_{stem or 'evidence'}{ext}"

