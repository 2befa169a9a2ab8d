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
from sync.hq.blobs import S3Blobs, chunk_key, upload_key


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

    def store_bytes(self, state: UploadState, fh, new_offset: int) -> None:  # noqa: ANN001
        """Make the bytes up to ``new_offset`` safe before :meth:`commit` records them; may take
        long and runs on a worker thread. Nothing to do for a data file (:meth:`commit` syncs it)."""

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

    def bundle_source(self, state: UploadState) -> Path:
        """What ingest reads the finished upload's bytes from (``.open("rb")``): here the data file."""
        return self.data_path(state.id)

    def last_written(self, state: UploadState) -> float | None:
        """When the upload's bytes last grew (seconds since the epoch); None when they are gone."""
        try:
            return self.data_path(state.id).stat().st_mtime
        except FileNotFoundError:
            return None

    def discard(self, state: UploadState) -> None:
        """Called once the finished upload has its verdict. The folder keeps the data file
        (an operator may want the bundle as it arrived)."""

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


class UploadBytesMissing(OSError):
    """The chunks of a finished upload do not add up to its length: HQ's fault (a bucket
    emptied by hand, a finished upload read after its verdict), never the bundle's."""


class S3TusStore(DbTusStore):
    """Uploads whose state is a row of HQ's database and whose bytes are objects in the
    bucket of ``--blobs s3://…``: every chunk a PATCH accepted is one object,
    ``uploads/<id>/<offset, 20 digits>``, so receivers on machines that share only the
    database and the bucket resume each other's uploads.

    A PATCH's bytes are spooled to an anonymous temporary file in the local uploads folder
    (gone with the process if it is killed); :meth:`store_bytes` (on a worker thread)
    PUTs that file as the chunk's object (multipart from :data:`sync.hq.blobs.PART_BYTES`)
    and only after the PUT returned does :meth:`commit` move the offset row on: bytes first, then the offset, as in the folder. A
    chunk cut off, refused by its checksum or killed with its receiver leaves no object and
    the offset where it was; a receiver killed between the PUT and the row leaves an object
    at the committed offset, which the re-sent chunk overwrites (same key). Ingest reads
    the chunks in order, one object at a time from the network (:class:`ChunkReader`,
    memory flat); after the verdict, and on termination, they are deleted.
    """

    def __init__(self, folder: Path, database, blobs: S3Blobs) -> None:  # noqa: ANN001 - () -> Database
        super().__init__(folder, database)
        self.blobs = blobs

    def create(self, length: int, metadata: str, device_id: str) -> UploadState:
        state = UploadState(uuid.uuid4().hex, length, metadata, device_id)
        self._db().execute('INSERT INTO uploads (id, length, metadata, device_id, "offset", terminated) '
                           "VALUES (?, ?, ?, ?, 0, 0)", (state.id, length, metadata, device_id))
        return state

    def get(self, upload_id: str) -> UploadState:
        state = self._read(upload_id)  # an offset in the row is backed by objects already whole
        if state.terminated:
            raise UploadGone(upload_id)
        if self.data_path(upload_id).exists():
            self._move_into_bucket(state)
        return state

    def _move_into_bucket(self, state: UploadState) -> None:
        """An upload begun here before the bytes went to the bucket: its data file (up to the
        committed offset, less if a power cut took the tail) becomes the chunk at 0."""
        path = self.data_path(state.id)
        try:
            fh = open(path, "r+b")
        except FileNotFoundError:  # another receiver on this machine moved it just now
            return
        with fh:
            held = min(os.fstat(fh.fileno()).st_size, state.offset)
            fh.truncate(held)
            if held:
                self.blobs.upload_stream(chunk_key(state.id, 0), fh)
        if held < state.offset:
            state.offset = held
            self.save(state, durable=True)
        path.unlink(missing_ok=True)

    def open_for_append(self, state: UploadState) -> ChunkSpool:
        return ChunkSpool(self.folder, state.offset)

    def store_bytes(self, state: UploadState, fh: ChunkSpool, new_offset: int) -> None:  # type: ignore[override]
        """PUT the chunk as its object; returns once the object is whole."""
        if new_offset > state.offset and fh.stored != new_offset:
            if fh.size() != new_offset - state.offset:
                raise ValueError(f"chunk of {fh.size()} bytes recorded as {new_offset - state.offset}")
            self.blobs.upload_stream(chunk_key(state.id, state.offset), fh.file)
            fh.stored = new_offset

    def commit(self, state: UploadState, fh: ChunkSpool, new_offset: int) -> None:  # type: ignore[override]
        self.store_bytes(state, fh, new_offset)  # done already when the tus routes called it first
        state.offset = new_offset
        self.save(state, durable=True)

    def terminate(self, state: UploadState) -> None:
        state.terminated = True
        self.save(state, durable=True)
        self.blobs.delete_tree(upload_key(state.id))
        point("tus.terminated")

    def chunks(self, state: UploadState) -> list[tuple[str, int]]:
        """The keys and sizes of the chunks that make the upload's committed bytes, in order;
        :class:`UploadBytesMissing` when they do not reach the committed offset."""
        held = {}
        for item in self.blobs.listing(upload_key(state.id)):
            name = item["Key"].rsplit("/", 1)[1]
            if name.isdecimal():
                held[int(name)] = (item["Key"], item["Size"])
        found, at = [], 0
        while at < state.offset:
            if at not in held or held[at][1] == 0:
                raise UploadBytesMissing(f"upload {state.id}: no chunk at byte {at} of {state.offset}")
            found.append(held[at])
            at += held[at][1]
        if at != state.offset:
            raise UploadBytesMissing(f"upload {state.id}: chunks end at byte {at}, not {state.offset}")
        return found

    def bundle_source(self, state: UploadState) -> UploadChunks:  # type: ignore[override]
        return UploadChunks(self, state)

    def last_written(self, state: UploadState) -> float | None:
        times = [item["LastModified"].timestamp() for item in self.blobs.listing(upload_key(state.id))]
        return max(times) if times else None

    def discard(self, state: UploadState) -> None:
        """The verdict is kept: the chunks are not needed any more."""
        self.blobs.delete_tree(upload_key(state.id))


class ChunkSpool:
    """One PATCH's bytes on their way to the bucket: an anonymous temporary file (nothing
    is left of it if the receiver is killed) that offers what the tus routes use of a data
    file, with offsets counted from the upload's start."""

    def __init__(self, folder: Path, base: int) -> None:
        import tempfile

        self.base = base
        self.stored: int | None = None  # the upload offset up to which this chunk is an object
        self.file = tempfile.TemporaryFile(dir=folder, prefix="chunk-")

    def write(self, data: bytes) -> int:
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()

    def truncate(self, offset: int) -> None:
        """Drop what was written past the upload's byte ``offset`` (at least the committed one)."""
        self.file.truncate(max(0, offset - self.base))
        self.file.seek(0, os.SEEK_END)

    def size(self) -> int:
        self.file.flush()
        return os.fstat(self.file.fileno()).st_size

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> ChunkSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class UploadChunks:
    """A finished upload in a bucket as ingest reads it: ``open("rb")`` gives a
    :class:`ChunkReader` over its chunks in order (again for each attempt of ingest)."""

    def __init__(self, store: S3TusStore, state: UploadState) -> None:
        self.store, self.state = store, state

    def open(self, mode: str = "rb") -> ChunkReader:
        if mode != "rb":
            raise ValueError("an upload's chunks are read as bytes")
        return ChunkReader(self.store.blobs, self.store.chunks(self.state))

    def __str__(self) -> str:
        return f"{self.store.blobs}{upload_key(self.state.id)}/"


class ChunkReader:
    """The chunks as one stream: ``read(n)`` takes up to ``n`` bytes from the current
    object's HTTP body and moves to the next object when it ends. A fault of the bucket or
    the network is raised as :class:`OSError` (HQ's fault: no verdict; ingest runs again),
    never as a malformed bundle."""

    def __init__(self, blobs: S3Blobs, chunks: list[tuple[str, int]]) -> None:
        self.blobs = blobs
        self._chunks = list(chunks)
        self._body = None
        self._key = ""
        self._left = 0  # bytes still due from the current object

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            raise ValueError("read the chunks a block at a time")
        if n == 0:
            return b""
        if self._body is None:
            if not self._chunks:
                return b""
            self._key, self._left = self._chunks.pop(0)
            self._body = self._call(self.blobs.open_stream, self._key)
        data = self._call(self._body.read, min(n, self._left))
        if not data:
            raise UploadBytesMissing(f"the object {self._key} ended {self._left} bytes early")
        self._left -= len(data)
        if not self._left:
            self._body.close()
            self._body = None
        return data

    @staticmethod
    def _call(fn, *args):  # noqa: ANN001, ANN205
        try:
            return fn(*args)
        except OSError:
            raise
        except Exception as exc:  # botocore's and urllib3's faults are not OSError
            raise OSError(f"reading an upload's chunk failed: {exc}") from exc

    def close(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
        self._chunks = []

    def __enter__(self) -> ChunkReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
