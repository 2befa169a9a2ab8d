"""The demolition documents (R24, R26) checked with the tools a reader would use:
pdffonts (every font embedded), pdftoppm (pages render), pdftotext (the Chinese is
text, long names wrap inside their cell), zbarimg (the labels' QR codes decode)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from app import demo
from app.clock import CHINA_TZ
from app.demolition import specimen
from app.demolition.documents import COPIES, DemolitionDocument, DemolitionDocuments, label_payload
from app.demolition.service import DemolitionService
from app.crypto.filecrypt import read_encrypted
from app.workspace import Workspace
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
    docs = DemolitionDocuments(s)
    out = {}
    plain = tmp_path_factory.mktemp("plain")  # the tools read the decrypted PDF, as an export is
    for k in DemolitionDocument:
        stored = docs.render(CASE, k, handover_id=handover.id if k is DemolitionDocument.HANDOVER else None)
        data = stored.read_bytes()
        assert data.startswith(b"FIE1") and b"%PDF" not in data  # kept encrypted in the data folder
        out[k] = plain / stored.name
        out[k].write_bytes(read_encrypted(stored, ws.master))
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
    assert "60日复议期至2026-07-13" in record and "6个月诉讼期至2026-11-12" in record
    assert "当事人拒绝签名：当事人对执行过程有异议" in record
    assert "暂停" in record and "当事人亲属情绪激动" in record and "应急预案" in record and "关联录像1段" in record
    receipt = "".join(run("pdftotext", "-raw", str(rendered[DemolitionDocument.HANDOVER]), "-").split())
    assert "财物移交清单" in receipt and "部分移交" in receipt and "330106196805120017" in receipt


def test_the_label_sheet_qr_codes_decode_to_case_and_label(rendered: dict, tmp_path: Path) -> None:
    run("pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(rendered[DemolitionDocument.LABELS]),
        str(tmp_path / "l"))
    page = next(tmp_path.glob("l*.png"))
    decoded = run("zbarimg", "--quiet", "--raw", str(page)).split()
    assert label_payload(CASE, "QC7-B001") in decoded and len(decoded) >= 12
