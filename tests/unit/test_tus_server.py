"""The receiver's routes around tus: receipts per upload, reference data, the benchmark PUT
(R18: what HQ says about a shift's upload reaches only the device that sent it)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from app import crypto, paths
from app.device import DeviceIdentity
from sync.device_auth import authorization_header
from sync.hq import keys
from sync.hq.server import create_app
from sync.hq.store import HqStore

pytestmark = pytest.mark.usefixtures("hq_database")  # SQLite and PostgreSQL


def _auth(device: DeviceIdentity, method: str, path: str) -> dict[str, str]:
    return {"Tus-Resumable": "1.0.0", "Authorization": authorization_header(device.device_id, device.sign, method, path)}


@pytest.fixture
def hq(tmp_path: Path):
    folder = tmp_path / "hq"
    keys.keygen(folder)
    device = DeviceIdentity.generate(tmp_path / "dev")
    store = HqStore(folder)
    store.enroll(device.public_key_pem)
    store.close()
    return folder, device


def test_reference_data_is_served_signed_only_to_enrolled_devices(hq, tmp_path: Path) -> None:  # noqa: ANN001
    folder, device = hq
    with TestClient(create_app(folder)) as web:
        assert web.get("/reference", headers=_auth(device, "GET", "/reference")).status_code == 404
        store = HqStore(folder)
        data = paths.DEMO_REFERENCE.read_bytes()
        store.publish(data)
        store.close()
        r = web.get("/reference", headers=_auth(device, "GET", "/reference"))
        assert r.status_code == 200
        body = r.json()
        assert base64.b64decode(body["data"]) == data
        hq_pub = crypto.load_public_key_pem((folder / keys.SIGNING_PUB).read_bytes())
        assert crypto.verify_signature(hq_pub, base64.b64decode(body["signature"]), data)
        stranger = DeviceIdentity.generate(tmp_path / "stranger")
        r = web.get("/reference", headers=_auth(stranger, "GET", "/reference"))
        assert r.status_code == 401 and "未在总部登记" in r.json()["zh"]


def test_receipt_states_of_an_upload(hq) -> None:  # noqa: ANN001
    folder, device = hq
    with TestClient(create_app(folder)) as web:
        r = web.post("/files", headers={**_auth(device, "POST", "/files"), "Upload-Length": "10"})
        url = r.headers["location"]
        rid = "/receipts/" + url.rsplit("/", 1)[1]
        assert web.get(rid, headers=_auth(device, "GET", rid)).status_code == 409  # bytes missing
        assert web.get(rid).status_code == 401
        assert web.get("/receipts/" + "0" * 32, headers=_auth(device, "GET", "/receipts/" + "0" * 32)).status_code == 404
        web.patch(url, content=b"not an age", headers={
            **_auth(device, "PATCH", url), "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})
        # Not a bundle: HQ's verdict is a rejection with its code and reason in both languages.
        for _ in range(200):
            r = web.get(rid, headers=_auth(device, "GET", rid))
            if r.status_code != 202:
                break
            time.sleep(0.05)
        assert r.status_code == 422
        assert r.json()["code"] == "not-age" and r.json()["zh"] and r.json()["en"]
        assert web.delete(url, headers=_auth(device, "DELETE", url)).status_code == 204
        assert web.get(rid, headers=_auth(device, "GET", rid)).status_code == 410


def test_the_plain_put_exists_only_when_enabled_for_benchmarks(hq) -> None:  # noqa: ANN001
    folder, _ = hq
    with TestClient(create_app(folder)) as web:
        assert web.put("/plain/x.bin", content=b"12345").status_code == 404
    assert not (folder / "plain").exists()
    with TestClient(create_app(folder, plain_put=True)) as web:
        assert web.put("/plain/x.bin", content=b"12345").status_code == 201
        assert web.put("/plain/..%2Fescape", content=b"1").status_code == 404
    assert (folder / "plain" / "x.bin").read_bytes() == b"12345"


def test_the_receiver_refuses_a_folder_that_is_not_an_hq_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        create_app(tmp_path)


def test_an_upload_begun_before_the_state_moved_into_the_database_resumes(hq) -> None:  # noqa: ANN001
    from sync.hq.tus_store import TusStore

    folder, device = hq
    old = TusStore(folder / "uploads")  # how an earlier receiver kept an upload: bytes and a JSON state file
    state = old.create(10, "", device.device_id)
    with old.open_for_append(state) as fh:
        fh.write(b"01234")
        old.commit(state, fh, 5)
    url = f"/files/{state.id}"
    with TestClient(create_app(folder)) as web:
        r = web.head(url, headers=_auth(device, "HEAD", url))
        assert r.status_code == 200 and r.headers["upload-offset"] == "5"
        r = web.patch(url, content=b"56789", headers={
            **_auth(device, "PATCH", url), "Upload-Offset": "5", "Content-Type": "application/offset+octet-stream"})
        assert r.status_code == 204 and r.headers["upload-offset"] == "10"
    assert (folder / "uploads" / f"{state.id}.bin").read_bytes() == b"0123456789"
    assert not (folder / "uploads" / f"{state.id}.json").exists()
