"""The reference HQ receiver's storage: ``hq.sqlite`` and a folder (docs/FORMATS.md, "HQ folder").

Layout of an HQ folder: the keys (``sync.hq.keys``), ``hq.sqlite`` (enrolled
devices, stored bundles with their receipts, each device's seal and audit chains
as received, inspection snapshots, published reference data), ``evidence/<2
hex>/<sha256>`` (originals, content-addressed, each stored once), ``bags/<device
id>/<sequence>/`` (the rest of each accepted bag: tag files, seal records, audit entries,
snapshots) and ``incoming/`` (bundles being checked; emptied whatever happens).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app import crypto
from app.clock import system_clock
from app.device import DevicePublicKey
from app.reference import ReferenceDataError, parse
from sync.hq import keys
from sync.receipt import SignedReceipt

DB_FILE = "hq.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS devices (
    device_id      TEXT PRIMARY KEY,      -- first 32 hex of SHA-256 of the raw public key
    public_key_pem TEXT NOT NULL,
    enrolled_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bundles (
    bundle_id          TEXT PRIMARY KEY,
    device_id          TEXT NOT NULL REFERENCES devices(device_id),
    sequence           INTEGER NOT NULL,
    tagmanifest_sha256 TEXT NOT NULL,     -- identifies the bag, whatever its encryption
    bundle_sha256      TEXT NOT NULL,     -- of the encrypted file first received
    size               INTEGER NOT NULL,
    received_at        TEXT NOT NULL,
    receipt_body       BLOB NOT NULL,     -- canonical JSON, as signed
    receipt_signature  BLOB NOT NULL,     -- raw Ed25519
    UNIQUE (device_id, sequence)
);
CREATE TABLE IF NOT EXISTS seals (
    device_id   TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    record_hash TEXT NOT NULL,            -- SHA-256 of the record bytes (the next record's prev)
    bundle_id   TEXT NOT NULL REFERENCES bundles(bundle_id),
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE IF NOT EXISTS audit (
    device_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    action    TEXT NOT NULL,
    bundle_id TEXT NOT NULL REFERENCES bundles(bundle_id),
    PRIMARY KEY (device_id, seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
    device_id     TEXT NOT NULL,
    inspection_id TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    bundle_id     TEXT NOT NULL REFERENCES bundles(bundle_id),
    PRIMARY KEY (device_id, inspection_id, sha256)
);
CREATE TABLE IF NOT EXISTS evidence (
    sha256 TEXT PRIMARY KEY,
    size   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS device_heads (   -- the last chain head HQ accepted from each device
    device_id  TEXT PRIMARY KEY REFERENCES devices(device_id),
    body       BLOB NOT NULL,             -- fieldinspect.chain-head/1, as the device signed it
    signature  BLOB NOT NULL,             -- raw Ed25519 by the device key
    audit_seq  INTEGER NOT NULL,
    audit_hash TEXT NOT NULL,
    seal_seq   INTEGER NOT NULL,
    seal_hash  TEXT NOT NULL,
    at         TEXT NOT NULL,             -- the head's own time (device clock)
    bundle_id  TEXT NOT NULL REFERENCES bundles(bundle_id)
);
CREATE TABLE IF NOT EXISTS revocations (    -- a lost or stolen device: nothing signed after revoked_from
    device_id    TEXT PRIMARY KEY REFERENCES devices(device_id),
    revoked_from TEXT NOT NULL,           -- ISO 8601 with offset
    reason       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reference_data (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    published_at TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,           -- the fieldinspect.reference/1 JSON, as signed
    signature    BLOB NOT NULL            -- raw Ed25519 by the HQ signing key
);
"""


class HqStore:
    """One HQ folder. Use one instance per thread; ingest serialises itself across them."""

    def __init__(self, folder: Path, *, clock: Callable[[], datetime] = system_clock) -> None:
        self.folder = Path(folder)
        self.clock = clock
        if not (self.folder / keys.SIGNING_KEY).exists() or not (self.folder / keys.AGE_KEY).exists():
            raise FileNotFoundError(f"{self.folder}: not an HQ folder (run fieldinspect-hq keygen --dir)")
        self.conn = sqlite3.connect(self.folder / DB_FILE, isolation_level=None, timeout=30)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    # --- devices --------------------------------------------------------------------

    def enroll(self, public_key_pem: bytes) -> str:
        """Enroll a device by its public key (PEM, or the JSON of ``DeviceIdentity.export``); idempotent."""
        if public_key_pem.lstrip().startswith(b"{"):
            public_key_pem = json.loads(public_key_pem)["public_key_pem"].encode("ascii")
        device = DevicePublicKey.from_pem(public_key_pem)
        self.conn.execute("INSERT OR IGNORE INTO devices VALUES (?, ?, ?)",
                          (device.device_id, device.public_pem.decode("ascii"), self.clock().isoformat()))
        return device.device_id

    def is_enrolled(self, device_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM devices WHERE device_id = ?", (device_id,)).fetchone() is not None

    def device_public_key(self, device_id: str) -> DevicePublicKey | None:
        row = self.conn.execute("SELECT public_key_pem FROM devices WHERE device_id = ?", (device_id,)).fetchone()
        return DevicePublicKey.from_pem(row[0].encode("ascii")) if row else None

    def revoke(self, device_id: str, revoked_from: datetime, reason: str) -> None:
        """Refuse from now on every bundle of ``device_id`` signed after ``revoked_from``.

        What HQ accepted before stays valid. A replacement device is enrolled with a
        new key (a new device id); a revoked key is never enrolled again.
        """
        if revoked_from.tzinfo is None:
            raise ValueError("the revocation time needs a UTC offset")
        if not self.is_enrolled(device_id):
            raise KeyError(device_id)
        self.conn.execute("INSERT OR REPLACE INTO revocations VALUES (?, ?, ?, ?)",
                          (device_id, revoked_from.isoformat(), reason, self.clock().isoformat()))

    def revocation(self, device_id: str) -> tuple[datetime, str] | None:
        """(from when, why) when ``device_id`` is revoked."""
        row = self.conn.execute("SELECT revoked_from, reason FROM revocations WHERE device_id = ?",
                                (device_id,)).fetchone()
        return (datetime.fromisoformat(row[0]), row[1]) if row else None

    def last_head(self, device_id: str) -> dict[str, object] | None:
        """The fields of the last chain head HQ accepted from ``device_id``."""
        row = self.conn.execute("SELECT audit_seq, audit_hash, seal_seq, seal_hash, at, bundle_id "
                                "FROM device_heads WHERE device_id = ?", (device_id,)).fetchone()
        if row is None:
            return None
        return dict(zip(("audit_seq", "audit_hash", "seal_seq", "seal_hash", "at", "bundle_id"), row, strict=True))

    # --- bundles ----------------------------------------------------------------------

    def ingest(self, bundle_path: Path, *, device_id: str) -> SignedReceipt:
        """Decrypt, check and store a bundle; the same bag again gives the same receipt bytes.

        Raises :class:`sync.errors.BundleRejected`, having stored nothing, when any
        check fails (see ``sync.hq.ingest``).
        """
        from sync.hq.ingest import ingest

        return ingest(self, Path(bundle_path), device_id=device_id)

    def receipt(self, bundle_id: str) -> SignedReceipt | None:
        row = self.conn.execute("SELECT receipt_body, receipt_signature FROM bundles WHERE bundle_id = ?",
                                (bundle_id,)).fetchone()
        return SignedReceipt(bytes(row[0]), bytes(row[1])) if row else None

    def chain_head(self, device_id: str) -> dict[str, object]:
        """The highest seal and audit seq held for ``device_id``, with their hashes."""
        seal = self.conn.execute("SELECT seq, record_hash FROM seals WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                                 (device_id,)).fetchone()
        audit = self.conn.execute("SELECT seq, hash FROM audit WHERE device_id = ? ORDER BY seq DESC LIMIT 1",
                                  (device_id,)).fetchone()
        return {"seal_seq": seal[0] if seal else 0, "seal_hash": seal[1] if seal else None,
                "audit_seq": audit[0] if audit else 0, "audit_hash": audit[1] if audit else None}

    def counts(self, device_id: str) -> dict[str, int]:
        """How many seals, audit entries, snapshots and bundles HQ holds of a device."""
        return {table: self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE device_id = ?",
                                         (device_id,)).fetchone()[0]
                for table in ("seals", "audit", "snapshots", "bundles")}

    def evidence_path(self, sha256: str) -> Path:
        return self.folder / "evidence" / sha256[:2] / sha256

    # --- reference data -------------------------------------------------------------------

    def sign_refusal(self, bundle_path: Path, *, device_id: str, code: str, zh: str, en: str) -> SignedReceipt:
        """HQ's signed refusal of the bundle file at ``bundle_path`` (named by its SHA-256)."""
        from sync.receipt import REFUSAL_FORMAT

        try:
            sha = crypto.sha256_file(bundle_path)[0]
        except OSError:
            sha = ""
        body = crypto.canonical_json({"format": REFUSAL_FORMAT, "device_id": device_id, "bundle_sha256": sha,
                                      "code": code, "zh": zh, "en": en, "at": self.clock().isoformat()})
        return SignedReceipt(body, crypto.sign(keys.signing_key(self.folder), body))

    def publish(self, data: bytes) -> str:
        """Check ``data`` as ``fieldinspect.reference/1``, sign it with the HQ key, keep it; its SHA-256."""
        try:
            parse(json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, ValueError) as exc:
            if isinstance(exc, ReferenceDataError):
                raise
            raise ReferenceDataError("$", f"不是 JSON：{exc}", f"not JSON: {exc}") from None
        signature = crypto.sign(keys.signing_key(self.folder), data)
        sha = crypto.sha256_hex(data)
        self.conn.execute("INSERT INTO reference_data (published_at, sha256, data, signature) VALUES (?, ?, ?, ?)",
                          (self.clock().isoformat(), sha, data, signature))
        return sha

    def latest_reference(self) -> tuple[bytes, bytes] | None:
        row = self.conn.execute("SELECT data, signature FROM reference_data ORDER BY id DESC LIMIT 1").fetchone()
        return (bytes(row[0]), bytes(row[1])) if row else None
