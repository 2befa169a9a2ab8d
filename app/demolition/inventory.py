"""The inventory of the party's property (清点造册, R24) and its custody and handover.

Photos are sealed the moment they are taken (the locker ingests them) and linked to
the case; an item names its photos by SHA-256. An item is never changed in place:
an edit after counting is a new version with its reason (the table refuses UPDATE
and DELETE), and the current inventory is the latest version of each item. At the
end of the operation the service seals everything — every version with its photo
hashes, the witnesses, the times — as one ``inventory`` record (:meth:`seal_payload`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from app.crypto import sha256_hex
from app.demolition.errors import DemolitionInputInvalid, DemolitionRefused, DemolitionStateError
from app.demolition.rules import INVENTORY
from app.access import Permission, refuse
from app.domain import EvidenceItem, EvidenceSourceKind, EvidenceType
from app.session import Session
from local_db.database import transaction
from local_db.demolition_repository import (
    CaseSignature,
    CustodyEntry,
    DemolitionCase,
    ItemVersion,
    SignatureRefusal,
)

if TYPE_CHECKING:
    from app.demolition.service import DemolitionService

CATEGORIES = ("家具", "家用电器", "生产设备", "建筑材料", "生活用品", "车辆", "其他")
CONDITIONS = ("完好", "轻微破损", "破损", "损坏")
COUNTED, STORED, HANDED_OVER, REFUSED = "counted", "stored", "handed_over", "refused"
ITEM_FIELDS = ("name", "category", "quantity", "unit", "condition", "label_no", "storage_place", "photo_sha256s")


class InventoryService:
    """Items, photos, custody and signatures of the cases of one :class:`DemolitionService`."""

    def __init__(self, demolition: DemolitionService) -> None:
        self.d = demolition
        self.ws = demolition.ws
        self.repo = demolition.repo

    # --- reading --------------------------------------------------------------------------

    def items(self, case_id: str) -> list[ItemVersion]:
        return self.repo.current_items(case_id)

    def versions(self, case_id: str) -> list[ItemVersion]:
        return self.repo.all_versions(case_id)

    def edits(self, case_id: str) -> list[ItemVersion]:
        """Versions after the count (version ≥ 2): what changed after an item was counted."""
        return [v for v in self.repo.all_versions(case_id) if v.version > 1]

    def custody(self, case_id: str) -> list[CustodyEntry]:
        return self.repo.custody(case_id)

    def signatures(self, case_id: str) -> list[CaseSignature]:
        return self.repo.signatures(case_id)

    def states(self, case_id: str) -> dict[int, str]:
        """Where each item stands: counted, stored, handed over or refused (latest custody entry wins)."""
        states = {v.item_no: COUNTED for v in self.items(case_id)}
        kinds = {"stored": STORED, "handover": HANDED_OVER, "refused": REFUSED}
        for entry in self.repo.custody(case_id):
            for n in entry.item_nos:
                if entry.kind in kinds and states.get(n) != HANDED_OVER:
                    states[n] = kinds[entry.kind]
        return states

    # --- photos ------------------------------------------------------------------------------

    def take_photo(self, case_id: str, data: bytes, *, actor: Session, captured_at: datetime | None = None) -> str:
        """Seal a photo taken in place and link it to the case; returns its SHA-256."""
        case, by = self.d._in_state(case_id, actor, ("in_progress", "paused"), "拍照", "take a photo",
                                    Permission.CAPTURE)
        self.d.require_lawful_hours(case, "拍照", "take a photo")
        now = self.d.now()

        def link(item: EvidenceItem) -> None:
            self.repo.link(case.id, item.sha256, "photo", now, by)
            self.ws.audit.append(by, "demolition.photo", case.id, sha256=item.sha256)

        result = self.d.locker.ingest_stream(
            io.BytesIO(data), evidence_type=EvidenceType.AUDIOVISUAL, officer_certs=self.d.certs(case),
            source_kind=EvidenceSourceKind.FILE, source_detail=f"demolition:{case.id}",
            original_name=f"{case.id}_photo.jpg", captured_at=captured_at, session=actor, then=link)
        if result.duplicate and self.repo.unlinked(case.id, [result.item.sha256], "photo"):
            with transaction(self.ws.db):
                link(result.item)
        return result.item.sha256

    def link_photo(self, case_id: str, sha256: str, *, actor: Session) -> str:
        """Link a photo the camera has already sealed (the live camera panel) to the case.

        Only a sealed still image qualifies; linking twice changes nothing. Returns ``sha256``.
        """
        case, by = self.d._in_state(case_id, actor, ("in_progress", "paused"), "拍照", "take a photo",
                                    Permission.CAPTURE)
        self.d.require_lawful_hours(case, "拍照", "take a photo")
        item = self.d.locker.items.get(sha256)
        if item is None or not item.media_type.startswith("image/"):
            raise DemolitionRefused("R24", "只能关联本机证据库中已封存的照片。",
                                    "Only photos sealed in this device's evidence store can be linked.", INVENTORY)
        if self.repo.unlinked(case.id, [sha256], "photo"):
            with transaction(self.ws.db):
                self.repo.link(case.id, sha256, "photo", self.d.now(), by)
                self.ws.audit.append(by, "demolition.photo", case.id, sha256=sha256, source="camera")
        return sha256

    # --- items (R24) ------------------------------------------------------------------------------

    def require_witnessed(self, case: DemolitionCase) -> None:
        """R24: the party's presence is recorded and a notary or independent witness attends."""
        if case.party_present is None:
            raise DemolitionRefused("R24", "请先记录当事人是否到场。", "Record first whether the party is present.",
                                    INVENTORY)
        if not self.repo.witnesses(case.id):
            if not case.party_present:
                raise DemolitionRefused(
                    "R24", "当事人不在场，且没有公证人员或见证人：清点不能进行。请先登记公证或见证人（身份、无利害关系声明、签名）。",
                    "The party is absent and there is no notary or witness: the inventory cannot go on. Record a "
                    "notary or witness first (identity, statement of no interest, signature).", INVENTORY)
            raise DemolitionRefused(
                "R24", "清点须在公证人员或独立见证人在场时进行：请先登记公证或见证人。",
                "The inventory is made before a notary or an independent witness: record one first.", INVENTORY)

    def add_item(self, case_id: str, *, name: str, category: str, quantity: Decimal | str | int, unit: str,
                 condition: str, label_no: str, photos: Sequence[str], actor: Session,
                 storage_place: str = "") -> ItemVersion:
        """Count one item: photographed in place (sealed), with its box or label number (R24)."""
        case, by = self.d._in_state(case_id, actor, ("in_progress", "paused"), "清点财物", "count property")
        self.d.require_lawful_hours(case, "清点财物", "count property")
        self.require_witnessed(case)
        with transaction(self.ws.db):
            item_no = self.repo.next_item_no(case.id)
            version = self._checked(case, ItemVersion(
                case.id, item_no, 1, name.strip(), category.strip(), _quantity(quantity), unit.strip(),
                condition.strip(), label_no.strip(), storage_place.strip(), tuple(dict.fromkeys(photos)),
                self.d.now(), by))
            self.repo.add_version(version)
            self.ws.audit.append(by, "demolition.item_counted", case.id, item=item_no, name=version.name,
                                 label=version.label_no, photos=list(version.photo_sha256s))
        return version

    def edit_item(self, case_id: str, item_no: int, *, reason: str, actor: Session, **changes: Any) -> ItemVersion:
        """An edit after counting: a new version with its reason; the counted version stays."""
        case, by = self.d._in_state(case_id, actor, ("in_progress", "paused"), "修改清点记录", "edit a counted item")
        self.d.require_lawful_hours(case, "修改清点记录", "edit a counted item")
        current = self.repo.latest(case.id, item_no)
        if current is None:
            raise DemolitionStateError(f"清单中没有第 {item_no} 项。", f"The inventory has no item {item_no}.")
        unknown = set(changes) - set(ITEM_FIELDS)
        if unknown:
            raise ValueError(f"not item fields: {sorted(unknown)}")
        if not reason.strip():
            raise DemolitionRefused("R24", "清点后修改须注明修改原因；原记录保留。",
                                    "An edit after counting needs its reason; the counted record stays.", INVENTORY)
        values = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
        if "quantity" in values:
            values["quantity"] = _quantity(values["quantity"])
        if "photo_sha256s" in values:
            values["photo_sha256s"] = tuple(dict.fromkeys(values["photo_sha256s"]))
        fields = {f: getattr(current, f) for f in ITEM_FIELDS} | values
        with transaction(self.ws.db):
            version = self._checked(case, ItemVersion(
                case.id, item_no, current.version + 1, recorded_at=self.d.now(), recorded_by=by,
                edit_reason=reason.strip(), **fields))
            self.repo.add_version(version)
            self.ws.audit.append(by, "demolition.item_edited", case.id, item=item_no, version=version.version,
                                 reason=version.edit_reason,
                                 changes={k: [str(getattr(current, k)), str(v)] for k, v in values.items()
                                          if getattr(current, k) != v})
        return version

    def _checked(self, case: DemolitionCase, v: ItemVersion) -> ItemVersion:
        missing = [(zh, en) for value, zh, en in (
            (v.name, "名称", "name"), (v.category, "类别", "category"), (v.unit, "单位", "unit"),
            (v.condition, "状况", "condition"), (v.label_no, "箱号或标签号", "box or label number"))
            if not value]
        if missing:
            raise DemolitionInputInvalid("请填写：" + "、".join(m[0] for m in missing) + "。未保存。",
                                         "Please fill in: " + ", ".join(m[1] for m in missing) + ". Nothing was saved.")
        if v.quantity <= 0:
            raise DemolitionInputInvalid("数量须大于零。未保存。", "The quantity must be above zero. Nothing was saved.")
        if not v.photo_sha256s:
            raise DemolitionRefused("R24", "每项财物须现场拍照：请先拍照再登记。",
                                    "Each item is photographed in place: take a photo first.", INVENTORY)
        stray = self.repo.unlinked(case.id, v.photo_sha256s, "photo")
        if stray:
            raise DemolitionRefused("R24", f"照片 {stray[0][:12]}… 不是本案现场拍摄并封存的照片。",
                                    f"Photo {stray[0][:12]}… was not taken and sealed for this case.", INVENTORY)
        if self.repo.label_in_use(case.id, v.label_no, except_item=v.item_no):
            raise DemolitionInputInvalid(f"箱号/标签号 {v.label_no} 已用于另一项财物。未保存。",
                                         f"Label {v.label_no} is already used by another item. Nothing was saved.")
        return v

    def seal_payload(self, case: DemolitionCase, *, closing: str, at: datetime, reason: str) -> dict[str, Any]:
        """The whole inventory as it stands when the operation ends: every version, photo hashes,
        witnesses (signature hashes), the party's presence and the operation's times."""
        return {
            "case": case.id, "announcement_no": case.announcement_no, "place": case.place,
            "party": case.party_name, "party_present": case.party_present, "party_present_name": case.party_present_name,
            "closing": closing, "closing_reason": reason, "sealed_at": at.isoformat(),
            "events": [{"kind": e.kind, "at": e.at.isoformat(), "reason": e.reason,
                        "emergency_reason": e.emergency_reason} for e in self.repo.events(case.id)],
            "witnesses": [{"kind": w.kind, "name": w.name, "id_no": w.id_no, "organisation": w.organisation,
                           "no_interest": w.no_interest, "signature_sha256": w.signature_sha256,
                           "recorded_at": w.recorded_at.isoformat()} for w in self.repo.witnesses(case.id)],
            "items": [{"item_no": v.item_no, "version": v.version, "name": v.name, "category": v.category,
                       "quantity": str(v.quantity), "unit": v.unit, "condition": v.condition, "label_no": v.label_no,
                       "storage_place": v.storage_place, "photos": list(v.photo_sha256s),
                       "edit_reason": v.edit_reason, "recorded_at": v.recorded_at.isoformat(),
                       "recorded_by": v.recorded_by} for v in self.repo.all_versions(case.id)],
        }

    # --- custody and handover (R24) ------------------------------------------------------------------

    def store(self, case_id: str, item_nos: Iterable[int], *, storage_place: str, actor: Session) -> CustodyEntry:
        """Items taken to storage; the storage place is recorded."""
        case, by = self._closed(case_id, actor, "移交保管", "move items to storage")
        items = self._known(case, item_nos, allowed=(COUNTED, STORED))
        if not storage_place.strip():
            raise DemolitionRefused("R24", "请填写保管地点。", "Give the storage place.", INVENTORY)
        return self._custody(case, "stored", items, by, storage_place=storage_place.strip())

    def notify_collect(self, case_id: str, *, notice_no: str, collect_by: date, actor: Session) -> CustodyEntry:
        """The notice telling the party to collect its property by ``collect_by``."""
        case, by = self._closed(case_id, actor, "通知领取", "notify the party to collect")
        if not notice_no.strip():
            raise DemolitionRefused("R24", "请填写领取通知书文号。", "Give the notice's number.", INVENTORY)
        if collect_by <= self.d.now().date():
            raise DemolitionInputInvalid("领取期限须晚于今天。未保存。", "The collection date must be after today. "
                                         "Nothing was saved.")
        return self._custody(case, "notice", (), by, notice_no=notice_no.strip(), collect_by=collect_by)

    def hand_over(self, case_id: str, item_nos: Iterable[int], *, recipient_name: str, recipient_id_no: str,
                  signature_png: bytes, actor: Session) -> CustodyEntry:
        """Hand items to the party (all or some): recipient's identity and signature recorded."""
        from app.demolition.service import ID_NUMBER, valid_png

        case, by = self._closed(case_id, actor, "移交财物", "hand over property")
        items = self._known(case, item_nos, allowed=(COUNTED, STORED, REFUSED))
        id_no = recipient_id_no.strip().upper()
        if not recipient_name.strip() or not ID_NUMBER.match(id_no) or not valid_png(signature_png):
            raise DemolitionRefused("R24", "移交须记录接收人姓名、有效身份证号码和签名。未保存。",
                                    "A handover records the recipient's name, a valid ID number and signature. "
                                    "Nothing was saved.", INVENTORY)
        return self._custody(case, "handover", items, by, recipient_name=recipient_name.strip(),
                             recipient_id_no=id_no, signature_png=signature_png,
                             signature_sha256=sha256_hex(signature_png))

    def refuse(self, case_id: str, item_nos: Iterable[int], *, note: str, actor: Session) -> CustodyEntry:
        """The party refuses to take items; what happened is written down."""
        case, by = self._closed(case_id, actor, "记录拒收", "record a refusal")
        items = self._known(case, item_nos, allowed=(COUNTED, STORED))
        if not note.strip():
            raise DemolitionRefused("R24", "拒收须记录情况。", "Describe the refusal.", INVENTORY)
        return self._custody(case, "refused", items, by, note=note.strip())

    def sign(self, case_id: str, *, document: str, role: str, signer_name: str, image_png: bytes, actor: Session,
             signer_ref: str = "") -> CaseSignature:
        """A signature on the inventory list (R26: both sides sign) or on the operation record."""
        from app.demolition.service import valid_png

        case = self.d.case(case_id)
        by = self.d._officer(actor, case.officer_ids, "签名", "sign",
                             Permission.SIGN_AS_OFFICER if role == "officer" else Permission.PAD_SIGNATURE, case)
        if document not in ("inventory", "record") or role not in ("officer", "party", "witness"):
            raise ValueError(f"document {document!r} / role {role!r}")
        self._require_final(case, "签名", "signed")
        if role == "witness":  # R24: the witness whose identity and statement were recorded
            witnesses = self.repo.witnesses(case.id)
            match = [w for w in witnesses if (signer_ref.strip() and str(w.id) == signer_ref.strip())
                     or (not signer_ref.strip() and w.name == signer_name.strip())]
            if not match:
                raise DemolitionRefused("R24", "见证人签名须由已登记的见证人（姓名、身份证号、无利害关系声明）签署。",
                                        "A witness signature is made by a recorded witness (name, ID number, "
                                        "statement of no interest).", INVENTORY)
            signer_name, signer_ref = match[-1].name, str(match[-1].id)
        if role == "officer":  # only the person acting signs as officer: never someone else's signature
            if signer_ref.strip() and signer_ref.strip() != by:
                refuse(self.ws, by, DemolitionRefused(
                    "R26", f"执法人员签名须由本人登录后签署，不能代{signer_ref.strip()}签名。",
                    f"An officer signs only when signed in himself; {by} cannot sign for {signer_ref.strip()}.",
                    INVENTORY), case.id, act=Permission.SIGN_AS_OFFICER.value)
            officer = self.ws.officers.get(by)
            assert officer is not None
            signer_name, signer_ref = officer.name, by
        if not signer_name.strip() or not valid_png(image_png):
            raise DemolitionRefused("R26", "请填写签名人姓名并签名。", "Give the signer's name and sign.", INVENTORY)
        digest = sha256_hex(image_png)
        with transaction(self.ws.db):
            sid = self.repo.add_signature(case.id, document=document, role=role, signer_name=signer_name.strip(),
                                          signer_ref=signer_ref.strip(), image_png=image_png, image_sha256=digest,
                                          signed_at=self.d.now())
            self.ws.audit.append(by, "demolition.signed", case.id, document=document, role=role,
                                 signer=signer_name.strip(), image_sha256=digest)
        return next(s for s in self.repo.signatures(case.id) if s.id == sid)

    def _require_final(self, case: DemolitionCase, what_zh: str, what_en: str) -> None:
        """R26: the list and the record are signed as they finally stand, once the operation
        has ended (or been abandoned) and the inventory is sealed — never a draft that can
        still change under a signature."""
        if case.status not in ("ended", "abandoned"):
            raise DemolitionRefused("R26", f"清单和笔录须在执行结束、清单封存后{what_zh}。",
                                    f"The list and the record are {what_en} once the operation has ended "
                                    "and the inventory is sealed.", INVENTORY)

    def record_refusal(self, case_id: str, *, document: str, reason: str, actor: Session) -> SignatureRefusal:
        """The party refuses to sign (R26): what happened is written down, and a witness must have signed."""
        case = self.d.case(case_id)
        by = self.d._officer(actor, case.officer_ids, "记录拒签", "record a refusal to sign", case=case)
        if document not in ("inventory", "record"):
            raise ValueError(f"document {document!r}")
        self._require_final(case, "记录拒签", "refused")
        if not reason.strip():
            raise DemolitionRefused("R26", "当事人拒绝签名的，须注明拒签情况。", "Write down how the party refused to sign.",
                                    INVENTORY)
        if not any(s.role == "witness" and s.document == document for s in self.repo.signatures(case.id)):
            raise DemolitionRefused("R26", "当事人拒签的，须先由见证人在本文书上签名。",
                                    "When the party refuses, the witness signs this document first.", INVENTORY)
        with transaction(self.ws.db):
            self.repo.add_refusal(case.id, document=document, reason=reason.strip(), at=self.d.now(), by=by)
            self.ws.audit.append(by, "demolition.signature_refused", case.id, document=document,
                                 reason=reason.strip())
        return self.repo.refusals(case.id)[-1]

    def refusals(self, case_id: str) -> list[SignatureRefusal]:
        return self.repo.refusals(case_id)

    def _closed(self, case_id: str, actor: Session, what_zh: str, what_en: str) -> tuple[DemolitionCase, str]:
        return self.d._in_state(case_id, actor, ("ended", "abandoned"), what_zh, what_en)

    def _known(self, case: DemolitionCase, item_nos: Iterable[int], *, allowed: tuple[str, ...]) -> tuple[int, ...]:
        wanted = tuple(sorted(set(item_nos)))
        if not wanted:
            raise DemolitionInputInvalid("请选择财物。", "Choose the items.")
        states = self.states(case.id)
        for n in wanted:
            if n not in states:
                raise DemolitionStateError(f"清单中没有第 {n} 项。", f"The inventory has no item {n}.")
            if states[n] not in allowed:
                raise DemolitionStateError(f"第 {n} 项当前为“{_STATE_ZH[states[n]]}”，不能办理此项。",
                                           f"Item {n} is {states[n].replace('_', ' ')}; this step does not apply.")
        return wanted

    def _custody(self, case: DemolitionCase, kind: str, items: tuple[int, ...], actor: str, **fields: Any
                 ) -> CustodyEntry:
        with transaction(self.ws.db):
            entry_id = self.repo.add_custody(case.id, kind, item_nos=items, at=self.d.now(), actor=actor, **fields)
            detail = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()
                      if k != "signature_png"}
            self.ws.audit.append(actor, f"demolition.custody.{kind}", case.id, entry=entry_id, items=list(items),
                                 **detail)
        return next(e for e in self.repo.custody(case.id) if e.id == entry_id)


_STATE_ZH = {COUNTED: "已清点", STORED: "保管中", HANDED_OVER: "已移交", REFUSED: "当事人拒收"}


def state_label(state: str) -> str:
    return _STATE_ZH.get(state, state)


def _quantity(value: Decimal | str | int) -> Decimal:
    try:
        q = Decimal(str(value).strip())
    except InvalidOperation:
        raise DemolitionInputInvalid(f"数量“{value}”不是数字。未保存。",
                                     f"The quantity “{value}” is not a number. Nothing was saved.") from None
    if not q.is_finite():
        raise DemolitionInputInvalid(f"数量“{value}”不是数字。未保存。",
                                     f"The quantity “{value}” is not a number. Nothing was saved.")
    return q
