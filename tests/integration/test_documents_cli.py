"""``fieldinspect documents`` writes every document of a task or case headless, signed in
with the PIN; ``fieldinspect verify-qr`` checks a printed code, as text or as a picture."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "zbarimg")),
                                 reason="poppler-utils and zbar-tools are needed")]


def cli(*args: str, pin: str | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ)
    if pin is not None:
        env["FIELDINSPECT_PIN"] = pin
    return subprocess.run([sys.executable, "-m", "cli", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    done = cli("demo", "--no-media", "--data", str(folder))
    assert done.returncode == 0, done.stderr
    return folder


def test_documents_of_an_inspection_and_of_a_case_are_written_and_numbered(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "task"
    done = cli("documents", "--inspection", "JC-2026-1101", "--out", str(out), "--data", str(data))
    assert done.returncode == 0, done.stderr
    notice = out / "JC-2026-1101_行政检查通知书.pdf"
    assert notice.is_file()
    text = "".join(subprocess.run(["pdftotext", "-raw", str(notice), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "清西综执检〔" in text and "（印章）" in text
    again = cli("documents", "--inspection", "JC-2026-1101", "--out", str(tmp_path / "again"), "--data", str(data))
    text2 = "".join(subprocess.run(["pdftotext", "-raw", str(tmp_path / "again" / notice.name), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    number = text[text.index("清西综执检〔"):].split("号")[0]
    assert again.returncode == 0 and number in text2  # a re-print keeps its number

    case_out = tmp_path / "case"
    done = cli("documents", "--case", "QC-2026-0007", "--out", str(case_out), "--data", str(data))
    assert done.returncode == 0, done.stderr
    assert any(p.name.endswith("强制拆除现场笔录.pdf") for p in case_out.iterdir())


def test_documents_needs_the_pin(data: Path, tmp_path: Path) -> None:
    done = cli("documents", "--inspection", "JC-2026-1101", "--out", str(tmp_path), "--data", str(data),
               pin="999999")
    assert done.returncode == 2 and not list(tmp_path.glob("*.pdf"))


def test_verify_qr_accepts_the_printed_code_and_refuses_a_changed_one(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    assert cli("documents", "--inspection", "JC-2026-1101", "--out", str(out), "--data", str(data)).returncode == 0
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", str(out / "JC-2026-1101_行政检查通知书.pdf"),
                    str(tmp_path / "n")], check=True, capture_output=True)
    image = next(tmp_path.glob("n*.png"))
    ok = cli("verify-qr", "--image", str(image), "--data", str(data))
    assert ok.returncode == 0 and "有效 / valid" in ok.stdout and "JC-2026-1101" in ok.stdout, ok.stderr
    text = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)], capture_output=True, text=True).stdout.strip()
    changed = text.replace("JC-2026-1101", "JC-2026-1102")
    bad = cli("verify-qr", changed, "--data", str(data))
    assert bad.returncode == 1 and "无效 / invalid" in bad.stderr


def test_verify_qr_checks_a_document_code_from_a_picture(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "case"
    assert cli("documents", "--case", "QC-2026-0007", "--out", str(out), "--data", str(data)).returncode == 0
    record = next(p for p in out.iterdir() if p.name.endswith("强制拆除现场笔录.pdf"))
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(record), str(tmp_path / "r")], check=True,
                   capture_output=True)
    image = sorted(tmp_path.glob("r*.png"))[-1]  # the code sits beside the seal, on the last page
    ok = cli("verify-qr", "--image", str(image), "--data", str(data))
    assert ok.returncode == 0 and "demolition_record" in ok.stdout and "清西综执拆笔" in ok.stdout, ok.stdout + ok.stderr
