//! A school's accounts, for its admins: list and read them with their grants in this school,
//! create one with a first grant, give and take grants here, disable and enable, set a
//! password. A school's admin gives grants in this school only, never a board grant; an
//! account's password and status only change when the admin administers every school it
//! works at (`authz::administers_all`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use magdit_store::{AccountCursor, AccountId, Grant, GrantRole, NewAccount, PersonId, SchoolAccount, SchoolId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use crate::authz::administers_all;
use crate::context::{InSchool, JsonBody};
use crate::problem::Problem;
use crate::state::AppState;

/// An account as its school sees it; never a password or token hash.
#[derive(Serialize, ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// Whether it can sign in with a password (false: OIDC only, or a password is still to be set).
    pub has_password: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// Its grants in this school: `role`, `school` (and `person` for guardians and pupils).
    #[schema(value_type = Vec<Object>)]
    pub grants: Vec<Grant>,
}

impl AccountView {
    fn of(a: SchoolAccount) -> AccountView {
        let SchoolAccount { account, grants } = a;
        AccountView {
            id: account.id.0,
            email: account.email,
            name: account.name,
            has_password: account.has_password,
            disabled_at: account.disabled_at,
            created_at: account.created_at,
            grants,
        }
    }
}

/// A page of accounts; `next` is the cursor of the following page, absent on the last.
#[derive(Serialize, ToSchema)]
pub struct AccountsPage {
    pub items: Vec<AccountView>,
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AccountsQuery {
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// At most this many (default 100).
    pub limit: Option<u32>,
}

/// A grant in this school.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// `school_admin` (schoolleiding), `leidinggevende`, `employee`, `guardian` or `pupil`.
    #[schema(value_type = String, example = "employee")]
    pub role: GrantRole,
    /// For `guardian`: the parent's own row on the roster; for `pupil`: the pupil's.
    pub person: Option<i64>,
}

impl GrantBody {
    /// The grant in `school`; `field` is where the body sits in the request (`grant.` or ``).
    fn in_school(&self, school: SchoolId, field: &str) -> Result<Grant, Problem> {
        if self.role == GrantRole::BoardAdmin {
            return Err(Problem::invalid(format!("{field}role"), "a board grant is not given in a school"));
        }
        Grant::scoped(self.role, None, Some(school), self.person.map(PersonId)).map_err(|e| match e {
            magdit_store::Error::Invalid { field: part, reason } => Problem::invalid(format!("{field}{part}"), reason),
            e => e.into(),
        })
    }
}

/// A store error about the body, named as the body names it: the grant's person missing from
/// this school's roster is a fault of the field `person`, not a missing resource; the store's
/// `account.name` is the body's `name`.
fn body_problem(e: magdit_store::Error, person: &str) -> Problem {
    match e {
        magdit_store::Error::NotFound { entity: "person", id } => {
            Problem::invalid(person, format!("no person {id} on this school's roster"))
        }
        magdit_store::Error::Invalid { field, reason } => Problem::invalid(field.trim_start_matches("account."), reason),
        e => e.into(),
    }
}

/// The accounts with a grant in the school, by email address (admins).
#[utoipa::path(get, path = "/api/v1/schools/{school}/accounts", tag = "accounts",
    params(("school" = i64, Path), AccountsQuery),
    responses((status = 200, body = AccountsPage), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<AccountsQuery>,
) -> Result<Json<AccountsPage>, Problem> {
    ctx.access.require_admin()?;
    let limit = state.page_limit(q.limit)?;
    let cursor = q.cursor.as_deref().map(str::parse::<AccountCursor>).transpose()?;
    let page = state.store.school_accounts(ctx.access.school, limit, cursor.as_ref()).await?;
    Ok(Json(AccountsPage {
        items: page.items.into_iter().map(AccountView::of).collect(),
        next: page.next.map(|c| c.to_string()),
    }))
}

/// What a new account needs.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccountBody {
    pub email: String,
    pub name: String,
    /// An initial password (at least 8 characters) to hand over; absent: the person signs in
    /// through the school's identity provider (OIDC), or gets a password set later.
    pub password: Option<String>,
    /// Its first grant in this school.
    pub grant: GrantBody,
}

/// Creates an account with its first grant in this school (admins). An email address that
/// has an account already is a conflict.
#[utoipa::path(post, path = "/api/v1/schools/{school}/accounts", tag = "accounts",
    params(("school" = i64, Path)), request_body = NewAccountBody,
    responses((status = 201, body = AccountView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create(
    State(state): State<AppState>,
    ctx: InSchool,
    JsonBody(body): JsonBody<NewAccountBody>,
) -> Result<(StatusCode, Json<AccountView>), Problem> {
    ctx.access.require_admin()?;
    let grant = body.grant.in_school(ctx.access.school, "grant.")?;
    let new = NewAccount { email: body.email, name: body.name, password: body.password };
    let account =
        state.store.create_account(&new, &grant, &ctx.actor).await.map_err(|e| body_problem(e, "grant.person"))?;
    Ok((StatusCode::CREATED, Json(AccountView::of(SchoolAccount { account, grants: vec![grant] }))))
}

/// `account` of the school, for an admin; 404 when it holds no grant here.
async fn in_school(state: &AppState, ctx: &InSchool, account: i64) -> Result<SchoolAccount, Problem> {
    ctx.access.require_admin()?;
    Ok(state.store.school_account(ctx.access.school, AccountId(account)).await?)
}

/// Refuses a change to the account itself (password, status) unless the caller administers
/// every school and board it holds a grant in.
async fn require_administers(state: &AppState, ctx: &InSchool, account: AccountId) -> Result<(), Problem> {
    let target = state.store.grants(account).await?;
    let mut boards = Vec::new();
    for school in target.iter().filter_map(|g| g.school()) {
        boards.push((school, state.store.school(school).await?.board));
    }
    let board_of = |s: SchoolId| boards.iter().find(|(id, _)| *id == s).map(|(_, b)| *b);
    if administers_all(&ctx.principal.grants, &target, board_of) {
        Ok(())
    } else {
        Err(Problem::forbidden(format!(
            "account {account} also works at a school or board you do not administer; an administrator of all of them (the board) may change it, or revoke its grants here"
        )))
    }
}

/// One account of the school with its grants here (admins).
#[utoipa::path(get, path = "/api/v1/schools/{school}/accounts/{account}", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account)): Path<(i64, i64)>,
) -> Result<Json<AccountView>, Problem> {
    Ok(Json(AccountView::of(in_school(&state, &ctx, account).await?)))
}

/// Gives an account of the school another grant in it (admins): 201 when new, 204 when it
/// held it already.
#[utoipa::path(post, path = "/api/v1/schools/{school}/accounts/{account}/grants", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path)), request_body = GrantBody,
    responses((status = 201, description = "granted"), (status = 204, description = "held already"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn add_grant(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<GrantBody>,
) -> Result<StatusCode, Problem> {
    let made = give(&state, &ctx, account, &body).await?;
    Ok(if made { StatusCode::CREATED } else { StatusCode::NO_CONTENT })
}

/// Gives `account` of the school the grant `body` describes, here (admins); whether it is
/// new. What `POST …/grants` and the web's accounts page do.
pub async fn give(state: &AppState, ctx: &InSchool, account: i64, body: &GrantBody) -> Result<bool, Problem> {
    let target = in_school(state, ctx, account).await?;
    let grant = body.in_school(ctx.access.school, "")?;
    state.store.grant(target.account.id, &grant, &ctx.actor).await.map_err(|e| body_problem(e, "person"))
}

/// Takes an account's grant of `role` in this school (admins). Its last grant anywhere
/// taken, the account is disabled and signed out. An admin cannot revoke their own
/// `school_admin` grant.
#[utoipa::path(delete, path = "/api/v1/schools/{school}/accounts/{account}/grants/{role}", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path), ("role" = String, Path, example = "employee")),
    responses((status = 204, description = "revoked"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn revoke_grant(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account, role)): Path<(i64, i64, String)>,
) -> Result<StatusCode, Problem> {
    take(&state, &ctx, account, &role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes `account`'s grant of `role` here (admins), as `DELETE …/grants/{role}` and the web's
/// accounts page do.
pub async fn take(state: &AppState, ctx: &InSchool, account: i64, role: &str) -> Result<(), Problem> {
    let target = in_school(state, ctx, account).await?;
    let grant = target
        .grants
        .iter()
        .find(|g| g.role().as_str() == role)
        .copied()
        .ok_or_else(|| Problem::not_found(format!("account {account} holds no `{role}` grant in this school")))?;
    may_take(ctx, target.account.id, grant.role())?;
    state.store.revoke(target.account.id, &grant, &ctx.actor).await?;
    Ok(())
}

/// Whether the caller may take `account`'s grant of `role`: never their own administrator
/// grant, so a school is not left without the admin doing it. (The web page asks this too,
/// to offer only what may be done.)
pub fn may_take(ctx: &InSchool, account: AccountId, role: GrantRole) -> Result<(), Problem> {
    if role == GrantRole::SchoolAdmin && account == ctx.principal.account {
        return Err(Problem::conflict("you cannot revoke your own administrator grant; ask another administrator"));
    }
    Ok(())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The new password, at least 8 characters; give it to the person to change.
    pub password: String,
}

/// Sets an account's password (admins of every school it works at) and signs it out
/// everywhere.
#[utoipa::path(put, path = "/api/v1/schools/{school}/accounts/{account}/password", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path)), request_body = PasswordBody,
    responses((status = 204, description = "set"), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_password(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<PasswordBody>,
) -> Result<StatusCode, Problem> {
    let target = in_school(&state, &ctx, account).await?.account.id;
    require_administers(&state, &ctx, target).await?;
    state.store.set_password(target, Some(&body.password), &ctx.actor).await?;
    // Whoever held a session before the reset may have known the old password.
    state.store.revoke_sessions(target).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables an account and signs it out everywhere (admins of every school it works at; not
/// one's own).
#[utoipa::path(post, path = "/api/v1/schools/{school}/accounts/{account}/disable", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn disable(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account)): Path<(i64, i64)>,
) -> Result<Json<AccountView>, Problem> {
    let SchoolAccount { account, grants } = in_school(&state, &ctx, account).await?;
    if account.id == ctx.principal.account {
        return Err(Problem::conflict("you cannot disable your own account"));
    }
    require_administers(&state, &ctx, account.id).await?;
    let account = state.store.disable_account(account.id, &ctx.actor).await?;
    Ok(Json(AccountView::of(SchoolAccount { account, grants })))
}

/// Enables a disabled account again (admins of every school it works at).
#[utoipa::path(post, path = "/api/v1/schools/{school}/accounts/{account}/enable", tag = "accounts",
    params(("school" = i64, Path), ("account" = i64, Path)),
    responses((status = 200, body = AccountView), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn enable(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, account)): Path<(i64, i64)>,
) -> Result<Json<AccountView>, Problem> {
    let SchoolAccount { account, grants } = in_school(&state, &ctx, account).await?;
    require_administers(&state, &ctx, account.id).await?;
    let account = state.store.enable_account(account.id, &ctx.actor).await?;
    Ok(Json(AccountView::of(SchoolAccount { account, grants })))
}
