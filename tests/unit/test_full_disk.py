"""A full disk while a bundle or a document is written: answered with its own message,
nothing partial left behind (import: tests/unit/test_import_hostile_sources.py; on real small and read-only file systems: tests/integration/test_small_disk.py)."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.documents import pdf
from app.documents.errors import DocumentWriteFailed
from app.workspace import Workspace
from cli import main as cli
from keys_kit import as_, create_workspace
from sync import tarstream


def _full(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_while_a_bundle_is_written_is_named_and_leaves_no_partial_file(
        demo_workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from sync.hq import keys
    from sync.pairing import pair_with_folder

    keys.keygen(tmp_path / "hq")
    pair_with_folder(demo_workspace, tmp_path / "hq", session=as_(demo_workspace, "M01"))
    folder = demo_workspace.folder
    demo_workspace.close()
    monkeypatch.setattr(tarstream.TarStream, "add_bytes", _full)
    out = tmp_path / "usb" / "b.bundle"
    assert cli.main(["bundle", "--out", str(out), "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and "The disk is full" in err and "Traceback" not in err
    assert list(out.parent.iterdir()) == []


def test_a_full_disk_while_a_document_is_written_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.crypto.filecrypt as filecrypt

    ws = create_workspace(tmp_path / "data")
    try:
        monkeypatch.setattr(filecrypt.os, "fsync", _full)
        with pytest.raises(DocumentWriteFailed) as caught:
            pdf.write_atomic(tmp_path / "out.pdf", lambda fh: fh.write(b"%PDF-1.4"), master=ws.master)
    finally:
        monkeypatch.undo()
        ws.close()
    assert "磁盘空间已满" in caught.value.zh and "disk is full" in caught.value.en
    assert not list(tmp_path.glob("*out.pdf*"))
