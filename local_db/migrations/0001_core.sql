-- Core domain: agencies, roster, subjects, published check items, templates,
-- annual plans and their filing, pre-notices, holiday calendar, inspections.
-- Dates are ISO 8601 text (YYYY-MM-DD); times are ISO 8601 with UTC offset.

CREATE TABLE agencies (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    region            TEXT NOT NULL DEFAULT '',
    supervision_phone TEXT NOT NULL DEFAULT ''
);

CREATE TABLE officers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('officer', 'auxiliary', 'team_leader')),
    agency_id   TEXT NOT NULL REFERENCES agencies(id),
    cert_no     TEXT UNIQUE,
    cert_issuer TEXT REFERENCES agencies(id),
    cert_field  TEXT,
    cert_expiry TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    -- auxiliary staff hold no enforcement certificate; everyone else must
    CHECK ((role = 'auxiliary') = (cert_no IS NULL))
);

CREATE TABLE subjects (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('enterprise', 'person')),
    name           TEXT NOT NULL,
    uscc           TEXT UNIQUE,
    representative TEXT,
    address        TEXT NOT NULL DEFAULT '',
    credit_grade   TEXT NOT NULL CHECK (credit_grade IN ('A', 'B', 'C', 'D')),
    list_status    TEXT NOT NULL DEFAULT 'none' CHECK (list_status IN ('none', 'white', 'black'))
);

CREATE TABLE check_items (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    standard    TEXT NOT NULL,
    field       TEXT NOT NULL DEFAULT '',
    published   INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1))
);

CREATE TABLE checklist_templates (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    field TEXT NOT NULL DEFAULT ''
);

CREATE TABLE checklist_template_items (
    template_id TEXT NOT NULL REFERENCES checklist_templates(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    item_code   TEXT NOT NULL REFERENCES check_items(code),
    PRIMARY KEY (template_id, position)
);

CREATE TABLE inspection_plans (
    id            TEXT PRIMARY KEY,
    year          INTEGER NOT NULL,
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    title         TEXT NOT NULL,
    filing_status TEXT NOT NULL CHECK (filing_status IN ('filed', 'pending', 'not_filed')),
    filing_no     TEXT,
    filing_date   TEXT,
    CHECK (filing_status != 'filed' OR (filing_no IS NOT NULL AND filing_date IS NOT NULL))
);

CREATE TABLE inspection_plan_items (
    plan_id   TEXT NOT NULL REFERENCES inspection_plans(id) ON DELETE CASCADE,
    item_code TEXT NOT NULL REFERENCES check_items(code),
    PRIMARY KEY (plan_id, item_code)
);

CREATE TABLE pre_notices (
    id           TEXT PRIMARY KEY,
    plan_id      TEXT NOT NULL REFERENCES inspection_plans(id),
    subject_id   TEXT NOT NULL REFERENCES subjects(id),
    published_on TEXT NOT NULL,
    scheduled_at TEXT NOT NULL,
    channel      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE pre_notice_items (
    pre_notice_id TEXT NOT NULL REFERENCES pre_notices(id) ON DELETE CASCADE,
    item_code     TEXT NOT NULL REFERENCES check_items(code),
    PRIMARY KEY (pre_notice_id, item_code)
);

CREATE TABLE calendar_days (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE inspections (
    id            TEXT PRIMARY KEY,
    subject_id    TEXT NOT NULL REFERENCES subjects(id),
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    source        TEXT NOT NULL CHECK (source IN
                    ('plan', 'special_campaign', 'complaint', 'emergency', 'assignment')),
    source_ref    TEXT,
    plan_id       TEXT REFERENCES inspection_plans(id),
    pre_notice_id TEXT REFERENCES pre_notices(id),
    template_id   TEXT REFERENCES checklist_templates(id),
    scheduled_at  TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
                    ('planned', 'in_progress', 'closed', 'cancelled')),
    created_at    TEXT NOT NULL
);
CREATE INDEX inspections_subject ON inspections(subject_id);
CREATE INDEX inspections_scheduled ON inspections(scheduled_at);

CREATE TABLE inspection_staff (
    inspection_id TEXT NOT NULL REFERENCES inspections(id) ON DELETE CASCADE,
    officer_id    TEXT NOT NULL REFERENCES officers(id),
    assignment    TEXT NOT NULL CHECK (assignment IN ('officer', 'assistant')),
    position      INTEGER NOT NULL,
    PRIMARY KEY (inspection_id, officer_id)
);

-- Append-only: one row per action. Hash chaining and the triggers that refuse
-- updates and deletes arrive in migration 0002.
CREATE TABLE audit_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
