"""The tus 1.0 upload client: one file to HQ, resumable across every kind of failure.

:func:`upload_file` is a generator yielding :class:`UploadProgress` after each
chunk HQ confirmed and returning the upload URL once HQ holds every byte.

- The row in ``sync_uploads`` (migration 0010) is written before anything is sent,
  the upload URL as soon as HQ created it, and the confirmed offset after every
  chunk — so a killed application resumes from where HQ stands, not from zero.
- Before sending, the client asks HQ for the offset (``HEAD``) and sends from there:
  after a cut connection or a server restart at most the one chunk in flight is sent
  again. An upload HQ no longer knows (404/410) is created anew.
- Each ``PATCH`` carries one chunk with ``Upload-Checksum: sha256``, so a chunk damaged
  on the way is refused by HQ (460) and sent again. HQ can only verify a whole chunk,
  so a cut loses the part of the chunk in flight; chunk sizes follow the link
  (:class:`ChunkSizer`): small after a cut, growing on clean sends up to ``chunk_size``
  (8 MiB by default), never more than about a second's worth at the recent rate.
- Failures back off exponentially (``Backoff``) up to a cap. The retries are bounded
  twice: after ``max_failures`` failures in a row, or once failing has gone on for
  ``Backoff.give_up_after`` seconds, :class:`HqUnreachable` is raised (HQ cannot be
  reached) or :class:`UploadInterrupted` (HQ answers, but keeps failing), leaving
  everything in place for the next attempt.

Memory stays flat: two reused chunk buffers (the one being sent, the next one being
read and hashed on a thread) and nothing else per chunk (:mod:`sync.tus_http`).
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import crypto
from app.device import DeviceIdentity
from local_db.errors import UserFacingError
from local_db.upload_repository import UploadRepository
from sync.tus_http import Response, TransportError, TusSession

DEFAULT_CHUNK_SIZE = 8 << 20  # the largest chunk; see ChunkSizer for the ones sent
START_CHUNK = 1 << 20
MIN_CHUNK = 256 << 10


class UploadInterrupted(UserFacingError):
    """HQ could not be reached or kept failing; the upload resumes next time."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"上传中断，下次同步时将从断点继续：{reason}",
                         f"The upload was interrupted and will resume from where it stopped: {reason}")
        self.reason = reason


class UploadRefused(UserFacingError):
    """HQ refused the device or the request itself; retrying will not help."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(f"总部拒绝了上传请求（HTTP {status}）：{text}",
                         f"HQ refused the upload request (HTTP {status}): {text}")
        self.status = status


class HqUnreachable(UploadInterrupted):
    """HQ's receiver could not be reached in any of the retries; nothing was lost."""

    def __init__(self, reason: str, attempts: int, seconds: float) -> None:
        UserFacingError.__init__(
            self,
            f"无法连接总部接收端：已尝试 {attempts} 次、历时 {seconds:.0f} 秒仍未连通（{reason}）。"
            "本机数据未作任何改动，待上传的数据包保留，网络恢复后再次同步即从断点继续。",
            f"HQ's receiver could not be reached: {attempts} attempts over {seconds:.0f} s failed ({reason}). "
            "Nothing on the device was changed; the bundle waits and the next sync resumes where this stopped.")
        self.reason, self.attempts, self.seconds = reason, attempts, seconds


@dataclass(frozen=True)
class Backoff:
    """Delays between retries: ``first``, doubling, never above ``cap`` (seconds); and
    ``give_up_after``: how long failing in a row may last before the step gives up."""

    first: float = 0.5
    cap: float = 30.0
    give_up_after: float = 300.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * (2 ** max(0, failures - 1)))

    def exhausted(self, failures: int, max_failures: int, failing_since: float) -> bool:
        """True when no retry is left: ``max_failures`` reached, or the next wait would end past the deadline."""
        return failures >= max_failures or \
            time.monotonic() - failing_since + self.delay(failures) > self.give_up_after


def give_up(reason: str, failures: int, failing_since: float, *, unreachable: bool) -> UploadInterrupted:
    """The error that ends a step whose retries are spent."""
    if unreachable:
        return HqUnreachable(reason, failures, time.monotonic() - failing_since)
    return UploadInterrupted(reason)


@dataclass(frozen=True)
class UploadProgress:
    """Where an upload stands, for a progress bar: bytes, rate and time left."""

    done: int
    total: int
    rate: float  # bytes per second over this session's sending
    seconds_left: float | None
    resent: int  # bytes sent more than once in this session (after cuts and refusals)
    retrying: str | None = None  # the error being retried, when the last step failed


def _metadata(pairs: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode('utf-8')).decode('ascii')}" for k, v in pairs.items())


def _checksum(chunk: bytes | memoryview) -> str:
    digest = crypto.new_digest("sha256")
    digest.update(chunk)
    return "sha256 " + base64.b64encode(digest.digest()).decode("ascii")


class ChunkSizer:
    """How many bytes the next PATCH carries.

    A cut costs the part of the chunk that was in flight, so on a link that cuts
    every D bytes on average about ``chunk / (2 D)`` of the upload is sent twice,
    while on a clean link large chunks save a round trip each. So:

    - the first chunk is ``START_CHUNK``; a run of clean sends lets the chunk grow to
      a quarter of the bytes sent so far (doubling at most), up to ``largest``;
    - after a cut the chunk drops to ``MIN_CHUNK`` and, from then on, grows to at most
      a twelfth (``AFTER_CUT``) of the clean run between cuts (the longer of the
      current run and the average of the earlier ones), so the expected loss per cut
      is about a twenty-fourth of the distance between cuts;
    - never more than ``seconds`` worth at the rate of the last clean send (rounded
      down to a power of two), so a chunk on a slow link takes about that long.
    """

    AFTER_CUT = 12  # once the link has cut, a chunk is at most a clean run divided by this

    def __init__(self, largest: int, seconds: float = 1.0) -> None:
        self.largest = max(1, largest)
        self.floor = min(MIN_CHUNK, self.largest)
        self.seconds = seconds
        self.size = min(START_CHUNK, self.largest)
        self.run = 0                     # bytes confirmed since the last cut (or the start)
        self.between: float | None = None  # average clean run between cuts
        self.rate: float | None = None   # bytes per second of the last clean send

    def _grown(self, run: int, size: int, rate: float | None) -> int:
        if self.between is None:
            limit = max(START_CHUNK, run / 4)
        else:
            limit = max(self.floor, self.between / self.AFTER_CUT, run / self.AFTER_CUT)
        if rate is not None:
            worth = rate * self.seconds
            limit = min(limit, 1 << max(0, int(worth).bit_length() - 1))
        return int(max(self.floor, min(self.largest, 2 * size, limit)))

    def after(self, sent: int) -> int:
        """The size the chunk after one of ``sent`` bytes will have if that one goes through."""
        return self._grown(self.run + sent, sent, self.rate)

    def confirmed(self, sent: int, seconds: float) -> None:
        self.run += sent
        if seconds > 0 and sent >= self.floor:
            self.rate = sent / seconds
        self.size = self._grown(self.run, sent, self.rate)

    def cut(self) -> None:
        self.between = self.run if self.between is None else (self.between + self.run) / 2
        self.run = 0
        self.size = self.floor


class _Chunks:
    """The file's chunks in two reused buffers of the largest chunk; the next one is read
    and hashed on a thread while the current one is being sent (hashlib and preadv
    release the GIL), so the client's SHA-256 costs no wall time. The one read ahead has
    the length the chunk after a clean send will have; if the sizer then asks for
    another length (after a cut, or the rate changed), it is read again."""

    def __init__(self, fd: int, size: int, largest: int) -> None:
        self.fd, self.size = fd, size
        self.buffers = [bytearray(largest), bytearray(largest)]
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-read")
        self.current: tuple[int, int, int, str] | None = None  # offset, buffer, length, checksum
        self.ahead: Future | None = None

    def _fill(self, index: int, offset: int, length: int) -> tuple[int, int, int, str]:
        view = memoryview(self.buffers[index])[:min(length, self.size - offset)]
        n = os.preadv(self.fd, [view], offset)
        if n != len(view):
            raise OSError(f"the file shrank while being sent (read {n} of {len(view)} bytes at {offset})")
        return offset, index, n, _checksum(view)

    def at(self, offset: int, length: int, next_length: int) -> tuple[memoryview, str]:
        """``length`` bytes from ``offset`` (fewer at the end) and their checksum; starts
        reading the ``next_length`` bytes after them."""
        want = min(length, self.size - offset)
        if self.ahead is not None:  # never two readers, never a reader on a buffer being sent
            ready, self.ahead = self.ahead.result(), None
            if ready[0] == offset:
                self.current = ready
        if self.current is None or self.current[0] != offset or self.current[2] != want:
            self.current = self._fill(0 if self.current is None else self.current[1], offset, want)
        start, index, n, checksum = self.current
        if start + n < self.size:
            self.ahead = self.pool.submit(self._fill, 1 - index, start + n, next_length)
        return memoryview(self.buffers[index])[:n], checksum

    def close(self) -> None:
        if self.ahead is not None:
            self.ahead.cancel()
        self.pool.shutdown(wait=True)


def upload_file(repo: UploadRepository, path: Path, *, key: str, server: str, device: DeviceIdentity,
                metadata: dict[str, str] | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
                backoff: Backoff = Backoff(), max_failures: int = 8, timeout: float = 60.0,
                now: Callable[[], datetime] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> Generator[UploadProgress, None, str]:
    """Send ``path`` to the tus endpoint ``server``/files as upload ``key``; see the module docstring."""
    clock = now or (lambda: datetime.now().astimezone())
    path = Path(path)
    size = path.stat().st_size
    row = repo.start(key, server, str(path), size, clock())
    session = TusSession(server, device, timeout)
    started = time.monotonic()
    sent = 0          # bytes put on the wire in PATCH bodies this session
    first_offset: int | None = None
    failures, failing_since, answered = 0, 0.0, False
    url = row.upload_url
    fd = os.open(path, os.O_RDONLY)
    chunks = _Chunks(fd, size, chunk_size)
    sizer = ChunkSizer(chunk_size)
    try:
        offset = None
        while True:
            try:
                if url is None:
                    r = session.request("POST", session.url("files"), headers={
                        "Upload-Length": str(size), "Upload-Metadata": _metadata(metadata or {"filename": path.name})})
                    _refuse_unless(r, 201)
                    url = session.url(r.headers["location"])
                    repo.set_url(key, server, url, clock())
                    offset = 0
                if offset is None:  # resuming: HQ says where it stands
                    r = session.request("HEAD", url)
                    if r.status_code in (404, 410):
                        url = None
                        repo.set_url(key, server, None, clock())
                        continue
                    _refuse_unless(r, 200)
                    offset = int(r.headers["upload-offset"])
                    repo.set_offset(key, server, offset, clock())
                if first_offset is None:
                    first_offset = offset
                if offset >= size:
                    repo.set_state(key, server, "sent", clock())
                    return url
                chunk, checksum = chunks.at(offset, sizer.size, sizer.after(min(sizer.size, size - offset)))
                sent += len(chunk)
                patch_started = time.monotonic()
                try:
                    r = session.request("PATCH", url, body=chunk, headers={
                        "Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset),
                        "Upload-Checksum": checksum})
                except TransportError:
                    sizer.cut()
                    raise
                if r.status_code in (409, 460):  # someone else's idea of the offset, or damaged on the way
                    answered = True
                    raise _Retry(f"HTTP {r.status_code}")
                if r.status_code in (404, 410):
                    url, offset = None, None
                    repo.set_url(key, server, None, clock())
                    continue
                _refuse_unless(r, 204)
                sizer.confirmed(len(chunk), time.monotonic() - patch_started)
                offset = int(r.headers["upload-offset"])
                repo.set_offset(key, server, offset, clock())
                failures = 0
                yield _progress(offset, size, first_offset, sent, started)
            except (TransportError, _Retry) as exc:
                failures += 1
                if failures == 1:
                    failing_since, answered = time.monotonic(), False
                answered = answered or isinstance(exc, _Retry)
                reason = str(exc) or type(exc).__name__
                repo.failed(key, server, reason, clock())
                if backoff.exhausted(failures, max_failures, failing_since):
                    raise give_up(reason, failures, failing_since, unreachable=not answered) from None
                offset = None  # ask HQ again before sending anything
                yield _progress(repo.get(key, server).offset, size, first_offset or 0, sent, started, reason)
                sleep(backoff.delay(failures))
    finally:
        chunks.close()
        os.close(fd)
        session.close()


def terminate(server: str, upload_url: str, device: DeviceIdentity, *, timeout: float = 30.0) -> bool:
    """Ask HQ to delete an upload's bytes (tus termination); True when it did.

    Used once HQ's receipt is applied: HQ has stored the bundle's contents, and its
    copy of the transfer would only double the disk a shift of video takes. Best
    effort: a failure leaves the bytes on HQ and changes nothing here.
    """
    session = TusSession(server, device, timeout)
    try:
        return session.request("DELETE", upload_url).status_code in (204, 404, 410)
    except TransportError:
        return False
    finally:
        session.close()


class _Retry(Exception):
    """A response after which the client asks HQ for the offset and carries on."""


def _refuse_unless(r: Response, expected: int) -> None:
    if r.status_code == expected:
        return
    if r.status_code >= 500 or r.status_code in (408, 429):
        raise _Retry(f"HTTP {r.status_code}")
    raise UploadRefused(r.status_code, r.text.strip()[:300])


def _progress(offset: int, size: int, first_offset: int, sent: int, started: float,
              retrying: str | None = None) -> UploadProgress:
    elapsed = max(time.monotonic() - started, 1e-6)
    rate = sent / elapsed
    resent = max(0, sent - (offset - first_offset))
    left = (size - offset) / rate if rate > 0 else None
    return UploadProgress(offset, size, rate, left, resent, retrying)
