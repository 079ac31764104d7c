//! Browser sessions and API tokens.
//!
//! A session's secret token (32 random bytes, base64url) is handed out once, by
//! [`Store::create_session`]; the store keeps only its SHA-256, so a copy of the database does
//! not let anyone sign in. A browser session also has a CSRF token, which the service puts in
//! its forms and compares ([`Principal::csrf_matches`]). A session ends at its absolute
//! expiry, after its idle time without use (browser sessions; `last_seen_at` moves at most once
//! a minute, so most requests write nothing), when revoked, or when its account is disabled.
//!
//! [`Store::authenticate`] is the hot path of every request: one query (session, account and
//! grants joined), plus at most one small update when the session's idle expiry moves.
//!
//! Sessions are not audited (a sign-in would otherwise write into the chain of every school
//! the account works at); their rows are the record, kept for the retention period after
//! they end ([`crate::retention`]).

use serde::{Deserialize, Serialize};
use std::fmt;
use time::{Duration, OffsetDateTime};

use crate::accounts::{account_in, Account, Grant};
use crate::clock;
use crate::db::{execute, from_row, parse_column, sql, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{text, AccountId, SessionId};
use crate::password;
use crate::vocab::SessionKind;

/// How often at most a session's `last_seen_at` (and idle expiry) is written.
const TOUCH_EVERY: Duration = Duration::minutes(1);
/// The longest a session or token may live.
pub const MAX_LIFETIME: Duration = Duration::days(400);

/// What kind of session to create.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewSession {
    /// A browser session (cookie), with a CSRF token.
    Browser,
    /// A bearer token for the API, named by its owner ("rooster-koppeling").
    ApiToken { name: String },
}

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SessionPolicy {
    /// Ends after this long without use; None: only the absolute expiry applies.
    pub idle: Option<Duration>,
    /// Ends this long after creation, used or not.
    pub absolute: Duration,
}

impl SessionPolicy {
    /// A browser session: 2 hours idle, 12 hours at most (a school day and an evening).
    pub fn browser() -> SessionPolicy {
        SessionPolicy { idle: Some(Duration::hours(2)), absolute: Duration::hours(12) }
    }

    /// An API token: no idle limit, 90 days at most (then its owner makes a new one).
    pub fn api_token() -> SessionPolicy {
        SessionPolicy { idle: None, absolute: Duration::days(90) }
    }

    fn validate(self) -> Result<SessionPolicy> {
        if self.absolute <= Duration::ZERO || self.absolute > MAX_LIFETIME {
            return Err(Error::invalid("session.absolute", format!("{} is not between 0 and 400 days", self.absolute)));
        }
        if let Some(idle) = self.idle {
            if idle < Duration::seconds(60) || idle > self.absolute {
                return Err(Error::invalid(
                    "session.idle",
                    format!("{idle} is not between a minute and the absolute expiry"),
                ));
            }
        }
        Ok(self)
    }
}

/// A session's metadata (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub account: AccountId,
    pub kind: SessionKind,
    /// An API token's name.
    pub name: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_seen_at: OffsetDateTime,
    /// When it ends unless used before (None: no idle limit).
    #[serde(with = "time::serde::rfc3339::option")]
    pub idle_expires_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    #[serde(skip)]
    idle_seconds: Option<i64>,
}

impl Session {
    /// Whether the session lets its holder in at `now` (its account aside).
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.revoked_at.is_none() && now < self.expires_at && self.idle_expires_at.is_none_or(|t| now < t)
    }
}

from_row!(Session, |row| {
    let kind: String = row.try_get("kind")?;
    Ok(Session {
        id: SessionId(row.try_get("id")?),
        account: AccountId(row.try_get("account_id")?),
        kind: parse_column("kind", &kind)?,
        name: row.try_get("name")?,
        created_at: row.try_get("created_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        idle_expires_at: row.try_get("idle_expires_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        idle_seconds: row.try_get("idle_seconds")?,
    })
});

const SESSION_COLUMNS: &str =
    "id, account_id, kind, name, created_at, last_seen_at, idle_seconds, idle_expires_at, expires_at, revoked_at";

/// A new session and its secrets, which the store does not keep: give `token` to the client
/// (cookie or bearer token) and `csrf_token` to the page.
#[derive(Clone)]
pub struct CreatedSession {
    pub session: Session,
    pub token: String,
    pub csrf_token: Option<String>,
}

impl fmt::Debug for CreatedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatedSession").field("session", &self.session).finish_non_exhaustive()
    }
}

/// Who a request comes from: the session, its account, and the account's grants.
#[derive(Clone, PartialEq, Eq)]
pub struct Principal {
    pub session: Session,
    pub account: Account,
    pub grants: Vec<Grant>,
    csrf_token: Option<String>,
}

impl Principal {
    /// The browser session's CSRF token, to put in forms.
    pub fn csrf_token(&self) -> Option<&str> {
        self.csrf_token.as_deref()
    }

    /// Whether `given` is this browser session's CSRF token (compared in constant time);
    /// always false for an API token, which needs none.
    pub fn csrf_matches(&self, given: &str) -> bool {
        self.csrf_token.as_deref().is_some_and(|t| password::constant_time_eq(t, given))
    }
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("session", &self.session)
            .field("account", &self.account)
            .field("grants", &self.grants)
            .finish_non_exhaustive()
    }
}

/// One row of the hot-path join: a session, its account, and one grant (or none).
struct Joined {
    session: Session,
    csrf_token: Option<String>,
    account: Account,
    grant: Option<Grant>,
}

from_row!(Joined, |row| {
    let role: Option<String> = row.try_get("role")?;
    let grant = match role {
        Some(role) => Some(Grant::from_parts(
            &role,
            row.try_get("board_id")?,
            row.try_get("school_id")?,
            row.try_get("person_id")?,
        )?),
        None => None,
    };
    Ok(Joined {
        session: sqlx::FromRow::from_row(row)?,
        csrf_token: row.try_get("csrf_token")?,
        account: Account {
            id: AccountId(row.try_get("account_id")?),
            email: row.try_get("email")?,
            name: row.try_get("display_name")?,
            has_password: row.try_get("has_password")?,
            disabled_at: row.try_get("disabled_at")?,
            created_at: row.try_get("account_created_at")?,
        },
        grant,
    })
});

impl Store {
    /// Starts a session for `account` and returns its secret token, the one time it is
    /// seen. The account must be enabled: Unauthenticated otherwise.
    pub async fn create_session(
        &self,
        account: AccountId,
        kind: &NewSession,
        policy: SessionPolicy,
    ) -> Result<CreatedSession> {
        let policy = policy.validate()?;
        let (kind, name) = match kind {
            NewSession::Browser => (SessionKind::Browser, None),
            NewSession::ApiToken { name } => (SessionKind::ApiToken, Some(text("session.name", name, 100)?)),
        };
        let token = password::token()?;
        let csrf = match kind {
            SessionKind::Browser => Some(password::token()?),
            SessionKind::ApiToken => None,
        };
        let now = clock::now();
        let expires_at = now + policy.absolute;
        let idle_expires_at = policy.idle.map(|idle| (now + idle).min(expires_at));
        let mut tx = self.begin().await?;
        let holder = account_in(tx.conn(), account).await?;
        if holder.is_disabled() {
            return Err(Error::Unauthenticated);
        }
        let sql = format!(
            "INSERT INTO sessions (account_id, kind, name, token_sha256, csrf_token, created_at, last_seen_at, \
             idle_seconds, idle_expires_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9) \
             RETURNING {SESSION_COLUMNS}"
        );
        let session: Session = sql!(tx.conn(), "creating a session", |c| {
            sqlx::query_as(&sql)
                .bind(account.0)
                .bind(kind.as_str())
                .bind(&name)
                .bind(password::token_digest(&token))
                .bind(&csrf)
                .bind(now)
                .bind(policy.idle.map(|d| d.whole_seconds()))
                .bind(idle_expires_at)
                .bind(expires_at)
                .fetch_one(c)
                .await
        })?;
        tx.commit().await?;
        Ok(CreatedSession { session, token, csrf_token: csrf })
    }

    /// Who holds `token`: the session, its account and grants, if the session is active and
    /// the account enabled; Unauthenticated otherwise (unknown, malformed, expired, revoked,
    /// disabled — without saying which). Moves the idle expiry along, at most once a minute.
    pub async fn authenticate(&self, token: &str) -> Result<Principal> {
        if !password::is_token(token) {
            return Err(Error::Unauthenticated);
        }
        let digest = password::token_digest(token);
        let mut conn = self.read().await?;
        let rows: Vec<Joined> = sql!(conn.conn(), "reading a session", |c| {
            sqlx::query_as(
                "SELECT s.id, s.account_id, s.kind, s.name, s.csrf_token, s.created_at, s.last_seen_at, s.idle_seconds, \
                 s.idle_expires_at, s.expires_at, s.revoked_at, a.email, a.display_name, \
                 a.password_hash IS NOT NULL AS has_password, a.disabled_at, a.created_at AS account_created_at, \
                 g.role, g.board_id, g.school_id, g.person_id \
                 FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN grants g ON g.account_id = s.account_id \
                 WHERE s.token_sha256 = $1 \
                 ORDER BY g.board_id IS NULL, g.board_id, g.school_id, g.role, g.person_id",
            )
            .bind(&digest)
            .fetch_all(c)
            .await
        })?;
        let mut rows = rows.into_iter();
        let Some(first) = rows.next() else { return Err(Error::Unauthenticated) };
        let now = clock::now();
        if !first.session.is_active(now) || first.account.is_disabled() {
            return Err(Error::Unauthenticated);
        }
        let mut grants: Vec<Grant> = first.grant.into_iter().collect();
        grants.extend(rows.filter_map(|r| r.grant));
        let mut session = first.session;
        if now - session.last_seen_at >= TOUCH_EVERY {
            let idle_expires_at = session.idle_seconds.map(|s| (now + Duration::seconds(s)).min(session.expires_at));
            execute!(
                conn.conn(),
                "recording a session's use",
                sqlx::query(
                    "UPDATE sessions SET last_seen_at = $2, idle_expires_at = $3 WHERE id = $1 AND revoked_at IS NULL",
                )
                .bind(session.id.0)
                .bind(now)
                .bind(idle_expires_at)
            )?;
            session.last_seen_at = now;
            session.idle_expires_at = idle_expires_at;
        }
        Ok(Principal { session, account: first.account, grants, csrf_token: first.csrf_token })
    }

    /// Ends one session of `account` (sign-out, or deleting an API token); returns whether
    /// it was active. Another account's session id is NotFound.
    pub async fn revoke_session(&self, account: AccountId, session: SessionId) -> Result<bool> {
        let mut tx = self.begin().await?;
        let owner: Option<i64> = sql!(tx.conn(), "reading a session", |c| {
            sqlx::query_scalar("SELECT account_id FROM sessions WHERE id = $1 AND account_id = $2")
                .bind(session.0)
                .bind(account.0)
                .fetch_optional(c)
                .await
        })?;
        if owner.is_none() {
            return Err(Error::not_found("session", session));
        }
        let ended = execute!(
            tx.conn(),
            "revoking a session",
            sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
                .bind(session.0)
                .bind(clock::now())
        )?;
        tx.commit().await?;
        Ok(ended == 1)
    }

    /// Ends the session that `token` belongs to (sign-out); returns whether there was an
    /// active one.
    pub async fn revoke_token(&self, token: &str) -> Result<bool> {
        if !password::is_token(token) {
            return Ok(false);
        }
        let mut tx = self.begin().await?;
        let ended = execute!(
            tx.conn(),
            "revoking a session",
            sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE token_sha256 = $1 AND revoked_at IS NULL")
                .bind(password::token_digest(token))
                .bind(clock::now())
        )?;
        tx.commit().await?;
        Ok(ended == 1)
    }

    /// Ends every session and API token of `account` (after a password change, say);
    /// returns how many were active.
    pub async fn revoke_sessions(&self, account: AccountId) -> Result<u64> {
        let mut tx = self.begin().await?;
        account_in(tx.conn(), account).await?;
        let ended = revoke_all_in(&mut tx, account).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// The sessions and API tokens of `account` (metadata only), newest first, ended ones
    /// included until retention removes them.
    pub async fn sessions(&self, account: AccountId) -> Result<Vec<Session>> {
        let mut conn = self.read().await?;
        account_in(conn.conn(), account).await?;
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE account_id = $1 ORDER BY id DESC");
        sql!(conn.conn(), "listing sessions", |c| sqlx::query_as(&sql).bind(account.0).fetch_all(c).await)
    }
}

/// Revokes every active session of `account` inside `tx`.
pub(crate) async fn revoke_all_in(tx: &mut Tx, account: AccountId) -> Result<u64> {
    execute!(
        tx.conn(),
        "revoking sessions",
        sqlx::query("UPDATE sessions SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL")
            .bind(account.0)
            .bind(clock::now())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_are_bounded() {
        assert!(SessionPolicy::browser().validate().is_ok());
        assert!(SessionPolicy::api_token().validate().is_ok());
        assert!(SessionPolicy { idle: None, absolute: Duration::days(500) }.validate().is_err());
        assert!(SessionPolicy { idle: Some(Duration::hours(3)), absolute: Duration::hours(1) }.validate().is_err());
        assert!(SessionPolicy { idle: None, absolute: Duration::ZERO }.validate().is_err());
    }
}
