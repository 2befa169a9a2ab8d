"""The reference HQ receiver's storage: a database (``sync.hq.db``) and a folder (docs/FORMATS.md, "HQ folder").

Layout of an HQ folder: the keys (``sync.hq.keys``), ``hq.sqlite`` unless PostgreSQL holds the tables (enrolled
devices, stored bundles with their receipts, each device's seal and audit chains
as received, inspection snapshots, published reference data), ``evidence/<2
hex>/<sha256>`` (originals, content-addressed, each stored once), ``bags/<device
id>/<sequence>/`` (the rest of each accepted bag: tag files, seal records, audit entries,
snapshots) and ``incoming/`` (bundles being checked; emptied whatever happens).
With ``blobs="s3://bucket/prefix"`` the originals and bags are objects in that bucket
under the same keys (``sync.hq.blobs``) and the folder holds only the keys and
``incoming/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app import crypto
from app.clock import system_clock
from app.device import DevicePublicKey
from app.reference import ReferenceDataError, parse
from sync.hq import blobs as blob_stores
from sync.hq import db, keys
from sync.receipt import SignedReceipt

DB_FILE = db.SQLITE_FILE


class HqStore:
    """One HQ folder and its database. Use one instance per thread; ingest serialises
    itself per device in the database, across threads and receiver processes.

    ``database`` is a PostgreSQL URL or an SQLite path (``sync.hq.db.resolve``: by
    default ``FIELDINSPECT_HQ_DATABASE``, else ``<folder>/hq.sqlite``); ``blobs`` where
    the files go (``sync.hq.blobs.resolve``: by default ``FIELDINSPECT_HQ_BLOBS``, else the folder).
    """

    def __init__(self, folder: Path, *, clock: Callable[[], datetime] = system_clock,
                 database: str | None = None, blobs: str | None = None) -> None:
        self.folder = Path(folder)
        self.clock = clock
        if not (self.folder / keys.SIGNING_KEY).exists() or not (self.folder / keys.AGE_KEY).exists():
            raise FileNotFoundError(f"{self.folder}: not an HQ folder (run fieldinspect-hq keygen --dir)")
        self.blobs = blob_stores.resolve(blobs, self.folder)
        self.database = db.resolve(database, self.folder)
        self.db = db.Database(self.database)
        self.conn = self.db  # execute()/executemany() with ? placeholders, in either dialect

    def close(self) -> None:
        self.db.close()

    # --- devices --------------------------------------------------------------------

    def enroll(self, public_key_pem: bytes) -> str:
        """Enroll a device by its public key (PEM, or the JSON of ``DeviceIdentity.export``); idempotent."""
        if public_key_pem.lstrip().startswith(b"{"):
            public_key_pem = json.loads(public_key_pem)["public_key_pem"].encode("ascii")
        device = DevicePublicKey.from_pem(public_key_pem)
        self.conn.execute("INSERT INTO devices VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
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
        self.conn.execute("INSERT INTO revocations VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET "
                          "revoked_from = excluded.revoked_from, reason = excluded.reason, "
                          "recorded_at = excluded.recorded_at",
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

        return ingest(self, Path(bundle_path) if isinstance(bundle_path, str) else bundle_path, device_id=device_id)

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

    @staticmethod
    def evidence_key(sha256: str) -> str:
        return blob_stores.evidence_key(sha256)

    def evidence_path(self, sha256: str) -> Path:
        """Where an original is in the HQ folder (the folder store only)."""
        return self.folder / blob_stores.evidence_key(sha256)

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
