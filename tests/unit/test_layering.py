"""The core must run without a display: app/, local_db/ and sync/ never import Qt or ui/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ("app", "local_db", "sync")
FORBIDDEN = ("PySide6", "shiboken6", "ui")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _core_files() -> list[Path]:
    files = [p for pkg in CORE for p in (ROOT / pkg).rglob("*.py")]
    assert files, "no core modules found"
    return files


def test_core_never_imports_qt_or_ui() -> None:
    leaks = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _core_files()
        for name in _imports(p)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert leaks == []


def test_local_db_uses_only_the_pure_domain_module_of_app() -> None:
    # local_db sits below app; the shared domain types are the one exception.
    leaks = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in (ROOT / "local_db").rglob("*.py")
        for name in _imports(p)
        if name.split(".")[0] == "app" and name != "app.domain"
    ]
    assert leaks == []


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in _core_files()
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_sits_above_the_core_and_sync() -> None:
    # cli/ is an interface like ui/: it may use app/, local_db/ and sync/, and nothing
    # below it imports it; app/ never reaches up into sync/ (sync builds on app).
    leaks = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in _core_files()
        for name in _imports(p)  # ast.walk: imports inside functions count too
        if name.split(".")[0] == "cli" or (p.relative_to(ROOT).parts[0] in ("app", "local_db")
                                             and name.split(".")[0] == "sync")
    ]
    assert leaks == []

