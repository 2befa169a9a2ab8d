"""What every tab of a forced demolition shares: the case it works on and an error line."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.demolition.service import DemolitionService
from app.domain import Officer
from app.session import Session
from local_db.demolition_repository import DemolitionCase
from ui.widgets.work_step import WorkStep


def status_text(status: str) -> str:
    """The case status as shown (translated)."""
    return {"planned": QCoreApplication.translate("Demolition", "待执行"),
            "in_progress": QCoreApplication.translate("Demolition", "执行中"),
            "paused": QCoreApplication.translate("Demolition", "已暂停"),
            "ended": QCoreApplication.translate("Demolition", "已结束"),
            "abandoned": QCoreApplication.translate("Demolition", "已终止")}.get(status, status)


def event_text(kind: str) -> str:
    """An operation event as shown (translated)."""
    return {"start": QCoreApplication.translate("Demolition", "开始执行"),
            "pause": QCoreApplication.translate("Demolition", "暂停"),
            "resume": QCoreApplication.translate("Demolition", "恢复执行"),
            "abandon": QCoreApplication.translate("Demolition", "终止执行"),
            "end": QCoreApplication.translate("Demolition", "执行结束")}.get(kind, kind)


@dataclass(frozen=True)
class DemolitionContext:
    service: DemolitionService
    case: DemolitionCase
    officer: Officer | Session
    language: str

    @property
    def actor(self) -> Session:
        """The signed-in session (it reads like the person, ``officer``): what the services take."""
        assert isinstance(self.officer, Session)
        return self.officer


class DemolitionTab(WorkStep):
    """A tab of a forced demolition (``ctx`` is a :class:`DemolitionContext`)."""

    ctx: DemolitionContext | None

    def __init__(self, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", hint, margins=(16, 10), parent=parent)
