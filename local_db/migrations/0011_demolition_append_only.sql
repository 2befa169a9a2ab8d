-- Signatures on the demolition documents, the party's refusals to sign and the witnesses
-- are records of what happened on site (R24, R26): once written they are never changed
-- or removed, like the events, item versions and custody entries of migration 0008.

CREATE TRIGGER demolition_signatures_no_update BEFORE UPDATE ON demolition_signatures
BEGIN
    SELECT RAISE(ABORT, 'demolition signatures are append-only');
END;

CREATE TRIGGER demolition_signatures_no_delete BEFORE DELETE ON demolition_signatures
BEGIN
    SELECT RAISE(ABORT, 'demolition signatures are append-only');
END;

CREATE TRIGGER demolition_refusals_no_update BEFORE UPDATE ON demolition_refusals
BEGIN
    SELECT RAISE(ABORT, 'refusals to sign are append-only');
END;

CREATE TRIGGER demolition_refusals_no_delete BEFORE DELETE ON demolition_refusals
BEGIN
    SELECT RAISE(ABORT, 'refusals to sign are append-only');
END;

CREATE TRIGGER demolition_witnesses_no_delete BEFORE DELETE ON demolition_witnesses
BEGIN
    SELECT RAISE(ABORT, 'witnesses are append-only');
END;
