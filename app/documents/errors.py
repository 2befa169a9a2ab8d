"""Errors a user can meet when an inspection document is prepared, printed or its code checked.

Messages that enforce a legal rule cite its legal source, in both languages; the rule id is
kept on the error (``rule``, ``rules``) for programs, never in the text.
"""

from __future__ import annotations

from pathlib import Path

from app.gates.findings import (
    CERTIFICATE_SHOWN,
    DISCRETION_BENCHMARK as DISCRETION,
    FLEXIBLE_MEASURES as FLEXIBLE,
    STAFFING,
    SUPERVISION_CARD,
    WRITTEN_RESULT,
    LegalSource,
)
from local_db.errors import UserFacingError


RECUSAL = LegalSource("《中华人民共和国行政处罚法》第四十三条", "Administrative Penalty Law Art. 43")
SIGNATURES = LegalSource(
    "《中华人民共和国行政处罚法》第五十五条；《中华人民共和国行政强制法》第十八条第（八）项、第（九）项",
    "Administrative Penalty Law Art. 55; Administrative Coercion Law Art. 18(8) and (9)",
)
INSPECTION_CODE = LegalSource(
    "《浙江省人民政府办公厅关于进一步提升行政执法质效助力打造营商环境最优省的指导意见》（浙政办发〔2024〕10号）二（五）",
    "Zhejiang Provincial Government Office, Guiding Opinions on Enforcement Quality "
    "(Zhe Zheng Ban Fa [2024] No. 10), 2(5)",
)

SOURCES: dict[str, LegalSource] = {
    "R1": STAFFING, "R2": CERTIFICATE_SHOWN, "R3": RECUSAL, "R9": SIGNATURES, "R10": WRITTEN_RESULT,
    "R11": FLEXIBLE, "R12": DISCRETION, "R13": SUPERVISION_CARD, "R14": INSPECTION_CODE,
}


class DocumentError(UserFacingError):
    """Base of the document errors."""


class DocumentInputInvalid(DocumentError):
    """A field of a document is missing or wrong; ``rule`` is set when a legal rule asks for it."""

    def __init__(self, where: str, zh: str, en: str, rule: str | None = None) -> None:
        if rule:
            source = SOURCES[rule]
            zh = f"{zh} 依据：{source.zh}"
            en = f"{en} Source: {source.en}."
        super().__init__(f"文书内容有误（{where}）：{zh}", f"Document field invalid ({where}): {en}")
        self.where = where
        self.rule = rule


class RecordIncomplete(DocumentError):
    """The on-site record cannot be printed as final: each problem names its rule and source."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        zh_lines = [f"{zh} 依据：{SOURCES[rule].zh}" for rule, zh, _ in problems]
        en_lines = [f"{en} Source: {SOURCES[rule].en}." for rule, _, en in problems]
        super().__init__(
            "现场检查笔录尚不完整，不能作为正式文书打印（可打印草稿）：\n" + "\n".join(zh_lines),
            "The on-site record is not complete and cannot be printed as final (a draft can be):\n"
            + "\n".join(en_lines),
        )
        self.problems = problems
        self.rules = tuple(dict.fromkeys(rule for rule, _, _ in problems))


class SignatureImageInvalid(DocumentError):
    """A signature is not a readable PNG image."""

    def __init__(self, signer: str, reason: str) -> None:
        super().__init__(
            f"{signer} 的签名图像无法使用（{reason}），须为 PNG 图像。请重新签名。",
            f"The signature image of {signer} cannot be used ({reason}); it must be a PNG image. Sign again.",
        )
        self.signer = signer


class InspectionCodeInvalid(DocumentError):
    """An inspection code (QR, R14) that is malformed, or whose signature does not verify."""

    def __init__(self, zh: str, en: str) -> None:
        source = INSPECTION_CODE
        super().__init__(f"检查码无效：{zh} 依据：{source.zh}",
                         f"Invalid inspection code: {en} Source: {source.en}.")


class DocumentWriteFailed(DocumentError):
    """The PDF could not be written; nothing was left under the destination name."""

    def __init__(self, path: Path, reason: str, *, disk_full: bool = False, read_only: bool = False) -> None:
        if read_only:
            super().__init__(
                f"{path.parent} 所在介质为只读，文书无法保存到 {path}。未留下任何文件；请换一个可写的目录。",
                f"{path.parent} is on a read-only medium: the document could not be saved to {path}. Nothing "
                "was left there; choose a folder that can be written.",
            )
            self.path = path
            return
        if disk_full:
            super().__init__(
                f"磁盘空间已满，文书无法保存到 {path}。未留下不完整的文件；请腾出空间后重试。",
                f"The disk is full: the document could not be saved to {path}. No partial file was left; "
                "free some space and try again.",
            )
            self.path = path
            return
        super().__init__(
            f"文书无法保存到 {path}（{reason}）。未留下不完整的文件；请检查目录和磁盘空间后重试。",
            f"The document could not be saved to {path} ({reason}). No partial file was left; "
            "check the folder and the free disk space, then try again.",
        )
        self.path = path
