"""Who works on this device: pick yourself, then your PIN.

The PIN check, its back-off and the audit entries are the core's
(``app.custody``, ``app.access``); this page only collects what was typed and
shows the answer. At a cold start there is no workspace yet: the cards come from
the custody's gate and a right PIN unlocks the keys (``unlocked``). The same page
then serves the idle lock and switching user over the open workspace
(``signed_in``), shown over the work area, which keeps its state underneath.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import unlock
from app.clock import Clock, system_clock
from app.custody import Custody, PinRequired
from app.domain import CertificateState, Officer, StaffRole
from local_db.database import Error as DbError
from local_db.errors import UserFacingError
from ui.labels import label
from ui.workers import emit, run_waiting

# What acting needs (the workspace, the access rules) is not needed to show the cards:
# it loads while a PIN's key is derived (``deriving``), or when a card is chosen.
if TYPE_CHECKING:
    from app.workspace import Workspace

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


class PinPad(QWidget):
    """Digits for a gloved finger: 0–9, delete and clear, each key a large target.

    The keys type into whichever PIN field was last focused; the keyboard works as well.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        layout = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back")
        captions = {"clear": self.tr("清空"), "back": self.tr("删除")}
        for n, key in enumerate(layout):
            button = QPushButton(captions.get(key, key))
            button.setObjectName("pinKey")
            button.setMinimumSize(96, 56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus (and the keyboard)
            grid.addWidget(button, n // 3, n % 3)
            self.keys[key] = button
        self.target: QLineEdit | None = None
        for key, button in self.keys.items():
            button.clicked.connect(lambda _=False, k=key: self.press(k))

    def press(self, key: str) -> None:
        field = self.target
        if field is None or not field.isEnabled():
            return
        if key == "clear":
            field.clear()
        elif key == "back":
            field.backspace()
        elif len(field.text()) < 12:
            field.insert(key)


class PinPanel(QFrame):
    """The PIN of the chosen person; two fields when an old PIN must be replaced."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pinPanel")
        self.setMaximumWidth(460)
        self.who = QLabel()
        self.who.setObjectName("staffName")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        digits = QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,12}"), self)
        self.pin = QLineEdit()
        self.confirm = QLineEdit()
        for field in (self.pin, self.confirm):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setValidator(digits)
            field.setMinimumHeight(48)
            field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin.setPlaceholderText(self.tr("PIN（6–12 位数字）"))
        self.confirm.setPlaceholderText(self.tr("再次输入 PIN"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.first = False
        self.ok_button = QPushButton(self.tr("登录"))
        self.ok_button.setDefault(True)
        self.back_button = QPushButton(self.tr("返回"))
        for b in (self.ok_button, self.back_button):
            b.setMinimumHeight(48)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.ok_button, 1)
        self.keypad = PinPad()
        self.keypad.target = self.pin
        for field in (self.pin, self.confirm):
            field.installEventFilter(self)
        layout = QVBoxLayout(self)
        for w in (self.who, self.hint, self.pin, self.confirm, self.message):
            layout.addWidget(w)
        layout.addWidget(self.keypad)
        layout.addLayout(buttons)
        layout.addStretch(1)
        # While the back-off runs, the wait counts down here; nothing can be typed meanwhile.
        self.lock_left: Callable[[], float] | None = None
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FocusIn and watched in (self.pin, self.confirm):
            self.keypad.target = watched  # the keypad types where the officer last tapped
        return super().eventFilter(watched, event)

    @contextmanager
    def checking(self) -> Iterator[None]:
        """While a PIN is checked: say so, and take no input."""
        self.message.setText(self.tr("正在验证 PIN…"))
        widgets = (self.pin, self.confirm, self.keypad, self.ok_button)
        for w in widgets:
            w.setEnabled(False)
        try:
            yield
        finally:
            for w in widgets:
                w.setEnabled(True)
            self.message.clear()

    def wait_out(self, remaining: Callable[[], float]) -> None:
        """Count down the wrong-PIN back-off (``remaining`` gives seconds left), then allow a try."""
        self.lock_left = remaining
        self._tick()

    def locked(self) -> bool:
        return self.countdown.isActive()

    def _tick(self) -> None:
        left = math.ceil(self.lock_left()) if self.lock_left is not None else 0
        waiting = left > 0
        for w in (self.pin, self.confirm, self.keypad, self.ok_button):
            w.setEnabled(not waiting)
        if waiting:
            self.message.setText(self.tr("PIN 错误次数过多，请在 %1 秒后重试。").replace("%1", str(left)))
            if not self.countdown.isActive():
                self.countdown.start()
        else:
            if self.countdown.isActive():
                self.countdown.stop()
                self.message.setText(self.tr("可以再次输入 PIN。"))
                self.pin.setFocus()
            self.lock_left = None

    def ask(self, officer: Officer, *, first: bool) -> None:
        """Ask for the PIN; ``first``: for a new PIN, typed twice (an earlier version's PIN is replaced)."""
        self.who.setText(f"{officer.name}（{label(officer.role)}）")
        self.hint.setText(self.tr("您的 PIN 来自早期版本，须更换：请设置 6–12 位数字的新 PIN，并再次输入确认。") if first
                          else self.tr("请输入本人 PIN。"))
        self.ok_button.setText(self.tr("更换并登录") if first else self.tr("登录"))
        self.ok_button.setEnabled(True)
        self.first = first
        self.confirm.setVisible(first)
        self.keypad.target = self.pin
        self.countdown.stop()
        self.lock_left = None
        for w in (self.pin, self.confirm, self.keypad):
            w.setEnabled(True)
        self.pin.clear()
        self.confirm.clear()
        self.message.clear()
        self.pin.setFocus()


class SignInPage(QWidget):
    signed_in = Signal(object)  # Officer, after the core accepted the PIN (workspace open)
    unlocked = Signal(object, object)  # Officer and UnlockedKeys, at a cold start (no workspace yet)
    deriving = Signal()  # a PIN's key is being derived on a worker thread; the GUI thread is free

    def __init__(self, workspace: Workspace | None, language: str = "zh", parent: QWidget | None = None, *,
                 custody: Custody | None = None, clock: Clock = system_clock) -> None:
        super().__init__(parent)
        self.ws = workspace
        self.custody = custody if custody is not None else workspace.custody if workspace is not None else None
        self.clock = workspace.clock if workspace is not None else clock
        self.language = language
        self.chosen: Officer | None = None
        self.locked_by: Officer | None = None  # whose locked session a sign-in here would end
        # Who signed in with an earlier version's PIN and must replace it before going on.
        self._replacing: tuple[Officer, object] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 32, 48, 32)
        title = QLabel(self.tr("现场执法检查终端"))
        title.setObjectName("pageTitle")
        self.hint = QLabel(self.tr("请选择本人登录"))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(self.hint)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(16)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        self.pin_panel = PinPanel()
        self.pin_panel.ok_button.clicked.connect(self.submit)
        self.pin_panel.pin.returnPressed.connect(self.submit)
        self.pin_panel.confirm.returnPressed.connect(self.submit)
        self.pin_panel.back_button.clicked.connect(self.show_cards)
        self.stack = QStackedWidget()
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.pin_panel)
        outer.addWidget(self.stack, 1)
        self.cards: list[StaffCard] = []

    def set_staff(self, staff: Sequence[Officer], today: date, columns: int = 3) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        order = {StaffRole.OFFICER: 0, StaffRole.TEAM_LEADER: 1, StaffRole.AUXILIARY: 2, StaffRole.ADMINISTRATOR: 3}
        for n, officer in enumerate(sorted(staff, key=lambda o: (order[o.role], o.id))):
            card = StaffCard(officer, today)
            card.clicked.connect(lambda _=False, o=officer: self.choose(o))
            self._grid.addWidget(card, n // columns, n % columns)
            self.cards.append(card)
        self._grid.setRowStretch(len(staff) // columns + 1, 1)
        self.show_cards()

    def set_locked(self, officer: Officer | None) -> None:
        """Say who locked the screen (None: nobody, a plain sign-in)."""
        self.locked_by = officer
        if officer is None:
            self.hint.setText(self.tr("请选择本人登录"))
        else:
            self.hint.setText(self.tr("屏幕已锁定。%1 输入 PIN 可继续当前工作；其他人员登录即切换用户。")
                              .replace("%1", officer.name))

    def _locked_id(self) -> str | None:
        return self.locked_by.id if self.locked_by is not None else None

    def show_cards(self) -> None:
        self.chosen = None
        self._replacing = None
        self.stack.setCurrentIndex(0)

    def choose(self, officer: Officer) -> None:
        """Ask the chosen person for their PIN (or to set one)."""
        self.chosen = officer
        has_pin = self.custody is not None and self.custody.has_pin(officer.id)
        self.pin_panel.ask(officer, first=False)
        self.pin_panel.ok_button.setEnabled(has_pin)
        if not has_pin:  # said at once: a PIN is issued by an administrator, never claimed here
            self.pin_panel.message.setText(PinRequired(officer.id).message(self.language))
        elif self._lock_remaining(officer.id) > 0:
            self.pin_panel.wait_out(lambda: self._lock_remaining(officer.id))
        from app import access

        notice = access.standing_notice(officer, self.clock().date())
        if notice is not None:  # R1: he may sign in and read his tasks, but not act as an officer
            self.pin_panel.hint.setText(self.pin_panel.hint.text() + "\n"
                                        + (notice[0] if self.language == "zh" else notice[1]))
        self.stack.setCurrentIndex(1)

    def _lock_remaining(self, person_id: str) -> float:
        return self.custody.lock_remaining(person_id) if self.custody is not None else 0.0

    def submit(self) -> bool:
        """Check what was typed; on success emit ``signed_in`` and go back to the cards."""
        officer = self.chosen
        if officer is None:
            return False
        panel = self.pin_panel
        if self._replacing is not None:
            return self._replace_old_pin()
        from app import access

        keys = None
        pin, now = panel.pin.text(), self.clock().replace(microsecond=0)
        try:
            # The PIN's Argon2id derivation (a quarter of a second or more, by design) runs
            # off the GUI thread; the panel says it is checking and takes no second tap.
            with panel.checking():
                if self.ws is None:
                    assert self.custody is not None
                    keys = run_waiting(self.custody.unlock, officer.id, pin, now=now,
                                       meanwhile=lambda: emit(self.deriving))
                    person = officer
                else:
                    person = run_waiting(access.sign_in, self.ws, officer.id, pin,
                                         taking_over_from=self._locked_id())
        except (UserFacingError, DbError) as exc:
            # A database that cannot be written (another program holds it, the disk is full)
            # is said here too: nobody is signed in without the sign-in being recorded.
            panel.message.setText(exc.message(self.language) if isinstance(exc, UserFacingError)
                                  else self.tr("无法记录登录：%1").replace("%1", str(exc)))
            panel.pin.clear()
            panel.confirm.clear()
            if self._lock_remaining(officer.id) > 0:
                panel.wait_out(lambda: self._lock_remaining(officer.id))
            return False
        assert self.custody is not None
        if self.custody.pin_must_change(person.id):  # an earlier version's PIN: replaced before going on
            self._replacing = (person, keys if keys is not None else self.ws.keys)
            panel.ask(person, first=True)
            return False
        return self._done(person, keys)

    @property
    def replacing_old_pin(self) -> bool:
        """True while the person who signed in with an earlier version's PIN is asked for a new one."""
        return self._replacing is not None

    def _replace_old_pin(self) -> bool:
        assert self._replacing is not None and self.custody is not None
        person, keys = self._replacing
        panel = self.pin_panel
        try:
            new_keys = self.custody.replace_old_pin(keys, panel.pin.text(), panel.confirm.text(),
                                                    now=self.clock().replace(microsecond=0))
        except UserFacingError as exc:
            panel.message.setText(exc.message(self.language))
            panel.pin.clear()
            panel.confirm.clear()
            panel.pin.setFocus()
            return False
        if self.ws is not None:
            unlock.flush_gate(self.ws)  # the change was audited in the gate; it moves into the log now
        return self._done(person, new_keys if self.ws is None else None)

    def _done(self, person: Officer, keys: object | None) -> bool:
        self.show_cards()
        if keys is not None:
            emit(self.unlocked, person, keys)
        else:
            emit(self.signed_in, person)
        return True
