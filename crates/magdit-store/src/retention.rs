//! Retention: how long each kind of record is kept, per school, and the purge that enforces
//! it.
//!
//! | kind | default | what the purge does |
//! |---|---|---|
//! | stored checks | 365 days | deletes the check (verdict, facts, everything) |
//! | saved texts of checks | 30 days | blanks the post text and situation; the check stays |
//! | sessions | 90 days after they end | deletes ended sessions and API tokens (expired, idle-expired or revoked) |
//! | audit payloads | 730 days | erases the before/after payload of older entries; the entries, their digests and so the chain stay verifiable |
//!
//! Sessions belong to accounts, not schools: a session is purged by the shortest period of
//! the schools its account holds a grant in, and by the default for accounts with no school
//! grant (board admins). Board audit chains use the default audit-payload period. Periods are
//! 1 to 3,650 days. Times are compared to the second: a record within a second of its
//! deadline may go one purge early or late.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::audit::{self, Chain, Change, Selector};
use crate::clock;
use crate::db::{execute, from_row, sql, Store};
use crate::error::{Error, Result};
use crate::ids::{Actor, BoardId, SchoolId};

/// A school's retention periods, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Stored checks (the whole record).
    pub checks_days: u32,
    /// The saved post text and situation of a check.
    pub check_texts_days: u32,
    /// Sessions and API tokens, counted from when they ended.
    pub sessions_days: u32,
    /// The before/after payloads of audit entries.
    pub audit_payloads_days: u32,
}

impl Default for RetentionPolicy {
    /// A school year and a bit for checks, a month for texts about other people, three
    /// months of sign-in history, two years of audit detail (the chain itself stays).
    fn default() -> Self {
        RetentionPolicy { checks_days: 365, check_texts_days: 30, sessions_days: 90, audit_payloads_days: 730 }
    }
}

/// The longest period, in days (ten years).
pub const MAX_DAYS: u32 = 3_650;

impl RetentionPolicy {
    fn validate(self) -> Result<RetentionPolicy> {
        for (field, days) in [
            ("retention.checks_days", self.checks_days),
            ("retention.check_texts_days", self.check_texts_days),
            ("retention.sessions_days", self.sessions_days),
            ("retention.audit_payloads_days", self.audit_payloads_days),
        ] {
            if !(1..=MAX_DAYS).contains(&days) {
                return Err(Error::invalid(field, format!("{days} is not between 1 and {MAX_DAYS} days")));
            }
        }
        Ok(self)
    }
}

from_row!(RetentionPolicy, |row| {
    let days = |column: &str| -> Result<u32, sqlx::Error> {
        let v: i64 = row.try_get(column)?;
        u32::try_from(v).map_err(|e| sqlx::Error::ColumnDecode { index: column.to_string(), source: e.into() })
    };
    Ok(RetentionPolicy {
        checks_days: days("checks_days")?,
        check_texts_days: days("check_texts_days")?,
        sessions_days: days("sessions_days")?,
        audit_payloads_days: days("audit_payloads_days")?,
    })
});

/// What [`Store::purge_expired`] did in one school.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SchoolPurge {
    pub school: SchoolId,
    pub checks: u64,
    pub check_texts: u64,
    pub audit_payloads: u64,
}

/// What [`Store::purge_expired`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    /// Schools where something was purged.
    pub schools: Vec<SchoolPurge>,
    pub sessions: u64,
    /// Board audit payloads erased, per board where there were any.
    pub board_audit_payloads: Vec<(BoardId, u64)>,
}

fn cutoff(now: OffsetDateTime, days: u32) -> OffsetDateTime {
    clock::normalize(now - Duration::days(i64::from(days)))
}

/// Sessions that ended before `$n` (revoked, expired, or idle-expired).
fn ended_before(n: usize) -> String {
    format!(
        "((revoked_at IS NOT NULL AND revoked_at < ${n}) OR expires_at < ${n} \
         OR (idle_expires_at IS NOT NULL AND idle_expires_at < ${n}))"
    )
}

impl Store {
    /// `school`'s retention periods (the defaults until set).
    pub async fn retention(&self, school: SchoolId) -> Result<RetentionPolicy> {
        self.school(school).await?;
        let mut conn = self.read().await?;
        let set: Option<RetentionPolicy> = sql!(conn.conn(), "reading retention periods", |c| {
            sqlx::query_as(
                "SELECT checks_days, check_texts_days, sessions_days, audit_payloads_days FROM retention_policies \
                 WHERE school_id = $1",
            )
            .bind(school.0)
            .fetch_optional(c)
            .await
        })?;
        Ok(set.unwrap_or_default())
    }

    /// Sets `school`'s retention periods, audited. They apply from the next purge.
    pub async fn set_retention(
        &self,
        school: SchoolId,
        policy: &RetentionPolicy,
        actor: &Actor,
    ) -> Result<RetentionPolicy> {
        let policy = policy.validate()?;
        let before = self.retention(school).await?;
        let mut tx = self.write(school).await?;
        execute!(
            tx.conn(),
            "setting retention periods",
            sqlx::query(
                "INSERT INTO retention_policies (school_id, checks_days, check_texts_days, sessions_days, \
                 audit_payloads_days, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (school_id) DO UPDATE \
                 SET checks_days = excluded.checks_days, check_texts_days = excluded.check_texts_days, \
                 sessions_days = excluded.sessions_days, audit_payloads_days = excluded.audit_payloads_days, \
                 updated_at = excluded.updated_at",
            )
            .bind(school.0)
            .bind(i64::from(policy.checks_days))
            .bind(i64::from(policy.check_texts_days))
            .bind(i64::from(policy.sessions_days))
            .bind(i64::from(policy.audit_payloads_days))
            .bind(clock::now())
        )?;
        audit::append(&mut tx, school, actor, Change::changed("retention", school, "update", Some(&before), &policy)?)
            .await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Deletes or blanks every record past its school's retention period at `now` (see the
    /// module docs): each school in its own transaction, with an audit entry (counts only)
    /// where something was purged. Meant to run daily; running it twice does nothing more.
    pub async fn purge_expired(&self, now: OffsetDateTime) -> Result<PurgeReport> {
        let system = Actor::new("system:retention")?;
        let now = clock::normalize(now);
        let schools: Vec<(i64, Option<RetentionPolicy>)> = {
            let mut conn = self.read().await?;
            sql!(conn.conn(), "listing schools for retention", |c| {
                use sqlx::Row as _;
                sqlx::query(
                    "SELECT s.id, r.checks_days, r.check_texts_days, r.sessions_days, r.audit_payloads_days \
                     FROM schools s LEFT JOIN retention_policies r ON r.school_id = s.id ORDER BY s.id",
                )
                .fetch_all(c)
                .await
                .and_then(|rows| {
                    rows.iter()
                        .map(|r| {
                            let set: Option<i64> = r.try_get("checks_days")?;
                            let policy = match set {
                                Some(_) => Some(sqlx::FromRow::from_row(r)?),
                                None => None,
                            };
                            Ok((r.try_get::<i64, _>("id")?, policy))
                        })
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                })
            })?
        };
        let mut report = PurgeReport { schools: Vec::new(), sessions: 0, board_audit_payloads: Vec::new() };
        let periods: Vec<(SchoolId, RetentionPolicy)> =
            schools.into_iter().map(|(id, policy)| (SchoolId(id), policy.unwrap_or_default())).collect();
        for &(school, policy) in &periods {
            let mut tx = self.write(school).await?;
            let checks = execute!(
                tx.conn(),
                "purging checks",
                sqlx::query("DELETE FROM checks WHERE school_id = $1 AND created_at < $2")
                    .bind(school.0)
                    .bind(cutoff(now, policy.checks_days))
            )?;
            let check_texts = execute!(
                tx.conn(),
                "purging the texts of checks",
                sqlx::query(
                    "UPDATE checks SET post_text = NULL, situation_json = NULL, text_purged_at = $3 \
                     WHERE school_id = $1 AND created_at < $2 AND (post_text IS NOT NULL OR situation_json IS NOT NULL)",
                )
                .bind(school.0)
                .bind(cutoff(now, policy.check_texts_days))
                .bind(now)
            )?;
            let audit_payloads = audit::redact_in(
                &mut tx,
                Chain::School(school),
                &Selector::Before(cutoff(now, policy.audit_payloads_days)),
                now,
            )
            .await?;
            if checks + check_texts + audit_payloads == 0 {
                // Nothing of the school changed: no audit entry, no revision bump.
                tx.rollback().await?;
                continue;
            }
            let done = SchoolPurge { school, checks, check_texts, audit_payloads };
            audit::append(&mut tx, school, &system, Change::event("retention", school, "purge", &done)?).await?;
            tx.commit().await?;
            report.schools.push(done);
        }
        // Sessions are not school data and not audited: one transaction for all of them. An
        // account's sessions go by the shortest period of its schools, since each school's
        // pass deletes what is past its own.
        let defaults = RetentionPolicy::default();
        let mut tx = self.begin().await?;
        for (school, policy) in &periods {
            report.sessions += execute!(
                tx.conn(),
                "purging sessions",
                sqlx::query(&format!(
                    "DELETE FROM sessions WHERE account_id IN (SELECT account_id FROM grants WHERE school_id = $1) AND {}",
                    ended_before(2)
                ))
                .bind(school.0)
                .bind(cutoff(now, policy.sessions_days))
            )?;
        }
        // Accounts with no school grant (board admins, accounts stripped of their grants) go
        // by the default.
        report.sessions += execute!(
            tx.conn(),
            "purging sessions",
            sqlx::query(&format!(
                "DELETE FROM sessions WHERE {} AND account_id NOT IN \
                 (SELECT account_id FROM grants WHERE school_id IS NOT NULL)",
                ended_before(1)
            ))
            .bind(cutoff(now, defaults.sessions_days))
        )?;
        tx.commit().await?;
        let boards: Vec<i64> = {
            let mut conn = self.read().await?;
            sql!(conn.conn(), "listing boards for retention", |c| {
                sqlx::query_scalar("SELECT id FROM boards ORDER BY id").fetch_all(c).await
            })?
        };
        for id in boards {
            let chain = Chain::Board(BoardId(id));
            let mut tx = self.begin().await?;
            chain.lock(&mut tx).await?;
            let erased =
                audit::redact_in(&mut tx, chain, &Selector::Before(cutoff(now, defaults.audit_payloads_days)), now)
                    .await?;
            if erased == 0 {
                tx.rollback().await?;
                continue;
            }
            let record = serde_json::json!({ "audit_payloads": erased });
            audit::append_to(&mut tx, chain, &system, Change::event("retention", id, "purge", &record)?).await?;
            tx.commit().await?;
            report.board_audit_payloads.push((BoardId(id), erased));
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_bounded() {
        assert!(RetentionPolicy::default().validate().is_ok());
        assert!(RetentionPolicy { checks_days: 0, ..Default::default() }.validate().is_err());
        assert!(RetentionPolicy { audit_payloads_days: 3_651, ..Default::default() }.validate().is_err());
    }
}
