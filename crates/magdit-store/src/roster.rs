//! The roster: the people of a school (pupils, employees, parents, volunteers) and the links
//! between guardians and their children. People are keyed by the id the school's own system
//! gives them (`external_id`), so an import run twice updates rather than duplicates.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::{Date, OffsetDateTime};

use crate::audit::{self, Change};
use crate::clock;
use crate::db::{execute, from_row, parse_column, sql, Conn, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{optional_text, text, Actor, PersonId, SchoolId};
use crate::iso_date;
use crate::vocab::Role;

/// A person on a school's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub school: SchoolId,
    /// The id in the school's administration system (Magister, ParnasSys, Somtoday, …).
    pub external_id: String,
    pub name: String,
    pub role: Role,
    /// Kept for pupils only: it decides who may give consent.
    #[serde(with = "iso_date::option")]
    pub date_of_birth: Option<Date>,
    /// Class or group (klas, groep), if any.
    pub group: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

from_row!(Person, |row| {
    let role: String = row.try_get("role")?;
    Ok(Person {
        id: PersonId(row.try_get("id")?),
        school: SchoolId(row.try_get("school_id")?),
        external_id: row.try_get("external_id")?,
        name: row.try_get("display_name")?,
        role: parse_column("role", &role)?,
        date_of_birth: row.try_get("date_of_birth")?,
        group: row.try_get("group_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
});

const PERSON_COLUMNS: &str =
    "id, school_id, external_id, display_name, role, date_of_birth, group_name, created_at, updated_at";

/// One person as an import or a form gives them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub external_id: String,
    pub name: String,
    pub role: Role,
    #[serde(default, with = "iso_date::option")]
    pub date_of_birth: Option<Date>,
    #[serde(default)]
    pub group: Option<String>,
}

/// A [`PersonInput`] checked and normalised.
struct ValidPerson {
    external_id: String,
    name: String,
    sort_key: String,
    role: Role,
    date_of_birth: Option<Date>,
    group: Option<String>,
}

impl PersonInput {
    fn validate(&self) -> Result<ValidPerson> {
        let external_id = text("person.external_id", &self.external_id, 100)?;
        let name = text("person.name", &self.name, 200)?;
        let group = optional_text("person.group", self.group.as_deref(), 50)?;
        if let Some(dob) = self.date_of_birth {
            if self.role != Role::Pupil {
                // Data minimisation (AVG): a birth date is needed only to know when a pupil
                // decides about consent themselves.
                return Err(Error::invalid(
                    "person.date_of_birth",
                    format!("is kept for pupils only, not for a {}", self.role),
                ));
            }
            let today = clock::now().date();
            if dob > today || dob.year() < 1900 {
                return Err(Error::invalid("person.date_of_birth", format!("{dob} is not a plausible date of birth")));
            }
        }
        Ok(ValidPerson {
            sort_key: sort_key(&name),
            external_id,
            name,
            role: self.role,
            date_of_birth: self.date_of_birth,
            group,
        })
    }
}

/// The key people are ordered and searched by: the name in lower case, computed here rather
/// than with SQL's LOWER(), which SQLite applies to ASCII only.
fn sort_key(name: &str) -> String {
    name.to_lowercase()
}

/// What an upsert did to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// The result of upserting one person: the stored person, what happened, and the person as
/// they were (for a dry run's report of what would change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Upserted {
    pub person: Person,
    pub outcome: Outcome,
    pub before: Option<Person>,
}

/// Whether [`Store::upsert_people`] keeps its changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apply {
    Commit,
    /// Do everything, report it, and roll back: an import's preview.
    DryRun,
}

/// Which people to list; every part that is set must match.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Part of the name, any case.
    pub name: Option<String>,
    /// The exact class or group.
    pub group: Option<String>,
    pub role: Option<Role>,
}

/// Where a page of people ends, to ask for the next one. Its text form (`Display`/`FromStr`)
/// is what an API hands out; it stays valid while people are added or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCursor {
    sort_key: String,
    id: PersonId,
}

impl fmt::Display for PersonCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.id, self.sort_key)
    }
}

impl FromStr for PersonCursor {
    type Err = Error;
    fn from_str(s: &str) -> Result<PersonCursor> {
        let bad = || Error::invalid("cursor", "is not a cursor this store handed out");
        let (id, key) = s.split_once(':').ok_or_else(bad)?;
        Ok(PersonCursor { id: PersonId(id.parse().map_err(|_| bad())?), sort_key: key.to_string() })
    }
}

/// One page of a list and the cursor of the next page (None on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<PersonCursor>,
}

/// The most a page holds.
pub const MAX_PAGE: u32 = 1_000;

impl Store {
    /// Creates or updates people by their `external_id`, all in one transaction: a re-import
    /// updates without duplicates, and a failure leaves nothing half-imported. Each created or
    /// updated person gets an audit entry; unchanged ones do not. With [`Apply::DryRun`] the
    /// result is reported and everything rolled back. A row that fails validation fails the
    /// whole call, naming the row (its index in `rows`) in the error's field.
    pub async fn upsert_people(
        &self,
        school: SchoolId,
        rows: &[PersonInput],
        actor: &Actor,
        apply: Apply,
    ) -> Result<Vec<Upserted>> {
        let valid: Vec<ValidPerson> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                r.validate().map_err(|e| match e {
                    Error::Invalid { field, reason } => Error::Invalid { field, reason: format!("row {i}: {reason}") },
                    other => other,
                })
            })
            .collect::<Result<_>>()?;
        let mut tx = self.write(school).await?;
        let mut out = Vec::with_capacity(valid.len());
        for person in &valid {
            out.push(upsert_one(&mut tx, school, person, actor).await?);
        }
        match apply {
            Apply::Commit => tx.commit().await?,
            Apply::DryRun => tx.rollback().await?,
        }
        Ok(out)
    }

    /// [`Store::upsert_people`] for one person.
    pub async fn upsert_person(&self, school: SchoolId, row: &PersonInput, actor: &Actor) -> Result<Upserted> {
        let mut done = self.upsert_people(school, std::slice::from_ref(row), actor, Apply::Commit).await?;
        done.pop().ok_or_else(|| Error::not_found("person", &row.external_id))
    }

    /// One person of `school`.
    pub async fn person(&self, school: SchoolId, id: PersonId) -> Result<Person> {
        let mut conn = self.read().await?;
        person_in(conn.conn(), school, id).await
    }

    /// One person of `school` by the school system's id.
    pub async fn person_by_external_id(&self, school: SchoolId, external_id: &str) -> Result<Person> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1 AND external_id = $2");
        let mut conn = self.read().await?;
        let found: Option<Person> = sql!(conn.conn(), "reading a person", |c| {
            sqlx::query_as(&sql).bind(school.0).bind(external_id).fetch_optional(c).await
        })?;
        found.ok_or_else(|| Error::not_found("person", external_id))
    }

    /// A page of `school`'s people matching `filter`, ordered by name: up to `limit` (at most
    /// [`MAX_PAGE`]) after `after` (None for the first page). Keyset paging, so a page costs
    /// the same wherever it is in the list.
    pub async fn people(
        &self,
        school: SchoolId,
        filter: &PeopleFilter,
        limit: u32,
        after: Option<&PersonCursor>,
    ) -> Result<Page<Person>> {
        if limit == 0 || limit > MAX_PAGE {
            return Err(Error::invalid("limit", format!("{limit} is not between 1 and {MAX_PAGE}")));
        }
        // The SQL holds only the conditions in use, so each combination gets a plan that
        // uses the right index; every value is still a bound parameter.
        enum Arg {
            Int(i64),
            Text(String),
        }
        let mut sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1");
        let mut args = vec![Arg::Int(school.0)];
        let next = |args: &mut Vec<Arg>, arg: Arg| {
            args.push(arg);
            args.len()
        };
        if let Some(name) = filter.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            let n = next(&mut args, Arg::Text(format!("%{}%", escape_like(&sort_key(name)))));
            sql.push_str(&format!(" AND sort_key LIKE ${n} ESCAPE '\\'"));
        }
        if let Some(group) = filter.group.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
            let n = next(&mut args, Arg::Text(group.to_string()));
            sql.push_str(&format!(" AND group_name = ${n}"));
        }
        if let Some(role) = filter.role {
            let n = next(&mut args, Arg::Text(role.as_str().to_string()));
            sql.push_str(&format!(" AND role = ${n}"));
        }
        if let Some(cursor) = after {
            let k = next(&mut args, Arg::Text(cursor.sort_key.clone()));
            let i = next(&mut args, Arg::Int(cursor.id.0));
            sql.push_str(&format!(" AND (sort_key > ${k} OR (sort_key = ${k} AND id > ${i}))"));
        }
        // One more than asked, to know whether another page follows.
        let n = next(&mut args, Arg::Int(i64::from(limit) + 1));
        sql.push_str(&format!(" ORDER BY sort_key, id LIMIT ${n}"));

        let mut conn = self.read().await?;
        let mut items: Vec<Person> = sql!(conn.conn(), "listing people", |c| {
            let mut q = sqlx::query_as(&sql);
            for arg in &args {
                q = match arg {
                    Arg::Int(v) => q.bind(*v),
                    Arg::Text(v) => q.bind(v.as_str()),
                };
            }
            q.fetch_all(c).await
        })?;
        let next = if items.len() > limit as usize {
            items.truncate(limit as usize);
            items.last().map(|p| PersonCursor { sort_key: sort_key(&p.name), id: p.id })
        } else {
            None
        };
        Ok(Page { items, next })
    }

    /// Every person of `school` matching `filter`, ordered by name: [`Store::people`] page by
    /// page, for the lists that need all of them (a class, the roster a check uses).
    pub async fn all_people(&self, school: SchoolId, filter: &PeopleFilter) -> Result<Vec<Person>> {
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.people(school, filter, MAX_PAGE, cursor.as_ref()).await?;
            all.extend(page.items);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// The classes (groups) of `school`'s pupils, each once, sorted: one query, rather than
    /// reading every pupil to collect them.
    pub async fn classes(&self, school: SchoolId) -> Result<Vec<String>> {
        let mut conn = self.read().await?;
        let mut groups: Vec<String> = sql!(conn.conn(), "listing classes", |c| {
            sqlx::query_scalar(
                "SELECT DISTINCT group_name FROM people \
                 WHERE school_id = $1 AND role = 'pupil' AND group_name IS NOT NULL",
            )
            .bind(school.0)
            .fetch_all(c)
            .await
        })?;
        // Sorted here, not in SQL: the two databases collate text differently.
        groups.sort();
        Ok(groups)
    }

    /// Links guardian `guardian` (a parent) to pupil `pupil`, both of `school`. Linking twice
    /// is not an error; returns whether a new link was made.
    pub async fn link_guardian(
        &self,
        school: SchoolId,
        guardian: PersonId,
        pupil: PersonId,
        actor: &Actor,
    ) -> Result<bool> {
        let mut tx = self.write(school).await?;
        let g = person_in(tx.conn(), school, guardian).await?;
        let p = person_in(tx.conn(), school, pupil).await?;
        if g.role != Role::Parent {
            return Err(Error::conflict(
                "person",
                guardian,
                format!("is a {}, not a parent, and cannot be a guardian", g.role),
            ));
        }
        if p.role != Role::Pupil {
            return Err(Error::conflict("person", pupil, format!("is a {}, not a pupil", p.role)));
        }
        let now = clock::now();
        let made =
            execute!(tx.conn(), "linking a guardian",
            sqlx::query(
                "INSERT INTO guardian_links (school_id, guardian_id, pupil_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (school_id, guardian_id, pupil_id) DO NOTHING",
            )
            .bind(school.0)
            .bind(guardian.0)
            .bind(pupil.0)
            .bind(now))?
                == 1;
        if made {
            let link = GuardianLink { guardian, pupil };
            audit::append(&mut tx, school, actor, Change::created("guardian_link", link.key(), &link)?).await?;
            tx.commit().await?;
        }
        Ok(made)
    }

    /// Removes the link between `guardian` and `pupil`; returns whether there was one.
    pub async fn unlink_guardian(
        &self,
        school: SchoolId,
        guardian: PersonId,
        pupil: PersonId,
        actor: &Actor,
    ) -> Result<bool> {
        let mut tx = self.write(school).await?;
        let removed = execute!(
            tx.conn(),
            "unlinking a guardian",
            sqlx::query("DELETE FROM guardian_links WHERE school_id = $1 AND guardian_id = $2 AND pupil_id = $3")
                .bind(school.0)
                .bind(guardian.0)
                .bind(pupil.0)
        )? == 1;
        if removed {
            let link = GuardianLink { guardian, pupil };
            audit::append(&mut tx, school, actor, Change::removed("guardian_link", link.key(), &link)?).await?;
            tx.commit().await?;
        }
        Ok(removed)
    }

    /// The guardians of `pupil`, by name.
    pub async fn guardians(&self, school: SchoolId, pupil: PersonId) -> Result<Vec<Person>> {
        let mut conn = self.read().await?;
        guardians_in(conn.conn(), school, pupil).await
    }

    /// The children `guardian` is linked to, by name.
    pub async fn children(&self, school: SchoolId, guardian: PersonId) -> Result<Vec<Person>> {
        let sql = format!(
            "SELECT {} FROM people p JOIN guardian_links l ON l.school_id = p.school_id AND l.pupil_id = p.id \
             WHERE l.school_id = $1 AND l.guardian_id = $2 ORDER BY p.sort_key, p.id",
            prefixed("p")
        );
        let mut conn = self.read().await?;
        sql!(conn.conn(), "listing a guardian's children", |c| {
            sqlx::query_as(&sql).bind(school.0).bind(guardian.0).fetch_all(c).await
        })
    }
}

/// A guardian–pupil link, as the audit log records it.
#[derive(Debug, Serialize)]
struct GuardianLink {
    guardian: PersonId,
    pupil: PersonId,
}

impl GuardianLink {
    fn key(&self) -> String {
        format!("{}/{}", self.guardian, self.pupil)
    }
}

/// The person columns qualified by a table alias.
fn prefixed(alias: &str) -> String {
    PERSON_COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

/// Escapes LIKE's wildcards so a searched `%` or `_` matches itself.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// One person of `school`, or NotFound (also for a person of another school).
pub(crate) async fn person_in(conn: Conn<'_>, school: SchoolId, id: PersonId) -> Result<Person> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1 AND id = $2");
    let found: Option<Person> =
        sql!(conn, "reading a person", |c| sqlx::query_as(&sql).bind(school.0).bind(id.0).fetch_optional(c).await)?;
    found.ok_or_else(|| Error::not_found("person", id))
}

/// The guardians of `pupil` in `school`, by name.
pub(crate) async fn guardians_in(conn: Conn<'_>, school: SchoolId, pupil: PersonId) -> Result<Vec<Person>> {
    let sql = format!(
        "SELECT {} FROM people p JOIN guardian_links l ON l.school_id = p.school_id AND l.guardian_id = p.id \
         WHERE l.school_id = $1 AND l.pupil_id = $2 ORDER BY p.sort_key, p.id",
        prefixed("p")
    );
    sql!(conn, "listing a pupil's guardians", |c| sqlx::query_as(&sql).bind(school.0).bind(pupil.0).fetch_all(c).await)
}

async fn upsert_one(tx: &mut Tx, school: SchoolId, p: &ValidPerson, actor: &Actor) -> Result<Upserted> {
    let select = format!("SELECT {PERSON_COLUMNS} FROM people WHERE school_id = $1 AND external_id = $2");
    let before: Option<Person> = sql!(tx.conn(), "reading a person", |c| {
        sqlx::query_as(&select).bind(school.0).bind(&p.external_id).fetch_optional(c).await
    })?;
    let now = clock::now();
    match before {
        Some(old)
            if old.name == p.name
                && old.role == p.role
                && old.date_of_birth == p.date_of_birth
                && old.group == p.group =>
        {
            Ok(Upserted { person: old, outcome: Outcome::Unchanged, before: None })
        }
        Some(old) => {
            let sql = format!(
                "UPDATE people SET display_name = $3, sort_key = $4, role = $5, date_of_birth = $6, group_name = $7, \
                 updated_at = $8 WHERE school_id = $1 AND id = $2 RETURNING {PERSON_COLUMNS}"
            );
            let person: Person = sql!(tx.conn(), "updating a person", |c| {
                sqlx::query_as(&sql)
                    .bind(school.0)
                    .bind(old.id.0)
                    .bind(&p.name)
                    .bind(&p.sort_key)
                    .bind(p.role.as_str())
                    .bind(p.date_of_birth)
                    .bind(&p.group)
                    .bind(now)
                    .fetch_one(c)
                    .await
            })?;
            audit::append(tx, school, actor, Change::changed("person", person.id, "update", Some(&old), &person)?)
                .await?;
            Ok(Upserted { person, outcome: Outcome::Updated, before: Some(old) })
        }
        None => {
            let sql = format!(
                "INSERT INTO people (school_id, external_id, display_name, sort_key, role, date_of_birth, group_name, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {PERSON_COLUMNS}"
            );
            let person: Person = sql!(tx.conn(), "creating a person", |c| {
                sqlx::query_as(&sql)
                    .bind(school.0)
                    .bind(&p.external_id)
                    .bind(&p.name)
                    .bind(&p.sort_key)
                    .bind(p.role.as_str())
                    .bind(p.date_of_birth)
                    .bind(&p.group)
                    .bind(now)
                    .fetch_one(c)
                    .await
            })?;
            audit::append(tx, school, actor, Change::created("person", person.id, &person)?).await?;
            Ok(Upserted { person, outcome: Outcome::Created, before: None })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = PersonCursor { sort_key: "de vries: anna".into(), id: PersonId(42) };
        assert_eq!(c.to_string().parse::<PersonCursor>().unwrap(), c);
        assert!("x".parse::<PersonCursor>().is_err());
    }

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn birth_dates_only_for_pupils() {
        let mut p = PersonInput {
            external_id: "1".into(),
            name: "Anna".into(),
            role: Role::Employee,
            date_of_birth: Some(time::macros::date!(1990 - 01 - 01)),
            group: None,
        };
        assert!(p.validate().is_err());
        p.role = Role::Pupil;
        assert!(p.validate().is_ok());
    }
}
