"""The demolition documents (R24, R26) checked with the tools a reader would use:
pdffonts (every font embedded), pdftoppm (pages render), pdftotext (the Chinese is
text, long names wrap inside their cell), zbarimg (the labels' QR codes decode)."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from tests.keys_kit import as_
from app import demo
from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.documents import COPIES, DemolitionDocument, DemolitionDocuments, item_code_id
from app.documents import doc_code
from app.demolition.service import DemolitionService
from app.crypto.filecrypt import read_encrypted
from app.workspace import Workspace
from app.documents.specimen import signature_png
from demolition_flow import LONG_NAME, MovingClock, complete_operation
from keys_kit import create_workspace

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdffonts", "pdftoppm", "pdftotext", "zbarimg")),
                                reason="poppler-utils and zbar-tools are needed")
CASE = specimen.READY_CASE


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[DemolitionDocument, Path]:
    folder = tmp_path_factory.mktemp("demolition")
    clock = MovingClock(datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ))
    ws = create_workspace(folder, clock=clock)
    demo.seed(ws)
    s = DemolitionService(ws)
    handover = complete_operation(s, clock, items=22)
    docs = DemolitionDocuments(s, session=as_(s, "O01"))
    out = {}
    plain = tmp_path_factory.mktemp("plain")  # the tools read the decrypted PDF, as an export is
    for k in DemolitionDocument:
        stored = docs.render(CASE, k, handover_id=handover.id if k is DemolitionDocument.HANDOVER else None)
        data = stored.read_bytes()
        assert data.startswith(b"FIE1") and b"%PDF" not in data  # kept encrypted in the data folder
        out[k] = plain / stored.name
        out[k].write_bytes(read_encrypted(stored, ws.master))
    (plain / "device.pub.pem").write_bytes((folder / "device" / "device.pub.pem").read_bytes())  # for openssl
    yield out
    ws.close()


@pytest.mark.parametrize("kind", list(DemolitionDocument))
def test_R24_R26_every_demolition_document_embeds_its_fonts_and_renders(rendered: dict, kind: DemolitionDocument,
                                                                         tmp_path: Path) -> None:
    pdf = rendered[kind]
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all("yes yes" in line for line in fonts), fonts
    run("pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "p"))
    assert list(tmp_path.glob("p*.png"))


def test_R26_the_inventory_list_is_two_copies_with_the_edit_after_counting(rendered: dict) -> None:
    text = "".join(run("pdftotext", "-raw", str(rendered[DemolitionDocument.INVENTORY]), "-").split())
    for copy in COPIES:
        assert "".join(copy.split()) in text
    assert text.count("财物登记清单") >= 2 and text.count("QC7-B022") >= 2
    pages = int(run("pdfinfo", str(rendered[DemolitionDocument.INVENTORY])).split("Pages:")[1].split()[0])
    assert pages % 2 == 0 and f"第1页共{pages // 2}页" in text and f"第{pages // 2 + 1}页" not in text
    assert "清点后修改记录" in text and "复点发现数量记错" in text
    assert "周明" in text and "330106198001011234" in text and "无利害关系" in text
    assert "西综执领通〔2026〕7号" in text
    assert "".join(LONG_NAME.split()) in text  # wrapped inside its cell, not cut


def test_R24_R25_the_operation_record_and_the_handover_receipt(rendered: dict) -> None:
    record = "".join(run("pdftotext", "-raw", str(rendered[DemolitionDocument.RECORD]), "-").split())
    assert "六十日复议期至2026年7月13日" in record and "六个月诉讼期至2026年11月12日" in record
    assert "当事人拒绝签名：当事人对执行过程有异议" in record
    assert "暂停" in record and "当事人亲属情绪激动" in record and "应急预案" in record and "关联录像1段" in record
    receipt = "".join(run("pdftotext", "-raw", str(rendered[DemolitionDocument.HANDOVER]), "-").split())
    assert "财物移交清单" in receipt and "部分移交" in receipt and "330106196805120017" in receipt


def test_the_label_sheet_qr_codes_decode_to_case_and_label(rendered: dict, tmp_path: Path) -> None:
    run("pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(rendered[DemolitionDocument.LABELS]),
        str(tmp_path / "l"))
    page = next(tmp_path.glob("l*.png"))
    decoded = run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(page)).split()
    codes = [doc_code.parse_code(text) for text in decoded]
    assert len(codes) >= 12 and item_code_id(CASE, 1) in {c.id for c in codes}
    assert {c.kind for c in codes} == {"item"}


def _pages(pdf: Path) -> list[str]:
    count = int(run("pdfinfo", str(pdf)).split("Pages:")[1].split()[0])
    return ["".join(run("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(pdf), "-").split())
            for n in range(1, count + 1)]


@pytest.mark.parametrize("kind", [DemolitionDocument.INVENTORY, DemolitionDocument.RECORD,
                                  DemolitionDocument.HANDOVER])
def test_each_issued_demolition_document_has_number_agency_seal_pages_and_no_rule_code(
        rendered: dict, kind: DemolitionDocument) -> None:
    pages = _pages(rendered[kind])
    whole = "".join(pages)
    assert re.search(r"清西综执" + {"inventory": "登记", "record": "拆笔", "handover": "移交"}[kind.value]
                     + r"〔2026〕1号", whole)
    assert "清河市西城区综合行政执法局" in whole and "（印章）" in whole
    per_copy = len(pages) // 2 if kind is DemolitionDocument.INVENTORY else len(pages)
    for n, page in enumerate(pages):
        assert f"第{n % per_copy + 1}页共{per_copy}页" in page
    if kind is DemolitionDocument.RECORD:  # the party refused: noted on every page
        assert all("当事人签名" in p and "拒绝签名" in p for p in pages)
    assert not re.search(r"R\d+", whole), re.findall(r".{6}R\d+.{6}", whole)
    assert not re.search(r"\d{4}-\d{2}-\d{2}|年0\d月|月0\d日", whole)


def test_an_item_edited_twice_after_counting_shows_every_version(tmp_path: Path) -> None:
    clock = MovingClock(datetime(2026, 11, 23, 8, 30, tzinfo=CHINA_TZ))
    ws = create_workspace(tmp_path / "data", clock=clock)
    try:
        demo.seed(ws)
        s = DemolitionService(ws)
        r = specimen.READY_CASE
        clock.at(2026, 11, 23, 9, 0)
        s.start(r, actor=as_(s, "O01"))
        s.set_party(r, present=True, name="陈建国", actor=as_(s, "O01"))
        s.add_witness(r, kind="witness", name="周明", id_no="330106198001011234", no_interest="与本案无利害关系。",
                      signature_png=signature_png("周明"), actor=as_(s, "O01"))
        photo = s.inventory.take_photo(r, specimen.sample_photo(1), actor=as_(s, "O01"))
        s.inventory.add_item(r, name="红木茶几", category="家具", quantity=7, unit="件", condition="完好",
                             label_no="QC7-B001", photos=[photo], actor=as_(s, "O01"), storage_place="A 区 3 号架")
        clock.at(2026, 11, 23, 9, 20)
        s.inventory.edit_item(r, 1, reason="复点少计一件", quantity="8", actor=as_(s, "O02"))
        clock.at(2026, 11, 23, 9, 35)
        s.inventory.edit_item(r, 1, reason="当事人指认其中一件为邻居所有", quantity="6", condition="一件桌面有划痕",
                              actor=as_(s, "O01"))
        pdf = DemolitionDocuments(s, session=as_(s, "O01")).render(r, DemolitionDocument.INVENTORY, out_dir=tmp_path)
        text = "".join(run("pdftotext", "-raw", str(pdf), "-").split())
        first_copy = text[:len(text) // 2]
        for earlier in ("数量：7件", "数量：8件"):  # the counted value and the first edit, each in the edits table
            assert earlier in first_copy, earlier
        assert "复点少计一件" in first_copy and "当事人指认其中一件为邻居所有" in first_copy
        assert "清点记录（原始，第1版）" in first_copy and "第2版已被后续修改替代" in first_copy
        assert "第3版现行" in first_copy and "1-2" in first_copy and "1-3" in first_copy
        assert "2026年11月23日9时20分" in first_copy and "李娜" in first_copy  # when and by whom
    finally:
        ws.close()


def test_a_label_code_verifies_with_openssl_and_a_changed_one_does_not(rendered: dict, tmp_path: Path) -> None:
    run("pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(rendered[DemolitionDocument.LABELS]),
        str(tmp_path / "l"))
    text = run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(next(tmp_path.glob("l*.png")))).split()[0]
    pem = tmp_path / "device.pub.pem"
    pem.write_bytes((rendered[DemolitionDocument.LABELS].parent / "device.pub.pem").read_bytes())

    def openssl_verifies(code: str) -> bool:
        signed, _, signature = code.rpartition("|")
        (tmp_path / "msg").write_bytes(signed.encode("ascii"))
        (tmp_path / "sig").write_bytes(base64.urlsafe_b64decode(signature + "=="))
        done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pem), "-rawin",
                               "-in", str(tmp_path / "msg"), "-sigfile", str(tmp_path / "sig")],
                              capture_output=True, text=True)
        return done.returncode == 0 and "Signature Verified Successfully" in done.stdout

    assert openssl_verifies(text)
    fields = text.split("|")
    fields[2] = fields[2].replace("/", "/9")  # another item of the same case
    assert not openssl_verifies("|".join(fields))
    fields = text.split("|")
    fields[3] = ("0" if fields[3][0] != "0" else "1") + fields[3][1:]  # another item record
    assert not openssl_verifies("|".join(fields))


def test_a_label_states_agency_case_item_and_date_in_text(rendered: dict) -> None:
    text = "".join(run("pdftotext", "-raw", "-f", "1", "-l", "1", str(rendered[DemolitionDocument.LABELS]), "-").split())
    assert text.count("清河市西城区综合行政执法局") >= 12
    assert f"案件{CASE}第1项" in text and "餐椅1" in text and "清点日期2026年11月23日" in text
