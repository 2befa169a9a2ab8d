"""The application starts to an interactive main window, offscreen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from keys_kit import as_
from app import paths
from app.workspace import Workspace
from ui.application import register_font
from ui.main_window import MainWindow


def _window(qtbot, ws: Workspace, language: str = "zh") -> MainWindow:
    window = MainWindow(ws, language)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_bundled_font_is_registered_and_has_chinese_glyphs(app) -> None:
    family = register_font()
    assert family == paths.FONT_FAMILY
    assert family in QFontDatabase.families()
    assert QApplication.font().family() == family
    metrics = QFontMetrics(QFont(family))  # the font itself, not a fallback
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "现场执法检查终端执法证已吊销")


def test_sign_in_then_today_then_inspections(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    assert window.body.currentIndex() == 0
    cards = window.sign_in_page.cards
    assert [c.officer.id for c in cards] == ["O01", "O02", "O03", "O04", "O05", "L01", "A01", "M01"]
    qtbot.mouseClick(cards[0], Qt.MouseButton.LeftButton)
    assert window.officer is None  # the PIN first
    qtbot.keyClicks(window.sign_in_page.pin_panel.pin, "100101")  # O01's demo PIN
    qtbot.mouseClick(window.sign_in_page.pin_panel.ok_button, Qt.MouseButton.LeftButton)
    assert window.officer.id == "O01" and window.body.currentIndex() == 1
    assert window.current_page() == "today"
    assert [c.row.id for c in window.today_page.cards] == ["JC-2026-1101", "JC-2026-1102", "JC-2026-1103"]

    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.nav.visualItemRect(window.nav.item(1)).center())
    assert window.current_page() == "inspections"
    page = window.inspections_page
    assert page.proxy.rowCount() == 12
    page.search.setText("黑名单")  # Chinese arrives through the input method, not key clicks
    assert page.proxy.rowCount() == 2
    page.search.clear()
    qtbot.keyClicks(page.search, "JC-2026-110")
    assert page.proxy.rowCount() == 8
    page.search.setText("黑名单")
    assert page.proxy.rowCount() == 2
    assert "2" in page.count.text()
    page.table.selectRow(0)
    assert page.detail._fields["subject"].text() in {"清河美佳装饰工程有限公司", "清河城建房地产开发有限公司"}

    # sign-in and sign-out leave a trace in the audit log
    qtbot.mouseClick(window.switch_button, Qt.MouseButton.LeftButton)
    assert window.officer is None and window.body.currentIndex() == 0
    actions = [e.action for e in demo_workspace.audit.repo.entries()]
    assert actions[-2:] == ["session.sign_in", "session.sign_out"]


def test_window_fits_a_1280x800_tablet_with_touch_sized_targets(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    assert window.width() <= 1280 and window.height() <= 800
    window.sign_in(as_(demo_workspace, "O02"))
    for card in window.sign_in_page.cards:
        assert card.height() >= 44
    assert window.switch_button.height() >= 44
    assert window.nav.visualItemRect(window.nav.item(0)).height() >= 44
    assert window.inspections_page.table.verticalHeader().defaultSectionSize() >= 44


def test_english_interface(english, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace, "en")
    window.sign_in(as_(demo_workspace, "O01"))
    assert [window.nav.item(i).text() for i in range(3)] == ["Today", "Inspections", "Evidence"]
    header = window.inspections_page.model.headerData(1, Qt.Orientation.Horizontal)
    assert header == "Subject"
    assert window.switch_button.text() == "Switch user"


def test_chinese_text_does_not_fall_back_to_boxes(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    metrics = QFontMetrics(window.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in window.windowTitle())


def test_language_choice_is_saved(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    window.settings_page.language_chosen.emit("en")
    assert demo_workspace.settings.get("language") == "en"


def test_gate_panel_shows_why_a_task_may_not_start(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    window.sign_in(as_(demo_workspace, "O03"))
    page = window.inspections_page
    page.search.setText("JC-2026-1104")  # plan P2026-02 not filed (R4), O04's certificate expired (R1)
    page.table.selectRow(0)
    panel = page.detail.gates
    assert panel.verdict.text().startswith("不得开始检查")
    texts = panel.lines
    assert any("备案" in t for t in texts) and any("第四十二条" in t for t in texts)
    assert not any("R4" in t or "R1" in t for t in texts)  # the law is cited, not internal codes
    assert all("依据" in t for t in texts)  # every message cites its legal source
    page.search.setText("JC-2026-1101")
    page.table.selectRow(0)
    assert panel.verdict.text() == "可以依法开始检查"
    page.search.setText("JC-2026-1020")  # closed
    page.table.selectRow(0)
    assert "已办结" in panel.verdict.text() and panel.lines == []


def test_gate_icons_exist_in_the_bundled_font(app) -> None:
    from ui.pages import gate_panel

    metrics = QFontMetrics(QFont(paths.FONT_FAMILY))
    assert all(metrics.inFontUcs4(ord(icon)) for icon, _, _ in gate_panel._STYLE.values())


def test_the_signed_in_person_changes_their_pin_in_settings(app, qtbot, demo_workspace) -> None:
    from app import access

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.sign_in(as_(demo_workspace, "O01"))
    window.show_page("settings")
    page = window.settings_page
    page.current_pin.setText("100101")
    page.new_pin.setText("472913")
    page.confirm_pin.setText("472914")
    qtbot.mouseClick(page.change_pin, Qt.MouseButton.LeftButton)
    assert "不一致" in page.pin_message.text() or "match" in page.pin_message.text()
    assert page.current_pin.text() == ""  # never left on screen
    page.current_pin.setText("100101")
    page.new_pin.setText("472913")
    page.confirm_pin.setText("472913")
    qtbot.mouseClick(page.change_pin, Qt.MouseButton.LeftButton)
    assert "已修改" in page.pin_message.text()
    assert access.sign_in(demo_workspace, "O01", "472913").id == "O01"


def test_R1_the_expired_officer_is_told_at_sign_in_and_on_today_that_he_may_not_act(app, demo_workspace) -> None:
    window = MainWindow(demo_workspace)
    expired = demo_workspace.officers.get("O04")
    window.sign_in_page.choose(expired)
    assert "换发新证之前" in window.sign_in_page.pin_panel.hint.text()
    window.sign_in(as_(demo_workspace, "O04"))
    window.show_page("today")
    assert window.today_page.notice.isVisibleTo(window.today_page) and "刘洋" in window.today_page.notice.text()
    if os.environ.get("FIELDINSPECT_SCREENSHOTS"):  # docs/screenshots/today-expired.png
        window.resize(1280, 800)
        window.show()
        window.grab().save(str(Path(os.environ["FIELDINSPECT_SCREENSHOTS"]) / "today-expired.png"))
    window.switch_user()
    window.sign_in(as_(demo_workspace, "O01"))
    assert not window.today_page.notice.isVisibleTo(window.today_page)
