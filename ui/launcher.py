"""The ``fieldinspect`` command: the GUI, or a headless subcommand of the core.

Headless subcommands never import Qt, so they run on a docking workstation or a
server with no display libraries at all.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from app import cli

    if args and args[0] in cli.COMMANDS:
        return cli.main(args)
    from ui.application import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
