"""Sources that misbehave during an import: names that are not UTF-8 (GBK from Chinese
Windows PCs), control and bidirectional characters, a file cut short or rewritten while it
is copied, a full disk. Each is answered for that file; the others are sealed."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from app.evidence import errors, names
from app.evidence.importer import FileImport, import_paths
from app.evidence.locker import EvidenceLocker
from app.evidence.store import EvidenceStore
from app.evidence.verify import verify_folder
from app.workspace import Workspace
from keys_kit import as_, keys_of

OFFICER, INSPECTION = "33010621001", "JC-2026-1101"
GBK = "现场照片".encode("gbk") + b".jpg"
BIDI = "\u202egpj.exe"


def jpeg(n: int = 5000) -> bytes:
    return b"\xff\xd8\xff\xe0" + os.urandom(n)


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def options(locker: EvidenceLocker) -> dict[str, object]:
    """The collector is the signed-in person importing (O01)."""
    return {"inspection_id": INSPECTION, "actor": as_(locker, "O01"), "evidence_type": "audiovisual"}


def test_a_gbk_name_is_sealed_with_its_exact_bytes_and_the_others_are_sealed_too(
        locker: EvidenceLocker, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    with open(os.fsencode(src) + b"/" + GBK, "wb") as fh:
        fh.write(jpeg())
    (src / "ok.jpg").write_bytes(jpeg())
    (src / BIDI).write_bytes(jpeg())
    report = import_paths(locker, [src], **options(locker))
    assert report.failed == [] and len(report.imported) == 3
    by_name = {i.original_name: i for i in report.imported}
    gbk = next(i for i in report.imported if "\\x" in i.original_name)
    assert gbk.original_name == GBK.decode("utf-8", "backslashreplace")
    assert gbk.source_detail.endswith(names.NAME_HEX + GBK.hex())  # the bytes, exactly
    assert bytes.fromhex(gbk.source_detail.rsplit(names.NAME_HEX, 1)[1]) == GBK
    assert BIDI in by_name  # valid text: kept as it is, only escaped when shown
    assert names.display(BIDI) == "\\u202egpj.exe"
    assert verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder)).ok
    # imported again: recognised, not sealed twice
    again = import_paths(locker, [src], **options(locker))
    assert len(again.duplicates) == 3 and again.imported == []


@pytest.mark.parametrize("change", ["truncate", "grow", "touch"])
def test_a_source_changed_while_it_is_copied_is_refused_not_sealed_short(
        locker: EvidenceLocker, tmp_path: Path, change: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    victim = src / "b.jpg"
    victim.write_bytes(jpeg(400_000))
    (src / "a.jpg").write_bytes(jpeg())
    job = FileImport(locker, [src], **options(locker))  # type: ignore[arg-type]
    prepare = job._prepare

    def changing(path: Path):  # noqa: ANN202 - the file changes after its state was taken
        out = prepare(path)
        if path == victim:
            if change == "truncate":
                os.truncate(victim, 1000)
            elif change == "grow":
                with open(victim, "ab") as fh:
                    fh.write(b"x" * 10)
            else:
                st = victim.stat()
                os.utime(victim, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        return out

    job._prepare = changing  # type: ignore[method-assign]
    for _ in job.run():
        pass
    assert [i.original_name for i in job.report.imported] == ["a.jpg"]
    [(path, error)] = job.report.failed
    assert path == victim and isinstance(error, errors.SourceChanged)
    assert "复制过程中被改动" in error.zh and "changed while it was being copied" in error.en
    store = EvidenceStore(locker.ws.folder, None)
    assert not list(store.staging.glob("*.part"))
    assert len(list(store.stored_hashes())) == 1


def test_a_full_disk_is_named_as_such_not_as_an_unreadable_source(
        locker: EvidenceLocker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.jpg").write_bytes(jpeg())

    def full(self, src):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, "No space left on device", str(self.staging))
        yield 0

    monkeypatch.setattr(EvidenceStore, "stage", full)
    report = import_paths(locker, [tmp_path / "a.jpg"], **options(locker))
    [(_, error)] = report.failed
    assert isinstance(error, errors.DiskFull)
    assert "磁盘空间已满" in error.zh and "disk is full" in error.en
