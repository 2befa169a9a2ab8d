"""The window's command-line options, and what the launcher does with them before Qt
loads (this module imports no Qt)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ui.page_keys import PAGE_KEYS

if TYPE_CHECKING:
    from app.custody import Custody
    from app.domain import Officer

LANGUAGES = ("zh", "en")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The window's parser; the list of subcommands (which loads the command line's
    module) is only put in the help text when ``argv`` asks for help, or when it is None."""
    epilog = None
    if argv is None or "-h" in argv or "--help" in argv:
        from cli.main import subcommands

        width = max(len(name) for name, _ in subcommands())
        epilog = ("不带子命令时打开窗口；子命令无需显示器 / without a subcommand the window opens; the subcommands "
                  "need no display:\n" + "\n".join(f"  {name:<{width}}  {text}" for name, text in subcommands())
                  + "\n\n各子命令的选项：fieldinspect 子命令 --help / a subcommand's options: fieldinspect COMMAND --help")
    p = argparse.ArgumentParser(prog="fieldinspect", description="现场执法检查终端 FieldInspect",
                                usage="fieldinspect [窗口选项 / window options]  |  fieldinspect COMMAND ...",
                                epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
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


def find_staff(people: Sequence[Officer], key: str) -> Officer | None:
    return next((o for o in people if key in (o.id, o.cert_no)), None)


def open_ahead(argv: Sequence[str]) -> Custody | None:
    """For a start whose PIN a script gives (``--officer`` and ``FIELDINSPECT_PIN``): the
    folder's custody, opened before Qt loads, with the PIN's Argon2id stretch already
    running on a thread of its own (``Custody.stretch_ahead``), so the derivation and
    the loading of the window overlap. None in every other case, and on any error: the
    window then opens the folder itself and says what is wrong, as always."""
    pin = os.environ.get("FIELDINSPECT_PIN")
    if not pin or "-h" in argv or "--help" in argv:
        return None
    try:
        args, _ = build_parser(argv).parse_known_args(list(argv))
    except SystemExit:  # bad options: the window's own parse says so
        return None
    if not (args.officer and pin):
        return None
    from app import paths, unlock
    from app.custody import Custody
    from local_db.errors import UserFacingError

    folder = args.data or paths.default_data_folder()
    try:
        if not Custody.present(folder) or Custody.legacy(folder):  # new, or adopted at the sign-in page
            return None
        custody = unlock.open_custody(folder)
    except (UserFacingError, OSError):
        return None
    officer = find_staff(custody.people(), args.officer)
    if officer is not None:
        custody.stretch_ahead(officer.id, pin)
    return custody
