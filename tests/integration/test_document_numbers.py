"""文号: one counter per agency, document type and year; a number is given once, when a
document is issued, and never again; a draft carries none and is marked 草稿.

Checked on the printed PDFs with pdftotext: the number, the agency, the seal area, the
page line, the party's signature on every page of a record, and no internal rule code.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.keys_kit import as_
from app.clock import CHINA_TZ, fixed_clock
from app.documents.numbering import DocumentNumbers
from app.onsite.documents import DocumentKind, InspectionDocuments
from app.onsite.service import OnsiteService
from app.workspace import Workspace
from local_db.database import IntegrityError, OperationalError
from tests.integration.test_onsite_documents import TASK, closed_inspection  # noqa: F401 - the fixture

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm")),
                                reason="poppler-utils is needed")
AGENCY = "清河市西城区综合行政执法局"


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def plain(ws: Workspace, stored: Path) -> Path:
    """The decrypted PDF (documents are kept encrypted in the data folder), for the PDF tools."""
    from app.crypto.filecrypt import read_encrypted

    out = stored.with_name("plain-" + stored.name)
    out.write_bytes(read_encrypted(stored, ws.master))
    return out


def pages_text(pdf: Path) -> list[str]:
    count = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))
    return ["".join(run("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(pdf), "-").split())
            for n in range(1, count + 1)]


def test_an_issued_document_keeps_its_number_and_the_next_one_gets_the_next(closed_inspection: Workspace) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    first = plain(closed_inspection, docs.render(TASK, DocumentKind.NOTICE))
    assert "清西综执检〔2026〕1号" in "".join(pages_text(first))
    docs.render(TASK, DocumentKind.NOTICE)  # a re-print: the same number
    assert docs.build(TASK, DocumentKind.NOTICE).document_no == "清西综执检〔2026〕1号"
    other = "JC-2026-1102"
    assert docs.build(other, DocumentKind.NOTICE).document_no == "清西综执检〔2026〕2号"
    # another type has its own counter
    assert docs.build(TASK, DocumentKind.RECORD).document_no == "清西综执检笔〔2026〕1号"
    numbers = DocumentNumbers(closed_inspection).all()
    assert [n.number for n in numbers] == ["清西综执检〔2026〕1号", "清西综执检〔2026〕2号", "清西综执检笔〔2026〕1号"]
    assert {n.issued_by for n in numbers} == {"O01"}  # the signed-in officer who issued them
    audited = closed_inspection.db.execute(
        "SELECT target, detail FROM audit_log WHERE action = 'document.number_issued' ORDER BY seq").fetchall()
    assert [t for t, _ in audited] == [n.document for n in numbers]
    assert "清西综执检〔2026〕1号" in audited[0][1]


def test_the_counter_starts_again_each_year_and_numbers_are_never_taken_back(closed_inspection: Workspace) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    assert docs.build(TASK, DocumentKind.CARD).card_no == "清西综执监卡〔2026〕1号"
    closed_inspection.clock = fixed_clock(datetime(2027, 1, 4, 9, 0, tzinfo=CHINA_TZ))
    other = "JC-2026-1102"
    assert docs.build(other, DocumentKind.CARD).card_no == "清西综执监卡〔2027〕1号"
    assert docs.build(TASK, DocumentKind.CARD).card_no == "清西综执监卡〔2026〕1号"  # kept from its year
    for sql in ("UPDATE document_numbers SET seq = 9", "DELETE FROM document_numbers"):
        with pytest.raises((IntegrityError, OperationalError)):
            closed_inspection.db.execute(sql)


def test_a_draft_record_has_no_number_and_says_so(demo_workspace: Workspace, tmp_path: Path) -> None:
    s = OnsiteService(demo_workspace)
    s.begin(TASK, actor=as_(s, "O01"))
    docs = InspectionDocuments(demo_workspace, session=as_(demo_workspace, "O01"))
    assert docs.build(TASK, DocumentKind.RECORD).document_no == ""  # incomplete: a draft
    pdf = plain(demo_workspace, docs.render(TASK, DocumentKind.RECORD))
    text = "".join(pages_text(pdf))
    assert "草稿" in text and "检笔〔" not in text
    assert DocumentNumbers(demo_workspace).all() == []
    # a draft asked for explicitly gets no number either
    assert docs.build(TASK, DocumentKind.NOTICE, draft=True).document_no == ""
    assert DocumentNumbers(demo_workspace).all() == []


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_document_prints_number_agency_seal_and_page_line_and_no_rule_code(
        closed_inspection: Workspace, kind: DocumentKind, tmp_path: Path) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    doc = docs.build(TASK, kind)
    number = doc.card_no if kind is DocumentKind.CARD else doc.document_no
    assert re.fullmatch(r"清西综执\S+〔2026〕\d+号", number)
    pdf = plain(closed_inspection, docs.render(TASK, kind))
    pages = pages_text(pdf)
    whole = "".join(pages)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "p")], check=True, capture_output=True)
    assert len(list(tmp_path.glob("p*.png"))) == len(pages)
    assert number in whole and AGENCY in whole
    for n, page in enumerate(pages, start=1):
        assert f"第{n}页共{len(pages)}页" in page
    if kind is not DocumentKind.CARD:
        assert "（印章）" in whole
    if kind is DocumentKind.RECORD:
        assert all("当事人签名" in page for page in pages), "the party signs every page of a record"
    assert not re.search(r"R\d+", whole), re.findall(r".{8}R\d+.{8}", whole)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|年0\d月|月0\d日", whole), "one date style: 2026年5月12日"
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts


def test_reference_data_without_a_numbering_scheme_numbers_with_the_agency_name(closed_inspection: Workspace) -> None:
    agency = closed_inspection.agencies.get("QH-XC-ZHZF")
    closed_inspection.agencies.save(dataclasses.replace(agency, doc_code="", doc_type_codes=()))
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    assert docs.build(TASK, DocumentKind.RESULT).document_no == f"{AGENCY}检告〔2026〕1号"


def test_two_types_that_would_print_the_same_number_are_refused_in_words(closed_inspection: Workspace) -> None:
    from app.documents.numbering import DocumentNumberTaken

    agency = closed_inspection.agencies.get("QH-XC-ZHZF")
    closed_inspection.agencies.save(dataclasses.replace(agency, doc_type_codes=(("card", "检"), ("notice", "检"))))
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    assert docs.build(TASK, DocumentKind.NOTICE).document_no == "清西综执检〔2026〕1号"
    with pytest.raises(DocumentNumberTaken) as info:
        docs.build(TASK, DocumentKind.CARD)
    assert "清西综执检〔2026〕1号" in info.value.zh
    assert DocumentNumbers(closed_inspection).get(InspectionDocuments.document_key(TASK, DocumentKind.CARD)) is None
