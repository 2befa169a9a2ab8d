"""The GUI thread and the database worker share one SQLite connection: a transaction on
one thread makes the other wait instead of failing or landing inside it."""

from __future__ import annotations

import threading

from app.workspace import Workspace
from local_db.database import transaction


def test_a_transaction_on_another_thread_waits_for_the_open_one(workspace: Workspace) -> None:
    ws = workspace
    inside, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with transaction(ws.db):
                ws.settings.set("probe.worker", "1")
                inside.set()
                release.wait(5)  # a long seal on the database worker
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(5)
    done = threading.Event()

    def gui() -> None:
        try:
            with transaction(ws.db):  # e.g. "pause" pressed meanwhile
                ws.settings.set("probe.gui", "1")
            done.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    g = threading.Thread(target=gui)
    g.start()
    assert not done.wait(0.3)  # waits while the worker's transaction is open
    release.set()
    t.join(5)
    g.join(5)
    assert errors == [] and done.is_set()
    assert (ws.settings.get("probe.worker"), ws.settings.get("probe.gui")) == ("1", "1")


def test_a_lone_statement_from_another_thread_does_not_join_a_transaction_that_rolls_back(
        workspace: Workspace) -> None:
    ws = workspace
    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        try:
            with transaction(ws.db):
                ws.settings.set("probe.rolled_back", "1")
                inside.set()
                release.wait(5)
                raise RuntimeError("the seal failed")
        except RuntimeError:
            pass

    t = threading.Thread(target=worker)
    t.start()
    assert inside.wait(5)
    writer = threading.Thread(target=lambda: ws.settings.set("probe.lone", "1"))
    writer.start()
    release.set()
    t.join(5)
    writer.join(5)
    assert ws.settings.get("probe.rolled_back") is None
    assert ws.settings.get("probe.lone") == "1"  # its own write survived the other's rollback


def test_a_commit_that_fails_leaves_no_transaction_open(workspace: Workspace) -> None:
    """A COMMIT refused (here by a deferred foreign key; on a device, a full disk) rolls back:
    the next transaction starts normally instead of failing until a restart."""
    from local_db.database import IntegrityError

    import pytest

    ws = workspace
    ws.db.execute("PRAGMA foreign_keys = ON")
    ws.db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    ws.db.execute("CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(IntegrityError):
        with transaction(ws.db):
            ws.db.execute("INSERT INTO child VALUES (42)")  # checked only at COMMIT
    assert not ws.db.conn.in_transaction
    with transaction(ws.db):
        ws.settings.set("probe.after", "1")
    assert ws.settings.get("probe.after") == "1"
