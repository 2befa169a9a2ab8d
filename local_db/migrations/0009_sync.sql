-- Sync to headquarters (docs/FORMATS.md, "Bundle" and "Receipt"): the bundles
-- this device made, what each one holds, HQ's signed receipts and rejections.
-- A record counts as synced only when a verified receipt names it.

CREATE TABLE sync_bundles (
    id                 TEXT PRIMARY KEY,             -- "<device_id>-<sequence, 6 digits>", also in bag-info.txt
    sequence           INTEGER NOT NULL UNIQUE CHECK (sequence >= 1),  -- per device, 1, 2, 3…
    created_at         TEXT NOT NULL,                -- ISO 8601 with offset; the bag's Bagging-Date
    officer_id         TEXT,                         -- roster id of the officer who made it, if any
    path               TEXT NOT NULL,                -- where the encrypted file was written
    size               INTEGER NOT NULL CHECK (size >= 0),    -- bytes of the encrypted file
    sha256             TEXT NOT NULL CHECK (length(sha256) = 64),  -- of the encrypted file
    tagmanifest_sha256 TEXT NOT NULL CHECK (length(tagmanifest_sha256) = 64),  -- of the signed tag manifest
    seal_from          INTEGER,                      -- first seal seq in the bag (NULL: none)
    seal_to            INTEGER,                      -- last seal seq in the bag
    audit_from         INTEGER,                      -- first audit seq in the bag (NULL: none)
    audit_to           INTEGER,                      -- last audit seq in the bag
    -- made: waiting to be sent or acknowledged (re-sent as is until then);
    -- acknowledged: a verified receipt names it; rejected: HQ refused it (reason in
    -- sync_rejections); superseded: its file was lost before a receipt, a new bundle replaces it
    state              TEXT NOT NULL DEFAULT 'made'
                       CHECK (state IN ('made', 'acknowledged', 'rejected', 'superseded')),
    CHECK ((seal_from IS NULL) = (seal_to IS NULL) AND (seal_from IS NULL OR seal_from <= seal_to)),
    CHECK ((audit_from IS NULL) = (audit_to IS NULL) AND (audit_from IS NULL OR audit_from <= audit_to))
);

-- What a bundle holds once made never changes; only its state moves.
CREATE TRIGGER sync_bundles_content_no_update
BEFORE UPDATE OF id, sequence, created_at, officer_id, path, size, sha256, tagmanifest_sha256,
    seal_from, seal_to, audit_from, audit_to ON sync_bundles
BEGIN
    SELECT RAISE(ABORT, 'a bundle''s contents cannot be changed');
END;

CREATE TRIGGER sync_bundles_no_delete BEFORE DELETE ON sync_bundles
BEGIN
    SELECT RAISE(ABORT, 'sync_bundles rows cannot be deleted');
END;

-- One row per item in a bundle's payload.
CREATE TABLE sync_bundle_items (
    bundle_id TEXT NOT NULL REFERENCES sync_bundles(id),
    kind      TEXT NOT NULL CHECK (kind IN ('evidence', 'inspection')),  -- an original or a records snapshot
    item_key  TEXT NOT NULL,        -- evidence: its sha256; inspection: the inspection id
    sha256    TEXT NOT NULL CHECK (length(sha256) = 64),  -- of the file as it is in the bag
    seal_seq  INTEGER,              -- evidence: its seal seq; inspection: NULL
    PRIMARY KEY (bundle_id, kind, item_key)
);
CREATE INDEX sync_bundle_items_key ON sync_bundle_items(kind, item_key);

CREATE TRIGGER sync_bundle_items_no_update BEFORE UPDATE ON sync_bundle_items
BEGIN
    SELECT RAISE(ABORT, 'sync_bundle_items is append-only');
END;

CREATE TRIGGER sync_bundle_items_no_delete BEFORE DELETE ON sync_bundle_items
BEGIN
    SELECT RAISE(ABORT, 'sync_bundle_items is append-only');
END;

-- HQ's receipts, kept exactly as received after their signature was verified.
CREATE TABLE sync_receipts (
    bundle_id   TEXT PRIMARY KEY REFERENCES sync_bundles(id),
    received_at TEXT NOT NULL,      -- ISO 8601 with offset, device clock
    body        TEXT NOT NULL,      -- the canonical JSON receipt as signed by HQ
    signature   TEXT NOT NULL,      -- base64 of the 64-byte raw Ed25519 signature by the HQ key
    seal_head   INTEGER NOT NULL DEFAULT 0,   -- HQ's seal-chain head for this device (highest seq held)
    audit_head  INTEGER NOT NULL DEFAULT 0    -- HQ's audit-chain head for this device
);

CREATE TRIGGER sync_receipts_no_update BEFORE UPDATE ON sync_receipts
BEGIN
    SELECT RAISE(ABORT, 'sync_receipts is append-only');
END;

CREATE TRIGGER sync_receipts_no_delete BEFORE DELETE ON sync_receipts
BEGIN
    SELECT RAISE(ABORT, 'sync_receipts is append-only');
END;

-- HQ's refusals of a bundle, with its reason in both languages.
CREATE TABLE sync_rejections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    bundle_id  TEXT NOT NULL REFERENCES sync_bundles(id),
    at         TEXT NOT NULL,       -- ISO 8601 with offset, device clock
    code       TEXT NOT NULL,       -- stable code, e.g. 'seal-gap' (docs/FORMATS.md, "Receipt")
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL
);
CREATE INDEX sync_rejections_bundle ON sync_rejections(bundle_id);

CREATE TRIGGER sync_rejections_no_update BEFORE UPDATE ON sync_rejections
BEGIN
    SELECT RAISE(ABORT, 'sync_rejections is append-only');
END;

CREATE TRIGGER sync_rejections_no_delete BEFORE DELETE ON sync_rejections
BEGIN
    SELECT RAISE(ABORT, 'sync_rejections is append-only');
END;
