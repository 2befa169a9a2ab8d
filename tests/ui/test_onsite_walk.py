"""One inspection from task to closed through the window, offscreen: R2, R3, R9, R10, R13 on screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from keys_kit import as_
from app.domain import CheckResultValue, InspectionStatus, SignerRole
from ui.main_window import MainWindow
from ui.widgets.signature_pad import SignaturePad

TASK = "JC-2026-1101"


def draw(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    """A stroke as a pen would make it: press, moves with the button held, release."""
    def send(kind: QEvent.Type, x: int, y: int, buttons: Qt.MouseButton) -> None:
        pos = QPointF(x, y)
        event = QMouseEvent(kind, pos, pad.mapToGlobal(pos), Qt.MouseButton.LeftButton, buttons,
                            Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(pad, event)
    send(QEvent.Type.MouseButtonPress, *points[0], Qt.MouseButton.LeftButton)
    for x, y in points[1:]:
        send(QEvent.Type.MouseMove, x, y, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, *points[-1], Qt.MouseButton.NoButton)


def signature(pad: SignaturePad, n: int) -> None:
    draw(pad, [(20 + 10 * n, 90), (60, 40 + n), (110, 100), (170, 50), (230, 95), (300, 60 + n)])


def test_walk_one_inspection_from_task_to_closed_with_signatures(app, qtbot, demo_workspace) -> None:
    ws = demo_workspace
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(as_(ws, "O01"))
    window.show_page("inspections")
    assert window.inspections_page.select_task(TASK)
    detail = window.inspections_page.detail
    assert detail.start_button.isVisible()
    qtbot.mouseClick(detail.start_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "onsite"
    page = window.onsite_page

    # R2 and R3 come first: a result before them is refused on screen.
    checklist = page.checklist
    page.show_step("checklist")
    checklist.result_buttons[CheckResultValue.COMPLIANT].setChecked(True)
    qtbot.mouseClick(checklist.save, Qt.MouseButton.LeftButton)
    assert checklist.error.isVisible() and "出示执法证件" in checklist.error.text() and "第五十五条" in checklist.error.text()

    page.show_step("opening")
    opening = page.opening
    for officer_id in ("O01", "O02"):
        qtbot.mouseClick(opening.cert_buttons[officer_id], Qt.MouseButton.LeftButton)
    assert not opening.cert_buttons["O02"].isEnabled()  # shown, with number and time
    opening.no_recusal.setChecked(True)
    qtbot.mouseClick(opening.save_recusal, Qt.MouseButton.LeftButton)
    opening.party_name.setText("陈晓")
    opening.party_role.setText("负责人")
    opening.party_id.setText("330106198805051234")
    qtbot.mouseClick(opening.save_party, Qt.MouseButton.LeftButton)
    assert not opening.error.isVisible()

    page.show_step("checklist")
    for row in range(checklist.model.rowCount()):
        checklist.select_row(row)
        code = checklist.current().item_code
        if code == "DQ-001":
            checklist.result_buttons[CheckResultValue.NON_COMPLIANT].setChecked(True)
            checklist.finding.setPlainText("后厨油烟净化设施未开启，排烟口可见明显油烟，" * 3)
            checklist.advice.setText("立即开启油烟净化设施，每月清洗并留存记录")
        else:
            checklist.result_buttons[CheckResultValue.COMPLIANT].setChecked(True)
        qtbot.mouseClick(checklist.save, Qt.MouseButton.LeftButton)
        assert not checklist.error.isVisible(), checklist.error.text()
    counts = checklist.model.counts()
    assert counts[CheckResultValue.NON_COMPLIANT] == 1 and counts[CheckResultValue.NOT_CHECKED] == 0

    page.show_step("outcome")
    outcome = page.outcome
    assert outcome.order_items.text() == "DQ-001"
    qtbot.mouseClick(outcome.issue, Qt.MouseButton.LeftButton)
    assert "复查任务 JC-2026-1101-FC" in outcome.order_state.text()
    qtbot.mouseClick(outcome.card_button, Qt.MouseButton.LeftButton)
    assert "陈晓" in outcome.card_state.text()

    page.show_step("close")
    assert not page.closing.close_button.isEnabled()  # R9: nobody has signed yet
    assert any("签名" in line and "第五十五条" in line for line in page.closing.findings.lines)

    page.show_step("signatures")
    sign = page.signatures
    qtbot.mouseClick(sign.save, Qt.MouseButton.LeftButton)  # an empty pad is not a signature
    assert sign.error.isVisible()
    assert [sign.officer.itemData(i) for i in range(sign.officer.count())] == ["O01"]  # only himself
    for n, officer_id in enumerate(("O01", "O02")):
        if officer_id == "O02":  # the second officer signs in himself to sign
            window.sign_in(as_(ws, "O02"))
            window.open_record(TASK)
            page.show_step("signatures")
        sign.role.setCurrentIndex(sign.role.findData(SignerRole.OFFICER))
        sign.officer.setCurrentIndex(sign.officer.findData(officer_id))
        signature(sign.pad, n)
        qtbot.mouseClick(sign.save, Qt.MouseButton.LeftButton)
        assert not sign.error.isVisible(), sign.error.text()
    sign.role.setCurrentIndex(sign.role.findData(SignerRole.PARTY))
    assert sign.name.text() == "陈晓"
    signature(sign.pad, 3)
    qtbot.mouseClick(sign.save, Qt.MouseButton.LeftButton)
    assert sign.signed.count() == 3

    page.show_step("close")
    assert page.closing.close_button.isEnabled()
    qtbot.mouseClick(page.closing.close_button, Qt.MouseButton.LeftButton)

    assert ws.inspections.get(TASK).status is InspectionStatus.CLOSED
    record = window.onsite.record(TASK)
    assert [s.role for s in record.signatures] == [SignerRole.OFFICER, SignerRole.OFFICER, SignerRole.PARTY]
    assert all(s.image_png.startswith(b"\x89PNG") for s in record.signatures)
    assert ws.inspections.get(f"{TASK}-FC").status is InspectionStatus.PLANNED
    assert not page.checklist.isEnabled()  # the record is locked

    # The final record, rendered on a worker and previewed in place (QtPdf).
    page.show_step("documents")
    docs = page.documents
    docs.kinds.setCurrentRow([docs.kinds.item(n).text() for n in range(docs.kinds.count())].index("现场检查笔录"))
    qtbot.mouseClick(docs.generate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: docs.shown is not None and docs.pdf.pageCount() >= 1, timeout=20000)
    assert docs.shown.name == f"{TASK}_现场检查笔录.pdf" and "草稿" not in docs.state.text()
    # Generating again once the first job is done renders anew (the finished job is no obstacle).
    first = docs.job
    qtbot.waitUntil(lambda: docs.generate.isEnabled(), timeout=20000)
    qtbot.mouseClick(docs.generate, Qt.MouseButton.LeftButton)
    assert docs.job is not first
    qtbot.waitUntil(lambda: docs.job.is_done and docs.generate.isEnabled(), timeout=20000)

    window.show_page("inspections")
    assert window.current_page() == "inspections"


def test_signature_pad_keeps_strokes_as_a_png_of_fixed_size(app, qtbot) -> None:
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 160)
    pad.show()
    assert pad.is_empty() and pad.to_png() == b""
    signature(pad, 0)
    assert not pad.is_empty() and pad.stroke_count() == 1
    image = pad.to_image()
    assert (image.width(), image.height()) == (600, 200)
    dark = sum(1 for x in range(0, 600, 3) for y in range(0, 200, 3) if image.pixelColor(x, y).lightness() < 100)
    assert dark > 20  # the stroke is in the image, not just a white page
    assert pad.to_png().startswith(b"\x89PNG")
    pad.clear()
    assert pad.is_empty()


def test_merge_button_folds_the_subjects_other_task_into_the_selected_one(app, qtbot, demo_workspace) -> None:
    ws = demo_workspace
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(as_(ws, "O03"))
    window.show_page("inspections")
    assert window.inspections_page.select_task("JC-2026-1108")
    detail = window.inspections_page.detail
    assert detail.merge_button.isVisible() and "1" in detail.merge_button.text()
    qtbot.mouseClick(detail.merge_button, Qt.MouseButton.LeftButton)
    assert ws.inspections.get("JC-2026-1106").merged_into == "JC-2026-1108"
    assert window.inspections_page.select_task("JC-2026-1106")
    assert "JC-2026-1108" in detail.gates.verdict.text()

