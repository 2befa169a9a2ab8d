"""Importing files and folder trees: progress, skipping, cancellation that leaves nothing."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from cli import main as cli
from app.evidence import errors
from app.evidence.store import EvidenceStore
from app.evidence.importer import FileImport, import_paths
from app.evidence.locker import EvidenceLocker
from app.workspace import Workspace

MiB = 1 << 20


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def dcim(tmp_path: Path) -> Path:
    root = tmp_path / "CAM" / "DCIM"
    write(root / "100MEDIA" / "IMG_0001.JPG", b"\xff\xd8\xff\xe0" + os.urandom(2000))
    write(root / "100MEDIA" / "IMG_0001.THM", b"\xff\xd8\xff\xe0thumbnail")  # camera side file
    write(root / "100MEDIA" / "VID_0002.MP4", b"\x00\x00\x00\x18ftypisom" + os.urandom(24 * MiB))  # copied over many chunks
    write(root / "101MEDIA" / "notes.bin", b"random junk, not media")
    write(root / ".Trashes" / "IMG_9.JPG", b"\xff\xd8\xff\xe0" + os.urandom(10))
    return root


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def options() -> dict[str, object]:
    return dict(inspection_id="JC-2026-1101", officer_certs=["33010621001", "33010621002"],
                evidence_type="视听资料")


def nothing_staged(locker: EvidenceLocker) -> bool:
    return not locker.store.staging.exists() or list(locker.store.staging.iterdir()) == []


def test_folder_import_seals_media_reports_the_rest_and_shows_progress(
        locker: EvidenceLocker, dcim: Path) -> None:
    steps = []
    report = import_paths(locker, [dcim], progress=steps.append, **options())
    assert sorted(i.original_name for i in report.imported) == ["IMG_0001.JPG", "VID_0002.MP4"]
    assert [(p.name, type(e)) for p, e in report.failed] == [("notes.bin", errors.UnsupportedMedia)]
    total = sum(p.stat().st_size for p in [dcim / "100MEDIA/IMG_0001.JPG", dcim / "100MEDIA/VID_0002.MP4",
                                           dcim / "101MEDIA/notes.bin"])
    assert {s.bytes_total for s in steps} == {total}
    done = [s.bytes_done for s in steps]
    assert done == sorted(done) and done[-1] == total and len(steps) > 4  # chunk-level progress
    assert all(i.source_detail.startswith(str(dcim)) for i in report.imported)
    assert {i.inspection_id for i in report.imported} == {"JC-2026-1101"}


def test_already_imported_files_are_skipped(locker: EvidenceLocker, dcim: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import_paths(locker, [dcim], **options())
    with monkeypatch.context() as m:
        # the same card again: recognised by hashing in place, nothing is copied
        m.setattr(locker.store, "stage", lambda *a, **k: pytest.fail("copied a file already sealed"))
        again = import_paths(locker, [dcim], **options())
    assert again.imported == [] and len(again.duplicates) == 2
    copy = write(tmp_path / "elsewhere" / "same.mp4", (dcim / "100MEDIA" / "VID_0002.MP4").read_bytes())
    report = import_paths(locker, [dcim, copy], **options())
    assert report.imported == [] and len(report.duplicates) == 3
    assert len(locker.seals.all()) == 2


def test_cancel_event_mid_file_leaves_nothing_of_that_file(locker: EvidenceLocker, dcim: Path) -> None:
    cancel = threading.Event()
    job = FileImport(locker, [dcim], cancel=cancel, **options())
    for step in job.run():
        if step.current is not None and step.current.name == "VID_0002.MP4" and step.bytes_done > 2100:
            cancel.set()  # after the first MiB of the video was copied
    assert job.report.cancelled
    assert [i.original_name for i in job.report.imported] == ["IMG_0001.JPG"]
    assert [s.sha256 for s in locker.seals.all()] == [job.report.imported[0].sha256]
    assert list(locker.store.stored_hashes()) == [job.report.imported[0].sha256]
    assert nothing_staged(locker)


def test_closing_the_generator_mid_copy_leaves_nothing(locker: EvidenceLocker, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    video = write(tmp_path / "big.mp4", b"\x00\x00\x00\x18ftypisom" + os.urandom(4 * MiB))
    # A slow card: after its first chunk the copy waits, so the import is stopped mid-copy.
    reached, release = threading.Event(), threading.Event()
    stage = EvidenceStore.stage

    def slow_stage(self: EvidenceStore, src):  # type: ignore[no-untyped-def]
        steps = stage(self, src)
        yield next(steps)
        reached.set()
        release.wait(10)
        return (yield from steps)

    monkeypatch.setattr(EvidenceStore, "stage", slow_stage)
    job = FileImport(locker, [video], **options())
    run = job.run()
    next(run)  # before the file
    assert reached.wait(10)
    step = next(run)
    assert 0 < step.bytes_done < video.stat().st_size
    assert len(list(locker.store.staging.iterdir())) == 1  # the copy is under way
    threading.Timer(0.2, release.set).start()  # the card answers again after the stop was asked
    run.close()
    assert job.report.cancelled and nothing_staged(locker)
    assert locker.seals.all() == [] and list(locker.store.stored_hashes()) == []
    assert locker.ws.db.execute("SELECT COUNT(*) FROM evidence").fetchone()[0] == 0


def test_R15_import_needs_a_statutory_type_before_reading_files(locker: EvidenceLocker, dcim: Path) -> None:
    with pytest.raises(errors.EvidenceTypeInvalid):
        FileImport(locker, [dcim], **{**options(), "evidence_type": "照片"})


def test_unknown_inspection_or_officer_fails_the_batch_at_once(locker: EvidenceLocker, dcim: Path) -> None:
    with pytest.raises(errors.UnknownInspection):
        FileImport(locker, [dcim], **{**options(), "inspection_id": "JC-1999-0001"})
    with pytest.raises(errors.UnknownOfficer):
        FileImport(locker, [dcim], **{**options(), "officer_certs": ["33010621001", "00000000000"]})


def test_cli_import_then_verify(demo_workspace: Workspace, dcim: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(demo_workspace.folder)
    demo_workspace.close()
    args = ["import", str(dcim / "100MEDIA"), "--inspection", "JC-2026-1101",
            "--officer", "33010621001", "--officer", "33010621002", "--data", folder]
    assert cli.main(args) == 0
    assert "imported 2" in capsys.readouterr().out
    assert cli.main(args) == 0
    assert "skipped 2" in capsys.readouterr().out
    assert cli.main(["verify", folder]) == 0
    assert "intact" in capsys.readouterr().out
    assert cli.main([*args[:-2], "--data", folder, "--type", "照片"]) == 2
    assert "第四十六条" in capsys.readouterr().err
    assert cli.main([args[0], str(dcim / "101MEDIA"), *args[1:]]) == 1  # the junk file failed
    assert "notes.bin" in capsys.readouterr().err
    assert {"verify", "import"} <= set(cli.COMMANDS)


def test_a_staged_file_waiting_for_its_seal_is_not_swept_by_another_import(locker: EvidenceLocker,
                                                                           tmp_path: Path) -> None:
    """Two files are copied at once; the second may wait minutes behind a large first one.
    Another import's sweep takes only staging files nobody has open, so it leaves this one."""
    from app.evidence.copier import BackgroundCopy
    from app.evidence.importer import sweep_dead_staging

    video = write(tmp_path / "wait.mp4", b"\x00\x00\x00\x18ftypisom" + os.urandom(2 * MiB))
    copy = BackgroundCopy(locker.store, video)
    assert copy.wait(10)
    [staged] = locker.store.staging.glob("incoming-*.part")  # copied, closed, waiting for its seal
    assert sweep_dead_staging(locker.store, grace_s=0) == 0 and staged.exists()
    copy.stop()  # never sealed after all (the import was cancelled): the copy removes it itself
    assert not staged.exists() and nothing_staged(locker)
