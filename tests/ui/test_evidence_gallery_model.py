"""The evidence gallery model and its filter, without any widget; the per-item seal check (R17)."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.clock import CHINA_TZ
from app.device import DeviceIdentity
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.evidence.locker import EvidenceLocker
from app.evidence.seal import record_bytes
from app.workspace import Workspace
from ui.models.evidence_gallery import (
    ALL,
    ITEM_ROLE,
    OFFICER_TEXT_ROLE,
    SEAL_ROLE,
    TIME_TEXT_ROLE,
    TYPE_ROLE,
    TYPE_TEXT_ROLE,
    UNLINKED,
    EvidenceFilterModel,
    EvidenceGalleryModel,
    GalleryRow,
    SealCheck,
    SealState,
    check_all,
    check_seal,
    rehash_steps,
)

T0 = datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ)


def item(n: int, kind: EvidenceType, officers: tuple[str, ...], inspection: str | None, name: str) -> EvidenceItem:
    return EvidenceItem(
        sha256=hashlib.sha256(name.encode()).hexdigest(), size=1000 + n, media_type="image/jpeg", evidence_type=kind,
        captured_at=T0 + timedelta(minutes=10 * n), ingested_at=T0 + timedelta(hours=1, minutes=-n),
        source_kind=EvidenceSourceKind.FILE, source_detail=f"/media/DCIM/{name}", officer_ids=officers,
        officer_certs=tuple(f"cert-{o}" for o in officers), seal_seq=n, inspection_id=inspection,
        original_name=name)


NAMES = {"O01": "张伟", "O02": "李娜", "O03": "王强"}
ITEMS = [
    item(1, EvidenceType.DOCUMENTARY, ("O01", "O02"), "JC-2026-1101", "license.jpg"),
    item(2, EvidenceType.PHYSICAL, ("O01", "O02"), "JC-2026-1101", "drum.jpg"),
    item(3, EvidenceType.AUDIOVISUAL, ("O03",), "JC-2026-1102", "gate.jpg"),
    item(4, EvidenceType.DOCUMENTARY, ("O02",), None, "receipt.jpg"),
]


def rows() -> list[GalleryRow]:
    return [GalleryRow(i, tuple(NAMES[o] for o in i.officer_ids),
                       f"{i.inspection_id} 清河化工" if i.inspection_id else "") for i in ITEMS]


@pytest.fixture
def models(app):
    model = EvidenceGalleryModel()
    model.set_rows(rows())
    proxy = EvidenceFilterModel()
    proxy.setSourceModel(model)
    return model, proxy


def shown(proxy: EvidenceFilterModel) -> list[str]:
    return [proxy.index(r, 0).data(ITEM_ROLE).original_name for r in range(proxy.rowCount())]


def test_rows_and_roles(models) -> None:
    model, _ = models
    assert model.rowCount() == 4
    index = model.index(0)
    assert index.data(ITEM_ROLE) is ITEMS[0]
    assert index.data(TYPE_ROLE) == EvidenceType.DOCUMENTARY.value
    assert index.data(TYPE_TEXT_ROLE) == "书证"
    assert index.data(TIME_TEXT_ROLE) == "2026-11-23 08:40"
    assert index.data(OFFICER_TEXT_ROLE) == "张伟、李娜"
    assert index.data(SEAL_ROLE) is None  # not checked yet
    assert index.data(Qt.ItemDataRole.DecorationRole) is None  # no thumbnail source: placeholder
    assert "license.jpg" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(2).data(TYPE_TEXT_ROLE) == "视听资料"


def test_filters_by_inspection_type_officer_and_text(models) -> None:
    _, proxy = models
    proxy.set_inspection("JC-2026-1101")
    assert shown(proxy) == ["drum.jpg", "license.jpg"]  # newest first by default
    proxy.set_inspection(UNLINKED)
    assert shown(proxy) == ["receipt.jpg"]
    proxy.set_inspection(ALL)
    proxy.set_evidence_type(EvidenceType.DOCUMENTARY)
    assert shown(proxy) == ["receipt.jpg", "license.jpg"]
    proxy.set_officer("O01")
    assert shown(proxy) == ["license.jpg"]
    proxy.set_evidence_type(ALL)
    proxy.set_officer(ALL)
    proxy.set_search("王强")  # an officer's name
    assert shown(proxy) == ["gate.jpg"]
    proxy.set_search("清河 DRUM")  # every word, any case, across fields
    assert shown(proxy) == ["drum.jpg"]
    proxy.set_search(ITEMS[2].sha256[:12])  # a SHA-256 prefix
    assert shown(proxy) == ["gate.jpg"]
    proxy.set_search("物证")
    assert shown(proxy) == ["drum.jpg"]
    proxy.set_search("")
    assert proxy.rowCount() == 4


def test_sorting_by_capture_ingest_and_type(models) -> None:
    _, proxy = models
    proxy.sort_by("captured", Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == ["license.jpg", "drum.jpg", "gate.jpg", "receipt.jpg"]
    proxy.sort_by("ingested", Qt.SortOrder.AscendingOrder)  # the later the capture, the earlier the ingest
    assert shown(proxy) == ["receipt.jpg", "gate.jpg", "drum.jpg", "license.jpg"]
    proxy.sort_by("type", Qt.SortOrder.AscendingOrder)  # statutory order of 行政处罚法 §46, then time
    assert shown(proxy) == ["license.jpg", "receipt.jpg", "drum.jpg", "gate.jpg"]
    with pytest.raises(ValueError):
        proxy.sort_by("colour")


def test_seal_results_repaint_their_tile_and_survive_a_reload(models, qtbot) -> None:
    model, _ = models
    done = SealCheck(ITEMS[2].sha256, SealState.VERIFIED, rehashed=True)
    with qtbot.waitSignal(model.dataChanged, timeout=1000) as blocker:
        model.set_seals({done.sha256: done, "f" * 64: done})  # an unknown item is ignored
    assert blocker.args[0].row() == 2 and SEAL_ROLE in blocker.args[2]
    assert model.index(2).data(SEAL_ROLE) is done
    # a later quick check does not hide the outcome of a full re-hash
    model.set_seals({done.sha256: SealCheck(done.sha256, SealState.SEALED)})
    assert model.index(2).data(SEAL_ROLE) is done
    model.set_rows(rows())
    assert model.index(2).data(SEAL_ROLE) is done


# --- the seal check on real sealed items (R17) --------------------------------------------

@pytest.fixture
def sealed(demo_workspace: Workspace):
    locker = EvidenceLocker(demo_workspace)
    items = [locker.ingest_stream(io.BytesIO(b"\xff\xd8\xff\xe0" + os.urandom(3000)), evidence_type="书证",
                                  officer_certs=["33010621001", "33010621002"], source_kind=EvidenceSourceKind.FILE,
                                  original_name=f"p{n}.jpg", inspection_id="JC-2026-1101").item
             for n in range(3)]
    seals = {r.sha256: r for r in locker.seals.all()}
    return locker, items, seals


def make_writable_and(path: Path, change) -> None:
    os.chmod(path, 0o644)
    change(path)


def test_R17_quick_check_passes_intact_items_and_names_each_kind_of_damage(sealed, tmp_path: Path) -> None:
    locker, items, seals = sealed
    key = locker.device.public
    checks = check_all(items, seals, key, locker.store)
    assert {c.state for c in checks.values()} == {SealState.SEALED} and not any(c.problems for c in checks.values())

    a, b, c = items
    make_writable_and(locker.store.path_for(a.sha256), lambda p: p.open("ab").write(b"extra"))
    locker.store.path_for(b.sha256).rename(tmp_path / "moved")
    edited = json.loads(seals[c.sha256].record)
    edited["officers"] = ["33010621005"]
    forged = dataclasses.replace(seals[c.sha256], record=record_bytes(edited))
    assert [p.kind for p in check_seal(a, seals[a.sha256], key, locker.store).problems] == ["altered-file"]
    assert [p.kind for p in check_seal(b, seals[b.sha256], key, locker.store).problems] == ["missing-file"]
    assert [p.kind for p in check_seal(c, forged, key, locker.store).problems] == ["altered-record"]
    assert "officers" in check_seal(c, forged, key, locker.store).problems[0].detail
    other_key = DeviceIdentity.generate(tmp_path / "other").public
    assert [p.kind for p in check_seal(c, seals[c.sha256], other_key, locker.store).problems] == ["bad-signature"]
    assert [p.kind for p in check_seal(c, None, key, locker.store).problems] == ["unsealed-item"]
    text = check_seal(a, seals[a.sha256], key, locker.store).describe("zh")[0]
    assert "证据文件内容被改动" in text  # the verifier's own words


def test_R17_full_rehash_finds_a_changed_byte_the_quick_check_cannot_see(sealed) -> None:
    locker, items, seals = sealed
    key = locker.device.public
    target = items[0]
    steps = rehash_steps(target, seals[target.sha256], key, locker.store)
    progress = []
    while True:
        try:
            progress.append(next(steps))
        except StopIteration as stop:
            result = stop.value
            break
    assert result.state is SealState.VERIFIED and result.rehashed and progress[-1] == target.size

    path = locker.store.path_for(target.sha256)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # same size, one byte different
    make_writable_and(path, lambda p: p.write_bytes(bytes(data)))
    assert check_seal(target, seals[target.sha256], key, locker.store).state is SealState.SEALED
    steps = rehash_steps(target, seals[target.sha256], key, locker.store)
    try:
        while True:
            next(steps)
    except StopIteration as stop:
        broken = stop.value
    assert broken.state is SealState.BROKEN and [p.kind for p in broken.problems] == ["altered-file"]
