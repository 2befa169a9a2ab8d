"""The window opens without the pages nobody has asked for, or the modules behind them
(PDF rendering, video, the sync client): those load when their page is first shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from keys_kit import as_
from ui.main_window import AUTO_SYNC_SETTING, PAGE_KEYS, MainWindow

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "cv2", "numpy", "sync.upload", "ui.pages.evidence", "ui.pages.demolition",
         "ui.pages.sync", "ui.pages.onsite", "ui.pages.review")


def test_a_fresh_window_loads_none_of_the_heavy_modules(tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "cli", "demo", "--no-media", "--data", str(data)],
                   cwd=ROOT, check=True, capture_output=True)
    code = f"""
import sys
from pathlib import Path
from app import unlock
from ui.application import create_application
from ui.main_window import MainWindow
app = create_application()
window = MainWindow(unlock.unlock(Path({str(data)!r}), "O01", "100101"))
window.show()
app.processEvents()
print(" ".join(m for m in {HEAVY!r} if m in sys.modules))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    assert out.split() == []


def test_pages_are_built_when_first_shown_and_keep_their_place(app, qtbot, demo_workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    officer = next(o for o in demo_workspace.officers.all() if o.id == "O01")
    window.sign_in(as_(demo_workspace, officer.id))
    assert not window.is_built("evidence")
    window.show_page("evidence")
    assert window.is_built("evidence") and window.pages.currentWidget() is window.evidence_page
    assert window.pages.indexOf(window.evidence_page) == PAGE_KEYS.index("evidence")
    for key in PAGE_KEYS:
        window.show_page(key)
        assert window.current_page() == key and window.pages.currentWidget() is window.page(key)
    assert window.pages.count() == len(PAGE_KEYS) + 1  # the on-site record's place is kept too


def test_the_window_reads_the_sync_client_s_own_setting_name() -> None:
    from sync import client

    assert AUTO_SYNC_SETTING == client.AUTO_SYNC_SETTING


def test_a_cold_start_builds_the_first_pages_while_the_pin_is_derived(app, qtbot, tmp_path: Path) -> None:
    """The pages the first sign-in shows (Today, Inspections, Settings) need no data to be
    built: they are made while the PIN's key is derived, and the window is put together
    from those very widgets."""
    from app import demo, unlock
    from keys_kit import DEMO_PINS, create_workspace
    from ui.application import ColdStart

    ws = create_workspace(tmp_path / "d")
    demo.seed(ws)
    ws.close()
    cold = ColdStart(unlock.open_custody(tmp_path / "d"), "zh")
    cold.headless = True
    made: dict = {}
    cold.page.deriving.connect(lambda: made.update(cold.prebuilt or {}))  # after cold.prebuild ran
    cold.page.choose(next(o for o in cold.custody.people() if o.id == "O01"))
    cold.page.pin_panel.pin.setText(DEMO_PINS["O01"])
    assert cold.page.submit()
    window = cold.window
    qtbot.addWidget(window)
    assert sorted(made) == ["inspections", "settings", "today"]
    assert window.inspections_page is made["inspections"] and window.today_page is made["today"]
    assert window.settings_page is made["settings"] and cold.prebuilt is None
    assert window.officer.id == "O01" and window.current_page() == "today"
    assert window.inspections_page.model.rowCount() > 0  # filled from the folder once it was open
    window.switch_user()  # the window's own sign-in page is filled when first shown
    assert window.sign_in_page.cards and window.officer is None
    window.ws.close()
