-- Sign-in PINs, the persisted back-off after wrong PINs, and team leaders'
-- review decisions. Times are ISO 8601 with UTC offset.

-- One PIN per person: "scrypt$<n>$<r>$<p>$<salt base64>$<hash base64>" (app/crypto.py).
-- Setting a new PIN replaces the row; the audit log records that it happened.
CREATE TABLE staff_pins (
    officer_id TEXT PRIMARY KEY REFERENCES officers(id),
    pin_hash   TEXT NOT NULL CHECK (pin_hash LIKE 'scrypt$%'),
    set_at     TEXT NOT NULL
);

-- Wrong PINs in a row and the moment before which no PIN is tried again. Kept
-- in the database so that restarting the application does not reset it.
CREATE TABLE sign_in_attempts (
    officer_id   TEXT PRIMARY KEY REFERENCES officers(id),
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until TEXT
);

-- One row per review decision (or officer's answer to a returned item). The
-- decision itself is a sealed record in the device chain (record_sha256, kind
-- "review"); this row points at it and at the item reviewed. The latest row of
-- an item is its review state. Never updated or deleted.
CREATE TABLE review_decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id TEXT REFERENCES inspections(id),
    item_sha256   TEXT NOT NULL REFERENCES evidence(sha256),
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'return', 'key', 'answer')),
    comment       TEXT NOT NULL DEFAULT '',
    finding_ref   TEXT NOT NULL DEFAULT '',    -- check item code of the finding it supports
    reviewer      TEXT NOT NULL REFERENCES officers(id),  -- for 'answer': the officer answering
    at            TEXT NOT NULL,
    record_sha256 TEXT NOT NULL UNIQUE REFERENCES evidence(sha256),
    CHECK (decision != 'return' OR length(trim(comment)) > 0)
);
CREATE INDEX review_decisions_item ON review_decisions(item_sha256, id);

CREATE TRIGGER review_decisions_no_update BEFORE UPDATE ON review_decisions
BEGIN
    SELECT RAISE(ABORT, 'review_decisions is append-only');
END;

CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
BEGIN
    SELECT RAISE(ABORT, 'review_decisions is append-only');
END;
