"""Where the HQ receiver keeps tus uploads: one data file and one state file each.

``<folder>/<id>.bin`` holds the bytes received; ``<folder>/<id>.json`` the upload's
length, metadata, owning device and the **committed offset**. The state file is
replaced atomically after the data up to the new offset has reached the disk, so
after a crash or restart the committed offset is never ahead of the data; bytes
past it (a PATCH cut mid-way whose checksum could not be checked) are cut off
when the upload is next opened. The offset a client sees is always the committed
one, which is what makes a resumed upload byte-exact.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path


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
        self.save(state)
        return state

    def get(self, upload_id: str) -> UploadState:
        """The upload's state; raises :class:`UploadNotFound` or :class:`UploadGone`."""
        if not _ID.match(upload_id):
            raise UploadNotFound(upload_id)
        try:
            raw = json.loads(self._state_path(upload_id).read_text("utf-8"))
        except FileNotFoundError:
            raise UploadNotFound(upload_id) from None
        state = UploadState(**raw)
        if state.terminated:
            raise UploadGone(upload_id)
        return state

    def save(self, state: UploadState) -> None:
        """Replace the state file atomically (write, fsync, rename)."""
        path = self._state_path(state.id)
        tmp = path.with_suffix(".json.tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(asdict(state), fh)
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
        """Make the bytes up to ``new_offset`` durable, then record the offset."""
        fh.flush()
        os.fdatasync(fh.fileno()) if hasattr(os, "fdatasync") else os.fsync(fh.fileno())
        state.offset = new_offset
        self.save(state)

    def terminate(self, state: UploadState) -> None:
        """Delete the bytes; the id answers 410 Gone from now on."""
        state.terminated = True
        self.save(state)
        self.data_path(state.id).unlink(missing_ok=True)

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
