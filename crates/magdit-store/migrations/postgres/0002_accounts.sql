-- magdit store, PostgreSQL flavour, migration 2: accounts and their grants, sessions and API
-- tokens, OIDC identities, stored checks, retention periods, and an audit chain per board.
-- Kept equivalent to ../sqlite/0002_accounts.sql; a test compares the two.

-- Locks a board's audit chain the way schools.revision locks a school's: bumped first by every
-- transaction that appends to the board's chain.
ALTER TABLE boards ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

-- Local accounts. email_key is the address lower-cased in Rust (as SQLite's LOWER() knows
-- ASCII only), so an address is unique whatever its case. password_hash is an argon2id PHC
-- string, NULL for an account that signs in through OIDC only.
CREATE TABLE accounts (
    id             BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          TEXT        NOT NULL,
    email_key      TEXT        COLLATE "C" NOT NULL UNIQUE,
    display_name   TEXT        NOT NULL,
    password_hash  TEXT,
    disabled_at    TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL,
    -- Bumped by every change of the account or its grants; the bump locks the row.
    updated_at     TIMESTAMPTZ NOT NULL
);

-- What an account may do where: a role with a board (board_admin) or a school (the others);
-- guardian and pupil grants also name the person on that school's roster the account is.
CREATE TABLE grants (
    id          BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  BIGINT      NOT NULL REFERENCES accounts (id),
    role        TEXT        NOT NULL CHECK (role IN ('board_admin', 'school_admin', 'leidinggevende', 'employee', 'guardian', 'pupil')),
    board_id    BIGINT      REFERENCES boards (id),
    school_id   BIGINT      REFERENCES schools (id),
    person_id   BIGINT,
    created_at  TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (school_id, person_id) REFERENCES people (school_id, id),
    CHECK ((role = 'board_admin') = (board_id IS NOT NULL)),
    CHECK ((role = 'board_admin') = (school_id IS NULL)),
    CHECK ((role IN ('guardian', 'pupil')) = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX grants_one_per_board ON grants (account_id, board_id) WHERE board_id IS NOT NULL;
CREATE UNIQUE INDEX grants_one_per_school_role ON grants (account_id, school_id, role) WHERE school_id IS NOT NULL;
-- A person on a roster is at most one account.
CREATE UNIQUE INDEX grants_one_account_per_person ON grants (school_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX grants_by_school ON grants (school_id, account_id);
CREATE INDEX grants_by_account ON grants (account_id);

-- Browser sessions and API tokens. Only the SHA-256 of the secret token is kept. A browser
-- session has a CSRF token; an API token has a name. idle_expires_at moves with use
-- (idle_seconds after last_seen_at, never past expires_at); NULL = no idle limit.
CREATE TABLE sessions (
    id               BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id       BIGINT      NOT NULL REFERENCES accounts (id),
    kind             TEXT        NOT NULL CHECK (kind IN ('browser', 'api_token')),
    name             TEXT,
    token_sha256     TEXT        NOT NULL UNIQUE,
    csrf_token       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    last_seen_at     TIMESTAMPTZ NOT NULL,
    idle_seconds     BIGINT,
    idle_expires_at  TIMESTAMPTZ,
    expires_at       TIMESTAMPTZ NOT NULL,
    revoked_at       TIMESTAMPTZ,
    CHECK ((kind = 'api_token') = (name IS NOT NULL)),
    CHECK ((kind = 'browser') = (csrf_token IS NOT NULL)),
    CHECK ((idle_seconds IS NULL) = (idle_expires_at IS NULL))
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- An OIDC identity (issuer, subject) linked to an existing account.
CREATE TABLE oidc_identities (
    issuer         TEXT        NOT NULL,
    subject        TEXT        NOT NULL,
    account_id     BIGINT      NOT NULL REFERENCES accounts (id),
    email          TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    last_login_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_by_account ON oidc_identities (account_id);

-- A check someone ran: the verdict and facts as JSON text (TEXT, not JSONB: returned as
-- stored), and the post's text and situation only when the user asked to save them (saved);
-- retention blanks them later (text_purged_at).
CREATE TABLE checks (
    id                BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_id         BIGINT      NOT NULL REFERENCES schools (id),
    account_id        BIGINT      NOT NULL REFERENCES accounts (id),
    protocol_id       TEXT        NOT NULL,
    protocol_version  TEXT,
    outcome           TEXT        NOT NULL,
    verdict_json      TEXT        NOT NULL,
    facts_json        TEXT        NOT NULL,
    saved             BOOLEAN     NOT NULL,
    post_text         TEXT,
    situation_json    TEXT,
    text_purged_at    TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (school_id, id),
    CHECK (saved OR (post_text IS NULL AND situation_json IS NULL))
);
CREATE INDEX checks_by_account ON checks (account_id, school_id);
CREATE INDEX checks_by_time ON checks (school_id, created_at);

-- A school's retention periods in days; no row = the defaults (retention.rs).
CREATE TABLE retention_policies (
    school_id            BIGINT      PRIMARY KEY REFERENCES schools (id),
    checks_days          BIGINT      NOT NULL CHECK (checks_days BETWEEN 1 AND 3650),
    check_texts_days     BIGINT      NOT NULL CHECK (check_texts_days BETWEEN 1 AND 3650),
    sessions_days        BIGINT      NOT NULL CHECK (sessions_days BETWEEN 1 AND 3650),
    audit_payloads_days  BIGINT      NOT NULL CHECK (audit_payloads_days BETWEEN 1 AND 3650),
    updated_at           TIMESTAMPTZ NOT NULL
);

-- The audit chain of a board: changes that concern a board rather than one school (board
-- admins' grants, their accounts). Hashed like audit_log, with its own domain tag.
CREATE TABLE board_audit_log (
    id              BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    board_id        BIGINT      NOT NULL REFERENCES boards (id),
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
    UNIQUE (board_id, seq)
);
CREATE INDEX board_audit_log_by_entity ON board_audit_log (board_id, entity, entity_id);
CREATE INDEX audit_log_by_time ON audit_log (school_id, at);

CREATE FUNCTION board_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.before_json IS NULL AND NEW.after_json IS NULL AND NEW.redacted_at IS NOT NULL
       AND (NEW.id, NEW.board_id, NEW.seq, NEW.at, NEW.actor, NEW.entity, NEW.entity_id,
            NEW.action, NEW.payload_sha256, NEW.prev_hash, NEW.hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.board_id, OLD.seq, OLD.at, OLD.actor, OLD.entity, OLD.entity_id,
            OLD.action, OLD.payload_sha256, OLD.prev_hash, OLD.hash)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'board_audit_log is append-only';
END
$$;

CREATE TRIGGER board_audit_log_append_only BEFORE UPDATE OR DELETE ON board_audit_log
    FOR EACH ROW EXECUTE FUNCTION board_audit_log_append_only();
