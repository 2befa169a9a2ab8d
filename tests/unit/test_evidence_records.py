"""Records the application writes into the seal chain (review decisions, sealed inventories)."""

from __future__ import annotations

import io

import pytest

from keys_kit import as_, keys_of
from app.crypto import sha256_hex
from app.domain import EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.records import is_record, read_record, record_bytes, seal_record
from app.evidence.verify import verify_folder
from app.workspace import Workspace

O1, O2 = "33010621001", "33010621002"


@pytest.fixture
def locker(demo_workspace: Workspace) -> EvidenceLocker:
    return EvidenceLocker(demo_workspace)


def photo(locker: EvidenceLocker) -> str:
    data = b"\xff\xd8\xff\xe0" + b"photo" * 40 + b"\xff\xd9"
    return locker.ingest_stream(io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=[O1, O2],
                                source_kind=EvidenceSourceKind.WEBCAM, source_detail="0").item.sha256


def test_a_record_is_sealed_in_the_chain_and_verifies(locker: EvidenceLocker) -> None:
    original = photo(locker)
    seen = []
    result = seal_record(locker, "review", {"decision": "approve", "item": original}, officer_certs=[O1],
                         session=as_(locker, "O01"), derived_from=original, then=seen.append)
    item = result.item
    assert is_record(item) and item.media_type == "application/vnd.fieldinspect.review+json"
    assert item.derived_from == original and item.derivation == "review" and item.seal_seq > 1
    assert seen == [item]
    assert read_record(locker, item.sha256) == {"format": "fieldinspect.review/1", "decision": "approve",
                                                "item": original}
    assert not is_record(locker.items.get(original))
    report = verify_folder(locker.ws.folder, keys=keys_of(locker.ws.folder))
    assert report.ok, [p.describe() for p in report.problems]


def test_the_same_record_twice_is_one_item(locker: EvidenceLocker) -> None:
    first = seal_record(locker, "inventory", {"items": [1, 2]}, officer_certs=[O1], session=as_(locker, "O01"))
    calls = []
    again = seal_record(locker, "inventory", {"items": [1, 2]}, officer_certs=[O1], session=as_(locker, "O01"), then=calls.append)
    assert again.duplicate and again.item.sha256 == first.item.sha256 and calls == []


def test_a_failure_in_then_leaves_neither_item_nor_file(locker: EvidenceLocker) -> None:
    before = len(locker.items.all())

    def boom(_item: object) -> None:
        raise RuntimeError("the row that points at the record could not be written")

    with pytest.raises(RuntimeError):
        seal_record(locker, "review", {"decision": "return"}, officer_certs=[O1], session=as_(locker, "O01"), then=boom)
    assert len(locker.items.all()) == before
    sha = sha256_hex(record_bytes("review", {"decision": "return"}))
    assert not locker.store.exists(sha)


def test_kinds_and_payloads_are_checked() -> None:
    with pytest.raises(ValueError):
        record_bytes("Review Decision", {})
    with pytest.raises(ValueError):
        record_bytes("review", {"format": "other"})
