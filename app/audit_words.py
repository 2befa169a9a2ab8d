"""Audit entries in words: one sentence per entry, in Chinese or English.

The log keeps the raw form (``action``, ``detail``), which is what is signed, checked
and exported; people read :func:`describe`: "张伟 开始检查 JC-2026-1101（检查事项
SR-001、HW-001）", never ``inspection.start`` or ``items=['SR-001']``. The Review
page's audit tab and ``fieldinspect status`` both use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from app.domain import AuditEntry

REFUSED = "refused"  # app.access.REFUSED: an act the core refused, with who, what and the rule
# Entries that record a refused act (the audit tab's "refusals" filter).
REFUSAL_ACTIONS = frozenset({REFUSED, "evidence.remove_refused", "camera.delete_refused",
                             "session.sign_in_refused", "session.pin_failed"})
SYSTEM = {"zh": "系统", "en": "The system"}

_HEX = re.compile(r"^[0-9a-f]{40,}$")

_RESULT = {"compliant": ("符合", "compliant"), "non_compliant": ("不符合", "non-compliant"),
           "not_applicable": ("不适用", "not applicable"), "not_checked": ("未检查", "not checked")}
_SIGNER = {"officer": ("执法人员", "officer"), "party": ("当事人", "party"), "witness": ("见证人", "witness")}
_CUSTODY = {"stored": ("移交保管", "moved to storage"), "notice": ("通知当事人领取", "notified the party to collect"),
            "handover": ("向当事人移交财物", "handed property over to the party"),
            "refused": ("记录当事人拒收", "recorded the party refusing the property")}
_ACTS = {  # app.access.Permission values and the other refused acts
    "capture": ("采集或导入证据", "capture or import evidence"),
    "start_inspection": ("开始检查或强制拆除", "start an inspection or a demolition"),
    "sign_as_officer": ("以执法人员身份记录、签名", "record or sign as an officer"),
    "pad_signature": ("采集当事人或见证人签名", "take a party's or witness's signature"),
    "review": ("审核证据", "review evidence"),
    "review.self": ("审核本人采集的证据", "review evidence they captured"),
    "read_audit": ("查看审计日志", "read the audit log"),
    "issue_pin": ("签发或重置 PIN", "issue or reset a PIN"),
    "sync": ("生成数据包或同步", "write a bundle or sync"),
    "view_evidence": ("查看或导出证据原件", "view or export an original"),
    "demolition.resume": ("恢复强制拆除", "resume a demolition"),
}


def short(target: str) -> str:
    """A hash as its first 12 digits; anything else as it is."""
    return target[:12] + "…" if _HEX.match(target or "") else target


class _Words:
    def __init__(self, entry: AuditEntry, language: str, names: Mapping[str, str]) -> None:
        self.e, self.lang, self.names = entry, language, names
        self.d: dict[str, Any] = dict(entry.detail or {})

    def who(self, person_id: str | None = None) -> str:
        pid = self.e.actor if person_id is None else person_id
        if pid in ("system", "", None):
            return SYSTEM[self.lang]
        if pid == "hq":
            return "总部" if self.lang == "zh" else "HQ"
        return self.names.get(pid, pid)

    def t(self) -> str:
        return short(self.e.target)

    def get(self, key: str, default: str = "") -> str:
        value = self.d.get(key)
        if isinstance(value, (list, tuple)):
            return ("、" if self.lang == "zh" else ", ").join(short(str(v)) for v in value)
        return default if value in (None, "") else short(str(value))

    def pick(self, table: Mapping[str, tuple[str, str]], key: str) -> str:
        pair = table.get(self.get(key))
        return (pair[0] if self.lang == "zh" else pair[1]) if pair else self.get(key)


Sentence = Callable[[_Words], tuple[str, str]]


def _items(w: _Words) -> tuple[str, str]:
    items = w.get("items")
    return (f"（检查事项 {items}）" if items else "", f" (check items {items})" if items else "")


def _refused(w: _Words) -> tuple[str, str]:
    act = _ACTS.get(w.get("act"), (w.get("act") or "操作", w.get("act") or "act"))
    where_zh = f"（{w.t()}）" if w.e.target else ""
    where_en = f" ({w.t()})" if w.e.target else ""
    return (f"{w.who()} 试图{act[0]}{where_zh}，被拒绝：{w.d.get('reason_zh', '')}",
            f"{w.who()} tried to {act[1]}{where_en} and was refused: {w.d.get('reason_en', '')}")


_SENTENCES: dict[str, Sentence] = {
    REFUSED: _refused,
    "session.sign_in": lambda w: (f"{w.who()} 登录" + ("（命令行）" if w.get("how") == "cli" else ""),
                                  f"{w.who()} signed in" + (" (command line)" if w.get("how") == "cli" else "")),
    "session.sign_out": lambda w: (f"{w.who()} 退出登录", f"{w.who()} signed out"),
    "session.lock": lambda w: (f"{w.who()} 的屏幕因闲置锁定", f"{w.who()}'s screen locked when idle"),
    "session.unlock": lambda w: (f"{w.who()} 解锁屏幕", f"{w.who()} unlocked the screen"),
    "session.sign_in_refused": lambda w: (f"{w.who()} 登录被拒绝（PIN 错误次数过多，须等待）",
                                          f"{w.who()}'s sign-in was refused (too many wrong PINs; wait)"),
    "session.pin_failed": lambda w: (f"{w.who()} 输入的 PIN 不正确", f"{w.who()} typed a wrong PIN"),
    "session.pin_set": lambda w: (f"{w.who()} 为 {w.who(w.e.target)} 设置 PIN",
                                  f"{w.who()} issued a PIN to {w.who(w.e.target)}"),
    "session.pin_changed": lambda w: (f"{w.who()} 更换了本人的 PIN", f"{w.who()} changed their own PIN"),
    "inspection.start": lambda w: (f"{w.who()} 开始检查 {w.t()}{_items(w)[0]}",
                                   f"{w.who()} started inspection {w.t()}{_items(w)[1]}"),
    "inspection.close": lambda w: (f"{w.who()} 结束检查 {w.t()}", f"{w.who()} closed inspection {w.t()}"),
    "inspection.merge": lambda w: (f"{w.who()} 将 {w.get('merged')} 合并到检查 {w.t()}（综合查一次）",
                                   f"{w.who()} merged {w.get('merged')} into inspection {w.t()} (one visit)"),
    "gate.override": lambda w: (
        f"{w.who()} 为检查 {w.t()} 登记例外：{w.get('reason')}（文号 {w.get('reference', '—')}，"
        f"批准人 {w.get('approved_by', '—')}）",
        f"{w.who()} recorded an exception for inspection {w.t()}: {w.get('reason')} (reference "
        f"{w.get('reference', '—')}, approved by {w.get('approved_by', '—')})"),
    "record.certificate_shown": lambda w: (
        f"{w.who()} 记录 {w.who(w.get('officer'))} 出示执法证（证号 {w.get('cert_no')}），检查 {w.t()}",
        f"{w.who()} recorded that {w.who(w.get('officer'))} showed certificate {w.get('cert_no')}, "
        f"inspection {w.t()}"),
    "record.recusal_asked": lambda w: (
        f"{w.who()} 在检查 {w.t()} 中告知回避权利，当事人{'申请' if w.d.get('requested') else '未申请'}回避",
        f"{w.who()} told the party of the right to recusal in inspection {w.t()}; the party "
        f"{'asked for' if w.d.get('requested') else 'did not ask for'} recusal"),
    "record.party": lambda w: (
        f"{w.who()} 记录检查 {w.t()} 的当事人{'不在场' if w.d.get('absent') else '在场情况'}",
        f"{w.who()} recorded the party as {'absent' if w.d.get('absent') else 'present'} in inspection {w.t()}"),
    "record.result": lambda w: (
        f"{w.who()} 记录检查 {w.t()} 的检查项 {w.get('item')}：{w.pick(_RESULT, 'result')}",
        f"{w.who()} recorded check item {w.get('item')} of inspection {w.t()}: {w.pick(_RESULT, 'result')}"),
    "record.penalty_proposed": lambda w: (
        f"{w.who()} 对检查 {w.t()} 的检查项 {w.get('item')} 提出处罚建议（裁量基准 {w.get('benchmark')}）",
        f"{w.who()} proposed a penalty for check item {w.get('item')} of inspection {w.t()} "
        f"(benchmark {w.get('benchmark')})"),
    "record.card_handed": lambda w: (f"{w.who()} 向 {w.get('recipient')} 交付监督卡（检查 {w.t()}）",
                                     f"{w.who()} handed the supervision card to {w.get('recipient')} "
                                     f"(inspection {w.t()})"),
    "record.signed": lambda w: (
        f"{w.who()} 记录{w.pick(_SIGNER, 'role')} {w.get('signer')} 在检查 {w.t()} 的笔录上签名",
        f"{w.who()} recorded the {w.pick(_SIGNER, 'role')} {w.get('signer')} signing the record of "
        f"inspection {w.t()}"),
    "record.signature_refused": lambda w: (f"{w.who()} 记录当事人拒绝在检查 {w.t()} 的笔录上签名：{w.get('reason')}",
                                           f"{w.who()} recorded the party refusing to sign the record of "
                                           f"inspection {w.t()}: {w.get('reason')}"),
    "record.order_issued": lambda w: (
        f"{w.who()} 下达{w.get('order')}（检查 {w.t()}，整改期限 {w.get('deadline')}，复查任务 {w.get('follow_up')}）",
        f"{w.who()} issued rectification order {w.get('order')} (inspection {w.t()}, deadline "
        f"{w.get('deadline')}, follow-up {w.get('follow_up')})"),
    "review.approve": lambda w: (f"{w.who()} 审核通过证据 {w.t()}", f"{w.who()} approved evidence {w.t()}"),
    "review.key": lambda w: (f"{w.who()} 审核通过证据 {w.t()} 并标为关键证据",
                             f"{w.who()} approved evidence {w.t()} as key evidence"),
    "review.return": lambda w: (f"{w.who()} 退回证据 {w.t()}：{w.get('comment')}",
                                f"{w.who()} returned evidence {w.t()}: {w.get('comment')}"),
    "review.answer": lambda w: (f"{w.who()} 答复退回意见（证据 {w.t()}）：{w.get('comment')}",
                                f"{w.who()} answered the return of evidence {w.t()}: {w.get('comment')}"),
    "evidence.sealed": lambda w: (f"{w.who()} 封存证据 {w.t()}（封存记录第 {w.get('seq')} 号）",
                                  f"{w.who()} sealed evidence {w.t()} (seal record {w.get('seq')})"),
    "evidence.export": lambda w: (f"{w.who()} 导出证据原件 {w.t()}" + (f"（用途：{w.get('purpose')}）"
                                                                  if w.get("purpose") else ""),
                                  f"{w.who()} exported the original {w.t()}" + (f" (purpose: {w.get('purpose')})"
                                                                            if w.get("purpose") else "")),
    "evidence.view": lambda w: (f"{w.who()} 查看证据原件 {w.t()}", f"{w.who()} viewed the original {w.t()}"),
    "evidence.remove_refused": lambda w: (
        f"{w.who()} 试图删除证据原件 {w.t()}，被拒绝：原件只可写入一次，保存期内不得删除",
        f"{w.who()} tried to delete the original {w.t()} and was refused: originals are write-once and kept "
        "for their retention period"),
    "evidence.unsealed_set_aside": lambda w: (f"{w.who()} 将未完成封存的文件 {w.t()} 移出证据库",
                                              f"{w.who()} set aside the file {w.t()}, whose sealing never finished"),
    "evidence.encrypted_at_rest": lambda w: (f"{w.who()} 加密了早期版本留下的证据文件",
                                             f"{w.who()} encrypted the evidence files of an earlier version"),
    "camera.assigned": lambda w: (f"{w.who()} 将执法记录仪 {w.t()} 分配给 {w.who(w.get('officer_id'))}",
                                  f"{w.who()} assigned body camera {w.t()} to {w.who(w.get('officer_id'))}"),
    "camera.file_deleted": lambda w: (f"{w.who()} 在核对后删除执法记录仪 {w.t()} 上已封存的文件",
                                      f"{w.who()} deleted a sealed file from body camera {w.t()} after checking it"),
    "camera.delete_refused": lambda w: (f"{w.who()} 试图删除执法记录仪 {w.t()} 上的文件，被拒绝（未核对一致）",
                                        f"{w.who()} tried to delete a file from body camera {w.t()} and was "
                                        "refused (not checked against its seal)"),
    "recording.gap_reason": lambda w: (f"{w.who()} 说明录像缺口原因：{w.get('reason')}（{w.t()}）",
                                       f"{w.who()} explained a recording gap: {w.get('reason')} ({w.t()})"),
    "demolition.case_created": lambda w: (f"{w.who()} 登记强制拆除案件 {w.t()}（公告 {w.get('announcement')}）",
                                          f"{w.who()} recorded demolition case {w.t()} (announcement "
                                          f"{w.get('announcement')})"),
    "demolition.case_changed": lambda w: (f"{w.who()} 修改强制拆除案件 {w.t()} 的信息",
                                          f"{w.who()} changed demolition case {w.t()}"),
    "demolition.start": lambda w: (f"{w.who()} 开始强制拆除 {w.t()}", f"{w.who()} started demolition {w.t()}"),
    "demolition.pause": lambda w: (f"{w.who()} 暂停强制拆除 {w.t()}：{w.get('reason')}",
                                   f"{w.who()} paused demolition {w.t()}: {w.get('reason')}"),
    "demolition.resume": lambda w: (f"{w.who()} 恢复强制拆除 {w.t()}", f"{w.who()} resumed demolition {w.t()}"),
    "demolition.end": lambda w: (f"{w.who()} 结束强制拆除 {w.t()}，封存财物清单",
                                 f"{w.who()} ended demolition {w.t()} and sealed the inventory"),
    "demolition.abandon": lambda w: (f"{w.who()} 终止强制拆除 {w.t()}：{w.get('reason')}",
                                     f"{w.who()} abandoned demolition {w.t()}: {w.get('reason')}"),
    "demolition.party": lambda w: (f"{w.who()} 记录强制拆除 {w.t()} 的当事人{'到场' if w.d.get('present') else '不在场'}",
                                   f"{w.who()} recorded the party as {'present' if w.d.get('present') else 'absent'}"
                                   f" at demolition {w.t()}"),
    "demolition.witness": lambda w: (f"{w.who()} 登记见证人 {w.get('name')}（案件 {w.t()}）",
                                     f"{w.who()} recorded witness {w.get('name')} (case {w.t()})"),
    "demolition.recording_linked": lambda w: (f"{w.who()} 为案件 {w.t()} 关联录像 {w.get('sha256')}",
                                              f"{w.who()} linked recording {w.get('sha256')} to case {w.t()}"),
    "demolition.photo": lambda w: (f"{w.who()} 为案件 {w.t()} 拍摄财物照片",
                                   f"{w.who()} took a property photo for case {w.t()}"),
    "demolition.item_counted": lambda w: (f"{w.who()} 清点财物第 {w.get('item')} 项：{w.get('name')}（案件 {w.t()}）",
                                          f"{w.who()} counted item {w.get('item')}: {w.get('name')} (case {w.t()})"),
    "demolition.item_edited": lambda w: (f"{w.who()} 修改清点记录第 {w.get('item')} 项（案件 {w.t()}）",
                                         f"{w.who()} corrected counted item {w.get('item')} (case {w.t()})"),
    "demolition.signed": lambda w: (f"{w.who()} 记录{w.pick(_SIGNER, 'role')} {w.get('signer')} 签名（案件 {w.t()}）",
                                    f"{w.who()} recorded the {w.pick(_SIGNER, 'role')} {w.get('signer')} signing "
                                    f"(case {w.t()})"),
    "demolition.signature_refused": lambda w: (f"{w.who()} 记录当事人拒绝签名（案件 {w.t()}）",
                                               f"{w.who()} recorded the party refusing to sign (case {w.t()})"),
    "sync.bundle_made": lambda w: (f"{w.who()} 生成同步数据包 {w.t()}", f"{w.who()} wrote sync bundle {w.t()}"),
    "sync.bundle_superseded": lambda w: (f"{w.who()} 以新的数据包取代未确认的数据包 {w.t()}",
                                         f"{w.who()} superseded the unacknowledged bundle {w.t()}"),
    "sync.acknowledged": lambda w: (f"总部确认收到数据包 {w.t()}（{w.who()} 载入回执）",
                                    f"HQ acknowledged bundle {w.t()} ({w.who()} applied the receipt)"),
    "sync.rejected": lambda w: (f"总部拒收数据包 {w.t()}", f"HQ rejected bundle {w.t()}"),
    "sync.paired": lambda w: (f"{w.who()} 与总部配对", f"{w.who()} paired the device with HQ"),
    "sync.reference_loaded": lambda w: (f"{w.who()} 载入总部基础数据 {w.t()}", f"{w.who()} loaded HQ's reference data {w.t()}"),
    "demo.seeded": lambda w: (f"{w.who()} 载入演示数据", f"{w.who()} loaded the demo data"),
    "demo.demolition_cases": lambda w: (f"{w.who()} 载入演示强制拆除案件", f"{w.who()} loaded the demo demolition cases"),
    "audit.signing_began": lambda w: (f"{w.who()} 开始以设备密钥签署审计日志（此前 {w.get('covers')} 条）",
                                      f"{w.who()} began signing the audit log with the device key "
                                      f"({w.get('covers')} entries before)"),
    "custody.adopted": lambda w: (f"{w.who()} 将早期版本的数据目录纳入密钥托管",
                                  f"{w.who()} took an earlier version's folder into key custody"),
    "custody.recovered": lambda w: (f"总部恢复了本设备的密钥，并为 {w.who(w.e.target)} 签发新 PIN",
                                    f"HQ recovered this device's keys and issued {w.who(w.e.target)} a new PIN"),
}


def _custody(w: _Words) -> tuple[str, str]:
    kind = w.e.action.rsplit(".", 1)[-1]
    zh, en = _CUSTODY.get(kind, ("记录财物去向", "recorded where property went"))
    items = w.get("items")
    return (f"{w.who()} {zh}" + (f"（第 {items} 项）" if items else "") + f"，案件 {w.t()}",
            f"{w.who()} {en}" + (f" (items {items})" if items else "") + f", case {w.t()}")


def describe(entry: AuditEntry, language: str = "zh", names: Mapping[str, str] | None = None) -> str:
    """The entry as one sentence in ``language`` ("zh" or "en"); ``names``: person id → name."""
    w = _Words(entry, "en" if language == "en" else "zh", names or {})
    sentence = _SENTENCES.get(entry.action)
    if sentence is None and entry.action.startswith("demolition.custody."):
        sentence = _custody
    if sentence is None:  # an action this version does not know: still words, the raw form in the detail
        where = f" {w.t()}" if entry.target else ""
        zh, en = f"{w.who()} 的一项其他记录{where}", f"{w.who()}: another recorded step{where}"
    else:
        zh, en = sentence(w)
    return zh if w.lang == "zh" else en


def is_refusal(entry: AuditEntry) -> bool:
    """True for the entries of refused acts (roles, gates, self-review, PINs, evidence)."""
    return entry.action in REFUSAL_ACTIONS


def raw(entry: AuditEntry) -> str:
    """The entry as stored, for the detail view: action, target and every detail field."""
    lines = [f"#{entry.seq}  {entry.at.isoformat()}", f"actor: {entry.actor}", f"action: {entry.action}",
             f"target: {entry.target}"]
    lines += [f"{k}: {v}" for k, v in sorted((entry.detail or {}).items())]
    lines += [f"hash: {entry.hash}", f"prev_hash: {entry.prev_hash}"]
    return "\n".join(lines)
