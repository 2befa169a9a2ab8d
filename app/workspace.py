"""A data folder opened for work: the database, its repositories and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING


from app.audit import AuditLog
from app.clock import Clock, system_clock
from app.session import Sessions
from local_db.database import Database, open_database

if TYPE_CHECKING:
    from app.crypto import MasterKey
    from app.custody import Custody, UnlockedKeys
    from app.device import DeviceIdentity

from local_db.repositories import (
    AgencyRepository,
    CalendarRepository,
    CheckItemRepository,
    InspectionRepository,
    OfficerRepository,
    PlanRepository,
    PreNoticeRepository,
    ReferenceSetRepository,
    SettingsRepository,
    SubjectRepository,
    TemplateRepository,
)


@dataclass
class Workspace:
    """The database and keys of a data folder, unlocked by a signed-in person (``app.custody``)."""

    folder: Path
    db: Database
    keys: UnlockedKeys
    custody: Custody | None = None
    clock: Clock = system_clock
    audit: AuditLog = field(init=False)
    # Who is signed in (``app.session``); only the sign-in path adds. A second connection to
    # the same folder on a thread of its own (the sync) shares the window's, so that what it
    # does is checked against who is signed in there.
    sessions: Sessions = field(default_factory=Sessions)

    def __post_init__(self) -> None:
        # Every entry is signed with the device key (docs/FORMATS.md, "Audit log").
        self.audit = AuditLog(self.db, self.clock, signer=self.keys.device)
        self.agencies = AgencyRepository(self.db)
        self.officers = OfficerRepository(self.db)
        self.subjects = SubjectRepository(self.db)
        self.check_items = CheckItemRepository(self.db)
        self.templates = TemplateRepository(self.db)
        self.plans = PlanRepository(self.db)
        self.pre_notices = PreNoticeRepository(self.db)
        self.calendar = CalendarRepository(self.db)
        self.inspections = InspectionRepository(self.db)
        self.reference_sets = ReferenceSetRepository(self.db)
        self.settings = SettingsRepository(self.db)

    @classmethod
    def open(cls, folder: Path, *, keys: UnlockedKeys, custody: Custody | None = None, create: bool = False,
             clock: Clock = system_clock, sessions: Sessions | None = None) -> Workspace:
        """Open the data folder with unlocked keys; see :func:`local_db.database.open_database` for the refusals.

        ``sessions``: those of the workspace this one is a second connection for.
        """
        folder = Path(folder)
        return cls(folder=folder, db=open_database(folder, key=keys.db_key, create=create), keys=keys,
                   custody=custody, clock=clock, sessions=sessions if sessions is not None else Sessions())

    @property
    def master(self) -> MasterKey:
        """The device master key (evidence file keys are wrapped by it)."""
        return self.keys.master

    @property
    def device(self) -> DeviceIdentity:
        """The device's signing identity, unwrapped at sign-in."""
        return self.keys.device

    def has_reference_data(self) -> bool:
        return self.reference_sets.latest() is not None

    def close(self) -> None:
        self.db.conn.close()
        if self.custody is not None:
            self.custody.close()
