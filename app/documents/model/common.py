"""Parts shared by every document: agency, officers, party, item results, signatures."""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from datetime import date, datetime

from app.documents.errors import DocumentInputInvalid, SignatureImageInvalid

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def cn_day(value: date) -> str:
    """A date as every document prints it: ``2026年5月12日`` (no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"


def need(text: str, where: str, what_zh: str, what_en: str, rule: str | None = None) -> None:
    """Refuse an empty or blank text field, naming the field and, where a rule asks for it, the rule."""
    if not text or not text.strip():
        raise DocumentInputInvalid(where, f"缺少{what_zh}。", f"{what_en} is missing.", rule)


def need_aware(moment: datetime, where: str) -> None:
    """Refuse a naive time: every printed time is China time converted from an aware moment."""
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise DocumentInputInvalid(where, "时间须带时区（请使用程序时钟）。",
                                   "the time must carry a UTC offset (use the application clock).")


def png_size(png: bytes, signer: str) -> tuple[int, int]:
    """Width and height in pixels from the PNG header; a non-PNG is refused here, not at print time."""
    if not isinstance(png, bytes | bytearray) or not png.startswith(PNG_MAGIC) or len(png) < 33:
        raise SignatureImageInvalid(signer, "不是 PNG 图像")
    if png[12:16] != b"IHDR":
        raise SignatureImageInvalid(signer, "PNG 文件头损坏")
    width, height = struct.unpack(">II", png[16:24])
    if not width or not height:
        raise SignatureImageInvalid(signer, "图像尺寸为零")
    return width, height


# --- Shared parts ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AgencyLine:
    """The enforcement agency (执法机关) as printed; ``id`` goes into the inspection code (R14)."""

    id: str
    name: str

    def __post_init__(self) -> None:
        need(self.id, "agency.id", "执法机关编号", "the agency id")
        need(self.name, "agency.name", "执法机关名称", "the agency name")


@dataclass(frozen=True, slots=True)
class OfficerLine:
    """An officer with the enforcement certificate number (执法证号)."""

    name: str
    cert_no: str

    def __post_init__(self) -> None:
        need(self.name, "officers[].name", "执法人员姓名", "the officer's name")
        need(self.cert_no, f"officers[{self.name}].cert_no", "执法证号", "the certificate number", "R1")


@dataclass(frozen=True, slots=True)
class SubjectLine:
    """The party inspected (被检查人): enterprise or person."""

    name: str
    address: str = ""
    uscc: str = ""  # 统一社会信用代码, or an identity document number for a person
    representative: str = ""  # 法定代表人 / 负责人
    phone: str = ""

    def __post_init__(self) -> None:
        need(self.name, "subject.name", "被检查人名称", "the name of the party inspected")


class ItemResult(enum.StrEnum):
    """The result of one check item."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    NOT_CHECKED = "not_checked"

    @property
    def label(self) -> str:
        """The Chinese word printed for the result."""
        return {"compliant": "符合", "non_compliant": "不符合", "not_applicable": "不适用",
                "not_checked": "未检查"}[self.value]


class SignerRole(enum.StrEnum):
    OFFICER = "officer"  # 执法人员
    RECORDER = "recorder"  # 记录人
    PARTY = "party"  # 当事人 / 被检查人
    WITNESS = "witness"  # 见证人

    @property
    def label(self) -> str:
        """The Chinese name of the role printed beside the signature."""
        return {"officer": "执法人员", "recorder": "记录人", "party": "当事人", "witness": "见证人"}[self.value]


@dataclass(frozen=True, slots=True)
class Signature:
    """A handwritten signature captured as a PNG image, with who signed and when (R9)."""

    role: SignerRole
    name: str
    png: bytes
    signed_at: datetime

    def __post_init__(self) -> None:
        need(self.name, "signatures[].name", "签名人姓名", "the signer's name")
        need_aware(self.signed_at, f"signatures[{self.name}].signed_at")
        png_size(self.png, self.name)

    @property
    def pixel_size(self) -> tuple[int, int]:
        """Width and height of the signature image in pixels."""
        return png_size(self.png, self.name)
