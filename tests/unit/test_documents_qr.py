"""The inspection code (R14): built, parsed and verified as docs/FORMATS.md specifies;
any changed parameter makes the signature fail."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

import pytest

from app.device import DeviceIdentity
from app.documents import qr
from app.documents.errors import InspectionCodeInvalid

BASE = "https://zfjd.qinghe.gov.cn/v"
CODE = qr.InspectionCode(BASE, "JC-2026-1101", "QH-XC-ZHZF", ("33010621001", "33010621002"), date(2026, 11, 23))


@pytest.fixture(scope="module")
def device(tmp_path_factory: pytest.TempPathFactory) -> DeviceIdentity:
    return DeviceIdentity.generate(tmp_path_factory.mktemp("device"))


@pytest.fixture(scope="module")
def other_device(tmp_path_factory: pytest.TempPathFactory) -> DeviceIdentity:
    return DeviceIdentity.generate(tmp_path_factory.mktemp("other"))


def test_R14_canonical_query_is_the_documented_text(device: DeviceIdentity) -> None:
    query = qr.canonical_query(CODE, device.device_id)
    assert query == ("v=1&i=JC-2026-1101&a=QH-XC-ZHZF&o=33010621001&o=33010621002&d=2026-11-23"
                     f"&k={device.device_id}")


def test_R14_code_round_trips_and_verifies(device: DeviceIdentity) -> None:
    url = qr.build_code(CODE, device)
    base, query = url.split("?")
    assert base == BASE
    assert query.startswith(qr.canonical_query(CODE, device.device_id) + "&s=")
    signature = query.rsplit("&s=", 1)[1]
    assert "=" not in signature and len(signature) == 86  # 64 bytes, base64url without padding
    signed = qr.verify_code(url, device.public.public_key)
    assert signed.code == CODE
    assert signed.device_id == device.device_id
    assert base64.urlsafe_b64decode(signature + "==") == signed.signature


def test_R14_non_ascii_values_are_percent_encoded_and_round_trip(device: DeviceIdentity) -> None:
    code = qr.InspectionCode(BASE, "西检-1101 & 2", "QH/XC", ("浙A-001",), date(2026, 1, 5))
    url = qr.build_code(code, device)
    assert url.isascii() and "%E8%A5%BF" in url and "%26" in url and "%2F" in url
    assert qr.verify_code(url, device.public.public_key).code == code


@pytest.mark.parametrize(("old", "new"), [
    ("i=JC-2026-1101", "i=JC-2026-1102"),
    ("a=QH-XC-ZHZF", "a=QH-XC-ZHZG"),
    ("o=33010621002", "o=33010621009"),
    ("o=33010621001&o=33010621002", "o=33010621002&o=33010621001"),
    ("&o=33010621002", ""),
    ("d=2026-11-23", "d=2026-11-24"),
])
def test_R14_changing_any_parameter_breaks_the_signature(device: DeviceIdentity, old: str, new: str) -> None:
    url = qr.build_code(CODE, device)
    assert old in url
    forged = url.replace(old, new)
    qr.parse_code(forged)  # still well-formed …
    with pytest.raises(InspectionCodeInvalid) as caught:  # … but not genuine
        qr.verify_code(forged, device.public.public_key)
    assert "检查码" in caught.value.zh and "inspection code" in caught.value.en


def test_R14_changed_signature_or_another_device_key_fails(device: DeviceIdentity,
                                                          other_device: DeviceIdentity) -> None:
    url = qr.build_code(CODE, device)
    flipped = url[:-2] + ("A" if url[-2] != "A" else "B") + url[-1]
    with pytest.raises(InspectionCodeInvalid):
        qr.verify_code(flipped, device.public.public_key)
    with pytest.raises(InspectionCodeInvalid):  # the code names another device than the key given
        qr.verify_code(url, other_device.public.public_key)
    # a forger signing with their own key and claiming the genuine device id
    forged = qr.build_code(CODE, other_device).replace(other_device.device_id, device.device_id)
    with pytest.raises(InspectionCodeInvalid):
        qr.verify_code(forged, device.public.public_key)


@pytest.mark.parametrize("mangle", [
    lambda u: u.split("?")[0],
    lambda u: u.replace("v=1", "v=3"),
    lambda u: u.replace("v=1", "v=2"),  # version 2 needs h and t
    lambda u: u + "&x=1",
    lambda u: u + "&i=again",
    lambda u: u.replace("&d=2026-11-23", ""),
    lambda u: u.replace("d=2026-11-23", "d=2026-13-01"),
    lambda u: u.replace("&s=", "&s=%%"),
    lambda u: u[: u.index("&s=") + 10],
])
def test_malformed_codes_are_refused_with_a_reason(device: DeviceIdentity, mangle) -> None:
    with pytest.raises(InspectionCodeInvalid) as caught:
        qr.parse_code(mangle(qr.build_code(CODE, device)))
    assert caught.value.zh.startswith("检查码无效：")


@pytest.mark.parametrize("base", ["ftp://x.cn/v", "https://x.cn/v?a=1", "zfjd.qinghe.gov.cn", ""])
def test_base_url_must_be_plain_http_or_https(base: str) -> None:
    with pytest.raises(InspectionCodeInvalid):
        qr.InspectionCode(base, "JC-1", "A", ("1",), date(2026, 1, 1))


def test_code_too_long_to_scan_is_refused(device: DeviceIdentity) -> None:
    many = tuple(f"3301062100{n:02d}" for n in range(40))
    with pytest.raises(InspectionCodeInvalid) as caught:
        qr.build_code(qr.InspectionCode(BASE, "JC-1", "A", many, date(2026, 1, 1)), device)
    assert str(qr.MAX_URL_LENGTH) in caught.value.zh


def test_signer_protocol_is_met_by_the_device_identity(tmp_path: Path) -> None:
    identity = DeviceIdentity.generate(tmp_path)
    assert isinstance(identity.device_id, str) and len(identity.sign(b"x")) == qr.SIGNATURE_LENGTH


def test_R14_an_issued_documents_code_names_its_record_hash_and_time(device: DeviceIdentity) -> None:
    from dataclasses import replace
    from datetime import UTC, datetime

    code = replace(CODE, record_hash="0123456789abcdef0123456789abcdef",
                   signed_at=datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    url = qr.build_code(code, device)
    query = url.split("?", 1)[1]
    assert query.startswith("v=2&i=JC-2026-1101&") and "&d=2026-11-23&h=0123456789abcdef0123456789abcdef" \
        "&t=20261123T013000Z&k=" in query
    signed = qr.verify_code(url, device.public.public_key)
    assert signed.code.record_hash == code.record_hash and signed.code.signed_at == code.signed_at
    with pytest.raises(InspectionCodeInvalid):
        qr.verify_code(url.replace("h=0123", "h=1123"), device.public.public_key)
    with pytest.raises(InspectionCodeInvalid):  # a version-1 code cannot carry h and t
        qr.parse_code(url.replace("v=2", "v=1"))
