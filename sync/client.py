"""The end-of-shift sync: bundle, upload, receipt, reference data — one call.

:func:`sync_to_hq` is a generator yielding :class:`SyncProgress` and returning a
:class:`SyncOutcome`. It

1. takes the bundle made earlier and not yet acknowledged (re-sent byte for byte:
   an upload interrupted yesterday resumes where it stopped), or builds a new one
   of everything HQ has not acknowledged (:func:`sync.bundle.build_bundle`);
2. uploads it over tus (:func:`sync.upload.upload_file`);
3. fetches HQ's outcome: a signed receipt, verified and applied with
   :func:`sync.state.apply_receipt` (only this marks records synced; then the upload
   is terminated so HQ does not keep the transfer beside what it stored), or HQ's
   rejection with its reason, recorded with :func:`sync.state.record_rejection`;
4. repeats once more when records were made while it ran, then pulls the latest
   signed reference data and applies it (:func:`sync.reference_pull.apply_reference`).

It runs on its own database connection (open a separate :class:`Workspace` for
it): work on the device never waits for sync.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.access import Permission, acting
from app.device import DeviceIdentity
from app.session import Session
from app.workspace import Workspace
from local_db.upload_repository import UploadRepository
from sync import upload
from sync.errors import NothingToSend
from sync.state import OUTBOX
from sync.tus_http import TransportError, TusSession

MAX_BUNDLES_PER_SYNC = 3
AUTO_SYNC_SETTING = "sync.auto_when_reachable"
SERVER_SETTING = "sync.server_url"


@dataclass(frozen=True)
class SyncProgress:
    """One step of a sync, for the Sync page and the command line."""

    phase: str  # building | uploading | checking | reference
    bundle_id: str | None = None
    done: int = 0
    total: int | None = None
    rate: float | None = None
    seconds_left: float | None = None
    retrying: str | None = None
    resent: int = 0  # bytes sent more than once in this run (after cuts)


@dataclass
class SyncOutcome:
    acknowledged: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str, str, str]] = field(default_factory=list)  # bundle, code, zh, en
    reference_loaded: bool = False
    nothing_to_send: bool = False


class ReceiptTimeout(upload.UploadInterrupted):
    pass


def _outbox_path(ws: Workspace) -> Path:
    folder = Path(ws.folder) / OUTBOX
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"bundle-{ws.clock().strftime('%Y%m%dT%H%M%S')}.age"


def _build(ws: Workspace, device: DeviceIdentity, officer_id: str) -> Generator[SyncProgress, None, object]:
    from local_db.sync_repository import SyncRepository
    from sync.bundle import _write

    pending = SyncRepository(ws.db).outstanding()
    out = Path(pending["path"]) if pending else _outbox_path(ws)
    steps = _write(ws, out, device, officer_id)
    while True:
        try:
            written = next(steps)
        except StopIteration as stop:
            return stop.value
        yield SyncProgress("building", pending["id"] if pending else None, written)


def fetch_outcome(server: str, upload_url: str, device: DeviceIdentity, **options: Any) -> tuple[int, Any]:
    """Wait for HQ's verdict on a finished upload: ``(200, receipt JSON bytes)`` or ``(422, rejection dict)``."""
    steps = outcome_steps(server, upload_url, device, **options)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def outcome_steps(server: str, upload_url: str, device: DeviceIdentity, *, timeout: float = 900.0,
                  poll: float = 0.5, backoff: upload.Backoff = upload.Backoff(), max_failures: int = 8,
                  sleep: Callable[[float], None] = time.sleep) -> Generator[None, None, tuple[int, Any]]:
    """:func:`fetch_outcome` as a generator that yields after every poll, so that a
    person's Cancel (or the application quitting) is heard while HQ is still checking.

    HQ unreachable in ``max_failures`` tries in a row (or for ``backoff.give_up_after``
    seconds) ends the wait with :class:`sync.upload.HqUnreachable`."""
    url = server.rstrip("/") + "/receipts/" + urlsplit(upload_url).path.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    failures, failing_since = 0, 0.0
    last = "checking"
    session = TusSession(server, device, 30.0)
    try:
        while time.monotonic() < deadline:
            try:
                r = session.request("GET", url)
            except TransportError as exc:
                failures += 1
                if failures == 1:
                    failing_since = time.monotonic()
                last = str(exc) or type(exc).__name__
                if backoff.exhausted(failures, max_failures, failing_since):
                    raise upload.give_up(last, failures, failing_since, unreachable=True) from None
                sleep(backoff.delay(failures))
                yield
                continue
            failures = 0
            if r.status_code == 200:
                return 200, r.content
            if r.status_code == 422:
                return 422, json.loads(r.content)
            if r.status_code not in (202, 409) and r.status_code < 500:
                raise upload.UploadRefused(r.status_code, r.text.strip()[:300])
            last = f"HTTP {r.status_code}"
            sleep(poll)
            yield
    finally:
        session.close()
    raise ReceiptTimeout(f"总部未在规定时间内给出回执 / no receipt in time ({last})")


def pull_reference(ws: Workspace, server: str, device: DeviceIdentity) -> bool:
    """Fetch HQ's latest signed reference data and load it (verified first); True when new data was loaded.

    False when HQ has published none or the device already holds it. A bad signature or
    document raises (``sync.errors.ReferenceRejected``) and changes nothing.
    """
    from sync.reference_pull import apply_reference

    session = TusSession(server, device, 60.0)
    try:
        r = session.request("GET", session.url("reference"))
    except TransportError as exc:
        raise upload.UploadInterrupted(str(exc)) from None
    finally:
        session.close()
    if r.status_code == 404:
        return False
    if r.status_code != 200:
        raise upload.UploadRefused(r.status_code, r.text.strip()[:300])
    body = json.loads(r.content)
    return apply_reference(ws, base64.b64decode(body["data"]), base64.b64decode(body["signature"])) is not None


def sync_to_hq(ws: Workspace, server: str, *, device: DeviceIdentity, session: Session,
               chunk_size: int = upload.DEFAULT_CHUNK_SIZE, backoff: upload.Backoff = upload.Backoff(),
               max_failures: int = 8, receipt_timeout: float = 900.0,
               reference: bool = True) -> Generator[SyncProgress, None, SyncOutcome]:
    """The end-of-shift sync to the HQ receiver at ``server``; see the module docstring.

    Done by the person ``session`` signed in, checked at once, before a step is taken
    (auxiliary staff never send the device's data, DOMAIN.md; a refusal is audited).
    The check holds for the whole run: a sync started by a signed-in person finishes,
    receipts and all, even when the screen locks while gigabytes are uploaded.
    """
    return _sync(ws, server, device, acting(ws, session, Permission.SYNC, "sync").id, chunk_size=chunk_size,
                 backoff=backoff, max_failures=max_failures, receipt_timeout=receipt_timeout, reference=reference)


def _sync(ws: Workspace, server: str, device: DeviceIdentity, officer_id: str, *, chunk_size: int,
          backoff: upload.Backoff, max_failures: int, receipt_timeout: float,
          reference: bool) -> Generator[SyncProgress, None, SyncOutcome]:
    from sync.receipt import SignedReceipt
    from sync.state import _acknowledge, _reject

    outcome = SyncOutcome()
    uploads = UploadRepository(ws.db)
    for _ in range(MAX_BUNDLES_PER_SYNC):
        try:
            info = yield from _build(ws, device, officer_id)
        except NothingToSend:
            outcome.nothing_to_send = not outcome.acknowledged and not outcome.rejected
            break
        steps = upload.upload_file(uploads, info.path, key=info.bundle_id, server=server, device=device,
                                   metadata={"filename": info.path.name, "bundle_id": info.bundle_id,
                                             "sha256": info.sha256},
                                   chunk_size=chunk_size, backoff=backoff, max_failures=max_failures)
        while True:
            try:
                p = next(steps)
            except StopIteration as stop:
                upload_url = stop.value
                break
            yield SyncProgress("uploading", info.bundle_id, p.done, p.total, p.rate, p.seconds_left, p.retrying,
                               p.resent)
        yield SyncProgress("checking", info.bundle_id, info.size, info.size)
        waiting = outcome_steps(server, upload_url, device, timeout=receipt_timeout, backoff=backoff,
                                max_failures=max_failures)
        while True:
            try:
                next(waiting)
            except StopIteration as stop:
                status, body = stop.value
                break
            yield SyncProgress("checking", info.bundle_id, info.size, info.size)
        now = ws.clock()
        if status == 200:
            _acknowledge(ws, SignedReceipt.from_json(body), officer_id)
            uploads.set_state(info.bundle_id, server, "acknowledged", now)
            outcome.acknowledged.append(info.bundle_id)
            # HQ stored the contents; its transfer copy can go. A rejected upload stays
            # on HQ for the administrator to look at.
            upload.terminate(server, upload_url, device)
        else:
            _reject(ws, info.bundle_id, body["code"], body["zh"], body["en"], officer_id)
            uploads.set_state(info.bundle_id, server, "rejected", now)
            outcome.rejected.append((info.bundle_id, body["code"], body["zh"], body["en"]))
            break  # a rejected bundle needs a person; do not pile new ones on it
    if reference:
        yield SyncProgress("reference")
        outcome.reference_loaded = pull_reference(ws, server, device)
    return outcome


def run(steps: Generator[SyncProgress, None, SyncOutcome],
        on_progress: Callable[[SyncProgress], None] | None = None) -> SyncOutcome:
    """Drive :func:`sync_to_hq` to its end (the command line)."""
    while True:
        try:
            p = next(steps)
        except StopIteration as stop:
            return stop.value
        if on_progress:
            on_progress(p)
