"""Build the bundle of everything HQ has not yet acknowledged (docs/FORMATS.md, "Bundle").

A bundle is a BagIt bag — inspection snapshots, audit entries, seal records and the
originals they seal — signed by the device over its tag manifest, written as a tar
stream straight into the age encryptor for HQ's recipient. Nothing is held whole in
memory: originals are copied in 1 MiB pieces, and their SHA-256 comes from their
seal records rather than a second read.

Bundles are numbered per device. A bundle made but not yet acknowledged is sent
again as it is (same file, same receipt) until HQ acknowledges or rejects it.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Generator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app import chains, crypto
from app.access import Permission, acting
from app.atomic_files import fsync_dir
from app.device import DeviceIdentity
from app.crypto.filecrypt import EncryptedReader
from app.evidence.store import EvidenceStore
from app.session import Session
from app.workspace import Workspace
from local_db.crashpoints import point
from local_db.database import transaction
from local_db.sync_repository import SyncRepository
from sync import bag
from sync.errors import NothingToSend
from sync.pairing import pairing
from sync.state import WRITING_SETTING, check_acknowledged, discard_outbox_file
from sync.records_export import snapshots
from sync.tarstream import TarStream

SYNC_ACTION_PREFIX = "sync."  # audit entries about sync alone do not call for a new bundle


@dataclass(frozen=True)
class BundleInfo:
    bundle_id: str
    sequence: int
    path: Path
    size: int
    sha256: str
    seal_range: tuple[int, int] | None = None
    audit_range: tuple[int, int] | None = None
    inspections: int = 0
    evidence: int = 0
    resent: bool = False


@dataclass
class _Payload:
    path: str
    sha256: str
    size: int
    data: bytes | None = None       # generated JSON, held (small)
    source: Path | None = None      # an original, streamed from the store


@dataclass
class _Plan:
    sequence: int
    bundle_id: str
    payload: list[_Payload] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    seal_range: tuple[int, int] | None = None
    audit_range: tuple[int, int] | None = None


class _HashingSink:
    """Counts and hashes the encrypted bytes on their way to the file.

    The bytes are gathered into 1 MiB batches; each batch is hashed and written on two
    threads while the caller encrypts the next one, so SHA-256 of the ciphertext and the
    write no longer add to the encryption's time. Written data is handed to the disk in
    the background every 64 MiB, so the final ``fsync`` has little left to do.
    """

    BATCH = 1 << 20
    FLUSH_EVERY = 64 << 20

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.digest = crypto.new_sha256()
        self.size = 0
        self._batch = bytearray()
        self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix="bundle-out")
        self._pending: list[Future[Any]] = []
        self._flushing: Future[Any] | None = None
        self._flushed = 0

    def write(self, data: bytes | memoryview) -> int:
        self._batch += data
        self.size += len(data)
        if len(self._batch) >= self.BATCH:
            self._hand_over()
        return len(data)

    def _hand_over(self) -> None:
        for job in self._pending:
            job.result()  # in order: a batch is written only after the one before it
        batch, self._batch = self._batch, bytearray()
        self._pending = [self._pool.submit(self.digest.update, batch), self._pool.submit(self._write_all, batch)]
        if self.size - self._flushed >= self.FLUSH_EVERY and (self._flushing is None or self._flushing.done()):
            if self._flushing is not None:
                self._flushing.result()
            self._flushing, self._flushed = self._pool.submit(self._flush_to_disk), self.size

    def _write_all(self, batch: bytearray) -> None:
        view = memoryview(batch)
        while view:
            view = view[self.fh.write(view):]  # a raw file may take less than offered

    def _flush_to_disk(self) -> None:
        os.fdatasync(self.fh.fileno())

    def finish(self) -> None:
        """Write what is left and wait for the threads; the file then holds every byte."""
        if self._batch:
            self._hand_over()
        self.close()

    def close(self) -> None:
        """Wait for the threads (also when the build stops early) and let them go."""
        try:
            for job in [*self._pending, *([self._flushing] if self._flushing is not None else [])]:
                job.result()
        finally:
            self._pending, self._flushing = [], None
            self._pool.shutdown(wait=True)


def bundle_id_for(device_id: str, sequence: int) -> str:
    return f"{device_id}-{sequence:06d}"


def build_bundle(ws: Workspace, out: Path, *, device: DeviceIdentity,
                 session: Session) -> Generator[int, None, BundleInfo]:
    """Write the bundle to ``out``; yields encrypted bytes written, returns its :class:`BundleInfo`.

    Raises :class:`sync.errors.NothingToSend` when HQ has acknowledged everything and
    :class:`sync.errors.NotPaired` when no HQ keys are pinned. An unacknowledged
    bundle is re-sent: copied to ``out`` (if elsewhere) byte for byte. Written by the
    person ``session`` signed in, checked at once (before a step is taken): auxiliary
    staff never send the device's data (DOMAIN.md); a refusal is audited.
    """
    return _write(ws, Path(out), device, acting(ws, session, Permission.SYNC, "bundle").id)


def _write(ws: Workspace, out: Path, device: DeviceIdentity, officer_id: str) -> Generator[int, None, BundleInfo]:
    """:func:`build_bundle` for a person already checked (a sync checks once when it starts)."""
    hq = pairing(ws)
    repo = SyncRepository(ws.db)
    pending = repo.outstanding()
    if pending is not None:
        resent = yield from _resend(ws, pending, out)
        if resent is not None:
            return resent
        with transaction(ws.db):  # its file is gone: nothing was acknowledged, make a new one
            repo.set_state(pending["id"], "superseded")
            ws.audit.append(officer_id, "sync.bundle_superseded", pending["id"],
                            reason="file missing or changed before a receipt")
        discard_outbox_file(ws, pending["path"])  # a changed file is no use to anyone
    check_acknowledged(ws)  # an acknowledged record that changed would never reach HQ again
    plan = _plan(ws, repo, device)
    created = ws.clock().replace(microsecond=0)
    head, head_signature = chains.make_head(ws.db, device, created)
    fields = [
        ("Bagging-Date", created.date().isoformat()),
        ("Bag-Software-Agent", "FieldInspect"),
        ("External-Identifier", plan.bundle_id),
        ("FieldInspect-Format", bag.BUNDLE_FORMAT),
        ("FieldInspect-Bundle-Id", plan.bundle_id),
        ("FieldInspect-Bundle-Sequence", str(plan.sequence)),
        ("FieldInspect-Device-Id", device.device_id),
        ("FieldInspect-Officer-Id", officer_id),
        ("FieldInspect-Shift-Date", created.date().isoformat()),
        ("FieldInspect-Created-At", created.isoformat()),
        ("FieldInspect-Seal-Range", _range_text(plan.seal_range)),
        ("FieldInspect-Audit-Range", _range_text(plan.audit_range)),
        ("Payload-Oxum", f"{sum(p.size for p in plan.payload)}.{len(plan.payload)}"),
    ]
    tags = {
        "bagit.txt": bag.BAGIT_TXT,
        bag.BAG_INFO: bag.bag_info(fields),
        bag.MANIFEST: bag.manifest([(p.path, p.sha256) for p in plan.payload]),
        bag.DEVICE_PUB: device.public_key_pem,
        bag.CHAIN_HEAD: head,
        bag.CHAIN_HEAD_SIG: head_signature,
    }
    tagmanifest = bag.manifest([(name, crypto.sha256_hex(tags[name])) for name in bag.TAGGED])
    tags[bag.TAGMANIFEST] = tagmanifest
    tags[bag.SIGNATURE] = device.sign(tagmanifest)

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    # Named before a byte is written: a kill while writing leaves a partial file that the
    # next start (sync.recovery) knows to remove, wherever --out put it.
    ws.settings.set(WRITING_SETTING, str(partial.resolve()))
    try:
        with open(partial, "wb", buffering=0) as fh:
            sink = _HashingSink(fh)
            try:
                age = crypto.AgeWriter(sink, hq.recipient)  # type: ignore[arg-type]
                tar = TarStream(age, mtime=int(created.timestamp()))  # type: ignore[arg-type]
                for name in bag.TAG_ORDER:
                    tar.add_bytes(name, tags[name])
                yield sink.size
                for item in plan.payload:
                    if item.data is not None:
                        tar.add_bytes(item.path, item.data)
                    else:
                        assert item.source is not None
                        # Decrypted chunk by chunk on the way into the age stream: the bag holds
                        # the original's plaintext, which its sealed SHA-256 states.
                        with EncryptedReader(item.source, ws.master) as src:
                            for _ in tar.add_stream(item.path, src, item.size):
                                yield sink.size
                    yield sink.size
                tar.close()
                age.close()
                sink.finish()
            finally:
                sink.close()  # the threads are done with the file before it is closed
            os.fsync(fh.fileno())
        point("bundle.partial-fsync")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    info = BundleInfo(plan.bundle_id, plan.sequence, out, sink.size, sink.digest.hexdigest(),
                      plan.seal_range, plan.audit_range,
                      inspections=sum(1 for i in plan.items if i["kind"] == "inspection"),
                      evidence=sum(1 for i in plan.items if i["kind"] == "evidence"))
    # Recorded before it becomes visible under its name: a bundle HQ can see is always one
    # this device knows (its sequence is never given out again). A kill between the commit
    # and the rename leaves the complete partial file, which sync.recovery puts in place.
    with transaction(ws.db):
        repo.insert_bundle({
            "id": info.bundle_id, "sequence": info.sequence, "created_at": created.isoformat(),
            "officer_id": officer_id, "path": str(out.resolve()), "size": info.size, "sha256": info.sha256,
            "tagmanifest_sha256": crypto.sha256_hex(tagmanifest),
            "seal_from": plan.seal_range[0] if plan.seal_range else None,
            "seal_to": plan.seal_range[1] if plan.seal_range else None,
            "audit_from": plan.audit_range[0] if plan.audit_range else None,
            "audit_to": plan.audit_range[1] if plan.audit_range else None,
        }, plan.items)
        chains.keep_head(ws.db, head, head_signature)
        ws.audit.append(officer_id, "sync.bundle_made", info.bundle_id, sequence=info.sequence,
                        sha256=info.sha256, size=info.size, seal_range=list(plan.seal_range or []),
                        audit_range=list(plan.audit_range or []))
    os.replace(partial, out)
    point("bundle.renamed")
    fsync_dir(out.parent)
    ws.settings.set(WRITING_SETTING, "")
    return info


def _range_text(r: tuple[int, int] | None) -> str:
    return f"{r[0]}-{r[1]}" if r else "none"


def _plan(ws: Workspace, repo: SyncRepository, device: DeviceIdentity) -> _Plan:
    """What goes into the next bundle: every seal, audit entry and changed snapshot not acknowledged."""
    seal_head, audit_head = repo.acknowledged_heads()
    sequence = repo.next_sequence()
    plan = _Plan(sequence=sequence, bundle_id=bundle_id_for(device.device_id, sequence))

    acked = repo.acknowledged_snapshots()
    for inspection_id, data in snapshots(repo, device_id=device.device_id):
        sha = crypto.sha256_hex(data)
        if acked.get(inspection_id) != sha:
            plan.payload.append(_Payload(bag.inspection_path(inspection_id), sha, len(data), data=data))
            plan.items.append({"kind": "inspection", "item_key": inspection_id, "sha256": sha, "seal_seq": None})

    seal_to = repo.last_seal_seq()
    seals = list(repo.seal_rows_after(seal_head, seal_to))
    new_actions = repo.audit_actions_after(audit_head)
    if not seals and not plan.payload and all(a.startswith(SYNC_ACTION_PREFIX) for a in new_actions):
        raise NothingToSend()

    audit_to = repo.last_audit_seq()
    lines = [crypto.canonical_json({
        "seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action, "target": e.target,
        "detail": e.detail, "prev_hash": e.prev_hash, "hash": e.hash, "signature": e.signature}) + b"\n"
        for e in repo.audit_entries_between(audit_head, audit_to)]
    if lines:
        data = b"".join(lines)
        plan.payload.append(_Payload(bag.AUDIT_FILE, crypto.sha256_hex(data), len(data), data=data))
        plan.audit_range = (audit_head + 1, audit_to)

    store = EvidenceStore(ws.folder, ws.master)
    originals: list[_Payload] = []
    for row in seals:
        record = row["record"].encode("utf-8")
        signature = base64.b64decode(row["signature"])
        plan.payload.append(_Payload(bag.seal_path(row["seq"]), crypto.sha256_hex(record), len(record),
                                     data=record))
        plan.payload.append(_Payload(bag.seal_signature_path(row["seq"]), crypto.sha256_hex(signature),
                                     len(signature), data=signature))
        # The SHA-256 of an original is the one it was sealed with: no re-hash here.
        originals.append(_Payload(bag.evidence_path(row["sha256"]), row["sha256"], row["size"],
                                  source=store.path_for(row["sha256"])))
        plan.items.append({"kind": "evidence", "item_key": row["sha256"], "sha256": row["sha256"],
                           "seal_seq": row["seq"]})
    plan.payload += originals  # small files first: a reader has every seal before the originals
    if seals:
        plan.seal_range = (seals[0]["seq"], seals[-1]["seq"])
    return plan


def _resend(ws: Workspace, pending: dict, out: Path) -> Generator[int, None, BundleInfo | None]:
    """Copy the unacknowledged bundle to ``out``; None when its file is missing or changed."""
    src = Path(pending["path"])
    info = BundleInfo(
        pending["id"], pending["sequence"], out, pending["size"], pending["sha256"],
        (pending["seal_from"], pending["seal_to"]) if pending["seal_from"] is not None else None,
        (pending["audit_from"], pending["audit_to"]) if pending["audit_from"] is not None else None,
        resent=True)
    try:
        if src.stat().st_size != pending["size"]:
            return None
    except OSError:
        return None
    if out.exists() and out.resolve() == src.resolve():
        # Sent from where it lies: read it once to be sure the bytes are still the bundle's
        # (a damaged file would otherwise cost a whole upload and a rejection).
        with open(src, "rb", buffering=0) as fh:
            sha, _ = yield from crypto.copy_hashing(fh, None)
        return info if sha == pending["sha256"] else None
    partial = out.with_name(out.name + ".partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    ws.settings.set(WRITING_SETTING, str(partial.resolve()))  # removed by sync.recovery after a kill
    try:
        with open(src, "rb", buffering=0) as fh_in, open(partial, "wb") as fh_out:
            sha, _ = yield from crypto.copy_hashing(fh_in, fh_out)
            fh_out.flush()
            os.fsync(fh_out.fileno())
        point("bundle.resend-fsync")
        if sha != pending["sha256"]:
            partial.unlink()
            return None
        os.replace(partial, out)
        point("bundle.resend-renamed")
        fsync_dir(out.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    ws.settings.set(WRITING_SETTING, "")
    return info


def run(steps: Generator[int, None, BundleInfo]) -> BundleInfo:
    """Drive a :func:`build_bundle` generator to its end (for callers without progress)."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
