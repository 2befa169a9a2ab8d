"""A forced demolition driven through the core from start to handover, for the
document, UI and benchmark-style tests (real database, real evidence store)."""

from __future__ import annotations

from keys_kit import as_
import io
from datetime import date, datetime

from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.service import DemolitionService
from app.documents.specimen import signature_png
from app.domain import EvidenceSourceKind, EvidenceType
from local_db.demolition_repository import CustodyEntry

WITNESS_ID = "330106198001011234"
PARTY_ID = "330106196805120017"
LONG_NAME = "木质衣柜（三门，带顶柜，柜内存放冬季衣物及床上用品若干，已逐件清点装箱并贴封条）"


class MovingClock:
    """A clock the test sets; the audit log and the services read it on every call."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        return self.now

    def at(self, y: int, m: int, d: int, hh: int, mm: int = 0) -> None:
        self.now = datetime(y, m, d, hh, mm, tzinfo=CHINA_TZ)


def link_video(s: DemolitionService, case_id: str, start: datetime, seconds: float) -> str:
    """Seal a body-camera recording that starts at ``start`` and link it to the case (R16)."""
    item = s.locker.ingest_stream(io.BytesIO(specimen.recording_mp4(seconds)), evidence_type=EvidenceType.AUDIOVISUAL,
                                  officer_certs=["33010621001"], source_kind=EvidenceSourceKind.BODY_CAMERA,
                                  source_detail="BC-01", captured_at=start).item
    s.link_recording(case_id, item.sha256, actor=as_(s, "O01"))
    return item.sha256


def complete_operation(s: DemolitionService, clock: MovingClock, items: int = 22) -> CustodyEntry:
    """The ready demo case: start, witness, ``items`` items, an edit, a pause, end, signatures,
    storage, notice and a partial handover of items 1–3. Returns the handover."""
    r = specimen.READY_CASE
    clock.at(2026, 11, 23, 9, 0)
    s.start(r, actor=as_(s, "O01"))
    s.set_party(r, present=True, name="陈建国", actor=as_(s, "O01"))
    s.add_witness(r, kind="witness", name="周明", id_no=WITNESS_ID,
                  no_interest="本人与本案当事人及执法机关均无利害关系，如实见证清点过程。",
                  signature_png=signature_png("周明"), actor=as_(s, "O01"))
    for n in range(1, items + 1):
        photo = s.inventory.take_photo(r, specimen.sample_photo(n), actor=as_(s.inventory, "O01"))
        s.inventory.add_item(r, name=LONG_NAME if n == 8 else f"餐椅{n}", category="家具", quantity=n, unit="件",
                             condition="完好", label_no=f"QC7-B{n:03d}", photos=[photo], actor=as_(s.inventory, "O01"),
                             storage_place="西城区暂扣物品仓库 A 区 3 号架")
    s.inventory.edit_item(r, 3, reason="复点发现数量记错，当事人在场确认", quantity="2", actor=as_(s.inventory, "O02"))
    clock.at(2026, 11, 23, 9, 40)
    s.pause(r, reason="当事人亲属情绪激动，攀爬屋顶", actor=as_(s, "O01"))
    clock.at(2026, 11, 23, 9, 55)
    s.resume(r, actor=as_(s, "O01"))
    link_video(s, r, datetime(2026, 11, 23, 8, 59, tzinfo=CHINA_TZ), 7300)
    clock.at(2026, 11, 23, 11, 0)
    s.end(r, actor=as_(s, "O01"))
    for document in ("inventory", "record"):
        s.inventory.sign(r, document=document, role="officer", signer_name="", signer_ref="O01",
                         image_png=signature_png("张伟"), actor=as_(s.inventory, "O01"))
        s.inventory.sign(r, document=document, role="witness", signer_name="周明", image_png=signature_png("周明"),
                         actor=as_(s.inventory, "O01"))
        if document == "inventory":
            s.inventory.sign(r, document=document, role="party", signer_name="陈建国",
                             image_png=signature_png("陈建国"), actor=as_(s.inventory, "O01"))
        else:  # the party signs the list but refuses to sign the record (R26)
            s.inventory.record_refusal(r, document=document, reason="当事人对执行过程有异议，拒绝在笔录上签名",
                                       actor=as_(s.inventory, "O01"))
    s.inventory.store(r, range(1, items + 1), storage_place="西城区暂扣物品仓库 A 区", actor=as_(s.inventory, "O01"))
    s.inventory.notify_collect(r, notice_no="西综执领通〔2026〕7号", collect_by=date(2026, 12, 7), actor=as_(s.inventory, "O01"))
    clock.at(2026, 11, 25, 10, 0)
    return s.inventory.hand_over(r, [1, 2, 3], recipient_name="陈建国", recipient_id_no=PARTY_ID,
                                 signature_png=signature_png("陈建国"), actor=as_(s.inventory, "O01"))
