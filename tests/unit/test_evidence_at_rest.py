"""Evidence at rest (DESIGN "Threat model"): nothing of a photo, a recording, a thumbnail
or a document is readable in a copy of the data folder; exports and views decrypt, are
audited, and still verify with sha256sum; a folder of an earlier version is encrypted
in place once, and a kill midway loses nothing."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from keys_kit import as_, open_workspace
from app.crypto import sha256_hex
from app.crypto.filecrypt import MAGIC, FileCryptError, MasterKeyLocked, read_encrypted
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.at_rest import encrypt_folder_at_rest
from app.evidence.capture import CaptureSession, VideoSource
from app.evidence.locker import EvidenceLocker
from app.evidence.store import EvidenceStore
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from keys_kit import keys_of

OFFICERS = ["33010621001", "33010621002"]
JPEG_SOI = b"\xff\xd8\xff"
MP4_FTYP = b"ftypisom"


def photo_bytes() -> bytes:
    """A JPEG with a recognisable 64-byte run inside it."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(7)
    image = rng.integers(0, 255, (240, 320, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return bytes(data)


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]


def ingest(locker: EvidenceLocker, data: bytes, name: str = "photo.jpg"):
    return locker.ingest_stream(io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=OFFICERS,
                                source_kind=EvidenceSourceKind.FILE, source_detail=name, original_name=name,
                                inspection_id="JC-2026-1101")


@pytest.fixture
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media") / "src.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=25",
                    "-c:v", "mpeg4", "-q:v", "4", str(path)], check=True)
    return path


def test_no_plaintext_anywhere_in_the_data_folder(demo_workspace: Workspace, video: Path) -> None:
    ws = demo_workspace
    locker = EvidenceLocker(ws)
    data = photo_bytes()
    run = data[len(data) // 2:len(data) // 2 + 64]
    item = ingest(locker, data).item
    # a recording, through the real segment writer (memory file → encrypted spool → sealed)
    session = CaptureSession(locker, VideoSource(video, pace=False), officer_certs=OFFICERS,
                             inspection_id="JC-2026-1101")
    session.start_recording()
    session.start()
    deadline = time.monotonic() + 30
    while session.running and time.monotonic() < deadline:
        time.sleep(0.05)
    session.stop()
    segments = [i for i in locker.items.all() if i.media_type == "video/mp4"]
    assert segments, "the recording was sealed"
    # the demo documents
    from app.evidence.demo_media import seed_media
    from app.onsite.documents import DocumentKind, InspectionDocuments

    seed_media(ws, locker)
    pdf = InspectionDocuments(ws, session=as_(ws, "O01")).render("JC-2026-1101", DocumentKind.NOTICE)

    with locker.store.open(segments[0].sha256) as fh:
        plain_video = fh.read()
    video_run = plain_video[len(plain_video) // 2:len(plain_video) // 2 + 64]
    for path in every_file(ws.folder):
        blob = path.read_bytes()
        assert run not in blob and video_run not in blob, path
        assert JPEG_SOI not in blob[:16] and MP4_FTYP not in blob and b"%PDF" not in blob, path
    assert read_encrypted(pdf, ws.master).startswith(b"%PDF")
    with locker.store.open(item.sha256) as fh:
        assert fh.read() == data
    assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok


def test_export_decrypts_verifies_with_sha256sum_and_is_audited(demo_workspace: Workspace, tmp_path: Path) -> None:
    locker = EvidenceLocker(demo_workspace)
    data = photo_bytes()
    item = ingest(locker, data).item
    dest = locker.export(item.sha256, tmp_path / "out", actor=as_(locker, "O01"), purpose="移送")
    assert dest.read_bytes() == data
    check = subprocess.run(["sha256sum", "-c", "-"], input=f"{item.sha256}  {dest}\n", capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    with locker.view(item.sha256, actor=as_(locker, "O02"), purpose="查看") as fh:
        assert fh.read() == data
    actions = [(e.action, e.actor) for e in demo_workspace.audit.repo.entries() if e.action.startswith("evidence.")]
    assert actions[-2:] == [("evidence.export", "O01"), ("evidence.view", "O02")]
    assert [a.action for a in locker.access.for_item(item.sha256)] == ["export", "view"]


def test_a_locked_key_is_an_error_never_plaintext(demo_workspace: Workspace, tmp_path: Path) -> None:
    locker = EvidenceLocker(demo_workspace)
    item = ingest(locker, photo_bytes()).item
    locked = EvidenceStore(demo_workspace.folder, None)
    with pytest.raises(MasterKeyLocked):
        locked.open(item.sha256)
    with pytest.raises(MasterKeyLocked):
        next(locked.stage(io.BytesIO(b"x" * 100)))
    assert not locked.staging.exists() or list(locked.staging.iterdir()) == []


def test_an_altered_original_is_refused_on_export(demo_workspace: Workspace, tmp_path: Path) -> None:
    from app.evidence import errors

    locker = EvidenceLocker(demo_workspace)
    item = ingest(locker, photo_bytes()).item
    path = locker.store.path_for(item.sha256)
    os.chmod(path, 0o644)
    blob = bytearray(path.read_bytes())
    blob[200] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(errors.OriginalAltered):
        locker.export(item.sha256, tmp_path / "out", actor=as_(locker, "O01"))
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    with pytest.raises(FileCryptError):
        locker.store.open(item.sha256).read()


def _make_plain(ws: Workspace, locker: EvidenceLocker) -> list[tuple[str, bytes]]:
    """What an earlier version left: the same items, but their files in the clear."""
    items = []
    for n in range(3):
        data = photo_bytes() + bytes([n]) * 2_000_000  # multi-chunk
        item = ingest(locker, data, f"p{n}.jpg").item
        path = locker.store.path_for(item.sha256)
        os.chmod(path, 0o644)
        path.write_bytes(data)
        os.chmod(path, 0o444)
        items.append((item.sha256, data))
    docs = ws.folder / "documents" / "JC-2026-1101"
    docs.mkdir(parents=True)
    (docs / "old.pdf").write_bytes(b"%PDF-1.4 plain document")
    cache = ws.folder / "cache" / "thumbnails"
    cache.mkdir(parents=True)
    (cache / f"{items[0][0]}.jpg").write_bytes(JPEG_SOI + b"thumb")
    return items


def test_an_upgraded_folder_is_encrypted_in_place_once(demo_workspace: Workspace) -> None:
    ws = demo_workspace
    locker = EvidenceLocker(ws)
    items = _make_plain(ws, locker)
    assert len(locker.store.plaintext_files()) == 3
    # verify (read-only) names them for what they are, not as altered
    report = verify_folder(ws.folder, keys=keys_of(ws.folder))
    assert report.kinds() == {"plaintext-file"} and len(report.problems) == 3
    done = encrypt_folder_at_rest(ws)
    assert done == {"originals": 3, "documents": 1, "cache_removed": 1}
    for sha, data in items:
        path = locker.store.path_for(sha)
        assert path.read_bytes()[:4] == MAGIC and oct(path.stat().st_mode & 0o777) == "0o444"
        with locker.store.open(sha) as fh:
            assert fh.read() == data
    assert read_encrypted(ws.folder / "documents" / "JC-2026-1101" / "old.pdf", ws.master).startswith(b"%PDF")
    assert not (ws.folder / "cache" / "thumbnails" / f"{items[0][0]}.jpg").exists()
    assert verify_folder(ws.folder, keys=keys_of(ws.folder)).ok
    assert encrypt_folder_at_rest(ws) == {"originals": 0, "documents": 0, "cache_removed": 0}  # once
    assert [e.action for e in ws.audit.repo.entries()].count("evidence.encrypted_at_rest") == 1


@pytest.mark.parametrize("point", ["before-rename", "after-first-rename"])
def test_a_kill_while_encrypting_in_place_loses_nothing(demo_workspace: Workspace, point: str) -> None:
    """A child unlocks the folder and dies at a durable step of the encryption in place (the
    scratch file written and fsynced but not renamed, or one file renamed); every original is
    then whole, plain or encrypted, and the next unlock finishes the work."""
    ws = demo_workspace
    locker = EvidenceLocker(ws)
    items = _make_plain(ws, locker)
    folder = ws.folder
    ws.close()
    tests, root = Path(__file__).resolve().parents[1], Path(__file__).resolve().parents[2]
    script = textwrap.dedent(f"""
        import os, sys
        sys.path[:0] = [{str(tests)!r}, {str(root)!r}]
        from app.evidence import store as store_module
        real_replace, calls = os.replace, []
        def replace(src, dst):
            if {point!r} == "before-rename" and "upgrade-" in str(src):
                os._exit(9)
            real_replace(src, dst)
            if "upgrade-" in str(src):
                os._exit(9)
        store_module.os.replace = replace
        from pathlib import Path
        from keys_kit import open_workspace
        open_workspace(Path({str(folder)!r}), person="O01")
    """)
    child = subprocess.run([sys.executable, "-c", script], cwd=str(root), capture_output=True, text=True,
                           timeout=120)
    assert child.returncode == 9, child.stderr
    states = []
    for sha, data in items:
        blob = EvidenceStore(folder, None).path_for(sha).read_bytes()
        assert blob == data or blob[:4] == MAGIC
        states.append(blob[:4] == MAGIC)
    assert states == ([False] * 3 if point == "before-rename" else [True, False, False]) or \
        sorted(states) == sorted([True, False, False])
    ws2 = open_workspace(folder, person="O01")
    try:
        store = EvidenceStore(folder, ws2.master)
        assert store.plaintext_files() == [] and list(store.staging.glob("upgrade-*")) == []
        for sha, data in items:
            with store.open(sha) as fh:
                assert fh.read() == data
        assert verify_folder(folder, keys=keys_of(folder)).ok
    finally:
        ws2.close()


def test_viewer_copies_live_in_a_private_folder_that_is_cleaned(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    from app.evidence import viewing

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    folder = viewing.private_view_folder("O01")
    assert folder.parent == runtime / viewing.VIEW_FOLDER_NAME
    assert oct(folder.parent.stat().st_mode & 0o777) == "0o700" and oct(folder.stat().st_mode & 0o777) == "0o700"
    copy = folder / "x.jpg"
    copy.write_bytes(JPEG_SOI)
    copy.chmod(0o444)
    viewing.clean_view_folders()
    assert not copy.exists() and not folder.exists()
