-- 文号 (document numbers, docs/FORMATS.md "Document numbers"): each agency numbers its
-- documents per document type and year, 机关代字〔年份〕序号号. A number is given once,
-- when a document is issued, and never again: a re-print shows the number it got.

-- The agency's 机关代字 and, per document type, the type's 代字 (JSON object), from the
-- reference data; '' and '{}' when the reference data names none (defaults apply).
ALTER TABLE agencies ADD COLUMN doc_code TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN doc_type_codes TEXT NOT NULL DEFAULT '{}';

-- Every number given, once per document. The highest seq of an (agency, type, year) is
-- the counter: the next number is one more, so a number is never given twice, and
-- none is taken back (append-only).
CREATE TABLE document_numbers (
    document   TEXT PRIMARY KEY,      -- the document's key, e.g. "inspection/JC-2026-1101/notice"
    agency_id  TEXT NOT NULL,
    doc_type   TEXT NOT NULL,         -- notice, record, result, order, card, inventory, …
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2999),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    number     TEXT NOT NULL UNIQUE,  -- as printed, e.g. 清西综执检〔2026〕15号
    issued_at  TEXT NOT NULL,         -- ISO 8601 with offset
    issued_by  TEXT NOT NULL,         -- the signed-in person who issued the document
    UNIQUE (agency_id, doc_type, year, seq)
);

CREATE TRIGGER document_numbers_no_update BEFORE UPDATE ON document_numbers
BEGIN
    SELECT RAISE(ABORT, 'document_numbers is append-only');
END;

CREATE TRIGGER document_numbers_no_delete BEFORE DELETE ON document_numbers
BEGIN
    SELECT RAISE(ABORT, 'document_numbers is append-only');
END;
