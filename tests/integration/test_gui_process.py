"""The real `fieldinspect` command, started as a user would start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = Path(sys.executable).parent / "fieldinspect"

pytestmark = pytest.mark.integration


def _run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([str(EXE), *args], capture_output=True, text=True, timeout=120, env=environment)


def test_first_start_creates_and_seeds_the_default_folder(tmp_path: Path) -> None:
    folder = tmp_path / "home" / "FieldInspect"
    shot = tmp_path / "shot.png"
    result = _run("--officer", "O01", "--page", "inspections", "--screenshot", str(shot),
                  env={"FIELDINSPECT_DATA": str(folder), "FIELDINSPECT_PIN": "100101"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("READY ")
    assert (folder / "fieldinspect.sqlite").exists()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_officer_option_still_needs_the_pin(tmp_path: Path) -> None:
    folder = tmp_path / "home" / "FieldInspect"
    result = _run("--officer", "O01", "--exit-when-ready", env={"FIELDINSPECT_DATA": str(folder),
                                                                 "FIELDINSPECT_PIN": "0000"})
    assert result.returncode == 2 and "PIN 不正确" in result.stderr


def test_a_named_missing_folder_is_an_error_not_created(tmp_path: Path) -> None:
    result = _run("--data", str(tmp_path / "absent"), "--exit-when-ready")
    assert result.returncode == 2
    assert "数据目录不存在" in result.stderr
    assert not (tmp_path / "absent").exists()


def test_headless_subcommands_need_no_display_libraries(tmp_path: Path) -> None:
    # No QT_QPA_PLATFORM and no DISPLAY: the core must not even try to load Qt.
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([str(EXE), "demo", "--data", str(tmp_path / "d")],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr


def test_chinese_renders_with_no_system_fonts_at_all(tmp_path: Path) -> None:
    # A fontconfig with no font folders: only the bundled font exists for Qt.
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                    f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    code = (
        "from PySide6.QtGui import QFontDatabase, QFontMetrics, QFont\n"
        "from ui.application import create_application\n"
        "app = create_application()\n"
        "f = app.font()\n"
        "m = QFontMetrics(f)\n"
        "print(f.family(), '|', all(m.inFontUcs4(ord(c)) for c in '现场执法检查终端'), '|',\n"
        "      sorted(QFontDatabase.families()))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FONTCONFIG_FILE": str(conf)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    family, covered, families = (s.strip() for s in result.stdout.split("|"))
    assert family == "WenQuanYi Micro Hei" and covered == "True"
    assert "WenQuanYi Micro Hei" in families


def test_a_scripted_sign_in_to_an_existing_folder_opens_the_page_and_a_wrong_pin_counts(tmp_path: Path) -> None:
    """With --officer and FIELDINSPECT_PIN the PIN's derivation starts before Qt loads
    (ui.arguments.open_ahead); the PIN is checked exactly as when it is typed."""
    folder = tmp_path / "data"
    made = subprocess.run([str(EXE), "demo", "--no-media", "--data", str(folder)], capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    wrong = _run("--data", str(folder), "--officer", "O01", "--exit-when-ready", env={"FIELDINSPECT_PIN": "583920"})
    assert wrong.returncode == 2 and "PIN 不正确" in wrong.stderr and "Traceback" not in wrong.stderr
    from app.custody import Custody

    gate = Custody.open(folder)
    try:
        assert gate.gate.attempts("O01").failures == 1  # counted as a typed wrong PIN is
    finally:
        gate.close()
    shot = tmp_path / "inspections.png"
    right = _run("--data", str(folder), "--officer", "O01", "--page", "inspections", "--screenshot", str(shot),
                 env={"FIELDINSPECT_PIN": "100101"})
    assert right.returncode == 0, right.stderr
    assert right.stdout.startswith("READY ") and shot.stat().st_size > 20_000
