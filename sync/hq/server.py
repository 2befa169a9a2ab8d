"""The reference HQ receiver as an ASGI app: tus uploads in, signed receipts out.

Routes (every one but ``OPTIONS`` and the benchmark-only ``/plain`` needs the device
``Authorization`` header of :mod:`sync.device_auth`, checked against the keys
enrolled in :class:`sync.hq.store.HqStore`):

- ``/files`` and ``/files/{id}`` — tus 1.0 (:mod:`sync.hq.tus`).
- ``GET /receipts/{id}`` — the outcome of a finished upload: ``200`` with the
  receipt as :meth:`sync.receipt.SignedReceipt.to_json` writes it; ``422`` with
  ``{"code", "zh", "en"}`` when HQ rejected the bundle; ``202`` while it is still
  being checked; ``409`` while bytes are missing.
- ``GET /reference`` — the latest published reference data,
  ``{"data": base64, "signature": base64}``, or ``404`` when none is published.
- ``PUT /plain/{name}`` — only with ``plain_put=True`` (``serve --plain-put``): the body
  streamed to ``<hq>/plain/name``, the baseline of ``benchmarks/upload.py``.

A finished upload is handed to an ingest thread (``--ingest-workers``; a device's
bundles always to the same one) that calls ``HqStore.ingest`` and writes the outcome
to ``<hq>/upload-results/{id}.json``. The uploads' state is in HQ's database
(``uploads``), their bytes and the results in the HQ folder — or, with ``--blobs
s3://…``, in the bucket (:class:`sync.hq.tus_store.S3TusStore`: one object per chunk,
deleted once the verdict is kept) — so after a restart every finished upload that has
no outcome yet is ingested again (ingest is idempotent), and nothing is lost. Nothing
else lives in the process: several receivers that share one PostgreSQL database and
one HQ folder, or one database and one bucket, serve the same devices, any of them
resuming an upload another began (docs/ARCHITECTURE.md, "HQ").
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import re
import sys
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from sync import device_auth
from sync.hq.blobs import result_key
from sync.hq.tus import TusEndpoint
from sync.hq.tus_store import DbTusStore, S3TusStore, UploadGone, UploadNotFound, UploadState

log = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"
SWEEP_SECONDS = 30.0   # how often a receiver looks for finished uploads left without a verdict
ORPHAN_SECONDS = 60.0  # how long a finished upload waits for its own receiver before another adopts it
RESULTS_DIR = "upload-results"
PLAIN_DIR = "plain"
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _verifier(store: Any, device_id: str):  # noqa: ANN202
    """``verify(signature, message)`` with the key HQ enrolled for ``device_id``."""
    from app.device import DevicePublicKey

    key = store.device_public_key(device_id)
    if isinstance(key, bytes | str):
        key = DevicePublicKey.from_pem(key.encode("ascii") if isinstance(key, str) else key)
    return key.verify


class Receiver:
    """The app's state: the HQ folder, its store, the uploads and their outcomes."""

    def __init__(self, hq_dir: Path, *, plain_put: bool = False, database: str | None = None,
                 ingest_workers: int = 1, blobs: str | None = None) -> None:
        self.hq_dir = Path(hq_dir)
        self.database = database
        self.blob_spec = blobs
        self._stores = threading.local()  # one HqStore (one SQLite connection) per thread
        self._verifiers: dict[str, Any] = {}  # device id → verify(signature, message)
        self.blobs = self.store_for_thread().blobs  # refuse to start on a folder that is not an HQ folder
        if self.blobs.shared_across_machines:  # a bucket: the bytes of uploads in progress go there too
            self.uploads = S3TusStore(self.hq_dir / UPLOADS_DIR, self._database, self.blobs)
        else:
            self.uploads = DbTusStore(self.hq_dir / UPLOADS_DIR, self._database)
        self.uploads.import_state_files()  # uploads an earlier version kept in JSON files
        self.plain_put = plain_put
        # One thread per worker, each device always on the same one: bundles of one
        # device are checked in the order they arrived, which chain continuity needs.
        # More than one pays with PostgreSQL (ingest holds only the device's row);
        # SQLite's write lock lets one ingest run at a time whatever the count.
        self.workers = [ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"hq-ingest-{n}")
                        for n in range(max(1, ingest_workers))]
        self._queued: set[str] = set()  # uploads handed to a worker here and not finished
        self._queued_lock = threading.Lock()
        self.stopping = threading.Event()
        self.tus = TusEndpoint(self.uploads, authenticate=self.authenticate, on_complete=self.submit)

    def _database(self) -> Any:
        return self.store_for_thread().db

    def store_for_thread(self) -> Any:
        from sync.hq.store import HqStore

        store = getattr(self._stores, "store", None)
        if store is None:
            store = self._stores.store = HqStore(self.hq_dir, database=self.database, blobs=self.blob_spec)
        return store

    # --- authentication ----------------------------------------------------------------

    def authenticate(self, request: Request) -> str:
        creds = device_auth.parse_authorization(request.headers.get("authorization"))
        verify = self._verifiers.get(creds.device_id)
        if verify is None:  # an enrolled key never changes: look it up once
            store = self.store_for_thread()
            if not store.is_enrolled(creds.device_id):
                raise device_auth.DeviceAuthError("设备未在总部登记", "the device is not enrolled at HQ")
            verify = self._verifiers[creds.device_id] = _verifier(store, creds.device_id)
        device_auth.check(creds, request.method, request.url.path, verify)
        return creds.device_id

    # --- ingest ----------------------------------------------------------------------------

    def _has_result(self, upload_id: str) -> bool:
        return self.blobs.has(result_key(upload_id))

    def submit(self, state: UploadState) -> None:
        """Queue a finished upload for ingest (returns at once)."""
        with self._queued_lock:
            if state.id in self._queued:
                return
            self._queued.add(state.id)
        worker = self.workers[int(state.device_id[:8] or "0", 16) % len(self.workers)]
        worker.submit(self._ingest, state)

    def shutdown(self) -> None:
        self.stopping.set()
        for worker in self.workers:
            worker.shutdown(wait=False, cancel_futures=True)

    def adopt_orphans(self, *, older_than: float = ORPHAN_SECONDS) -> None:
        """Ingest finished uploads that no receiver gave a verdict: received by a
        receiver that died before its ingest ended (another may be ingesting a
        younger one: ingest is idempotent, and the device's row lock makes it wait)."""
        import time

        for state in self.uploads.completed():
            if self._has_result(state.id):
                continue
            written = self.uploads.last_written(state)
            if written is not None and time.time() - written >= older_than:
                self.submit(state)

    def _sweep(self) -> None:
        while not self.stopping.wait(SWEEP_SECONDS):
            try:
                self.adopt_orphans()
            except Exception:  # a database or disk fault: try again at the next sweep
                log.exception("sweep for orphaned uploads failed")

    def resume_pending(self) -> None:
        """After a restart: ingest every finished upload that has no outcome yet."""
        for state in self.uploads.completed():
            if not self._has_result(state.id):
                self.submit(state)

    def _ingest(self, state: UploadState) -> None:
        try:
            self._ingest_once(state)
        finally:
            with self._queued_lock:
                self._queued.discard(state.id)

    def _ingest_once(self, state: UploadState) -> None:
        from sync.errors import BundleRejected

        if self._has_result(state.id):  # another receiver got there first
            return
        try:
            receipt = self.store_for_thread().ingest(self.uploads.bundle_source(state), device_id=state.device_id)
            outcome = {"state": "accepted", "receipt": receipt.to_json().decode("utf-8")}
        except BundleRejected as exc:
            outcome = {"state": "rejected", "code": exc.code, "zh": exc.reason_zh, "en": exc.reason_en}
        except Exception:  # a fault of HQ, not of the bundle: no verdict; retried by the next sweep or start
            log.exception("ingest of upload %s failed", state.id)
            return
        self.blobs.write(result_key(state.id), json.dumps(outcome).encode("utf-8"))
        try:
            self.uploads.discard(state)  # the verdict is kept: a bucket's chunks are not needed any more
        except Exception:  # left behind, not lost: terminate or a lifecycle rule removes them
            log.exception("deleting the bytes of upload %s failed", state.id)

    # --- routes ----------------------------------------------------------------------------

    async def receipt(self, request: Request) -> Response:
        try:
            device_id = self.authenticate(request)
        except device_auth.DeviceAuthError as exc:
            return JSONResponse({"zh": exc.zh, "en": exc.en}, status_code=401)
        upload_id = request.path_params["upload_id"]
        try:
            state = self.uploads.get(upload_id)
        except UploadNotFound:
            return JSONResponse({"en": "no such upload"}, status_code=404)
        except UploadGone:
            return JSONResponse({"en": "upload terminated"}, status_code=410)
        if state.device_id != device_id:
            return JSONResponse({"en": "the upload belongs to another device"}, status_code=403)
        found = self.blobs.read(result_key(upload_id))
        if found is not None:
            outcome = json.loads(found.decode("utf-8"))
            if outcome.pop("state") == "accepted":  # the receipt's own JSON form, byte for byte
                return Response(outcome["receipt"].encode("utf-8"), media_type="application/json")
            return JSONResponse(outcome, status_code=422)
        if not state.complete:
            return JSONResponse({"en": f"{state.length - state.offset} bytes missing"}, status_code=409)
        return JSONResponse({"en": "being checked"}, status_code=202, headers={"Retry-After": "1"})

    async def reference(self, request: Request) -> Response:
        try:
            self.authenticate(request)
        except device_auth.DeviceAuthError as exc:
            return JSONResponse({"zh": exc.zh, "en": exc.en}, status_code=401)
        latest = self.store_for_thread().latest_reference()
        if latest is None:
            return JSONResponse({"en": "no reference data published"}, status_code=404)
        data, signature = latest
        return JSONResponse({"data": _b64(data), "signature": _b64(signature)})

    async def plain(self, request: Request) -> Response:
        """Benchmark baseline: stream the body to a file, nothing else (no auth, no checks)."""
        name = request.path_params["name"]
        if not self.plain_put or not _PLAIN_NAME.match(name):
            return Response(status_code=404)
        folder = self.hq_dir / PLAIN_DIR
        folder.mkdir(exist_ok=True)
        size = 0
        with open(folder / name, "wb") as fh:
            async for piece in request.stream():
                fh.write(piece)
                size += len(piece)
        return Response(f"{size}\n", status_code=201)

    def routes(self) -> list[Route]:
        return [*self.tus.routes(),
                Route("/receipts/{upload_id}", self.receipt, methods=["GET"]),
                Route("/reference", self.reference, methods=["GET"]),
                Route("/plain/{name}", self.plain, methods=["PUT"])]


def create_app(hq_dir: Path, *, plain_put: bool = False, database: str | None = None,
               ingest_workers: int = 1, blobs: str | None = None) -> Starlette:
    """The receiver for the HQ folder ``hq_dir`` (made by ``fieldinspect-hq keygen``) and
    its database (``sync.hq.db.resolve``: SQLite in the folder unless told otherwise)."""
    receiver = Receiver(hq_dir, plain_put=plain_put, database=database, ingest_workers=ingest_workers,
                        blobs=blobs)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        receiver.resume_pending()
        threading.Thread(target=receiver._sweep, daemon=True, name="hq-sweep").start()
        yield
        receiver.shutdown()

    app = Starlette(routes=receiver.routes(), lifespan=lifespan)
    app.state.receiver = receiver
    return app


def serve(hq_dir: Path, *, host: str = "127.0.0.1", port: int = 8470, plain_put: bool = False,
          database: str | None = None, ingest_workers: int = 1, blobs: str | None = None) -> None:
    """Run the receiver with uvicorn until interrupted (loopback unless told otherwise)."""
    import uvicorn

    from sync.hq import profiling

    with profiling.from_environment():  # a no-op unless FIELDINSPECT_HQ_PROFILE is set
        uvicorn.run(create_app(hq_dir, plain_put=plain_put, database=database, ingest_workers=ingest_workers,
                               blobs=blobs),
                    host=host, port=port,
                    log_level="warning",
                    timeout_keep_alive=30)


def add_database_option(p) -> None:  # noqa: ANN001 - argparse.ArgumentParser
    p.add_argument("--database", default=None, metavar="URL",
                   help="总部数据库：postgresql://… 或 SQLite 文件；默认环境变量 FIELDINSPECT_HQ_DATABASE，"
                        "否则总部目录中的 hq.sqlite / HQ's database: postgresql://… or an SQLite file "
                        "(default: $FIELDINSPECT_HQ_DATABASE, else hq.sqlite in the HQ folder)")


def add_blobs_option(p) -> None:  # noqa: ANN001 - argparse.ArgumentParser
    p.add_argument("--blobs", default=None, metavar="WHERE",
                   help="证据原件、数据包和结果的存放处：文件夹或 s3://桶/前缀；默认环境变量 FIELDINSPECT_HQ_BLOBS，"
                        "否则总部目录 / where originals, bags and results go: a folder or s3://bucket/prefix "
                        "(default: $FIELDINSPECT_HQ_BLOBS, else the HQ folder)")
    p.add_argument("--s3-endpoint-url", default=None, metavar="URL",
                   help="S3 兼容服务的地址，默认取 AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL；凭据只取自 AWS 标准环境变量"
                        "或配置文件 / the S3-compatible endpoint (default: $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL); "
                        "credentials come only from the standard AWS variables or files")


def use_s3_endpoint(args) -> None:  # noqa: ANN001
    """``--s3-endpoint-url`` as boto3's own variable, so every store this process opens uses it."""
    if getattr(args, "s3_endpoint_url", None):
        os.environ["AWS_ENDPOINT_URL_S3"] = args.s3_endpoint_url


def add_serve_parser(sub) -> None:  # noqa: ANN001 - argparse's private subparsers type
    """The ``fieldinspect-hq serve`` subcommand's options."""
    p = sub.add_parser("serve", help="运行接收服务（tus 上传、回执、基础数据）/ run the receiver")
    p.add_argument("--dir", type=Path, required=True, help="总部目录 / HQ folder")
    p.add_argument("--host", default="127.0.0.1", help="监听地址，默认仅本机 / listen address (default: loopback)")
    p.add_argument("--port", type=int, default=8470, help="端口 / port (default 8470)")
    add_database_option(p)
    add_blobs_option(p)
    p.add_argument("--ingest-workers", type=int, default=1, metavar="N",
                   help="并行检查的数据包数（同一设备依次处理）/ bundles checked at once (one device's in order; "
                        "more than 1 pays with PostgreSQL)")
    p.add_argument("--plain-put", action="store_true",
                   help="开启仅供基准测试的 PUT /plain/NAME / enable the benchmark-only plain PUT endpoint")


def run_serve(args) -> int:  # noqa: ANN001
    from sync.hq.blobs import BlobStoreError

    from sync.hq import keys

    use_s3_endpoint(args)
    try:
        keys.unlock(args.dir)  # before listening: without its keys HQ can give no receipt
    except OSError as exc:
        print(f"无法读取总部密钥（先运行 fieldinspect-hq keygen）/ cannot read HQ's keys (run fieldinspect-hq "
              f"keygen first): {exc.filename}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"总部接收端 / HQ receiver: http://{args.host}:{args.port}/files  ({args.dir})", flush=True)
    try:
        serve(args.dir, host=args.host, port=args.port, plain_put=args.plain_put, database=args.database,
              ingest_workers=args.ingest_workers, blobs=args.blobs)
    except BlobStoreError as exc:
        print(exc.zh, file=sys.stderr)
        print(exc.en, file=sys.stderr)
        return 2
    return 0
