//! AVG (GDPR) rights of one person: access (art. 15, [`Store::export_person`]) and erasure
//! (art. 17, [`Store::erase_person`]).
//!
//! [`TABLES`] says for every table of the schema whether it holds personal data and how the
//! two functions cover it; a test fails when a table is missing from it, so a new table
//! cannot be forgotten.
//!
//! Erasure, within the school that asks:
//! - the roster row, the guardian links both ways, the pupil's consent history and consent in
//!   force are deleted; decisions the person made for a child stay (the child's consent must
//!   remain provable) with `decided_by` blanked;
//! - grants tied to the person are deleted. An account left with no grant at all is
//!   anonymised (email, name and password gone, disabled), its sessions and OIDC identities
//!   deleted; an account that still works elsewhere keeps its other grants;
//! - checks run in this school by those accounts, where they hold no other grant in the
//!   school, are deleted;
//! - the payloads of the audit entries about the person and those accounts are erased, in this
//!   school's chain and, for an anonymised account, in every chain that recorded it; each
//!   chain stays verifiable, and records the erasure with counts only. What stays in the
//!   chains are ids (`person 17`, `account:12`) that no longer lead to anyone.

use serde::Serialize;
use time::OffsetDateTime;

use crate::accounts::{account_in, grants_in, Account, Grant, GrantRow};
use crate::audit::{self, AuditEntry, Chain, Change, Selector};
use crate::checks::{StoredCheck, CHECK_COLUMNS};
use crate::clock;
use crate::consent::{ConsentChange, EffectiveConsent, CHANGE_COLUMNS};
use crate::db::{execute, sql, Conn, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{AccountId, Actor, PersonId, SchoolId};
use crate::oidc::OidcIdentity;
use crate::roster::{person_in, Person};
use crate::sessions::Session;
use crate::vocab::Role;

/// Whether a table holds personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// No personal data: nothing to export or erase.
    NoPersonalData,
    /// Personal data, exported by [`Store::export_person`] and erased or anonymised by
    /// [`Store::erase_person`] as the note says.
    Covered,
}

/// Every table of the schema, with its coverage and how. A test compares this list with the
/// tables the migrations create.
pub const TABLES: &[(&str, Coverage, &str)] = &[
    ("boards", Coverage::NoPersonalData, "names of school boards"),
    ("schools", Coverage::NoPersonalData, "names and settings of schools"),
    ("consent_purposes", Coverage::NoPersonalData, "what consent is asked for"),
    ("retention_policies", Coverage::NoPersonalData, "a school's retention periods"),
    (
        "protocol_files",
        Coverage::NoPersonalData,
        "a school's own protocol documents; uploaded_by is an account id, as in the audit chain",
    ),
    ("people", Coverage::Covered, "exported; the row is deleted"),
    ("guardian_links", Coverage::Covered, "exported both ways; deleted both ways"),
    (
        "consent_changes",
        Coverage::Covered,
        "exported as pupil and as decider; deleted as pupil, decided_by blanked as decider",
    ),
    ("consent_current", Coverage::Covered, "exported (as the state in force); deleted"),
    ("accounts", Coverage::Covered, "accounts tied to the person exported; anonymised when left without grants"),
    ("grants", Coverage::Covered, "exported (this school's); grants tied to the person deleted"),
    ("sessions", Coverage::Covered, "metadata exported; deleted with an anonymised account"),
    ("oidc_identities", Coverage::Covered, "exported; deleted with an anonymised account"),
    ("checks", Coverage::Covered, "this school's checks by the person's accounts exported; deleted"),
    ("audit_log", Coverage::Covered, "entries about the person and their accounts exported; payloads erased"),
    ("board_audit_log", Coverage::Covered, "payloads about an anonymised account erased"),
];

/// The consent in force for one purpose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurposeConsent {
    pub purpose: String,
    pub consent: EffectiveConsent,
}

/// An account tied to the person (through a guardian or pupil grant), as the school knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountExport {
    pub account: Account,
    /// Its grants in this school.
    pub grants: Vec<Grant>,
    /// Its sessions and API tokens (metadata; no secrets are stored).
    pub sessions: Vec<Session>,
    pub oidc_identities: Vec<OidcIdentity>,
}

/// Everything the store holds about one person of a school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonExport {
    pub school: SchoolId,
    #[serde(with = "time::serde::rfc3339")]
    pub exported_at: OffsetDateTime,
    pub person: Person,
    /// The person's guardians (when a pupil).
    pub guardians: Vec<Person>,
    /// The person's children (when a guardian).
    pub children: Vec<Person>,
    /// Decisions about the person's consent (as a pupil).
    pub consent_as_pupil: Vec<ConsentChange>,
    /// Decisions the person made (as a guardian, or a pupil of 16 or over).
    pub consent_decided: Vec<ConsentChange>,
    /// The consent in force now, per purpose (pupils only).
    pub current_consent: Vec<PurposeConsent>,
    pub accounts: Vec<AccountExport>,
    /// Checks run in this school by those accounts.
    pub checks: Vec<StoredCheck>,
    /// This school's audit entries about the person and those accounts.
    pub audit: Vec<AuditEntry>,
}

/// What [`Store::erase_person`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub person: PersonId,
    pub guardian_links: u64,
    pub consent_changes: u64,
    /// Decisions the person made for others, kept with `decided_by` blanked.
    pub consent_decisions_anonymised: u64,
    pub grants: u64,
    /// Accounts anonymised (left with no grant).
    pub accounts_anonymised: Vec<AccountId>,
    /// Accounts tied to the person that keep grants elsewhere.
    pub accounts_kept: Vec<AccountId>,
    pub sessions: u64,
    pub checks: u64,
    /// Audit payloads erased, over every chain.
    pub audit_payloads: u64,
}

/// The audit selectors of everything about `person` and `accounts` in a school's chain.
fn about(person: PersonId, accounts: &[AccountId]) -> Vec<(String, String, Kind)> {
    let p = person.to_string();
    let mut out = vec![
        ("person".to_string(), p.clone(), Kind::Entity),
        ("guardian_link".to_string(), format!("{p}/"), Kind::Prefix),
        ("guardian_link".to_string(), format!("/{p}"), Kind::Suffix),
        ("consent".to_string(), format!("{p}/"), Kind::Prefix),
        // A decision the person made for a child: its payload names them as decider.
        ("consent".to_string(), format!("\"decided_by\":{p},"), Kind::Payload),
    ];
    for a in accounts {
        out.extend(about_account(*a));
    }
    out
}

/// The audit selectors of one account, in any chain.
fn about_account(account: AccountId) -> Vec<(String, String, Kind)> {
    let a = account.to_string();
    vec![
        ("account".to_string(), a.clone(), Kind::Entity),
        ("grant".to_string(), a.clone(), Kind::Entity),
        ("check".to_string(), format!("\"account\":{a},"), Kind::Payload),
    ]
}

#[derive(Clone, Copy)]
enum Kind {
    Entity,
    Prefix,
    Suffix,
    Payload,
}

fn selector<'a>(entity: &'a str, value: &'a str, kind: Kind) -> Selector<'a> {
    match kind {
        Kind::Entity => Selector::Entity { entity, entity_id: value },
        Kind::Prefix => Selector::IdPrefix { entity, prefix: value },
        Kind::Suffix => Selector::IdSuffix { entity, suffix: value },
        Kind::Payload => Selector::PayloadContains { entity, needle: value },
    }
}

/// The accounts with a grant tied to `person` in `school`.
async fn linked_accounts(conn: Conn<'_>, school: SchoolId, person: PersonId) -> Result<Vec<AccountId>> {
    let ids: Vec<i64> = sql!(conn, "reading a person's accounts", |c| {
        sqlx::query_scalar("SELECT account_id FROM grants WHERE school_id = $1 AND person_id = $2 ORDER BY account_id")
            .bind(school.0)
            .bind(person.0)
            .fetch_all(c)
            .await
    })?;
    Ok(ids.into_iter().map(AccountId).collect())
}

/// The chains holding entries about `account` (other than through its checks, which stay in
/// the school they were run in).
async fn chains_recording(conn: Conn<'_>, account: AccountId) -> Result<Vec<Chain>> {
    let rows: Vec<(String, i64)> = sql!(conn, "finding the audit chains of an account", |c| {
        sqlx::query_as(
            "SELECT DISTINCT 'school', school_id FROM audit_log WHERE entity IN ('account', 'grant') AND entity_id = $1 \
             UNION SELECT DISTINCT 'board', board_id FROM board_audit_log \
             WHERE entity IN ('account', 'grant') AND entity_id = $1",
        )
        .bind(account.to_string())
        .fetch_all(c)
        .await
    })?;
    Ok(rows
        .into_iter()
        .map(
            |(kind, id)| {
                if kind == "board" {
                    Chain::Board(crate::ids::BoardId(id))
                } else {
                    Chain::School(SchoolId(id))
                }
            },
        )
        .collect())
}

/// Whether `account` holds any grant but those tied to `person` in `school` (the ones erasure
/// removes); and whether any of those others is in `school`.
async fn other_grants(conn: Conn<'_>, account: AccountId, school: SchoolId, person: PersonId) -> Result<(bool, bool)> {
    let grants = grants_in(conn, account).await?;
    let others: Vec<Grant> =
        grants.into_iter().filter(|g| !(g.school() == Some(school) && g.person() == Some(person))).collect();
    Ok((!others.is_empty(), others.iter().any(|g| g.school() == Some(school))))
}

impl Store {
    /// Everything the store holds about `person` of `school` (AVG art. 15), as one
    /// serialisable value. A person of another school is NotFound.
    pub async fn export_person(&self, school: SchoolId, person: PersonId) -> Result<PersonExport> {
        let now = clock::now();
        let mut conn = self.read().await?;
        let p = person_in(conn.conn(), school, person).await?;
        let changes = |column: &'static str| {
            format!("SELECT {CHANGE_COLUMNS} FROM consent_changes WHERE school_id = $1 AND {column} = $2 ORDER BY id")
        };
        let (as_pupil, decided) = (changes("pupil_id"), changes("decided_by"));
        let consent_as_pupil: Vec<ConsentChange> = sql!(conn.conn(), "reading consent history", |c| {
            sqlx::query_as(&as_pupil).bind(school.0).bind(person.0).fetch_all(c).await
        })?;
        let consent_decided: Vec<ConsentChange> = sql!(conn.conn(), "reading consent decisions", |c| {
            sqlx::query_as(&decided).bind(school.0).bind(person.0).fetch_all(c).await
        })?;
        let accounts = linked_accounts(conn.conn(), school, person).await?;
        let mut account_exports = Vec::with_capacity(accounts.len());
        let mut checks = Vec::new();
        let check_sql =
            format!("SELECT {CHECK_COLUMNS} FROM checks WHERE school_id = $1 AND account_id = $2 ORDER BY id");
        for &id in &accounts {
            let account = account_in(conn.conn(), id).await?;
            let grants: Vec<GrantRow> = sql!(conn.conn(), "reading grants", |c| {
                sqlx::query_as(
                    "SELECT role, board_id, school_id, person_id FROM grants WHERE account_id = $1 AND school_id = $2 \
                     ORDER BY role, person_id",
                )
                .bind(id.0)
                .bind(school.0)
                .fetch_all(c)
                .await
            })?;
            let mine: Vec<StoredCheck> = sql!(conn.conn(), "reading checks", |c| {
                sqlx::query_as(&check_sql).bind(school.0).bind(id.0).fetch_all(c).await
            })?;
            checks.extend(mine);
            account_exports.push(AccountExport {
                account,
                grants: grants.into_iter().map(|g| g.0).collect(),
                sessions: Vec::new(),
                oidc_identities: Vec::new(),
            });
        }
        let mut seen = std::collections::BTreeMap::new();
        for (entity, value, kind) in about(person, &accounts) {
            for raw in audit::select_in(conn.conn(), Chain::School(school), &selector(&entity, &value, kind)).await? {
                seen.insert(raw.record.seq, raw);
            }
        }
        drop(conn);
        for export in &mut account_exports {
            export.sessions = self.sessions(export.account.id).await?;
            export.oidc_identities = self.oidc_identities(export.account.id).await?;
        }
        let (guardians, children) = (self.guardians(school, person).await?, self.children(school, person).await?);
        let current_consent = if p.role == Role::Pupil {
            self.pupil_consent(school, person, now)
                .await?
                .into_iter()
                .map(|(purpose, consent)| PurposeConsent { purpose, consent })
                .collect()
        } else {
            Vec::new()
        };
        Ok(PersonExport {
            school,
            exported_at: now,
            person: p,
            guardians,
            children,
            consent_as_pupil,
            consent_decided,
            current_consent,
            accounts: account_exports,
            checks,
            audit: seen.into_values().map(AuditEntry::from).collect(),
        })
    }

    /// Erases `person` of `school` across every table (AVG art. 17; see the module docs for
    /// what happens to each), in one transaction, and records the erasure in the school's
    /// chain with counts only. A person of another school is NotFound.
    pub async fn erase_person(&self, school: SchoolId, person: PersonId, actor: &Actor) -> Result<Erasure> {
        for _ in 0..5 {
            // What to lock, read first, then checked again under the locks.
            let planned = {
                let mut conn = self.read().await?;
                person_in(conn.conn(), school, person).await?;
                erase_plan(conn.conn(), school, person).await?
            };
            let mut tx = self.begin().await?;
            let mut chains = planned.chains.clone();
            chains.push(Chain::School(school));
            chains.sort();
            chains.dedup();
            for chain in &chains {
                chain.lock(&mut tx).await?;
            }
            for account in &planned.accounts {
                crate::accounts::lock_account(&mut tx, *account).await?;
            }
            person_in(tx.conn(), school, person).await?;
            let plan = erase_plan(tx.conn(), school, person).await?;
            if plan.accounts != planned.accounts || !plan.chains.iter().all(|c| chains.contains(c)) {
                tx.rollback().await?;
                continue;
            }
            let done = erase(&mut tx, school, person, &plan, actor).await?;
            tx.commit().await?;
            return Ok(done);
        }
        Err(Error::conflict("person", person, "their accounts kept changing; try again"))
    }
}

/// The accounts tied to `person` and the chains an erasure writes to besides the school's.
async fn erase_plan(mut conn: Conn<'_>, school: SchoolId, person: PersonId) -> Result<Plan> {
    let accounts = linked_accounts(conn.reborrow(), school, person).await?;
    let mut chains = Vec::new();
    for &account in &accounts {
        let (elsewhere, _) = other_grants(conn.reborrow(), account, school, person).await?;
        if !elsewhere {
            chains.extend(chains_recording(conn.reborrow(), account).await?);
        }
    }
    chains.sort();
    chains.dedup();
    Ok(Plan { accounts, chains })
}

struct Plan {
    accounts: Vec<AccountId>,
    /// Chains recording accounts that erasure anonymises.
    chains: Vec<Chain>,
}

/// The erasure itself, inside a transaction holding every lock the plan needs.
async fn erase(tx: &mut Tx, school: SchoolId, person: PersonId, plan: &Plan, actor: &Actor) -> Result<Erasure> {
    let now = clock::now();
    let mut done = Erasure {
        person,
        guardian_links: 0,
        consent_changes: 0,
        consent_decisions_anonymised: 0,
        grants: 0,
        accounts_anonymised: Vec::new(),
        accounts_kept: Vec::new(),
        sessions: 0,
        checks: 0,
        audit_payloads: 0,
    };
    // Accounts: classify before the grants go.
    let mut in_school_elsewhere = Vec::new();
    for &account in &plan.accounts {
        let (elsewhere, here) = other_grants(tx.conn(), account, school, person).await?;
        if elsewhere {
            done.accounts_kept.push(account);
        } else {
            done.accounts_anonymised.push(account);
        }
        if here {
            in_school_elsewhere.push(account);
        }
    }
    done.grants = execute!(
        tx.conn(),
        "erasing grants",
        sqlx::query("DELETE FROM grants WHERE school_id = $1 AND person_id = $2").bind(school.0).bind(person.0)
    )?;
    for &account in &plan.accounts {
        if !in_school_elsewhere.contains(&account) {
            done.checks += execute!(
                tx.conn(),
                "erasing checks",
                sqlx::query("DELETE FROM checks WHERE school_id = $1 AND account_id = $2")
                    .bind(school.0)
                    .bind(account.0)
            )?;
        }
    }
    for &account in &done.accounts_anonymised {
        done.sessions += execute!(
            tx.conn(),
            "erasing sessions",
            sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(account.0)
        )?;
        execute!(
            tx.conn(),
            "erasing OIDC identities",
            sqlx::query("DELETE FROM oidc_identities WHERE account_id = $1").bind(account.0)
        )?;
        let placeholder = format!("erased-{}@invalid", account.0);
        execute!(
            tx.conn(),
            "anonymising an account",
            sqlx::query(
                "UPDATE accounts SET email = $2, email_key = $2, display_name = $3, password_hash = NULL, \
                 disabled_at = COALESCE(disabled_at, $4), updated_at = $4 WHERE id = $1",
            )
            .bind(account.0)
            .bind(&placeholder)
            .bind("(gewist)")
            .bind(now)
        )?;
    }
    // The roster: consent as pupil, decisions as decider, links, the row.
    execute!(
        tx.conn(),
        "erasing consent in force",
        sqlx::query("DELETE FROM consent_current WHERE school_id = $1 AND pupil_id = $2").bind(school.0).bind(person.0)
    )?;
    done.consent_changes = execute!(
        tx.conn(),
        "erasing consent history",
        sqlx::query("DELETE FROM consent_changes WHERE school_id = $1 AND pupil_id = $2").bind(school.0).bind(person.0)
    )?;
    done.consent_decisions_anonymised = execute!(
        tx.conn(),
        "anonymising consent decisions",
        sqlx::query("UPDATE consent_changes SET decided_by = NULL WHERE school_id = $1 AND decided_by = $2")
            .bind(school.0)
            .bind(person.0)
    )?;
    done.guardian_links = execute!(
        tx.conn(),
        "erasing guardian links",
        sqlx::query("DELETE FROM guardian_links WHERE school_id = $1 AND (guardian_id = $2 OR pupil_id = $2)")
            .bind(school.0)
            .bind(person.0)
    )?;
    execute!(
        tx.conn(),
        "erasing a person",
        sqlx::query("DELETE FROM people WHERE school_id = $1 AND id = $2").bind(school.0).bind(person.0)
    )?;
    // Audit payloads: this school's about the person and their accounts; other chains' about
    // the anonymised accounts, each recording its redaction.
    let here = Chain::School(school);
    for (entity, value, kind) in about(person, &plan.accounts) {
        done.audit_payloads += audit::redact_in(tx, here, &selector(&entity, &value, kind), now).await?;
    }
    for &chain in plan.chains.iter().filter(|c| **c != here) {
        let mut erased = 0;
        for &account in &done.accounts_anonymised {
            for (entity, value, kind) in about_account(account) {
                erased += audit::redact_in(tx, chain, &selector(&entity, &value, kind), now).await?;
            }
        }
        if erased > 0 {
            let record = serde_json::json!({ "entries": erased, "reason": "erasure" });
            audit::append_to(tx, chain, actor, Change::event("audit", "erasure", "redact", &record)?).await?;
            done.audit_payloads += erased;
        }
    }
    let record = serde_json::json!({
        "guardian_links": done.guardian_links,
        "consent_changes": done.consent_changes,
        "consent_decisions_anonymised": done.consent_decisions_anonymised,
        "grants": done.grants,
        "accounts_anonymised": done.accounts_anonymised,
        "checks": done.checks,
        "audit_payloads": done.audit_payloads,
    });
    audit::append_to(tx, here, actor, Change::event("person", person, "erase", &record)?).await?;
    Ok(done)
}
