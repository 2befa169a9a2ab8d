"""Several ``fieldinspect-hq serve`` processes sharing one PostgreSQL database and one HQ
folder: an upload begun through one resumes through another, and one bundle finished
through two at once is stored once and answered with one receipt by both."""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from app import crypto
from app.device import DeviceIdentity
from sync.device_auth import authorization_header
from sync.hq import keys
from sync.hq.store import HqStore
from sync.receipt import SignedReceipt

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess  # noqa: E402
from tests.unit.bundle_kit import Kit, kit  # noqa: E402,F401  (fixture)

pytestmark = pytest.mark.integration


@pytest.fixture
def shared_database(pg_cluster, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    """A fresh PostgreSQL database that this test's HQ store and every receiver it starts use."""
    url = pg_cluster.new_database()
    monkeypatch.setenv("FIELDINSPECT_HQ_DATABASE", url)
    return url


def _request(base: str, device: DeviceIdentity, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    req = urllib.request.Request(base + path, data=body, method=method, headers={
        "Tus-Resumable": "1.0.0", "Authorization": authorization_header(device.device_id, device.sign, method, path),
        **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def _create(base: str, device: DeviceIdentity, length: int) -> str:
    meta = "filename " + base64.b64encode(b"bundle.age").decode()
    status, headers, _ = _request(base, device, "POST", "/files", headers={"Upload-Length": str(length),
                                                                           "Upload-Metadata": meta})
    assert status == 201
    return headers["Location"]


def _patch(base: str, device: DeviceIdentity, path: str, offset: int, chunk: bytes) -> int:
    status, _, _ = _request(base, device, "PATCH", path, chunk, {
        "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
    return status


def _receipt(base: str, device: DeviceIdentity, upload_path: str, timeout: float = 60.0,
             client: Any = None) -> bytes:
    """The receipt for an upload, asked of ``base`` (or of a Starlette test ``client``)."""
    rid = "/receipts/" + upload_path.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client is not None:
            r = client.get(rid, headers={"Authorization": authorization_header(device.device_id, device.sign,
                                                                                "GET", rid)})
            status, body = r.status_code, r.content
        else:
            status, _, body = _request(base, device, "GET", rid)
        if status == 200:
            return body
        assert status in (202, 409), (status, body)
        time.sleep(0.05)
    raise TimeoutError(rid)


def _valid(kit: Kit, receipt_json: bytes) -> SignedReceipt:
    receipt = SignedReceipt.from_json(receipt_json)
    hq_pub = crypto.load_public_key_pem((kit.hq_dir / keys.SIGNING_PUB).read_bytes())
    assert crypto.verify_signature(hq_pub, receipt.signature, receipt.body)
    return receipt


def _resume_through_another(kit: Kit) -> SignedReceipt:
    """Half the bundle through receiver A, which is killed; the rest through B; A, started
    again, answers with B's receipt."""
    data = kit.build().path.read_bytes()
    half = len(data) // 2
    a, b = HqProcess(kit.hq_dir).start(), HqProcess(kit.hq_dir).start()
    try:
        upload = _create(a.url, kit.device, len(data))
        assert _patch(a.url, kit.device, upload, 0, data[:half]) == 204
        a.kill()  # the receiver that began the upload is gone
        status, headers, _ = _request(b.url, kit.device, "HEAD", upload)
        assert status == 200 and int(headers["Upload-Offset"]) == half
        assert _patch(b.url, kit.device, upload, half, data[half:]) == 204
        receipt = _valid(kit, _receipt(b.url, kit.device, upload))
        a.start()  # back again: it answers with the same receipt, from the shared database
        assert _receipt(a.url, kit.device, upload) == receipt.to_json()
    finally:
        a.stop()
        b.stop()
    return receipt


def test_an_upload_begun_through_one_receiver_resumes_through_another(shared_database: str, kit: Kit) -> None:
    kit.seal_file(300_000)
    _resume_through_another(kit)
    store = HqStore(kit.hq_dir)
    try:
        assert store.counts(kit.device.device_id)["bundles"] == 1
        assert store.conn.execute("SELECT COUNT(*) FROM uploads").fetchone()[0] == 1
    finally:
        store.close()


@pytest.fixture(params=["folder", "s3"])
def blob_store(request: pytest.FixtureRequest) -> str:
    """HQ's files in the shared folder, or in a bucket on moto's S3 server."""
    if request.param == "s3":
        return request.getfixturevalue("s3_blobs")
    return "folder"


def test_one_bundle_finished_through_two_receivers_at_once_is_stored_once(shared_database: str, blob_store: str,
                                                                          kit: Kit) -> None:
    kit.seal_file(300_000)
    for n in range(3):
        kit.seal_note(n)
    data = kit.build().path.read_bytes()
    a, b = HqProcess(kit.hq_dir).start(), HqProcess(kit.hq_dir).start()
    try:
        # The same bundle, as a device that timed out on one receiver sends it again to another.
        uploads = {r.url: _create(r.url, kit.device, len(data)) for r in (a, b)}
        for url, path in uploads.items():
            assert _patch(url, kit.device, path, 0, data[:-1]) == 204
        start = threading.Barrier(2)
        statuses: list[int] = []

        def finish(url: str) -> None:
            start.wait()
            statuses.append(_patch(url, kit.device, uploads[url], len(data) - 1, data[-1:]))

        threads = [threading.Thread(target=finish, args=(url,)) for url in uploads]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [204, 204]
        answers = {_receipt(url, kit.device, path) for url, path in uploads.items()}
    finally:
        a.stop()
        b.stop()
    assert len(answers) == 1  # both receivers answer with the same receipt, byte for byte
    receipt = _valid(kit, answers.pop())
    assert json.loads(receipt.body)["bundle_id"]
    store = HqStore(kit.hq_dir)
    try:
        counts = store.counts(kit.device.device_id)
        assert counts["bundles"] == 1 and counts["seals"] == 4
        evidence = store.conn.execute("SELECT sha256 FROM evidence").fetchall()
        assert len(evidence) == 4 and all(store.blobs.has(store.evidence_key(sha)) for (sha,) in evidence)
        if blob_store == "s3":  # one bag, under one sequence
            bags = {item["Key"].split("/")[2] for item in store.blobs.listing(f"bags/{kit.device.device_id}")}
            assert len(bags) == 1
    finally:
        store.close()
    if blob_store == "folder":
        assert not list((kit.hq_dir / "bags" / kit.device.device_id).glob("*/..*"))
        assert len(list((kit.hq_dir / "bags" / kit.device.device_id).iterdir())) == 1


def test_every_hq_command_takes_the_database_from_its_option(pg_cluster, tmp_path: Path,  # noqa: ANN001
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from sync_loopback import HQ_EXE

    monkeypatch.delenv("FIELDINSPECT_HQ_DATABASE", raising=False)
    url = pg_cluster.new_database()
    hq = tmp_path / "hq"
    keys.keygen(hq)
    device = DeviceIdentity.generate(tmp_path / "dev")
    pub = tmp_path / "device.pub.pem"
    pub.write_bytes(device.public_key_pem)
    run = subprocess.run([str(HQ_EXE), "enroll", "--dir", str(hq), "--database", url, str(pub)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(HQ_EXE), "revoke", "--dir", str(hq), "--database", url, "--from",
                          "2026-11-23T18:00:00+08:00", "--reason", "lost", device.device_id],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert not (hq / "hq.sqlite").exists()  # nothing went to the embedded default
    store = HqStore(hq, database=url)
    try:
        assert store.is_enrolled(device.device_id) and store.revocation(device.device_id)[1] == "lost"
        assert "uploads" in store.db.tables() and store.db.postgresql
    finally:
        store.close()


def test_a_finished_upload_whose_receiver_died_is_adopted_by_another(shared_database: str, kit: Kit) -> None:
    from starlette.testclient import TestClient

    from sync.hq.server import create_app
    from sync.hq.tus_store import DbTusStore

    kit.seal_note(1)
    data = kit.build().path.read_bytes()
    with TestClient(create_app(kit.hq_dir)) as web:
        receiver = web.app.state.receiver
        # What a receiver killed between the last byte and its ingest leaves: a finished
        # upload in the database and the folder, and no verdict.
        orphans = DbTusStore(kit.hq_dir / "uploads", lambda: kit.hq.db)
        state = orphans.create(len(data), "", kit.device.device_id)
        with open(orphans.data_path(state.id), "r+b") as fh:
            fh.write(data)
            orphans.commit(state, fh, len(data))
        receiver.adopt_orphans(older_than=60)  # too young: its own receiver may still be at it
        time.sleep(0.3)
        assert not (kit.hq_dir / "upload-results" / f"{state.id}.json").exists()
        receiver.adopt_orphans(older_than=0)
        body = _receipt("", kit.device, f"/files/{state.id}", client=web)
    assert _valid(kit, body).body
    assert kit.hq.counts(kit.device.device_id)["bundles"] == 1


def test_a_receiver_goes_on_after_postgresql_restarts(pg_cluster, shared_database: str, kit: Kit) -> None:  # noqa: ANN001
    """Every connection is cut by the restart; the receiver connects again and the next
    upload is received and ingested as if nothing happened."""
    from keys_kit import as_
    from sync.state import apply_receipt

    def sync(base: str) -> SignedReceipt:
        data = kit.build(f"bundle-{time.monotonic_ns()}.age").path.read_bytes()
        upload = _create(base, kit.device, len(data))
        assert _patch(base, kit.device, upload, 0, data) == 204
        receipt = _valid(kit, _receipt(base, kit.device, upload))
        apply_receipt(kit.ws, receipt, session=as_(kit.ws, "O01"))  # the device's next bundle comes after this one
        return receipt

    kit.seal_note(1)
    with HqProcess(kit.hq_dir) as receiver:
        first = sync(receiver.url)
        kit.hq.close()  # this test's own connection would be cut as well
        pg_cluster.restart(down_for=1.0)  # requests arriving while it is down wait for it
        kit.seal_note(2)
        second = sync(receiver.url)
    assert json.loads(first.body)["sequence"] + 1 == json.loads(second.body)["sequence"]
    store = HqStore(kit.hq_dir)
    try:
        assert store.counts(kit.device.device_id)["bundles"] == 2
    finally:
        store.close()
    assert "reconnected to PostgreSQL" in (kit.hq_dir / "serve.log").read_text("utf-8")


def test_ingest_cut_off_by_a_restart_runs_again_on_a_new_connection(pg_cluster, shared_database: str,  # noqa: ANN001
                                                                    kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    """The connection drops inside ingest's transaction: the whole ingest runs again and
    stores the bundle once."""
    from sync.hq import ingest as ingest_module

    kit.seal_note(1)
    bundle = kit.build().path
    real = ingest_module._check_head
    cuts = []

    def cut_then_check(store, checked) -> None:  # noqa: ANN001
        if not cuts:
            cuts.append(1)
            pg_cluster.restart()
        real(store, checked)

    monkeypatch.setattr(ingest_module, "_check_head", cut_then_check)  # the cut falls mid-transaction
    receipt = kit.hq.ingest(bundle, device_id=kit.device.device_id)
    assert cuts == [1]
    _valid(kit, receipt.to_json())
    counts = kit.hq.counts(kit.device.device_id)
    assert counts["bundles"] == 1 and counts["seals"] == 1
    assert kit.hq.ingest(bundle, device_id=kit.device.device_id).to_json() == receipt.to_json()


@pytest.fixture
def s3_blobs(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A bucket on moto's S3 server (loopback) that this test's receivers keep HQ's files in."""
    import s3_server

    server = s3_server.start()
    env: dict[str, str] = {}
    server.environ(env)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import uuid

    url = server.new_bucket(f"hq-{uuid.uuid4().hex[:12]}")  # moto's objects outlive one server in a process
    monkeypatch.setenv("FIELDINSPECT_HQ_BLOBS", url)
    yield url
    server.stop()


def test_receivers_sharing_an_s3_bucket_resume_and_store_once(shared_database: str, s3_blobs: str,
                                                              kit: Kit) -> None:
    """An upload begun through one receiver resumes through another; the original (larger
    than a multipart part) and the bag are objects in the bucket, stored once; no file of them in the folder."""
    from sync.hq import blobs

    sha = kit.seal_file(blobs.PART_BYTES + 300_000)  # goes as a multipart upload
    _resume_through_another(kit)
    store = HqStore(kit.hq_dir)
    try:
        assert store.blobs.shared_across_machines and str(store.blobs) == s3_blobs + "/"
        assert store.counts(kit.device.device_id)["bundles"] == 1
        held = {item["Key"]: item["Size"] for item in store.blobs.listing("evidence")}
        assert held == {blobs.evidence_key(sha): blobs.PART_BYTES + 300_000}
        bag_keys = [item["Key"] for item in store.blobs.listing("bags")]
        assert bag_keys and all(k.startswith(f"bags/{kit.device.device_id}/") for k in bag_keys)
        path = kit.hq_dir / "fetched"
        store.blobs.download(blobs.evidence_key(sha), path)
        assert crypto.sha256_file(path)[0] == sha
    finally:
        store.close()
    assert not (kit.hq_dir / "evidence").exists() and not (kit.hq_dir / "bags").exists()
    assert not (kit.hq_dir / "upload-results").exists()


def test_a_store_named_wrongly_is_refused_in_both_languages(tmp_path: Path) -> None:
    from sync.hq.blobs import BlobStoreError, resolve

    for wrong in ("s3://", "ftp://host/x"):
        with pytest.raises(BlobStoreError) as caught:
            resolve(wrong, tmp_path)
        assert caught.value.zh and caught.value.en and wrong in str(caught.value)
