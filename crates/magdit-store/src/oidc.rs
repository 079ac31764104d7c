//! OIDC identities: an (issuer, subject) pair from a school's identity provider (Entree,
//! Microsoft, Google Workspace) linked to an existing account.
//!
//! A login never creates an account: [`Store::find_or_link_oidc`] returns the account the
//! identity is linked to, or links it to the enabled account with the same email address if
//! the provider says that address is verified, or fails with Unauthenticated. Accounts, and so
//! every privilege, come from an administrator ([`Store::create_account`]).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::accounts::{self, account_in, write_account, Account, ACCOUNT_COLUMNS};
use crate::audit::{self, Change};
use crate::clock;
use crate::db::{execute, from_row, sql, Store};
use crate::error::{Error, Result};
use crate::ids::{text, AccountId, Actor};

/// What the service read from a validated ID token.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OidcLogin {
    /// `iss`, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`.
    pub issuer: String,
    /// `sub`: stable per user at that issuer.
    pub subject: String,
    pub email: Option<String>,
    /// `email_verified`; an unverified address never links.
    pub email_verified: bool,
}

/// A linked identity, as an account's owner or an AVG export sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OidcIdentity {
    pub issuer: String,
    pub subject: String,
    pub account: AccountId,
    /// The address it was linked by.
    pub email: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_login_at: OffsetDateTime,
}

from_row!(OidcIdentity, |row| Ok(OidcIdentity {
    issuer: row.try_get("issuer")?,
    subject: row.try_get("subject")?,
    account: AccountId(row.try_get("account_id")?),
    email: row.try_get("email")?,
    created_at: row.try_get("created_at")?,
    last_login_at: row.try_get("last_login_at")?,
}));

const IDENTITY_COLUMNS: &str = "issuer, subject, account_id, email, created_at, last_login_at";

/// The identity as the audit log records it: no subject, which is an identifier of the person
/// at the provider.
#[derive(Serialize)]
struct LinkRecord<'a> {
    issuer: &'a str,
    email: Option<&'a str>,
}

impl Store {
    /// The account an OIDC login belongs to. A known identity returns its account (if
    /// enabled). An unknown one is linked to the enabled account with its email address when
    /// `email_verified`, audited in every scope the account holds a grant in. Anything else is
    /// Unauthenticated: no account is ever created here.
    pub async fn find_or_link_oidc(&self, login: &OidcLogin) -> Result<Account> {
        let issuer = text("oidc.issuer", &login.issuer, 500)?;
        let subject = text("oidc.subject", &login.subject, 255)?;
        let now = clock::now();
        let linked = {
            let mut conn = self.read().await?;
            let sql = format!(
                "SELECT {} FROM accounts a JOIN oidc_identities o ON o.account_id = a.id \
                 WHERE o.issuer = $1 AND o.subject = $2",
                ACCOUNT_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
            );
            let found: Option<Account> = sql!(conn.conn(), "reading an OIDC identity", |c| {
                sqlx::query_as(&sql).bind(&issuer).bind(&subject).fetch_optional(c).await
            })?;
            if found.as_ref().is_some_and(|a| !a.is_disabled()) {
                execute!(
                    conn.conn(),
                    "recording an OIDC login",
                    sqlx::query("UPDATE oidc_identities SET last_login_at = $3 WHERE issuer = $1 AND subject = $2")
                        .bind(&issuer)
                        .bind(&subject)
                        .bind(now)
                )?;
            }
            found
        };
        match linked {
            Some(account) if !account.is_disabled() => return Ok(account),
            Some(_) => return Err(Error::Unauthenticated),
            None => {}
        }
        let (true, Some(address)) = (login.email_verified, login.email.as_deref()) else {
            return Err(Error::Unauthenticated);
        };
        let Ok((address, _)) = accounts::email(address) else { return Err(Error::Unauthenticated) };
        let account = match self.account_by_email(&address).await {
            Ok(a) if !a.is_disabled() => a,
            Ok(_) | Err(Error::NotFound { .. }) => return Err(Error::Unauthenticated),
            Err(e) => return Err(e),
        };
        let (mut tx, chains) = write_account(self, account.id).await?;
        // Checked again under the lock: disabled or stripped of its grants meanwhile.
        let account = account_in(tx.conn(), account.id).await?;
        if account.is_disabled() || chains.is_empty() {
            return Err(Error::Unauthenticated);
        }
        let owner: Option<i64> = sql!(tx.conn(), "reading an OIDC identity", |c| {
            sqlx::query_scalar("SELECT account_id FROM oidc_identities WHERE issuer = $1 AND subject = $2")
                .bind(&issuer)
                .bind(&subject)
                .fetch_optional(c)
                .await
        })?;
        match owner {
            // A concurrent login of the same identity linked it first.
            Some(id) if id == account.id.0 => return Ok(account),
            Some(_) => return Err(Error::Unauthenticated),
            None => {}
        }
        execute!(
            tx.conn(),
            "linking an OIDC identity",
            sqlx::query(
                "INSERT INTO oidc_identities (issuer, subject, account_id, email, created_at, last_login_at) \
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(&issuer)
            .bind(&subject)
            .bind(account.id.0)
            .bind(&address)
            .bind(now)
        )?;
        let record = LinkRecord { issuer: &issuer, email: Some(&address) };
        for chain in chains {
            audit::append_to(
                &mut tx,
                chain,
                &account.id.actor(),
                Change::event("account", account.id, "link_oidc", &record)?,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(account)
    }

    /// The OIDC identities linked to `account`.
    pub async fn oidc_identities(&self, account: AccountId) -> Result<Vec<OidcIdentity>> {
        let mut conn = self.read().await?;
        account_in(conn.conn(), account).await?;
        let sql =
            format!("SELECT {IDENTITY_COLUMNS} FROM oidc_identities WHERE account_id = $1 ORDER BY issuer, subject");
        sql!(conn.conn(), "listing OIDC identities", |c| sqlx::query_as(&sql).bind(account.0).fetch_all(c).await)
    }

    /// Unlinks an identity from `account`, audited in every scope the account holds a grant
    /// in; returns whether it was linked.
    pub async fn unlink_oidc(&self, account: AccountId, issuer: &str, subject: &str, actor: &Actor) -> Result<bool> {
        let (mut tx, chains) = write_account(self, account).await?;
        let removed = execute!(
            tx.conn(),
            "unlinking an OIDC identity",
            sqlx::query("DELETE FROM oidc_identities WHERE account_id = $1 AND issuer = $2 AND subject = $3")
                .bind(account.0)
                .bind(issuer)
                .bind(subject)
        )? == 1;
        if removed {
            let record = LinkRecord { issuer, email: None };
            for chain in chains {
                audit::append_to(&mut tx, chain, actor, Change::event("account", account, "unlink_oidc", &record)?)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(removed)
    }
}
