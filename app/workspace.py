"""A data folder opened for work: the database, its repositories and the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


from app.audit import AuditLog
from app.clock import Clock, system_clock
from local_db.database import Database, open_database
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
    folder: Path
    db: Database
    clock: Clock = system_clock
    audit: AuditLog = field(init=False)

    def __post_init__(self) -> None:
        self.audit = AuditLog(self.db, self.clock)
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
    def open(cls, folder: Path, *, db_key: bytes, create: bool = False,
             clock: Clock = system_clock) -> Workspace:
        """Open the data folder with its database key; see :func:`local_db.database.open_database`."""
        folder = Path(folder)
        return cls(folder=folder, db=open_database(folder, key=db_key, create=create), clock=clock)

    def has_reference_data(self) -> bool:
        return self.reference_sets.latest() is not None

    def close(self) -> None:
        self.db.conn.close()
