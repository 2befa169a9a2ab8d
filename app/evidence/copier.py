"""A file copied and hashed into staging on a thread of its own.

SHA-256 runs on one core; a camera card holds many files. The import keeps two
files in flight (:data:`FILES_IN_FLIGHT`), each copied and hashed by a
:class:`BackgroundCopy`, so both cores hash while the files are sealed one after
the other, in order, on the thread that owns the database. A copy does no
database work, and stopping it (or any error) removes its staging file.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import BinaryIO

from app.crypto import copy_hashing
from app.evidence.store import EvidenceStore, StagedFile

FILES_IN_FLIGHT = 2


class CopyStopped(Exception):
    """The copy was asked to stop before it ended; nothing of it is left."""


class BackgroundCopy:
    """Copy ``path`` into ``store``'s staging (or, ``hash_only``, just hash it)."""

    def __init__(self, store: EvidenceStore, path: Path, *, hash_only: bool = False,
                 ticked: threading.Event | None = None) -> None:
        self.store = store
        self.ticked = ticked or threading.Event()  # set after every chunk and at the end
        self.path = path
        self.hash_only = hash_only
        self.bytes_done = 0  # read by the importer for progress; an int write is atomic
        self._result: StagedFile | tuple[str, int] | None = None
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._done = threading.Event()
        self._claimed = False
        self._hold: BinaryIO | None = None
        self._thread = threading.Thread(target=self._run, name=f"copy {path.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with open(self.path, "rb", buffering=0) as src:
                steps = copy_hashing(src, None) if self.hash_only else self.store.stage(src)
                try:
                    while True:
                        try:
                            self.bytes_done = next(steps)
                            self.ticked.set()
                        except StopIteration as stop:
                            self._result = stop.value
                            if isinstance(self._result, StagedFile):
                                # Held open until it is sealed or discarded: an import in another
                                # process sweeps only staging files nobody has open, and this one
                                # may wait minutes behind a large file before its seal.
                                self._hold = open(self._result.path, "rb")  # noqa: SIM115
                            return
                        if self._stop.is_set():
                            raise CopyStopped(self.path.name)
                finally:
                    steps.close()  # an unfinished stage removes its staging file
        except BaseException as exc:  # handed to the importer's thread by result()
            self._error = exc
        finally:
            self._done.set()
            self.ticked.set()

    def wait(self, timeout: float) -> bool:
        """True once the copy has ended, one way or the other."""
        return self._done.wait(timeout)

    def result(self) -> StagedFile | tuple[str, int]:
        """The staged file, or ``(sha256, size)`` when only hashing; raises the copy's error."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        self._claimed = True
        return self._result

    def stop(self) -> None:
        """Stop the copy and wait for it; a finished but unclaimed staging file is removed."""
        self._stop.set()
        self._thread.join()
        if not self._claimed and isinstance(self._result, StagedFile):
            self.store.discard(self._result)
        if self._hold is not None:
            self._hold.close()
            self._hold = None
