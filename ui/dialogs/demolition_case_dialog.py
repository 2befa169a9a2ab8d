"""A forced demolition case entered on the device: the announcement and the dates R21 counts
from, the notice to attend, the officers and the means (R23: none cuts a utility)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.clock import CHINA_TZ
from app.demolition.rules import Means
from app.demolition.service import DemolitionService
from app.domain import Officer, StaffRole
from local_db.demolition_repository import DemolitionCase
from local_db.errors import UserFacingError


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class DemolitionCaseDialog(QDialog):
    """New case (``case`` None) or the case's data before the start; refusals stay in the dialog."""

    def __init__(self, service: DemolitionService, officer: Officer, language: str = "zh",
                 case: DemolitionCase | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.officer, self.language, self.case = service, officer, language, case
        self.setWindowTitle(self.tr("强制拆除案件") if case else self.tr("新建强制拆除案件"))
        self.setMinimumWidth(560)
        today = service.now().date()
        self.case_id = QLineEdit(case.id if case else "")
        self.case_id.setEnabled(case is None)
        self.party = QLineEdit(case.party_name if case else "")
        self.party_id = QLineEdit(case.party_id_no if case else "")
        self.place = QLineEdit(case.place if case else "")
        self.structure = QLineEdit(case.structure if case else "")
        self.decision = QLineEdit(case.decision_no if case else "")
        self.announcement = QLineEdit(case.announcement_no if case else "")
        self.served = _date_edit(case.announcement_served_on if case else today)
        self.self_deadline = _date_edit(case.self_demolition_deadline if case else today)
        self.removal = _date_edit(case.removal_deadline if case else today)
        self.attend = QLineEdit(case.attend_notice_no if case else "")
        when = case.scheduled_at if case else datetime.combine(today, datetime.min.time(), CHINA_TZ).replace(hour=9)
        self.scheduled = QDateTimeEdit(QDateTime(when.year, when.month, when.day, when.hour, when.minute, 0))
        self.scheduled.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.partner = QComboBox()
        for o in service.ws.officers.all():
            if o.id != officer.id and o.role.certified and o.cert_no:
                self.partner.addItem(f"{o.name}（{o.cert_no}）", o.id)
        if case and len(case.officer_ids) > 1:
            self.partner.setCurrentIndex(max(0, self.partner.findData(case.officer_ids[1])))
        self.means = QComboBox()
        for m in Means:
            self.means.addItem(m.label, m.value)
        if case:
            self.means.setCurrentIndex(self.means.findData(case.means))
        form = QFormLayout()
        for caption, w in ((self.tr("案件编号"), self.case_id), (self.tr("当事人"), self.party),
                           (self.tr("当事人证件号码"), self.party_id), (self.tr("地点"), self.place),
                           (self.tr("拆除对象"), self.structure), (self.tr("强制拆除决定书"), self.decision),
                           (self.tr("公告文号"), self.announcement), (self.tr("公告送达日"), self.served),
                           (self.tr("自行拆除期限"), self.self_deadline), (self.tr("清除财物期限"), self.removal),
                           (self.tr("到场通知文号"), self.attend), (self.tr("计划执行时间"), self.scheduled),
                           (self.tr("另一名执法人员"), self.partner), (self.tr("拆除方式"), self.means)):
            form.addRow(caption, w)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.saved: DemolitionCase | None = None

    def values(self) -> dict[str, object]:
        moment = self.scheduled.dateTime().toPython()
        return {
            "party_name": self.party.text(), "party_id_no": self.party_id.text(), "place": self.place.text(),
            "structure": self.structure.text(), "decision_no": self.decision.text(),
            "announcement_no": self.announcement.text(), "announcement_served_on": self.served.date().toPython(),
            "self_demolition_deadline": self.self_deadline.date().toPython(),
            "removal_deadline": self.removal.date().toPython(), "attend_notice_no": self.attend.text(),
            "scheduled_at": moment.replace(tzinfo=CHINA_TZ, second=0, microsecond=0), "means": self.means.currentData(),
        }

    def save(self) -> None:
        """Create or change the case; a refusal is shown here and the dialog stays open."""
        values = self.values()
        try:
            if self.case is None:
                partner = self.partner.currentData()
                self.saved = self.service.create_case(
                    case_id=self.case_id.text(), officer_ids=[self.officer.id, *([partner] if partner else [])],
                    actor=self.officer, **values)  # type: ignore[arg-type]
            else:
                self.saved = self.service.update_case(self.case.id, actor=self.officer, **values)
        except UserFacingError as exc:
            self.error.setText(exc.message(self.language))
            self.error.show()
            return
        self.accept()
