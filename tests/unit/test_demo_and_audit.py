from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from app import audit, demo
from app.clock import CHINA_TZ, fixed_clock
from app.domain import InspectionStatus
from app.workspace import Workspace
from keys_kit import create_workspace

ROOT = Path(__file__).resolve().parents[2]


def test_demo_seeds_once(demo_workspace: Workspace) -> None:
    assert not demo.seed(demo_workspace)
    assert len(demo_workspace.inspections.overview()) == 12


def test_demo_dates_follow_the_clock(tmp_path: Path) -> None:
    later = datetime(2027, 3, 10, 9, 0, tzinfo=CHINA_TZ)  # 107 days after the anchor
    ws = create_workspace(tmp_path / "d", clock=fixed_clock(later))
    demo.seed(ws)
    rows = {r.id: r for r in ws.inspections.overview()}
    assert rows["JC-2026-1101"].scheduled_at.date() == date(2027, 3, 10)
    assert ws.inspections.ids_for_staff_on("O01", date(2027, 3, 10)) == {
        "JC-2026-1101", "JC-2026-1102", "JC-2026-1103"}
    # an expired certificate stays expired, a valid one stays valid
    assert ws.officers.get("O04").cert_expiry < later.date() < ws.officers.get("O01").cert_expiry
    notice = ws.pre_notices.get("YG-2026-041")
    assert notice.published_on == date(2026, 11, 16) + timedelta(days=107)
    # the official calendar is never moved
    assert date(2026, 10, 10) in {d.day for d in ws.calendar.all()}
    assert all(p.year == 2027 for p in ws.plans.all())
    ws.close()


def test_overview_joins_subject_staff_and_plan(demo_workspace: Workspace) -> None:
    row = next(r for r in demo_workspace.inspections.overview() if r.id == "JC-2026-1101")
    assert row.subject_name == "清河市西城区味之源餐饮店"
    assert row.officer_names == ("张伟", "李娜") and row.assistant_names == ("赵磊",)
    assert row.plan_filing.value == "filed" and row.status is InspectionStatus.PLANNED


def test_audit_chain_verifies_and_detects_edits(demo_workspace: Workspace) -> None:
    for n in range(3):
        demo_workspace.audit.append("O01", "test.action", f"T{n}", n=n)
    demo_workspace.db.conn.commit()
    assert audit.verify(demo_workspace.db) == []
    conn = demo_workspace.db.conn
    # the triggers stop an edit through SQL; someone with the file can still drop them
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = '{\"n\":7}' WHERE seq = 3")
    conn.commit()
    assert [(p.seq, p.problem) for p in audit.verify(demo_workspace.db)] == [(3, "altered")]


def test_audit_chain_detects_a_removed_entry(demo_workspace: Workspace) -> None:
    for n in range(3):
        demo_workspace.audit.append("O01", "test.action", f"T{n}")
    conn: sqlite3.Connection = demo_workspace.db.conn
    conn.commit()
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.commit()
    problems = {(p.seq, p.problem) for p in audit.verify(demo_workspace.db)}
    assert problems == {(3, "missing-before"), (3, "broken-link")}


def test_cli_demo_then_status(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    run = lambda *a: subprocess.run([sys.executable, "-m", "cli", *a, "--data", str(folder)],  # noqa: E731
                                    cwd=ROOT, capture_output=True, text=True)
    first = run("demo")
    assert first.returncode == 0 and "已载入演示数据" in first.stdout
    second = run("demo")
    assert second.returncode == 0 and "未改动" in second.stdout
    status = run("status")
    assert status.returncode == 0
    assert "检查任务 / inspections: 12" in status.stdout and "完整 intact" in status.stdout
