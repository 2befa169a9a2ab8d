-- On site: the record of one inspection (R2, R3, R9, R11–R13), results per check
-- item, signatures and refusals, rectification orders and their follow-up
-- re-inspections (R10), and the discretion benchmarks of reference data (R12).

-- A follow-up re-inspection (整改复查, R10) is a new source of inspection, and a
-- task merged into another (R7) says so. SQLite cannot change a CHECK constraint
-- in place, so the table is rebuilt. Dropping it
-- would cascade to inspection_staff and orphan evidence rows; both are put back
-- in this same transaction, and deferred foreign keys are checked at COMMIT.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE inspections_before_0005 AS SELECT * FROM inspections;
CREATE TEMP TABLE inspection_staff_before_0005 AS SELECT * FROM inspection_staff;
DROP TABLE inspections;
CREATE TABLE inspections (
    id            TEXT PRIMARY KEY,
    subject_id    TEXT NOT NULL REFERENCES subjects(id),
    agency_id     TEXT NOT NULL REFERENCES agencies(id),
    source        TEXT NOT NULL CHECK (source IN
                    ('plan', 'special_campaign', 'complaint', 'emergency', 'assignment', 'follow_up')),
    source_ref    TEXT,
    plan_id       TEXT REFERENCES inspection_plans(id),
    pre_notice_id TEXT REFERENCES pre_notices(id),
    template_id   TEXT REFERENCES checklist_templates(id),
    scheduled_at  TEXT NOT NULL,
    place         TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
                    ('planned', 'in_progress', 'closed', 'cancelled')),
    created_at    TEXT NOT NULL,
    -- 综合查一次 (R7): a task merged into another is cancelled and points to it
    merged_into   TEXT REFERENCES inspections(id),
    CHECK (merged_into IS NULL OR (merged_into != id AND status = 'cancelled'))
);
INSERT INTO inspections (id, subject_id, agency_id, source, source_ref, plan_id, pre_notice_id,
                         template_id, scheduled_at, place, status, created_at)
    SELECT id, subject_id, agency_id, source, source_ref, plan_id, pre_notice_id,
           template_id, scheduled_at, place, status, created_at
    FROM inspections_before_0005;
INSERT INTO inspection_staff SELECT * FROM inspection_staff_before_0005;
DROP TABLE inspections_before_0005;
DROP TABLE inspection_staff_before_0005;
CREATE INDEX inspections_subject ON inspections(subject_id);
CREATE INDEX inspections_scheduled ON inspections(scheduled_at);

-- The check items of a task when they are chosen for it rather than taken from
-- its template or pre-notice: a follow-up re-inspection covers the items of its
-- order (R10), a merged task the items of every task merged into it (R7).
CREATE TABLE inspection_items (
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    position      INTEGER NOT NULL,
    item_code     TEXT NOT NULL REFERENCES check_items(code),
    PRIMARY KEY (inspection_id, item_code),
    UNIQUE (inspection_id, position)
);

-- R12: the discretion benchmark (裁量基准) clauses of reference data: for a check
-- item, the matter (事项), its levels (阶次) and the range (幅度) of each level.
CREATE TABLE discretion_benchmarks (
    id        TEXT PRIMARY KEY,
    item_code TEXT NOT NULL REFERENCES check_items(code),
    matter    TEXT NOT NULL,
    level     TEXT NOT NULL,
    circumstances TEXT NOT NULL DEFAULT '',
    penalty_range TEXT NOT NULL,
    basis     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX discretion_benchmarks_item ON discretion_benchmarks(item_code);

-- One on-site record (现场检查笔录) per inspection.
CREATE TABLE onsite_records (
    inspection_id     TEXT PRIMARY KEY REFERENCES inspections(id),
    started_at        TEXT NOT NULL,
    started_by        TEXT NOT NULL REFERENCES officers(id),
    recorder_id       TEXT NOT NULL REFERENCES officers(id),
    party_name        TEXT NOT NULL DEFAULT '',   -- who is present for the subject
    party_role        TEXT NOT NULL DEFAULT '',   -- 法定代表人, 负责人, 委托代理人 …
    party_id_no       TEXT NOT NULL DEFAULT '',
    party_absent      INTEGER NOT NULL DEFAULT 0 CHECK (party_absent IN (0, 1)),
    recusal_asked_at  TEXT,                       -- R3
    recusal_requested INTEGER CHECK (recusal_requested IN (0, 1)),
    recusal_statement TEXT NOT NULL DEFAULT '',
    card_handed_at    TEXT,                       -- R13
    card_recipient    TEXT NOT NULL DEFAULT '',
    ended_at          TEXT,
    CHECK ((recusal_asked_at IS NULL) = (recusal_requested IS NULL))
);

-- R2: the certificate shown by each officer, the first entries of the record.
CREATE TABLE certificate_showings (
    inspection_id TEXT NOT NULL REFERENCES onsite_records(inspection_id),
    officer_id    TEXT NOT NULL REFERENCES officers(id),
    cert_no       TEXT NOT NULL,
    shown_at      TEXT NOT NULL,
    PRIMARY KEY (inspection_id, officer_id)
);

-- The result of each check item (R6: only items of the inspection's list).
CREATE TABLE check_results (
    inspection_id        TEXT NOT NULL REFERENCES onsite_records(inspection_id),
    position             INTEGER NOT NULL,
    item_code            TEXT NOT NULL REFERENCES check_items(code),
    result               TEXT NOT NULL DEFAULT 'not_checked' CHECK (result IN
                           ('compliant', 'non_compliant', 'not_applicable', 'not_checked')),
    finding              TEXT NOT NULL DEFAULT '',
    legal_basis          TEXT NOT NULL DEFAULT '',
    required_standard    TEXT NOT NULL DEFAULT '',
    rectification_advice TEXT NOT NULL DEFAULT '',
    -- R11: a minor violation, the flexible measures taken (JSON array of keys)
    -- and the ground of 行政处罚法 §33 for giving no penalty.
    minor                INTEGER NOT NULL DEFAULT 0 CHECK (minor IN (0, 1)),
    measures             TEXT NOT NULL DEFAULT '[]',
    no_penalty_ground    TEXT NOT NULL DEFAULT '' CHECK (no_penalty_ground IN
                           ('', 'minor_corrected', 'first_minor', 'no_fault')),
    education_given      INTEGER NOT NULL DEFAULT 0 CHECK (education_given IN (0, 1)),
    evidence_refs        TEXT NOT NULL DEFAULT '[]',   -- JSON array of evidence SHA-256
    updated_at           TEXT NOT NULL,
    updated_by           TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_code),
    UNIQUE (inspection_id, position)
);

-- R12: a proposed penalty names the benchmark clause applied; departing from it
-- needs an approval record.
CREATE TABLE penalty_proposals (
    inspection_id   TEXT NOT NULL,
    item_code       TEXT NOT NULL,
    benchmark_id    TEXT NOT NULL REFERENCES discretion_benchmarks(id),
    proposed        TEXT NOT NULL,              -- the penalty proposed, in words
    deviation       TEXT NOT NULL DEFAULT '',   -- why the proposal departs from the benchmark
    approval_ref    TEXT NOT NULL DEFAULT '',
    approved_by     TEXT NOT NULL DEFAULT '',
    approved_at     TEXT,
    recorded_at     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    PRIMARY KEY (inspection_id, item_code),
    FOREIGN KEY (inspection_id, item_code) REFERENCES check_results(inspection_id, item_code),
    CHECK (deviation = '' OR (approval_ref != '' AND approved_by != '' AND approved_at IS NOT NULL))
);

-- R9: signatures as PNG images, append-only; a refusal is written with its reason
-- and a witness.
CREATE TABLE signatures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id TEXT NOT NULL REFERENCES onsite_records(inspection_id),
    role          TEXT NOT NULL CHECK (role IN ('officer', 'party', 'witness')),
    signer_name   TEXT NOT NULL,
    signer_ref    TEXT NOT NULL DEFAULT '',     -- roster id of an officer, ID number of others
    signed_at     TEXT NOT NULL,
    image_png     BLOB NOT NULL,
    image_sha256  TEXT NOT NULL CHECK (length(image_sha256) = 64)
);
CREATE INDEX signatures_inspection ON signatures(inspection_id);

CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are append-only');
END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN
    SELECT RAISE(ABORT, 'signatures are append-only');
END;

CREATE TABLE signature_refusals (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id        TEXT NOT NULL REFERENCES onsite_records(inspection_id),
    role                 TEXT NOT NULL CHECK (role IN ('party')),
    reason               TEXT NOT NULL CHECK (reason != ''),
    witness_signature_id INTEGER NOT NULL REFERENCES signatures(id),
    recorded_at          TEXT NOT NULL,
    recorded_by          TEXT NOT NULL
);

CREATE TRIGGER signature_refusals_no_update BEFORE UPDATE ON signature_refusals
BEGIN
    SELECT RAISE(ABORT, 'signature refusals are append-only');
END;
CREATE TRIGGER signature_refusals_no_delete BEFORE DELETE ON signature_refusals
BEGIN
    SELECT RAISE(ABORT, 'signature refusals are append-only');
END;

-- R10: a rectification order (责令限期改正通知书), its items and its follow-up task.
CREATE TABLE rectification_orders (
    id            TEXT PRIMARY KEY,             -- the document number
    inspection_id TEXT NOT NULL UNIQUE REFERENCES onsite_records(inspection_id),
    issued_at     TEXT NOT NULL,
    issued_by     TEXT NOT NULL REFERENCES officers(id),
    deadline      TEXT NOT NULL,                -- YYYY-MM-DD
    consequence   TEXT NOT NULL,
    follow_up_id  TEXT NOT NULL UNIQUE REFERENCES inspections(id)
);

CREATE TABLE rectification_order_items (
    order_id  TEXT NOT NULL REFERENCES rectification_orders(id),
    item_code TEXT NOT NULL REFERENCES check_items(code),
    PRIMARY KEY (order_id, item_code)
);
