//! The consent registry (toestemming beeldmateriaal): per pupil and purpose, given or refused.
//!
//! - No record means unknown: silence is not consent.
//! - Every decision is appended to `consent_changes` (who, when, what, via which channel);
//!   `consent_current` holds the decision in force and is written in the same transaction, so
//!   the two never disagree. The decision in force is the one decided last (a paper form
//!   entered late does not override a newer decision); a withdrawal is dated at its recording
//!   and so takes effect at once.
//! - Consent *given* before the school's last renewal, or before its purpose's description
//!   last changed, reads as unknown (expired). A refusal does not expire: it stays the safe
//!   answer until someone decides otherwise.
//! - Guardians decide while the pupil is under 16; from the 16th birthday the pupil does
//!   ([`rules::hand_over_date`]). Consent given by guardians stays valid after the birthday
//!   until the pupil withdraws it.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::audit::{self, Change};
use crate::clock;
use crate::db::{execute, from_row, parse_column, sql, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{text, Actor, PersonId, SchoolId};
use crate::roster::{guardians_in, person_in};
use crate::tenancy::RenewalPolicy;
use crate::vocab::{Channel, ConsentAction, ConsentState, EffectiveState, Role};

pub mod rules;

/// The purposes every school starts with, with the wording shown to parents.
pub const BUILTIN_PURPOSES: &[(&str, &str)] = &[
    ("social_media", "Foto's en video's op de sociale-mediakanalen van de school"),
    ("website", "Foto's en video's op de website van de school"),
    ("newsletter", "Foto's in de nieuwsbrief"),
    ("school_guide", "Foto's in de schoolgids"),
    ("school_app", "Foto's en video's in de schoolapp (zoals Parro)"),
];

/// Pupils per query in [`Store::effective_consent`]; well under the bound-parameter limits
/// of SQLite (32,766) and PostgreSQL (65,535), and above any real school's class list.
const EFFECTIVE_CHUNK: usize = 5_000;

/// A purpose consent is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Purpose {
    pub key: String,
    pub description: String,
    /// One of [`BUILTIN_PURPOSES`], rather than defined by the school.
    pub builtin: bool,
    /// When the description last changed; consent given before then has expired.
    #[serde(with = "time::serde::rfc3339::option")]
    pub changed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

from_row!(Purpose, |row| Ok(Purpose {
    key: row.try_get("key")?,
    description: row.try_get("description")?,
    builtin: row.try_get("builtin")?,
    changed_at: row.try_get("changed_at")?,
    created_at: row.try_get("created_at")?,
}));

/// A decision to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub pupil: PersonId,
    pub purpose: String,
    pub action: ConsentAction,
    /// Who decided: a guardian of the pupil while under 16, the pupil from 16 on. None when
    /// not known (an import from a school system); the service requires it for web and API.
    pub decided_by: Option<PersonId>,
    pub channel: Channel,
    /// When the decision was made, e.g. the date on a paper form; None for now. Must be None
    /// for a withdrawal, which takes effect when recorded. Its offset should be the school's:
    /// the local day decides whether the pupil was 16 yet.
    pub decided_at: Option<OffsetDateTime>,
}

/// One recorded decision: a row of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentChange {
    pub id: i64,
    pub school: SchoolId,
    pub pupil: PersonId,
    pub purpose: String,
    pub action: ConsentAction,
    pub state: ConsentState,
    pub decided_by: Option<PersonId>,
    pub channel: Channel,
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
}

from_row!(ConsentChange, |row| {
    let action: String = row.try_get("action")?;
    let state: String = row.try_get("state")?;
    let channel: String = row.try_get("channel")?;
    Ok(ConsentChange {
        id: row.try_get("id")?,
        school: SchoolId(row.try_get("school_id")?),
        pupil: PersonId(row.try_get("pupil_id")?),
        purpose: row.try_get("purpose")?,
        action: parse_column("action", &action)?,
        state: parse_column("state", &state)?,
        decided_by: row.try_get::<Option<i64>, _>("decided_by")?.map(PersonId),
        channel: parse_column("channel", &channel)?,
        actor: row.try_get("actor")?,
        decided_at: row.try_get("decided_at")?,
        recorded_at: row.try_get("recorded_at")?,
    })
});

pub(crate) const CHANGE_COLUMNS: &str =
    "id, school_id, pupil_id, purpose, action, state, decided_by, channel, actor, decided_at, recorded_at";

/// What [`Store::record_consent`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub change: ConsentChange,
    /// Whether the decision is now the one in force; false when a newer decision exists
    /// (a paper form entered after a later decision was made online).
    pub in_force: bool,
}

/// The consent a check uses for one pupil and purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EffectiveConsent {
    pub pupil: PersonId,
    pub state: EffectiveState,
    /// True when consent was given but has expired (and so reads as unknown).
    pub expired: bool,
    /// When the decision in force was made, if there is one.
    #[serde(with = "time::serde::rfc3339::option")]
    pub decided_at: Option<OffsetDateTime>,
}

/// Who may decide about a pupil's consent now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "who", rename_all = "snake_case")]
pub enum Decider {
    /// The pupil's guardians (possibly none linked yet), until the pupil turns 16 on `until`
    /// (None when the date of birth is unknown: then guardians decide, to be safe).
    Guardians {
        guardians: Vec<PersonId>,
        #[serde(with = "crate::iso_date::option")]
        until: Option<Date>,
    },
    /// The pupil, since their 16th birthday.
    Pupil {
        #[serde(with = "crate::iso_date")]
        since: Date,
    },
}

/// The stored state of one pupil for one purpose, with what decides its expiry.
struct StoredState {
    pupil: PersonId,
    role: Role,
    state: Option<ConsentState>,
    decided_at: Option<OffsetDateTime>,
    purpose_changed_at: Option<OffsetDateTime>,
    renewal: RenewalPolicy,
}

from_row!(StoredState, |row| {
    let role: String = row.try_get("role")?;
    let state: Option<String> = row.try_get("state")?;
    let month: Option<i64> = row.try_get("renewal_month")?;
    let day: Option<i64> = row.try_get("renewal_day")?;
    let renewal = match (month.map(u8::try_from), day.map(u8::try_from)) {
        (Some(Ok(month)), Some(Ok(day))) => RenewalPolicy::Yearly { month, day },
        _ => RenewalPolicy::OnPurposeChange,
    };
    Ok(StoredState {
        pupil: PersonId(row.try_get("pupil_id")?),
        role: parse_column("role", &role)?,
        state: state.as_deref().map(|s| parse_column("state", s)).transpose()?,
        decided_at: row.try_get("decided_at")?,
        purpose_changed_at: row.try_get("purpose_changed_at")?,
        renewal,
    })
});

impl StoredState {
    fn effective(&self, at: OffsetDateTime) -> EffectiveConsent {
        let (state, expired) = if self.role != Role::Pupil {
            // The registry holds consent for pupils only; for anyone else it knows nothing.
            (EffectiveState::Unknown, false)
        } else {
            rules::effective(self.state, self.decided_at, self.purpose_changed_at, self.renewal, at)
        };
        EffectiveConsent { pupil: self.pupil, state, expired, decided_at: self.decided_at }
    }
}

/// How many pupils hold each state in force for one purpose.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub given: u64,
    pub refused: u64,
    pub unknown: u64,
}

/// The consent of one class: its pupils, and the counts per purpose in the order of
/// [`Store::purposes`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassConsent {
    /// None: pupils without a class.
    pub group: Option<String>,
    pub pupils: u64,
    pub purposes: Vec<(String, StateCounts)>,
}

/// A decision in force with its pupil's class, for [`Store::consent_per_class`].
struct ClassDecision {
    group: Option<String>,
    purpose: String,
    state: ConsentState,
    decided_at: OffsetDateTime,
}

from_row!(ClassDecision, |row| {
    let state: String = row.try_get("state")?;
    Ok(ClassDecision {
        group: row.try_get("group_name")?,
        purpose: row.try_get("purpose")?,
        state: parse_column("state", &state)?,
        decided_at: row.try_get("decided_at")?,
    })
});

/// The current state of one pupil and purpose inside a write transaction.
struct Current {
    state: ConsentState,
    decided_at: OffsetDateTime,
    change_id: i64,
}

from_row!(Current, |row| {
    let state: String = row.try_get("state")?;
    Ok(Current {
        state: parse_column("state", &state)?,
        decided_at: row.try_get("decided_at")?,
        change_id: row.try_get("change_id")?,
    })
});

/// The consent in force as the audit log records it.
#[derive(Serialize)]
struct CurrentRecord {
    state: ConsentState,
    #[serde(with = "time::serde::rfc3339")]
    decided_at: OffsetDateTime,
    change_id: i64,
}

impl Store {
    /// `school`'s purposes: the built-in ones first, then its own, by key.
    pub async fn purposes(&self, school: SchoolId) -> Result<Vec<Purpose>> {
        let mut conn = self.read().await?;
        sql!(conn.conn(), "listing purposes", |c| {
            sqlx::query_as(
                "SELECT key, description, builtin, changed_at, created_at FROM consent_purposes \
                 WHERE school_id = $1 ORDER BY builtin DESC, key",
            )
            .bind(school.0)
            .fetch_all(c)
            .await
        })
    }

    /// Adds a purpose of the school's own, or changes a purpose's description. A changed
    /// description expires every consent given for the purpose before now: parents agreed to
    /// the old wording, not the new one. The same description again changes nothing.
    pub async fn define_purpose(
        &self,
        school: SchoolId,
        key: &str,
        description: &str,
        actor: &Actor,
    ) -> Result<Purpose> {
        validate_purpose_key(key)?;
        let description = text("purpose.description", description, 500)?;
        let now = clock::now();
        let mut tx = self.write(school).await?;
        let before = purpose_in(&mut tx, school, key).await?;
        let select = "SELECT key, description, builtin, changed_at, created_at FROM consent_purposes \
                      WHERE school_id = $1 AND key = $2";
        let (after, change) = match before {
            Some(old) if old.description == description => return Ok(old),
            Some(old) => {
                execute!(tx.conn(), "changing a purpose",
                    sqlx::query(
                        "UPDATE consent_purposes SET description = $3, changed_at = $4 WHERE school_id = $1 AND key = $2",
                    )
                    .bind(school.0)
                    .bind(key)
                    .bind(&description)
                    .bind(now))?;
                let after: Purpose = sql!(tx.conn(), "reading a purpose", |c| sqlx::query_as(select)
                    .bind(school.0)
                    .bind(key)
                    .fetch_one(c)
                    .await)?;
                let change = Change::changed("purpose", key, "update", Some(&old), &after)?;
                (after, change)
            }
            None => {
                insert_purpose(&mut tx, school, key, &description, false, now).await?;
                let after: Purpose = sql!(tx.conn(), "reading a purpose", |c| sqlx::query_as(select)
                    .bind(school.0)
                    .bind(key)
                    .fetch_one(c)
                    .await)?;
                let change = Change::created("purpose", key, &after)?;
                (after, change)
            }
        };
        audit::append(&mut tx, school, actor, change).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records a decision: appends it to the history and, if it is the latest decided, makes
    /// it the one in force, with its audit entry, in one transaction.
    ///
    /// Refused with Conflict when the person is not a pupil, when `decided_by` may not decide
    /// for the pupil on the decision's date (not a linked guardian under 16, not the pupil
    /// from 16), or when withdrawing consent that is not given.
    pub async fn record_consent(&self, school: SchoolId, decision: &Decision, actor: &Actor) -> Result<Recorded> {
        validate_purpose_key(&decision.purpose)?;
        let now = clock::now();
        let decided_at = match (decision.action, decision.decided_at) {
            (ConsentAction::Withdraw, Some(_)) => {
                return Err(Error::invalid("decided_at", "a withdrawal takes effect when it is recorded; give no date"))
            }
            (_, None) => now,
            (_, Some(t)) => {
                let t = clock::normalize(t);
                // A few minutes of grace for a client clock running ahead.
                if t > now + time::Duration::minutes(5) {
                    return Err(Error::invalid("decided_at", format!("{t} is in the future")));
                }
                t
            }
        };
        let purpose = decision.purpose.as_str();
        let mut tx = self.write(school).await?;

        let pupil = person_in(tx.conn(), school, decision.pupil).await?;
        if pupil.role != Role::Pupil {
            return Err(Error::conflict(
                "person",
                pupil.id,
                format!("is a {}; consent is recorded for pupils", pupil.role),
            ));
        }
        if purpose_in(&mut tx, school, purpose).await?.is_none() {
            return Err(Error::not_found("purpose", purpose));
        }
        if let Some(by) = decision.decided_by {
            let guardians: Vec<PersonId> =
                guardians_in(tx.conn(), school, pupil.id).await?.iter().map(|g| g.id).collect();
            // The day in the caller's offset (the school's), not UTC: a pupil deciding at
            // 00:30 on their birthday is 16 already.
            let day = decision.decided_at.map_or(now.date(), |t| t.date());
            let entitled = match rules::decider(pupil.date_of_birth, day) {
                rules::Who::Pupil => by == pupil.id,
                rules::Who::Guardians => guardians.contains(&by),
            };
            if !entitled {
                let who = match rules::decider(pupil.date_of_birth, day) {
                    rules::Who::Pupil => "the pupil, who is 16 or older",
                    rules::Who::Guardians => "a guardian linked to the pupil, who is under 16",
                };
                return Err(Error::conflict(
                    "person",
                    by,
                    format!("may not decide about pupil {}'s consent on {day}: only {who} may", pupil.id),
                ));
            }
        }

        let current: Option<Current> = sql!(tx.conn(), "reading the consent in force", |c| {
            sqlx::query_as(
                "SELECT state, decided_at, change_id FROM consent_current WHERE school_id = $1 AND purpose = $2 AND pupil_id = $3",
            )
            .bind(school.0)
            .bind(purpose)
            .bind(pupil.id.0)
            .fetch_optional(c)
            .await
        })?;
        if decision.action == ConsentAction::Withdraw && !matches!(&current, Some(c) if c.state == ConsentState::Given)
        {
            return Err(Error::conflict(
                "consent",
                format!("{}/{purpose}", pupil.id),
                "there is no given consent to withdraw",
            ));
        }

        let state = decision.action.resulting_state();
        let insert = format!(
            "INSERT INTO consent_changes (school_id, pupil_id, purpose, action, state, decided_by, channel, actor, \
             decided_at, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {CHANGE_COLUMNS}"
        );
        let change: ConsentChange = sql!(tx.conn(), "recording a consent decision", |c| {
            sqlx::query_as(&insert)
                .bind(school.0)
                .bind(pupil.id.0)
                .bind(purpose)
                .bind(decision.action.as_str())
                .bind(state.as_str())
                .bind(decision.decided_by.map(|p| p.0))
                .bind(decision.channel.as_str())
                .bind(actor.as_str())
                .bind(decided_at)
                .bind(now)
                .fetch_one(c)
                .await
        })?;

        // Latest decided wins; equal times go to the later recording.
        let in_force = current.as_ref().is_none_or(|c| decided_at >= c.decided_at);
        if in_force {
            execute!(tx.conn(), "updating the consent in force",
                sqlx::query(
                    "INSERT INTO consent_current (school_id, purpose, pupil_id, state, decided_at, change_id) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (school_id, purpose, pupil_id) \
                     DO UPDATE SET state = excluded.state, decided_at = excluded.decided_at, change_id = excluded.change_id",
                )
                .bind(school.0)
                .bind(purpose)
                .bind(pupil.id.0)
                .bind(state.as_str())
                .bind(decided_at)
                .bind(change.id))?;
        }
        let before =
            current.map(|c| CurrentRecord { state: c.state, decided_at: c.decided_at, change_id: c.change_id });
        let entity_id = format!("{}/{purpose}", pupil.id);
        audit::append(
            &mut tx,
            school,
            actor,
            Change::changed("consent", entity_id, decision.action.as_str(), before.as_ref(), &change)?,
        )
        .await?;
        tx.commit().await?;
        Ok(Recorded { change, in_force })
    }

    /// Every decision recorded for `pupil`, oldest first; only `purpose`'s if given.
    pub async fn consent_history(
        &self,
        school: SchoolId,
        pupil: PersonId,
        purpose: Option<&str>,
    ) -> Result<Vec<ConsentChange>> {
        let mut conn = self.read().await?;
        person_in(conn.conn(), school, pupil).await?;
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM consent_changes WHERE school_id = $1 AND pupil_id = $2 \
             AND ($3 IS NULL OR purpose = $3) ORDER BY id"
        );
        sql!(conn.conn(), "reading the consent history", |c| {
            sqlx::query_as(&sql).bind(school.0).bind(pupil.0).bind(purpose).fetch_all(c).await
        })
    }

    /// The consent in force for each of `pupils` for `purpose` at instant `at`, in the order
    /// asked (duplicates answered twice): what the check uses. `at` should carry the school's
    /// local offset, since a yearly renewal starts at local midnight. One query for up to
    /// 5,000 pupils. A person of the school who is not a pupil reads as unknown; an id not on
    /// the school's roster is NotFound, as is an unknown purpose.
    pub async fn effective_consent(
        &self,
        school: SchoolId,
        purpose: &str,
        pupils: &[PersonId],
        at: OffsetDateTime,
    ) -> Result<Vec<EffectiveConsent>> {
        validate_purpose_key(purpose)?;
        let mut ids: Vec<i64> = pupils.iter().map(|p| p.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut conn = self.read().await?;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(EFFECTIVE_CHUNK) {
            let placeholders = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect::<Vec<_>>().join(", ");
            let sql = format!(
                "SELECT p.id AS pupil_id, p.role, c.state, c.decided_at, pu.changed_at AS purpose_changed_at, \
                 s.renewal_month, s.renewal_day \
                 FROM schools s \
                 JOIN consent_purposes pu ON pu.school_id = s.id AND pu.key = $2 \
                 JOIN people p ON p.school_id = s.id \
                 LEFT JOIN consent_current c ON c.school_id = s.id AND c.purpose = pu.key AND c.pupil_id = p.id \
                 WHERE s.id = $1 AND p.id IN ({placeholders})"
            );
            let rows: Vec<StoredState> = sql!(conn.conn(), "reading consent in force", |c| {
                let mut q = sqlx::query_as(&sql).bind(school.0).bind(purpose);
                for id in chunk {
                    q = q.bind(*id);
                }
                // The text varies with the number of pupils: do not fill the statement cache.
                q.persistent(false).fetch_all(c).await
            })?;
            if rows.is_empty() && !chunk.is_empty() {
                // Either the purpose or every pupil is unknown; say which.
                let exists: Option<String> = sql!(conn.conn(), "checking a purpose", |c| {
                    sqlx::query_scalar("SELECT key FROM consent_purposes WHERE school_id = $1 AND key = $2")
                        .bind(school.0)
                        .bind(purpose)
                        .fetch_optional(c)
                        .await
                })?;
                if exists.is_none() {
                    return Err(Error::not_found("purpose", purpose));
                }
            }
            for row in rows {
                found.insert(row.pupil.0, row.effective(at));
            }
        }
        pupils.iter().map(|p| found.get(&p.0).copied().ok_or_else(|| Error::not_found("person", p))).collect()
    }

    /// The consent in force at `at` counted per class of `school`'s pupils and purpose, classes
    /// sorted (pupils without a class last): the admin's overview. Two queries — pupils per
    /// class, and the decisions in force with their pupil's class — instead of reading every
    /// pupil and asking per purpose; whether given consent has expired is decided here by
    /// [`rules::effective`], as for a check, since timestamps do not compare alike as text.
    pub async fn consent_per_class(&self, school: SchoolId, at: OffsetDateTime) -> Result<Vec<ClassConsent>> {
        let purposes = self.purposes(school).await?;
        let renewal = self.school(school).await?.renewal;
        let mut conn = self.read().await?;
        let classes: Vec<(Option<String>, i64)> = sql!(conn.conn(), "counting pupils per class", |c| {
            sqlx::query_as("SELECT group_name, COUNT(*) FROM people WHERE school_id = $1 AND role = 'pupil' GROUP BY group_name")
                .bind(school.0)
                .fetch_all(c)
                .await
        })?;
        let decisions: Vec<ClassDecision> = sql!(conn.conn(), "reading consent per class", |c| {
            sqlx::query_as(
                "SELECT p.group_name, c.purpose, c.state, c.decided_at FROM consent_current c \
                 JOIN people p ON p.school_id = c.school_id AND p.id = c.pupil_id \
                 WHERE c.school_id = $1 AND p.role = 'pupil'",
            )
            .bind(school.0)
            .fetch_all(c)
            .await
        })?;
        let mut out: Vec<ClassConsent> = classes
            .into_iter()
            .map(|(group, n)| {
                let pupils = u64::try_from(n).unwrap_or_default();
                let counts = StateCounts { unknown: pupils, ..StateCounts::default() };
                ClassConsent { group, pupils, purposes: purposes.iter().map(|p| (p.key.clone(), counts)).collect() }
            })
            .collect();
        let index: std::collections::HashMap<Option<String>, usize> =
            out.iter().enumerate().map(|(i, c)| (c.group.clone(), i)).collect();
        for d in decisions {
            let (Some(&class), Some(p)) = (index.get(&d.group), purposes.iter().position(|p| p.key == d.purpose)) else {
                continue;
            };
            let (state, _) = rules::effective(Some(d.state), Some(d.decided_at), purposes[p].changed_at, renewal, at);
            let counts = &mut out[class].purposes[p].1;
            match state {
                EffectiveState::Given => counts.given += 1,
                EffectiveState::Refused => counts.refused += 1,
                EffectiveState::Unknown => continue,
            }
            counts.unknown = counts.unknown.saturating_sub(1);
        }
        // Sorted here, not in SQL: the two databases collate text (and NULL) differently.
        out.sort_by(|a, b| (a.group.is_none(), &a.group).cmp(&(b.group.is_none(), &b.group)));
        Ok(out)
    }

    /// The consent in force for one pupil for every purpose of the school at `at`, in the
    /// order of [`Store::purposes`]: the "mag in beeld: ja / nee / onbekend" overview.
    pub async fn pupil_consent(
        &self,
        school: SchoolId,
        pupil: PersonId,
        at: OffsetDateTime,
    ) -> Result<Vec<(String, EffectiveConsent)>> {
        let mut conn = self.read().await?;
        let sql =
            "SELECT p.id AS pupil_id, p.role, pu.key, c.state, c.decided_at, pu.changed_at AS purpose_changed_at, \
                   s.renewal_month, s.renewal_day \
                   FROM schools s \
                   JOIN people p ON p.school_id = s.id \
                   JOIN consent_purposes pu ON pu.school_id = s.id \
                   LEFT JOIN consent_current c ON c.school_id = s.id AND c.purpose = pu.key AND c.pupil_id = p.id \
                   WHERE s.id = $1 AND p.id = $2 ORDER BY pu.builtin DESC, pu.key";
        let rows: Vec<(String, StoredState)> =
            sql!(conn.conn(), "reading a pupil's consent", |c| {
                use sqlx::Row as _;
                sqlx::query(sql).bind(school.0).bind(pupil.0).fetch_all(c).await.and_then(|rows| {
                    rows.iter()
                        .map(|r| Ok((r.try_get::<String, _>("key")?, sqlx::FromRow::from_row(r)?)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                })
            })?;
        if rows.is_empty() {
            // Every school has purposes, so no rows means no such pupil here.
            person_in(conn.conn(), school, pupil).await?;
        }
        Ok(rows.into_iter().map(|(key, s)| (key, s.effective(at))).collect())
    }

    /// Who may decide about `pupil`'s consent on `today`: the linked guardians while the pupil
    /// is under 16 (or the date of birth is unknown), the pupil from the 16th birthday.
    pub async fn who_decides(&self, school: SchoolId, pupil: PersonId, today: Date) -> Result<Decider> {
        let mut conn = self.read().await?;
        let p = person_in(conn.conn(), school, pupil).await?;
        if p.role != Role::Pupil {
            return Err(Error::conflict("person", pupil, format!("is a {}; consent is recorded for pupils", p.role)));
        }
        Ok(match rules::decider(p.date_of_birth, today) {
            rules::Who::Pupil => Decider::Pupil { since: p.date_of_birth.map(rules::hand_over_date).unwrap_or(today) },
            rules::Who::Guardians => Decider::Guardians {
                guardians: guardians_in(conn.conn(), school, pupil).await?.into_iter().map(|g| g.id).collect(),
                until: p.date_of_birth.map(rules::hand_over_date),
            },
        })
    }
}

/// Gives a new school the built-in purposes.
pub(crate) async fn seed_purposes(tx: &mut Tx, school: SchoolId, now: OffsetDateTime) -> Result<()> {
    for (key, description) in BUILTIN_PURPOSES {
        insert_purpose(tx, school, key, description, true, now).await?;
    }
    Ok(())
}

/// Adds a purpose to a school's list; `builtin` marks the five every school has.
async fn insert_purpose(tx: &mut Tx, school: SchoolId, key: &str, description: &str, builtin: bool, now: OffsetDateTime) -> Result<()> {
    execute!(
        tx.conn(),
        "adding a purpose",
        sqlx::query(
            "INSERT INTO consent_purposes (school_id, key, description, builtin, changed_at, created_at) \
             VALUES ($1, $2, $3, $4, NULL, $5)",
        )
        .bind(school.0)
        .bind(key)
        .bind(description)
        .bind(builtin)
        .bind(now)
    )?;
    Ok(())
}

async fn purpose_in(tx: &mut Tx, school: SchoolId, key: &str) -> Result<Option<Purpose>> {
    sql!(tx.conn(), "reading a purpose", |c| {
        sqlx::query_as(
            "SELECT key, description, builtin, changed_at, created_at FROM consent_purposes WHERE school_id = $1 AND key = $2",
        )
        .bind(school.0)
        .bind(key)
        .fetch_optional(c)
        .await
    })
}

/// Purpose keys are identifiers, as in the check contract's `people[].consent`: a lower-case
/// letter, then lower-case letters, digits and `_`, at most 40 in all.
fn validate_purpose_key(key: &str) -> Result<()> {
    let ok = key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "purpose",
            format!("`{key}` is not a purpose key (a-z, 0-9 and _, starting with a letter, at most 40)"),
        ))
    }
}
