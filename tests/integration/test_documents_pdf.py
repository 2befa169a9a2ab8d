"""The five documents checked with real PDF tools: fonts embedded (pdffonts), every page renders
(pdftoppm), the Chinese is real text (pdftotext), the QR code decodes (zbarimg) and verifies
with openssl as docs/FORMATS.md "Inspection code (QR, R14)" describes, a 200-item record
paginates, and a long finding wraps inside its cell.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from app.device import DeviceIdentity
from app.documents import (notice, onsite_record, qr, rectification, specimen, supervision_card,
                           written_result)
from app.documents.layout import MARGIN_X, mm

TOOLS = ("pdffonts", "pdftoppm", "pdftotext", "pdfinfo", "zbarimg", "openssl")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS), reason=f"needs {', '.join(TOOLS)}"),
]


@dataclass
class Rendered:
    path: Path
    texts: list[str]  # input texts that must come back from pdftotext
    code: str = ""  # the QR payload printed, if any


def run(*cmd: str) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{cmd[0]}: {done.stderr}"
    return done.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> DeviceIdentity:
    return DeviceIdentity.generate(tmp_path_factory.mktemp("device"))


def _record_texts(record) -> list[str]:
    texts = [onsite_record.TITLE, record.agency.name, record.subject.name, record.place, record.present_person,
             record.recusal.answer, record.notes, *(o.name for o in record.officers), *(o.cert_no for o in record.officers)]
    for item in record.findings:
        texts += [item.name, item.code, item.finding, item.legal_basis, item.result.label]
        texts += [onsite_record.short_ref(r) for r in item.evidence]
        if item.penalty:
            texts += [item.penalty.proposal, item.penalty.clause.matter, item.penalty.clause.range,
                      item.penalty.deviation.approval_ref]
        if item.minor:
            texts += [item.minor.education, *(m.label for m in item.minor.measures)]
    return texts


BUILDERS: dict[str, Callable[[DeviceIdentity, Path], Rendered]] = {}


def builder(name: str):
    def register(fn: Callable[[DeviceIdentity, Path], Rendered]):
        BUILDERS[name] = fn
        return fn
    return register


@builder("record")
def _record(_device: DeviceIdentity, folder: Path) -> Rendered:
    record = specimen.record(14)
    return Rendered(onsite_record.render_onsite_record(record, folder / "record.pdf"), _record_texts(record))


@builder("record_refused")
def _record_refused(_device: DeviceIdentity, folder: Path) -> Rendered:
    record = specimen.record(4, party_refuses=True)
    texts = _record_texts(record) + ["拒绝签名", record.refusal.reason, record.refusal.witness]
    return Rendered(onsite_record.render_onsite_record(record, folder / "refused.pdf"), texts)


@builder("record_draft")
def _record_draft(_device: DeviceIdentity, folder: Path) -> Rendered:
    record = specimen.record(4, signed=False)
    path = onsite_record.render_onsite_record(record, folder / "draft.pdf", draft=True)
    return Rendered(path, _record_texts(record) + ["草稿未签名"])


@builder("notice")
def _notice(device: DeviceIdentity, folder: Path) -> Rendered:
    doc = specimen.notice(device)
    texts = [notice.TITLE, doc.agency.name, doc.subject.name, doc.basis, doc.place, doc.document_no,
             *(i.name for i in doc.items), *(o.name for o in doc.officers), *(o.cert_no for o in doc.officers)]
    return Rendered(notice.render_notice(doc, folder / "notice.pdf"), texts, doc.verification_url)


@builder("written_result")
def _written_result(_device: DeviceIdentity, folder: Path) -> Rendered:
    doc = specimen.written_result()
    texts = [written_result.TITLE, doc.agency.name, doc.subject.name, doc.rectification_order_no]
    for item in doc.items:
        texts += [item.name, item.basis, item.finding, item.advice, item.standard]
    return Rendered(written_result.render_written_result(doc, folder / "result.pdf"), texts)


@builder("rectification_order")
def _order(_device: DeviceIdentity, folder: Path) -> Rendered:
    doc = specimen.rectification_order()
    texts = [rectification.TITLE, doc.agency.name, doc.facts, doc.legal_basis, doc.consequence, doc.remedy,
             *doc.provisions_violated, *doc.corrections, "2026年12月7日", "2026年12月8日"]
    return Rendered(rectification.render_rectification_order(doc, folder / "order.pdf"), texts)


@builder("supervision_card")
def _card(device: DeviceIdentity, folder: Path) -> Rendered:
    doc = specimen.supervision_card(device)
    texts = [supervision_card.TITLE, doc.agency.name, doc.department, doc.supervision_phone, doc.card_no,
             *(o.name for o in doc.officers), *doc.supervised_points]
    return Rendered(supervision_card.render_supervision_card(doc, folder / "card.pdf"), texts,
                    doc.verification_url)


@pytest.fixture(scope="module")
def rendered(device: DeviceIdentity, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("documents")
    return {name: build(device, folder) for name, build in BUILDERS.items()}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_font_is_embedded(rendered: dict[str, Rendered], name: str) -> None:
    lines = run("pdffonts", str(rendered[name].path)).splitlines()
    header, rows = lines[0], lines[2:]
    emb = header.index("emb")
    assert rows, "no fonts at all: the text would not be text"
    for row in rows:
        # a subset of a bundled font: the Song face, or WenQuanYi Micro Hei for a character it lacks
        assert row.split()[0].endswith(("+UMingCN", "+WenQuanYiMicroHei")), row
        assert row[emb:emb + 3] == "yes", row


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_page_renders(rendered: dict[str, Rendered], name: str, tmp_path: Path) -> None:
    pdf = rendered[name].path
    pages = page_count(pdf)
    run("pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "page"))
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= 1
    for image in images:
        with Image.open(image) as picture:
            assert picture.size == (827, 1170) or picture.size == (827, 1169)  # A4 at 100 dpi
            darkest, _ = picture.convert("L").getextrema()
            assert darkest < 100, f"{image.name} is blank"


@pytest.mark.parametrize("name", list(BUILDERS))
def test_chinese_comes_back_as_text(rendered: dict[str, Rendered], name: str) -> None:
    # -raw keeps the drawing order, so each table cell's lines stay together.
    text = flat(run("pdftotext", "-raw", str(rendered[name].path), "-"))
    missing = [t for t in rendered[name].texts if t and flat(t) not in text]
    assert missing == []


@pytest.mark.parametrize("name", ["notice", "supervision_card"])
def test_R14_qr_decodes_to_exactly_the_payload(rendered: dict[str, Rendered], name: str, device: DeviceIdentity,
                                               tmp_path: Path) -> None:
    run("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(rendered[name].path), str(tmp_path / "hi"))
    (image,) = tmp_path.glob("hi-*.png")
    decoded = run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)).rstrip("\n")
    assert decoded == rendered[name].code
    assert qr.verify_code(decoded, device.public.public_key).code.inspection_id == specimen.INSPECTION_ID


def _openssl_verify(pub: Path, url: str, scratch: Path) -> bool:
    """Verify a code as docs/FORMATS.md tells a third party to: no FieldInspect code involved."""
    query = url.split("?", 1)[1]
    signed, signature = query.rsplit("&s=", 1)
    (scratch / "msg").write_bytes(signed.encode("ascii"))
    (scratch / "sig").write_bytes(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pub), "-rawin",
                           "-in", str(scratch / "msg"), "-sigfile", str(scratch / "sig")],
                          capture_output=True, text=True)
    return done.returncode == 0 and "Verified Successfully" in done.stdout


def test_R14_openssl_verifies_the_code_and_rejects_a_changed_one(rendered: dict[str, Rendered],
                                                                  device: DeviceIdentity, tmp_path: Path) -> None:
    pub = device.folder / "device.pub.pem"
    url = rendered["notice"].code
    assert _openssl_verify(pub, url, tmp_path)
    assert not _openssl_verify(pub, url.replace("o=33010621002", "o=33010621003"), tmp_path)


@pytest.fixture(scope="module")
def long_record(tmp_path_factory: pytest.TempPathFactory):
    record = specimen.record(200)
    return record, onsite_record.render_onsite_record(record, tmp_path_factory.mktemp("long") / "long.pdf")


def test_200_item_record_has_page_x_of_y_on_every_page(long_record) -> None:
    record, pdf = long_record
    pages = page_count(pdf)
    assert pages >= 10
    codes_seen: set[str] = set()
    for page in range(1, pages + 1):
        text = flat(run("pdftotext", "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"))
        assert f"第{page}页共{pages}页" in text, f"page {page}"
        codes = {item.code for item in record.findings if item.code in text}
        if codes and page > 1:
            assert "序号检查事项结果检查情况及处理依据证据" in text, f"header row not repeated on page {page}"
        codes_seen |= codes
    assert codes_seen == {item.code for item in record.findings}


def test_long_finding_wraps_inside_its_column(long_record, tmp_path: Path) -> None:
    record, pdf = long_record
    bbox = tmp_path / "bbox.html"
    run("pdftotext", "-bbox", "-f", "1", "-l", "2", str(pdf), str(bbox))
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
                       bbox.read_text("utf-8"))
    finding = flat(specimen.LONG_FINDING)
    lines = [(float(x0), float(y0), float(x1), w) for x0, y0, x1, w in words if len(w) >= 6 and w in finding]
    assert len(lines) >= 5, "the long finding should take several lines"
    # The finding column: after 序号, 检查事项 and 结果 (onsite_record.FINDING_WIDTHS), 66 mm wide.
    left = MARGIN_X + sum(onsite_record.FINDING_WIDTHS[:3]) * mm
    right = left + onsite_record.FINDING_WIDTHS[3] * mm
    table_right = MARGIN_X + sum(onsite_record.FINDING_WIDTHS) * mm
    for x0, _, x1, word in lines:
        assert left < x0 and x1 <= right, f"{word} at {x0:.1f}–{x1:.1f}, column {left:.1f}–{right:.1f}"
        assert x1 < table_right
    assert "".join(w for *_, w in sorted(lines, key=lambda line: line[1])) in finding


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_internal_rule_code_and_one_date_style(rendered: dict[str, Rendered], name: str) -> None:
    text = flat(run("pdftotext", "-raw", str(rendered[name].path), "-"))
    assert not re.search(r"R\d+", text), re.findall(r".{6}R\d+.{6}", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|年0\d月|月0\d日", text)
    pages = page_count(rendered[name].path)
    assert f"第{pages}页共{pages}页" in text


def test_a_character_the_song_face_lacks_prints_in_the_fallback_face(tmp_path: Path) -> None:
    from dataclasses import replace

    from app.documents import fonts

    assert not fonts.covered("堃")  # outside GB 2312: not in the cut Song face
    doc = replace(specimen.rectification_order(), subject=replace(specimen.SUBJECT, name="清河市西城区李堃餐饮店"))
    pdf = rectification.render_rectification_order(doc, tmp_path / "order.pdf")
    assert "李堃餐饮店" in flat(run("pdftotext", "-raw", str(pdf), "-"))
    names = {row.split()[0].split("+")[-1] for row in run("pdffonts", str(pdf)).splitlines()[2:]}
    assert names == {"UMingCN", "WenQuanYiMicroHei"}


@pytest.mark.parametrize("extra", range(0, 9))
def test_the_seal_area_never_stands_alone_on_a_page(extra: int, tmp_path: Path) -> None:
    """However the items fall, the page with the seal area also holds the last paragraph of the body."""
    from dataclasses import replace

    doc = specimen.written_result()
    doc = replace(doc, items=doc.items + doc.items[:1] * extra)
    pdf = written_result.render_written_result(doc, tmp_path / "result.pdf")
    pages = [flat(run("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(pdf), "-"))
             for n in range(1, page_count(pdf) + 1)]
    sealed = [p for p in pages if "（印章）" in p]
    assert len(sealed) == 1 and "如对检查结果有异议" in sealed[0]
