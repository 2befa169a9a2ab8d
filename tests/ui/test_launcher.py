"""The ``fieldinspect`` launcher: its help lists the subcommands; without a display it says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAUNCH = [sys.executable, "-c", "import sys; from ui.launcher import main; sys.exit(main())"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*LAUNCH, *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env if env is not None else os.environ)


def test_help_lists_every_subcommand_with_what_it_does() -> None:
    from cli.main import COMMANDS

    result = _run("--help")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for command in COMMANDS:
        assert any(line.split()[:1] == [command] and len(line.split()) > 1 for line in lines), command
    assert "--officer" in result.stdout and "COMMAND --help" in result.stdout


def test_without_a_display_the_window_says_so_instead_of_qts_xcb_message() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = _run("--data", str(ROOT / "nowhere"), env=env)
    assert result.returncode == 2
    assert "没有可用的显示器" in result.stderr and "No display is available" in result.stderr
    assert "xcb" not in result.stderr and "Traceback" not in result.stderr
    english = _run("--lang", "en", env=env)
    assert english.stderr.splitlines()[0].startswith("No display")


def test_which_platforms_need_a_display() -> None:
    from ui.application import display_missing

    assert display_missing({}, "linux")
    assert not display_missing({"DISPLAY": ":0"}, "linux")
    assert not display_missing({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not display_missing({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert display_missing({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}, "linux")
    assert display_missing({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not display_missing({}, "win32") and not display_missing({}, "darwin")
