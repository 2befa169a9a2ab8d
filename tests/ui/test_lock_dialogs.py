"""The idle lock leaves nothing of the work on screen: open dialogs are closed, except an
import, which goes on hidden and comes back after the next sign-in."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from app.workspace import Workspace
from ui.main_window import MainWindow

from keys_kit import DEMO_PINS
from test_review_flow import _sign_in


def test_the_lock_closes_dialogs_and_keeps_an_import_going(app, qtbot, demo_workspace: Workspace) -> None:
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    _sign_in(qtbot, window, "O01")
    window.show_page("evidence")
    importing = window.evidence_page.open_import_dialog()
    other = QDialog(window)  # any other dialog (an exceptions dialog, a case form…)
    other.open()
    assert importing.isVisible() and other.isVisible()

    window.lock()
    assert not importing.isVisible() and not other.isVisible()
    assert other.result() == QDialog.DialogCode.Rejected
    assert window.body.currentIndex() == 0  # the sign-in page covers the work area

    _sign_in(qtbot, window, "O01")
    assert importing.isVisible()  # the import is back, as it was
    assert not other.isVisible()


def test_the_lock_covers_the_screen_even_when_the_audit_cannot_be_written(app, qtbot, demo_workspace: Workspace,
                                                                          monkeypatch) -> None:
    from app import access

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    _sign_in(qtbot, window, "O01")

    def disk_full(*_a, **_k):  # type: ignore[no-untyped-def]
        from local_db.database import OperationalError
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(access, "record_session", disk_full)
    window.lock()
    assert window.body.currentIndex() == 0 and window.officer is None  # locked all the same
    assert "审计日志暂时无法写入" in window.sign_in_page.hint.text()


def test_behind_the_lock_the_session_does_nothing_until_the_same_pin(app, qtbot, demo_workspace: Workspace) -> None:
    """R1: the session a page still holds is refused while the screen is locked; the same
    person's PIN makes it usable again, another person's sign-in ends it."""
    from app.access import NotSignedIn
    from app.onsite.service import OnsiteService

    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    _sign_in(qtbot, window, "O01")
    held = window.session
    window.idle.idle.emit()  # the idle timer fires
    assert window.body.currentIndex() == 0 and window.session is None
    with pytest.raises(NotSignedIn):
        OnsiteService(demo_workspace).begin("JC-2026-1101", actor=held)

    _sign_in(qtbot, window, "O01")
    assert window.session is held
    OnsiteService(demo_workspace).begin("JC-2026-1101", actor=held)

    window.lock()
    _sign_in(qtbot, window, "O02", DEMO_PINS["O02"])
    assert window.session is not None and window.session.id == "O02"
    with pytest.raises(NotSignedIn):
        OnsiteService(demo_workspace).begin("JC-2026-1102", actor=held)
    assert "O01" not in demo_workspace.sessions.locked()


def test_the_lock_removes_the_decrypted_copies_made_for_the_system_viewer(
        app, qtbot, demo_workspace: Workspace, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from app.domain import EvidenceSourceKind, EvidenceType
    from app.evidence.locker import drive
    from ui.pages.evidence_detail import copy_for_viewing, view_folder

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    window = MainWindow(demo_workspace)
    qtbot.addWidget(window)
    window.show()
    _sign_in(qtbot, window, "O01")
    locker = window.evidence_page.locker
    item = locker.ingest_stream(io.BytesIO(b"\xff\xd8\xff\xe0" + b"photo" * 50 + b"\xff\xd9"),
                                evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=["33010621001"],
                                source_kind=EvidenceSourceKind.WEBCAM, source_detail="0",
                                inspection_id="JC-2026-1101", session=window.session).item
    copy = drive(copy_for_viewing(locker, item, window.session, view_folder(demo_workspace.folder, "O01")))
    assert copy.is_file() and copy.read_bytes().startswith(b"\xff\xd8")  # plaintext, while it is viewed

    window.lock()
    assert not copy.exists() and not copy.parent.exists()
