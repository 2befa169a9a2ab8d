-- Evidence sources: which officer wears which body camera, which camera files
-- were already sealed (so a re-plugged camera lists only new files without
-- hashing), and the recorded reasons for gaps in full-process recording (R16).
-- Times are ISO 8601 with UTC offset.

-- The current wearer of each body camera, by camera serial. Every set or change
-- is written to the audit log (action camera.assigned, with the previous officer).
CREATE TABLE camera_assignments (
    serial      TEXT PRIMARY KEY CHECK (length(trim(serial)) > 0),
    officer_id  TEXT NOT NULL REFERENCES officers(id),
    label       TEXT NOT NULL DEFAULT '',    -- volume label when assigned, to recognise the card
    assigned_at TEXT NOT NULL,
    assigned_by TEXT NOT NULL
);

-- One row per camera file taken in (sealed now, or found already sealed).
-- The seal stays the authority: sha256 names the sealed original, and a file is
-- only deleted from the camera after its bytes are hashed again and match it.
CREATE TABLE camera_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    serial      TEXT NOT NULL,               -- camera serial (or volume id/label, see app/evidence/bodycam.py)
    rel_path    TEXT NOT NULL,               -- path on the camera volume, '/'-separated
    size        INTEGER NOT NULL CHECK (size >= 0),
    mtime_ns    INTEGER NOT NULL,            -- file modification time as the volume reports it
    sha256      TEXT NOT NULL REFERENCES evidence(sha256),
    imported_at TEXT NOT NULL,
    UNIQUE (serial, rel_path, size, mtime_ns)
);
CREATE INDEX camera_imports_path ON camera_imports(serial, rel_path);

CREATE TRIGGER camera_imports_no_update BEFORE UPDATE ON camera_imports
BEGIN
    SELECT RAISE(ABORT, 'camera_imports is append-only');
END;

CREATE TRIGGER camera_imports_no_delete BEFORE DELETE ON camera_imports
BEGIN
    SELECT RAISE(ABORT, 'camera_imports is append-only');
END;

-- R16: a seizure or forced demolition is recorded on video for the whole time on
-- site; each gap between recordings needs a reason. Reasons are never edited: a
-- correction is a new row.
CREATE TABLE recording_gap_reasons (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_ref TEXT NOT NULL CHECK (length(trim(operation_ref)) > 0),
    gap_start     TEXT NOT NULL,
    gap_end       TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    recorded_by   TEXT NOT NULL REFERENCES officers(id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX recording_gap_reasons_operation ON recording_gap_reasons(operation_ref);

CREATE TRIGGER recording_gap_reasons_no_update BEFORE UPDATE ON recording_gap_reasons
BEGIN
    SELECT RAISE(ABORT, 'recording_gap_reasons is append-only');
END;

CREATE TRIGGER recording_gap_reasons_no_delete BEFORE DELETE ON recording_gap_reasons
BEGIN
    SELECT RAISE(ABORT, 'recording_gap_reasons is append-only');
END;
