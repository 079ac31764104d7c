-- magdit store, SQLite flavour, migration 2: accounts and their grants, sessions and API
-- tokens, OIDC identities, stored checks, retention periods, and an audit chain per board.
-- Kept equivalent to ../postgres/0002_accounts.sql; a test compares the two.

-- Locks a board's audit chain the way schools.revision locks a school's: bumped first by every
-- transaction that appends to the board's chain.
ALTER TABLE boards ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

-- Local accounts. email_key is the address lower-cased in Rust (SQLite's LOWER() knows ASCII
-- only), so an address is unique whatever its case. password_hash is an argon2id PHC string,
-- NULL for an account that signs in through OIDC only.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    email          TEXT    NOT NULL,
    email_key      TEXT    NOT NULL UNIQUE,
    display_name   TEXT    NOT NULL,
    password_hash  TEXT,
    disabled_at    TEXT,
    created_at     TEXT    NOT NULL,
    -- Bumped by every change of the account or its grants; the bump locks the row.
    updated_at     TEXT    NOT NULL
);

-- What an account may do where: a role with a board (board_admin) or a school (the others);
-- guardian and pupil grants also name the person on that school's roster the account is.
CREATE TABLE grants (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    role        TEXT    NOT NULL CHECK (role IN ('board_admin', 'school_admin', 'leidinggevende', 'employee', 'guardian', 'pupil')),
    board_id    INTEGER REFERENCES boards (id),
    school_id   INTEGER REFERENCES schools (id),
    person_id   INTEGER,
    created_at  TEXT    NOT NULL,
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
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    kind             TEXT    NOT NULL CHECK (kind IN ('browser', 'api_token')),
    name             TEXT,
    token_sha256     TEXT    NOT NULL UNIQUE,
    csrf_token       TEXT,
    created_at       TEXT    NOT NULL,
    last_seen_at     TEXT    NOT NULL,
    idle_seconds     INTEGER,
    idle_expires_at  TEXT,
    expires_at       TEXT    NOT NULL,
    revoked_at       TEXT,
    CHECK ((kind = 'api_token') = (name IS NOT NULL)),
    CHECK ((kind = 'browser') = (csrf_token IS NOT NULL)),
    CHECK ((idle_seconds IS NULL) = (idle_expires_at IS NULL))
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- An OIDC identity (issuer, subject) linked to an existing account.
CREATE TABLE oidc_identities (
    issuer         TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    email          TEXT,
    created_at     TEXT    NOT NULL,
    last_login_at  TEXT    NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_by_account ON oidc_identities (account_id);

-- A check someone ran: the verdict and facts as JSON text, and the post's text and situation
-- only when the user asked to save them (saved = 1); retention blanks them later
-- (text_purged_at).
CREATE TABLE checks (
    id                INTEGER PRIMARY KEY,
    school_id         INTEGER NOT NULL REFERENCES schools (id),
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    protocol_id       TEXT    NOT NULL,
    protocol_version  TEXT,
    outcome           TEXT    NOT NULL,
    verdict_json      TEXT    NOT NULL,
    facts_json        TEXT    NOT NULL,
    saved             INTEGER NOT NULL,
    post_text         TEXT,
    situation_json    TEXT,
    text_purged_at    TEXT,
    created_at        TEXT    NOT NULL,
    UNIQUE (school_id, id),
    CHECK (saved = 1 OR (post_text IS NULL AND situation_json IS NULL))
);
CREATE INDEX checks_by_account ON checks (account_id, school_id);
CREATE INDEX checks_by_time ON checks (school_id, created_at);

-- A school's retention periods in days; no row = the defaults (retention.rs).
CREATE TABLE retention_policies (
    school_id            INTEGER PRIMARY KEY REFERENCES schools (id),
    checks_days          INTEGER NOT NULL CHECK (checks_days BETWEEN 1 AND 3650),
    check_texts_days     INTEGER NOT NULL CHECK (check_texts_days BETWEEN 1 AND 3650),
    sessions_days        INTEGER NOT NULL CHECK (sessions_days BETWEEN 1 AND 3650),
    audit_payloads_days  INTEGER NOT NULL CHECK (audit_payloads_days BETWEEN 1 AND 3650),
    updated_at           TEXT    NOT NULL
);

-- The audit chain of a board: changes that concern a board rather than one school (board
-- admins' grants, their accounts). Hashed like audit_log, with its own domain tag.
CREATE TABLE board_audit_log (
    id              INTEGER PRIMARY KEY,
    board_id        INTEGER NOT NULL REFERENCES boards (id),
    seq             INTEGER NOT NULL,
    at              TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    entity          TEXT    NOT NULL,
    entity_id       TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    before_json     TEXT,
    after_json      TEXT,
    payload_sha256  TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    redacted_at     TEXT,
    UNIQUE (board_id, seq)
);
CREATE INDEX board_audit_log_by_entity ON board_audit_log (board_id, entity, entity_id);
CREATE INDEX audit_log_by_time ON audit_log (school_id, at);

CREATE TRIGGER board_audit_log_no_delete BEFORE DELETE ON board_audit_log
BEGIN
    SELECT RAISE(ABORT, 'board_audit_log is append-only');
END;

CREATE TRIGGER board_audit_log_no_update BEFORE UPDATE ON board_audit_log
WHEN NOT (
    NEW.before_json IS NULL AND NEW.after_json IS NULL AND NEW.redacted_at IS NOT NULL
    AND NEW.id = OLD.id AND NEW.board_id = OLD.board_id AND NEW.seq = OLD.seq
    AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.entity = OLD.entity
    AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
    AND NEW.payload_sha256 = OLD.payload_sha256 AND NEW.prev_hash = OLD.prev_hash
    AND NEW.hash = OLD.hash
)
BEGIN
    SELECT RAISE(ABORT, 'board_audit_log is append-only');
END;
