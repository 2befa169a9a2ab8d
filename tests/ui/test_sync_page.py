"""The Sync page against a real HQ receiver on loopback (R18: the officer syncs after duty
with one action, sees progress, receipts and HQ's reasons; work never waits for it)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import demo
from keys_kit import as_
from app.workspace import Workspace
from sync.bundle import build_bundle, run
from sync.state import record_rejection
from ui.models.sync_tables import ReceiptsModel, RejectionsModel
from ui.pages.sync import SyncPage

sys.path.insert(0, str(Path(__file__).parents[1] / "integration"))
from sync_loopback import CuttingProxy, HqProcess, enroll_and_pair, free_port, hq_counts, make_hq  # noqa: E402
from keys_kit import create_workspace

SHOTS = Path("/tmp/7b")


@pytest.fixture
def field(tmp_path: Path):
    ws = create_workspace(tmp_path / "data")
    demo.seed(ws, media=True)
    hq_dir = make_hq(tmp_path / "hq")
    device = enroll_and_pair(ws, hq_dir)
    yield ws, device, hq_dir
    ws.close()


def _page(qtbot, ws: Workspace, **kw) -> SyncPage:  # noqa: ANN001
    page = SyncPage(ws, current_officer=lambda: as_(ws, "O01"), **kw)
    page.chunk_size = 32 << 10
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()  # what is pending is counted when the page is shown
    return page


def test_r18_one_action_syncs_shows_progress_and_the_receipt(app, qtbot, field) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    page = _page(qtbot, ws)
    assert "证据 5 件" in page.pending.text()
    assert page.receipts.rowCount() == 0
    with HqProcess(hq_dir) as hq:
        page.server.setText(hq.url)
        seen = []
        qtbot.mouseClick(page.start_button, Qt.MouseButton.LeftButton)
        assert page.job is not None and not page.start_button.isEnabled() and page.cancel_button.isEnabled()
        page.job.progress.connect(seen.append)
        qtbot.waitUntil(lambda: page.job is None, timeout=60_000)
    assert seen  # progress reached the page (throttled: not every step is delivered)
    assert page.receipts.rowCount() == 1 and page.rejections.rowCount() == 0
    assert "总部已确认 1 个数据包" in page.flight.text()
    assert "没有待同步的数据" in page.pending.text()
    assert page.bar.value() == 1000 and page.start_button.isEnabled()
    assert hq_counts(hq_dir, device.device_id)["bundles"] == 1
    assert ws.settings.get("sync.server_url") == hq.url
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "sync_page_done.png"))


def test_r18_cancel_stops_the_upload_and_the_next_sync_resumes(app, qtbot, field) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    page = _page(qtbot, ws)
    with HqProcess(hq_dir) as hq:
        slow = CuttingProxy(hq.port, [], pace=0.05)
        try:
            page.server.setText(slow.url)
            page.start_sync()
            qtbot.waitUntil(lambda: page.bar.value() > 0, timeout=30_000)
            SHOTS.mkdir(exist_ok=True)
            page.grab().save(str(SHOTS / "sync_page_in_flight.png"))
            assert "速率" in page.flight.text() and "剩余" in page.flight.text()
            page.cancel_button.click()
            qtbot.waitUntil(lambda: page.job is None, timeout=30_000)
            assert "已取消" in page.flight.text()
            assert page.receipts.rowCount() == 0 and "待确认的数据包" in page.pending.text()
            slow.pace = 0.0
            page.start_sync()
            qtbot.waitUntil(lambda: page.job is None, timeout=60_000)
        finally:
            slow.close()
    assert page.receipts.rowCount() == 1
    assert hq_counts(hq_dir, device.device_id)["bundles"] == 1


def test_r18_auto_sync_starts_when_hq_becomes_reachable(app, qtbot, field) -> None:  # noqa: ANN001
    ws, device, hq_dir = field
    port = free_port()
    page = _page(qtbot, ws, poll_ms=200)
    page.hide()  # the officer is on another page: auto-sync does not need this one shown
    page.server.setText(f"http://127.0.0.1:{port}")
    page.auto.setChecked(True)
    assert ws.settings.get("sync.auto_when_reachable") == "1"
    qtbot.waitUntil(lambda: page.reachable.text() == "无法连接", timeout=10_000)
    assert page.job is None
    with HqProcess(hq_dir, port):
        qtbot.waitUntil(lambda: page.receipts.rowCount() == 1 and page.job is None, timeout=60_000)
    assert page.reachable.text() in ("可连接", "无法连接")


def test_work_goes_on_while_the_sync_runs(app, qtbot, field) -> None:  # noqa: ANN001
    """The sync has its own connection and thread: the workspace stays writable meanwhile."""
    ws, device, hq_dir = field
    page = _page(qtbot, ws)
    with HqProcess(hq_dir) as hq:
        slow = CuttingProxy(hq.port, [], pace=0.03)
        try:
            page.server.setText(slow.url)
            page.start_sync()
            qtbot.waitUntil(lambda: page.bar.value() > 0, timeout=30_000)
            started = time.monotonic()
            from local_db.database import transaction

            with transaction(ws.db):
                ws.audit.append("O01", "test.work_during_sync", "JC-2026-1101")
            assert time.monotonic() - started < 1.0
            qtbot.waitUntil(lambda: page.job is None, timeout=60_000)
        finally:
            slow.close()
    # What was recorded during the upload went out in a second bundle of the same sync.
    assert page.receipts.rowCount() == 2
    assert hq_counts(hq_dir, device.device_id)["bundles"] == 2


def test_rejections_show_hqs_reason_in_the_ui_language(app, qtbot, field, tmp_path: Path) -> None:  # noqa: ANN001
    ws, device, _ = field
    info = run(build_bundle(ws, tmp_path / "b.age", device=device, session=as_(ws, "O01")))
    record_rejection(ws, info.bundle_id, "seal-gap", "封存链不连续：缺少前面的记录", "seal chain gap: earlier records are missing",
                     session=as_(ws, "O01"))
    page = _page(qtbot, ws)
    assert page.rejections.rowCount() == 1
    reason = page.rejections.index(0, 3).data()
    assert reason == "封存链不连续：缺少前面的记录"
    assert page.rejections.index(0, 2).data() == "seal-gap"


def test_the_tables_models_without_a_widget() -> None:
    receipts = ReceiptsModel()
    receipts.set_rows([{"id": "dev-000001", "sequence": 1, "size": 2_500_000, "received_at": "2026-11-23T18:01:02+08:00"}])
    assert receipts.rowCount() == 1 and receipts.columnCount() == 4
    assert [receipts.index(0, c).data() for c in range(4)] == ["dev-000001", "1", "2.5 MB", "2026-11-23 18:01"]
    receipts.set_rows([{"id": "x", "sequence": 2, "size": 297_224, "received_at": None}])
    assert receipts.index(0, 2).data() == "297 kB" and receipts.index(0, 3).data() == "—"
    rejections = RejectionsModel("en")
    rejections.set_rows([{"bundle_id": "b", "at": "2026-11-23T18:00:00+08:00", "code": "bad-seal",
                          "message_zh": "封存记录签名或内容无效", "message_en": "a seal record's signature is invalid"}])
    assert rejections.index(0, 3).data() == "a seal record's signature is invalid"


def test_an_auxiliary_pressing_sync_is_refused_once_on_its_own_connection(app, qtbot, field) -> None:  # noqa: ANN001
    """The worker is handed the window's session and checks it against the window's sign-ins."""
    from app.audit_words import is_refusal

    ws, _, _ = field
    page = SyncPage(ws, current_officer=lambda: as_(ws, "A01"))
    qtbot.addWidget(page)
    page.show()
    before = max(e.seq for e in ws.audit.repo.entries())
    page.server.setText("http://127.0.0.1:9")
    page.start_sync()
    qtbot.waitUntil(lambda: page.job is None, timeout=30_000)
    assert "辅助人员" in page.flight.text()
    refusals = [e for e in ws.audit.repo.entries() if e.seq > before and is_refusal(e)]
    assert [(e.actor, e.detail["act"]) for e in refusals] == [("A01", "sync")]
    # a session the window never issued is nobody, there as here
    page.current_officer = lambda: None
    page.start_sync()
    qtbot.waitUntil(lambda: page.job is None, timeout=30_000)
    assert "没有已登录的人员" in page.flight.text()


# --- pairing with HQ on the page ----------------------------------------------------------


def _hq_offer(tmp_path: Path, name: str) -> Path:
    """An HQ folder and the pairing files ``fieldinspect-hq pairing`` writes into it."""
    from sync.hq import cli as hq_cli

    hq_dir = make_hq(tmp_path / name)
    assert hq_cli.main(["pairing", "--dir", str(hq_dir)]) == 0
    assert (hq_dir / "hq-pairing.json").exists() and (hq_dir / "hq-pairing.png").exists()
    return hq_dir


@pytest.fixture
def unpaired(tmp_path: Path):
    ws = create_workspace(tmp_path / "data")
    demo.seed(ws)
    yield ws
    ws.close()


def test_pairing_from_hqs_qr_code_shows_the_fingerprint_and_pins_on_confirmation(app, qtbot, unpaired,
                                                                                 tmp_path: Path) -> None:  # noqa: ANN001
    from sync.hq import keys
    from sync.pairing import current_pairing
    from ui.widgets.pairing_panel import grouped

    ws = unpaired
    hq_dir = _hq_offer(tmp_path, "hq")
    page = _page(qtbot, ws)
    assert "尚未与总部配对" in page.pending.text() and not page.start_button.isEnabled()
    assert "设备管理员" not in page.pending.text()
    panel = page.pairing
    assert not panel.confirm_button.isVisible()
    panel.load(hq_dir / "hq-pairing.png")
    assert grouped(keys.fingerprint(hq_dir)) in panel.offer_text.text()
    assert panel.confirm_button.isVisible() and panel.confirm_button.isEnabled()
    assert current_pairing(ws) is None  # nothing is pinned before the confirmation
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert not panel.error.text(), panel.error.text()
    paired = current_pairing(ws)
    assert paired is not None and paired.recipient == keys.age_recipient(hq_dir)
    assert paired.signing_pub_pem == (hq_dir / keys.SIGNING_PUB).read_bytes()
    (paired_entry,) = [e for e in ws.audit.repo.entries() if e.action == "sync.paired"]
    assert paired_entry.actor == "O01"
    assert grouped(keys.fingerprint(hq_dir)) in panel.state.text()
    assert page.start_button.isEnabled() and not panel.confirm_button.isVisible()
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "sync_page_paired.png"))


def test_replacing_a_pairing_asks_explicitly(app, qtbot, unpaired, tmp_path: Path) -> None:  # noqa: ANN001
    from sync.hq import keys
    from sync.pairing import current_pairing, pair_with_folder
    from ui.widgets.pairing_panel import grouped

    ws = unpaired
    first, second = _hq_offer(tmp_path, "hq-a"), _hq_offer(tmp_path, "hq-b")
    pair_with_folder(ws, first, session=as_(ws, "M01"))
    page = _page(qtbot, ws)
    panel = page.pairing
    panel.load(second / "hq-pairing.json")
    text = panel.offer_text.text()
    assert grouped(keys.fingerprint(second)) in text and "另一总部" in text
    assert grouped(keys.fingerprint(first)) in panel.state.text()  # what is pinned now, to compare
    assert panel.replace_box.isVisible() and not panel.confirm_button.isEnabled()
    assert panel.confirm_button.text() == "确认更换总部配对"
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "sync_page_replace.png"))
    panel.replace_box.setChecked(True)
    assert panel.confirm_button.isEnabled()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert current_pairing(ws).recipient == keys.age_recipient(second)
    # The same HQ again: no replacement to confirm, nothing changes.
    panel.load(second / "hq-pairing.png")
    assert not panel.replace_box.isVisible() and panel.confirm_button.isEnabled()
    assert "不会改变" in panel.offer_text.text()


def test_a_wrong_file_a_damaged_qr_or_a_bad_signature_is_said_in_words_and_changes_nothing(
        app, qtbot, unpaired, tmp_path: Path) -> None:  # noqa: ANN001
    import json

    import cv2
    import numpy as np

    from sync.pairing import current_pairing

    ws = unpaired
    hq_dir = _hq_offer(tmp_path, "hq")
    page = _page(qtbot, ws)
    panel = page.pairing
    wrong = tmp_path / "notes.json"
    wrong.write_text('{"format": "fieldinspect.reference/1"}', encoding="utf-8")
    panel.load(wrong)
    assert "这不是总部的配对文件" in panel.error.text() and not panel.confirm_button.isVisible()

    image = cv2.imread(str(hq_dir / "hq-pairing.png"), cv2.IMREAD_GRAYSCALE)
    h = image.shape[0]
    image[h // 3: 2 * h // 3, :] = 255  # a third of the code torn away
    damaged = tmp_path / "damaged.png"
    cv2.imwrite(str(damaged), image)
    panel.load(damaged)
    assert "没有可识别的二维码" in panel.error.text()

    noise = tmp_path / "photo.png"
    cv2.imwrite(str(noise), np.random.default_rng(1).integers(0, 255, (200, 200), dtype=np.uint8))
    panel.load(noise)
    assert "没有可识别的二维码" in panel.error.text()

    body = json.loads((hq_dir / "hq-pairing.json").read_text(encoding="ascii"))
    other = _hq_offer(tmp_path, "other")
    body["recipient"] = json.loads((other / "hq-pairing.json").read_text(encoding="ascii"))["recipient"]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(body), encoding="ascii")
    panel.load(forged)
    assert "签名不符" in panel.error.text() and panel.offer is None
    assert current_pairing(ws) is None and not page.start_button.isEnabled()

    page.pairing.language = "en"
    panel.load(tmp_path / "missing.json")
    assert "Cannot read the file missing.json" in panel.error.text()


def test_auxiliary_staff_may_not_pair_and_the_refusal_is_audited(app, qtbot, unpaired, tmp_path: Path) -> None:  # noqa: ANN001
    from sync.pairing import current_pairing

    ws = unpaired
    hq_dir = _hq_offer(tmp_path, "hq")
    page = SyncPage(ws, current_officer=lambda: as_(ws, "A01"))
    qtbot.addWidget(page)
    page.show()
    assert not page.pairing.choose_button.isEnabled() and not page.pairing.scan_button.isEnabled()
    assert "不能与总部配对" in page.pairing.state.text()
    page.pairing.load(hq_dir / "hq-pairing.json")  # had it been offered: refused all the same
    page.pairing.confirm()
    assert page.pairing.error.text() and current_pairing(ws) is None
    refusals = [e for e in ws.audit.repo.entries() if e.action == "refused"]
    assert refusals[-1].actor == "A01" and refusals[-1].detail["act"] == "sync"
    assert not any(e.action == "sync.paired" for e in ws.audit.repo.entries())


def test_pairing_by_holding_hqs_qr_code_before_the_camera(app, qtbot, unpaired, tmp_path: Path) -> None:  # noqa: ANN001
    """The camera's frames are read on a worker until one shows the code; here the camera is a
    recording of the printed code held up after a second of empty picture (what OpenCV opens alike)."""
    import cv2
    import numpy as np

    from sync.hq import keys
    from sync.pairing import current_pairing

    ws = unpaired
    hq_dir = _hq_offer(tmp_path, "hq")
    code = cv2.imread(str(hq_dir / "hq-pairing.png"))
    side = min(460, code.shape[0])
    frame = np.full((480, 640, 3), 200, np.uint8)
    frame[10:10 + side, 90:90 + side] = cv2.resize(code, (side, side), interpolation=cv2.INTER_NEAREST)
    held = tmp_path / "camera.avi"
    writer = cv2.VideoWriter(str(held), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for n in range(20):
        writer.write(np.full((480, 640, 3), 90, np.uint8) if n < 10 else frame)
    writer.release()
    page = _page(qtbot, ws)
    panel = page.pairing
    job = panel.scan(str(held))
    assert job is not None and not panel.scan_button.isEnabled()
    qtbot.waitUntil(lambda: panel.scan_job is None, timeout=20_000)
    assert panel.offer is not None and panel.offer.fingerprint == keys.fingerprint(hq_dir)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert current_pairing(ws).recipient == keys.age_recipient(hq_dir)

    empty = tmp_path / "nothing.avi"
    writer = cv2.VideoWriter(str(empty), cv2.VideoWriter_fourcc(*"MJPG"), 10, (640, 480))
    for _ in range(5):
        writer.write(np.full((480, 640, 3), 90, np.uint8))
    writer.release()
    panel.scan(str(empty))
    qtbot.waitUntil(lambda: panel.scan_job is None, timeout=20_000)
    assert "没有可识别的配对二维码" in panel.error.text() and panel.offer is None
