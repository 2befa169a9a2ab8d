-- Device administrators (设备管理员) join the roster: named by HQ's reference data, they
-- issue and reset PINs on a device and take no part in inspections, so, like auxiliary
-- staff, they hold no enforcement certificate. SQLite cannot change a CHECK in place:
-- the table is rebuilt under the same name. The rows referring to officers are orphans
-- for a moment; with the foreign keys deferred, putting the same rows back settles them
-- before the commit, which fails if any were lost.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE officers_0016 AS SELECT * FROM officers;
DROP TABLE officers;
CREATE TABLE officers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('officer', 'auxiliary', 'team_leader', 'administrator')),
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    cert_no     TEXT UNIQUE,
    cert_issuer TEXT REFERENCES agencies(id),
    cert_field  TEXT,
    cert_expiry TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    -- auxiliary staff and administrators hold no enforcement certificate; everyone else must
    CHECK ((role IN ('auxiliary', 'administrator')) = (cert_no IS NULL))
);
INSERT INTO officers (id, name, role, agency_id, cert_no, cert_issuer, cert_field, cert_expiry, revoked)
    SELECT id, name, role, agency_id, cert_no, cert_issuer, cert_field, cert_expiry, revoked FROM officers_0016;
DROP TABLE officers_0016;
