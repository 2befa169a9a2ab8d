"""With ``--blobs s3://…`` the bytes of uploads in progress are objects in the bucket, one
per accepted chunk, so receivers on machines that share only the database and the bucket
(each with its own HQ folder) resume each other's uploads; tested against moto's S3 server."""

from __future__ import annotations

import base64
import hashlib
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from sync.device_auth import authorization_header
from sync.hq import blobs, keys
from sync.hq.store import HqStore

sys.path.insert(0, str(Path(__file__).parent))
from sync_loopback import HqProcess  # noqa: E402
from test_hq_receivers import (_create, _patch, _receipt, _request, _valid, s3_blobs,  # noqa: E402,F401  (fixtures)
                               shared_database)
from tests.unit.bundle_kit import Kit, kit  # noqa: E402,F401  (fixture)

pytestmark = pytest.mark.integration


def _chunks(store: HqStore, upload: str) -> dict[str, int]:
    """The chunk objects of an upload in the bucket: key → size."""
    return {item["Key"]: item["Size"] for item in store.blobs.listing(blobs.upload_key(upload.rsplit("/", 1)[1]))}


def _second_machine(kit: Kit, tmp_path: Path) -> Path:
    """Another machine's HQ folder: the keys copied over, nothing else (its own uploads/, no database file)."""
    folder = tmp_path / "hq-b"
    folder.mkdir()
    for name in (keys.SIGNING_KEY, keys.SIGNING_PUB, keys.AGE_KEY, keys.AGE_PUB):
        shutil.copy2(kit.hq_dir / name, folder / name)
    return folder


def _send_part(base: str, kit: Kit, path: str, offset: int, chunk: bytes, sent: int, *,
               checksum: bool = True) -> socket.socket:
    """A PATCH of ``chunk`` whose first ``sent`` bytes only are sent; the open socket."""
    headers = {"Host": "127.0.0.1", "Tus-Resumable": "1.0.0", "Upload-Offset": str(offset),
               "Content-Type": "application/offset+octet-stream", "Content-Length": str(len(chunk)),
               "Authorization": authorization_header(kit.device.device_id, kit.device.sign, "PATCH", path)}
    if checksum:
        headers["Upload-Checksum"] = "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()
    head = f"PATCH {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    conn = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])))
    conn.sendall(head.encode("ascii") + chunk[:sent])
    time.sleep(0.5)  # the receiver has the bytes and is waiting for the rest
    return conn


def _offset(base: str, kit: Kit, upload: str) -> int:
    status, headers, _ = _request(base, kit.device, "HEAD", upload)
    assert status == 200
    return int(headers["Upload-Offset"])


def test_an_upload_begun_on_one_machine_resumes_on_another(shared_database: str, s3_blobs: str, kit: Kit,
                                                           tmp_path: Path) -> None:
    """Receiver A (its own HQ folder) takes a third of the bundle and is killed in the middle
    of the next PATCH; receiver B, with another HQ folder, sees the committed offset and
    finishes; the bundle is stored once and its chunks are gone; A, started again, answers
    with B's receipt."""
    kit.seal_file(300_000)
    data = kit.build().path.read_bytes()
    third = len(data) // 3
    folder_b = _second_machine(kit, tmp_path)
    a, b = HqProcess(kit.hq_dir).start(), HqProcess(folder_b).start()
    try:
        upload = _create(a.url, kit.device, len(data))
        upload_id = upload.rsplit("/", 1)[1]
        assert _patch(a.url, kit.device, upload, 0, data[:third]) == 204
        assert _chunks(kit.hq, upload) == {blobs.chunk_key(upload_id, 0): third}
        conn = _send_part(a.url, kit, upload, third, data[third:2 * third], third // 2)
        a.kill()  # mid-PATCH: the half-received chunk was only in A's process
        conn.close()
        assert not list((kit.hq_dir / "uploads").iterdir())  # no bytes of the upload on A's disk
        assert _offset(b.url, kit, upload) == third
        assert _chunks(kit.hq, upload) == {blobs.chunk_key(upload_id, 0): third}
        assert _patch(b.url, kit.device, upload, third, data[third:2 * third]) == 204
        assert _patch(b.url, kit.device, upload, 2 * third, data[2 * third:]) == 204
        receipt = _valid(kit, _receipt(b.url, kit.device, upload))
        a.start()  # back again: it answers with the same receipt, from the shared database and bucket
        assert _receipt(a.url, kit.device, upload) == receipt.to_json()
    finally:
        a.stop()
        b.stop()
    assert _chunks(kit.hq, upload) == {}  # deleted after the verdict
    assert kit.hq.blobs.has(blobs.result_key(upload_id))
    assert not list((folder_b / "uploads").iterdir())
    assert kit.hq.counts(kit.device.device_id)["bundles"] == 1


def test_a_cut_patch_leaves_no_object(s3_blobs: str, kit: Kit) -> None:
    """A chunk with a checksum cut off mid-way leaves no object and the offset where it was;
    one without a checksum keeps what arrived (tus core), as one object, offset moved on."""
    data = b"x" * 300_000
    with HqProcess(kit.hq_dir) as receiver:
        upload = _create(receiver.url, kit.device, len(data))
        upload_id = upload.rsplit("/", 1)[1]
        assert _patch(receiver.url, kit.device, upload, 0, data[:100_000]) == 204
        _send_part(receiver.url, kit, upload, 100_000, data[100_000:200_000], 40_000).close()
        time.sleep(0.5)
        assert _offset(receiver.url, kit, upload) == 100_000
        assert _chunks(kit.hq, upload) == {blobs.chunk_key(upload_id, 0): 100_000}
        _send_part(receiver.url, kit, upload, 100_000, data[100_000:200_000], 40_000, checksum=False).close()
        deadline = time.monotonic() + 10
        while _offset(receiver.url, kit, upload) == 100_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _offset(receiver.url, kit, upload) == 140_000
        assert _chunks(kit.hq, upload) == {blobs.chunk_key(upload_id, 0): 100_000,
                                           blobs.chunk_key(upload_id, 100_000): 40_000}
    assert not list((kit.hq_dir / "uploads").iterdir())


def _in_process(kit: Kit, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    """A receiver in this process (Starlette's test client) and the list of ingests it ran."""
    from starlette.testclient import TestClient

    from sync.hq.server import create_app

    ingests: list[str] = []
    real = HqStore.ingest

    def counted(self: HqStore, source, *, device_id: str):  # noqa: ANN001, ANN202
        ingests.append(str(source))
        return real(self, source, device_id=device_id)

    monkeypatch.setattr(HqStore, "ingest", counted)
    return TestClient(create_app(kit.hq_dir)), ingests


def _tus(web, kit: Kit, method: str, path: str, body: bytes = b"", **headers: str):  # noqa: ANN001, ANN202
    auth = authorization_header(kit.device.device_id, kit.device.sign, method, path)
    return web.request(method, path, content=body or None, headers={
        "Tus-Resumable": "1.0.0", "Authorization": auth, "Content-Type": "application/offset+octet-stream",
        **{k.replace("_", "-"): v for k, v in headers.items()}})


def test_a_finished_upload_is_ingested_once_and_its_chunks_deleted(s3_blobs: str, kit: Kit,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Three chunks read back in order as one stream; a stale object at the committed offset
    (a receiver killed between its PUT and the offset row) is overwritten by the re-sent chunk;
    the receiver's restart and sweep do not ingest it again."""
    kit.seal_file(200_000)
    data = kit.build().path.read_bytes()
    cuts = [0, len(data) // 4, len(data) // 2, len(data)]
    web, ingests = _in_process(kit, monkeypatch)
    with web:
        receiver = web.app.state.receiver
        r = _tus(web, kit, "POST", "/files", Upload_Length=str(len(data)))
        upload = r.headers["location"]
        upload_id = upload.rsplit("/", 1)[1]
        assert _tus(web, kit, "PATCH", upload, data[:cuts[1]], Upload_Offset="0").status_code == 204
        kit.hq.blobs.write(blobs.chunk_key(upload_id, cuts[1]), b"left by a receiver killed before its row")
        for start, end in zip(cuts[1:], cuts[2:], strict=False):
            assert _tus(web, kit, "PATCH", upload, data[start:end], Upload_Offset=str(start)).status_code == 204
        _valid(kit, _receipt("", kit.device, upload, client=web))
        assert _chunks(kit.hq, upload) == {}
        receiver.resume_pending()
        receiver.adopt_orphans(older_than=0)
        time.sleep(0.3)
    assert ingests == [f"{s3_blobs}/uploads/{upload_id}/"]
    assert kit.hq.counts(kit.device.device_id)["bundles"] == 1


def test_terminating_an_upload_deletes_its_chunks(s3_blobs: str, kit: Kit, monkeypatch: pytest.MonkeyPatch) -> None:
    web, ingests = _in_process(kit, monkeypatch)
    with web:
        upload = _tus(web, kit, "POST", "/files", Upload_Length="30").headers["location"]
        assert _tus(web, kit, "PATCH", upload, b"0123456789", Upload_Offset="0").status_code == 204
        assert _tus(web, kit, "PATCH", upload, b"abcdefghij", Upload_Offset="10").status_code == 204
        assert len(_chunks(kit.hq, upload)) == 2
        assert _tus(web, kit, "DELETE", upload).status_code == 204
        assert _chunks(kit.hq, upload) == {}
        assert _tus(web, kit, "HEAD", upload).status_code == 410
        assert _tus(web, kit, "PATCH", upload, b"klmnopqrst", Upload_Offset="20").status_code == 410
    assert ingests == []


def test_missing_chunks_are_hqs_fault_not_the_bundles(s3_blobs: str, kit: Kit,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A finished upload whose chunks were taken from the bucket gets no verdict (no
    rejection sent to the device): ingest is tried again later."""
    kit.seal_note(1)
    data = kit.build().path.read_bytes()
    web, ingests = _in_process(kit, monkeypatch)
    with web:
        receiver = web.app.state.receiver
        upload = _tus(web, kit, "POST", "/files", Upload_Length=str(len(data))).headers["location"]
        upload_id = upload.rsplit("/", 1)[1]
        done = threading.Event()
        receiver.workers[0].submit(done.wait, 10)  # the ingest waits until the chunk is gone
        assert _tus(web, kit, "PATCH", upload, data, Upload_Offset="0").status_code == 204
        kit.hq.blobs.delete_tree(blobs.upload_key(upload_id))
        done.set()
        deadline = time.monotonic() + 10
        while not ingests and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        assert _tus(web, kit, "GET", f"/receipts/{upload_id}").status_code == 202  # still being checked
    assert ingests and not kit.hq.blobs.has(blobs.result_key(upload_id))


def test_an_upload_begun_before_the_bytes_went_to_the_bucket_resumes(s3_blobs: str, kit: Kit,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Its data file in the local uploads folder becomes the first chunk the first time it is asked for."""
    from sync.hq.tus_store import DbTusStore

    kit.seal_note(1)
    data = kit.build().path.read_bytes()
    half = len(data) // 2
    before = DbTusStore(kit.hq_dir / "uploads", lambda: kit.hq.db)  # how the receiver kept it without a bucket
    state = before.create(len(data), "", kit.device.device_id)
    with before.open_for_append(state) as fh:
        fh.write(data[:half])
        before.commit(state, fh, half)
    upload = f"/files/{state.id}"
    web, ingests = _in_process(kit, monkeypatch)
    with web:
        r = _tus(web, kit, "HEAD", upload)
        assert r.status_code == 200 and r.headers["upload-offset"] == str(half)
        assert _chunks(kit.hq, upload) == {blobs.chunk_key(state.id, 0): half}
        assert not before.data_path(state.id).exists()
        assert _tus(web, kit, "PATCH", upload, data[half:], Upload_Offset=str(half)).status_code == 204
        _valid(kit, _receipt("", kit.device, upload, client=web))
    assert len(ingests) == 1 and _chunks(kit.hq, upload) == {}
