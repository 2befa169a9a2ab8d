-- Anchored chains (docs/FORMATS.md, "Audit log" and "Chain head"): an unkeyed hash
-- chain can be rebuilt by anyone holding the database key, so every audit entry is
-- now signed by the device key, and the device keeps the chain heads it signed.

-- base64 of the raw Ed25519 signature over "fieldinspect.audit/1\n<hash>"; '' only
-- for entries written before this migration (covered by the entry audit.signing_began).
ALTER TABLE audit_log ADD COLUMN signature TEXT NOT NULL DEFAULT '';

-- How many entries existed when signing began: entries above it must all be signed.
CREATE TABLE audit_signing (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    began_after INTEGER NOT NULL CHECK (began_after >= 0)
);
INSERT INTO audit_signing (id, began_after) SELECT 1, COALESCE(MAX(seq), 0) FROM audit_log;

CREATE TRIGGER audit_signing_no_update BEFORE UPDATE ON audit_signing
BEGIN
    SELECT RAISE(ABORT, 'audit_signing is append-only');
END;

CREATE TRIGGER audit_signing_no_delete BEFORE DELETE ON audit_signing
BEGIN
    SELECT RAISE(ABORT, 'audit_signing is append-only');
END;

-- Every chain head the device signed (one per bundle), newest last.
CREATE TABLE chain_heads (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    body      TEXT NOT NULL,      -- canonical JSON of fieldinspect.chain-head/1, as signed
    signature TEXT NOT NULL,      -- base64 of the raw Ed25519 signature over body
    audit_seq INTEGER NOT NULL,
    seal_seq  INTEGER NOT NULL
);

CREATE TRIGGER chain_heads_no_update BEFORE UPDATE ON chain_heads
BEGIN
    SELECT RAISE(ABORT, 'chain_heads is append-only');
END;

CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
BEGIN
    SELECT RAISE(ABORT, 'chain_heads is append-only');
END;
