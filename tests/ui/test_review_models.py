"""The review queue and audit log table models, without a widget."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt

from keys_kit import as_
from app import audit
from app.clock import CHINA_TZ
from app.domain import AuditEntry, EvidenceItem, EvidenceSourceKind, EvidenceType, ReviewDecision, ReviewDecisionKind
from app.review import QueueEntry
from app.workspace import Workspace
from ui.models.evidence_gallery import SealCheck, SealState
from ui.models.review_queue import COL_SEAL, COL_STATE, WINDOW, AuditTableModel, QueueRow, ReviewQueueModel

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)


def _entry(seq: int, actor: str, action: str, target: str = "", days: int = 0) -> AuditEntry:
    return AuditEntry(seq=seq, at=T0 + timedelta(days=days), actor=actor, action=action, target=target)


def test_audit_model_filters_by_actor_action_dates_and_target(app) -> None:
    model = AuditTableModel()
    model.set_entries([_entry(1, "O01", "session.sign_in"), _entry(2, "L01", "review.approve", "abc", 1),
                       _entry(3, "L01", "review.return", "abd", 2), _entry(4, "O01", "evidence.export", "abc", 3)])
    assert model.rowCount() == 4 and model.data(model.index(0, 0)) == "4"  # newest first
    model.set_filters(actor="L01")
    assert model.rowCount() == 2
    model.set_filters(action="review.")
    assert [model.entry_at(r).seq for r in range(model.rowCount())] == [3, 2]
    model.set_filters(target="ABC")
    assert [model.entry_at(r).seq for r in range(model.rowCount())] == [4, 2]
    model.set_filters(start=date(2026, 11, 24), end=date(2026, 11, 25))
    assert [model.entry_at(r).seq for r in range(model.rowCount())] == [3, 2]
    assert model.actors() == ["L01", "O01"] and "review.approve" in model.actions()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "序号"


def test_audit_model_marks_an_edited_entry_from_the_chain_check(app, demo_workspace: Workspace) -> None:
    ws = demo_workspace
    for n in range(3):
        ws.audit.append("O01", "test.action", f"T{n}")
    ws.db.conn.commit()
    ws.db.conn.execute("DROP TRIGGER audit_log_no_update")
    last = max(e.seq for e in ws.audit.repo.entries())
    ws.db.conn.execute("UPDATE audit_log SET actor = 'L01' WHERE seq = ?", (last,))
    ws.db.conn.commit()
    model = AuditTableModel()
    model.set_entries(list(ws.audit.repo.entries()), audit.verify(ws.db))
    assert model.problem_of(last) == "altered"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None


def test_queue_model_shows_state_and_seal(app) -> None:
    item = EvidenceItem(sha256="a" * 64, size=1, media_type="image/jpeg", evidence_type=EvidenceType.AUDIOVISUAL,
                        captured_at=T0, ingested_at=T0, source_kind=EvidenceSourceKind.WEBCAM, source_detail="0",
                        officer_ids=("O01",), officer_certs=("1",), seal_seq=1, inspection_id="JC-1")
    answered = ReviewDecision(1, "JC-1", item.sha256, ReviewDecisionKind.ANSWER, "O01", T0, "b" * 64, "已补拍")
    model = ReviewQueueModel()
    model.set_rows([QueueRow(QueueEntry(item), ("张伟",)), QueueRow(QueueEntry(item, answered), ("张伟",))])
    assert model.rowCount() == 2 and model.columnCount() == 6
    assert model.data(model.index(0, COL_STATE)) == "待审核"
    assert model.data(model.index(1, COL_STATE)) == "已答复，待再审"
    assert model.data(model.index(0, COL_SEAL)) == "校验中…"
    model.set_seals({item.sha256: SealCheck(item.sha256, SealState.BROKEN)})
    assert model.data(model.index(1, COL_SEAL)) == "封存异常"
    assert "已补拍" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)


def test_queue_model_fetches_a_window_at_a_time_as_the_view_asks(app) -> None:
    def item(n: int) -> EvidenceItem:
        return EvidenceItem(sha256=f"{n:064x}", size=1, media_type="image/jpeg", evidence_type=EvidenceType.AUDIOVISUAL,
                            captured_at=T0 + timedelta(seconds=n), ingested_at=T0, source_kind=EvidenceSourceKind.WEBCAM,
                            source_detail="0", officer_ids=("O01",), officer_certs=("1",), seal_seq=n + 1)

    queue = [QueueEntry(item(n)) for n in range(150)]
    asked: list[tuple[int, int]] = []

    def fetch(after: QueueEntry | None, limit: int) -> list[QueueEntry]:
        start = 0 if after is None else queue.index(after) + 1
        asked.append((start, limit))
        return queue[start:start + limit]

    model = ReviewQueueModel()
    windows: list[list] = []
    model.fetched.connect(windows.append)
    model.set_seals({queue[70].item.sha256: SealCheck(queue[70].item.sha256, SealState.SEALED)})  # checked earlier
    model.set_source(fetch, len(queue), {"O01": "张伟"})
    assert model.total == 150 and model.rowCount() == WINDOW and asked == [(0, WINDOW)]
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 150 and not model.canFetchMore()
    model.fetchMore()  # nothing more is asked for
    assert [start for start, _ in asked] == [0, WINDOW, 2 * WINDOW]
    assert [len(w) for w in windows] == [WINDOW, WINDOW, 150 - 2 * WINDOW]
    assert model.row_at(149).entry is queue[149] and model.data(model.index(5, 2)) == "张伟"
    assert model.data(model.index(70, COL_SEAL)) == "封存完好"  # a check already made is kept
    generation = model.generation
    model.set_source(fetch, 0, {})
    assert model.rowCount() == 0 and model.generation == generation + 1


def test_r18_overdue_table_says_officer_camera_how_late_and_task_without_a_widget() -> None:
    from datetime import datetime, timedelta

    from app.clock import CHINA_TZ
    from app.overdue import OverdueFlag, OverdueKind
    from ui.models.overdue_table import OverdueTableModel

    now = datetime(2026, 11, 23, 9, 0, tzinfo=CHINA_TZ)
    on_camera = OverdueFlag(OverdueKind.NOT_INGESTED, "BC-7:DCIM/0001.MP4", now - timedelta(hours=30),
                            now - timedelta(minutes=40), ("O01",), camera="BC-7")
    sealed = OverdueFlag(OverdueKind.NOT_SYNCED, "ab" * 32, now - timedelta(days=3), now - timedelta(hours=50),
                         ("O01", "O02"), "JC-2026-1020")
    model = OverdueTableModel()
    model.set_flags([on_camera, sealed], now, {"O01": "张伟", "O02": "李娜"}, {sealed.ref: now})
    rows = [[model.index(r, c).data() for c in range(5)] for r in range(2)]
    assert rows == [["仍在记录仪上，未导入", "张伟", "BC-7", "40 分钟", "未关联任务"],
                    ["未同步至总部", "张伟、李娜", "—", "2 天 2 小时", "JC-2026-1020"]]
    assert model.reminded_at(0) is None and model.reminded_at(1) == now
    assert "DCIM/0001.MP4" in model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
