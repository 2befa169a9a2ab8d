"""tus 1.0 resumable uploads (core, creation, checksum, termination) as Starlette routes.

The protocol layer only: who may upload is decided by ``authenticate`` (a request →
device id, raising :class:`sync.device_auth.DeviceAuthError`), and what happens to a
finished upload by ``on_complete`` (called once the last byte is durable; it must
not block — the server hands the work to a thread). State lives in a
:class:`sync.hq.tus_store.TusStore` on disk, so an upload survives a server restart.

Behaviour (https://tus.io/protocols/resumable-upload, version 1.0.0):

- ``OPTIONS`` advertises ``Tus-Version``, ``Tus-Extension: creation,checksum,termination``,
  ``Tus-Checksum-Algorithm: sha1,sha256`` and ``Tus-Max-Size``.
- ``POST`` needs ``Upload-Length`` (deferred length is not offered) and keeps
  ``Upload-Metadata`` verbatim; answers ``201`` with ``Location``.
- ``HEAD`` gives ``Upload-Offset``, ``Upload-Length``, ``Upload-Metadata``, ``Cache-Control: no-store``.
- ``PATCH`` needs ``Content-Type: application/offset+octet-stream`` (else 415) and an
  ``Upload-Offset`` equal to the committed offset (else 409). With ``Upload-Checksum`` the
  chunk is appended only when it matches (else 460, nothing appended); an unknown
  algorithm is 400. Without a checksum, the bytes that arrived before a dropped
  connection are kept, as the core protocol asks.
- ``DELETE`` terminates: the bytes are deleted and the id answers 410 afterwards;
  an id never created answers 404.
- Every request but ``OPTIONS`` must carry ``Tus-Resumable: 1.0.0`` (else 412).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Callable

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from app import crypto
from sync.device_auth import DeviceAuthError
from sync.hq.tus_store import TusStore, UploadGone, UploadNotFound, UploadState

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,checksum,termination"
CHECKSUM_MISMATCH = 460
DEFAULT_MAX_SIZE = 64 << 30
BATCH_BYTES = 1 << 20  # bytes handed to the writing/hashing thread at a time  # 64 GiB: a shift's video fits; a runaway client does not


def _reply(status: int, text: str = "", headers: dict[str, str] | None = None) -> Response:
    base = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}
    base.update(headers or {})
    return Response(text.encode("utf-8") if text else b"", status_code=status, headers=base,
                    media_type="text/plain; charset=utf-8" if text else None)


def parse_checksum(value: str) -> tuple[str, bytes]:
    """``"sha256 <base64>"`` → (algorithm, digest); ValueError when malformed or unsupported."""
    algorithm, _, encoded = value.strip().partition(" ")
    if algorithm not in crypto.UPLOAD_CHECKSUM_ALGORITHMS:
        raise ValueError(f"unsupported checksum algorithm {algorithm!r}")
    try:
        return algorithm, base64.b64decode(encoded.strip(), validate=True)
    except binascii.Error:
        raise ValueError("checksum is not base64") from None


def parse_metadata(value: str) -> dict[str, bytes]:
    """The ``Upload-Metadata`` pairs (``key base64value``, comma-separated); ValueError if malformed."""
    pairs: dict[str, bytes] = {}
    for item in filter(None, (p.strip() for p in value.split(","))):
        key, _, encoded = item.partition(" ")
        if not key or " " in encoded.strip():
            raise ValueError(f"malformed metadata pair {item!r}")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True)
        except binascii.Error:
            raise ValueError(f"metadata value of {key!r} is not base64") from None
    return pairs


class TusEndpoint:
    """The routes under ``prefix`` (``/files`` by default)."""

    def __init__(self, store: TusStore, *, authenticate: Callable[[Request], str],
                 on_complete: Callable[[UploadState], None], prefix: str = "/files",
                 max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.store = store
        self.authenticate = authenticate
        self.on_complete = on_complete
        self.prefix = prefix.rstrip("/")
        self.max_size = max_size
        self._locks: dict[str, asyncio.Lock] = {}

    def routes(self) -> list[Route]:
        return [
            Route(self.prefix, self.collection, methods=["OPTIONS", "POST"]),
            Route(self.prefix + "/{upload_id}", self.resource, methods=["OPTIONS", "HEAD", "PATCH", "DELETE"]),
        ]

    # --- dispatch ---------------------------------------------------------------------

    async def collection(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return self._options()
        return await self._guarded(request, None)

    async def resource(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return self._options()
        return await self._guarded(request, request.path_params["upload_id"])

    def _options(self) -> Response:
        return _reply(204, headers={"Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS,
                                    "Tus-Checksum-Algorithm": ",".join(crypto.UPLOAD_CHECKSUM_ALGORITHMS),
                                    "Tus-Max-Size": str(self.max_size)})

    async def _guarded(self, request: Request, upload_id: str | None) -> Response:
        if request.headers.get("tus-resumable") != TUS_VERSION:
            return _reply(412, "需要 Tus-Resumable 1.0.0 请求头\nthe Tus-Resumable 1.0.0 header is required", {"Tus-Version": TUS_VERSION})
        try:
            device_id = self.authenticate(request)
        except DeviceAuthError as exc:
            return _reply(401, f"{exc.zh}\n{exc.en}")
        if upload_id is None:
            return self._create(request, device_id)
        try:
            state = self.store.get(upload_id)
        except UploadNotFound:
            return _reply(404, "没有该上传\nno such upload")
        except UploadGone:
            return _reply(410, "该上传已终止\nupload terminated")
        if state.device_id != device_id:
            return _reply(403, "上传属于另一台设备\nthe upload belongs to another device")
        if request.method == "HEAD":
            return self._head(state)
        lock = self._locks.setdefault(upload_id, asyncio.Lock())
        async with lock:
            if not self.store.try_lock(upload_id):  # another receiver is writing this upload
                return _reply(409, "上传正由另一接收端写入\nthe upload is being written through another receiver",
                              {"Upload-Offset": str(state.offset)})
            try:
                state = self.store.get(upload_id)  # re-read: a PATCH may have finished meanwhile
                if request.method == "DELETE":
                    self.store.terminate(state)
                    return _reply(204)
                return await self._patch(request, state)
            finally:
                self.store.unlock(upload_id)

    # --- the operations --------------------------------------------------------------------

    def _create(self, request: Request, device_id: str) -> Response:
        if "upload-defer-length" in request.headers:
            return _reply(400, "不支持延后给出长度\ndeferred length is not supported")
        try:
            length = int(request.headers["upload-length"])
            if length < 0:
                raise ValueError
        except (KeyError, ValueError):
            return _reply(400, "Upload-Length 须为非负整数\nUpload-Length must be a non-negative integer")
        if length > self.max_size:
            return _reply(413, "Upload-Length 超过 Tus-Max-Size\nUpload-Length exceeds Tus-Max-Size")
        metadata = request.headers.get("upload-metadata", "")
        try:
            parse_metadata(metadata)
        except ValueError as exc:
            return _reply(400, f"请求头格式错误：{exc}\nmalformed header: {exc}")
        state = self.store.create(length, metadata, device_id)
        if state.complete:  # an empty upload is finished when created
            self.on_complete(state)
        return _reply(201, headers={"Location": f"{self.prefix}/{state.id}", "Upload-Offset": "0"})

    def _head(self, state: UploadState) -> Response:
        headers = {"Upload-Offset": str(state.offset), "Upload-Length": str(state.length)}
        if state.metadata:
            headers["Upload-Metadata"] = state.metadata
        return _reply(200, headers=headers)

    async def _patch(self, request: Request, state: UploadState) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/offset+octet-stream":
            return _reply(415, "Content-Type 须为 application/offset+octet-stream\nContent-Type must be application/offset+octet-stream")
        try:
            offset = int(request.headers["upload-offset"])
        except (KeyError, ValueError):
            return _reply(400, "Upload-Offset 须为整数\nUpload-Offset must be an integer")
        expected = None
        if "upload-checksum" in request.headers:
            try:
                algorithm, expected = parse_checksum(request.headers["upload-checksum"])
            except ValueError as exc:
                return _reply(400, f"请求头格式错误：{exc}\nmalformed header: {exc}")
            digest = crypto.new_digest(algorithm)
        if offset != state.offset:
            return _reply(409, f"偏移量应为 {state.offset}\noffset is {state.offset}", {"Upload-Offset": str(state.offset)})
        written = 0
        loop = asyncio.get_running_loop()
        batch: list[bytes] = []
        batched = 0
        previous: asyncio.Future | None = None
        with self.store.open_for_append(state) as fh:
            # Writing and hashing run on a thread, one batch behind the network: the
            # event loop keeps receiving while the last megabyte is hashed and written
            # (hashlib and file writes release the GIL).
            def absorb(pieces: list[bytes]) -> None:
                for p in pieces:
                    fh.write(p)
                    if expected is not None:
                        digest.update(p)

            try:
                async for piece in request.stream():
                    if state.offset + written + len(piece) > state.length:
                        if previous is not None:
                            await previous
                        fh.truncate(state.offset)
                        return _reply(413, "数据块超出 Upload-Length\nthe chunk runs past Upload-Length")
                    batch.append(piece)
                    batched += len(piece)
                    written += len(piece)
                    if batched >= BATCH_BYTES:
                        if previous is not None:
                            await previous
                        previous = loop.run_in_executor(None, absorb, batch)
                        batch, batched = [], 0
            except ClientDisconnect:
                if previous is not None:
                    await previous
                absorb(batch)
                # Unverifiable bytes are dropped; plain ones are kept (tus core).
                if expected is None and written:
                    await self._commit(state, fh, state.offset + written)
                else:
                    fh.truncate(state.offset)
                return _reply(400, "连接已断开\nconnection closed")
            if previous is not None:
                await previous
            absorb(batch)
            if expected is not None and digest.digest() != expected:
                fh.truncate(state.offset)
                return _reply(CHECKSUM_MISMATCH, "校验和不符：该数据块已丢弃\nchecksum mismatch: chunk discarded")
            await self._commit(state, fh, state.offset + written)
        if state.complete:
            self.on_complete(state)
        return _reply(204, headers={"Upload-Offset": str(state.offset)})

    async def _commit(self, state: UploadState, fh, new_offset: int) -> None:  # noqa: ANN001
        """Bytes first (on a thread: a bucket's PUT takes a while), then the offset."""
        await asyncio.get_running_loop().run_in_executor(None, self.store.store_bytes, state, fh, new_offset)
        self.store.commit(state, fh, new_offset)
