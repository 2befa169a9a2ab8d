"""The rules of the on-site record, as pure functions over domain objects.

- R2  certificate shown by every officer, as the first entries;
- R3  recusal asked and the answer recorded; a request for recusal halts the record;
- R9  the record signed by the officers and the party, or the party's refusal written
      with its reason and a witness's signature;
- R10 non-compliant items produce a rectification order (unless corrected on the spot);
- R11 minor violations: flexible measures first, the §33 ground, education recorded;
- R12 a proposed penalty names its benchmark clause; a deviation needs approval;
- R13 the supervision card handed over.

Entry checks raise :class:`EntryRefused`; the closing check returns findings so the
UI can list everything still missing at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain import (
    CheckResult,
    CheckResultValue,
    DiscretionBenchmark,
    Inspection,
    NoPenaltyGround,
    OnsiteRecord,
    PenaltyProposal,
    SignerRole,
)
from app.gates.findings import (
    CERTIFICATE_SHOWN,
    DISCRETION_BENCHMARK,
    FLEXIBLE_MEASURES,
    RECUSAL,
    SIGNATURES,
    SUPERVISION_CARD,
    WRITTEN_RESULT,
    Finding,
    LegalSource,
    Severity,
    finding,
)
from local_db.errors import UserFacingError


class EntryRefused(UserFacingError):
    """An entry the on-site rules do not allow, with the rule and its source."""

    def __init__(self, rule: str, zh: str, en: str, source: LegalSource) -> None:
        super().__init__(f"{zh} 依据：{source.zh}", f"{en} Source: {source.en}.")
        self.rule = rule


def missing_certificates(record: OnsiteRecord, inspection: Inspection) -> tuple[str, ...]:
    """Officers of the inspection who have not yet shown their certificate (R2)."""
    shown = {officer_id for officer_id, _, _ in record.certificates_shown}
    return tuple(o for o in inspection.officer_ids if o not in shown)


def require_opening_entries(record: OnsiteRecord, inspection: Inspection) -> None:
    """R2 and R3 come first: no result may be written before them, nor after a recusal request."""
    missing = missing_certificates(record, inspection)
    if missing:
        raise EntryRefused(
            "R2", f"执法人员（{'、'.join(missing)}）尚未出示执法证件，笔录的第一项须为亮证。",
            f"Officer(s) {', '.join(missing)} have not shown their certificate; the record must open with it.",
            CERTIFICATE_SHOWN)
    if record.recusal_asked_at is None:
        raise EntryRefused("R3", "尚未告知当事人申请回避的权利并记录其答复。",
                           "The party has not yet been asked about recusal, with the answer recorded.", RECUSAL)
    if record.recusal_requested:
        raise EntryRefused(
            "R3", "当事人申请回避，检查须中止，由行政机关负责人决定是否回避。",
            "The party asked for recusal: the inspection halts until the agency head decides.", RECUSAL)


def validate_result(result: CheckResult) -> None:
    """Refuse a result that says too little for the record (R10, R11)."""
    non_compliant = result.result is CheckResultValue.NON_COMPLIANT
    if non_compliant and not result.finding.strip():
        raise EntryRefused("R10", f"检查项 {result.item_code} 判定为不符合，须填写发现的问题。",
                           f"Item {result.item_code} is non-compliant: describe the problem found.", WRITTEN_RESULT)
    if non_compliant and not result.rectification_advice.strip():
        raise EntryRefused("R10", f"检查项 {result.item_code} 判定为不符合，须填写整改建议（书面告知须载明整改建议和要求标准）。",
                           f"Item {result.item_code} is non-compliant: give the rectification advice the written "
                           "result must state.", WRITTEN_RESULT)
    if not non_compliant and (result.minor or result.measures or result.no_penalty_ground):
        raise EntryRefused("R11", f"检查项 {result.item_code} 未判定为不符合，不能记录轻微违法的措施或不予处罚情形。",
                           f"Item {result.item_code} is not non-compliant: minor-violation measures do not apply.",
                           FLEXIBLE_MEASURES)
    if result.minor and not result.measures:
        raise EntryRefused("R11", f"检查项 {result.item_code} 为轻微违法，须先采取柔性措施（指导、建议、提醒、规劝、约谈）。",
                           f"Item {result.item_code} is a minor violation: record the flexible measures offered first.",
                           FLEXIBLE_MEASURES)
    if result.no_penalty_ground in (NoPenaltyGround.MINOR_CORRECTED, NoPenaltyGround.FIRST_MINOR) \
            and not result.minor:
        raise EntryRefused("R11", f"检查项 {result.item_code} 适用的不予处罚情形要求违法行为轻微。",
                           f"The no-penalty ground chosen for item {result.item_code} requires a minor violation.",
                           FLEXIBLE_MEASURES)
    if result.no_penalty_ground is not NoPenaltyGround.NONE and not result.education_given:
        raise EntryRefused("R11", f"检查项 {result.item_code} 不予处罚的，须记录已对当事人进行教育。",
                           f"Item {result.item_code} is not penalised: record that the party was educated.",
                           FLEXIBLE_MEASURES)


def validate_penalty(proposal: PenaltyProposal, result: CheckResult | None,
                     benchmark: DiscretionBenchmark | None) -> None:
    """R12: a penalty is proposed only for a non-compliant item, under one of its benchmark clauses,
    and a deviation from the clause carries its approval."""
    if result is None or result.result is not CheckResultValue.NON_COMPLIANT:
        raise EntryRefused("R12", f"检查项 {proposal.item_code} 未判定为不符合，不能拟处罚。",
                           f"Item {proposal.item_code} is not non-compliant; no penalty can be proposed.",
                           DISCRETION_BENCHMARK)
    if result.no_penalty_ground is not NoPenaltyGround.NONE:
        raise EntryRefused("R12", f"检查项 {proposal.item_code} 已记录不予处罚情形，不能同时拟处罚。",
                           f"Item {proposal.item_code} has a no-penalty ground; it cannot also be penalised.",
                           DISCRETION_BENCHMARK)
    if benchmark is None or benchmark.item_code != proposal.item_code:
        raise EntryRefused("R12", f"拟处罚须选择检查项 {proposal.item_code} 的裁量基准条款（事项、阶次、幅度）。",
                           f"Choose a discretion benchmark clause (matter, level, range) of item {proposal.item_code}.",
                           DISCRETION_BENCHMARK)
    if not proposal.proposed.strip():
        raise EntryRefused("R12", "须填写拟处罚的内容。", "State the penalty proposed.", DISCRETION_BENCHMARK)
    if proposal.deviation.strip() and not (proposal.approval_ref.strip() and proposal.approved_by.strip()
                                           and proposal.approved_at is not None):
        raise EntryRefused(
            "R12", "调整适用裁量基准须经本机关主要负责人批准或集体讨论通过，请填写批准文号、批准人和时间。",
            "Departing from the benchmark needs the approval of the agency head or a collective decision: "
            "give the approval reference, approver and time.", DISCRETION_BENCHMARK)


def needs_order(result: CheckResult) -> bool:
    """Whether a result must be covered by a rectification order (R10).

    A minor violation already corrected on the spot (行政处罚法 §33) needs none.
    """
    return result.result is CheckResultValue.NON_COMPLIANT and not (
        result.minor and result.no_penalty_ground in (NoPenaltyGround.MINOR_CORRECTED, NoPenaltyGround.FIRST_MINOR))


def closing_findings(record: OnsiteRecord, inspection: Inspection, *, officer_names: dict[str, str]) -> list[Finding]:
    """Everything that stops the record being closed, plus warnings (R2, R3, R9, R10, R13)."""
    out: list[Finding] = []
    missing = missing_certificates(record, inspection)
    if missing:
        names = "、".join(officer_names.get(o, o) for o in missing)
        out.append(finding("R2", Severity.BLOCK, "R2.not_shown", f"{names} 未记录出示执法证件。",
                           f"No certificate shown is recorded for {', '.join(missing)}.", CERTIFICATE_SHOWN,
                           related=missing))
    if record.recusal_asked_at is None:
        out.append(finding("R3", Severity.BLOCK, "R3.not_asked", "未记录告知回避权利及当事人的答复。",
                           "The recusal question and the party's answer are not recorded.", RECUSAL))
    elif record.recusal_requested:
        out.append(finding("R3", Severity.BLOCK, "R3.requested", "当事人申请回避，须待负责人决定后另行检查。",
                           "The party asked for recusal; the agency head must decide before the inspection goes on.",
                           RECUSAL))
    out += _signature_findings(record, inspection, officer_names)
    pending = [r.item_code for r in record.results if r.result is CheckResultValue.NOT_CHECKED]
    if pending:
        out.append(finding("R10", Severity.WARN, "R10.not_checked",
                           f"{len(pending)} 个检查项记录为“未检查”，将如实写入笔录和检查结果告知书。",
                           f"{len(pending)} item(s) are recorded as not checked; the documents will say so.",
                           WRITTEN_RESULT, related=tuple(pending)))
    ordered = set(record.order.item_codes) if record.order else set()
    uncovered = tuple(r.item_code for r in record.results if needs_order(r) and r.item_code not in ordered)
    if uncovered:
        out.append(finding("R10", Severity.BLOCK, "R10.no_order",
                           f"不符合项（{'、'.join(uncovered)}）须下达责令限期改正通知书并设复查任务。",
                           f"Non-compliant item(s) {', '.join(uncovered)} need a rectification order with a "
                           "follow-up re-inspection.", WRITTEN_RESULT, related=uncovered))
    if record.card_handed_at is None:
        out.append(finding("R13", Severity.BLOCK, "R13.card", "未记录向当事人发放行政执法案件监督卡。",
                           "Handing the supervision card to the party is not recorded.", SUPERVISION_CARD))
    return out


def _signature_findings(record: OnsiteRecord, inspection: Inspection,
                        officer_names: dict[str, str]) -> Iterable[Finding]:
    signed_officers = {s.signer_ref for s in record.signatures if s.role is SignerRole.OFFICER}
    unsigned = tuple(o for o in inspection.officer_ids if o not in signed_officers)
    if unsigned:
        names = "、".join(officer_names.get(o, o) for o in unsigned)
        yield finding("R9", Severity.BLOCK, "R9.officer", f"执法人员 {names} 尚未在笔录上签名。",
                      f"Officer(s) {', '.join(unsigned)} have not signed the record.", SIGNATURES, related=unsigned)
    party_signed = any(s.role is SignerRole.PARTY for s in record.signatures)
    witness_ids = {s.id for s in record.signatures if s.role is SignerRole.WITNESS}
    refused = any(r.witness_signature_id in witness_ids for r in record.refusals)
    if record.party_absent:
        if not witness_ids:
            yield finding("R9", Severity.BLOCK, "R9.absent_witness", "当事人不在场，须由见证人签名。",
                          "The party is absent: a witness must sign.", SIGNATURES)
    elif not party_signed and not refused:
        yield finding("R9", Severity.BLOCK, "R9.party",
                      "当事人尚未签名；拒绝签名的，须注明拒签理由并由见证人签名。",
                      "The party has not signed; a refusal must be written with its reason and a witness's signature.",
                      SIGNATURES)
