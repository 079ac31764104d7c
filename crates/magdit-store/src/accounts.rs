//! Accounts and their grants.
//!
//! An account signs in with a password (argon2id), through OIDC ([`crate::oidc`]), or both. What
//! it may do comes from its grants: a role with a scope, a board or a school; a guardian's or
//! pupil's grant also names their own row on the school's roster.
//!
//! Auditing. Accounts are not school data (one teacher may work at two schools), so their
//! changes are written into the chain of every scope they concern, in one transaction:
//! - a grant or revocation: the chain of its scope (the school's, or the board's for
//!   `board_admin`);
//! - a change of the account itself (creation, password, disable, enable, an OIDC link): the
//!   chain of every scope the account holds a grant in.
//!
//! So an account always holds a grant: [`Store::create_account`] takes the first, and revoking
//! the last one also disables the account and ends its sessions (audited in that scope), so an
//! account without grants can neither sign in nor change unaudited. Locks are taken in one
//! order everywhere — audit chains (boards, then schools, by id), then accounts — so writers
//! never deadlock.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

use crate::audit::{self, Chain, Change};
use crate::clock;
use crate::db::{execute, from_row, parse_column, sql, Conn, Store, Tx};
use crate::error::{Error, Result};
use crate::ids::{text, AccountId, Actor, BoardId, PersonId, SchoolId};
use crate::password;
use crate::roster::person_in;
use crate::vocab::{GrantRole, Role};

/// The longest email address (RFC 5321's path limit less the brackets).
pub const MAX_EMAIL: usize = 254;
/// The longest display name, in characters.
pub const MAX_NAME: usize = 200;

/// A sign-in account. The password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub id: AccountId,
    /// As given (trimmed); unique whatever its case.
    pub email: String,
    pub name: String,
    /// Whether the account has a password (false: OIDC only).
    pub has_password: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl Account {
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }
}

from_row!(Account, |row| Ok(Account {
    id: AccountId(row.try_get("id")?),
    email: row.try_get("email")?,
    name: row.try_get("display_name")?,
    has_password: row.try_get("has_password")?,
    disabled_at: row.try_get("disabled_at")?,
    created_at: row.try_get("created_at")?,
}));

pub(crate) const ACCOUNT_COLUMNS: &str =
    "id, email, display_name, password_hash IS NOT NULL AS has_password, disabled_at, created_at";

/// What [`Store::create_account`] needs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub email: String,
    pub name: String,
    /// None for an account that signs in through OIDC only.
    #[serde(default)]
    pub password: Option<String>,
}

/// What an account may do, where. The JSON form is tagged by role:
/// `{"role": "guardian", "school": 3, "person": 17}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case", deny_unknown_fields)]
pub enum Grant {
    /// Every school of a board.
    BoardAdmin {
        board: BoardId,
    },
    /// Schoolleiding: administers one school.
    SchoolAdmin {
        school: SchoolId,
    },
    Leidinggevende {
        school: SchoolId,
    },
    Employee {
        school: SchoolId,
    },
    /// A parent on the school's roster (`person`, role parent); their children are the
    /// pupils linked to that person ([`Store::children`]).
    Guardian {
        school: SchoolId,
        person: PersonId,
    },
    /// A pupil on the school's roster (`person`, role pupil).
    Pupil {
        school: SchoolId,
        person: PersonId,
    },
}

impl Grant {
    pub fn role(self) -> GrantRole {
        match self {
            Grant::BoardAdmin { .. } => GrantRole::BoardAdmin,
            Grant::SchoolAdmin { .. } => GrantRole::SchoolAdmin,
            Grant::Leidinggevende { .. } => GrantRole::Leidinggevende,
            Grant::Employee { .. } => GrantRole::Employee,
            Grant::Guardian { .. } => GrantRole::Guardian,
            Grant::Pupil { .. } => GrantRole::Pupil,
        }
    }

    /// The board of a `board_admin` grant.
    pub fn board(self) -> Option<BoardId> {
        match self {
            Grant::BoardAdmin { board } => Some(board),
            _ => None,
        }
    }

    /// The school of every grant but `board_admin`.
    pub fn school(self) -> Option<SchoolId> {
        match self {
            Grant::BoardAdmin { .. } => None,
            Grant::SchoolAdmin { school }
            | Grant::Leidinggevende { school }
            | Grant::Employee { school }
            | Grant::Guardian { school, .. }
            | Grant::Pupil { school, .. } => Some(school),
        }
    }

    /// The roster row of a guardian or pupil grant.
    pub fn person(self) -> Option<PersonId> {
        match self {
            Grant::Guardian { person, .. } | Grant::Pupil { person, .. } => Some(person),
            _ => None,
        }
    }

    /// The audit chain this grant is recorded in.
    pub fn chain(self) -> Chain {
        match self {
            Grant::BoardAdmin { board } => Chain::Board(board),
            Grant::SchoolAdmin { school }
            | Grant::Leidinggevende { school }
            | Grant::Employee { school }
            | Grant::Guardian { school, .. }
            | Grant::Pupil { school, .. } => Chain::School(school),
        }
    }

    /// The grant of `role` with the scope it needs: a board for `board_admin`, a school for
    /// the others, and the person for `guardian` and `pupil`. A missing or superfluous part is
    /// Invalid naming it (`board`, `school`, `person`).
    pub fn scoped(
        role: GrantRole,
        board: Option<BoardId>,
        school: Option<SchoolId>,
        person: Option<PersonId>,
    ) -> Result<Grant> {
        let needs_person = matches!(role, GrantRole::Guardian | GrantRole::Pupil);
        let extra = |field: &'static str| Err(Error::invalid(field, format!("is not part of a {role} grant")));
        match (role, board.is_some(), school.is_some(), person.is_some()) {
            (GrantRole::BoardAdmin, _, true, _) => return extra("school"),
            (GrantRole::BoardAdmin, _, _, true) => return extra("person"),
            (GrantRole::BoardAdmin, ..) => {}
            (_, true, _, _) => return extra("board"),
            (_, _, _, true) if !needs_person => return extra("person"),
            _ => {}
        }
        let missing = |field: &'static str| Error::invalid(field, format!("is needed for a {role} grant"));
        let school = || school.ok_or_else(|| missing("school"));
        let person = || person.ok_or_else(|| missing("person"));
        Ok(match role {
            GrantRole::BoardAdmin => Grant::BoardAdmin { board: board.ok_or_else(|| missing("board"))? },
            GrantRole::SchoolAdmin => Grant::SchoolAdmin { school: school()? },
            GrantRole::Leidinggevende => Grant::Leidinggevende { school: school()? },
            GrantRole::Employee => Grant::Employee { school: school()? },
            GrantRole::Guardian => Grant::Guardian { school: school()?, person: person()? },
            GrantRole::Pupil => Grant::Pupil { school: school()?, person: person()? },
        })
    }

    /// The grant a stored row describes; a row that is not one (edited by hand) is a decode
    /// error naming the column.
    pub(crate) fn from_parts(
        role: &str,
        board: Option<i64>,
        school: Option<i64>,
        person: Option<i64>,
    ) -> Result<Grant, sqlx::Error> {
        let role: GrantRole = parse_column("role", role)?;
        Grant::scoped(role, board.map(BoardId), school.map(SchoolId), person.map(PersonId)).map_err(|e| match e {
            Error::Invalid { field, reason } => {
                sqlx::Error::ColumnDecode { index: format!("{field}_id"), source: reason.into() }
            }
            other => sqlx::Error::Decode(other.into()),
        })
    }
}

/// A grant as read from a row with `role, board_id, school_id, person_id`.
pub(crate) struct GrantRow(pub Grant);

from_row!(GrantRow, |row| {
    let role: String = row.try_get("role")?;
    Ok(GrantRow(Grant::from_parts(
        &role,
        row.try_get("board_id")?,
        row.try_get("school_id")?,
        row.try_get("person_id")?,
    )?))
});

/// An account as a school sees it: with its grants in that school only (never another
/// school's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolAccount {
    pub account: Account,
    pub grants: Vec<Grant>,
}

/// Where a page of accounts ends; its text form is what an API hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountCursor {
    email_key: String,
    id: AccountId,
}

impl fmt::Display for AccountCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.id, self.email_key)
    }
}

impl FromStr for AccountCursor {
    type Err = Error;
    fn from_str(s: &str) -> Result<AccountCursor> {
        let bad = || Error::invalid("cursor", "is not a cursor this store handed out");
        let (id, key) = s.split_once(':').ok_or_else(bad)?;
        Ok(AccountCursor { id: AccountId(id.parse().map_err(|_| bad())?), email_key: key.to_string() })
    }
}

/// A page of a school's accounts, and the cursor of the next (None on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPage {
    pub items: Vec<SchoolAccount>,
    pub next: Option<AccountCursor>,
}

/// Checks an email address and returns it trimmed, with its key (lower case).
pub(crate) fn email(value: &str) -> Result<(String, String)> {
    let value = value.trim();
    let bad = |reason: &str| Err(Error::invalid("email", reason.to_string()));
    if value.is_empty() {
        return bad("is empty");
    }
    if value.len() > MAX_EMAIL {
        return bad(&format!("has {} bytes; at most {MAX_EMAIL}", value.len()));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains a space or a control character");
    }
    let Some((local, domain)) = value.rsplit_once('@') else { return bad("has no @") };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return bad("is not an address (the part before @)");
    }
    if domain.is_empty() || domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
        return bad("is not an address (the domain)");
    }
    Ok((value.to_string(), value.to_lowercase()))
}

impl Store {
    /// Creates an account with its first grant, audited in the grant's scope (an account
    /// always holds a grant; see the module docs). The email must be new, whatever its case:
    /// Conflict otherwise. The password, if any, is hashed with argon2id at the store's cost.
    pub async fn create_account(&self, new: &NewAccount, first: &Grant, actor: &Actor) -> Result<Account> {
        let (email, key) = email(&new.email)?;
        let name = text("account.name", &new.name, MAX_NAME)?;
        let hash = match &new.password {
            Some(p) => {
                password::check_new_password(p)?;
                // Hashed before the transaction: no lock is held during the slow part.
                Some(password::hash(self.hashing, p).await?)
            }
            None => None,
        };
        let now = clock::now();
        let mut tx = self.begin().await?;
        first.chain().lock(&mut tx).await?;
        check_grant(&mut tx, first).await?;
        let taken: Option<i64> = sql!(tx.conn(), "checking an email address", |c| {
            sqlx::query_scalar("SELECT id FROM accounts WHERE email_key = $1").bind(&key).fetch_optional(c).await
        })?;
        if taken.is_some() {
            return Err(Error::conflict("account", &email, "an account with this email address exists"));
        }
        let insert = format!(
            "INSERT INTO accounts (email, email_key, display_name, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {ACCOUNT_COLUMNS}"
        );
        let account: Account = sql!(tx.conn(), "creating an account", |c| {
            sqlx::query_as(&insert).bind(&email).bind(&key).bind(&name).bind(&hash).bind(now).fetch_one(c).await
        })?;
        insert_grant(&mut tx, account.id, first, now).await?;
        audit::append_to(&mut tx, first.chain(), actor, Change::created("account", account.id, &account)?).await?;
        audit::append_to(&mut tx, first.chain(), actor, Change::created("grant", account.id, first)?).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// Sets (or with None removes) an account's password, audited in every scope it holds a
    /// grant in. Does not end its sessions; call [`Store::revoke_sessions`] for that.
    pub async fn set_password(&self, account: AccountId, new: Option<&str>, actor: &Actor) -> Result<()> {
        let hash = match new {
            Some(p) => {
                password::check_new_password(p)?;
                Some(password::hash(self.hashing, p).await?)
            }
            None => None,
        };
        let (mut tx, chains) = write_account(self, account).await?;
        if chains.is_empty() {
            return Err(Error::conflict("account", account, "holds no grant; grant one first"));
        }
        execute!(
            tx.conn(),
            "setting a password",
            sqlx::query("UPDATE accounts SET password_hash = $2 WHERE id = $1").bind(account.0).bind(&hash)
        )?;
        let action = if hash.is_some() { "set_password" } else { "remove_password" };
        for chain in chains {
            // The payload says that, never what: no hash in the audit log.
            let change =
                Change::event("account", account, action, &serde_json::json!({ "has_password": hash.is_some() }))?;
            audit::append_to(&mut tx, chain, actor, change).await?;
        }
        tx.commit().await
    }

    /// The account whose email (any case) and password these are. Every failure — unknown
    /// email, wrong password, no password (OIDC only), disabled account — is the same
    /// [`Error::Unauthenticated`] after the same argon2 work, so neither the answer nor its
    /// timing tells whether the address has an account.
    pub async fn verify_password(&self, email_address: &str, password_given: &str) -> Result<Account> {
        if password_given.chars().count() > password::MAX_PASSWORD_CHARS || email_address.len() > 4 * MAX_EMAIL {
            // Refused on its size alone, which says nothing about any account.
            return Err(Error::Unauthenticated);
        }
        let stored: Option<(Account, Option<String>)> = match email(email_address) {
            Ok((_, key)) => {
                let sql = format!("SELECT {ACCOUNT_COLUMNS}, password_hash FROM accounts WHERE email_key = $1");
                let mut conn = self.read().await?;
                sql!(conn.conn(), "reading an account", |c| {
                    use sqlx::Row as _;
                    match sqlx::query(&sql).bind(&key).fetch_optional(c).await {
                        Ok(Some(row)) => sqlx::FromRow::from_row(&row)
                            .and_then(|a: Account| Ok(Some((a, row.try_get::<Option<String>, _>("password_hash")?)))),
                        Ok(None) => Ok(None),
                        Err(e) => Err(e),
                    }
                })?
            }
            Err(_) => None,
        };
        match stored {
            Some((account, Some(hash))) => {
                let matches = password::verify(hash, password_given).await?;
                if matches && !account.is_disabled() {
                    Ok(account)
                } else {
                    Err(Error::Unauthenticated)
                }
            }
            _ => {
                password::dummy_verify(self.hashing, password_given).await?;
                Err(Error::Unauthenticated)
            }
        }
    }

    /// Gives `account` a grant, audited in the grant's scope. A guardian grant must name a
    /// parent on that school's roster, a pupil grant a pupil (Conflict otherwise; NotFound for
    /// a person of another school), and a roster person is at most one account. Granting what
    /// the account holds already is not an error; returns whether the grant is new.
    pub async fn grant(&self, account: AccountId, grant: &Grant, actor: &Actor) -> Result<bool> {
        let mut tx = self.begin().await?;
        grant.chain().lock(&mut tx).await?;
        lock_account(&mut tx, account).await?;
        if holds(&mut tx, account, grant).await? {
            return Ok(false);
        }
        check_grant(&mut tx, grant).await?;
        insert_grant(&mut tx, account, grant, clock::now()).await?;
        audit::append_to(&mut tx, grant.chain(), actor, Change::created("grant", account, grant)?).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Takes a grant from `account`, audited in the grant's scope; returns whether it held
    /// it. Revoking the last grant also disables the account and ends its sessions.
    pub async fn revoke(&self, account: AccountId, grant: &Grant, actor: &Actor) -> Result<bool> {
        let mut tx = self.begin().await?;
        grant.chain().lock(&mut tx).await?;
        lock_account(&mut tx, account).await?;
        if !holds(&mut tx, account, grant).await? {
            return Ok(false);
        }
        delete_grant(&mut tx, account, grant).await?;
        audit::append_to(&mut tx, grant.chain(), actor, Change::removed("grant", account, grant)?).await?;
        if grants_in(tx.conn(), account).await?.is_empty() {
            let before = account_in(tx.conn(), account).await?;
            if !before.is_disabled() {
                let after = set_disabled(&mut tx, account, Some(clock::now())).await?;
                audit::append_to(
                    &mut tx,
                    grant.chain(),
                    actor,
                    Change::changed("account", account, "disable", Some(&before), &after)?,
                )
                .await?;
            }
            crate::sessions::revoke_all_in(&mut tx, account).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// One account.
    pub async fn account(&self, id: AccountId) -> Result<Account> {
        let mut conn = self.read().await?;
        account_in(conn.conn(), id).await
    }

    /// The account with this email address (any case).
    pub async fn account_by_email(&self, email_address: &str) -> Result<Account> {
        let (shown, key) = email(email_address)?;
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE email_key = $1");
        let mut conn = self.read().await?;
        let found: Option<Account> =
            sql!(conn.conn(), "reading an account", |c| sqlx::query_as(&sql).bind(&key).fetch_optional(c).await)?;
        found.ok_or_else(|| Error::not_found("account", shown))
    }

    /// Every grant of `account`, boards first, then by school and role.
    pub async fn grants(&self, account: AccountId) -> Result<Vec<Grant>> {
        let mut conn = self.read().await?;
        account_in(conn.conn(), account).await?;
        grants_in(conn.conn(), account).await
    }

    /// `account` as `school` sees it, with its grants there; NotFound when it holds no grant
    /// in that school (so an account id from another school reveals nothing).
    pub async fn school_account(&self, school: SchoolId, account: AccountId) -> Result<SchoolAccount> {
        let mut conn = self.read().await?;
        let grants = school_grants_in(conn.conn(), school, &[account.0]).await?;
        if grants.is_empty() {
            return Err(Error::not_found("account", account));
        }
        let account = account_in(conn.conn(), account).await?;
        Ok(SchoolAccount { account, grants: grants.into_iter().map(|(_, g)| g).collect() })
    }

    /// A page of the accounts holding a grant in `school`, by email address: up to `limit`
    /// (1 to 1,000) after `after`. Each comes with its grants in this school only.
    pub async fn school_accounts(
        &self,
        school: SchoolId,
        limit: u32,
        after: Option<&AccountCursor>,
    ) -> Result<AccountPage> {
        if limit == 0 || limit > crate::roster::MAX_PAGE {
            return Err(Error::invalid("limit", format!("{limit} is not between 1 and {}", crate::roster::MAX_PAGE)));
        }
        let (key, id) = after.map_or((None, None), |c| (Some(c.email_key.clone()), Some(c.id.0)));
        let sql = format!(
            "SELECT {ACCOUNT_COLUMNS}, email_key FROM accounts a WHERE EXISTS \
             (SELECT 1 FROM grants g WHERE g.account_id = a.id AND g.school_id = $1) \
             AND ($2 IS NULL OR email_key > $2 OR (email_key = $2 AND id > $3)) \
             ORDER BY email_key, id LIMIT $4"
        );
        let mut conn = self.read().await?;
        let mut rows: Vec<(Account, String)> = sql!(conn.conn(), "listing a school's accounts", |c| {
            use sqlx::Row as _;
            sqlx::query(&sql).bind(school.0).bind(&key).bind(id).bind(i64::from(limit) + 1).fetch_all(c).await.and_then(
                |rows| {
                    rows.iter()
                        .map(|r| Ok((sqlx::FromRow::from_row(r)?, r.try_get::<String, _>("email_key")?)))
                        .collect::<Result<Vec<_>, sqlx::Error>>()
                },
            )
        })?;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|(a, key)| AccountCursor { email_key: key.clone(), id: a.id })
        } else {
            None
        };
        let ids: Vec<i64> = rows.iter().map(|(a, _)| a.id.0).collect();
        let mut grants = school_grants_in(conn.conn(), school, &ids).await?;
        let items = rows
            .into_iter()
            .map(|(account, _)| {
                let mine = grants.iter().filter(|(a, _)| *a == account.id).map(|(_, g)| *g).collect();
                grants.retain(|(a, _)| *a != account.id);
                SchoolAccount { account, grants: mine }
            })
            .collect();
        Ok(AccountPage { items, next })
    }

    /// Disables an account and ends its sessions, audited in every scope it holds a grant
    /// in. Disabling a disabled account changes nothing.
    pub async fn disable_account(&self, account: AccountId, actor: &Actor) -> Result<Account> {
        let (mut tx, chains) = write_account(self, account).await?;
        let before = account_in(tx.conn(), account).await?;
        if before.is_disabled() {
            return Ok(before);
        }
        let after = set_disabled(&mut tx, account, Some(clock::now())).await?;
        crate::sessions::revoke_all_in(&mut tx, account).await?;
        for chain in chains {
            audit::append_to(
                &mut tx,
                chain,
                actor,
                Change::changed("account", account, "disable", Some(&before), &after)?,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Enables a disabled account again; it must hold a grant (Conflict otherwise).
    pub async fn enable_account(&self, account: AccountId, actor: &Actor) -> Result<Account> {
        let (mut tx, chains) = write_account(self, account).await?;
        let before = account_in(tx.conn(), account).await?;
        if !before.is_disabled() {
            return Ok(before);
        }
        if chains.is_empty() {
            return Err(Error::conflict("account", account, "holds no grant; grant one first"));
        }
        let after = set_disabled(&mut tx, account, None).await?;
        for chain in chains {
            audit::append_to(
                &mut tx,
                chain,
                actor,
                Change::changed("account", account, "enable", Some(&before), &after)?,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }
}

/// A transaction for changing `account` itself: it holds the locks of every chain the
/// account's grants concern, then of the account (the global lock order), and returns those
/// chains. A grant made elsewhere meanwhile makes it start again.
pub(crate) async fn write_account(store: &Store, account: AccountId) -> Result<(Tx, Vec<Chain>)> {
    for _ in 0..5 {
        let mut tx = store.begin().await?;
        let chains = chains_of(tx.conn(), account).await?;
        for chain in &chains {
            chain.lock(&mut tx).await?;
        }
        lock_account(&mut tx, account).await?;
        let now = chains_of(tx.conn(), account).await?;
        if now.iter().all(|c| chains.contains(c)) {
            return Ok((tx, now));
        }
        tx.rollback().await?;
    }
    Err(Error::conflict("account", account, "its grants kept changing; try again"))
}

/// The chains of `account`'s grants, in lock order.
pub(crate) async fn chains_of(conn: Conn<'_>, account: AccountId) -> Result<Vec<Chain>> {
    let mut chains: Vec<Chain> = grants_in(conn, account).await?.into_iter().map(Grant::chain).collect();
    chains.sort();
    chains.dedup();
    Ok(chains)
}

/// Locks an account's row inside `tx` (after any chain locks); NotFound if there is none.
pub(crate) async fn lock_account(tx: &mut Tx, account: AccountId) -> Result<()> {
    let now = clock::now();
    let found: Option<i64> = sql!(tx.conn(), "locking an account", |c| {
        sqlx::query_scalar("UPDATE accounts SET updated_at = $2 WHERE id = $1 RETURNING id")
            .bind(account.0)
            .bind(now)
            .fetch_optional(c)
            .await
    })?;
    found.map(|_| ()).ok_or_else(|| Error::not_found("account", account))
}

pub(crate) async fn account_in(conn: Conn<'_>, id: AccountId) -> Result<Account> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE id = $1");
    let found: Option<Account> =
        sql!(conn, "reading an account", |c| sqlx::query_as(&sql).bind(id.0).fetch_optional(c).await)?;
    found.ok_or_else(|| Error::not_found("account", id))
}

/// Every grant of `account`: boards first, then by school, role and person.
pub(crate) async fn grants_in(conn: Conn<'_>, account: AccountId) -> Result<Vec<Grant>> {
    let rows: Vec<GrantRow> = sql!(conn, "reading grants", |c| {
        sqlx::query_as(
            "SELECT role, board_id, school_id, person_id FROM grants WHERE account_id = $1 \
             ORDER BY board_id IS NULL, board_id, school_id, role, person_id",
        )
        .bind(account.0)
        .fetch_all(c)
        .await
    })?;
    Ok(rows.into_iter().map(|g| g.0).collect())
}

/// The grants in `school` of the accounts `ids`, as (account, grant).
async fn school_grants_in(conn: Conn<'_>, school: SchoolId, ids: &[i64]) -> Result<Vec<(AccountId, Grant)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders = (0..ids.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT account_id, role, board_id, school_id, person_id FROM grants \
         WHERE school_id = $1 AND account_id IN ({placeholders}) ORDER BY account_id, role, person_id"
    );
    sql!(conn, "reading a school's grants", |c| {
        use sqlx::Row as _;
        let mut q = sqlx::query(&sql).bind(school.0);
        for id in ids {
            q = q.bind(*id);
        }
        q.persistent(false).fetch_all(c).await.and_then(|rows| {
            rows.iter()
                .map(|r| {
                    let GrantRow(g) = sqlx::FromRow::from_row(r)?;
                    Ok((AccountId(r.try_get("account_id")?), g))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })
    })
}

/// Checks a grant's person inside `tx`, which holds the scope's lock (so the scope exists):
/// on the school's roster, in the right role, and no other account's.
async fn check_grant(tx: &mut Tx, grant: &Grant) -> Result<()> {
    if let (Some(school), Some(person)) = (grant.school(), grant.person()) {
        let p = person_in(tx.conn(), school, person).await?;
        let wanted = match grant {
            Grant::Guardian { .. } => Role::Parent,
            _ => Role::Pupil,
        };
        if p.role != wanted {
            return Err(Error::conflict(
                "person",
                person,
                format!("is a {}; a {} grant needs a {wanted} on the school's roster", p.role, grant.role()),
            ));
        }
        let owner: Option<i64> = sql!(tx.conn(), "checking a person's account", |c| {
            sqlx::query_scalar("SELECT account_id FROM grants WHERE school_id = $1 AND person_id = $2")
                .bind(school.0)
                .bind(person.0)
                .fetch_optional(c)
                .await
        })?;
        if owner.is_some() {
            return Err(Error::conflict("person", person, "has an account already"));
        }
    }
    Ok(())
}

/// Whether `account` holds exactly `grant`.
async fn holds(tx: &mut Tx, account: AccountId, grant: &Grant) -> Result<bool> {
    Ok(grants_in(tx.conn(), account).await?.contains(grant))
}

async fn insert_grant(tx: &mut Tx, account: AccountId, grant: &Grant, now: OffsetDateTime) -> Result<()> {
    execute!(
        tx.conn(),
        "granting",
        sqlx::query(
            "INSERT INTO grants (account_id, role, board_id, school_id, person_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account.0)
        .bind(grant.role().as_str())
        .bind(grant.board().map(|b| b.0))
        .bind(grant.school().map(|s| s.0))
        .bind(grant.person().map(|p| p.0))
        .bind(now)
    )?;
    Ok(())
}

/// Deletes one grant row. The scope columns are compared with IS NOT DISTINCT FROM's
/// portable spelling, since unused ones are NULL.
pub(crate) async fn delete_grant(tx: &mut Tx, account: AccountId, grant: &Grant) -> Result<u64> {
    execute!(
        tx.conn(),
        "revoking",
        sqlx::query(
            "DELETE FROM grants WHERE account_id = $1 AND role = $2 \
             AND (board_id = $3 OR (board_id IS NULL AND $3 IS NULL)) \
             AND (school_id = $4 OR (school_id IS NULL AND $4 IS NULL)) \
             AND (person_id = $5 OR (person_id IS NULL AND $5 IS NULL))",
        )
        .bind(account.0)
        .bind(grant.role().as_str())
        .bind(grant.board().map(|b| b.0))
        .bind(grant.school().map(|s| s.0))
        .bind(grant.person().map(|p| p.0))
    )
}

async fn set_disabled(tx: &mut Tx, account: AccountId, at: Option<OffsetDateTime>) -> Result<Account> {
    let sql = format!("UPDATE accounts SET disabled_at = $2 WHERE id = $1 RETURNING {ACCOUNT_COLUMNS}");
    sql!(tx.conn(), "disabling an account", |c| sqlx::query_as(&sql).bind(account.0).bind(at).fetch_one(c).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(email("  Anna@School.NL ").unwrap(), ("Anna@School.NL".into(), "anna@school.nl".into()));
        for bad in ["", "anna", "@school.nl", "anna@", "an na@school.nl", "anna@.nl", "anna@school..nl"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@school.nl", "a".repeat(65))).is_err());
        assert!(email(&format!("a@{}.nl", "b".repeat(260))).is_err());
    }

    #[test]
    fn grants_round_trip_through_json_and_rows() {
        let g = Grant::Guardian { school: SchoolId(3), person: PersonId(17) };
        assert_eq!(serde_json::to_string(&g).unwrap(), r#"{"role":"guardian","school":3,"person":17}"#);
        assert_eq!(serde_json::from_str::<Grant>(r#"{"role":"guardian","school":3,"person":17}"#).unwrap(), g);
        assert!(serde_json::from_str::<Grant>(r#"{"role":"guardian","school":3}"#).is_err());
        assert_eq!(Grant::from_parts("guardian", None, Some(3), Some(17)).unwrap(), g);
        assert!(Grant::from_parts("guardian", None, Some(3), None).is_err());
        assert!(Grant::from_parts("superuser", None, Some(3), None).is_err());
        assert!(matches!(
            Grant::scoped(GrantRole::Employee, None, Some(SchoolId(3)), Some(PersonId(17))),
            Err(Error::Invalid { field: "person", .. })
        ));
        assert!(matches!(
            Grant::scoped(GrantRole::BoardAdmin, None, Some(SchoolId(3)), None),
            Err(Error::Invalid { field: "school", .. })
        ));
        assert_eq!(
            Grant::scoped(GrantRole::BoardAdmin, Some(BoardId(1)), None, None).unwrap(),
            Grant::BoardAdmin { board: BoardId(1) }
        );
        assert_eq!(Grant::BoardAdmin { board: BoardId(1) }.chain(), Chain::Board(BoardId(1)));
        assert_eq!(g.chain(), Chain::School(SchoolId(3)));
    }

    #[test]
    fn cursors_round_trip() {
        let c = AccountCursor { email_key: "a:b@c.nl".into(), id: AccountId(4) };
        assert_eq!(c.to_string().parse::<AccountCursor>().unwrap(), c);
    }
}
