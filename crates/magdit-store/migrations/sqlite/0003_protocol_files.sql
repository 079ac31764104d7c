-- magdit store, SQLite flavour, migration 3: a school's own protocol files.
-- Kept equivalent to ../postgres/0003_protocol_files.sql; a test compares the two.

-- Every protocol file a school uploaded: the TOML source as sent (the store caps it at 1 MB),
-- its SHA-256 (hex), and the protocol id and version from the file's own [protocol] table.
-- Rows are never changed or deleted, so earlier versions stay and every adoption can be traced
-- to the exact text that was in force. A file is the school's alone: nothing outside the
-- school reads it. The same text uploaded twice is one row (school_id, sha256).
CREATE TABLE protocol_files (
    id           INTEGER PRIMARY KEY,
    school_id    INTEGER NOT NULL REFERENCES schools (id),
    protocol_id  TEXT    NOT NULL,
    version      TEXT,
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
    source       TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    UNIQUE (school_id, sha256)
);

-- The own file a school adopted: (id, protocol_sha256) names a row of protocol_files; NULL when
-- the adopted protocol is a shipped one. Not a foreign key, because SQLite cannot add a
-- (composite) one to an existing table; the store only ever sets it to a file of the same
-- school, in the transaction that stores or finds that file, and the triggers below keep files
-- from going away.
ALTER TABLE schools ADD COLUMN protocol_sha256 TEXT;

CREATE TRIGGER protocol_files_no_delete BEFORE DELETE ON protocol_files
BEGIN
    SELECT RAISE(ABORT, 'protocol_files is append-only');
END;

CREATE TRIGGER protocol_files_no_update BEFORE UPDATE ON protocol_files
BEGIN
    SELECT RAISE(ABORT, 'protocol_files is append-only');
END;
