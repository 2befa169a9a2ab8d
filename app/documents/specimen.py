"""Specimen documents on the demo data set: for previews of the layout, tests and the benchmark.

They use the demo agency, officers, party and check items (resources/reference/demo.json)
and a day in the demo week, so what they print can be compared with the demo.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from app import paths
from app.clock import CHINA_TZ
from app.crypto import sha256_hex
from app.documents import qr
from app.documents.model import (AgencyLine, BenchmarkDeviation, CardHandover, CertificateShown, DiscretionClause,
                                 FlexibleMeasure, InspectionNotice, ItemFinding, ItemResult, MinorHandling,
                                 NoPenaltyGround, NoticeItem, OfficerLine, OnsiteRecord, PenaltyProposal,
                                 RectificationOrder, RecusalAnswer, ResultItem, Signature, SignatureRefusal,
                                 SignerRole, SubjectLine, SupervisionCard, WrittenResult)

AGENCY = AgencyLine("QH-XC-ZHZF", "清河市西城区综合行政执法局")
OFFICERS = (OfficerLine("张伟", "33010621001"), OfficerLine("李娜", "33010621002"))
SUBJECT = SubjectLine("清河市西城区味之源餐饮店", "西城区文三路 128 号", "92330106MA201079B7", "张国庆", "0571-8888 6666")
INSPECTION_ID = "JC-2026-1101"
START = datetime(2026, 11, 23, 9, 30, tzinfo=CHINA_TZ)
PHONE = "0571-12345"
BASE_URL = "https://zfjd.qinghe.gov.cn/v"

ITEMS = (
    ("SR-001", "沿街单位门前责任区市容环境卫生", "《城市市容和环境卫生管理条例》第十四条"),
    ("SR-002", "户外广告设施设置与维护", "《城市市容和环境卫生管理条例》第十一条"),
    ("SR-003", "在建筑物、设施上张挂张贴宣传品", "《城市市容和环境卫生管理条例》第十七条"),
    ("HW-001", "生活垃圾分类投放", "《中华人民共和国固体废物污染环境防治法》第四十九条"),
    ("HW-002", "餐厨垃圾交由有资质单位收运及台账", "《中华人民共和国固体废物污染环境防治法》第五十八条"),
    ("DQ-001", "餐饮服务油烟净化设施安装与使用", "《中华人民共和国大气污染防治法》第八十一条"),
)
LONG_FINDING = (
    "现场检查发现，该店后厨西侧油烟净化设施的运行记录自本月初起中断，设备铭牌显示的额定风量与实际安装的风机型号不一致，"
    "净化器集油槽内油污积存较多，排风管道在二层平台处有明显油渍渗出；当事人现场出示的清洗维护台账仅记载至上月十五日，"
    "未能提供有资质单位出具的油烟排放检测报告。执法人员已对上述情况拍照、录像固定，并责令当事人立即停止使用故障设备，"
    "按照大气污染防治相关规定对净化设施进行清洗和检修，检修完成后保持正常使用并如实记录运行情况。"
)


def signature_png(name: str, *, width: int = 480, height: int = 160) -> bytes:
    """A stand-in handwritten signature: the name, slanted, in the bundled font, on a transparent PNG."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(paths.FONT_FILE), int(height * 0.55))
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    ImageDraw.Draw(image).text((width * 0.08, height * 0.12), name, font=font, fill=(20, 30, 90, 255))
    image = image.transform(image.size, Image.Transform.AFFINE, (1, 0.25, -20, 0, 1, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def findings(count: int, *, long_text_at: int | None = 5) -> tuple[ItemFinding, ...]:
    """``count`` findings cycling through the demo items: a long finding at ``long_text_at``, minor
    violations handled flexibly (R11), and one penalty proposed with its benchmark clause and an
    approved deviation (R12)."""
    out = []
    for n in range(count):
        code, name, basis = ITEMS[n % len(ITEMS)]
        code = code if n < len(ITEMS) else f"{code}-{n + 1:03d}"
        evidence = (sha256_hex(f"{INSPECTION_ID}/{n}".encode()),)
        if n == long_text_at:
            out.append(ItemFinding(code, name, ItemResult.NON_COMPLIANT, LONG_FINDING, basis, evidence))
        elif n == 8:
            out.append(ItemFinding(code, name, ItemResult.NON_COMPLIANT,
                                   "店门两侧外墙张贴商业宣传品四处，未经批准，经提醒后仍未清除。", basis, evidence,
                                   penalty=PenaltyProposal(
                                       "警告，并处罚款人民币三百元",
                                       DiscretionClause("擅自在建筑物上张贴宣传品", "一般", "罚款一百元以上一千元以下",
                                                        "清河市综合行政执法裁量基准第 SR-017 项"),
                                       BenchmarkDeviation("当事人为个体经营者且系初次被发现，按基准适用明显过重",
                                                          "局长办公会集体讨论", "西综执审〔2026〕37号",
                                                          date(2026, 11, 23)))))
        elif n % 7 == 3:
            out.append(ItemFinding(code, name, ItemResult.NON_COMPLIANT,
                                   "分类投放容器标识部分脱落，已当场要求补贴标识。", basis, evidence,
                                   minor=MinorHandling((FlexibleMeasure.REMINDER, FlexibleMeasure.GUIDANCE),
                                                       "讲解生活垃圾分类投放要求，当事人表示立即改正。",
                                                       NoPenaltyGround.MINOR_CORRECTED)))
        elif n % 11 == 9:
            out.append(ItemFinding(code, name, ItemResult.NOT_APPLICABLE, "店内未设置户外广告设施。", basis))
        else:
            out.append(ItemFinding(code, name, ItemResult.COMPLIANT, "现场查看符合要求。", basis, evidence))
    return tuple(out)


def record(items: int = 6, *, signed: bool = True, party_refuses: bool = False,
           long_text_at: int | None = 5) -> OnsiteRecord:
    """An on-site record of the demo inspection JC-2026-1101 with ``items`` check items."""
    at = START
    signatures: tuple[Signature, ...] = ()
    refusal = None
    end = at + timedelta(minutes=45 + items // 4)
    if signed:
        signatures = tuple(Signature(SignerRole.OFFICER, o.name, signature_png(o.name), end) for o in OFFICERS)
        if party_refuses:
            refusal = SignatureRefusal("张国庆", "当事人对检查结果有异议，拒绝在笔录上签名", "周敏（文三路社区工作人员）",
                                       "张伟", end)
            signatures += (Signature(SignerRole.WITNESS, "周敏", signature_png("周敏"), end),)
        else:
            signatures += (Signature(SignerRole.PARTY, "张国庆", signature_png("张国庆"), end),)
    return OnsiteRecord(
        inspection_id=INSPECTION_ID, document_no="清西综执检笔〔2026〕15号", agency=AGENCY,
        started_at=at, ended_at=end, place=SUBJECT.address, subject=SUBJECT,
        present_person="张国庆", present_role="负责人", officers=OFFICERS, recorder="李娜",
        certificates_shown=tuple(CertificateShown(o.cert_no, at) for o in OFFICERS),
        recusal=RecusalAnswer(at + timedelta(minutes=1), "张伟", "不申请回避。"),
        findings=findings(items, long_text_at=long_text_at),
        supervision_card=CardHandover(end, "张国庆"), signatures=signatures, refusal=refusal,
        notes="检查过程全程使用执法记录仪录音录像。")


def notice(signer: qr.CodeSigner, base_url: str = BASE_URL) -> InspectionNotice:
    """The inspection notice of JC-2026-1101, its QR code signed by ``signer``."""
    url = qr.build_code(qr.InspectionCode(base_url, INSPECTION_ID, AGENCY.id, tuple(o.cert_no for o in OFFICERS),
                                          START.date()), signer)
    return InspectionNotice(
        inspection_id=INSPECTION_ID, document_no="清西综执检〔2026〕41号", agency=AGENCY, subject=SUBJECT,
        basis="《清河市西城区综合行政执法局2026年度行政检查计划》（已备案，备案号 QH-XC-BA-2026-007）及"
              "《城市市容和环境卫生管理条例》《中华人民共和国大气污染防治法》等",
        items=tuple(NoticeItem(c, n) for c, n, _ in ITEMS), scheduled_at=START, place=SUBJECT.address,
        officers=OFFICERS, issued_on=date(2026, 11, 18), contact_phone=PHONE, verification_url=url)


def written_result() -> WrittenResult:
    """The written result of JC-2026-1101 (R10)."""
    items = []
    for code, name, basis in ITEMS:
        if code == "DQ-001":
            items.append(ResultItem(code, name, ItemResult.NON_COMPLIANT, basis, LONG_FINDING,
                                    "清洗检修油烟净化设施，恢复正常运行并建立运行维护台账",
                                    "油烟净化设施正常使用，油烟达标排放，台账完整", date(2026, 12, 7)))
        else:
            items.append(ResultItem(code, name, ItemResult.COMPLIANT, basis, "未发现问题"))
    return WrittenResult(
        inspection_id=INSPECTION_ID, document_no="清西综执检告〔2026〕15号", agency=AGENCY, subject=SUBJECT,
        inspected_at=START, place=SUBJECT.address, officers=OFFICERS, items=tuple(items),
        issued_on=date(2026, 11, 23), contact_phone=PHONE, rectification_order_no="清西综执责改〔2026〕88号")


def rectification_order() -> RectificationOrder:
    """The rectification order following JC-2026-1101 (R10)."""
    return RectificationOrder(
        inspection_id=INSPECTION_ID, document_no="清西综执责改〔2026〕88号", agency=AGENCY, subject=SUBJECT,
        facts=LONG_FINDING,
        provisions_violated=("《中华人民共和国大气污染防治法》第八十一条第一款",),
        legal_basis="《中华人民共和国大气污染防治法》第一百一十八条第一款",
        corrections=("对油烟净化设施进行清洗、检修，保持正常使用；", "建立并如实填写油烟净化设施运行维护台账；",
                     "委托有资质单位进行油烟排放检测并留存报告。"),
        deadline=date(2026, 12, 7),
        consequence="逾期不改正的，本机关将依据《中华人民共和国大气污染防治法》第一百一十八条第一款依法处理，"
                    "处五千元以上五万元以下的罚款；拒不改正的，责令停业整治。",
        follow_up_on=date(2026, 12, 8), issued_on=date(2026, 11, 23), officers=OFFICERS, contact_phone=PHONE)


def supervision_card(signer: qr.CodeSigner, base_url: str = BASE_URL) -> SupervisionCard:
    """The supervision card handed over at JC-2026-1101 (R13, R14)."""
    url = qr.build_code(qr.InspectionCode(base_url, INSPECTION_ID, AGENCY.id, tuple(o.cert_no for o in OFFICERS),
                                          START.date()), signer)
    return SupervisionCard(
        inspection_id=INSPECTION_ID, card_no="清西综执监卡〔2026〕15号", agency=AGENCY, department="第一执法中队",
        officers=OFFICERS, supervision_phone=PHONE, issued_on=START.date(), verification_url=url)
