"""The tus 1.0 layer of the HQ receiver: core, creation, checksum, termination, persistence.

R18 (recordings synced after duty) needs an upload that survives cuts and restarts;
R17 (originals unaltered) needs a chunk whose checksum fails to be refused, not stored.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import crypto
from app.device import DeviceIdentity
from sync import device_auth
from sync.hq.tus import TusEndpoint
from sync.hq.tus_store import TusStore, UploadState

T = {"Tus-Resumable": "1.0.0"}
OCTETS = {"Content-Type": "application/offset+octet-stream"}


class Receiver:
    """A real tus endpoint over a real folder, with real device keys."""

    def __init__(self, folder: Path, devices: list[DeviceIdentity]) -> None:
        self.keys = {d.device_id: d.public for d in devices}
        self.completed: list[UploadState] = []
        self.folder = folder
        self.client = self._client()

    def _authenticate(self, request) -> str:
        creds = device_auth.parse_authorization(request.headers.get("authorization"))
        key = self.keys.get(creds.device_id)
        if key is None:
            raise device_auth.DeviceAuthError("设备未登记", "device not enrolled")
        device_auth.check(creds, request.method, request.url.path, key.verify)
        return creds.device_id

    def _client(self) -> TestClient:
        endpoint = TusEndpoint(TusStore(self.folder), authenticate=self._authenticate,
                               on_complete=self.completed.append)
        return TestClient(Starlette(routes=endpoint.routes()))

    def restart(self) -> None:
        self.client = self._client()


def signed(device: DeviceIdentity, method: str, path: str, **extra: str) -> dict[str, str]:
    return {**T, **extra, "Authorization": device_auth.authorization_header(device.device_id, device.sign, method, path)}


@pytest.fixture
def device(tmp_path: Path) -> DeviceIdentity:
    return DeviceIdentity.generate(tmp_path / "dev")


@pytest.fixture
def rx(tmp_path: Path, device: DeviceIdentity) -> Receiver:
    return Receiver(tmp_path / "uploads", [device])


def create(rx: Receiver, device: DeviceIdentity, length: int, metadata: str = "") -> str:
    headers = signed(device, "POST", "/files", **{"Upload-Length": str(length)})
    if metadata:
        headers["Upload-Metadata"] = metadata
    r = rx.client.post("/files", headers=headers)
    assert r.status_code == 201, r.text
    return r.headers["location"]


def patch(rx: Receiver, device: DeviceIdentity, url: str, offset: int, body: bytes, checksum: str | None = None):
    headers = signed(device, "PATCH", url, **OCTETS, **{"Upload-Offset": str(offset)})
    if checksum:
        headers["Upload-Checksum"] = checksum
    return rx.client.patch(url, headers=headers, content=body)


def head(rx: Receiver, device: DeviceIdentity, url: str):
    return rx.client.head(url, headers=signed(device, "HEAD", url))


def sha(name: str, data: bytes) -> str:
    d = crypto.new_digest(name)
    d.update(data)
    return f"{name} {base64.b64encode(d.digest()).decode()}"


def test_options_advertises_version_extensions_and_checksum_algorithms(rx: Receiver) -> None:
    r = rx.client.options("/files")
    assert r.status_code == 204
    assert r.headers["tus-version"] == "1.0.0"
    assert set(r.headers["tus-extension"].split(",")) == {"creation", "checksum", "termination"}
    assert set(r.headers["tus-checksum-algorithm"].split(",")) == {"sha1", "sha256"}
    assert int(r.headers["tus-max-size"]) > 0


def test_r18_chunks_append_in_order_and_the_upload_completes(rx: Receiver, device: DeviceIdentity) -> None:
    data = bytes(range(256)) * 40
    meta = "filename " + base64.b64encode("回执.age".encode()).decode()
    url = create(rx, device, len(data), meta)
    h = head(rx, device, url)
    assert (h.headers["upload-offset"], h.headers["upload-length"]) == ("0", str(len(data)))
    assert h.headers["upload-metadata"] == meta and h.headers["cache-control"] == "no-store"
    r = patch(rx, device, url, 0, data[:4000], sha("sha256", data[:4000]))
    assert r.status_code == 204 and r.headers["upload-offset"] == "4000"
    assert not rx.completed
    r = patch(rx, device, url, 4000, data[4000:], sha("sha1", data[4000:]))
    assert r.status_code == 204 and r.headers["upload-offset"] == str(len(data))
    [done] = rx.completed
    assert TusStore(rx.folder).data_path(done.id).read_bytes() == data


def test_r18_a_wrong_offset_is_409_and_changes_nothing(rx: Receiver, device: DeviceIdentity) -> None:
    url = create(rx, device, 100)
    assert patch(rx, device, url, 0, b"a" * 10).status_code == 204
    r = patch(rx, device, url, 0, b"b" * 10)
    assert r.status_code == 409
    assert head(rx, device, url).headers["upload-offset"] == "10"


def test_r17_a_chunk_whose_checksum_fails_is_460_and_not_appended(rx: Receiver, device: DeviceIdentity) -> None:
    url = create(rx, device, 20)
    r = patch(rx, device, url, 0, b"x" * 10, sha("sha256", b"y" * 10))
    assert r.status_code == 460
    assert head(rx, device, url).headers["upload-offset"] == "0"
    assert patch(rx, device, url, 0, b"x" * 10, sha("sha256", b"x" * 10)).status_code == 204


def test_unsupported_checksum_algorithm_and_bad_requests_are_refused(rx: Receiver, device: DeviceIdentity) -> None:
    url = create(rx, device, 20)
    assert patch(rx, device, url, 0, b"x", "md5 AAAA").status_code == 400
    bad_type = signed(device, "PATCH", url, **{"Upload-Offset": "0", "Content-Type": "text/plain"})
    assert rx.client.patch(url, headers=bad_type, content=b"x").status_code == 415
    assert patch(rx, device, url, 0, b"z" * 21).status_code == 413
    no_length = signed(device, "POST", "/files")
    assert rx.client.post("/files", headers=no_length).status_code == 400
    old = {**signed(device, "HEAD", url), "Tus-Resumable": "0.2.2"}
    r = rx.client.head(url, headers=old)
    assert r.status_code == 412 and r.headers["tus-version"] == "1.0.0"
    assert head(rx, device, url).headers["upload-offset"] == "0"


def test_termination_deletes_the_bytes_then_410_and_unknown_ids_404(rx: Receiver, device: DeviceIdentity) -> None:
    url = create(rx, device, 10)
    patch(rx, device, url, 0, b"12345")
    r = rx.client.delete(url, headers=signed(device, "DELETE", url))
    assert r.status_code == 204
    assert head(rx, device, url).status_code == 410
    assert patch(rx, device, url, 5, b"67890").status_code == 410
    assert not list(rx.folder.glob("*.bin"))
    missing = "/files/" + "0" * 32
    assert head(rx, device, missing).status_code == 404


def test_r18_an_upload_survives_a_receiver_restart(rx: Receiver, device: DeviceIdentity) -> None:
    url = create(rx, device, 8)
    patch(rx, device, url, 0, b"abcd")
    rx.restart()
    assert head(rx, device, url).headers["upload-offset"] == "4"
    assert patch(rx, device, url, 4, b"efgh").status_code == 204
    assert len(rx.completed) == 1
    assert TusStore(rx.folder).completed()[0].offset == 8


def test_bytes_past_the_committed_offset_are_cut_off_on_resume(rx: Receiver, device: DeviceIdentity) -> None:
    """A crash between writing data and recording the offset leaves stray bytes; they never count."""
    url = create(rx, device, 8)
    patch(rx, device, url, 0, b"abcd")
    store = TusStore(rx.folder)
    upload_id = url.rsplit("/", 1)[1]
    with open(store.data_path(upload_id), "ab") as fh:
        fh.write(b"JUNK")
    assert head(rx, device, url).headers["upload-offset"] == "4"
    patch(rx, device, url, 4, b"efgh")
    assert store.data_path(upload_id).read_bytes() == b"abcdefgh"


def test_only_enrolled_devices_with_fresh_signatures_may_upload(tmp_path: Path, rx: Receiver,
                                                                device: DeviceIdentity) -> None:
    stranger = DeviceIdentity.generate(tmp_path / "stranger")
    r = rx.client.post("/files", headers=signed(stranger, "POST", "/files", **{"Upload-Length": "5"}))
    assert r.status_code == 401 and "not enrolled" in r.text
    r = rx.client.post("/files", headers={**T, "Upload-Length": "5"})
    assert r.status_code == 401 and "no device signature" in r.text
    stale = device_auth.authorization_header(device.device_id, device.sign, "POST", "/files", now=1_000_000)
    r = rx.client.post("/files", headers={**T, "Upload-Length": "5", "Authorization": stale})
    assert r.status_code == 401 and "too far" in r.text
    # A header signed for HEAD cannot be used to DELETE the same upload.
    url = create(rx, device, 5)
    r = rx.client.delete(url, headers={**T, "Authorization": signed(device, "HEAD", url)["Authorization"]})
    assert r.status_code == 401 and head(rx, device, url).status_code == 200
    assert not rx.completed


def test_a_device_cannot_touch_another_devices_upload(tmp_path: Path, device: DeviceIdentity) -> None:
    other = DeviceIdentity.generate(tmp_path / "other")
    rx = Receiver(tmp_path / "up2", [device, other])
    url = create(rx, device, 5)
    assert head(rx, other, url).status_code == 403
    assert patch(rx, other, url, 0, b"12345").status_code == 403
    assert head(rx, device, url).headers["upload-offset"] == "0"


def test_r18_after_a_power_cut_lost_bytes_are_asked_for_again(rx: Receiver, device: DeviceIdentity) -> None:
    """Chunks are synced to disk only at completion; a tail lost to a power cut is re-sent."""
    url = create(rx, device, 12)
    patch(rx, device, url, 0, b"abcdefgh")
    upload_id = url.rsplit("/", 1)[1]
    with open(TusStore(rx.folder).data_path(upload_id), "r+b") as fh:
        fh.truncate(5)  # what a power cut can leave of unsynced page cache
    rx.restart()
    assert head(rx, device, url).headers["upload-offset"] == "5"
    assert patch(rx, device, url, 5, b"fghijkl").status_code == 204
    assert TusStore(rx.folder).data_path(upload_id).read_bytes() == b"abcdefghijkl"
