"""The audit tab reads as sentences in Chinese and English, refusals can be filtered, and the
raw entry is in the detail view. ``FIELDINSPECT_SCREENSHOTS=DIR`` also saves the tab as
audit.png, audit-refusals.png and audit-en.png (docs/screenshots/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import access
from app.domain import CheckResultValue
from app.onsite.service import OnsiteService
from keys_kit import as_
from ui.application import install_translators
from ui.main_window import MainWindow
from ui.models.review_queue import REFUSALS

RAW = re.compile(r"\b[a-z_]+\.[a-z_]+\b|\w+=\[|\['")  # session.sign_in, items=['…']


def _acts(ws) -> None:
    onsite = OnsiteService(ws)
    for attempt in (lambda: onsite.begin("JC-2026-1101", actor=as_(ws, "A01")),
                    lambda: onsite.begin("JC-2026-1104", actor=as_(ws, "O04")),
                    lambda: access.issue_pin(ws, "O03", "583920", "583920", by=as_(ws, "L01"))):
        with pytest.raises(access.RoleRefused):
            attempt()
    onsite.begin("JC-2026-1101", actor=as_(ws, "O01"))
    for officer in ("O01", "O02"):
        onsite.show_certificate("JC-2026-1101", officer, actor=as_(ws, "O01"))
    onsite.ask_recusal("JC-2026-1101", requested=False, actor=as_(ws, "O01"))
    onsite.record_result("JC-2026-1101", "SR-001", result=CheckResultValue.COMPLIANT, actor=as_(ws, "O01"))
    access.issue_pin(ws, "O03", "583920", "583920", by=as_(ws, "M01"))


def _shown(page) -> list[str]:
    model = page.audit_model
    return [str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())]


@pytest.fixture
def translated(app, request):  # noqa: ANN001, ANN201
    """The application in the test's ``language`` (Chinese needs no translator)."""
    language = request.getfixturevalue("language")
    translators = install_translators(app, language) if language == "en" else []
    yield language
    for t in translators:
        app.removeTranslator(t)


def _window(qtbot, ws, language: str, size: tuple[int, int]) -> MainWindow:  # noqa: ANN001
    _acts(ws)
    window = MainWindow(ws, language)
    qtbot.addWidget(window)
    window.resize(*size)
    return window


def _audit_tab(window: MainWindow, session):  # noqa: ANN001, ANN202
    """The Review page's audit tab, on screen, for ``session``'s person."""
    window.sign_in(session)
    window.show_page("review")
    window.show()
    window.review_page.tabs.setCurrentIndex(1)
    return window.review_page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_audit_tab_shows_sentences_and_filters_refusals(translated, qtbot, demo_workspace, language: str) -> None:
    window = _window(qtbot, demo_workspace, language, (1280, 800))
    page = _audit_tab(window, as_(demo_workspace, "L01"))
    qtbot.waitUntil(lambda: page.audit_model.rowCount() > 0, timeout=5000)
    cells = _shown(page)
    assert not [c for c in cells if RAW.search(c)], [c for c in cells if RAW.search(c)][:3]
    started = "张伟 开始检查 JC-2026-1101（检查事项 " if language == "zh" else "张伟 started inspection JC-2026-1101"
    assert any(c.startswith(started) for c in cells)
    combos = [page.action_filter.itemText(i) for i in range(page.action_filter.count())]
    assert not [t for t in combos if RAW.search(t)]
    shots = os.environ.get("FIELDINSPECT_SCREENSHOTS")
    suffix = "" if language == "zh" else "-en"
    if shots:
        window.grab().save(str(Path(shots) / f"audit{suffix}.png"))
    page.audit_table.selectRow(0)
    assert "action: session.pin_set" in page.audit_detail.toPlainText()  # the raw form, on request
    page.action_filter.setCurrentIndex(page.action_filter.findData(REFUSALS))
    rows = page.audit_model.rowCount()
    assert rows == 3 and all(("被拒绝" if language == "zh" else "refused") in page.audit_model.sentence_at(r)
                             for r in range(rows))
    page.audit_table.clearSelection()
    page.audit_detail.clear()
    if shots:
        window.grab().save(str(Path(shots) / f"audit-refusals{suffix}.png"))
    assert page.audit_model.data(page.audit_model.index(0, 3), Qt.ItemDataRole.ToolTipRole).count("action: refused")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_audit_filters_show_their_longest_item_whole_at_1280_by_800(translated, qtbot, demo_workspace,
                                                                         language: str) -> None:
    window = _window(qtbot, demo_workspace, language, (1280, 800))
    # an officer sees the tab first, empty (not his to read), then the team leader signs in:
    # the filters are filled after they were first shown
    _audit_tab(window, as_(demo_workspace, "O01"))
    qtbot.wait(20)
    window.switch_user()
    page = _audit_tab(window, as_(demo_workspace, "L01"))
    qtbot.waitUntil(lambda: page.audit_model.rowCount() > 0, timeout=5000)
    qtbot.wait(50)  # the layout settles
    refusals = page.action_filter.itemText(page.action_filter.findData(REFUSALS))
    assert refusals == ("仅被拒绝的操作" if language == "zh" else "Refused acts only")
    for combo in (page.actor_filter, page.action_filter):
        metrics = combo.fontMetrics()
        longest = max(metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count()))
        # the text, the drop-down arrow and the frame fit in the box as laid out
        assert combo.width() >= longest + 24, (combo.width(), longest)
        assert combo.width() >= combo.sizeHint().width() and combo.height() >= 44
    target = page.target_filter
    assert target.geometry().right() <= target.parentWidget().width()  # nothing pushed off the tab
    shots = os.environ.get("FIELDINSPECT_SCREENSHOTS")
    if shots:
        page.action_filter.setCurrentIndex(page.action_filter.findData(REFUSALS))
        window.grab().save(str(Path(shots) / f"audit-filters{'' if language == 'zh' else '-en'}.png"))
