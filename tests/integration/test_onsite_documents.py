"""The documents of a real inspection, filled from its on-site record: R9, R10, R13, R14 on paper.

Checked with the tools a reader would use: pdffonts (every font embedded),
pdftoppm (pages render), pdftotext (the Chinese is text), zbarimg (the QR code
decodes to the signed inspection code, which verifies with the device key).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.keys_kit import as_
from app.crypto.filecrypt import read_encrypted

from app.device import DeviceIdentity
from app.documents import qr
from app.domain import CheckResultValue, SignerRole
from app.onsite.documents import DocumentKind, InspectionDocuments
from app.onsite.service import OnsiteService
from app.workspace import Workspace
from tests.unit.test_onsite import png

TASK = "JC-2026-1101"
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdffonts", "pdftoppm", "pdftotext", "zbarimg")),
                                reason="poppler-utils and zbar-tools are needed")


def run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def closed_inspection(demo_workspace: Workspace) -> Workspace:
    s = OnsiteService(demo_workspace)
    s.begin(TASK, actor=as_(s, "O01"))
    for o in ("O01", "O02"):
        s.show_certificate(TASK, o, actor=as_(s, "O01"))
    s.ask_recusal(TASK, requested=False, actor=as_(s, "O01"))
    s.set_party(TASK, name="陈晓", role="负责人", id_no="330106198805051234", actor=as_(s, "O01"))
    for code in ("SR-001", "HW-001", "HW-002", "RQ-002"):
        s.record_result(TASK, code, result=CheckResultValue.COMPLIANT, actor=as_(s, "O01"))
    s.record_result(TASK, "DQ-001", result=CheckResultValue.NON_COMPLIANT,
                    finding="后厨油烟净化设施未开启，排烟口可见明显油烟。" * 4,
                    rectification_advice="立即开启油烟净化设施，每月清洗一次并留存清洗记录", actor=as_(s, "O01"))
    s.propose_penalty(TASK, "DQ-001", benchmark_id="DQ-001-B1", proposed="罚款5000元", actor=as_(s, "O01"))
    s.issue_order(TASK, deadline=date(2026, 12, 4), actor=as_(s, "O01"))
    s.hand_over_card(TASK, recipient="陈晓", actor=as_(s, "O01"))
    s.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O01", image_png=png(1), actor=as_(s, "O01"))
    s.sign(TASK, role=SignerRole.OFFICER, signer_name="", signer_ref="O02", image_png=png(2), actor=as_(s, "O02"))
    s.sign(TASK, role=SignerRole.PARTY, signer_name="陈晓", image_png=png(3), actor=as_(s, "O01"))
    s.close(TASK, actor=as_(s, "O01"))
    return demo_workspace


def plain(ws: Workspace, stored: Path, scratch: Path) -> Path:
    """The decrypted PDF (what an export hands out), for the PDF tools."""
    out = scratch / ("plain-" + stored.name)
    out.write_bytes(read_encrypted(stored, ws.master))
    return out


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_document_of_a_closed_inspection_renders_with_embedded_fonts(closed_inspection: Workspace,
                                                                          kind: DocumentKind, tmp_path: Path) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    assert kind in docs.available(TASK)
    stored = docs.render(TASK, kind)
    assert stored == docs.path_for(TASK, kind) and stored.read_bytes()[:4] == b"FIE1"
    pdf = plain(closed_inspection, stored, tmp_path)
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(" yes " in line.split("Identity")[-1] or "yes yes" in line for line in fonts), fonts
    run("pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "p"))
    assert list(tmp_path.glob("p*.png"))
    text = "".join(run("pdftotext", "-raw", str(pdf), "-").split())
    assert kind.title.replace("限期", "") in text.replace("（限期）", "").replace("限期", "")
    if kind in (DocumentKind.RECORD, DocumentKind.RESULT, DocumentKind.ORDER):
        assert "油烟净化设施" in text  # the finding, from the record, as text (not boxes)


def test_R14_the_notice_code_decodes_to_a_code_signed_by_this_device(closed_inspection: Workspace,
                                                                      tmp_path: Path) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    pdf = plain(closed_inspection, docs.render(TASK, DocumentKind.NOTICE), tmp_path)
    run("pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "n"))
    page = next(tmp_path.glob("n*.png"))
    decoded = run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(page)).strip()
    signed = qr.verify_code(decoded, closed_inspection.device.public.public_key)
    assert signed.code.inspection_id == TASK
    assert decoded.split("?", 1)[1].startswith("v=2&") and len(signed.code.record_hash) == 32  # the issued notice
    assert signed.code.officer_certs == ("33010621001", "33010621002")


def test_R9_R10_the_record_carries_the_signatures_the_order_and_the_card(closed_inspection: Workspace) -> None:
    docs = InspectionDocuments(closed_inspection, session=as_(closed_inspection, "O01"))
    record = docs.record(TASK)
    assert [s.role.value for s in record.signatures] == ["officer", "officer", "party"]
    assert record.supervision_card is not None and record.supervision_card.received_by == "陈晓"
    finding = next(f for f in record.findings if f.code == "DQ-001")
    assert finding.penalty is not None and finding.penalty.clause.tier == "一般"
    order = docs.rectification_order(TASK)
    assert order.follow_up_on == date(2026, 12, 7) and order.deadline == date(2026, 12, 4)
    result = docs.written_result(TASK)
    assert next(i for i in result.items if i.code == "DQ-001").deadline == date(2026, 12, 4)
