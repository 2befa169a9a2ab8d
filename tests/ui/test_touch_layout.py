"""Every page as a gloved finger meets it on a 1280×800 tablet, in Chinese and in English.

The walk signs in as an officer and as a team leader, opens every page (the on-site steps
and the demolition tabs too) and fails on any visible interactive widget with a hit area
under 44 px, any widget extending past the window, a scroll area inside another, a
horizontal scroll bar, and, in the Chinese interface, any internal rule code (``R6``) or
Latin word outside a short allow-list (IDs and units).

With ``FIELDINSPECT_SCREENSHOTS=folder`` set, each page is also saved there as a PNG
(``make screenshots`` writes docs/screenshots/ that way).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollBar,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

from app.demolition import specimen
from app.workspace import Workspace
from keys_kit import signed_in
from ui.application import install_translators
from ui.main_window import MainWindow
from ui.models.inspection_table import ROW_ROLE

MIN = 44  # px: the smallest target a gloved finger hits reliably
INDICATOR_MIN = 28  # px: a check or radio mark that can be seen and aimed at
SCREENSHOTS = os.environ.get("FIELDINSPECT_SCREENSHOTS")

RULE_CODE = re.compile(r"(?<![A-Za-z0-9])R\d+")
# A Latin word standing on its own (not part of an ID such as JC-2026-1101 or a credit code).
LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_\-./])[A-Za-z]{2,}(?![A-Za-z0-9_\-])")
ALLOWED_LATIN = {
    "PIN", "SHA", "QR", "PDF", "ID", "USB", "GB", "MB", "KB", "px", "mm", "cm", "km", "kg",
    "English",  # the language choice names itself
}
URL = re.compile(r"https?://\S+")


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible() and not widget.visibleRegion().isEmpty()


def _interactive(widget: QWidget) -> bool:
    if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
        return False  # the editor inside a date or combo box: the box is the target
    if isinstance(widget, (QScrollBar, QHeaderView)):
        return False  # scroll bars are styled wide; headers are not targets here
    if isinstance(widget, QAbstractButton) and widget.parent() is not None and isinstance(
            widget.parent(), QTabBar):
        return False  # the tab bar's scroll arrows: judged with the tabs
    return isinstance(widget, (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractSlider)) or (
        isinstance(widget, QTextEdit) and not widget.isReadOnly())


def _texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel):
        yield widget.text()
    if isinstance(widget, QAbstractButton):
        yield widget.text()
    if isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    if isinstance(widget, QTextEdit):
        yield widget.placeholderText()
        yield widget.toPlainText()
    if isinstance(widget, QGroupBox):
        yield widget.title()
    if isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    if isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(min(_rows(model), 30)):
            for col in range(_columns(model)):
                index = model.index(row, col, QModelIndex())
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        yield value
        for col in range(_columns(model)):
            value = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str):
                yield value
    yield widget.toolTip()


def _rows(model) -> int:  # noqa: ANN001 — list models take no parent, table models may hide it
    try:
        return model.rowCount()
    except TypeError:
        return model.rowCount(QModelIndex())


def _columns(model) -> int:  # noqa: ANN001
    try:
        return model.columnCount()
    except TypeError:
        try:
            return model.columnCount(QModelIndex())
        except TypeError:
            return 1


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text) if "<" in text else text


def page_problems(window: MainWindow, where: str, *, chinese: bool) -> list[str]:
    """What a finger, an eye and the window's edge find wrong on what is shown now."""
    QApplication.processEvents()
    problems: list[str] = []
    bounds = window.rect()
    for w in window.findChildren(QWidget):
        if not _visible(w, window) or w.window() is not window:
            continue
        name = f"{where}: {type(w).__name__} {w.objectName() or ''} «{_label_of(w)[:30]}»"
        rect = QRect(w.mapTo(window, w.rect().topLeft()), w.size())
        area = _scrolling_ancestor(w)
        if area is None and not bounds.contains(rect):
            problems.append(f"{name} extends past the window ({rect.getRect()})")
        elif area is not None and area.viewport().isAncestorOf(w) and not isinstance(
                w.parentWidget(), QAbstractItemView):
            # Content may run below a scroll area's viewport, never beyond its sides.
            port = area.viewport()
            left = w.mapTo(port, w.rect().topLeft()).x()
            if left < 0 or left + w.width() > port.width() + 1:
                problems.append(f"{name} runs past the side of its scroll area "
                                f"({left}+{w.width()} > {port.width()})")
        if _interactive(w):
            visible = w.visibleRegion().boundingRect()
            if w.width() < MIN or w.height() < MIN:
                problems.append(f"{name} is {w.width()}×{w.height()} px")
            elif visible.height() < MIN and visible.height() < w.height():
                pass  # scrolled partly out of view: a finger scrolls first
            if isinstance(w, (QCheckBox, QRadioButton)):
                option = QStyleOptionButton()
                option.initFrom(w)
                element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(w, QCheckBox)
                           else QStyle.SubElement.SE_RadioButtonIndicator)
                mark = w.style().subElementRect(element, option, w)
                if mark.width() < INDICATOR_MIN or mark.height() < INDICATOR_MIN:
                    problems.append(f"{name} has a {mark.width()}×{mark.height()} px indicator")
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                tab = w.tabRect(i)
                if tab.height() < MIN or tab.width() < MIN:
                    problems.append(f"{name} tab {w.tabText(i)!r} is {tab.width()}×{tab.height()} px")
        if isinstance(w, QAbstractItemView) and w.model() is not None and _rows(w.model()) > 0:
            first = w.visualRect(w.model().index(0, 0))
            if first.isValid() and first.height() < MIN:
                problems.append(f"{name} rows are {first.height()} px high")
        if isinstance(w, QAbstractScrollArea):
            parent = w.parentWidget()
            while parent is not None and parent is not window:
                if isinstance(parent, QAbstractScrollArea):
                    problems.append(f"{name} is a scroll area inside {type(parent).__name__}")
                    break
                parent = parent.parentWidget()
            bar = w.horizontalScrollBar()
            if bar.isVisible() and bar.maximum() > 0:
                problems.append(f"{name} scrolls sideways ({bar.maximum()} px)")
        if chinese:
            for text in _texts(w):
                text = _plain(text or "")
                if RULE_CODE.search(text):
                    problems.append(f"{name} shows a rule code: {text[:80]!r}")
                latin = {m.group(0) for m in LATIN_WORD.finditer(URL.sub(" ", text))} - ALLOWED_LATIN
                if latin:
                    problems.append(f"{name} shows Latin words {sorted(latin)}: {text[:80]!r}")
    return problems


def _label_of(w: QWidget) -> str:
    for getter in ("text", "title", "placeholderText"):
        f = getattr(w, getter, None)
        if callable(f):
            try:
                value = f()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                return value
    return ""


def _scrolling_ancestor(w: QWidget) -> QAbstractScrollArea | None:
    """The scroll area whose content ``w`` is (its viewport clips it), if any."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is not w:
            return parent
        parent = parent.parentWidget()
    return None


def _shoot(window: MainWindow, name: str) -> None:
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        window.grab().save(str(folder / f"{name}.png"))


def walk(window: MainWindow, ws: Workspace, person: str, language: str) -> list[str]:
    """Open every page and step ``person`` can reach; the problems found on each."""
    chinese = language == "zh"
    suffix = "" if chinese else "-en"
    found: list[str] = []

    def look(where: str) -> None:
        found.extend(page_problems(window, f"{person}/{language}/{where}", chinese=chinese))
        if person in ("O01",) or where in ("review", "today"):
            _shoot(window, f"{where}{suffix}" if person == "O01" else f"{where}-leader{suffix}")

    window.switch_user()
    if person == "O01":
        look("sign-in")
        window.sign_in_page.choose(ws.officers.get(person))
        look("sign-in-pin")
    window.sign_in(signed_in(ws, person))
    look("today")
    window.show_page("inspections")
    window.inspections_page.select_task("JC-2026-1101")
    look("inspections")
    for key in ("evidence", "review", "sync", "settings"):
        window.show_page(key)
        look(key)
    window.show_page("demolition")
    page = window.demolition_page
    page.select_case(specimen.READY_CASE)
    for tab, key in zip(page.tab_list, ("preconditions", "operation", "inventory", "custody", "documents"),
                        strict=True):
        page.show_tab(tab)
        look(f"demolition-{key}")
    if person == "O01":
        window.show_page("inspections")
        window.inspections_page.select_task("JC-2026-1101")
        if window.ws.inspections.get("JC-2026-1101").status.value == "planned":
            assert window.start_inspection("JC-2026-1101")
        else:
            window.open_record("JC-2026-1101")
        onsite = window.onsite_page
        for key, _ in onsite.steps:
            onsite.show_step(key)
            look(f"onsite-{key}")
    return found


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_page_fits_the_tablet_and_the_finger(app, qtbot, demo_workspace: Workspace, language: str) -> None:
    translators = install_translators(app, language) if language == "en" else []
    try:
        window = MainWindow(demo_workspace, language)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        assert (window.width(), window.height()) == (1280, 800)
        problems = walk(window, demo_workspace, "O01", language) + walk(window, demo_workspace, "L01", language)
    finally:
        for t in translators:
            app.removeTranslator(t)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))


def test_the_pin_is_entered_on_the_keypad_and_a_lock_counts_down(app, qtbot, demo_workspace: Workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    page = window.sign_in_page
    panel = page.pin_panel
    page.choose(demo_workspace.officers.get("O01"))
    for key in "10010":
        qtbot.mouseClick(panel.keypad.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.keypad.keys["back"], Qt.MouseButton.LeftButton)
    for key in "01":
        qtbot.mouseClick(panel.keypad.keys[key], Qt.MouseButton.LeftButton)
    assert panel.pin.text() == "100101"  # O01's demo PIN, typed with the finger
    assert all(k.width() >= MIN and k.height() >= MIN for k in panel.keypad.keys.values())
    qtbot.mouseClick(panel.ok_button, Qt.MouseButton.LeftButton)
    assert window.officer is not None and window.officer.id == "O01"

    window.switch_user()
    page.choose(demo_workspace.officers.get("O02"))
    for _ in range(4):  # after three wrong PINs, each further one locks the sign-in for a while
        if panel.locked():
            break
        panel.pin.setText("999999")
        page.submit()
    assert panel.locked() and "秒后重试" in panel.message.text()
    assert not panel.ok_button.isEnabled() and not panel.keypad.isEnabled()
    first = panel.message.text()
    waits = iter([12.0, 11.0, 0.0])
    panel.lock_left = lambda: next(waits)
    panel._tick()
    assert "12" in panel.message.text() and first != panel.message.text()
    panel._tick()
    assert "11" in panel.message.text()
    panel._tick()  # the wait is over: the PIN may be tried again
    assert not panel.locked() and panel.ok_button.isEnabled() and panel.keypad.isEnabled()


def test_work_starts_from_today_and_no_closed_task_is_preselected(app, qtbot, demo_workspace: Workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(signed_in(demo_workspace, "O01"))
    listed = window.inspections_page
    selected = listed.table.selectionModel().selectedRows()
    assert selected and selected[0].data(ROW_ROLE).status.value in ("planned", "in_progress")

    cards = window.today_page.cards
    qtbot.mouseClick(cards[1], Qt.MouseButton.LeftButton)  # tapping the card opens its task
    assert window.current_page() == "inspections" and listed.detail._id == cards[1].row.id

    window.show_page("today")
    QApplication.processEvents()
    card = window.today_page.cards[0]
    assert card.row.id == "JC-2026-1101" and card.start_button.isVisible()
    assert card.start_button.height() >= MIN and card.open_button.height() >= MIN
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "onsite" and window.onsite_page.inspection_id == "JC-2026-1101"
    window.show_page("today")
    QApplication.processEvents()
    card = window.today_page.cards[0]
    assert card.start_button.text() == "继续检查"
    qtbot.mouseClick(card.start_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "onsite"


def test_the_language_switches_live_on_the_page_in_use(app, qtbot, demo_workspace: Workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(signed_in(demo_workspace, "O01"))
    window.show_page("inspections")
    window.inspections_page.select_task("JC-2026-1102")
    window.show_page("settings")
    window.settings_page.language_chosen.emit("en")
    assert demo_workspace.settings.get("language") == "en"
    assert window.nav.item(0).text() == "Today" and window.switch_button.text() == "Switch user"
    assert window.current_page() == "settings" and window.officer.id == "O01"
    window.show_page("inspections")
    assert window.inspections_page.detail.start_button.text() == "Start inspection"
    assert window.today_page.cards and "Today" in window.today_page.title.text()
    window.settings_page.language_chosen.emit("zh")
    assert window.nav.item(0).text() == "今日" and window.current_page() == "inspections"
    assert window.start_inspection("JC-2026-1101") and window.current_page() == "onsite"
    window.settings_page.language_chosen.emit("en")  # from the on-site record: it stays open
    assert window.current_page() == "onsite" and window.onsite_page.inspection_id == "JC-2026-1101"
    assert window.onsite_page.step_list.item(0).text() == "1 Opening"
