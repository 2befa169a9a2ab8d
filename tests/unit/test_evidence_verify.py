"""verify names each kind of tampering precisely: file byte, seal field, signature,
order, deleted record, inserted record (R17 "防删改")."""

from __future__ import annotations

import base64
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from keys_kit import keys_of
from tests.database_key import connect_raw
from app import crypto
from app.crypto.filecrypt import write_encrypted
from cli import main as cli
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.seal import record_hash
from app.evidence.verify import PROBLEM_KINDS, verify_folder
from app.workspace import Workspace
from local_db.database import DB_FILENAME


@pytest.fixture
def folder(demo_workspace: Workspace) -> Iterator[Path]:
    """A data folder with three sealed items, closed so that only raw access remains."""
    locker = EvidenceLocker(demo_workspace)
    for tag in "abc":
        locker.ingest_stream(
            io.BytesIO(b"\xff\xd8\xff\xe0" + tag.encode() * 300), evidence_type=EvidenceType.AUDIOVISUAL,
            officer_certs=["33010621001", "33010621002"], source_kind=EvidenceSourceKind.WEBCAM,
            source_detail="0", inspection_id="JC-2026-1101", original_name=f"{tag}.jpg")
    demo_workspace.close()
    yield demo_workspace.folder


DROPPED = ("seal_records_no_update", "seal_records_no_delete", "evidence_no_delete")


def raw(folder: Path):
    conn = connect_raw(folder / DB_FILENAME, keys_of(folder).db_key, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    for trigger in DROPPED:
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")  # what someone with the file could do
    return conn


def seal(conn, seq: int) -> tuple[bytes, str, dict]:
    record, sha = conn.execute("SELECT record, sha256 FROM seal_records WHERE seq = ?", [seq]).fetchone()
    return record.encode(), sha, json.loads(record)


def store_path(folder: Path, sha: str) -> Path:
    return folder / "evidence" / "sha256" / sha[:2] / sha


def problems_of(folder: Path) -> list:
    """verify's findings, less the triggers raw() drops to tamper (test_anchored_chains.py covers those)."""
    return [p for p in verify_folder(folder, keys=keys_of(folder)).problems
            if not (p.kind == "missing-trigger" and p.detail in (*DROPPED, "evidence_sealed_columns_no_update"))]


def kinds(folder: Path) -> dict[str, list[tuple[int | None, str | None]]]:
    found: dict[str, list[tuple[int | None, str | None]]] = {}
    for p in problems_of(folder):
        found.setdefault(p.kind, []).append((p.seq, p.sha256))
    return found


def test_intact_folder_verifies(folder: Path) -> None:
    report = verify_folder(folder, keys=keys_of(folder))
    assert report.ok and report.records == 3 and report.files == 3
    assert cli.main(["verify", str(folder)]) == 0


def test_altered_file_byte(folder: Path) -> None:
    _, sha, _ = seal(raw(folder), 2)
    path = store_path(folder, sha)
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[100] ^= 0x01
    path.write_bytes(bytes(data))
    assert kinds(folder) == {"altered-file": [(2, sha)]}
    assert cli.main(["verify", str(folder)]) == 1


def test_missing_file(folder: Path) -> None:
    _, sha, _ = seal(raw(folder), 3)
    store_path(folder, sha).unlink()
    assert kinds(folder) == {"missing-file": [(3, sha)]}


@pytest.mark.parametrize("seq", [2, 3])  # 3 is the newest: no successor links to it
def test_altered_seal_field(folder: Path, seq: int) -> None:
    conn = raw(folder)
    _, sha, record = seal(conn, seq)
    record["size"] += 1
    conn.execute("UPDATE seal_records SET record = ? WHERE seq = ?",
                 [crypto.canonical_json(record).decode(), seq])
    problems = problems_of(folder)
    assert [(p.kind, p.seq, p.sha256) for p in problems] == [("altered-record", seq, sha)]
    assert "size" in problems[0].detail


def test_bad_signature(folder: Path) -> None:
    conn = raw(folder)
    other_signature = conn.execute("SELECT signature FROM seal_records WHERE seq = 1").fetchone()[0]
    conn.execute("UPDATE seal_records SET signature = ? WHERE seq = 2", [other_signature])
    conn.execute("UPDATE seal_records SET signature = ? WHERE seq = 3",
                 [base64.b64encode(os.urandom(64)).decode()])
    found = kinds(folder)
    assert list(found) == ["bad-signature"] and [s for s, _ in found["bad-signature"]] == [2, 3]


def test_reordered_records(folder: Path) -> None:
    conn = raw(folder)
    conn.execute("UPDATE seal_records SET seq = 100 WHERE seq = 2")
    conn.execute("UPDATE seal_records SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE seal_records SET seq = 3 WHERE seq = 100")
    assert list(kinds(folder)) == ["reordered"]


def test_deleted_record_in_the_middle(folder: Path) -> None:
    conn = raw(folder)
    _, sha, _ = seal(conn, 2)
    conn.execute("DELETE FROM seal_records WHERE seq = 2")
    assert kinds(folder) == {"deleted-record": [(2, None)], "unsealed-item": [(None, sha)]}


def test_deleted_newest_record_with_its_row_and_file(folder: Path) -> None:
    """Nothing in the chain follows the newest record; the audit log still names it."""
    conn = raw(folder)
    _, sha, _ = seal(conn, 3)
    conn.execute("DELETE FROM seal_records WHERE seq = 3")
    conn.execute("DELETE FROM evidence WHERE sha256 = ?", [sha])
    store_path(folder, sha).unlink()
    assert kinds(folder) == {"deleted-record": [(3, None)]}


def _forge(folder: Path, conn, *, seq: int, prev: str) -> str:
    """A plausible record for a planted file, signed with a key that is not the device's."""
    data = b"\xff\xd8\xff\xe0planted" * 40
    sha = crypto.sha256_hex(data)
    path = store_path(folder, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_encrypted(path, data, keys_of(folder).master)  # planted by someone holding the keys
    _, _, template = seal(conn, 1)
    record = {**template, "seq": seq, "prev": prev, "sha256": sha, "size": len(data), "original_name": "x.jpg"}
    row = dict(zip([c[1] for c in conn.execute("PRAGMA table_info(evidence)")],
                   conn.execute("SELECT * FROM evidence WHERE sha256 = ?", [template["sha256"]]).fetchone(),
                   strict=True))
    row.update(sha256=sha, size=len(data), original_name="x.jpg")
    conn.execute(f"INSERT INTO evidence ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    body = crypto.canonical_json(record)
    signature = crypto.sign(crypto.generate_signing_key(), body)
    conn.execute("INSERT INTO seal_records (seq, sha256, record, signature) VALUES (?, ?, ?, ?)",
                 [seq, sha, body.decode(), base64.b64encode(signature).decode()])
    return sha


def test_inserted_record_at_the_end(folder: Path) -> None:
    conn = raw(folder)
    last, _, _ = seal(conn, 3)
    sha = _forge(folder, conn, seq=4, prev=record_hash(last))
    assert kinds(folder) == {"inserted-record": [(4, sha)]}


def test_inserted_record_in_the_middle(folder: Path) -> None:
    conn = raw(folder)
    second, _, _ = seal(conn, 2)
    conn.execute("UPDATE seal_records SET seq = 4 WHERE seq = 3")
    sha = _forge(folder, conn, seq=3, prev=record_hash(second))
    assert kinds(folder) == {"inserted-record": [(3, sha)]}


def test_unsealed_file_planted_in_the_store(folder: Path) -> None:
    data = b"\xff\xd8\xff planted"
    sha = crypto.sha256_hex(data)
    store_path(folder, sha).parent.mkdir(parents=True, exist_ok=True)
    store_path(folder, sha).write_bytes(data)
    assert kinds(folder) == {"unsealed-file": [(None, sha)]}


def test_evidence_row_edited_behind_the_seal(folder: Path) -> None:
    conn = raw(folder)
    conn.execute("DROP TRIGGER evidence_sealed_columns_no_update")
    _, sha, _ = seal(conn, 1)
    conn.execute("UPDATE evidence SET inspection_id = 'JC-2026-1102' WHERE sha256 = ?", [sha])
    problems = problems_of(folder)
    assert [(p.kind, p.seq) for p in problems] == [("record-mismatch", 1)]
    assert "inspection_id" in problems[0].detail


def test_another_device_key_is_detected(folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pub.pem"
    other.write_bytes(crypto.public_key_pem(crypto.generate_signing_key().public_key()))
    report = verify_folder(folder, keys=keys_of(folder), public_key=other)
    # every signature fails under the other key: the seals' and the audit entries'
    assert {p.kind for p in report.problems} == {"bad-signature", "wrong-device", "audit-forged"}
    assert cli.main(["verify", str(folder), "--public-key", str(other)]) == 1


def test_folder_without_evidence_verifies_as_empty(workspace: Workspace) -> None:
    report = verify_folder(workspace.folder, keys=keys_of(workspace.folder))
    assert report.ok and report.records == 0 and report.files == 0


def test_removed_public_key_is_reported(folder: Path) -> None:
    (folder / "device" / "device.pub.pem").unlink()
    assert list(kinds(folder)) == ["missing-public-key"]


def test_every_problem_kind_has_both_languages() -> None:
    assert all(zh and en for zh, en in PROBLEM_KINDS.values())


def test_verify_changes_nothing_on_disk(folder: Path) -> None:
    # R17: checking the originals must not touch the folder, not even with -wal/-shm files.
    def snapshot() -> dict[str, tuple[bytes, int]]:
        return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in sorted(folder.rglob("*")) if p.is_file()}

    before = snapshot()
    assert verify_folder(folder, keys=keys_of(folder)).ok
    assert snapshot() == before
