-- Evidence: write-once originals (R17), their device-signed, hash-linked seal
-- records, and the log of every export or view of an original.
-- The file of an item lives at evidence/sha256/<first 2 hex>/<sha256> in the
-- data folder; see docs/FORMATS.md, "Seal records".

CREATE TABLE evidence (
    sha256          TEXT PRIMARY KEY CHECK (length(sha256) = 64),  -- of the file's bytes
    size            INTEGER NOT NULL CHECK (size >= 0),             -- bytes
    media_type      TEXT NOT NULL,                                  -- sniffed from content, e.g. video/mp4
    -- 行政处罚法 §46 (R15): one of the eight evidence types, by stable English key
    evidence_type   TEXT NOT NULL CHECK (evidence_type IN (
                        'documentary', 'physical', 'audiovisual', 'electronic_data',
                        'witness_testimony', 'party_statement', 'expert_opinion',
                        'inspection_record')),
    inspection_id   TEXT REFERENCES inspections(id),
    officer_ids     TEXT NOT NULL DEFAULT '[]',   -- JSON array of roster ids
    officer_certs   TEXT NOT NULL DEFAULT '[]',   -- JSON array of certificate numbers, as sealed
    captured_at     TEXT NOT NULL,                -- ISO 8601 with offset
    ingested_at     TEXT NOT NULL,                -- ISO 8601 with offset
    source_kind     TEXT NOT NULL CHECK (source_kind IN ('webcam', 'body_camera', 'file')),
    source_detail   TEXT NOT NULL DEFAULT '',     -- webcam index, body-camera serial/volume, file path
    original_name   TEXT NOT NULL DEFAULT '',
    duration_ms     INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),  -- video/audio only
    -- R17: a still, annotation or redaction is its own item pointing to its original
    derived_from    TEXT REFERENCES evidence(sha256),
    derivation      TEXT,
    -- R19: 'unlinked' items are kept until retain_until; 'case' items with their case
    retention_class TEXT NOT NULL DEFAULT 'unlinked' CHECK (retention_class IN ('unlinked', 'case')),
    retain_until    TEXT,
    case_id         TEXT,
    CHECK ((derived_from IS NULL) = (derivation IS NULL)),
    CHECK (derived_from IS NULL OR derived_from != sha256),
    CHECK (retention_class = 'case' OR retain_until IS NOT NULL)
);
CREATE INDEX evidence_inspection ON evidence(inspection_id);
CREATE INDEX evidence_derived_from ON evidence(derived_from);

-- What was sealed cannot be changed; only the retention columns may move, and
-- only towards keeping longer.
CREATE TRIGGER evidence_sealed_columns_no_update
BEFORE UPDATE OF sha256, size, media_type, evidence_type, inspection_id, officer_ids,
    officer_certs, captured_at, ingested_at, source_kind, source_detail, original_name,
    duration_ms, derived_from, derivation ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is write-once: sealed columns cannot be changed');
END;

CREATE TRIGGER evidence_retention_no_shortening
BEFORE UPDATE OF retention_class, retain_until ON evidence
WHEN (OLD.retention_class = 'case' AND NEW.retention_class != 'case')
  OR (NEW.retention_class = 'unlinked' AND NEW.retain_until < OLD.retain_until)
BEGIN
    SELECT RAISE(ABORT, 'evidence retention cannot be shortened');
END;

CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
    SELECT RAISE(ABORT, 'evidence is write-once: items cannot be deleted');
END;

-- One row per seal: the canonical JSON exactly as signed (UTF-8 text) and the
-- base64 of the 64-byte raw Ed25519 signature over those bytes.
CREATE TABLE seal_records (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 1),
    sha256    TEXT NOT NULL UNIQUE REFERENCES evidence(sha256),
    record    TEXT NOT NULL,
    signature TEXT NOT NULL
);

CREATE TRIGGER seal_records_no_update BEFORE UPDATE ON seal_records
BEGIN
    SELECT RAISE(ABORT, 'seal_records is append-only');
END;

CREATE TRIGGER seal_records_no_delete BEFORE DELETE ON seal_records
BEGIN
    SELECT RAISE(ABORT, 'seal_records is append-only');
END;

-- R17: every export or view of an original.
CREATE TABLE evidence_access_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256      TEXT NOT NULL REFERENCES evidence(sha256),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('export', 'view')),
    destination TEXT NOT NULL DEFAULT '',   -- the path an export was written to
    purpose     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX evidence_access_sha256 ON evidence_access_log(sha256);

CREATE TRIGGER evidence_access_log_no_update BEFORE UPDATE ON evidence_access_log
BEGIN
    SELECT RAISE(ABORT, 'evidence_access_log is append-only');
END;

CREATE TRIGGER evidence_access_log_no_delete BEFORE DELETE ON evidence_access_log
BEGIN
    SELECT RAISE(ABORT, 'evidence_access_log is append-only');
END;
