"""Where the HQ receiver keeps tus uploads: one data file and one state file each.

``<folder>/<id>.bin`` holds the bytes received; ``<folder>/<id>.json`` the upload's
length, metadata, owning device and the **committed offset**. The state file is
replaced atomically (write, rename) after the chunk's bytes were written, so after
the receiver is killed the committed offset is never ahead of the data; bytes past
it (a PATCH cut mid-way whose checksum could not be checked) are cut off when the
upload is next opened. The offset a client sees is always the committed one, which
is what makes a resumed upload byte-exact.

Durability against a power cut is bought once per upload, not per chunk: the data
and the state are fsynced when the last byte arrives (before the bundle is handed
on), and at creation and termination. A power cut mid-upload can lose the tail of
the page cache; then the data file is shorter than the recorded offset, the offset
is pulled back to the data's length when the upload is next opened, and the client
(which always asks with HEAD before sending) re-sends from there. Per-chunk fsyncs
cost about a quarter of the upload's time on loopback (benchmarks/upload.py).
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from local_db.crashpoints import point


_ID = re.compile(r"^[0-9a-f]{32}$")


class UploadNotFound(LookupError):
    """No upload with this id was ever created here."""


class UploadGone(LookupError):
    """The upload was terminated; its bytes are deleted."""


@dataclass
class UploadState:
    """The persisted state of one upload."""

    id: str
    length: int
    metadata: str
    device_id: str
    offset: int = 0
    terminated: bool = False

    @property
    def complete(self) -> bool:
        return not self.terminated and self.offset == self.length


class TusStore:
    """The uploads folder. Not thread-safe on its own: the server serialises per upload."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def data_path(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.bin"

    def _state_path(self, upload_id: str) -> Path:
        return self.folder / f"{upload_id}.json"

    def create(self, length: int, metadata: str, device_id: str) -> UploadState:
        """A new empty upload of ``length`` bytes owned by ``device_id``."""
        state = UploadState(uuid.uuid4().hex, length, metadata, device_id)
        self.data_path(state.id).touch(exist_ok=False)
        self.save(state, durable=True)
        return state

    def get(self, upload_id: str) -> UploadState:
        """The upload's state; raises :class:`UploadNotFound` or :class:`UploadGone`."""
        state = self._read(upload_id)
        if state.terminated:
            raise UploadGone(upload_id)
        try:
            held = self.data_path(upload_id).stat().st_size
        except FileNotFoundError:
            held = 0
        if held < state.offset:  # a power cut took the unsynced tail: resume from what is there
            state.offset = held
            self.save(state, durable=True)
        return state

    def _read(self, upload_id: str) -> UploadState:
        if not _ID.match(upload_id):
            raise UploadNotFound(upload_id)
        try:
            raw = json.loads(self._state_path(upload_id).read_text("utf-8"))
        except FileNotFoundError:
            raise UploadNotFound(upload_id) from None
        return UploadState(**raw)

    def save(self, state: UploadState, *, durable: bool = False) -> None:
        """Replace the state file atomically (write, rename; with ``durable`` fsync first)."""
        path = self._state_path(state.id)
        tmp = path.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(asdict(state), fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)

    def open_for_append(self, state: UploadState):  # noqa: ANN201 - a binary file object
        """The data file positioned at the committed offset, anything after it cut off."""
        fh = open(self.data_path(state.id), "r+b")
        fh.truncate(state.offset)
        fh.seek(state.offset)
        return fh

    def commit(self, state: UploadState, fh, new_offset: int) -> None:  # noqa: ANN001
        """Record ``new_offset`` once the bytes up to it are written (synced when the upload is complete)."""
        fh.flush()
        state.offset = new_offset
        if state.complete:
            os.fsync(fh.fileno())
            point("tus.data-fsync")
        self.save(state, durable=state.complete)

    def terminate(self, state: UploadState) -> None:
        """Delete the bytes; the id answers 410 Gone from now on."""
        state.terminated = True
        self.save(state, durable=True)
        self.data_path(state.id).unlink(missing_ok=True)
        point("tus.terminated")

    def completed(self) -> list[UploadState]:
        """Every upload whose bytes have all arrived (for re-processing after a restart)."""
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                state = self.get(path.stem)
            except LookupError:
                continue
            if state.complete:
                found.append(state)
        return found

    def try_lock(self, upload_id: str) -> bool:
        """Hold ``upload_id`` against other processes (one process serves a folder of JSON state)."""
        return True

    def unlock(self, upload_id: str) -> None:
        pass


class DbTusStore(TusStore):
    """Uploads whose state is a row of HQ's database (``uploads``) and whose bytes are in
    a folder that every receiver reaches: an upload begun through one receiver goes on
    through any other. A PATCH or DELETE holds the upload's advisory lock in PostgreSQL
    for its length, so two receivers never append to one upload at once; a receiver
    that dies releases it with its connection.

    ``database`` gives the calling thread's :class:`sync.hq.db.Database`.
    """

    def __init__(self, folder: Path, database) -> None:  # noqa: ANN001 - () -> Database
        super().__init__(folder)
        self._db = database

    def import_state_files(self) -> int:
        """Take over the state files an earlier receiver kept beside the bytes
        (``<id>.json``), so uploads in flight across the upgrade resume; how many."""
        taken = 0
        for path in sorted(self.folder.glob("*.json")):
            if not _ID.match(path.stem):
                continue
            try:
                state = UploadState(**json.loads(path.read_text("utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            self._db().execute('INSERT INTO uploads (id, length, metadata, device_id, "offset", terminated) '
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               (state.id, state.length, state.metadata, state.device_id, state.offset,
                                int(state.terminated)))
            os.replace(path, path.with_suffix(".json.imported"))
            taken += 1
        return taken

    def create(self, length: int, metadata: str, device_id: str) -> UploadState:
        state = UploadState(uuid.uuid4().hex, length, metadata, device_id)
        path = self.data_path(state.id)
        path.touch(exist_ok=False)
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        point("tus.created-fsync")
        self._db().execute('INSERT INTO uploads (id, length, metadata, device_id, "offset", terminated) '
                           "VALUES (?, ?, ?, ?, 0, 0)", (state.id, length, metadata, device_id))
        return state

    def _read(self, upload_id: str) -> UploadState:
        if not _ID.match(upload_id):
            raise UploadNotFound(upload_id)
        row = self._db().execute('SELECT id, length, metadata, device_id, "offset", terminated FROM uploads '
                                 "WHERE id = ?", (upload_id,)).fetchone()
        if row is None:
            raise UploadNotFound(upload_id)
        return UploadState(row[0], row[1], row[2], row[3], row[4], bool(row[5]))

    def save(self, state: UploadState, *, durable: bool = False) -> None:
        self._db().execute('UPDATE uploads SET "offset" = ?, terminated = ? WHERE id = ?',
                           (state.offset, int(state.terminated), state.id))
        point("tus.offset-saved")

    def completed(self) -> list[UploadState]:
        rows = self._db().execute('SELECT id FROM uploads WHERE terminated = 0 AND "offset" = length '
                                  "ORDER BY id").fetchall()
        found = []
        for (upload_id,) in rows:
            try:
                state = self.get(upload_id)
            except LookupError:
                continue
            if state.complete:
                found.append(state)
        return found

    @staticmethod
    def _lock_key(upload_id: str) -> int:
        return int(upload_id[:15], 16)  # 60 bits: fits PostgreSQL's bigint lock key

    def try_lock(self, upload_id: str) -> bool:
        return self._db().try_advisory_lock(self._lock_key(upload_id))

    def unlock(self, upload_id: str) -> None:
        self._db().advisory_unlock(self._lock_key(upload_id))
