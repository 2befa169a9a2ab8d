"""Choosing who works on this device. PINs and role limits build on this page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.domain import CertificateState, Officer, StaffRole
from ui.labels import label
from ui.workers import emit

_STATE_COLOURS = {
    CertificateState.VALID: "#1b7f3b",
    CertificateState.EXPIRED: "#b26a00",
    CertificateState.REVOKED: "#b3261e",
    CertificateState.NONE: "#6b6b6b",
}


class StaffCard(QPushButton):
    """A large touch target showing a person and the state of their certificate."""

    def __init__(self, officer: Officer, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.officer = officer
        self.setObjectName("staffCard")
        self.setMinimumSize(260, 112)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        state = officer.certificate_state(today)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        name = QLabel(officer.name)
        name.setObjectName("staffName")
        role = QLabel(label(officer.role) + (f"  ·  {officer.cert_no}" if officer.cert_no else ""))
        cert = QLabel(label(state))
        cert.setStyleSheet(f"color: {_STATE_COLOURS[state]};")
        for w in (name, role, cert):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(w)


class SignInPage(QWidget):
    signed_in = Signal(object)  # Officer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        title = QLabel(self.tr("现场执法检查终端"))
        title.setObjectName("pageTitle")
        hint = QLabel(self.tr("请选择本人登录"))
        hint.setObjectName("hint")
        outer.addWidget(title)
        outer.addWidget(hint)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        outer.addWidget(scroll, 1)
        self.cards: list[StaffCard] = []

    def set_staff(self, staff: Sequence[Officer], today: date, columns: int = 3) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        order = {StaffRole.OFFICER: 0, StaffRole.TEAM_LEADER: 1, StaffRole.AUXILIARY: 2}
        for n, officer in enumerate(sorted(staff, key=lambda o: (order[o.role], o.id))):
            card = StaffCard(officer, today)
            card.clicked.connect(lambda _=False, o=officer: emit(self.signed_in, o))
            self._grid.addWidget(card, n // columns, n % columns)
            self.cards.append(card)
        self._grid.setRowStretch(len(staff) // columns + 1, 1)
