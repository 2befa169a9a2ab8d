"""Rendering without outside tools: atomic writes, progress, determinism, very long findings,
unreadable signatures."""

from __future__ import annotations

import dataclasses
import re
import struct
import zlib
from pathlib import Path

import pytest

from app.documents import layout, onsite_record, rectification, specimen, written_result
from app.documents.errors import DocumentWriteFailed, SignatureImageInvalid
from app.documents.model import ItemFinding, ItemResult, Signature, SignerRole


def test_progress_reports_every_page_and_file_equals_preview(tmp_path: Path) -> None:
    record = specimen.record(40)
    pages: list[int] = []
    dest = onsite_record.render_onsite_record(record, tmp_path / "r.pdf", progress=pages.append)
    assert pages == list(range(1, len(pages) + 1)) and len(pages) >= 3
    # Same data, same bytes: a record regenerated from its data can be compared with a sealed copy.
    assert dest.read_bytes() == onsite_record.onsite_record_bytes(record)
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no temporary file left


def test_no_base14_font_is_referenced(tmp_path: Path) -> None:
    data = onsite_record.onsite_record_bytes(specimen.record(5))
    assert b"/Helvetica" not in data and b"/Times" not in data and b"/Courier" not in data
    assert b"/FontFile2" in data  # the TrueType program is embedded


def test_finding_longer_than_a_page_continues_in_following_rows() -> None:
    text = specimen.LONG_FINDING * 12  # about 2,800 characters: taller than one A4 page in its column
    item = ItemFinding("DQ-001", "油烟净化", ItemResult.NON_COMPLIANT, text, "《大气污染防治法》第八十一条")
    record = dataclasses.replace(specimen.record(2), findings=(item,))
    data = onsite_record.onsite_record_bytes(record)
    pages = int(re.search(rb"/Count (\d+)", data).group(1))
    assert pages >= 3


def test_fold_tall_row_cuts_into_equal_parts() -> None:
    s = layout.styles()
    long_cell = [layout.para(specimen.LONG_FINDING * 4, s.cell)]
    rows = layout.fold_tall_row([[layout.para("1", s.cell)], long_cell], (10, 60),
                                lambda k: [[layout.para("1", s.cell)], []], limit=200)
    assert len(rows) >= 3
    heights = [sum(f.wrap(60 * layout.mm - layout.CELL_PADDING_X, 10_000)[1] for f in row[1]) for row in rows]
    assert max(heights) <= 200 and min(heights) > 0.6 * max(heights)  # no lone last line
    short = layout.fold_tall_row([[layout.para("1", s.cell)], [layout.para("短", s.cell)]], (10, 60),
                                 lambda k: [[], []], limit=200)
    assert len(short) == 1


def _corrupt_png() -> bytes:
    # A valid PNG signature and header chunk, then garbage where the image data belongs.
    ihdr = struct.pack(">IIBBBBB", 64, 32, 8, 6, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x10IDATgarbage-garbage")


def test_unreadable_signature_is_refused_and_the_old_file_is_kept(tmp_path: Path) -> None:
    dest = tmp_path / "record.pdf"
    dest.write_bytes(b"previous version")
    record = specimen.record(3)
    bad = Signature(SignerRole.PARTY, "张国庆", _corrupt_png(), specimen.START)
    broken = dataclasses.replace(record, signatures=record.signatures[:2] + (bad,))
    with pytest.raises(SignatureImageInvalid) as caught:
        onsite_record.render_onsite_record(broken, dest)
    assert "张国庆" in caught.value.zh
    assert dest.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["record.pdf"]


def test_missing_folder_gives_a_user_facing_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentWriteFailed) as caught:
        rectification.render_rectification_order(specimen.rectification_order(), tmp_path / "nope" / "o.pdf")
    assert "nope" in caught.value.zh and caught.value.en.startswith("The document could not be saved")


def test_written_result_preview_is_a_pdf() -> None:
    assert written_result.written_result_bytes(specimen.written_result()).startswith(b"%PDF-")


@pytest.mark.parametrize("length", [60, 250, 600])
def test_R14_qr_symbol_stays_at_least_30_mm_whatever_the_payload(length: int) -> None:
    drawing = layout.qr_symbol("https://zfjd.qinghe.gov.cn/v?" + "x" * (length - 29))
    widget = drawing.contents[0]
    modules = widget.qr.getModuleCount()
    symbol = drawing.width * modules / (modules + 2 * layout.QUIET_ZONE_MODULES)
    assert symbol >= 30 * layout.mm
    assert widget.barLevel == "M"
