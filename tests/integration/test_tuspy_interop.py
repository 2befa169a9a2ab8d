"""A third-party tus client (tuspy) uploads a bundle to the HQ receiver (R18: any tus 1.0
client can deliver a shift's recordings; the device signature is all it needs to add)."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tusclient.client import TusClient

from app import crypto, demo
from app.workspace import Workspace
from sync import client as sync_client
from sync.bundle import build_bundle, run
from sync.device_auth import authorization_header
from sync.hq import keys
from sync.receipt import SignedReceipt

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess, enroll_and_pair, hq_counts, make_hq  # noqa: E402
from keys_kit import as_, create_workspace

pytestmark = pytest.mark.integration


def test_r18_tuspy_uploads_a_bundle_with_sha1_checksums_and_resumes_by_head(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "data")
    try:
        demo.seed(ws, media=True)
        hq_dir = make_hq(tmp_path / "hq")
        device = enroll_and_pair(ws, hq_dir)
        info = run(build_bundle(ws, tmp_path / "bundle.age", device=device, session=as_(ws, "O01")))
    finally:
        ws.close()

    def signed_for(method: str, path: str) -> dict[str, str]:
        return {"Authorization": authorization_header(device.device_id, device.sign, method, path)}

    with HqProcess(hq_dir) as hq:
        tus = TusClient(hq.url + "/files")
        tus.set_headers(signed_for("POST", "/files"))
        uploader = tus.uploader(str(info.path), chunk_size=64 << 10, upload_checksum=True,
                                metadata={"filename": info.path.name})
        assert uploader.checksum_algorithm_name == "sha1"
        url = uploader.create_url()
        uploader.set_url(url)
        path = urlsplit(url).path
        tus.set_headers(signed_for("PATCH", path))
        uploader.upload_chunk()
        assert uploader.offset == 64 << 10

        # A fresh tuspy uploader for the same URL asks HQ where it stands (HEAD) and goes on.
        tus.set_headers(signed_for("HEAD", path))
        resumed = tus.uploader(str(info.path), url=url, chunk_size=64 << 10, upload_checksum=True)
        assert resumed.offset == 64 << 10
        while resumed.offset < info.size:
            tus.set_headers(signed_for("PATCH", path))
            resumed.upload_chunk()

        status, body = sync_client.fetch_outcome(hq.url, url, device, timeout=60)
        assert status == 200
        receipt = SignedReceipt.from_json(body)
        hq_pub = crypto.load_public_key_pem((hq_dir / keys.SIGNING_PUB).read_bytes())
        assert crypto.verify_signature(hq_pub, receipt.signature, receipt.body)
        assert receipt.fields()["bundle_sha256"] == info.sha256
        assert hq_counts(hq_dir, device.device_id)["bundles"] == 1


def test_tuspy_without_the_device_signature_is_refused(tmp_path: Path) -> None:
    hq_dir = make_hq(tmp_path / "hq")
    payload = tmp_path / "x.bin"
    payload.write_bytes(b"x" * 1000)
    with HqProcess(hq_dir) as hq:
        uploader = TusClient(hq.url + "/files").uploader(str(payload), chunk_size=500)
        from tusclient.exceptions import TusCommunicationError

        with pytest.raises(TusCommunicationError) as caught:
            uploader.create_url()
        assert caught.value.status_code == 401
    assert not list((hq_dir / "uploads").glob("*.bin"))
