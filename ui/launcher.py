"""The ``fieldinspect`` command: the GUI, or a headless subcommand of the core.

Headless subcommands never import Qt, so they run on a docking workstation or a
server with no display libraries at all.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # The GUI takes options only; a first word that is not an option names a
    # subcommand of the core (an unknown one gets argparse's error from there).
    if args and not args[0].startswith("-"):
        from cli import main as cli

        return cli.main(args)
    # The core and the key store load before Qt: once PySide6 is imported it reads the
    # source of every module imported after it, which made their import twice as slow.
    from app import unlock  # noqa: F401
    from app.keystore import preload
    from ui.arguments import open_ahead

    preload()
    custody = open_ahead(args)  # a scripted PIN starts its key derivation before Qt loads
    from ui.application import run_gui

    # What start-up has loaded lives as long as the process: kept out of the collector's
    # reach, a full collection no longer walks it (one took about 20 ms while the window
    # was being built).
    gc.freeze()
    return run_gui(args, custody)


if __name__ == "__main__":
    sys.exit(main())
