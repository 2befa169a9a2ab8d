-- Uploads of bundles to HQ over tus (docs/FORMATS.md, "Upload"): where each one
-- stands, so that an upload resumes after a dropped connection, a server restart
-- or an application restart instead of starting again.
-- The row and the upload URL are written before the first byte is sent; the offset
-- after every chunk HQ confirmed. One row per bundle and server.

CREATE TABLE sync_uploads (
    bundle_id   TEXT NOT NULL,        -- sync_bundles.id (or a benchmark file's name)
    server      TEXT NOT NULL,        -- HQ base URL, e.g. http://127.0.0.1:8470
    path        TEXT NOT NULL,        -- the file being sent
    size        INTEGER NOT NULL CHECK (size >= 0),
    upload_url  TEXT,                 -- the tus upload URL HQ gave (NULL: not created yet)
    offset      INTEGER NOT NULL DEFAULT 0 CHECK (offset >= 0 AND offset <= size),  -- last offset HQ confirmed
    -- sending: bytes still to go; sent: HQ holds every byte, its outcome not yet fetched;
    -- acknowledged: a verified receipt was applied; rejected: HQ refused the bundle
    state       TEXT NOT NULL DEFAULT 'sending'
                CHECK (state IN ('sending', 'sent', 'acknowledged', 'rejected')),
    attempts    INTEGER NOT NULL DEFAULT 0,   -- failed requests since the last success
    last_error  TEXT,                 -- the last transport error, for the Sync page
    started_at  TEXT NOT NULL,        -- ISO 8601 with offset
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (bundle_id, server)
);
