"""The English catalogue covers every interface string and its .qm is up to date."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from app import paths

ROOT = Path(__file__).resolve().parents[2]
TS = paths.TRANSLATIONS / "fieldinspect_en.ts"
QM = paths.TRANSLATIONS / "fieldinspect_en.qm"
BIN = Path(sys.executable).parent


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.find("name").text
        for msg in ctx.iter("message"):
            out[(name, msg.find("source").text)] = msg.find("translation")
    return out


def test_every_string_in_the_sources_is_translated(tmp_path: Path) -> None:
    scratch = tmp_path / "fresh.ts"
    shutil.copy(TS, scratch)
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-no-obsolete", "-ts", str(scratch)],
                   check=True, capture_output=True)
    fresh, committed = _messages(scratch), _messages(TS)
    assert set(fresh) == set(committed), "run `make translations` and translate the new strings"
    unfinished = [key for key, tr in committed.items()
                  if tr.get("type") in ("unfinished", "vanished", "obsolete")
                  or not ("".join(tr.itertext()).strip())]
    assert unfinished == []


def test_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    out = tmp_path / "en.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run `make translations`"
