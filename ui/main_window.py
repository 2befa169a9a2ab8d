"""The main window: sign-in first, then navigation between the work areas."""

from __future__ import annotations

import logging

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
import shiboken6
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app import access
from app.domain import InspectionOverview, InspectionStatus, Officer
from app.workspace import Workspace
from app.session import Session
from local_db.access_repository import ReviewDecisionRepository
from local_db.database import Error as DbError, latest_version, transaction
from local_db.errors import UserFacingError
from ui.labels import label, reference_source
from ui.page_keys import PAGE_KEYS
from ui.idle import IdleWatcher
from ui.pages.settings import SettingsPage
from ui.pages.sign_in import SignInPage
from ui.workers import emit

if TYPE_CHECKING:
    from app.demolition.service import DemolitionService
    from app.onsite.service import OnsiteService
    from ui.pages.inspections import InspectionsPage
    from ui.pages.today import TodayPage
    from ui.pages.demolition import DemolitionPage
    from ui.pages.evidence import EvidencePage
    from ui.pages.onsite import OnsitePage
    from ui.pages.review import ReviewPage
    from ui.pages.sync import SyncPage

# A dialog with this property set keeps its work going while the screen is locked.
KEEP_THROUGH_LOCK = "keepThroughLock"

# The setting is read at start; its module (the sync client) is not loaded for it.
AUTO_SYNC_SETTING = "sync.auto_when_reachable"

log = logging.getLogger(__name__)



def prebuild_pages(language: str) -> dict[str, QWidget]:
    """The pages shown at the first sign-in that need no data to be built (Today,
    Inspections, Settings), for ``MainWindow(prebuilt=...)``: a cold start builds them
    while the PIN's key is derived, so the window opens sooner once it is."""
    # The modules opening the folder uses (at-rest check, recovery of recordings), and those
    # a task's legal status is computed with, for the first task selected.
    import app.evidence.at_rest  # noqa: F401
    import app.evidence.importer  # noqa: F401
    import app.gates.board  # noqa: F401
    import app.gates.service  # noqa: F401
    import app.gates.start  # noqa: F401
    import app.onsite.service  # noqa: F401
    from ui.pages.inspections import InspectionsPage
    from ui.pages.today import TodayPage

    # The window's idle watcher filters every event of the application. The first events a
    # Python filter sees make the bindings look up the Python type of every kind of object
    # they come from (about 140 enum types created, 15 ms): paid here, with the pages.
    watcher = IdleWatcher(0)
    try:
        pages = {"today": TodayPage(language=language), "inspections": InspectionsPage(),
                 "settings": SettingsPage()}
        for page in pages.values():  # polished, laid out and painted once: style, fonts and glyphs loaded
            page.resize(1080, 740)
            page.grab()
    finally:
        watcher.detach()
        watcher.deleteLater()
    return pages


class MainWindow(QMainWindow):
    page_changed = Signal(str)

    def __init__(self, workspace: Workspace, language: str = "zh",
                 prebuilt: dict[str, QWidget] | None = None, session: Session | None = None) -> None:
        """The window for ``workspace``: on the sign-in page, or signed in with ``session``
        (a cold start, whose PIN was taken before the folder was open)."""
        super().__init__()
        # Pages built before the folder was open (``prebuild_pages``), used at their first need.
        self._prebuilt = dict(prebuilt or {})
        self.ws = workspace
        self.language = language
        self.officer: Officer | None = None
        self.session: Session | None = None  # the signed-in session every act is done with
        self.setWindowTitle(self.tr("现场执法检查终端"))
        self.resize(1280, 800)
        self.setMinimumSize(1024, 700)

        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.switch_button = QPushButton(self.tr("切换用户"))
        self.switch_button.clicked.connect(self.switch_user)
        app_title = QLabel(self.tr("现场执法检查终端"))
        app_title.setObjectName("appTitle")
        self.app_title = app_title
        header = QWidget()
        header.setObjectName("header")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(20, 8, 20, 8)
        hl.addWidget(app_title)
        hl.addStretch(1)
        hl.addWidget(self.user_label)
        hl.addWidget(self.switch_button)

        self.sign_in_page = SignInPage(workspace, language)
        self.sign_in_page.signed_in.connect(self.sign_in)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(200)
        self.nav.setIconSize(QSize(28, 28))
        self._onsite: OnsiteService | None = None
        self._demolition: DemolitionService | None = None
        self.settings_page = self._make_settings()
        self.pages = QStackedWidget()
        captions = self._captions()
        self.locked_by: Officer | None = None  # who locked the screen; the work area stays as it was
        self._kept_dialogs: list[QDialog] = []  # hidden by the lock, shown again after the next sign-in
        self.idle = IdleWatcher(access.idle_lock_minutes(workspace) * 60_000, self)
        self.idle.idle.connect(self.lock)
        # The pages a person reaches from the navigation or a task are built the first time
        # they are needed, with their modules (PDF, video, sync): the window opens on the
        # sign-in page without them, and Today and Inspections are built at the first sign-in.
        self._built: dict[str, QWidget] = {"settings": self.settings_page}
        self._slots: dict[str, QWidget] = {}
        for key in (*PAGE_KEYS, "onsite"):
            if key in PAGE_KEYS:
                item = QListWidgetItem(captions[key])
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setSizeHint(QSize(180, 56))
                self.nav.addItem(item)
            self._slots[key] = self._built.get(key) or QWidget()
            self.pages.addWidget(self._slots[key])  # "onsite" is opened from a task, not the navigation
        if workspace.settings.get(AUTO_SYNC_SETTING) == "1":
            # Auto-sync watches for HQ from the Sync page, so it exists soon after start.
            QTimer.singleShot(1500, lambda: self.page("sync"))
        self.nav.currentRowChanged.connect(self._nav_changed)

        work = QWidget()
        wl = QHBoxLayout(work)
        wl.setContentsMargins(0, 0, 0, 0)
        wl.setSpacing(0)
        wl.addWidget(self.nav)
        wl.addWidget(self.pages, 1)

        self.body = QStackedWidget()
        self.body.addWidget(self.sign_in_page)
        self.body.addWidget(work)
        central = QWidget()
        cl = QVBoxLayout(central)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.setSpacing(0)
        cl.addWidget(header)
        cl.addWidget(self.body, 1)
        self.setCentralWidget(central)
        if session is not None:  # the sign-in page's cards are filled when it is first shown
            self.sign_in(session)
        else:
            self.switch_user()

    def _captions(self) -> dict[str, str]:
        return {
            "today": self.tr("今日"), "inspections": self.tr("检查任务"), "evidence": self.tr("证据"),
            "demolition": self.tr("强制拆除"), "review": self.tr("审核"), "sync": self.tr("同步"),
            "settings": self.tr("设置"),
        }

    def _make_settings(self) -> SettingsPage:
        page = self._prebuilt.pop("settings", None) or SettingsPage()
        page.language_chosen.connect(self.change_language)
        page.pin_change_requested.connect(self.change_pin)
        return page

    # --- pages built on first use -------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page ``key``, built now if this is the first time it is needed."""
        widget = self._built.get(key)
        if widget is None:
            widget = self._built[key] = self._make_page(key)
            slot = self._slots[key]
            index = self.pages.indexOf(slot)
            current = self.pages.currentWidget() is slot
            self.pages.insertWidget(index, widget)
            self.pages.removeWidget(slot)
            slot.deleteLater()
            self._slots[key] = widget
            if current:
                self.pages.setCurrentWidget(widget)
        return widget

    def is_built(self, key: str) -> bool:
        return key in self._built

    def _make_page(self, key: str) -> QWidget:
        ws, language = self.ws, self.language
        if key == "today":
            from ui.pages.today import TodayPage

            today = self._prebuilt.pop("today", None) or TodayPage(language=language)
            today.answer_requested.connect(self.answer_returned)
            today.open_requested.connect(self.open_task)
            today.start_requested.connect(self.start_from_today)
            today.record_requested.connect(self.open_record)
            return today
        if key == "inspections":
            from ui.pages.inspections import InspectionsPage

            inspections = self._prebuilt.pop("inspections", None) or InspectionsPage()
            inspections.selected.connect(self._show_gates)
            detail = inspections.detail
            detail.start_requested.connect(self.start_inspection)
            detail.record_requested.connect(self.open_record)
            detail.merge_requested.connect(self.merge_tasks)
            return inspections
        if key == "evidence":
            from ui.pages.evidence import EvidencePage
            return EvidencePage(ws, current_officer=lambda: self.session, language=language)
        if key == "review":
            from ui.pages.review import ReviewPage
            review = ReviewPage(ws, lambda: (self.evidence_page.locker, self.evidence_page.thumbnails), language)
            review.set_officer(self.session)
            return review
        if key == "demolition":
            from ui.pages.demolition import DemolitionPage
            return DemolitionPage()
        if key == "sync":
            from ui.pages.sync import SyncPage
            return SyncPage(ws, current_officer=lambda: self.session, language=language)
        if key == "onsite":
            from ui.pages.onsite import OnsitePage
            onsite = OnsitePage()
            onsite.back_requested.connect(lambda: self.show_page("inspections"))
            onsite.record_changed.connect(lambda _id: self.refresh())
            return onsite
        raise KeyError(key)

    @property
    def today_page(self) -> TodayPage:
        return self.page("today")  # type: ignore[return-value]

    @property
    def inspections_page(self) -> InspectionsPage:
        return self.page("inspections")  # type: ignore[return-value]

    @property
    def evidence_page(self) -> EvidencePage:
        return self.page("evidence")  # type: ignore[return-value]

    @property
    def review_page(self) -> ReviewPage:
        return self.page("review")  # type: ignore[return-value]

    @property
    def demolition_page(self) -> DemolitionPage:
        return self.page("demolition")  # type: ignore[return-value]

    @property
    def sync_page(self) -> SyncPage:
        return self.page("sync")  # type: ignore[return-value]

    @property
    def onsite_page(self) -> OnsitePage:
        return self.page("onsite")  # type: ignore[return-value]

    @property
    def onsite(self) -> OnsiteService:
        if self._onsite is None:
            from app.onsite.service import OnsiteService
            self._onsite = OnsiteService(self.ws)
        return self._onsite

    @property
    def demolition(self) -> DemolitionService:
        if self._demolition is None:
            from app.demolition.service import DemolitionService
            self._demolition = DemolitionService(self.ws)
        return self._demolition

    # --- sign-in ---------------------------------------------------------------
    def switch_user(self) -> None:
        """Back to the sign-in page; the work area is not shown to the next person."""
        leaving = self.officer
        self._cover_dialogs()
        self._show_sign_in(None)
        if leaving is not None:
            self._record_session(leaving, "sign_out")
            if self.is_built("review"):
                self.review_page.clear_video()  # the player lets go of its copy before the folder goes
            from app.evidence.viewing import clean_view_folders

            clean_view_folders()  # the next person finds none of the decrypted viewer copies

    def lock(self) -> None:
        """Idle lock: the sign-in page covers the work area, which keeps its state.

        The screen is covered first and the lock audited after: a database that cannot
        write at that moment must not leave the work on show (it is said on the page).
        """
        if self.officer is None:
            return
        locking = self.officer
        self.ws.sessions.lock(locking.id)  # no act goes through until the PIN is typed again
        self._cover_dialogs()
        self._show_sign_in(locking)
        from app.evidence.viewing import clean_view_folders

        clean_view_folders()  # no decrypted viewer copy waits behind the lock for whoever finds the tablet
        self._record_session(locking, "lock")

    def _record_session(self, person: Officer, action: str) -> None:
        try:
            access.record_session(self.ws, person.id, action)
        except (UserFacingError, DbError) as exc:
            log.error("could not audit session.%s of %s: %s", action, person.id, exc)
            self.sign_in_page.hint.setText(self.sign_in_page.hint.text() + "\n" + self.tr(
                "（审计日志暂时无法写入：%1）").replace("%1", str(exc)))

    def _cover_dialogs(self) -> None:
        """Nothing of the work may show over the lock: an open dialog is closed (rejected),
        except one whose work goes on by itself (an import), which is hidden and shown again
        after the next sign-in."""
        self._kept_dialogs = []
        for dialog in self.findChildren(QDialog):
            if not dialog.isVisible():
                continue
            if dialog.property(KEEP_THROUGH_LOCK):
                dialog.hide()
                self._kept_dialogs.append(dialog)
            else:
                dialog.reject()

    def _show_sign_in(self, locked_by: Officer | None) -> None:
        self.idle.stop()
        self.locked_by = locked_by
        self.officer = None
        self.session = None
        self.user_label.setText("")
        self.switch_button.hide()
        self.sign_in_page.set_staff(self.ws.officers.all(), self.ws.clock().date())
        self.sign_in_page.set_locked(locked_by)
        self.body.setCurrentIndex(0)

    def sign_in(self, session: Session) -> None:
        """Open the work area for a person the core signed in (``app.access``), with their session.

        The person who locked the screen comes back to the page they left; anyone
        else takes over as a switch of user, and the one who locked is signed out.
        """
        # A switch of user was logged by the core with the sign-in (the one who locked
        # signed out first); only the window's state changes here.
        officer = session.person
        resumed = self.locked_by is not None and self.locked_by.id == officer.id
        self.locked_by = None
        for dialog in self._kept_dialogs:
            if shiboken6.isValid(dialog):
                dialog.show()
        self._kept_dialogs = []
        self.officer = officer
        self.session = session
        self.user_label.setText(f"{officer.name}（{label(officer.role)}）")
        self.switch_button.show()
        self.idle.set_interval(access.idle_lock_minutes(self.ws) * 60_000)
        self.idle.start()
        self.body.setCurrentIndex(1)
        if resumed:
            return
        self.refresh()
        self.show_page("today")

    # --- pages -----------------------------------------------------------------
    def show_page(self, key: str) -> None:
        row = PAGE_KEYS.index(key)
        if self.nav.currentRow() == row:  # back from the on-site record: no row change to signal
            self._nav_changed(row)
        self.nav.setCurrentRow(row)

    def current_page(self) -> str:
        index = self.pages.currentIndex()
        return PAGE_KEYS[index] if index < len(PAGE_KEYS) else "onsite"

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        self.page(PAGE_KEYS[row])
        self.pages.setCurrentIndex(row)
        if PAGE_KEYS[row] == "demolition":
            self.demolition_page.open(self.demolition, self.session, self.language)
        emit(self.page_changed, PAGE_KEYS[row])

    def refresh(self) -> None:
        """Reload every page from the database."""
        rows = self.ws.inspections.overview()
        self.inspections_page.set_rows(rows)
        if self.officer is not None:
            day = self.ws.clock().date()
            mine = self.ws.inspections.ids_for_staff_on(self.officer.id, day)
            self.today_page.set_tasks(self.officer, day, [r for r in rows if r.id in mine])
            self._show_returned()
        if self.is_built("review"):
            self.review_page.set_officer(self.session)
        ref = self.ws.reference_sets.latest()
        ref_text = f"{ref['version']}（{reference_source(ref['source'])}，{ref['imported_at'][:16].replace('T', ' ')}）" if ref else "—"
        self.settings_page.data_folder.setText(str(self.ws.folder))
        self.settings_page.reference.setText(ref_text)
        self.settings_page.schema.setText(str(latest_version()))
        self.settings_page.set_language(self.language)
        if self.is_built("sync"):
            self.sync_page.refresh_if_visible()

    def _show_gates(self, row: InspectionOverview | None) -> None:
        """The legal status of the selected task (R1, R4–R8), computed from local data."""
        from app.gates.board import status_board
        from app.gates.service import load_start_context
        from app.gates.start import evaluate_start

        detail = self.inspections_page.detail
        panel = detail.gates
        if row is None:
            panel.show_note("")
            detail.show_board(None)
            detail.show_actions(can_start=False, has_record=False, can_merge=False)
            return
        inspection = self.ws.inspections.get(row.id)
        mine = self.officer is not None and self.officer.id in inspection.officer_ids
        # One read of what the gates need serves both the board and the findings.
        try:
            ctx = load_start_context(self.ws, row.id)
        except UserFacingError as exc:
            ctx = None
            load_error = exc
        detail.show_board(status_board(self.ws, row.id, ctx=ctx) if ctx else None)
        detail.show_actions(can_start=mine and row.status is InspectionStatus.PLANNED,
                            has_record=self.onsite.records.exists(row.id),
                            can_merge=mine and row.status is InspectionStatus.PLANNED)
        self._explain_start_role(row)
        if row.status is not InspectionStatus.PLANNED:
            note = self.tr("任务状态为“%1”，开始条件不再核验。").replace("%1", label(row.status))
            if inspection.merged_into:
                note += self.tr("已并入 %1（综合查一次）。").replace("%1", inspection.merged_into)
            panel.show_note(note)
            return
        if ctx is None:
            panel.show_note(load_error.message(self.language))
            return
        panel.show_findings(evaluate_start(ctx, self.ws.clock()), self.language)

    def _explain_start_role(self, row: InspectionOverview) -> None:
        """Auxiliary staff see the start button disabled, with the rule that says why (R1)."""
        button = self.inspections_page.detail.start_button
        refused = (self.officer is not None and row.status is InspectionStatus.PLANNED
                   and not access.can(self.officer, access.Permission.START_INSPECTION))
        button.setEnabled(not refused)
        button.setToolTip(access.RoleRefused(self.officer, access.Permission.START_INSPECTION).message(self.language)
                          if refused else "")
        if refused:
            button.setVisible(True)

    def open_task(self, inspection_id: str) -> None:
        """A task of the day on the task list, selected, with its legal status and actions."""
        self.show_page("inspections")
        self.inspections_page.select_task(inspection_id)

    def start_from_today(self, inspection_id: str) -> None:
        """开始检查 on a Today card: the start gates decide; when they refuse, the task is
        shown on the list with the reasons."""
        self.open_task(inspection_id)
        self.start_inspection(inspection_id)

    # --- on site -----------------------------------------------------------------
    def start_inspection(self, inspection_id: str, overrides: list | None = None) -> bool:
        """Start the task when its gates allow; overridable blocks open the exceptions dialog."""
        if self.officer is None:
            return False
        from app.onsite.service import StartBlocked

        try:
            self.onsite.begin(inspection_id, actor=self.session, overrides=overrides or ())
        except StartBlocked as blocked:
            blocks = blocked.decision.blocking
            if overrides is None and blocks and all(f.overridable for f in blocks):
                from ui.dialogs.override_dialog import OverrideDialog
                dialog = OverrideDialog(blocks, self.language, self)
                if dialog.exec():
                    return self.start_inspection(inspection_id, dialog.overrides())
                return False
            self.inspections_page.detail.gates.show_findings(blocked.decision.findings, self.language)
            return False
        except UserFacingError as exc:
            self.inspections_page.detail.gates.show_note(exc.message(self.language))
            return False
        self.refresh()
        self.open_record(inspection_id)
        return True

    def open_record(self, inspection_id: str) -> None:
        if self.officer is None:
            return
        self.onsite_page.open(self.onsite, inspection_id, self.session, self.language)
        self.nav.clearSelection()
        self.pages.setCurrentWidget(self.onsite_page)
        emit(self.page_changed, "onsite")

    def merge_tasks(self, keep_id: str, merged_ids: tuple) -> None:
        """综合查一次 (R7): fold the subject's other planned tasks into the selected one."""
        if self.officer is None or not merged_ids:
            return
        try:
            self.onsite.merge(keep_id, merged_ids, actor=self.session)
        except UserFacingError as exc:
            self.inspections_page.detail.gates.show_note(exc.message(self.language))
            return
        self.refresh()
        self.inspections_page.select_task(keep_id)

    # --- review ------------------------------------------------------------------------
    def _show_returned(self) -> None:
        """Items a team leader returned to this officer (only once any decision exists:
        before that there is nothing to show and no need to open the evidence locker)."""
        if self.officer is None or not ReviewDecisionRepository(self.ws.db).latest():
            self.today_page.set_returned([], {})
            return
        names = {o.id: o.name for o in self.ws.officers.all()}
        self.today_page.set_returned(self.review_page.service.returned_to(self.officer.id), names)

    def answer_returned(self, sha256: str, text: str) -> bool:
        if self.officer is None:
            return False
        try:
            self.review_page.service.answer(sha256, officer=self.session, comment=text)
        except UserFacingError as exc:
            self.today_page.returned_message.setText(exc.message(self.language))
            return False
        self._show_returned()
        return True

    def change_pin(self, current: str, new: str, confirm: str) -> bool:
        """The signed-in person changes their own PIN (the current one is checked first)."""
        if self.officer is None:
            return False
        try:
            access.change_pin(self.ws, self.officer.id, current, new, confirm)
        except UserFacingError as exc:
            self.settings_page.pin_changed(exc.message(self.language), ok=False)
            return False
        self.settings_page.pin_changed(self.tr("PIN 已修改，下次登录请使用新 PIN。"), ok=True)
        return True

    def _save_language(self, code: str) -> None:
        with transaction(self.ws.db):
            self.ws.settings.set("language", code)

    def change_language(self, code: str) -> None:
        """Save the choice and switch the interface now: the translators are swapped and
        every page is built again in the new language, on the page the person was on."""
        self._save_language(code)
        if code == self.language:
            return
        from ui.application import install_translators

        app = QApplication.instance()
        for t in getattr(app, "_translators", []):
            app.removeTranslator(t)
        app._translators = install_translators(app, code)  # kept alive with the app
        self.language = code
        self._rebuild_pages()

    def _rebuild_pages(self) -> None:
        current = self.current_page()
        record = self.onsite_page.inspection_id if current == "onsite" and self.is_built("onsite") else None
        rebuilt = [k for k in self._built if k != "settings"]
        for key, widget in list(self._built.items()):
            slot = QWidget()
            index = self.pages.indexOf(widget)
            self.pages.insertWidget(index, slot)
            self.pages.removeWidget(widget)
            widget.deleteLater()
            self._slots[key] = slot
        self._built = {}
        self.settings_page = self._make_settings()
        self._built["settings"] = self.settings_page
        index = self.pages.indexOf(self._slots["settings"])
        self.pages.insertWidget(index, self.settings_page)
        self.pages.removeWidget(self._slots["settings"])
        self._slots["settings"].deleteLater()
        self._slots["settings"] = self.settings_page
        old_sign_in = self.sign_in_page
        self.sign_in_page = SignInPage(self.ws, self.language)
        self.sign_in_page.signed_in.connect(self.sign_in)
        self.body.insertWidget(0, self.sign_in_page)
        self.body.removeWidget(old_sign_in)
        old_sign_in.deleteLater()
        self.sign_in_page.set_staff(self.ws.officers.all(), self.ws.clock().date())
        self.setWindowTitle(self.tr("现场执法检查终端"))
        self.app_title.setText(self.tr("现场执法检查终端"))
        self.switch_button.setText(self.tr("切换用户"))
        captions = self._captions()
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            item.setText(captions[item.data(Qt.ItemDataRole.UserRole)])
        if self.officer is not None:
            self.user_label.setText(f"{self.officer.name}（{label(self.officer.role)}）")
            for key in rebuilt:
                if key != "onsite":
                    self.page(key)  # what ran in the background (the Sync page's watch) goes on
            self.refresh()
            if record is not None:
                self.open_record(record)
            else:
                self.show_page(current)
        else:
            self.body.setCurrentIndex(0)
            self.refresh()
