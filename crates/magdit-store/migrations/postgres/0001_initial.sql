-- magdit store, PostgreSQL flavour. Kept equivalent to ../sqlite/0001_initial.sql: same tables,
-- columns, keys and checks; only the types differ (TIMESTAMPTZ, DATE, BOOLEAN). A test compares
-- the two column by column.
--
-- Tenancy is enforced twice: every query takes the school id, and every reference between
-- rows of school data is a composite foreign key (school_id, id), so a row of one school can
-- never point at a row of another.
--
-- The audit payload is TEXT, not JSONB: JSONB reorders keys and normalises numbers, and the
-- hash chain must see exactly the bytes that were hashed.

CREATE TABLE boards (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE schools (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    board_id          BIGINT      NOT NULL REFERENCES boards (id),
    name              TEXT        NOT NULL,
    brin              TEXT,
    protocol_id       TEXT,
    protocol_version  TEXT,
    adopted_at        TIMESTAMPTZ,
    -- Renewal of consent: both NULL = only when a purpose changes; both set = yearly on that
    -- day as well (e.g. 8/1, the start of the school year).
    renewal_month     BIGINT      CHECK (renewal_month BETWEEN 1 AND 12),
    renewal_day       BIGINT      CHECK (renewal_day BETWEEN 1 AND 31),
    -- Bumped by every write transaction of the school: the bump is its first statement, so it
    -- serialises writers per school (the audit chain needs that) and tells readers when a
    -- cached roster or consent list is stale.
    revision          BIGINT      NOT NULL DEFAULT 0,
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (board_id, name),
    CHECK ((renewal_month IS NULL) = (renewal_day IS NULL))
);

CREATE TABLE people (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id      BIGINT      NOT NULL REFERENCES schools (id),
    external_id    TEXT        NOT NULL,
    display_name   TEXT        NOT NULL,
    -- COLLATE "C": sort_key is lower-cased in Rust, and byte order is what SQLite's BINARY
    -- uses, so both stores list and page through people in the same order.
    sort_key       TEXT        COLLATE "C" NOT NULL,
    role           TEXT        NOT NULL CHECK (role IN ('pupil', 'employee', 'manager', 'parent', 'volunteer')),
    date_of_birth  DATE,
    group_name     TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, external_id),
    UNIQUE (school_id, id),
    CHECK (date_of_birth IS NULL OR role = 'pupil')
);
CREATE INDEX people_by_name ON people (school_id, sort_key, id);
CREATE INDEX people_by_group ON people (school_id, group_name, sort_key, id);

CREATE TABLE guardian_links (
    school_id    BIGINT      NOT NULL,
    guardian_id  BIGINT      NOT NULL,
    pupil_id     BIGINT      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (school_id, guardian_id, pupil_id),
    FOREIGN KEY (school_id, guardian_id) REFERENCES people (school_id, id) ON DELETE CASCADE,
    FOREIGN KEY (school_id, pupil_id) REFERENCES people (school_id, id) ON DELETE CASCADE
);
CREATE INDEX guardian_links_by_pupil ON guardian_links (school_id, pupil_id);

CREATE TABLE consent_purposes (
    school_id    BIGINT      NOT NULL REFERENCES schools (id),
    key          TEXT        NOT NULL,
    description  TEXT        NOT NULL,
    builtin      BOOLEAN     NOT NULL,
    -- When the description last changed (NULL: never since created): consent given before it
    -- no longer covers the purpose.
    changed_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (school_id, key)
);

-- Every decision ever recorded, never updated: the history the registry shows.
CREATE TABLE consent_changes (
    id           BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id    BIGINT      NOT NULL,
    pupil_id     BIGINT      NOT NULL,
    purpose      TEXT        NOT NULL,
    action       TEXT        NOT NULL CHECK (action IN ('give', 'refuse', 'withdraw')),
    state        TEXT        NOT NULL CHECK (state IN ('given', 'refused')),
    decided_by   BIGINT,
    channel      TEXT        NOT NULL CHECK (channel IN ('web', 'paper', 'api', 'import')),
    actor        TEXT        NOT NULL,
    decided_at   TIMESTAMPTZ NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (school_id, pupil_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, decided_by) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, purpose) REFERENCES consent_purposes (school_id, key)
);
CREATE INDEX consent_changes_by_pupil ON consent_changes (school_id, pupil_id, id);

-- The state in force per pupil and purpose: the latest decision of consent_changes, written in
-- the same transaction. No row = unknown: silence is not consent.
CREATE TABLE consent_current (
    school_id   BIGINT      NOT NULL,
    purpose     TEXT        NOT NULL,
    pupil_id    BIGINT      NOT NULL,
    state       TEXT        NOT NULL CHECK (state IN ('given', 'refused')),
    decided_at  TIMESTAMPTZ NOT NULL,
    change_id   BIGINT      NOT NULL REFERENCES consent_changes (id),
    PRIMARY KEY (school_id, purpose, pupil_id),
    FOREIGN KEY (school_id, pupil_id) REFERENCES people (school_id, id),
    FOREIGN KEY (school_id, purpose) REFERENCES consent_purposes (school_id, key)
);

-- Append-only, hash-chained per school. hash = sha256(prev_hash || canonical entry), where the
-- canonical entry holds payload_sha256 rather than the payload itself, so a payload can be
-- erased (AVG) without breaking the chain.
CREATE TABLE audit_log (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id       BIGINT      NOT NULL REFERENCES schools (id),
    seq             BIGINT      NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    actor           TEXT        NOT NULL,
    entity          TEXT        NOT NULL,
    entity_id       TEXT        NOT NULL,
    action          TEXT        NOT NULL,
    before_json     TEXT,
    after_json      TEXT,
    payload_sha256  TEXT        NOT NULL,
    prev_hash       TEXT        NOT NULL,
    hash            TEXT        NOT NULL,
    redacted_at     TIMESTAMPTZ,
    UNIQUE (school_id, seq)
);
CREATE INDEX audit_log_by_entity ON audit_log (school_id, entity, entity_id);

-- The database refuses edits too, as a second line behind verify(): the one update allowed is
-- a redaction that blanks the payload and leaves everything the chain covers as it was.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.before_json IS NULL AND NEW.after_json IS NULL AND NEW.redacted_at IS NOT NULL
       AND (NEW.id, NEW.school_id, NEW.seq, NEW.at, NEW.actor, NEW.entity, NEW.entity_id,
            NEW.action, NEW.payload_sha256, NEW.prev_hash, NEW.hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.school_id, OLD.seq, OLD.at, OLD.actor, OLD.entity, OLD.entity_id,
            OLD.action, OLD.payload_sha256, OLD.prev_hash, OLD.hash)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
