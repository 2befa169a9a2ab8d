"""What every step of the on-site record shares: the context it works in and an error line."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from app.domain import Inspection, OnsiteRecord, Officer
from app.onsite.service import OnsiteService
from app.session import Session
from ui.widgets.work_step import WorkStep


@dataclass(frozen=True)
class OnsiteContext:
    """The inspection being recorded, its record as it stands, and who is signed in."""

    service: OnsiteService
    inspection: Inspection
    record: OnsiteRecord
    officer: Officer | Session
    language: str

    @property
    def actor(self) -> Session:
        """The signed-in session (it reads like the person, ``officer``): what the services take."""
        assert isinstance(self.officer, Session)
        return self.officer


class OnsiteStep(WorkStep):
    """A titled step of the on-site record (``ctx`` is an :class:`OnsiteContext`)."""

    ctx: OnsiteContext | None

    def __init__(self, title: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, hint, margins=(20, 12), parent=parent)
