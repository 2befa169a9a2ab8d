"""Starting the GUI: Qt application, bundled font, translations, the data folder."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.workspace import Workspace
from local_db.errors import UserFacingError
from ui.main_window import PAGE_KEYS, MainWindow
from ui.style import STYLE_SHEET

LANGUAGES = ("zh", "en")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fieldinspect", description="现场执法检查终端 FieldInspect")
    p.add_argument("--data", type=Path, help="数据目录 / data folder (default: per-user data folder)")
    p.add_argument("--lang", choices=LANGUAGES, help="界面语言 / interface language")
    p.add_argument("--officer", help="预选登录人员（编号或执法证号），仍须输入 PIN；脚本可用环境变量 FIELDINSPECT_PIN "
                                     "/ preselect the person signing in (id or certificate); the PIN is still asked "
                                     "for, or taken from FIELDINSPECT_PIN in scripts")
    p.add_argument("--page", choices=PAGE_KEYS, help="登录后打开的页面 / page to open after sign-in")
    p.add_argument("--screenshot", type=Path, help="窗口就绪后截图并退出 / save a screenshot when ready, then quit")
    p.add_argument("--exit-when-ready", action="store_true",
                   help="窗口可交互时打印时间戳并退出（基准测试用）/ print a timestamp when interactive and quit")
    return p


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
    family = register_font()
    if family:
        app.setFont(QFont(family))
    app.setStyleSheet(STYLE_SHEET)
    return app


def open_workspace(data: Path | None) -> Workspace:
    """The named folder must exist; the default one is created and seeded on first start."""
    ws = Workspace.open(data) if data else Workspace.open(paths.default_data_folder(), create=True)
    if not ws.has_reference_data():
        from app import demo  # only on a first start: keeps the JSON parsing off the usual path

        demo.seed(ws, media=True)
    recover_recordings(ws)
    return ws


def recover_recordings(ws: Workspace) -> int:
    """Seal what a crash left of a recording (a lost segment is recovered on the next start)."""
    from app.evidence.store import recording_root  # the capture modules load only when there is work

    root = recording_root(ws.folder)
    if not root.is_dir() or not any(root.iterdir()):
        return 0  # the usual case: nothing to load, nothing to seal
    from app.evidence.locker import EvidenceLocker
    from app.evidence.recovery import recover_open_segments

    return len(recover_open_segments(EvidenceLocker(ws)))


def _find_staff(ws: Workspace, key: str):
    for o in ws.officers.all():
        if key in (o.id, o.cert_no):
            return o
    return None


def run_gui(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    app = create_application()
    language = args.lang or "zh"
    try:
        ws = open_workspace(args.data)
    except UserFacingError as exc:
        install_translators(app, language)
        print(exc.message(language), file=sys.stderr)
        if not (args.exit_when_ready or args.screenshot):
            QMessageBox.critical(None, "现场执法检查终端" if language == "zh" else "FieldInspect",
                                 exc.message(language))
        return 2
    language = args.lang or ws.settings.get("language", "zh") or "zh"
    app._translators = install_translators(app, language)  # keep them alive with the app
    window = MainWindow(ws, language)
    if args.officer:
        officer = _find_staff(ws, args.officer)
        if officer is None:
            print(f"unknown officer {args.officer}", file=sys.stderr)
            return 2
        # The PIN is never skipped: it is typed, or given to a script through the
        # environment (not the command line, which other users can read).
        window.sign_in_page.choose(officer)
        pin = os.environ.get("FIELDINSPECT_PIN")
        if pin is not None:
            window.sign_in_page.pin_panel.pin.setText(pin)
            if window.sign_in_page.pin_panel.first:
                window.sign_in_page.pin_panel.confirm.setText(pin)
            if not window.sign_in_page.submit():
                print(window.sign_in_page.pin_panel.message.text(), file=sys.stderr)
                return 2
        if args.page and window.officer is not None:
            window.show_page(args.page)
    window.show()
    if args.exit_when_ready or args.screenshot:
        def ready() -> None:
            if args.screenshot:
                window.grab().save(str(args.screenshot))
            print(f"READY {time.time():.6f}", flush=True)
            app.quit()
        QTimer.singleShot(0, ready)
    code = app.exec()
    ws.close()
    return code


__all__ = ["run_gui", "create_application", "open_workspace"]
