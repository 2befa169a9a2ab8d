"""Reference data published by HQ and pulled by the device: verified before anything is loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import crypto, paths
from app.clock import fixed_clock
from app.reference import ReferenceDataError, parse
from app.workspace import Workspace
from sync.errors import NotPaired, ReferenceRejected
from sync.hq import keys
from sync.hq.store import HqStore
from sync.pairing import pair_with_folder
from sync.reference_pull import apply_reference
from tests.conftest import DEMO_NOW
from keys_kit import as_, create_workspace
from local_db.database import transaction
from local_db.repositories import AgencyRepository


def _administrator(ws: Workspace) -> str:
    """A fresh device's first roster person: the device administrator, who pairs it with HQ."""
    ref = parse(json.loads(paths.DEMO_REFERENCE.read_text("utf-8")))
    admin = next(o for o in ref.officers if o.id == "M01")
    with transaction(ws.db):
        AgencyRepository(ws.db).save(next(a for a in ref.agencies if a.id == admin.agency_id))
        ws.officers.save(admin)
    return admin.id


@pytest.fixture
def setup(tmp_path: Path):
    keys.keygen(tmp_path / "hq")
    hq = HqStore(tmp_path / "hq")
    ws = create_workspace(tmp_path / "device", clock=fixed_clock(DEMO_NOW))
    _administrator(ws)
    pair_with_folder(ws, tmp_path / "hq", session=as_(ws, "M01"))
    yield ws, hq
    ws.close()
    hq.close()


def _tables(ws: Workspace) -> tuple:
    return tuple(ws.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                 for t in ("officers", "subjects", "inspection_plans", "reference_sets"))


def test_published_reference_is_loaded_once(setup) -> None:
    ws, hq = setup
    hq.publish(paths.DEMO_REFERENCE.read_bytes())
    data, signature = hq.latest_reference()
    ref = apply_reference(ws, data, signature)
    assert ref is not None and ws.reference_sets.latest()["source"] == "hq"
    assert len(ws.officers.all()) == len(ref.officers)
    assert apply_reference(ws, data, signature) is None  # the same document again: nothing to do


def test_bad_signature_or_other_key_loads_nothing(setup, tmp_path: Path) -> None:
    ws, hq = setup
    hq.publish(paths.DEMO_REFERENCE.read_bytes())
    data, signature = hq.latest_reference()
    before = _tables(ws)
    altered = data.replace(b'"name"', b'"name" ', 1)
    with pytest.raises(ReferenceRejected) as err:
        apply_reference(ws, altered, signature)
    assert "签名" in err.value.zh and "signature" in err.value.en
    keys.keygen(tmp_path / "rogue")
    rogue = crypto.sign(keys.signing_key(tmp_path / "rogue"), data)
    with pytest.raises(ReferenceRejected):
        apply_reference(ws, data, rogue)
    assert _tables(ws) == before


def test_signed_but_malformed_reference_loads_nothing(setup) -> None:
    ws, hq = setup
    document = json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))
    document["format"] = "something-else/9"
    data = json.dumps(document).encode()
    with pytest.raises(ReferenceDataError):
        hq.publish(data)  # HQ refuses to sign it
    signature = crypto.sign(keys.signing_key(hq.folder), data)  # signed anyway, by mistake
    before = _tables(ws)
    with pytest.raises(ReferenceRejected):
        apply_reference(ws, data, signature)
    assert _tables(ws) == before


def test_unpaired_device_refuses_reference(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "d")
    try:
        with pytest.raises(NotPaired):
            apply_reference(ws, b"{}", b"\0" * 64)
    finally:
        ws.close()


def test_an_older_signed_document_does_not_replace_newer_data(setup) -> None:
    """A replay of what HQ once published must not bring back, say, a revoked certificate (R1)."""
    ws, hq = setup
    doc = json.loads(paths.DEMO_REFERENCE.read_text("utf-8"))
    newer = {**doc, "version": doc["version"] + "-b", "issued_at": "2026-11-21T18:00:00+08:00"}
    hq.publish(json.dumps(newer, ensure_ascii=False).encode("utf-8"))
    assert apply_reference(ws, *hq.latest_reference()) is not None
    before = _tables(ws)
    hq.publish(paths.DEMO_REFERENCE.read_bytes())  # issued 2026-11-20: older
    with pytest.raises(ReferenceRejected) as refused:
        apply_reference(ws, *hq.latest_reference())
    assert "not newer" in refused.value.en and _tables(ws) == before
    assert ws.reference_sets.latest()["version"] == newer["version"]
