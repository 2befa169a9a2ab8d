-- Provenance of reference data: which set (demo file, or later a signed HQ
-- publication) was imported, when, and with which content hash, so the UI can
-- say how current the roster, plans and calendar are.

CREATE TABLE reference_sets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT NOT NULL,   -- 'demo', 'file', 'hq'
    version     TEXT NOT NULL,   -- the publisher's version string
    issued_at   TEXT NOT NULL,   -- when the publisher produced it
    imported_at TEXT NOT NULL,
    sha256      TEXT NOT NULL    -- of the canonical JSON document as imported
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
