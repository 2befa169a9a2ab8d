"""HQ's pairing offer: written by ``fieldinspect-hq pairing`` as a file and a QR code, read back
with its signature checked; every damage is refused in words."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from sync import pairing_offer
from sync.hq import cli as hq_cli
from sync.hq import keys
from sync.pairing import PairingError


@pytest.fixture
def hq_dir(tmp_path: Path) -> Path:
    keys.keygen(tmp_path / "hq")
    return tmp_path / "hq"


def test_the_file_and_the_qr_code_carry_the_same_signed_offer(hq_dir: Path, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    assert hq_cli.main(["pairing", "--dir", str(hq_dir), "--out", str(tmp_path / "out")]) == 0
    assert keys.fingerprint(hq_dir) in capsys.readouterr().out
    text = (tmp_path / "out" / pairing_offer.JSON_NAME).read_text(encoding="ascii").strip()
    assert pairing_offer.read_qr((tmp_path / "out" / pairing_offer.PNG_NAME).read_bytes()) == text
    offer = pairing_offer.decode(text)
    assert offer.recipient == keys.age_recipient(hq_dir)
    assert offer.signing_pub_pem == (hq_dir / keys.SIGNING_PUB).read_bytes()
    assert offer.fingerprint == keys.fingerprint(hq_dir)
    assert "PRIVATE" not in text and "AGE-SECRET" not in text  # nothing secret leaves HQ this way


@pytest.mark.parametrize("change, words", [
    (lambda b: b.update(recipient=b["recipient"][:-1] + ("q" if b["recipient"][-1] != "q" else "p")), "签名不符"),
    (lambda b: b.update(sig=base64.b64encode(b"\0" * 64).decode()), "签名不符"),
    (lambda b: b.update(key="not base64!"), "已损坏"),
    (lambda b: b.update(key=base64.b64encode(b"\1" * 31).decode()), "已损坏"),
    (lambda b: b.pop("sig"), "缺少"),
    (lambda b: b.update(format="fieldinspect.receipt/1"), "格式不符"),
])
def test_a_damaged_or_altered_offer_is_refused_in_words(hq_dir: Path, change, words: str) -> None:  # noqa: ANN001
    body = json.loads(pairing_offer.encode(keys.signing_key(hq_dir), keys.age_recipient(hq_dir)))
    change(body)
    with pytest.raises(PairingError) as err:
        pairing_offer.decode(json.dumps(body))
    assert words in err.value.zh and err.value.en


def test_not_json_and_not_an_image_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "x.json"
    garbage.write_bytes(b"\xff\xfe not json")
    with pytest.raises(PairingError, match="这不是总部的配对文件"):
        pairing_offer.read(garbage)
    fake = tmp_path / "x.png"
    fake.write_bytes(b"not a png")
    with pytest.raises(PairingError, match="无法打开这张图片"):
        pairing_offer.read(fake)


def test_every_offers_qr_code_reads_back() -> None:
    """Each HQ's keys make another code; OpenCV's classic reader alone misses about one in twelve
    of them, so both of its readers are tried: forty fresh HQs, forty codes read."""
    from app import crypto

    for _ in range(40):
        _identity, recipient = crypto.age_generate_identity()
        text = pairing_offer.encode(crypto.generate_signing_key(), recipient)
        assert pairing_offer.read_qr(pairing_offer.qr_png(text)) == text
