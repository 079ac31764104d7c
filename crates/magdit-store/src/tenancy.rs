//! Boards (bestuur) own schools; a school is the tenant. A school adopts a protocol and sets
//! how consent is renewed.

use serde::Serialize;
use time::{Date, Month, OffsetDateTime};

use crate::audit::{self, Change};
use crate::clock;
use crate::consent;
use crate::db::{from_row, sql, Store};
use crate::error::{Error, Result};
use crate::ids::{optional_text, text, Actor, BoardId, SchoolId};

/// A school board (bestuur, e.g. Stichting LVO).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Board {
    pub id: BoardId,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

from_row!(Board, |row| Ok(Board {
    id: BoardId(row.try_get("id")?),
    name: row.try_get("name")?,
    created_at: row.try_get("created_at")?,
}));

/// A school: the tenant every row of roster, consent and audit data belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct School {
    pub id: SchoolId,
    pub board: BoardId,
    pub name: String,
    /// The school's BRIN code (e.g. `12AB`, or `12AB00` for one location), if given.
    pub brin: Option<String>,
    /// The protocol in force, if one was adopted.
    pub protocol: Option<AdoptedProtocol>,
    pub renewal: RenewalPolicy,
    /// Bumped by every write of the school's data; unchanged revision = unchanged data, so a
    /// reader may cache the roster and consent per (school, revision).
    pub revision: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The protocol a school adopted: a shipped protocol's id or the school's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdoptedProtocol {
    pub id: String,
    pub version: Option<String>,
    #[serde(flatten)]
    pub source: ProtocolSource,
    #[serde(with = "time::serde::rfc3339")]
    pub adopted_at: OffsetDateTime,
}

/// Where an adopted protocol comes from. Serialised as `"source": "shipped"` or
/// `"source": "own", "sha256": "…"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum ProtocolSource {
    /// One of the protocols shipped with magdit, named by its id.
    Shipped,
    /// The school's own file ([`crate::protocol_files`]), named by the SHA-256 of its text.
    Own { sha256: String },
}

/// When consent must be asked again. Consent given before the last renewal reads as
/// unknown (expired). Whatever the policy, a purpose whose description changed needs new
/// consent: what was agreed to is no longer what is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RenewalPolicy {
    /// Only when a purpose changes.
    OnPurposeChange,
    /// Also every year on this day (e.g. 1 August, the start of the school year).
    Yearly { month: u8, day: u8 },
}

impl RenewalPolicy {
    /// A yearly policy; the day must exist in every year (so not 29 February).
    pub fn yearly(month: u8, day: u8) -> Result<RenewalPolicy> {
        let m =
            Month::try_from(month).map_err(|_| Error::invalid("renewal.month", format!("{month} is not a month")))?;
        // 2001 is not a leap year: a day valid then is valid every year.
        Date::from_calendar_date(2001, m, day)
            .map_err(|_| Error::invalid("renewal.day", format!("{month}/{day} is not a day that exists every year")))?;
        Ok(RenewalPolicy::Yearly { month, day })
    }

    /// The latest yearly renewal day on or before `today`, if the policy is yearly.
    pub fn last_renewal(self, today: Date) -> Option<Date> {
        let RenewalPolicy::Yearly { month, day } = self else { return None };
        let month = Month::try_from(month).ok()?;
        let this_year = Date::from_calendar_date(today.year(), month, day).ok()?;
        if this_year <= today {
            Some(this_year)
        } else {
            Date::from_calendar_date(today.year() - 1, month, day).ok()
        }
    }

    fn columns(self) -> (Option<i64>, Option<i64>) {
        match self {
            RenewalPolicy::OnPurposeChange => (None, None),
            RenewalPolicy::Yearly { month, day } => (Some(i64::from(month)), Some(i64::from(day))),
        }
    }
}

from_row!(School, |row| {
    let id: i64 = row.try_get("id")?;
    let protocol = match (row.try_get::<Option<String>, _>("protocol_id")?, row.try_get("adopted_at")?) {
        (Some(id), Some(adopted_at)) => {
            let source = match row.try_get::<Option<String>, _>("protocol_sha256")? {
                Some(sha256) => ProtocolSource::Own { sha256 },
                None => ProtocolSource::Shipped,
            };
            Some(AdoptedProtocol { id, version: row.try_get("protocol_version")?, source, adopted_at })
        }
        _ => None,
    };
    let month: Option<i64> = row.try_get("renewal_month")?;
    let day: Option<i64> = row.try_get("renewal_day")?;
    let renewal = match (month, day) {
        (Some(m), Some(d)) => RenewalPolicy::Yearly {
            month: u8::try_from(m)
                .map_err(|e| sqlx::Error::ColumnDecode { index: "renewal_month".into(), source: e.into() })?,
            day: u8::try_from(d)
                .map_err(|e| sqlx::Error::ColumnDecode { index: "renewal_day".into(), source: e.into() })?,
        },
        _ => RenewalPolicy::OnPurposeChange,
    };
    Ok(School {
        id: SchoolId(id),
        board: BoardId(row.try_get("board_id")?),
        name: row.try_get("name")?,
        brin: row.try_get("brin")?,
        protocol,
        renewal,
        revision: row.try_get("revision")?,
        created_at: row.try_get("created_at")?,
    })
});

const SCHOOL_COLUMNS: &str = "id, board_id, name, brin, protocol_id, protocol_version, protocol_sha256, adopted_at, \
                              renewal_month, renewal_day, revision, created_at";

/// What [`Store::create_school`] needs.
#[derive(Debug, Clone)]
pub struct NewSchool {
    pub name: String,
    pub brin: Option<String>,
    pub renewal: RenewalPolicy,
}

impl Store {
    /// Creates a board. Names are unique.
    pub async fn create_board(&self, name: &str) -> Result<Board> {
        let name = text("board.name", name, 200)?;
        let now = clock::now();
        let mut tx = self.begin().await?;
        let board: Board = sql!(tx.conn(), "creating a board", |c| {
            sqlx::query_as("INSERT INTO boards (name, created_at) VALUES ($1, $2) RETURNING id, name, created_at")
                .bind(&name)
                .bind(now)
                .fetch_one(c)
                .await
        })?;
        tx.commit().await?;
        Ok(board)
    }

    /// One board.
    pub async fn board(&self, id: BoardId) -> Result<Board> {
        let mut conn = self.read().await?;
        let board: Option<Board> = sql!(conn.conn(), "reading a board", |c| {
            sqlx::query_as("SELECT id, name, created_at FROM boards WHERE id = $1").bind(id.0).fetch_optional(c).await
        })?;
        board.ok_or_else(|| Error::not_found("board", id))
    }

    /// Every board, by name.
    pub async fn boards(&self) -> Result<Vec<Board>> {
        let mut conn = self.read().await?;
        sql!(conn.conn(), "listing boards", |c| {
            sqlx::query_as("SELECT id, name, created_at FROM boards ORDER BY name, id").fetch_all(c).await
        })
    }

    /// Creates a school of `board` with the five standard consent purposes, and starts its
    /// audit chain with the creation.
    pub async fn create_school(&self, board: BoardId, new: &NewSchool, actor: &Actor) -> Result<School> {
        let name = text("school.name", &new.name, 200)?;
        let brin = optional_text("school.brin", new.brin.as_deref(), 6)?.map(|b| b.to_uppercase());
        if let Some(b) = &brin {
            if !valid_brin(b) {
                return Err(Error::invalid(
                    "school.brin",
                    format!(
                        "`{b}` is not a BRIN code (two digits, two letters or digits, optionally a two-digit location)"
                    ),
                ));
            }
        }
        if let RenewalPolicy::Yearly { month, day } = new.renewal {
            RenewalPolicy::yearly(month, day)?;
        }
        let (month, day) = new.renewal.columns();
        let now = clock::now();
        let mut tx = self.begin().await?;
        let exists: Option<i64> = sql!(tx.conn(), "checking the board", |c| {
            sqlx::query_scalar("SELECT id FROM boards WHERE id = $1").bind(board.0).fetch_optional(c).await
        })?;
        if exists.is_none() {
            return Err(Error::not_found("board", board));
        }
        let sql = format!(
            "INSERT INTO schools (board_id, name, brin, renewal_month, renewal_day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {SCHOOL_COLUMNS}"
        );
        let school: School = sql!(tx.conn(), "creating a school", |c| {
            sqlx::query_as(&sql)
                .bind(board.0)
                .bind(&name)
                .bind(&brin)
                .bind(month)
                .bind(day)
                .bind(now)
                .fetch_one(c)
                .await
        })?;
        consent::seed_purposes(&mut tx, school.id, now).await?;
        audit::append(&mut tx, school.id, actor, Change::created("school", school.id, &school)?).await?;
        tx.commit().await?;
        Ok(school)
    }

    /// One school, whatever its board. The service uses this only after deciding the caller
    /// may see the school; for board users use [`Store::board_school`].
    pub async fn school(&self, id: SchoolId) -> Result<School> {
        let sql = format!("SELECT {SCHOOL_COLUMNS} FROM schools WHERE id = $1");
        let mut conn = self.read().await?;
        let school: Option<School> =
            sql!(conn.conn(), "reading a school", |c| sqlx::query_as(&sql).bind(id.0).fetch_optional(c).await)?;
        school.ok_or_else(|| Error::not_found("school", id))
    }

    /// One school of `board`: NotFound if the school belongs to another board, so a board
    /// sees only its own schools.
    pub async fn board_school(&self, board: BoardId, id: SchoolId) -> Result<School> {
        let sql = format!("SELECT {SCHOOL_COLUMNS} FROM schools WHERE id = $1 AND board_id = $2");
        let mut conn = self.read().await?;
        let school: Option<School> = sql!(conn.conn(), "reading a school of a board", |c| {
            sqlx::query_as(&sql).bind(id.0).bind(board.0).fetch_optional(c).await
        })?;
        school.ok_or_else(|| Error::not_found("school", id))
    }

    /// The schools of `board`, by name.
    pub async fn schools(&self, board: BoardId) -> Result<Vec<School>> {
        let sql = format!("SELECT {SCHOOL_COLUMNS} FROM schools WHERE board_id = $1 ORDER BY name, id");
        let mut conn = self.read().await?;
        sql!(conn.conn(), "listing the schools of a board", |c| sqlx::query_as(&sql).bind(board.0).fetch_all(c).await)
    }

    /// Records that `school` adopted the shipped protocol `protocol_id`, at `version` if the
    /// protocol has one. The service checks the protocol exists; the store keeps the choice and
    /// its history. A school's own file is adopted with [`Store::adopt_protocol_file`].
    pub async fn adopt_protocol(
        &self,
        school: SchoolId,
        protocol_id: &str,
        version: Option<&str>,
        actor: &Actor,
    ) -> Result<School> {
        let (protocol_id, version) = protocol_words(protocol_id, version)?;
        let mut tx = self.write(school).await?;
        let after = adopt_in(&mut tx, school, &protocol_id, version.as_deref(), None, actor).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets how `school` renews consent. Takes effect for every read from now on: consent
    /// given before the new policy's last renewal day reads as expired at once.
    pub async fn set_renewal_policy(&self, school: SchoolId, policy: RenewalPolicy, actor: &Actor) -> Result<School> {
        if let RenewalPolicy::Yearly { month, day } = policy {
            RenewalPolicy::yearly(month, day)?;
        }
        let (month, day) = policy.columns();
        let mut tx = self.write(school).await?;
        let before = school_in(&mut tx, school).await?;
        let sql =
            format!("UPDATE schools SET renewal_month = $2, renewal_day = $3 WHERE id = $1 RETURNING {SCHOOL_COLUMNS}");
        let after: School = sql!(tx.conn(), "setting the renewal policy", |c| {
            sqlx::query_as(&sql).bind(school.0).bind(month).bind(day).fetch_one(c).await
        })?;
        audit::append(&mut tx, school, actor, Change::changed("school", school, "set_renewal", Some(&before), &after)?)
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}

/// A protocol id (a-z, 0-9, `-` and `_`, at most 64) and optional version, checked.
pub(crate) fn protocol_words(protocol_id: &str, version: Option<&str>) -> Result<(String, Option<String>)> {
    let protocol_id = text("protocol.id", protocol_id, 64)?;
    if !protocol_id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') {
        return Err(Error::invalid("protocol.id", format!("`{protocol_id}` may hold only a-z, 0-9, - and _")));
    }
    Ok((protocol_id, optional_text("protocol.version", version, 64)?))
}

/// Adopts a protocol inside `tx`, which holds the school's write lock: a shipped one
/// (`own_sha256` None) or the school's own file with that digest, which the caller stored or
/// found in the same transaction. Audited as `adopt_protocol` with the school before and after.
pub(crate) async fn adopt_in(
    tx: &mut crate::db::Tx,
    school: SchoolId,
    protocol_id: &str,
    version: Option<&str>,
    own_sha256: Option<&str>,
    actor: &Actor,
) -> Result<School> {
    let before = school_in(tx, school).await?;
    let sql = format!(
        "UPDATE schools SET protocol_id = $2, protocol_version = $3, protocol_sha256 = $4, adopted_at = $5 \
         WHERE id = $1 RETURNING {SCHOOL_COLUMNS}"
    );
    let now = clock::now();
    let after: School = sql!(tx.conn(), "adopting a protocol", |c| {
        sqlx::query_as(&sql).bind(school.0).bind(protocol_id).bind(version).bind(own_sha256).bind(now).fetch_one(c).await
    })?;
    audit::append(tx, school, actor, Change::changed("school", school, "adopt_protocol", Some(&before), &after)?).await?;
    Ok(after)
}

/// The school as `tx` sees it.
pub(crate) async fn school_in(tx: &mut crate::db::Tx, id: SchoolId) -> Result<School> {
    let sql = format!("SELECT {SCHOOL_COLUMNS} FROM schools WHERE id = $1");
    let school: Option<School> =
        sql!(tx.conn(), "reading a school", |c| sqlx::query_as(&sql).bind(id.0).fetch_optional(c).await)?;
    school.ok_or_else(|| Error::not_found("school", id))
}

/// BRIN: two digits, then two letters or digits, optionally a two-digit location number.
fn valid_brin(b: &str) -> bool {
    let b = b.as_bytes();
    (b.len() == 4 || b.len() == 6)
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..4].iter().all(u8::is_ascii_alphanumeric)
        && b[4..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn last_renewal_is_this_years_day_once_passed() {
        let p = RenewalPolicy::yearly(8, 1).unwrap();
        assert_eq!(p.last_renewal(date!(2025 - 08 - 01)), Some(date!(2025 - 08 - 01)));
        assert_eq!(p.last_renewal(date!(2025 - 07 - 31)), Some(date!(2024 - 08 - 01)));
        assert_eq!(p.last_renewal(date!(2026 - 01 - 15)), Some(date!(2025 - 08 - 01)));
        assert_eq!(RenewalPolicy::OnPurposeChange.last_renewal(date!(2025 - 08 - 01)), None);
    }

    #[test]
    fn yearly_days_must_exist_every_year() {
        assert!(RenewalPolicy::yearly(2, 29).is_err());
        assert!(RenewalPolicy::yearly(13, 1).is_err());
        assert!(RenewalPolicy::yearly(4, 31).is_err());
        assert!(RenewalPolicy::yearly(2, 28).is_ok());
    }

    #[test]
    fn brin_codes() {
        assert!(valid_brin("12AB"));
        assert!(valid_brin("12AB00"));
        assert!(!valid_brin("1AB"));
        assert!(!valid_brin("12AB0X"));
    }
}
