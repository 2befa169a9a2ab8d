-- Forced demolition (强制拆除, R20–R26): the case and its preconditions, the operation
-- on site with its pauses, the notary or witness, the inventory of the party's
-- property as append-only item versions, custody and handover, and signatures.

-- One case: the announcement and the dates R21 counts from, the emergency plan (R20),
-- the means (never the cutting of water, power, heating or gas: R23 — there is no
-- such value), and where the operation stands.
CREATE TABLE demolition_cases (
    id                        TEXT PRIMARY KEY,
    agency_id                 TEXT NOT NULL REFERENCES agencies(id),
    party_name                TEXT NOT NULL,
    party_id_no               TEXT NOT NULL DEFAULT '',
    place                     TEXT NOT NULL,
    structure                 TEXT NOT NULL,            -- what is to be demolished
    decision_no               TEXT NOT NULL DEFAULT '', -- 强制拆除决定书
    announcement_no           TEXT NOT NULL,            -- 公告 (R21)
    announcement_served_on    TEXT NOT NULL,            -- the day the 60 days / 6 months count from
    self_demolition_deadline  TEXT NOT NULL,
    removal_deadline          TEXT NOT NULL,            -- property to be removed by (R21, R24)
    attend_notice_no          TEXT NOT NULL DEFAULT '', -- notice to attend (到场通知)
    attend_notice_served_on   TEXT,
    reconsideration_filed     INTEGER NOT NULL DEFAULT 0 CHECK (reconsideration_filed IN (0, 1)),
    litigation_filed          INTEGER NOT NULL DEFAULT 0 CHECK (litigation_filed IN (0, 1)),
    emergency_plan            TEXT NOT NULL DEFAULT '', -- 应急预案 (R20)
    means                     TEXT NOT NULL DEFAULT 'manual' CHECK (means IN ('manual', 'machinery', 'combined')),
    officer_ids               TEXT NOT NULL,            -- JSON list of roster ids
    scheduled_at              TEXT NOT NULL,
    status                    TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
                                ('planned', 'in_progress', 'paused', 'ended', 'abandoned')),
    party_present             INTEGER CHECK (party_present IN (0, 1)), -- NULL: not yet recorded
    party_present_name        TEXT NOT NULL DEFAULT '',
    inventory_sha256          TEXT REFERENCES evidence(sha256), -- the sealed inventory
    created_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL REFERENCES officers(id)
);

-- The operation's timeline: start, pause (R25, with reason), resume, abandon, end.
-- An emergency reason is the recorded exception to R22.
CREATE TABLE demolition_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id          TEXT NOT NULL REFERENCES demolition_cases(id),
    kind             TEXT NOT NULL CHECK (kind IN ('start', 'pause', 'resume', 'abandon', 'end')),
    at               TEXT NOT NULL,
    actor            TEXT NOT NULL REFERENCES officers(id),
    reason           TEXT NOT NULL DEFAULT '',
    emergency_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX demolition_events_case ON demolition_events(case_id, id);

-- Notary (公证) or independent witness (见证) of the inventory (R24), with the
-- statement that they have no interest in the matter and their signature.
CREATE TABLE demolition_witnesses (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id            TEXT NOT NULL REFERENCES demolition_cases(id),
    kind               TEXT NOT NULL CHECK (kind IN ('notary', 'witness')),
    name               TEXT NOT NULL,
    id_no              TEXT NOT NULL,
    organisation       TEXT NOT NULL DEFAULT '',
    no_interest        TEXT NOT NULL,
    signature_png      BLOB NOT NULL,
    signature_sha256   TEXT NOT NULL,
    recorded_at        TEXT NOT NULL,
    recorded_by        TEXT NOT NULL REFERENCES officers(id)
);

-- Evidence linked to the case: photos taken in place, the recordings of the
-- operation (R16), the sealed inventory.
CREATE TABLE demolition_evidence (
    case_id   TEXT NOT NULL REFERENCES demolition_cases(id),
    sha256    TEXT NOT NULL REFERENCES evidence(sha256),
    role      TEXT NOT NULL CHECK (role IN ('photo', 'recording', 'inventory')),
    linked_at TEXT NOT NULL,
    linked_by TEXT NOT NULL,
    PRIMARY KEY (case_id, sha256)
);

-- The inventory (清点造册, R24): an item is never changed in place. An edit after
-- counting is a new version; the current inventory is the latest version of each item.
CREATE TABLE demolition_item_versions (
    case_id        TEXT NOT NULL REFERENCES demolition_cases(id),
    item_no        INTEGER NOT NULL CHECK (item_no >= 1),
    version        INTEGER NOT NULL CHECK (version >= 1),
    name           TEXT NOT NULL,
    category       TEXT NOT NULL,
    quantity       TEXT NOT NULL,   -- a decimal written as text, exact
    unit           TEXT NOT NULL,
    condition      TEXT NOT NULL,
    label_no       TEXT NOT NULL,
    storage_place  TEXT NOT NULL DEFAULT '',
    photo_sha256s  TEXT NOT NULL,   -- JSON list of sealed photos
    edit_reason    TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    recorded_by    TEXT NOT NULL REFERENCES officers(id),
    PRIMARY KEY (case_id, item_no, version),
    CHECK (version = 1 OR edit_reason != '')
);
CREATE TRIGGER demolition_item_versions_no_update BEFORE UPDATE ON demolition_item_versions
BEGIN
    SELECT RAISE(ABORT, 'demolition_item_versions is append-only: an edit is a new version');
END;
CREATE TRIGGER demolition_item_versions_no_delete BEFORE DELETE ON demolition_item_versions
BEGIN
    SELECT RAISE(ABORT, 'demolition_item_versions is append-only: an edit is a new version');
END;

-- Custody after the operation: stored, notice to collect, handed over (with the
-- recipient's identity and signature), refused by the party. Append-only.
CREATE TABLE demolition_custody (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id           TEXT NOT NULL REFERENCES demolition_cases(id),
    kind              TEXT NOT NULL CHECK (kind IN ('stored', 'notice', 'handover', 'refused')),
    item_nos          TEXT NOT NULL DEFAULT '[]',  -- JSON list
    storage_place     TEXT NOT NULL DEFAULT '',
    notice_no         TEXT NOT NULL DEFAULT '',
    collect_by        TEXT,
    recipient_name    TEXT NOT NULL DEFAULT '',
    recipient_id_no   TEXT NOT NULL DEFAULT '',
    signature_png     BLOB,
    signature_sha256  TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    at                TEXT NOT NULL,
    actor             TEXT NOT NULL REFERENCES officers(id)
);

-- Signatures on the inventory list (R26: both sides) and on the operation record.
CREATE TABLE demolition_signatures (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       TEXT NOT NULL REFERENCES demolition_cases(id),
    document      TEXT NOT NULL CHECK (document IN ('inventory', 'record')),
    role          TEXT NOT NULL CHECK (role IN ('officer', 'party', 'witness')),
    signer_name   TEXT NOT NULL,
    signer_ref    TEXT NOT NULL DEFAULT '',
    image_png     BLOB NOT NULL,
    image_sha256  TEXT NOT NULL,
    signed_at     TEXT NOT NULL
);

-- The party's refusal to sign a document (R26), with what happened; a witness has signed.
CREATE TABLE demolition_refusals (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      TEXT NOT NULL REFERENCES demolition_cases(id),
    document     TEXT NOT NULL CHECK (document IN ('inventory', 'record')),
    reason       TEXT NOT NULL CHECK (reason != ''),
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL REFERENCES officers(id)
);

CREATE TRIGGER demolition_events_no_update BEFORE UPDATE ON demolition_events
BEGIN SELECT RAISE(ABORT, 'demolition_events is append-only'); END;
CREATE TRIGGER demolition_events_no_delete BEFORE DELETE ON demolition_events
BEGIN SELECT RAISE(ABORT, 'demolition_events is append-only'); END;
CREATE TRIGGER demolition_custody_no_update BEFORE UPDATE ON demolition_custody
BEGIN SELECT RAISE(ABORT, 'demolition_custody is append-only'); END;
CREATE TRIGGER demolition_custody_no_delete BEFORE DELETE ON demolition_custody
BEGIN SELECT RAISE(ABORT, 'demolition_custody is append-only'); END;
CREATE TRIGGER demolition_witnesses_no_update BEFORE UPDATE ON demolition_witnesses
BEGIN SELECT RAISE(ABORT, 'demolition_witnesses is append-only'); END;
