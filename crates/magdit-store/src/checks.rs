//! Stored checks: what a check answered, for the school's record.
//!
//! A check keeps its verdict and facts (JSON text, as the engine wrote them), the protocol,
//! the account that ran it, the school and the time. The post's text and the situation are
//! personal data about others more often than not, so they are kept only when the user asked
//! to save them, and then only for the school's retention period for texts (30 days by
//! default), after which [`crate::retention`] blanks them and the check stays.

use std::collections::HashSet;

use serde::{Serialize, Serializer};
use time::OffsetDateTime;

use crate::clock;
use crate::db::{from_row, sql, Store};
use crate::error::{Error, Result};
use crate::ids::{optional_text, text, AccountId, CheckId, SchoolId};

/// The most bytes a verdict or facts document may have.
pub const MAX_JSON_BYTES: usize = 256 * 1024;
/// The most characters a saved post text may have.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The most bytes a saved situation may have.
pub const MAX_SITUATION_BYTES: usize = 64 * 1024;

/// A check to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheck {
    /// Who ran it: an enabled account with a grant in the school (or its board).
    pub account: AccountId,
    /// The protocol it was checked against and its version.
    pub protocol: String,
    pub protocol_version: Option<String>,
    /// The verdict's outcome word (`allowed`, `not_allowed`, `conditional`, …).
    pub outcome: String,
    /// The verdict as JSON.
    pub verdict: String,
    /// The fact sheet as JSON.
    pub facts: String,
    /// The post's text and the situation as JSON, kept only if `save` is set.
    pub text: Option<String>,
    pub situation: Option<String>,
    /// The user asked to save the text and situation.
    pub save: bool,
}

/// A stored check. JSON columns serialise as JSON, not as strings holding JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCheck {
    pub id: CheckId,
    pub school: SchoolId,
    pub account: AccountId,
    pub protocol: String,
    pub protocol_version: Option<String>,
    pub outcome: String,
    #[serde(serialize_with = "json_text")]
    pub verdict: String,
    #[serde(serialize_with = "json_text")]
    pub facts: String,
    /// Whether the user asked to save the text and situation.
    pub saved: bool,
    pub text: Option<String>,
    #[serde(serialize_with = "optional_json_text")]
    pub situation: Option<String>,
    /// When retention blanked the saved text and situation.
    #[serde(with = "time::serde::rfc3339::option")]
    pub text_purged_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

from_row!(StoredCheck, |row| Ok(StoredCheck {
    id: CheckId(row.try_get("id")?),
    school: SchoolId(row.try_get("school_id")?),
    account: AccountId(row.try_get("account_id")?),
    protocol: row.try_get("protocol_id")?,
    protocol_version: row.try_get("protocol_version")?,
    outcome: row.try_get("outcome")?,
    verdict: row.try_get("verdict_json")?,
    facts: row.try_get("facts_json")?,
    saved: row.try_get("saved")?,
    text: row.try_get("post_text")?,
    situation: row.try_get("situation_json")?,
    text_purged_at: row.try_get("text_purged_at")?,
    created_at: row.try_get("created_at")?,
}));

pub(crate) const CHECK_COLUMNS: &str =
    "id, school_id, account_id, protocol_id, protocol_version, outcome, verdict_json, \
                                        facts_json, saved, post_text, situation_json, text_purged_at, created_at";

/// A check in a list: without its documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckSummary {
    pub id: CheckId,
    pub account: AccountId,
    pub protocol: String,
    pub outcome: String,
    /// Whether a text is kept (saved and not yet purged).
    pub has_text: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

from_row!(CheckSummary, |row| Ok(CheckSummary {
    id: CheckId(row.try_get("id")?),
    account: AccountId(row.try_get("account_id")?),
    protocol: row.try_get("protocol_id")?,
    outcome: row.try_get("outcome")?,
    has_text: row.try_get("has_text")?,
    created_at: row.try_get("created_at")?,
}));

/// A page of checks, newest first, and where the next page starts (None on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckPage {
    pub items: Vec<CheckSummary>,
    pub next: Option<CheckId>,
}

fn json_text<S: Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
    value.serialize(s)
}

fn optional_json_text<S: Serializer>(text: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(t) => json_text(t, s),
        None => s.serialize_none(),
    }
}

/// Checks that `value` is a JSON document of at most `max` bytes.
fn json(field: &'static str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::invalid(field, format!("has {} bytes; at most {max}", value.len())));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(value)
        .map_err(|e| Error::invalid(field, format!("is not JSON: {e}")))?;
    Ok(())
}

/// An identifier-like word: a-z, 0-9, `-` and `_`, at most `max` bytes.
fn word(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = text(field, value, max)?;
    if !value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_') {
        return Err(Error::invalid(field, format!("`{value}` may hold only a-z, 0-9, - and _")));
    }
    Ok(value)
}

/// A [`NewCheck`]'s values, checked.
struct Prepared {
    protocol: String,
    version: Option<String>,
    outcome: String,
    text: Option<String>,
    situation: Option<String>,
}

impl Prepared {
    fn of(check: &NewCheck) -> Result<Prepared> {
        let protocol = word("check.protocol", &check.protocol, 64)?;
        let version = optional_text("check.protocol_version", check.protocol_version.as_deref(), 64)?;
        let outcome = word("check.outcome", &check.outcome, 32)?;
        json("check.verdict", &check.verdict, MAX_JSON_BYTES)?;
        json("check.facts", &check.facts, MAX_JSON_BYTES)?;
        let (text, situation) = if check.save {
            if let Some(t) = &check.text {
                let chars = t.chars().count();
                if chars > MAX_TEXT_CHARS {
                    return Err(Error::invalid("check.text", format!("has {chars} characters; at most {MAX_TEXT_CHARS}")));
                }
            }
            if let Some(s) = &check.situation {
                json("check.situation", s, MAX_SITUATION_BYTES)?;
            }
            (check.text.clone(), check.situation.clone())
        } else {
            (None, None)
        };
        Ok(Prepared { protocol, version, outcome, text, situation })
    }
}

/// Rows per INSERT statement of [`Store::store_checks`], largest first: a batch goes in
/// statements of these sizes, so each connection prepares at most three statement texts, and
/// a statement holds at most 176 parameters (SQLite looks a parameter's name up by walking
/// the statement's list of them, so very long statements cost more per row, not less).
const ROWS_PER_INSERT: [usize; 3] = [16, 4, 1];

/// `INSERT INTO checks … VALUES (…), (…) RETURNING …` for `rows` rows.
fn insert_checks_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=11).map(|k| format!("${}", r * 11 + k)).collect();
            format!("({})", p.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO checks (school_id, account_id, protocol_id, protocol_version, outcome, verdict_json, facts_json, \
         saved, post_text, situation_json, created_at) VALUES {} RETURNING {CHECK_COLUMNS}",
        values.join(", ")
    )
}

impl Store {
    /// Stores a check of `school`. The text and situation are kept only if `check.save`. The
    /// account must hold a grant in the school or be an admin of its board (NotFound
    /// otherwise) and be enabled (Conflict).
    pub async fn store_check(&self, school: SchoolId, check: &NewCheck) -> Result<StoredCheck> {
        let mut stored = self.store_checks(&[(school, check.clone())]).await?;
        stored.pop().ok_or_else(|| Error::not_found("check", "just stored"))
    }

    /// Stores many checks in one transaction, as [`Store::store_check`] does one: the service
    /// writes checks in batches, off the request path. A check is a record of use, not a
    /// change to a school's data: it is neither audited nor does it bump the school's
    /// revision (which would make every reader reload its cached roster after every check).
    /// Any invalid check fails the whole batch.
    pub async fn store_checks(&self, batch: &[(SchoolId, NewCheck)]) -> Result<Vec<StoredCheck>> {
        let prepared: Vec<(SchoolId, &NewCheck, Prepared)> =
            batch.iter().map(|(school, check)| Ok((*school, check, Prepared::of(check)?))).collect::<Result<_>>()?;
        let now = clock::now();
        let mut tx = self.begin().await?;
        // A batch holds many checks of few accounts: each school and account is checked once.
        let mut checked = HashSet::new();
        for (school, check, _) in &prepared {
            if !checked.insert((*school, check.account)) {
                continue;
            }
            let exists: Option<i64> = sql!(tx.conn(), "finding the school of a check", |c| {
                sqlx::query_scalar("SELECT id FROM schools WHERE id = $1").bind(school.0).fetch_optional(c).await
            })?;
            if exists.is_none() {
                return Err(Error::not_found("school", school));
            }
            let disabled: Option<Option<OffsetDateTime>> = sql!(tx.conn(), "checking the account of a check", |c| {
                sqlx::query_scalar(
                    "SELECT a.disabled_at FROM accounts a WHERE a.id = $1 AND EXISTS (SELECT 1 FROM grants g \
                     WHERE g.account_id = a.id AND (g.school_id = $2 OR g.board_id = (SELECT board_id FROM schools WHERE id = $2)))",
                )
                .bind(check.account.0)
                .bind(school.0)
                .fetch_optional(c)
                .await
            })?;
            match disabled {
                None => return Err(Error::not_found("account", check.account)),
                Some(Some(_)) => return Err(Error::conflict("account", check.account, "is disabled")),
                Some(None) => {}
            }
        }
        // Several rows per statement: a statement is a round trip to the database (on SQLite,
        // to the connection's thread), which costs more than a row.
        let mut stored = Vec::with_capacity(prepared.len());
        let mut rest = &prepared[..];
        while !rest.is_empty() {
            let n = ROWS_PER_INSERT.into_iter().find(|&n| n <= rest.len()).unwrap_or(1);
            let (rows, after) = rest.split_at(n);
            rest = after;
            let sql = insert_checks_sql(rows.len());
            let inserted: Vec<StoredCheck> = sql!(tx.conn(), "storing checks", |c| {
                let mut query = sqlx::query_as(&sql);
                for (school, check, p) in rows {
                    query = query
                        .bind(school.0)
                        .bind(check.account.0)
                        .bind(&p.protocol)
                        .bind(&p.version)
                        .bind(&p.outcome)
                        .bind(&check.verdict)
                        .bind(&check.facts)
                        .bind(check.save)
                        .bind(&p.text)
                        .bind(&p.situation)
                        .bind(now);
                }
                query.fetch_all(c).await
            })?;
            stored.extend(inserted);
        }
        tx.commit().await?;
        // RETURNING promises no order; ids follow the order of insertion.
        stored.sort_by_key(|c| c.id);
        Ok(stored)
    }

    /// One check of `school`; a check of another school is NotFound.
    pub async fn check(&self, school: SchoolId, id: CheckId) -> Result<StoredCheck> {
        let sql = format!("SELECT {CHECK_COLUMNS} FROM checks WHERE school_id = $1 AND id = $2");
        let mut conn = self.read().await?;
        let found: Option<StoredCheck> = sql!(conn.conn(), "reading a check", |c| {
            sqlx::query_as(&sql).bind(school.0).bind(id.0).fetch_optional(c).await
        })?;
        found.ok_or_else(|| Error::not_found("check", id))
    }

    /// A page of `school`'s checks, newest first: up to `limit` (1 to 1,000) before `before`
    /// (None for the newest), only `account`'s if given (a user's own checks).
    pub async fn checks(
        &self,
        school: SchoolId,
        account: Option<AccountId>,
        limit: u32,
        before: Option<CheckId>,
    ) -> Result<CheckPage> {
        if limit == 0 || limit > crate::roster::MAX_PAGE {
            return Err(Error::invalid("limit", format!("{limit} is not between 1 and {}", crate::roster::MAX_PAGE)));
        }
        let mut conn = self.read().await?;
        let mut items: Vec<CheckSummary> = sql!(conn.conn(), "listing checks", |c| {
            sqlx::query_as(
                "SELECT id, account_id, protocol_id, outcome, post_text IS NOT NULL OR situation_json IS NOT NULL AS has_text, \
                 created_at FROM checks WHERE school_id = $1 AND ($2 IS NULL OR account_id = $2) \
                 AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
            )
            .bind(school.0)
            .bind(account.map(|a| a.0))
            .bind(before.map(|b| b.0))
            .bind(i64::from(limit) + 1)
            .fetch_all(c)
            .await
        })?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|c| c.id)
        } else {
            None
        };
        Ok(CheckPage { items, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_must_be_json_and_small() {
        assert!(json("f", r#"{"a":1}"#, 100).is_ok());
        assert!(json("f", "{", 100).is_err());
        assert!(json("f", &format!("\"{}\"", "x".repeat(200)), 100).is_err());
        assert!(word("w", "not_allowed", 32).is_ok());
        assert!(word("w", "Not Allowed", 32).is_err());
    }

    #[test]
    fn documents_serialise_as_json() {
        let c = StoredCheck {
            id: CheckId(1),
            school: SchoolId(2),
            account: AccountId(3),
            protocol: "lvo".into(),
            protocol_version: None,
            outcome: "allowed".into(),
            verdict: r#"{"outcome":"allowed"}"#.into(),
            facts: "[]".into(),
            saved: false,
            text: None,
            situation: None,
            text_purged_at: None,
            created_at: time::macros::datetime!(2025-08-01 9:00 UTC),
        };
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["verdict"]["outcome"], "allowed");
        assert_eq!(v["facts"], serde_json::json!([]));
    }
}
