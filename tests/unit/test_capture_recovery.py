"""Recovery of segments a crash left behind, and the rebuilt index of a cut-off segment (R17).

The files here are made by the real writer (SegmentWriter, OpenCV ``mp4v``), which
keeps them encrypted on disk; a "cut-off" segment is that file's plaintext with its
index removed and its tail cut mid-frame, spooled as a killed writer leaves it (whole
chunks, no final chunk) (tests/integration/test_capture_kill.py kills real processes).
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import cv2
import pytest

from keys_kit import keys_of
import os

from app.crypto.filecrypt import EncryptedWriter
from app.evidence.locker import EvidenceLocker
from app.evidence.recovery import DERIVATION, read_layout, recover_open_segments, write_mp4
from app.evidence.segments import (
    RECOVERED_SUFFIX,
    SPOOL_CHUNK,
    RecordingFolder,
    open_segment,
    SegmentJournal,
    codec_config,
    recording_root,
    start_segment,
    write_atomic,
)
from app.evidence.verify import verify_folder
from app.workspace import Workspace

OFFICERS = ("33010621001", "33010621002")


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> list:
    path = tmp_path_factory.mktemp("media") / "src.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=25",
                    "-c:v", "mpeg4", "-q:v", "3", str(path)], check=True)
    cap = cv2.VideoCapture(str(path))
    out = []
    while True:
        ok, image = cap.read()
        if not ok:
            return out
        out.append(image)


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def record(locker: EvidenceLocker, frames: list, *, session: str = "S1", index: int = 1,
           officers: tuple[str, ...] = OFFICERS) -> tuple[RecordingFolder, SegmentJournal, Path]:
    """A closed segment written by the real writer, left unsealed, its session's lock released."""
    folder = RecordingFolder(locker.ws.folder, session, master=locker.store.master)
    writer = start_segment(folder, index, source_detail="webcam:0", officers=officers, inspection_id="JC-2026-1101",
                           evidence_type="audiovisual", started_at=locker.ws.clock().replace(microsecond=0),
                           fps=25.0, size=(320, 240), seconds=60)
    for image in frames:
        writer.write(image)
    journal = writer.close(datetime.now())
    folder.lock.release()  # the process that held it is gone
    return folder, journal, writer.path


def plain(locker: EvidenceLocker, path: Path) -> bytes:
    """A segment's plaintext, through the decrypting reader."""
    with open_segment(path, locker.store.master) as fh:
        return fh.read()


def plain_copy(locker: EvidenceLocker, path: Path, scratch: Path) -> Path:
    """The plaintext in a scratch file of the test, for ffmpeg and read_layout."""
    scratch.write_bytes(plain(locker, path))
    return scratch


def spool(locker: EvidenceLocker, path: Path, data: bytes) -> bytes:
    """Write ``data`` as a killed writer's spool (no final chunk); returns what survives of it."""
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
    w = EncryptedWriter(fd, locker.store.master, chunk_size=SPOOL_CHUNK)
    w.write(data)
    w.abandon()
    os.close(fd)
    return data[:len(data) // SPOOL_CHUNK * SPOOL_CHUNK]


def cut_off(locker: EvidenceLocker, path: Path, journal_path: Path, journal: SegmentJournal, keep: int) -> bytes:
    """Turn a closed segment into what a killed writer leaves: no moov, mdat to EOF, tail cut."""
    data = plain(locker, path)
    mdat = data.index(b"mdat") - 4
    cut = bytearray(data[:data.index(b"moov") - 4])[:keep]
    cut[mdat:mdat + 4] = struct.pack(">I", 0)
    kept = spool(locker, path, bytes(cut))
    write_atomic(journal_path, _open_journal(journal))
    return kept


def _open_journal(journal: SegmentJournal) -> bytes:
    """The journal as it stood while the segment was open."""
    return replace(journal, closed_at=None, frames=None).to_json()


def framemd5(path: Path) -> list[str]:
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "framemd5", "-"],
                         capture_output=True, text=True, check=True).stdout
    return [line.rsplit(",", 1)[1].strip() for line in out.splitlines() if line and not line.startswith("#")]


def test_rebuilt_index_gives_back_every_frame_bit_exact(locker: EvidenceLocker, frames: list,
                                                        tmp_path: Path) -> None:
    """The container is rebuilt around the same coded frames: decoding gives identical pictures."""
    _, journal, stored = record(locker, frames)
    path = plain_copy(locker, stored, tmp_path / "segment.mp4")
    layout = read_layout(path)
    assert layout.has_index and len(layout.samples) == len(frames) == 75
    assert layout.samples[0][2] and sum(key for *_, key in layout.samples) >= 1  # starts on a key frame
    copy = tmp_path / "copy.mp4"
    with open(path, "rb") as src, open(copy, "wb") as dst:
        write_mp4(src, dst, layout.samples, config=bytes.fromhex(journal.codec_config), fps=25.0,
                  width=320, height=240)
    assert framemd5(copy) == framemd5(path)
    # deterministic: the same input gives the same bytes (a second recovery is a duplicate)
    again = tmp_path / "again.mp4"
    with open(path, "rb") as src, open(again, "wb") as dst:
        write_mp4(src, dst, layout.samples, config=bytes.fromhex(journal.codec_config), fps=25.0,
                  width=320, height=240)
    assert again.read_bytes() == copy.read_bytes()


def test_codec_header_probe_matches_the_writer(locker: EvidenceLocker, frames: list, tmp_path: Path) -> None:
    _, journal, stored = record(locker, frames)
    path = plain_copy(locker, stored, tmp_path / "segment.mp4")
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
    index = int(cap.get(cv2.CAP_PROP_CODEC_EXTRADATA_INDEX))
    assert cap.grab()
    ok, extradata = cap.retrieve(None, index)
    assert ok and bytes(extradata.ravel()).hex() == journal.codec_config
    assert codec_config(locker.ws.folder, 320, 240, 25.0).hex() == journal.codec_config


def test_R17_cut_off_segment_is_sealed_as_is_plus_a_playable_derived_copy(locker: EvidenceLocker,
                                                                          frames: list, tmp_path: Path) -> None:
    folder, journal, path = record(locker, frames)
    full_md5 = framemd5(plain_copy(locker, path, tmp_path / "full.mp4"))
    raw = cut_off(locker, path, folder.journal_path(1), journal, keep=path.stat().st_size * 2 // 3)
    assert plain(locker, path) == raw
    layout = read_layout(plain_copy(locker, path, tmp_path / "cut.mp4"))
    assert not layout.has_index and 0 < len(layout.samples) < len(frames)

    (result,) = recover_open_segments(locker)
    assert result.error is None and not result.already_sealed and result.frames == len(layout.samples)
    original, copy = result.item, result.derived
    # the original is the file exactly as the crash left it
    assert original.sha256 == hashlib.sha256(raw).hexdigest() and original.size == len(raw)
    assert original.source_detail == "webcam:0" + RECOVERED_SUFFIX and original.duration_ms is None
    assert original.officer_certs == OFFICERS and original.captured_at.isoformat() == journal.started_at
    # the derived copy names it, plays, and holds the complete frames unchanged
    assert copy.derived_from == original.sha256 and copy.derivation == DERIVATION
    assert copy.source_detail.endswith(RECOVERED_SUFFIX) and copy.duration_ms == result.frames * 40
    with locker.store.plaintext_path(copy.sha256) as playable:
        assert framemd5(Path(playable)) == full_md5[:result.frames]
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).ok
    assert not folder.path.exists() and recover_open_segments(locker) == []


def test_closed_but_unsealed_segment_is_sealed_without_a_copy(locker: EvidenceLocker, frames: list) -> None:
    folder, journal, path = record(locker, frames)
    sha = hashlib.sha256(plain(locker, path)).hexdigest()
    (result,) = recover_open_segments(locker)
    assert result.item.sha256 == sha and result.derived is None and result.item.duration_ms == 3000
    assert [i.sha256 for i in locker.items.all()] == [sha]


def test_a_journal_whose_segment_never_got_a_frame_is_dropped(locker: EvidenceLocker, frames: list) -> None:
    folder, journal, path = record(locker, frames)
    spool(locker, path, plain(locker, path)[:44])  # headers only: killed before the first flush
    write_atomic(folder.journal_path(1), _open_journal(journal))
    (result,) = recover_open_segments(locker)
    assert result.item is None and result.frames == 0 and locker.items.all() == []
    assert list(recording_root(locker.ws.folder).iterdir()) == []


def test_a_live_session_is_never_taken_for_a_leftover(locker: EvidenceLocker, frames: list) -> None:
    folder, _, path = record(locker, frames)
    assert folder.lock.acquire()  # a session recording right now
    assert recover_open_segments(locker) == [] and path.exists() and locker.items.all() == []
    folder.lock.release()
    assert len(recover_open_segments(locker)) == 1


def test_a_failed_recovery_keeps_the_files_for_the_next_start(locker: EvidenceLocker, frames: list) -> None:
    """Bad input gets a clear error and loses nothing: an officer no longer on the roster."""
    folder, _, path = record(locker, frames, officers=("99999999999",))
    (result,) = recover_open_segments(locker)
    assert result.item is None and "99999999999" in result.error.zh
    assert path.exists() and folder.journal_path(1).exists() and locker.items.all() == []
