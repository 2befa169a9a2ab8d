"""Errors a user can meet while evidence is taken in, exported or (never) removed.

Messages that enforce a legal rule cite the rule and its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from local_db.errors import UserFacingError

R15_SOURCE = "《中华人民共和国行政处罚法》第四十六条"
R17_SOURCE = ("国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见"
              "（国办发〔2018〕118号）(十)")
R17_SOURCE_EN = ("General Office of the State Council, Guiding Opinions on the enforcement publicity, "
                 "full-process recording and legal review systems (Guo Ban Fa [2018] No. 118), (10)")


class EvidenceError(UserFacingError):
    """Base of the evidence errors."""


class EvidenceTypeInvalid(EvidenceError):
    """No evidence type, or one that is not among the eight of 行政处罚法 §46 (R15)."""

    def __init__(self, given: str | None) -> None:
        from app.domain import EvidenceType
        labels = "、".join(t.label for t in EvidenceType)
        keys = ", ".join(t.value for t in EvidenceType)
        what_zh = "未指定证据种类" if not given else f"“{given}”不是法定证据种类"
        what_en = "no evidence type given" if not given else f"“{given}” is not a statutory evidence type"
        super().__init__(
            f"{what_zh}。每份证据须属于以下八种之一（{R15_SOURCE}）：{labels}。",
            f"{what_en}. Each item must be one of the eight types of the Administrative Penalty Law "
            f"art. 46: {keys}.",
        )
        self.given = given


class UnsupportedMedia(EvidenceError):
    """The content is not a photo, video or audio recording this terminal recognises."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"文件“{name}”不是可识别的照片、视频或录音（内容与任何已知格式不符，可能已损坏）。未导入，证据库未改动。",
            f"The file “{name}” is not a recognised photo, video or audio recording (its content matches "
            "no known format; it may be damaged). It was not imported; the evidence store is unchanged.",
        )
        self.name = name


class EmptySource(EvidenceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"文件“{name}”为空（0 字节），未导入。",
            f"The file “{name}” is empty (0 bytes); it was not imported.",
        )
        self.name = name


class SourceUnreadable(EvidenceError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            f"无法读取文件“{name}”（{reason}），未导入，证据库未改动。",
            f"The file “{name}” cannot be read ({reason}); it was not imported and the evidence store is unchanged.",
        )
        self.name = name


class SourceChanged(EvidenceError):
    """The source file changed (cut short, grown, rewritten) while it was being copied."""

    def __init__(self, name: str, reason_zh: str, reason_en: str) -> None:
        super().__init__(
            f"文件“{name}”在复制过程中被改动（{reason_zh}），未封存，证据库未改动。请确认来源后重新导入。",
            f"The file “{name}” changed while it was being copied ({reason_en}); it was not sealed and the "
            "evidence store is unchanged. Check the source and import it again.",
        )
        self.name = name


class NotAFile(EvidenceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"“{name}”不是普通文件（管道、设备或套接字），未导入。",
            f"“{name}” is not a regular file (a pipe, a device or a socket); it was not imported.",
        )
        self.name = name


class DiskFull(EvidenceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"磁盘空间已满，文件“{name}”未导入；已封存的证据保持不变。请腾出空间后重新导入。",
            f"The disk is full: the file “{name}” was not imported; evidence already sealed is unchanged. "
            "Free some space and import again.",
        )
        self.name = name


class MediumReadOnly(EvidenceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"数据目录所在介质为只读，文件“{name}”未导入。",
            f"The data folder is on a read-only medium: the file “{name}” was not imported.",
        )
        self.name = name


def from_os_error(name: str, exc: OSError) -> EvidenceError:
    """The error a person is shown for ``exc`` met while ``name`` was imported."""
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFull(name)
    if exc.errno == errno.EROFS:
        return MediumReadOnly(name)
    return SourceUnreadable(name, exc.strerror or str(exc))


class UnknownOfficer(EvidenceError):
    def __init__(self, cert_no: str) -> None:
        super().__init__(
            f"执法证号 {cert_no} 不在本机人员名册中，无法记录为证据采集人。",
            f"Certificate number {cert_no} is not on this device's roster; it cannot be recorded as collector.",
        )
        self.cert_no = cert_no


class OfficerRequired(EvidenceError):
    def __init__(self) -> None:
        super().__init__("证据须记录至少一名执法人员的执法证号。",
                         "Evidence must name at least one officer by certificate number.")


class CollectorNotSignedIn(EvidenceError):
    """Photos and recordings taken at the device are collected by the person signed in there."""

    def __init__(self, person: str, named: Sequence[str]) -> None:
        super().__init__(f"采集人只能是登录的本人（{person}），不能记为 {'、'.join(named)}：每份证据由实际采集的人员署名。",
                         f"The collector is the person signed in ({person}), not {', '.join(named)}: evidence "
                         "names the person who actually collected it.")


class UnknownInspection(EvidenceError):
    def __init__(self, inspection_id: str) -> None:
        super().__init__(f"检查任务 {inspection_id} 不存在。", f"Inspection {inspection_id} does not exist.")
        self.inspection_id = inspection_id


class UnknownEvidence(EvidenceError):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"证据 {sha256[:16]}… 不存在。", f"Evidence item {sha256[:16]}… does not exist.")
        self.sha256 = sha256


class OriginalAltered(EvidenceError):
    """The stored original no longer matches its seal; it is not handed out."""

    def __init__(self, sha256: str) -> None:
        super().__init__(
            f"证据原件 {sha256[:16]}… 与封存时的 SHA-256 不符或已缺失，拒绝导出。请运行 “fieldinspect verify” 并联系技术支持。",
            f"The original {sha256[:16]}… no longer matches its sealed SHA-256 or is missing; it is not "
            "exported. Run “fieldinspect verify” and contact support.",
        )
        self.sha256 = sha256


class RetentionRefused(EvidenceError):
    """R19: nothing under retention can be deleted."""

    def __init__(self, sha256: str, until: date | None, months: int) -> None:
        when_zh = f"保存至 {until.isoformat()}" if until else "随案件保存"
        when_en = f"kept until {until.isoformat()}" if until else "kept with its case"
        super().__init__(
            f"证据 {sha256[:16]}… 在保存期限内（{when_zh}），不得删除（未关联案件的材料至少保存 {months} 个月，"
            f"可配置，默认 6 个月；关联案件的随案保存）。本次删除尝试已记入审计日志。",
            f"Evidence {sha256[:16]}… is under retention ({when_en}) and cannot be deleted (material not "
            f"linked to a case is kept at least {months} months, configurable, default 6; material linked to a "
            "case is kept with the case). This attempt has been written to the audit log.",
        )
        self.sha256 = sha256
        self.until = until


class OriginalsWriteOnce(EvidenceError):
    """R17: the application never edits or deletes an original, even after retention."""

    def __init__(self, sha256: str) -> None:
        super().__init__(
            f"证据原件 {sha256[:16]}… 一经封存不得由本程序修改或删除（{R17_SOURCE}“防删改”）。"
            "保存期满后的处置由档案管理程序办理。本次删除尝试已记入审计日志。",
            f"The original {sha256[:16]}… is write-once: this application never edits or deletes it "
            f"({R17_SOURCE_EN}). Disposal after retention is a records-management procedure. "
            "This attempt has been written to the audit log.",
        )
        self.sha256 = sha256
