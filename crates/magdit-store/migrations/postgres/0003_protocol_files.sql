-- magdit store, PostgreSQL flavour, migration 3: a school's own protocol files.
-- Kept equivalent to ../sqlite/0003_protocol_files.sql; a test compares the two.

-- Every protocol file a school uploaded: the TOML source as sent (the store caps it at 1 MB),
-- its SHA-256 (hex), and the protocol id and version from the file's own [protocol] table.
-- Rows are never changed or deleted, so earlier versions stay and every adoption can be traced
-- to the exact text that was in force. A file is the school's alone: nothing outside the
-- school reads it. The same text uploaded twice is one row (school_id, sha256).
CREATE TABLE protocol_files (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id    BIGINT      NOT NULL REFERENCES schools (id),
    protocol_id  TEXT        NOT NULL,
    version      TEXT,
    sha256       TEXT        NOT NULL CHECK (length(sha256) = 64),
    source       TEXT        NOT NULL,
    uploaded_by  TEXT        NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, sha256)
);

-- The own file a school adopted: (id, protocol_sha256) names a row of protocol_files; NULL when
-- the adopted protocol is a shipped one. Not a foreign key, as in SQLite (which cannot add one
-- to an existing table); the store only ever sets it to a file of the same school, in the
-- transaction that stores or finds that file, and the trigger below keeps files from going
-- away.
ALTER TABLE schools ADD COLUMN protocol_sha256 TEXT;

CREATE FUNCTION protocol_files_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'protocol_files is append-only';
END
$$;

CREATE TRIGGER protocol_files_append_only BEFORE UPDATE OR DELETE ON protocol_files
    FOR EACH ROW EXECUTE FUNCTION protocol_files_append_only();
