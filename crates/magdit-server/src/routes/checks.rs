//! Stored checks of a school: admins and leidinggevenden read all of them, everyone else
//! their own (`SchoolAccess::checks_of`); another's check answers 404 like a missing one.

use axum::extract::{Path, Query, State};
use axum::Json;
use magdit_store::{CheckId, CheckSummary, StoredCheck};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::context::InSchool;
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ChecksQuery {
    /// The `next` of the previous page.
    pub cursor: Option<String>,
    /// At most this many (default 100).
    pub limit: Option<u32>,
}

/// A page of checks, newest first; `next` is the cursor of the following page.
#[derive(Serialize, ToSchema)]
pub struct ChecksPage {
    /// Each: `id`, `account`, `protocol`, `outcome`, `has_text`, `created_at`.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<CheckSummary>,
    pub next: Option<String>,
}

/// The school's stored checks, newest first: all of them for admins and leidinggevenden,
/// one's own for everyone else.
#[utoipa::path(get, path = "/api/v1/schools/{school}/checks", tag = "check",
    params(("school" = i64, Path), ChecksQuery),
    responses((status = 200, body = ChecksPage), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(State(state): State<AppState>, ctx: InSchool, Query(q): Query<ChecksQuery>) -> Result<Json<ChecksPage>, Problem> {
    let limit = state.page_limit(q.limit)?;
    let before = q
        .cursor
        .as_deref()
        .map(|c| c.parse().map(CheckId).map_err(|_| Problem::invalid("cursor", "is not a cursor this API handed out")))
        .transpose()?;
    let whose = ctx.access.checks_of(ctx.principal.account);
    let page = state.store.checks(ctx.access.school, whose, limit, before).await?;
    Ok(Json(ChecksPage { items: page.items, next: page.next.map(|c| c.to_string()) }))
}

/// One stored check: verdict, facts, and the text and situation if the user saved them.
#[utoipa::path(get, path = "/api/v1/schools/{school}/checks/{check}", tag = "check",
    params(("school" = i64, Path), ("check" = i64, Path)),
    responses((status = 200, body = Object), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get(
    State(state): State<AppState>,
    ctx: InSchool,
    Path((_, id)): Path<(i64, i64)>,
) -> Result<Json<StoredCheck>, Problem> {
    let check = state.store.check(ctx.access.school, CheckId(id)).await?;
    match ctx.access.checks_of(ctx.principal.account) {
        Some(own) if check.account != own => Err(Problem::not_found(format!("check {id} not found"))),
        _ => Ok(Json(check)),
    }
}
