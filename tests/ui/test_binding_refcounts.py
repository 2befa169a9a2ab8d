"""The Qt binding must not eat references to None or True: the application would abort
("Fatal Python error: none_dealloc") after a few thousand calls or signals in a long shift.
PySide6 6.12.0 on CPython 3.11 did both; this pins the fix (6.11.3) in place."""

from __future__ import annotations

import gc
import sys

import pytest

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QLabel


class _Source(QObject):
    value = Signal(object)


class _Nothing(QRunnable):
    def run(self) -> None:
        return None


@pytest.fixture
def quiet_collector():  # type: ignore[no-untyped-def]
    """Garbage left by earlier tests, collected mid-count, would drop the counts by itself."""
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_void_calls_signals_and_runnables_keep_none_and_true_alive(app, quiet_collector) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("现场")
    assert sys.getrefcount(None) - before > -50
    source = _Source()
    before = sys.getrefcount(True)
    for n in range(500):
        source.value.emit(n)
    assert sys.getrefcount(True) - before > -50
    pool = QThreadPool()
    before = sys.getrefcount(None)
    for _ in range(200):
        pool.start(_Nothing())
    pool.waitForDone()
    assert sys.getrefcount(None) - before > -50
