"""Starting the GUI: Qt application, bundled font, translations, the data folder."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths, unlock
from app.custody import Custody, UnlockedKeys
from app.domain import Officer
from local_db.errors import UserFacingError
from ui.arguments import build_parser, find_staff
from ui.style import STYLE_SHEET, TouchStyle

# The sign-in page is shown with the custody alone; the workspace and the access rules
# load with the main window, while a PIN's key is derived (``ColdStart.prebuild``).
if TYPE_CHECKING:
    from app.workspace import Workspace
    from ui.main_window import MainWindow

def register_font() -> str:
    """Register the bundled CJK font so Chinese renders on machines without one."""
    font_id = QFontDatabase.addApplicationFont(str(paths.FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else ""


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """English comes from our .qm; Qt's own dialogs follow the chosen language too."""
    translators = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language == "en":
        ours = QTranslator(app)
        if ours.load(str(paths.TRANSLATIONS / "fieldinspect_en.qm")):
            translators.append(ours)
    else:
        qt = QTranslator(app)
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            translators.append(qt)
    for t in translators:
        app.installTranslator(t)
    return translators


def create_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication(["fieldinspect", *argv])
    app.setApplicationName("FieldInspect")
    app.setApplicationDisplayName("现场执法检查终端")
    # Set once: setting the font, style or style sheet again re-polishes every live widget.
    if not getattr(app, "_fieldinspect_styled", False):
        family = register_font()
        if family:
            app.setFont(QFont(family))
        if not isinstance(app.style(), TouchStyle):
            app.setStyle(TouchStyle())
        app.setStyleSheet(STYLE_SHEET)
        app._fieldinspect_styled = True
    return app


def first_start(data: Path | None) -> Workspace | None:
    """The default folder is created and seeded with the demo data on the first start.

    Returns the new workspace (its keys held by whoever starts it, until the sign-in
    page asks for a PIN), or None when the folder already exists: it is then
    unlocked at the sign-in page. A folder named with ``--data`` must exist.
    """
    from app.custody import Custody

    folder = data or paths.default_data_folder()
    if data is not None or Custody.present(folder):
        return None
    ws = unlock.create(folder)
    try:
        from app import demo  # only on a first start: keeps the JSON parsing off the usual path

        demo.seed(ws, media=True)
    except BaseException:
        ws.close()
        raise
    return ws


def recover_recordings(ws: Workspace) -> int:
    """Seal what a crash left of a recording (a lost segment is recovered on the next start)."""
    # The one recovery routine of every entry point: recordings, staging, bundle files.
    return recovery_module().recover(ws).segments


def recovery_module():  # noqa: ANN201 - the module sync.recovery
    import sync.recovery

    return sync.recovery


class ColdStart:
    """The sign-in page over a locked data folder; a right PIN opens the main window."""

    def __init__(self, custody: Custody, language: str) -> None:
        from ui.pages.sign_in import SignInPage

        self.custody = custody
        self.language = language
        self.window: MainWindow | None = None
        self.error: UserFacingError | None = None  # why the folder did not open after a right PIN
        self.headless = False
        self.page = SignInPage(None, language, custody=custody)
        self.page.setWindowTitle(QApplication.translate("MainWindow", "现场执法检查终端"))
        self.page.resize(1280, 800)
        self.page.set_staff(custody.people(), datetime_today())
        self.page.unlocked.connect(self.open)
        self.page.deriving.connect(self.prebuild)
        self.prebuilt: dict | None = None

    def prebuild(self) -> None:
        """While a PIN's key is derived on a worker thread (a quarter of a second or more),
        the GUI thread loads the main window's modules and builds the pages that need no
        data yet; the window is then put together from them once the folder is open."""
        if self.window is not None or self.prebuilt is not None:
            return
        from ui.main_window import prebuild_pages

        recovery_module()
        self.prebuilt = prebuild_pages(self.language)
        gc.freeze()  # the modules just loaded stay too (see ui.launcher)

    def open(self, person: Officer, keys: UnlockedKeys) -> MainWindow | None:
        try:
            ws = unlock.open_with_keys(self.custody, keys)
        except UserFacingError as exc:  # a damaged database: said on the page, the folder left as it is
            self.error = exc
            self.page.pin_panel.message.setText(exc.message(self.language))
            if not self.headless:
                QMessageBox.critical(self.page, self.page.windowTitle(), exc.message(self.language))
            return None
        from app import access
        from ui.main_window import MainWindow

        session = access.record_unlock(ws, person.id)
        recover_recordings(ws)
        prebuilt, self.prebuilt = self.prebuilt, None
        window = MainWindow(ws, self.language, prebuilt=prebuilt, session=session)
        window.show()
        self.page.hide()
        self.window = window
        return window


def datetime_today():
    from app.clock import system_clock

    return system_clock().date()


NO_DISPLAY = ("没有可用的显示器（未设置 DISPLAY 或 WAYLAND_DISPLAY），窗口无法打开。请在图形桌面中启动；"
              "无需窗口的操作请用子命令（见 fieldinspect --help）。",
              "No display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window cannot "
              "open. Start it from a graphical desktop; for work without a window use a subcommand (see "
              "fieldinspect --help).")


def display_missing(env: dict[str, str] | None = None, platform: str = sys.platform) -> bool:
    """True where Qt would look for a display server and there is none (Linux and the like).

    Qt would abort then with a message about a missing xcb library, which is not the cause.
    """
    env = os.environ if env is None else env
    if platform in ("win32", "darwin"):
        return False
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa.startswith("wayland"):
        return not env.get("WAYLAND_DISPLAY")
    if qpa and not qpa.startswith("xcb"):  # offscreen, vnc, eglfs, linuxfb: no display server needed
        return False
    return not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")


def run_gui(argv: Sequence[str], custody: Custody | None = None) -> int:
    """The window; ``custody`` is the folder's, when the launcher opened it already
    (``ui.arguments.open_ahead``)."""
    args = build_parser(argv).parse_args(list(argv))
    if display_missing():
        if custody is not None:
            custody.close()
        zh, en = NO_DISPLAY
        print(zh if args.lang != "en" else en, file=sys.stderr)
        print(en if args.lang != "en" else zh, file=sys.stderr)
        return 2
    app = create_application()
    language = args.lang or "zh"
    from app.evidence.viewing import clean_view_folders

    clean_view_folders()  # decrypted viewer copies a crash or a kill left behind
    try:
        ws = first_start(args.data)
        if ws is None and custody is None:
            custody = unlock.open_custody(args.data or paths.default_data_folder())
    except UserFacingError as exc:
        install_translators(app, language)
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        if not (args.exit_when_ready or args.screenshot):
            QMessageBox.critical(None, "现场执法检查终端" if language == "zh" else "FieldInspect",
                                 exc.message(language))
        return 2
    if ws is not None:
        language = args.lang or ws.settings.get("language", "zh") or "zh"
    app._translators = install_translators(app, language)  # keep them alive with the app
    people = ws.officers.all() if ws is not None else custody.people()
    officer = None
    if args.officer:
        officer = find_staff(people, args.officer)
        if officer is None:
            print(f"名册中没有 {args.officer} / {args.officer} is not on the roster", file=sys.stderr)
            return 2
    pin = os.environ.get("FIELDINSPECT_PIN") if officer is not None else None
    cold = None
    if ws is None:
        cold = ColdStart(custody, language)
        cold.headless = bool(args.exit_when_ready or args.screenshot)
        page = cold.page
    else:
        from ui.main_window import MainWindow

        window = MainWindow(ws, language)
        page = window.sign_in_page
    if officer is not None:
        # The PIN is never skipped: it is typed, or given to a script through the
        # environment (not the command line, which other users can read).
        page.choose(officer)
        if pin is not None:
            page.pin_panel.pin.setText(pin)
            if not page.submit() and not page.replacing_old_pin:  # a new PIN is asked for on screen
                print(f"未能登录 / sign-in refused: {page.pin_panel.message.text()}", file=sys.stderr)
                return 2
            if cold is not None and cold.error is not None:
                print(cold.error.zh, file=sys.stderr)
                print(cold.error.en, file=sys.stderr)
                custody.close()
                return 2
    # The main window, when one is open; at a cold start still locked, the sign-in page
    # (the main window's modules are not loaded until a PIN is being checked).
    window_open = cold is None or cold.window is not None
    shown = (cold.window or cold.page) if cold is not None else window
    if args.page:
        def go(window: MainWindow) -> None:
            if window.officer is not None:
                window.show_page(args.page)
        if window_open:
            go(shown)
            if shown.officer is None:  # the PIN is typed by hand: the page opens after that sign-in
                shown.sign_in_page.signed_in.connect(lambda *_: go(shown))
        else:
            cold.page.unlocked.connect(lambda *_: go(cold.window))
    shown.show()
    if args.exit_when_ready or args.screenshot:
        def ready() -> None:
            target = cold.window if cold is not None and cold.window is not None else shown
            if args.screenshot:
                target.grab().save(str(args.screenshot))
            print(f"READY {time.time():.6f}", flush=True)
            app.quit()
        QTimer.singleShot(0, ready)
    code = app.exec()
    from app.evidence.viewing import clean_view_folders

    clean_view_folders()  # decrypted copies made for the system viewer do not outlive the window
    final = cold.window if cold is not None else shown
    if final is not None:  # a main window: its workspace holds the custody
        final.ws.close()
    elif custody is not None:
        custody.close()
    return code


__all__ = ["run_gui", "create_application", "first_start"]
