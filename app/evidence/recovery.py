"""Seal the segments a crash left behind, and make cut-off ones playable again.

On the next start :func:`recover_open_segments` looks through
``<data>/evidence/recording/`` for sessions no live process holds, and seals each
segment it finds exactly as it is on disk (R17: an original is never altered),
with the collectors and start time from its journal and ``;recovered`` at the
end of its source detail.

A segment whose writer was killed has its frames in ``mdat`` but no index
(``moov``): no player opens it. For such a segment a second, derived item is
sealed (R17: a separate item naming its original with ``derived_from``, here with
derivation ``remux``): the same coded frames, byte for byte, in a new MP4
container whose index is built here, with the encoder's configuration header
taken from the journal. No frame is decoded or re-encoded, and nothing beyond
Python is needed on the device. The last frame of a cut-off segment is left out
of the copy, because nothing shows whether its bytes were all written; it stays
in the original.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO

from app.crypto.filecrypt import FileCryptError, MasterKeyLocked
from app.domain import EvidenceItem
from app.evidence.errors import SourceUnreadable
from app.evidence.locker import EvidenceLocker
from app.evidence.memfiles import MemFile
from app.evidence.segments import (
    LOCK_NAME,
    SegmentJournal,
    SessionLock,
    open_segment,
    recording_root,
    remove_sealed,
    seal_segment,
)
from local_db.errors import UserFacingError

log = logging.getLogger(__name__)

DERIVATION = "remux"
_CHUNK = 1 << 20
_GOV, _VOP = 0xB3, 0xB6  # MPEG-4 Part 2 start codes: group of VOPs, video object plane (a frame)


@dataclass(frozen=True, slots=True)
class RecoveredSegment:
    """What recovery did with one segment left by a crash."""

    journal: SegmentJournal
    item: EvidenceItem | None  # the original as sealed (None: nothing to seal, or sealing failed)
    derived: EvidenceItem | None = None  # the playable copy, when the original has no index
    already_sealed: bool = False  # the seal had committed before the crash; only files were left
    frames: int | None = None  # complete frames found in a segment without an index
    error: UserFacingError | None = None  # sealing failed; the files were kept for the next try


@dataclass(frozen=True, slots=True)
class StreamLayout:
    """Where the coded frames of an MP4 file are, as found by reading its boxes."""

    has_index: bool  # a moov box is present: the file plays as it is
    payload_start: int  # first byte of mdat's content
    payload_end: int
    samples: tuple[tuple[int, int, bool], ...]  # (offset, size, is key frame) of complete frames


def recover_open_segments(locker: EvidenceLocker) -> list[RecoveredSegment]:
    """Seal every segment left by a crash; returns one entry per journal found.

    Sessions locked by a live process (this one included) are skipped. Safe to run
    again: a segment whose seal had already committed is recognised by its hash
    and only its files are removed.
    """
    root = recording_root(locker.ws.folder)
    results: list[RecoveredSegment] = []
    if not root.is_dir():
        return results
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        lock = SessionLock(folder)
        if not lock.acquire():
            continue  # a session is recording into it right now
        try:
            for journal_path in sorted(folder.glob("segment-*.json")):
                try:
                    journal = SegmentJournal.from_json(journal_path.read_bytes())
                except (OSError, ValueError, TypeError, KeyError):
                    log.warning("unreadable segment journal %s left in place", journal_path)
                    continue
                results.append(_recover_one(locker, folder, journal))
            for scratch in [*folder.glob(".*.tmp"), *folder.glob(".probe-*"), *folder.glob(".remux-*"),
                            *folder.glob(".*.closing.tmp")]:
                scratch.unlink(missing_ok=True)  # half-written journals and copies: never evidence
            for segment in folder.glob("segment-*.mp4"):
                # The journal is on disk before the first frame, and goes after the segment once
                # sealed: a segment without one was killed before it held a frame.
                if not segment.with_suffix(".json").exists():
                    segment.unlink(missing_ok=True)
        finally:
            leftovers = [p for p in folder.iterdir() if p.name != LOCK_NAME]
            lock.release(remove=not leftovers)
            if not leftovers:
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return results


def _recover_one(locker: EvidenceLocker, folder: Path, journal: SegmentJournal) -> RecoveredSegment:
    stored = folder / journal.file
    if not stored.is_file():
        return _recover_plain(locker, folder, journal, stored, None)
    # The segment's plaintext (a spool up to its last whole chunk) goes into memory only.
    try:
        with open_segment(stored, locker.store.master) as src, MemFile("recovered", ".mp4") as mem:
            with open(mem.fd, "wb", closefd=False, buffering=0) as out:
                while block := src.read(_CHUNK):
                    out.write(block)
            return _recover_plain(locker, folder, journal, stored, mem.path)
    except (FileCryptError, OSError) as exc:
        if isinstance(exc, MasterKeyLocked):
            raise
        return RecoveredSegment(journal, None, error=_as_user_error(exc, stored))


def _recover_plain(locker: EvidenceLocker, folder: Path, journal: SegmentJournal, stored: Path,
                   video: Path | None) -> RecoveredSegment:
    layout = read_layout(video) if video is not None else None
    if layout is None or (not layout.has_index and layout.payload_end <= layout.payload_start):
        # Killed before the writer's first buffer reached the disk: headers at most, no frame.
        remove_sealed(folder, journal.index)
        return RecoveredSegment(journal, None, frames=0)
    frames = None if layout.has_index else len(layout.samples)
    try:
        result = seal_segment(locker, journal, video, recovered=True)
    except (UserFacingError, OSError) as exc:
        return RecoveredSegment(journal, None, frames=frames, error=_as_user_error(exc, stored))
    derived = None
    if not layout.has_index and layout.samples and journal.codec_config:
        try:
            derived = _seal_remux(locker, journal, video, layout, result.item.sha256)
        except (UserFacingError, OSError) as exc:
            # The original is sealed; the files stay so that the next start makes the copy.
            return RecoveredSegment(journal, result.item, None, result.duplicate, frames, _as_user_error(exc, stored))
    remove_sealed(folder, journal.index)
    return RecoveredSegment(journal, result.item, derived, already_sealed=result.duplicate, frames=frames)


def _as_user_error(exc: BaseException, video: Path) -> UserFacingError:
    if isinstance(exc, UserFacingError):
        return exc
    return SourceUnreadable(video.name, getattr(exc, "strerror", None) or str(exc))


def _seal_remux(locker: EvidenceLocker, journal: SegmentJournal, video: Path, layout: StreamLayout,
                original_sha256: str) -> EvidenceItem:
    with MemFile("remux", ".mp4") as copy:  # built in memory, sealed encrypted
        with open(copy.fd, "wb", closefd=False) as dst, open(video, "rb") as src:
            write_mp4(src, dst, layout.samples, config=bytes.fromhex(journal.codec_config), fps=journal.fps,
                      width=journal.width, height=journal.height)
        # The copy is made from these very bytes, so the same crash recovered twice gives the
        # same copy and the second seal is recognised as a duplicate.
        return seal_segment(locker, journal, copy.path, recovered=True, derived_from=original_sha256,
                            derivation=DERIVATION).item


# --- reading: where are the frames ---------------------------------------------------------------


def read_layout(path: Path) -> StreamLayout | None:
    """The frames of an MPEG-4 Part 2 stream in an MP4 file, with or without its index.

    Reads box headers, then scans ``mdat`` for start codes in 1 MiB chunks (flat
    memory whatever the size). Without an index the last frame is not counted:
    its end cannot be told from a write cut short. None when there is no ``mdat``.
    """
    with open(path, "rb") as fh:
        end = fh.seek(0, 2)
        mdat, has_index = None, False
        for kind, start, stop in _boxes(fh, 0, end):
            if kind == b"mdat" and mdat is None:
                mdat = (start, stop)
            elif kind == b"moov":
                has_index = True
        if mdat is None:
            return None
        starts = list(_frame_starts(fh, *mdat))
    ends = [offset for offset, _ in starts[1:]] + [mdat[1]]
    samples = [(offset, end - offset, key) for (offset, key), end in zip(starts, ends)]
    if not has_index and samples:
        samples.pop()
    return StreamLayout(has_index, mdat[0], mdat[1], tuple(samples))


def _boxes(fh: BinaryIO, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes between start and end; a cut box ends at EOF."""
    pos = start
    while pos + 8 <= end:
        fh.seek(pos)
        size, kind = struct.unpack(">I4s", fh.read(8))
        header = 8
        if size == 1:
            raw = fh.read(8)
            if len(raw) < 8:
                return
            size, header = struct.unpack(">Q", raw)[0], 16
        elif size == 0:  # "extends to the end of the file": how a writer leaves mdat until it closes
            size = end - pos
        if size < header:
            return
        yield kind, pos + header, min(pos + size, end)
        pos += size


def _frame_starts(fh: BinaryIO, start: int, end: int) -> Iterator[tuple[int, bool]]:
    """(offset, is key frame) where each coded frame begins (a GOV header belongs to its frame)."""
    pos, tail, pending_gov = start, b"", None
    fh.seek(start)
    while pos < end:
        chunk = fh.read(min(_CHUNK, end - pos))
        if not chunk:
            break
        data, base = tail + chunk, pos - len(tail)
        i = data.find(b"\x00\x00\x01")
        while i != -1 and i + 4 < len(data):
            code = data[i + 3]
            if code == _GOV:
                pending_gov = base + i
            elif code == _VOP:
                key = (data[i + 4] >> 6) == 0  # vop_coding_type 0: intra
                yield (pending_gov if pending_gov is not None else base + i), key
                pending_gov = None
            i = data.find(b"\x00\x00\x01", i + 1)
        keep = 4 if i == -1 else len(data) - i
        tail = data[-keep:]
        pos += len(chunk)


# --- writing: a new container around the same frames -----------------------------------------------


def write_mp4(src: BinaryIO, dst: BinaryIO, samples: tuple[tuple[int, int, bool], ...], *, config: bytes,
              fps: float, width: int, height: int) -> None:
    """Write an MP4 holding ``samples`` (copied from ``src``) with a freshly built index.

    The frames must be contiguous in ``src`` (as a writer leaves them in mdat).
    Deterministic: no creation time is written, so the same input gives the same bytes.
    """
    first = samples[0][0]
    total = samples[-1][0] + samples[-1][1] - first
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    dst.write(ftyp)
    wide = total + 8 > 0xFFFFFFFF
    dst.write(struct.pack(">I4sQ", 1, b"mdat", total + 16) if wide else struct.pack(">I4s", total + 8, b"mdat"))
    payload_at = len(ftyp) + (16 if wide else 8)
    src.seek(first)
    left = total
    while left:
        block = src.read(min(_CHUNK, left))
        if not block:
            raise OSError("segment shorter than its frames")
        dst.write(block)
        left -= len(block)
    sizes = [size for _, size, _ in samples]
    keys = [n + 1 for n, (_, _, key) in enumerate(samples) if key]
    dst.write(_moov(sizes, keys, payload_at, config=config, fps=fps, width=width, height=height))


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I4s", len(body) + 8, kind) + body


def _full(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


def _descriptor(tag: int, body: bytes) -> bytes:
    n = len(body)  # 4-byte size form, as most muxers write it
    return bytes([tag, 0x80 | (n >> 21) & 0x7F, 0x80 | (n >> 14) & 0x7F, 0x80 | (n >> 7) & 0x7F, n & 0x7F]) + body


_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _moov(sizes: list[int], keys: list[int], offset: int, *, config: bytes, fps: float,
          width: int, height: int) -> bytes:
    rate = Fraction(fps).limit_denominator(1001) if fps > 0 else Fraction(25)
    scale = math.ceil(1000 / rate.numerator)  # keep the media time scale at 1000 or more
    timescale, delta = rate.numerator * scale, rate.denominator * scale
    count = len(sizes)
    media_duration = count * delta
    movie_duration = media_duration * 1000 // timescale
    esds = _full(b"esds", 0, 0, _descriptor(3, struct.pack(">HB", 1, 0) + _descriptor(
        4, struct.pack(">BB3sII", 0x20, 0x11, b"\x00\x00\x00", 0, 0) + _descriptor(5, config))
        + _descriptor(6, b"\x02")))
    entry = _box(b"mp4v", bytes(6), struct.pack(">H", 1), bytes(16), struct.pack(">HH", width, height),
                 struct.pack(">IIIH", 0x480000, 0x480000, 0, 1), bytes(32), struct.pack(">Hh", 0x18, -1), esds)
    chunk_offset = (_full(b"co64", 0, 0, struct.pack(">IQ", 1, offset)) if offset > 0xFFFFFFFF
                    else _full(b"stco", 0, 0, struct.pack(">II", 1, offset)))
    stbl = _box(b"stbl",
                _full(b"stsd", 0, 0, struct.pack(">I", 1), entry),
                _full(b"stts", 0, 0, struct.pack(">III", 1, count, delta)),
                _full(b"stss", 0, 0, struct.pack(f">I{len(keys)}I", len(keys), *keys)),
                _full(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, count, 1)),
                _full(b"stsz", 0, 0, struct.pack(f">II{count}I", 0, count, *sizes)),
                chunk_offset)
    minf = _box(b"minf", _full(b"vmhd", 0, 1, bytes(8)),
                _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1), _full(b"url ", 0, 1))), stbl)
    mdia = _box(b"mdia",
                _full(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, media_duration, 0x55C4, 0)),
                _full(b"hdlr", 0, 0, struct.pack(">I4s12s", 0, b"vide", bytes(12)), b"VideoHandler\x00"),
                minf)
    tkhd = _full(b"tkhd", 0, 3, struct.pack(">IIIII", 0, 0, 1, 0, movie_duration), bytes(8),
                 struct.pack(">hhhH", 0, 0, 0, 0), _MATRIX, struct.pack(">II", width << 16, height << 16))
    mvhd = _full(b"mvhd", 0, 0, struct.pack(">IIII", 0, 0, 1000, movie_duration),
                 struct.pack(">IH", 0x10000, 0x100), bytes(10), _MATRIX, bytes(24), struct.pack(">I", 2))
    return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))
