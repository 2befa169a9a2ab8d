"""Team leaders review what officers captured: PIN sign-in, switching user, returns on Today,
the audit page, role limits in the interface, and the idle lock."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QItemSelectionModel, Qt

from app import audit
from app.domain import EvidenceSourceKind, EvidenceType, ReviewDecisionKind
from app.workspace import Workspace
from ui.main_window import MainWindow
from ui.models.evidence_gallery import SealState

TASK = "JC-2026-1101"
SHOTS = Path("/tmp/7b")  # looked at by hand, not compared
PINS = {"O01": "100101", "L01": "200101", "A01": "300101"}


def _window(qtbot, ws: Workspace) -> MainWindow:
    window = MainWindow(ws, "zh")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _sign_in(qtbot, window: MainWindow, person: str, pin: str | None = None) -> None:
    """Through the page, as a person would: card, PIN, confirm."""
    page = window.sign_in_page
    card = next(c for c in page.cards if c.officer.id == person)
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 1
    qtbot.keyClicks(page.pin_panel.pin, pin or PINS[person])
    qtbot.mouseClick(page.pin_panel.ok_button, Qt.MouseButton.LeftButton)


def _jpeg(n: int) -> bytes:
    img = np.full((48, 64, 3), (40 * n) % 255, np.uint8)
    cv2.putText(img, str(n), (10, 40), cv2.FONT_HERSHEY_SIMPLEX, 1, (255, 255, 255), 2)
    return cv2.imencode(".jpg", img)[1].tobytes()


def _capture(window: MainWindow, n: int) -> str:
    locker = window.evidence_page.locker
    return locker.ingest_stream(io.BytesIO(_jpeg(n)), evidence_type=EvidenceType.AUDIOVISUAL,
                                officer_certs=["33010621001", "33010621002"], source_kind=EvidenceSourceKind.WEBCAM,
                                source_detail="0", inspection_id=TASK, session=window.session,
                                original_name=f"photo{n}.jpg").item.sha256


def _select(page, rows: list[int]) -> None:
    selection = page.table.selectionModel()
    selection.clearSelection()
    for r in rows:
        selection.select(page.model.index(r, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_officer_captures_leader_returns_one_approves_the_rest_officer_sees_the_return(
        app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "O01")
    assert window.officer.id == "O01" and window.current_page() == "today"
    shas = [_capture(window, n) for n in range(4)]
    assert not window.today_page.returned_cards
    window.show_page("review")
    assert not window.review_page.tabs.isEnabled() and "带队/审核人员" in window.review_page.denied.text()

    qtbot.mouseClick(window.switch_button, Qt.MouseButton.LeftButton)
    _sign_in(qtbot, window, "L01")
    assert window.officer.id == "L01"
    window.show_page("review")
    page = window.review_page
    assert page.tabs.isEnabled() and page.model.rowCount() == 4
    qtbot.waitUntil(lambda: all(page.model.row_at(r).seal is not None for r in range(4)), timeout=5000)
    assert {page.model.row_at(r).seal.state for r in range(4)} == {SealState.SEALED}
    returned = page.model.row_at(0).entry.item.sha256
    assert not page.approve_button.isEnabled() and not page.return_button.isEnabled()  # nothing selected
    _select(page, [0])
    assert page.approve_button.isEnabled() and page.return_button.isEnabled()
    shown = page.model.row_at(0).entry.item
    assert (shown.original_name or shown.sha256[:16]) in page.preview_caption.text()  # the large preview follows
    page.comment.setText("照片模糊，请补拍门头")
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)
    _select(page, [0, 1, 2])
    qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
    assert "3" in page.message.text() and not page.approve_button.isEnabled()  # nothing left to select
    # the audit tab shows the decisions and a whole chain
    page.tabs.setCurrentIndex(1)
    page.action_filter.setCurrentIndex(page.action_filter.findData("review."))
    assert page.audit_model.rowCount() == 4  # the return, then the three approvals
    assert "完整" in page.chain.text()

    qtbot.mouseClick(window.switch_button, Qt.MouseButton.LeftButton)
    _sign_in(qtbot, window, "O01")
    cards = window.today_page.returned_cards
    assert [c.entry.item.sha256 for c in cards] == [returned]
    assert "照片模糊" in cards[0].findChildren(type(window.user_label))[1].text()
    cards[0].reply.setText("已补拍门头照片")
    qtbot.mouseClick(cards[0].answer_button, Qt.MouseButton.LeftButton)
    assert window.today_page.returned_cards == []
    states = window.review_page.service.history(returned)
    assert [d.decision for d in states] == [ReviewDecisionKind.RETURN, ReviewDecisionKind.ANSWER]
    assert {d.decision for s in shas if s != returned for d in window.review_page.service.history(s)} == {
        ReviewDecisionKind.APPROVE}
    assert audit.verify(demo_workspace.db) == []
    window.evidence_page.shutdown()


def test_wrong_pin_is_refused_on_the_page_and_audited(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "O01", "9999")
    assert window.officer is None and "PIN 不正确" in window.sign_in_page.pin_panel.message.text()
    assert [e.action for e in demo_workspace.audit.repo.entries()][-1] == "session.pin_failed"


def test_a_person_without_a_pin_is_told_an_administrator_issues_it(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    page = window.sign_in_page
    qtbot.mouseClick(next(c for c in page.cards if c.officer.id == "O03"), Qt.MouseButton.LeftButton)
    assert not page.pin_panel.ok_button.isEnabled() and "设备管理员" in page.pin_panel.message.text()
    assert not page.submit() and window.officer is None


def test_R1_auxiliary_staff_see_why_review_is_not_theirs(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "A01")
    window.show_page("review")
    assert not window.review_page.tabs.isEnabled() and window.review_page.denied.isVisible()
    assert window.review_page.decide_selected(ReviewDecisionKind.APPROVE) is None
    window.show_page("inspections")
    page = window.inspections_page
    page.search.setText(TASK)
    page.table.selectRow(0)
    start = page.detail.start_button
    assert not start.isHidden() and not start.isEnabled() and "行政处罚法》第四十二条" in start.toolTip()


def test_idle_lock_keeps_the_page_and_switching_user_signs_out(app, qtbot, demo_workspace: Workspace) -> None:
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "O01")
    window.show_page("inspections")
    window.inspections_page.search.setText("黑名单")
    window.idle.set_interval(50)
    window.idle.start()
    qtbot.waitUntil(lambda: window.body.currentIndex() == 0, timeout=3000)
    assert window.officer is None and "张伟" in window.sign_in_page.hint.text()
    _sign_in(qtbot, window, "O01")
    assert window.current_page() == "inspections" and window.inspections_page.search.text() == "黑名单"
    window.lock()
    _sign_in(qtbot, window, "L01")  # another person takes over: a switch of user
    assert window.officer.id == "L01" and window.current_page() == "today"
    actions = [(e.actor, e.action) for e in demo_workspace.audit.repo.entries()]
    # in the order things happened: the session of the one who locked ends, then the new one begins
    assert actions[-6:] == [("O01", "session.sign_in"), ("O01", "session.lock"), ("O01", "session.sign_in"),
                            ("O01", "session.lock"), ("O01", "session.sign_out"), ("L01", "session.sign_in")]
    last = list(demo_workspace.audit.repo.entries())[-2]
    assert last.detail == {"taken_over_by": "L01"}


def test_R18_overdue_recordings_are_flagged_to_the_team_leader(app, qtbot, demo_workspace: Workspace) -> None:
    from datetime import datetime

    from app.clock import CHINA_TZ
    from app.evidence.locker import EvidenceLocker

    locker = EvidenceLocker(demo_workspace)
    locker.ingest_stream(io.BytesIO(b"\0\0\0\x18ftypmp42" + b"\0" * 300), evidence_type=EvidenceType.AUDIOVISUAL,
                         officer_certs=["33010621001"], source_kind=EvidenceSourceKind.BODY_CAMERA,
                         source_detail="C1", captured_at=datetime(2026, 11, 20, 10, 0, tzinfo=CHINA_TZ))
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "L01")
    window.show_page("review")
    page = window.review_page
    assert page.overdue.rowCount() == 0  # loaded when the tab is shown
    page.tabs.setCurrentIndex(2)
    assert page.overdue.rowCount() == 1
    row = [page.overdue.index(0, c).data() for c in range(5)]
    # officer, camera, how late (deadline 2026-11-21 18:00, the demo clock stands at 11-23 08:30), the task
    assert row == ["未同步至总部", "张伟", "C1", "1 天 14 小时", "未关联任务"]
    assert "24 小时" in page.overdue_note.text()
    button = page.overdue_table.indexWidget(page.overdue.index(0, 5))
    assert button.text() == "标记已提醒" and button.height() >= 44
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "review_overdue.png"))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    last = list(demo_workspace.audit.repo.entries())[-1]
    assert (last.actor, last.action) == ("L01", "evidence.overdue_reminded")
    assert "已记录" in page.overdue_message.text()
    button = page.overdue_table.indexWidget(page.overdue.index(0, 5))
    assert button.text().startswith("已提醒") and not button.isEnabled()
    window.evidence_page.shutdown()


def test_a_video_plays_in_the_large_preview_from_a_private_copy_that_goes_with_the_selection(
        app, qtbot, demo_workspace: Workspace) -> None:  # noqa: ANN001
    """The video is decrypted into the reviewer's private viewing folder (a logged view, R17), plays
    there with play/pause and a frame scrubber, and the copy is removed when the selection moves
    on and at sign-out."""
    from PySide6.QtMultimedia import QMediaPlayer

    from app.evidence.demo_media import seed_media
    from app.evidence.viewing import view_root

    seed_media(demo_workspace)
    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "L01")
    window.show_page("review")
    page = window.review_page
    page.resize(1280, 800)
    rows = [page.model.row_at(r).entry.item for r in range(page.model.rowCount())]
    video_row = next(r for r, item in enumerate(rows) if item.media_type == "video/mp4")
    photo_row = next(r for r, item in enumerate(rows) if item.media_type == "image/jpeg")
    assert not page.video.play_button.isEnabled()  # nothing loaded: nothing to play
    _select(page, [video_row])
    page.table.selectionModel().setCurrentIndex(page.model.index(video_row, 0),
                                                QItemSelectionModel.SelectionFlag.NoUpdate)
    assert page.preview_stack.currentWidget() is page.video
    qtbot.waitUntil(lambda: page.video.path is not None, timeout=20_000)
    copy = page.video.path
    assert copy.exists() and view_root() in copy.parents and (copy.stat().st_mode & 0o777) == 0o444
    last = [e for e in demo_workspace.audit.repo.entries() if e.action == "evidence.view"][-1]
    assert last.actor == "L01" and last.target == rows[video_row].sha256
    player = page.video.player
    frames = []
    page.video.video.videoSink().videoFrameChanged.connect(lambda frame: frames.append(frame.size()))
    qtbot.waitUntil(lambda: page.video.scrubber.maximum() > 2500, timeout=20_000)  # the 3 s walk-through
    assert page.video.play_button.height() >= 44 and page.video.scrubber.height() >= 44
    qtbot.mouseClick(page.video.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.playbackState() == QMediaPlayer.PlaybackState.PlayingState, timeout=10_000)
    assert page.video.play_button.text() == "暂停"
    qtbot.waitUntil(lambda: bool(frames), timeout=10_000)  # decoded frames reach the picture
    assert (frames[-1].width(), frames[-1].height()) == (640, 480)
    qtbot.mouseClick(page.video.play_button, Qt.MouseButton.LeftButton)
    assert player.playbackState() == QMediaPlayer.PlaybackState.PausedState
    page.video.scrubber.setValue(2000)
    qtbot.waitUntil(lambda: abs(player.position() - 2000) < 200, timeout=10_000)
    assert page.video.time.text().startswith("00:02")
    SHOTS.mkdir(exist_ok=True)
    page.grab().save(str(SHOTS / "review_video.png"))

    _select(page, [photo_row])
    page.table.selectionModel().setCurrentIndex(page.model.index(photo_row, 0),
                                                QItemSelectionModel.SelectionFlag.NoUpdate)
    assert not copy.exists() and page.preview_stack.currentWidget() is page.preview
    _select(page, [video_row])
    page.table.selectionModel().setCurrentIndex(page.model.index(video_row, 0),
                                                QItemSelectionModel.SelectionFlag.NoUpdate)
    qtbot.waitUntil(lambda: page.video.path is not None, timeout=20_000)
    again = page.video.path
    window.switch_user()
    assert not again.exists() and page.video.path is None
    window.evidence_page.shutdown()


def test_a_queue_longer_than_a_window_is_counted_whole_and_fetched_as_it_scrolls(
        app, qtbot, demo_workspace: Workspace) -> None:
    from ui.models.review_queue import WINDOW

    window = _window(qtbot, demo_workspace)
    _sign_in(qtbot, window, "O01")
    shas = [_capture(window, n) for n in range(WINDOW + 6)]
    qtbot.mouseClick(window.switch_button, Qt.MouseButton.LeftButton)
    _sign_in(qtbot, window, "L01")
    window.show_page("review")
    page = window.review_page
    assert page.model.rowCount() == WINDOW and page.model.total == len(shas)
    assert str(len(shas)) in page.count.text()  # the count is the whole queue's, not the window's
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(shas), timeout=5000)
    assert {page.model.row_at(r).entry.item.sha256 for r in range(len(shas))} == set(shas)
    qtbot.waitUntil(lambda: all(page.model.row_at(r).seal is not None for r in range(len(shas))), timeout=10000)
    assert {page.model.row_at(r).seal.state for r in range(len(shas))} == {SealState.SEALED}


def test_the_pin_is_checked_off_the_gui_thread_while_the_page_says_so(app, qtbot, demo_workspace: Workspace) -> None:
    import threading

    from PySide6.QtCore import QTimer

    from app import access

    window = _window(qtbot, demo_workspace)
    page = window.sign_in_page
    card = next(c for c in page.cards if c.officer.id == "O01")
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.pin_panel.pin, PINS["O01"])
    seen: list[tuple[str, bool, bool]] = []
    threads: list[threading.Thread] = []
    sign_in = access.sign_in

    def on_a_thread(*args, **kwargs):  # the real sign-in (Argon2id and the audit entry), noting its thread
        threads.append(threading.current_thread())
        return sign_in(*args, **kwargs)

    access.sign_in = on_a_thread
    try:
        # Fires inside the wait: the window keeps painting while the key is derived.
        QTimer.singleShot(20, lambda: seen.append((page.pin_panel.message.text(), page.pin_panel.ok_button.isEnabled(),
                                                   page.pin_panel.keypad.isEnabled())))
        assert page.submit()
    finally:
        access.sign_in = sign_in
    assert threads and threads[0] is not threading.main_thread()
    assert seen == [("正在验证 PIN…", False, False)]
    assert window.officer.id == "O01"
