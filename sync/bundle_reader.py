"""Open and check a bundle: decrypt streaming, unpack the bag, verify it (docs/FORMATS.md, "Bundle").

The same checks serve HQ's ingest (``sync.hq.ingest``) and ``fieldinspect verify
BUNDLE``. Every failure raises :class:`sync.errors.BundleRejected` with a stable
code; the caller removes the unpack folder, so nothing of a refused bundle remains.

What is checked, in order: the age header and every payload chunk; tar members
are plain files with bag paths; the tag manifest is signed by the device key; the
tag files and every payload file match their manifests (hashed while being
written, never read twice); each seal record is signed, well-formed, of this
device, linked to its predecessor, and its original has the sealed SHA-256 and
size; audit entries hash, link and carry the device's signature; the chain head
is signed by the device and names the last seal and audit entry of the bag; the
ranges in ``bag-info.txt`` match.
"""

from __future__ import annotations

import json
import re
import os
import tarfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app import crypto
from app.audit import SIGNING_BEGAN, entry_hash, signature_of, signing_message
from app.chains import parse_head
from app.device import DevicePublicKey
from app.domain import AuditEntry
from app.evidence.seal import SEAL_FIELDS, SEAL_FORMAT, record_bytes, record_hash
from sync import bag
from sync.errors import BundleRejected
from local_db.crashpoints import point

_PATH = re.compile(
    r"^(bagit\.txt|bag-info\.txt|manifest-sha256\.txt|tagmanifest-sha256\.txt(\.sig)?|device\.pub\.pem"
    r"|chain-head\.json(\.sig)?"
    r"|data/evidence/[0-9a-f]{64}|data/seals/[0-9]{8}\.(json|sig)|data/audit/audit\.jsonl"
    r"|data/records/inspections/[^/\\\x00]{1,200}\.json)$")
_READ = 1 << 20


class _HashingReader:
    """Hashes the ciphertext as the decryptor reads it, for the receipt's bundle SHA-256.

    The file is read and hashed a block ahead on a thread (file reads and hashlib
    release the GIL), so reading the bundle from disk and hashing it overlap the
    decryption, the unpacking and the writing; one block waits at a time, so memory
    stays flat."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.digest = crypto.new_sha256()
        self.size = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bundle-read")
        self._ahead: Future | None = self._pool.submit(self._block)
        self._buf = memoryview(b"")

    def _block(self) -> bytes:
        data = self.fh.read(_READ)
        self.digest.update(data)
        self.size += len(data)
        return data

    def read(self, n: int = -1) -> bytes:
        pieces = []
        while n != 0:
            if not self._buf:
                if self._ahead is None:
                    break
                data = self._ahead.result()
                if not data:
                    self._ahead = None
                    break
                self._ahead = self._pool.submit(self._block)
                self._buf = memoryview(data)
            take = len(self._buf) if n < 0 else min(n, len(self._buf))
            pieces.append(self._buf[:take])
            self._buf = self._buf[take:]
            if n > 0:
                n -= take
        return pieces[0].tobytes() if len(pieces) == 1 else b"".join(pieces)

    def close(self) -> None:
        """Stop reading ahead; the digest and size are final once ``read`` returned b"" (end of file)."""
        if self._ahead is not None:
            self._ahead.cancel()
        self._pool.shutdown(wait=True)


@dataclass
class SealEntry:
    seq: int
    sha256: str
    size: int
    prev: str
    digest: str           # SHA-256 of the record bytes: the next record's prev
    record: bytes
    signature: bytes


@dataclass
class AuditLine:
    seq: int
    prev_hash: str
    hash: str
    action: str


@dataclass
class CheckedBundle:
    """A bag that passed every check that needs no knowledge of earlier bundles."""

    folder: Path
    info: dict[str, str]
    bundle_id: str
    sequence: int
    device_id: str
    ciphertext_sha256: str
    ciphertext_size: int
    tagmanifest_sha256: str
    seals: list[SealEntry] = field(default_factory=list)
    audit: list[AuditLine] = field(default_factory=list)
    inspections: dict[str, str] = field(default_factory=dict)   # id → sha256
    files: dict[str, str] = field(default_factory=dict)          # bag path → sha256 (as read)
    head: dict[str, Any] = field(default_factory=dict)           # the signed chain head's fields
    head_body: bytes = b""
    head_signature: bytes = b""

    @property
    def seal_range(self) -> tuple[int, int] | None:
        return (self.seals[0].seq, self.seals[-1].seq) if self.seals else None

    @property
    def audit_range(self) -> tuple[int, int] | None:
        return (self.audit[0].seq, self.audit[-1].seq) if self.audit else None


def unpack(bundle: Path, identity_text: str, dest: Path) -> tuple[dict[str, str], str, int]:
    """Decrypt ``bundle`` into the empty folder ``dest``; return (path → sha256, ciphertext sha256, size).

    ``bundle`` is a file, or anything whose ``open("rb")`` gives a stream read front to
    back (an upload's chunks in a bucket, ``sync.hq.tus_store.UploadChunks``)."""
    with bundle.open("rb") as raw:
        src = _HashingReader(raw)
        try:
            files = _unpack(src, identity_text, dest)
            while src.read(_READ):
                pass
        finally:
            src.close()
    return files, src.digest.hexdigest(), src.size


def _unpack(src: _HashingReader, identity_text: str, dest: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    try:
        reader = crypto.AgeReader(src, identity_text)  # type: ignore[arg-type]
    except crypto.AgeError as exc:
        raise BundleRejected.of("not-age", str(exc)) from None
    try:
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            for member in tar:
                # Plain files only: a sparse member would make HQ write zeros it never received.
                # A plain member's bytes all come out of the decrypted stream, so HQ never
                # writes more than the bundle brought.
                if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE) or member.sparse is not None \
                        or not _PATH.match(member.name) or member.name in files:
                    raise BundleRejected.of("not-a-bag", f"unexpected tar member {member.name!r}")
                target = dest / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                body = tar.extractfile(member)
                assert body is not None
                with open(target, "wb") as out:
                    files[member.name], _ = crypto.sha256_file_copy(body, out)
                    os.fsync(out.fileno())  # on disk before HQ signs a receipt for it
                point("bundle.unpacked-fsync")
        while reader.read(_READ):  # authenticate the final chunk even past the tar's end
            pass
    except crypto.AgeError as exc:
        raise BundleRejected.of("ciphertext-altered", str(exc)) from None
    except tarfile.TarError as exc:
        raise BundleRejected.of("not-a-bag", f"tar: {exc}") from None
    return files


def check(folder: Path, files: dict[str, str], *, device_key: DevicePublicKey,
          ciphertext: tuple[str, int]) -> CheckedBundle:
    """Run every self-contained check on an unpacked bag (see the module docstring)."""
    for name in ("bagit.txt", bag.BAG_INFO, bag.MANIFEST, bag.TAGMANIFEST):
        if name not in files:
            raise BundleRejected.of("not-a-bag", f"{name} missing")
    if bag.SIGNATURE not in files:
        raise BundleRejected.of("unsigned", bag.SIGNATURE)
    tagmanifest = (folder / bag.TAGMANIFEST).read_bytes()
    signature = (folder / bag.SIGNATURE).read_bytes()
    try:
        info = bag.parse_bag_info((folder / bag.BAG_INFO).read_bytes())
        tagged = bag.parse_manifest(tagmanifest)
        manifest = bag.parse_manifest((folder / bag.MANIFEST).read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise BundleRejected.of("not-a-bag", str(exc)) from None
    claimed = info.get("FieldInspect-Device-Id", "")
    if claimed != device_key.device_id:
        raise BundleRejected.of("foreign-device", f"bag of {claimed or '?'}, expected {device_key.device_id}")
    if not device_key.verify(signature, tagmanifest):
        raise BundleRejected.of("bad-signature", "tagmanifest-sha256.txt")
    for name, sha in tagged.items():
        if files.get(name) != sha:
            raise BundleRejected.of("manifest-mismatch", name)
    if bag.CHAIN_HEAD not in tagged or bag.CHAIN_HEAD_SIG not in tagged:
        raise BundleRejected.of("bad-chain-head", "chain-head.json missing")
    if set(bag.TAGGED) - set(tagged):
        raise BundleRejected.of("not-a-bag", "tag manifest incomplete")
    payload = {name: sha for name, sha in files.items() if name.startswith("data/")}
    if payload != manifest:
        names = sorted(set(payload) ^ set(manifest)) or sorted(n for n in payload if payload[n] != manifest.get(n))
        raise BundleRejected.of("manifest-mismatch", ", ".join(names[:3]))
    size = sum((folder / n).stat().st_size for n in payload)
    if info.get("Payload-Oxum") != f"{size}.{len(payload)}":
        raise BundleRejected.of("manifest-mismatch", "Payload-Oxum")
    try:
        sequence = int(info["FieldInspect-Bundle-Sequence"])
        bundle_id = info["FieldInspect-Bundle-Id"]
    except (KeyError, ValueError):
        raise BundleRejected.of("not-a-bag", "bundle id or sequence missing") from None
    # The id names the bag at HQ and keys its rows: it must be exactly the device's own
    # "<device id>-<sequence>", never a path or another device's id.
    if sequence < 1 or bundle_id != f"{claimed}-{sequence:06d}":
        raise BundleRejected.of("not-a-bag", f"bundle id {bundle_id!r} is not {claimed}-{sequence:06d}")
    result = CheckedBundle(folder, info, bundle_id, sequence, claimed, ciphertext[0], ciphertext[1],
                           crypto.sha256_hex(tagmanifest), files=files)
    result.seals = _seals(folder, payload, device_key)
    result.audit = _audit(folder, payload, device_key)
    result.head_body = (folder / bag.CHAIN_HEAD).read_bytes()
    result.head_signature = (folder / bag.CHAIN_HEAD_SIG).read_bytes()
    head = parse_head(result.head_body, result.head_signature, device_key)
    if head is None:
        raise BundleRejected.of("bad-chain-head", "malformed or not signed by the device key")
    for chain, last in (("seal", result.seals[-1] if result.seals else None),
                        ("audit", result.audit[-1] if result.audit else None)):
        if last is not None and (head[f"{chain}_seq"], head[f"{chain}_hash"]) != (
                last.seq, last.digest if isinstance(last, SealEntry) else last.hash):
            raise BundleRejected.of("bad-chain-head", f"the head's {chain} seq {head[f'{chain}_seq']} is not "
                                                      f"the bag's last, {last.seq}")
    result.head = head
    result.inspections = {n.rsplit("/", 1)[1][:-5]: sha for n, sha in payload.items()
                          if n.startswith("data/records/inspections/")}
    if info.get("FieldInspect-Seal-Range") != _range_text(result.seal_range) \
            or info.get("FieldInspect-Audit-Range") != _range_text(result.audit_range):
        raise BundleRejected.of("not-a-bag", "bag-info ranges differ from the content")
    return result


def _range_text(r: tuple[int, int] | None) -> str:
    return f"{r[0]}-{r[1]}" if r else "none"


def _seals(folder: Path, payload: dict[str, str], key: DevicePublicKey) -> list[SealEntry]:
    seals: list[SealEntry] = []
    numbers = sorted(int(n[11:19]) for n in payload if n.startswith("data/seals/") and n.endswith(".json"))
    sealed: set[str] = set()
    for seq in numbers:
        data = (folder / bag.seal_path(seq)).read_bytes()
        sig_path = folder / bag.seal_signature_path(seq)
        signature = sig_path.read_bytes() if sig_path.exists() else b""
        record = _record(data)
        if record is None or record["seq"] != seq or record["device_id"] != key.device_id:
            raise BundleRejected.of("bad-seal", f"seq {seq}: malformed or not of this device")
        if not key.verify(signature, data):
            raise BundleRejected.of("bad-seal", f"seq {seq}: signature invalid")
        if seals and (seq != seals[-1].seq + 1 or record["prev"] != seals[-1].digest):
            raise BundleRejected.of("bad-seal", f"seq {seq}: not linked to seq {seals[-1].seq}")
        sha = record["sha256"]
        if payload.get(bag.evidence_path(sha)) != sha or \
                (folder / bag.evidence_path(sha)).stat().st_size != record["size"]:
            raise BundleRejected.of("evidence-mismatch", f"seq {seq}: {sha[:16]}…")
        sealed.add(sha)
        seals.append(SealEntry(seq, sha, record["size"], record["prev"], record_hash(data), data, signature))
    for name in payload:
        if name.startswith("data/evidence/") and name[14:] not in sealed:
            raise BundleRejected.of("evidence-mismatch", f"{name[14:30]}… has no seal record in the bag")
    if any(n.endswith(".sig") and n.replace(".sig", ".json") not in payload for n in payload
           if n.startswith("data/seals/")):
        raise BundleRejected.of("bad-seal", "a signature without its record")
    return seals


def _record(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    ok = (isinstance(value, dict) and set(value) == set(SEAL_FIELDS) and value["format"] == SEAL_FORMAT
          and isinstance(value["seq"], int) and isinstance(value["sha256"], str)
          and isinstance(value["size"], int) and record_bytes(value) == data)
    return value if ok else None


def _audit(folder: Path, payload: dict[str, str], key: DevicePublicKey) -> list[AuditLine]:
    """The bag's audit entries, each hashed, linked and signed by the device.

    Only entries written before the device began signing may be unsigned, and
    only when the bag also holds the signed ``audit.signing_began`` entry that covers them.
    """
    if bag.AUDIT_FILE not in payload:
        return []
    lines: list[AuditLine] = []
    unsigned: list[int] = []
    covered = 0
    from datetime import datetime

    with open(folder / bag.AUDIT_FILE, "rb") as fh:
        for raw in fh:
            try:
                v = json.loads(raw)
                entry = AuditEntry(seq=v["seq"], at=datetime.fromisoformat(v["at"]), actor=v["actor"],
                                   action=v["action"], target=v["target"], detail=v["detail"],
                                   prev_hash=v["prev_hash"], hash=v["hash"], signature=v.get("signature", ""))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise BundleRejected.of("audit-fork", "an audit line is malformed") from None
            if entry_hash(entry) != entry.hash:
                raise BundleRejected.of("audit-fork", f"audit seq {entry.seq}: altered")
            if lines and (entry.seq != lines[-1].seq + 1 or entry.prev_hash != lines[-1].hash):
                raise BundleRejected.of("audit-fork", f"audit seq {entry.seq}: not linked")
            if not entry.signature:
                unsigned.append(entry.seq)
            elif not key.verify(signature_of(entry), signing_message(entry.hash)):
                raise BundleRejected.of("bad-audit", f"audit seq {entry.seq}: not signed by the device key")
            elif entry.action == SIGNING_BEGAN and isinstance(entry.detail.get("covers"), int):
                covered = max(covered, entry.detail["covers"])
            lines.append(AuditLine(entry.seq, entry.prev_hash, entry.hash, entry.action))
    if any(seq > covered for seq in unsigned):
        raise BundleRejected.of("bad-audit", f"audit seq {next(s for s in unsigned if s > covered)}: unsigned")
    return lines


@dataclass
class BundleReport:
    """The outcome of ``fieldinspect verify BUNDLE``."""

    path: Path
    checked: CheckedBundle | None = None
    rejection: BundleRejected | None = None

    @property
    def ok(self) -> bool:
        return self.checked is not None


def verify_bundle(path: Path, identity_text: str, *, public_key: Path | None = None) -> BundleReport:
    """Decrypt and check a bundle in a temporary folder, removed afterwards.

    ``public_key`` pins the device key enrolled at HQ; without it the key carried in
    the bag is used, which proves integrity but not that the key is the enrolled one.
    """
    import shutil
    import tempfile

    report = BundleReport(Path(path))
    folder = Path(tempfile.mkdtemp(prefix="fieldinspect-verify-"))
    try:
        files, sha, size = unpack(Path(path), identity_text, folder)
        pem = Path(public_key).read_bytes() if public_key else (folder / bag.DEVICE_PUB).read_bytes()
        report.checked = check(folder, files, device_key=DevicePublicKey.from_pem(pem), ciphertext=(sha, size))
    except BundleRejected as exc:
        report.rejection = exc
    except (OSError, crypto.KeyFormatError) as exc:
        report.rejection = BundleRejected.of("not-a-bag", f"device key: {exc}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return report
