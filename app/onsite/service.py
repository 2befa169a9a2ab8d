"""On site, from start to close: the use cases the UI and the command line call.

Every write is one transaction with its audit entry. The order of the law is kept:
the start gates first (R1, R4–R8), then certificates shown (R2) and recusal asked
(R3), then the results, penalties (R12), card (R13), signatures or refusal (R9)
and the rectification order with its follow-up task (R10), and only then close.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from app.clock import CHINA_TZ
from app.crypto import sha256_hex
from app.deadlines import WorkCalendar
from app.domain import (
    CheckResult,
    CheckResultValue,
    FlexibleMeasure,
    Inspection,
    InspectionSource,
    InspectionStatus,
    NoPenaltyGround,
    OnsiteRecord,
    PenaltyProposal,
    RectificationOrder,
    Officer,
    Signature,
    SignerRole,
)
from app.gates.findings import MERGE, SIGNATURES, STAFFING, WRITTEN_RESULT, Finding, Severity
from app.gates.service import StartBlocked, authorize_start, load_start_context  # noqa: F401  (StartBlocked: re-exported)
from app.gates.start import Override
from app.onsite import rules
from app.onsite.rules import EntryRefused
from app.access import Permission, acting, refuse
from app.session import Session
from app.workspace import Workspace
from local_db.database import transaction
from local_db.errors import UserFacingError
from local_db.evidence_repository import EvidenceRepository
from local_db.onsite_repository import DiscretionBenchmarkRepository, OnsiteRepository

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FOLLOW_UP_HOUR = time(9, 0)
DEFAULT_CONSEQUENCE = "本机关将依法立案查处。"


class ClosingRefused(UserFacingError):
    """The record cannot be closed yet; ``findings`` lists everything missing."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        blocks = [f for f in findings if f.severity is Severity.BLOCK]
        super().__init__("笔录尚不能结束：\n" + "\n".join(f.zh for f in blocks),
                         "The record cannot be closed yet:\n" + "\n".join(f.en for f in blocks))


class OnsiteStateError(UserFacingError):
    """A step asked of an inspection in the wrong state (not started, closed, unknown)."""


class OnsiteService:
    """The on-site record of the inspections of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.records = OnsiteRepository(ws.db)
        self.benchmarks = DiscretionBenchmarkRepository(ws.db)
        self.evidence = EvidenceRepository(ws.db)

    # --- reading ------------------------------------------------------------------

    def record(self, inspection_id: str) -> OnsiteRecord:
        """The on-site record as it stands; raises when the inspection has not started."""
        record = self.records.get(inspection_id)
        if record is None:
            raise OnsiteStateError(f"检查 {inspection_id} 尚未开始，没有现场笔录。",
                                   f"Inspection {inspection_id} has not started; it has no on-site record.")
        return record

    def closing_findings(self, inspection_id: str) -> list[Finding]:
        """What still stops the record being closed, and the warnings."""
        return rules.closing_findings(self.record(inspection_id), self._inspection(inspection_id),
                                      officer_names=self._names())

    # --- start (R1, R4–R8) ---------------------------------------------------------

    def begin(self, inspection_id: str, *, actor: Session, recorder_id: str | None = None,
              overrides: Iterable[Override] = ()) -> OnsiteRecord:
        """Start the inspection when its gates allow, creating the record and its checklist."""
        inspection = self._inspection(inspection_id)
        if inspection.status is not InspectionStatus.PLANNED:
            raise OnsiteStateError(f"检查 {inspection_id} 的状态为 {inspection.status.value}，不能再次开始。",
                                   f"Inspection {inspection_id} is {inspection.status.value}; it cannot start again.")
        who = self._acting(actor, Permission.START_INSPECTION, inspection)
        recorder = recorder_id or who.id
        if recorder not in inspection.officer_ids + inspection.assistant_ids:
            raise EntryRefused("R1", "记录人须为本次检查的执法人员或辅助人员。",
                               "The recorder must be one of the staff of this inspection.", STAFFING)
        decision = authorize_start(self.ws, inspection_id, overrides, actor=actor)  # StartBlocked when blocked
        by = who.id
        codes = load_start_context(self.ws, inspection_id).item_codes
        catalogue = {c.code: c for c in self.ws.check_items.all()}
        now = self._now()
        with transaction(self.ws.db):
            self.records.create(inspection_id, started_at=now, started_by=by, recorder_id=recorder)
            self.records.add_results(
                CheckResult(inspection_id=inspection_id, position=n, item_code=code,
                            result=CheckResultValue.NOT_CHECKED, updated_at=now, updated_by=by,
                            legal_basis=catalogue[code].legal_basis, required_standard=catalogue[code].standard)
                for n, code in enumerate(codes))
            self.ws.inspections.save(dataclasses.replace(inspection, status=InspectionStatus.IN_PROGRESS))
            self.ws.audit.append(by, "inspection.start", inspection_id, items=list(codes),
                                 overrides=[o.rule for o in decision.accepted])
        return self.record(inspection_id)

    # --- opening entries (R2, R3) ----------------------------------------------------

    def show_certificate(self, inspection_id: str, officer_id: str, *, actor: Session) -> OnsiteRecord:
        """R2: the officer showed the certificate; written with its number and time."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if officer_id not in inspection.officer_ids:
            raise EntryRefused("R2", f"{officer_id} 不是本次检查的执法人员。",
                               f"{officer_id} is not an officer of this inspection.", rules.CERTIFICATE_SHOWN)
        if any(o == officer_id for o, _, _ in record.certificates_shown):
            return record
        officer = self.ws.officers.get(officer_id)
        assert officer is not None and officer.cert_no  # the start gates checked the certificates (R1)
        with transaction(self.ws.db):
            self.records.show_certificate(inspection_id, officer_id, officer.cert_no, self._now())
            self.ws.audit.append(by, "record.certificate_shown", inspection_id, officer=officer_id,
                                 cert_no=officer.cert_no)
        return self.record(inspection_id)

    def ask_recusal(self, inspection_id: str, *, requested: bool, statement: str = "", actor: Session) -> OnsiteRecord:
        """R3: the party was told of the right to ask for recusal; its answer is written down."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if rules.missing_certificates(record, inspection):
            raise EntryRefused("R2", "须先记录全部执法人员出示执法证件，再告知回避权利。",
                               "Record every officer's certificate first; the recusal question follows.",
                               rules.CERTIFICATE_SHOWN)
        if requested and not statement.strip():
            raise EntryRefused("R3", "当事人申请回避的，须记录申请回避的对象和理由。",
                               "Write down whom the party asks to withdraw and why.", rules.RECUSAL)
        with transaction(self.ws.db):
            self.records.update(inspection_id, recusal_asked_at=self._now(), recusal_requested=requested,
                                recusal_statement=statement.strip())
            self.ws.audit.append(by, "record.recusal_asked", inspection_id, requested=requested)
        return self.record(inspection_id)

    def set_party(self, inspection_id: str, *, name: str = "", role: str = "", id_no: str = "",
                  absent: bool = False, actor: Session) -> OnsiteRecord:
        """Who is present for the subject, or that nobody is (then a witness must sign, R9)."""
        inspection, _ = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if not absent and not name.strip():
            raise EntryRefused("R9", "请填写在场当事人（或其代表）的姓名，或勾选当事人不在场。",
                               "Name the party (or its representative) present, or mark the party absent.",
                               SIGNATURES)
        with transaction(self.ws.db):
            self.records.update(inspection_id, party_name=name.strip(), party_role=role.strip(),
                                party_id_no=id_no.strip(), party_absent=absent)
            self.ws.audit.append(by, "record.party", inspection_id, absent=absent)
        return self.record(inspection_id)

    # --- results (R10, R11) and penalties (R12) -------------------------------------------

    def record_result(self, inspection_id: str, item_code: str, *, result: CheckResultValue, actor: Session,
                      finding: str = "", rectification_advice: str = "", minor: bool = False,
                      measures: Iterable[FlexibleMeasure] = (), no_penalty_ground: NoPenaltyGround = NoPenaltyGround.NONE,
                      education_given: bool = False, evidence_refs: Iterable[str] = ()) -> CheckResult:
        """Write the result of one check item, after the opening entries (R2, R3)."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        rules.require_opening_entries(record, inspection)
        current = next((r for r in record.results if r.item_code == item_code), None)
        if current is None:
            raise EntryRefused("R6", f"检查项 {item_code} 不在本次检查的检查事项清单内。",
                               f"Item {item_code} is not on this inspection's list.", rules.WRITTEN_RESULT)
        refs = tuple(dict.fromkeys(evidence_refs))
        unknown = [r for r in refs if not self.evidence.exists(r)]
        if unknown:
            raise OnsiteStateError(f"证据 {unknown[0][:12]}… 不在本机证据库中。",
                                   f"Evidence {unknown[0][:12]}… is not in this device's store.")
        updated = dataclasses.replace(
            current, result=CheckResultValue(result), finding=finding.strip(),
            rectification_advice=rectification_advice.strip(), minor=minor, measures=tuple(measures),
            no_penalty_ground=NoPenaltyGround(no_penalty_ground), education_given=education_given,
            evidence_refs=refs, updated_at=self._now(), updated_by=by)
        rules.validate_result(updated)
        with transaction(self.ws.db):
            self.records.save_result(updated)
            if updated.result is not CheckResultValue.NON_COMPLIANT \
                    or updated.no_penalty_ground is not NoPenaltyGround.NONE:
                self.records.delete_penalty(inspection_id, item_code)
            self.ws.audit.append(by, "record.result", inspection_id, item=item_code, result=updated.result.value)
        return updated

    def propose_penalty(self, inspection_id: str, item_code: str, *, benchmark_id: str, proposed: str, actor: Session,
                        deviation: str = "", approval_ref: str = "", approved_by: str = "",
                        approved_at: datetime | None = None) -> PenaltyProposal:
        """R12: propose a penalty under a benchmark clause; a deviation carries its approval."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        result = next((r for r in record.results if r.item_code == item_code), None)
        proposal = PenaltyProposal(
            inspection_id=inspection_id, item_code=item_code, benchmark_id=benchmark_id, proposed=proposed.strip(),
            recorded_at=self._now(), recorded_by=by, deviation=deviation.strip(),
            approval_ref=approval_ref.strip(), approved_by=approved_by.strip(), approved_at=approved_at)
        rules.validate_penalty(proposal, result, self.benchmarks.get(benchmark_id))
        with transaction(self.ws.db):
            self.records.save_penalty(proposal)
            self.ws.audit.append(by, "record.penalty_proposed", inspection_id, item=item_code,
                                 benchmark=benchmark_id, deviation=bool(proposal.deviation),
                                 approval_ref=proposal.approval_ref)
        return proposal

    # --- card (R13), signatures and refusal (R9) -------------------------------------------

    def hand_over_card(self, inspection_id: str, *, recipient: str, actor: Session) -> OnsiteRecord:
        """R13: the supervision card was handed to ``recipient``."""
        inspection, _ = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if not recipient.strip():
            raise EntryRefused("R13", "请填写监督卡的接收人。", "Name who received the supervision card.",
                               rules.SUPERVISION_CARD)
        with transaction(self.ws.db):
            self.records.update(inspection_id, card_handed_at=self._now(), card_recipient=recipient.strip())
            self.ws.audit.append(by, "record.card_handed", inspection_id, recipient=recipient.strip())
        return self.record(inspection_id)

    def sign(self, inspection_id: str, *, role: SignerRole, signer_name: str, image_png: bytes, actor: Session,
             signer_ref: str = "") -> Signature:
        """Keep a signature drawn on the device as a PNG image linked to the record (R9)."""
        inspection, _ = self._open(inspection_id)
        role = SignerRole(role)
        who = self._acting(actor, Permission.SIGN_AS_OFFICER if role is SignerRole.OFFICER
                           else Permission.PAD_SIGNATURE, inspection)
        by = who.id
        if not image_png.startswith(PNG_MAGIC) or len(image_png) < 64:
            raise EntryRefused("R9", "签名图像无效，请重新签名。", "The signature image is not valid; sign again.",
                               SIGNATURES)
        if role is SignerRole.OFFICER:
            # Only the person acting signs as officer: never someone else's signature.
            if signer_ref and signer_ref != who.id:
                refuse(self.ws, who.id, EntryRefused(
                    "R9", f"执法人员签名须由本人登录后签署：{who.name}不能代{signer_ref}签名。",
                    f"An officer signs only when signed in himself: {who.id} cannot sign for {signer_ref}.",
                    SIGNATURES), inspection_id, act=Permission.SIGN_AS_OFFICER.value)
            signer_ref, signer_name = who.id, who.name
        if not signer_name.strip():
            raise EntryRefused("R9", "请填写签名人姓名。", "Give the signer's name.", SIGNATURES)
        digest = sha256_hex(image_png)
        with transaction(self.ws.db):
            sid = self.records.add_signature(
                inspection_id=inspection_id, role=role, signer_name=signer_name.strip(), signer_ref=signer_ref.strip(),
                signed_at=self._now(), image_png=image_png, image_sha256=digest)
            self.ws.audit.append(by, "record.signed", inspection_id, role=role.value, signer=signer_name.strip(),
                                 image_sha256=digest)
        return next(s for s in self.records.signatures(inspection_id) if s.id == sid)

    def record_refusal(self, inspection_id: str, *, reason: str, witness_signature_id: int, actor: Session) -> OnsiteRecord:
        """R9: the party refuses to sign; the reason is written and a witness signs."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if not reason.strip():
            raise EntryRefused("R9", "当事人拒绝签名的，须注明拒签理由或情况。",
                               "Write down the reason or circumstances of the refusal.", SIGNATURES)
        if not any(s.id == witness_signature_id and s.role is SignerRole.WITNESS for s in record.signatures):
            raise EntryRefused("R9", "拒签须有见证人在场签名：请先取得见证人签名。",
                               "A refusal needs a witness's signature: have the witness sign first.", SIGNATURES)
        with transaction(self.ws.db):
            self.records.add_refusal(inspection_id=inspection_id, reason=reason.strip(),
                                     witness_signature_id=witness_signature_id, recorded_at=self._now(),
                                     recorded_by=by)
            self.ws.audit.append(by, "record.signature_refused", inspection_id, reason=reason.strip())
        return self.record(inspection_id)

    # --- outcome (R10) -----------------------------------------------------------------

    def issue_order(self, inspection_id: str, *, deadline: date, actor: Session, consequence: str = DEFAULT_CONSEQUENCE,
                    item_codes: Iterable[str] | None = None) -> RectificationOrder:
        """R10: a rectification order for the non-compliant items, and its follow-up re-inspection task.

        The follow-up is scheduled on the first working day after the deadline
        (一次告知、全程跟踪、及时复核), with the same officers and the ordered items.
        """
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        if record.order is not None:
            raise OnsiteStateError(f"检查 {inspection_id} 已下达责令改正通知书 {record.order.id}。",
                                   f"Inspection {inspection_id} already has rectification order {record.order.id}.")
        non_compliant = [r.item_code for r in record.results if r.result is CheckResultValue.NON_COMPLIANT]
        codes = tuple(item_codes) if item_codes is not None else tuple(
            r.item_code for r in record.results if rules.needs_order(r))
        if not codes or any(c not in non_compliant for c in codes):
            raise EntryRefused("R10", "责令改正通知书只能针对判定为不符合的检查项。",
                               "A rectification order covers non-compliant items only.", WRITTEN_RESULT)
        today = self._now().date()
        if deadline <= today:
            raise EntryRefused("R10", "整改期限须晚于今天。", "The deadline must be after today.", WRITTEN_RESULT)
        calendar = WorkCalendar(self.ws.calendar.all(), self.ws.calendar.years())
        follow_day = calendar.next_working_day(deadline + timedelta(days=1))
        order_id = f"责改〔{today.year}〕{inspection_id}号"
        follow_up = Inspection(
            id=f"{inspection_id}-FC", subject_id=inspection.subject_id, agency_id=inspection.agency_id,
            source=InspectionSource.FOLLOW_UP, source_ref=order_id,
            scheduled_at=datetime.combine(follow_day, FOLLOW_UP_HOUR, CHINA_TZ), status=InspectionStatus.PLANNED,
            officer_ids=inspection.officer_ids, assistant_ids=inspection.assistant_ids, place=inspection.place,
            created_at=self._now())
        order = RectificationOrder(id=order_id, inspection_id=inspection_id, issued_at=self._now(), issued_by=by,
                                   deadline=deadline, consequence=consequence.strip() or DEFAULT_CONSEQUENCE,
                                   follow_up_id=follow_up.id, item_codes=codes)
        with transaction(self.ws.db):
            self.ws.inspections.save(follow_up)
            self.ws.inspections.set_item_codes(follow_up.id, codes)
            self.records.add_order(order)
            self.ws.audit.append(by, "record.order_issued", inspection_id, order=order_id,
                                 deadline=deadline.isoformat(), follow_up=follow_up.id, items=list(codes))
        return order

    def close(self, inspection_id: str, *, actor: Session) -> OnsiteRecord:
        """End the record; refused while any closing rule blocks (R2, R3, R9, R10, R13)."""
        inspection, record = self._open(inspection_id)
        by = self._acting(actor, Permission.SIGN_AS_OFFICER, inspection).id
        findings = rules.closing_findings(record, inspection, officer_names=self._names())
        if any(f.severity is Severity.BLOCK for f in findings):
            raise ClosingRefused(findings)
        with transaction(self.ws.db):
            self.records.update(inspection_id, ended_at=self._now())
            self.ws.inspections.save(dataclasses.replace(inspection, status=InspectionStatus.CLOSED))
            self.ws.audit.append(by, "inspection.close", inspection_id,
                                 warnings=[f.code for f in findings])
        return self.record(inspection_id)

    # --- 综合查一次 (R7) ---------------------------------------------------------------

    def merge(self, keep_id: str, merged_ids: Sequence[str], *, actor: Session) -> Inspection:
        """Merge open tasks for the same subject into ``keep_id``: one visit covers every item.

        The merged tasks are cancelled and point to the kept one; the kept task's
        list becomes the union of all their items (R6 and R5 are checked on it at start).
        """
        keep = self._inspection(keep_id)
        by = self._acting(actor, Permission.START_INSPECTION, keep).id
        others = [self._inspection(i) for i in dict.fromkeys(merged_ids) if i != keep_id]
        if not others:
            raise OnsiteStateError("请选择要合并的其他检查任务。", "Choose the other tasks to merge.")
        for task in (keep, *others):
            if task.status is not InspectionStatus.PLANNED:
                raise OnsiteStateError(f"任务 {task.id} 已开始或已结束，不能合并。",
                                       f"Task {task.id} has started or ended; it cannot be merged.")
            if (task.subject_id, task.agency_id) != (keep.subject_id, keep.agency_id):
                raise OnsiteStateError(f"任务 {task.id} 的检查对象或执法机关不同，不能合并（综合查一次，{MERGE.zh}）。",
                                       f"Task {task.id} concerns another subject or agency; it cannot be merged.")
        codes: list[str] = list(load_start_context(self.ws, keep_id).item_codes)
        for task in others:
            codes += load_start_context(self.ws, task.id).item_codes
        with transaction(self.ws.db):
            self.ws.inspections.set_item_codes(keep_id, codes)
            for task in others:
                self.ws.inspections.save(dataclasses.replace(task, status=InspectionStatus.CANCELLED,
                                                             merged_into=keep_id))
            self.ws.audit.append(by, "inspection.merge", keep_id, merged=[t.id for t in others],
                                 items=list(dict.fromkeys(codes)))
        merged = self.ws.inspections.get(keep_id)
        assert merged is not None
        return merged

    # --- helpers -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self.ws.clock().astimezone(CHINA_TZ).replace(microsecond=0)

    def _inspection(self, inspection_id: str) -> Inspection:
        inspection = self.ws.inspections.get(inspection_id)
        if inspection is None:
            raise OnsiteStateError(f"找不到检查任务 {inspection_id}。", f"No inspection task {inspection_id}.")
        return inspection

    def _open(self, inspection_id: str) -> tuple[Inspection, OnsiteRecord]:
        inspection = self._inspection(inspection_id)
        record = self.record(inspection_id)
        if inspection.status is not InspectionStatus.IN_PROGRESS:
            raise OnsiteStateError(f"检查 {inspection_id} 已结束，笔录不能再修改。",
                                   f"Inspection {inspection_id} is closed; its record cannot change.")
        return inspection, record

    def _acting(self, session: Session, permission: Permission, inspection: Inspection) -> Officer:
        """The signed-in person, if an officer of this inspection with a valid certificate may
        take the step (auxiliary staff assist, R1); otherwise refused and audited."""
        return acting(self.ws, session, permission, inspection.id, agency=inspection.agency_id,
                      assigned=inspection.officer_ids)

    def _names(self) -> dict[str, str]:
        return {o.id: o.name for o in self.ws.officers.all()}
