"""A forced demolition through the window, offscreen: preconditions (R20–R22), the operation
with a pause (R25), witness and 50 items (R24), recordings (R16), custody, a partial handover
with the recipient's signature and its receipt (R24, R26)."""

from __future__ import annotations

from keys_kit import as_
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from app import demo
from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.documents import DemolitionDocument
from app.workspace import Workspace
from demolition_flow import MovingClock, link_video
from ui.main_window import MainWindow
from ui.models.demolition_inventory import ITEM_ROLE, InventoryModel
from ui.widgets.signature_pad import SignaturePad
from keys_kit import open_workspace

CASE = specimen.READY_CASE


def sign(pad: SignaturePad, n: int = 0) -> None:
    points = [(20 + 10 * n, 60), (60, 20 + n), (110, 70), (170, 30), (230, 65)]

    def send(kind: QEvent.Type, x: int, y: int, buttons: Qt.MouseButton) -> None:
        pos = QPointF(x, y)
        QApplication.sendEvent(pad, QMouseEvent(kind, pos, pad.mapToGlobal(pos), Qt.MouseButton.LeftButton, buttons,
                                                Qt.KeyboardModifier.NoModifier))
    send(QEvent.Type.MouseButtonPress, *points[0], Qt.MouseButton.LeftButton)
    for x, y in points[1:]:
        send(QEvent.Type.MouseMove, x, y, Qt.MouseButton.LeftButton)
    send(QEvent.Type.MouseButtonRelease, *points[-1], Qt.MouseButton.NoButton)


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ))


@pytest.fixture
def ws(data_folder: Path, clock: MovingClock):
    workspace = open_workspace(data_folder, clock=clock)
    assert demo.seed(workspace)
    yield workspace
    workspace.close()


def click(qtbot, button) -> None:  # noqa: ANN001
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_R20_R26_an_operation_with_50_items_from_preconditions_to_the_signed_handover_receipt(
        app, qtbot, ws: Workspace, clock: MovingClock) -> None:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.sign_in(as_(ws, "O01"))
    window.show_page("demolition")
    page = window.demolition_page
    assert window.nav.currentItem().text() == "强制拆除"

    # The blocked case shows why, with its sources; the start refuses.
    page.select_case(specimen.BLOCKED_CASE)
    pre = page.preconditions
    assert "不得开始" in pre.gates.verdict.text()
    assert any("行政诉讼法" in line for line in pre.gates.lines)
    assert any("应急预案" in line for line in pre.gates.lines)
    assert not any("R2" in line for line in pre.gates.lines)  # no internal rule codes on screen
    click(qtbot, pre.start)
    assert pre.error.isVisible() and "行政强制法》第四十四条" in pre.error.text()

    # The ready case starts at 09:00 on Monday.
    page.select_case(CASE)
    clock.at(2026, 11, 23, 9, 0)
    page.reload()
    assert "可以依法开始" in pre.gates.verdict.text()
    click(qtbot, pre.start)
    assert ws.db.execute("SELECT status FROM demolition_cases WHERE id = ?", [CASE]).fetchone()[0] == "in_progress"

    op = page.operation
    # R24: counting before the party's presence and a witness is refused on screen.
    page.show_tab(page.inventory)
    inv = page.inventory
    inv.name.setText("冰箱")
    click(qtbot, inv.add)
    assert inv.error.isVisible() and "违法建筑处置规定" in inv.error.text()

    page.show_tab(op)
    op.absent.setChecked(True)
    click(qtbot, op.save_party)
    op.w_name.setText("周明")
    op.w_id.setText("330106198001011234")
    sign(op.w_pad)
    click(qtbot, op.save_witness)
    assert not op.error.isVisible(), op.error.text()
    assert "周明" in op.witnesses.text()

    page.show_tab(inv)
    inv.storage.setText("西城区暂扣物品仓库 A 区")
    model: InventoryModel = inv.model
    changes = {"inserted": 0, "reset": 0}
    for n in range(1, 51):
        if n == 46:  # the last five: each adds its row, none reloads the whole list
            model.rowsInserted.connect(lambda *_: changes.__setitem__("inserted", changes["inserted"] + 1))
            model.modelReset.connect(lambda: changes.__setitem__("reset", changes["reset"] + 1))
        inv.attach_photo(specimen.sample_photo(n, (320, 240)))
        qtbot.waitUntil(lambda: len(inv.photos) == 1 and inv.add.isEnabled(), timeout=10_000)  # the photo worker re-enables it last
        inv.name.setText(f"餐椅{n}")
        inv.quantity.setText(str(n % 4 + 1))
        click(qtbot, inv.add)
        assert not inv.error.isVisible(), inv.error.text()
    assert model.rowCount() == 50
    assert model.index(49, 6).data() == "QC7-B050"  # the label number proposed item by item
    assert changes == {"inserted": 5, "reset": 0}  # the fiftieth goes in as quickly as the first

    # An edit after counting: a new version with its reason.
    inv.table.selectRow(1)
    inv._fill(1)
    inv.quantity.setText("7")
    click(qtbot, inv.save_edit)
    assert inv.error.isVisible() and "违法建筑处置规定" in inv.error.text()  # the reason is required
    inv.edit_reason.setText("复点数量有误")
    click(qtbot, inv.save_edit)
    edited = model.index(1, 0).data(ITEM_ROLE)
    assert (edited.version, str(edited.quantity)) == (2, "7")

    # R25: a pause with its reason and the resume.
    page.show_tab(op)
    clock.at(2026, 11, 23, 9, 40)
    op.reason.setText("当事人亲属情绪激动")
    click(qtbot, op.pause)
    clock.at(2026, 11, 23, 9, 50)
    click(qtbot, op.resume)
    # R16: the end needs recordings over the whole operation.
    clock.at(2026, 11, 23, 10, 30)
    click(qtbot, op.end)
    assert op.error.isVisible() and "118号" in op.error.text()
    link_video(page.service, CASE, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 5600)
    page.reload()
    click(qtbot, op.end)
    assert not op.error.isVisible(), op.error.text()
    case = page.service.case(CASE)
    assert case.status == "ended" and case.inventory_sha256

    # Custody, notice, and a partial handover signed by the recipient.
    custody = page.custody
    page.show_tab(custody)
    custody.check()
    custody.storage.setText("西城区暂扣物品仓库 A 区")
    click(qtbot, custody.store)
    custody.notice_no.setText("西综执领通〔2026〕7号")
    click(qtbot, custody.notify)
    assert not custody.error.isVisible(), custody.error.text()
    clock.at(2026, 11, 25, 10, 0)
    custody.check(list(range(1, 21)))
    custody.recipient.setText("陈建国")
    custody.recipient_id.setText("330106196805120017")
    click(qtbot, custody.hand_over)
    assert custody.error.isVisible() and "违法建筑处置规定" in custody.error.text()  # no signature yet
    sign(custody.recipient_pad, 1)
    click(qtbot, custody.hand_over)
    assert not custody.error.isVisible(), custody.error.text()
    states = page.service.inventory.states(CASE)
    assert sum(s == "handed_over" for s in states.values()) == 20 and sum(s == "stored" for s in states.values()) == 30
    for role, name, n in (("officer", "", 2), ("party", "陈建国", 3)):
        custody.role.setCurrentIndex(custody.role.findData(role))
        custody.signer.setText(name)
        sign(custody.sign_pad, n)
        click(qtbot, custody.sign)
        assert not custody.error.isVisible(), custody.error.text()

    # R26: on the record the witness signs and the party's refusal is written down.
    custody.document.setCurrentIndex(custody.document.findData("record"))
    click(qtbot, custody.record_refusal)
    assert custody.error.isVisible() and "依据" in custody.error.text()
    custody.role.setCurrentIndex(custody.role.findData("witness"))
    custody.signer.setText("周明")
    sign(custody.sign_pad, 4)
    click(qtbot, custody.sign)
    custody.refusal_reason.setText("当事人对执行过程有异议，拒绝签名")
    click(qtbot, custody.record_refusal)
    assert not custody.error.isVisible(), custody.error.text()
    assert "拒签" in custody.signed.text()

    # The handover receipt, rendered on the worker and shown.
    docs = page.documents
    page.show_tab(docs)
    docs.kinds.setCurrentRow(2)
    assert docs.current_kind() is DemolitionDocument.HANDOVER
    job = docs.generate_current()
    assert job is not None
    qtbot.waitUntil(lambda: docs.shown is not None, timeout=20_000)
    assert docs.shown.is_file() and docs.pdf.pageCount() >= 1
    assert "财物移交清单" in docs.shown.name
    window.grab().save(str(ws.folder / "demolition_window.png"))


def test_R20_R21_a_case_is_entered_on_the_device_and_its_dates_changed_before_the_start(
        app, qtbot, ws: Workspace, clock: MovingClock) -> None:
    window = MainWindow(ws)
    qtbot.addWidget(window)
    window.sign_in(as_(ws, "O01"))
    window.show_page("demolition")
    page = window.demolition_page
    dialog = page.case_dialog(None)
    dialog.case_id.setText("QC-2026-0099")
    dialog.party.setText("王某")
    dialog.place.setText("西城区某村 3 号")
    dialog.structure.setText("彩钢棚")
    dialog.save()
    assert not dialog.error.isHidden() and "公告文号" in dialog.error.text()  # nothing saved
    assert page.service.repo.get("QC-2026-0099") is None
    dialog.announcement.setText("西综执拆告〔2026〕99号")
    dialog.served.setDate(QDate(2026, 4, 1))
    dialog.self_deadline.setDate(QDate(2026, 4, 15))
    dialog.removal.setDate(QDate(2026, 11, 1))
    dialog.save()
    assert dialog.saved is not None and dialog.saved.officer_ids[0] == "O01" and len(dialog.saved.officer_ids) == 2
    page.open(page.service, page.officer, "zh")
    page.select_case("QC-2026-0099")
    assert any("应急预案" in line for line in page.preconditions.gates.lines)  # no emergency plan yet
    edit = page.case_dialog("QC-2026-0099")
    edit.removal.setDate(QDate(2026, 11, 30))
    edit.save()
    assert page.service.case("QC-2026-0099").removal_deadline.isoformat() == "2026-11-30"
    entry = ws.db.execute("SELECT detail FROM audit_log WHERE action = 'demolition.case_changed'").fetchone()[0]
    assert "2026-11-01" in entry and "2026-11-30" in entry
