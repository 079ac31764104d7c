//! Roster import (CSV from Magister, ParnasSys, Somtoday, employee lists, OneRoster 1.2
//! `users.csv`) with a dry run, and export, for admins.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use magdit_import::{ImportReport, ParseOptions};
use magdit_store::{Actor, Apply};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::context::InSchool;
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Report what would change, change nothing (default true: a preview first).
    pub dry_run: Option<bool>,
}

/// Imports a roster file (the body, as exported by the school's system). Rows that cannot be
/// read are listed in `rejected` with their line and a reason in Dutch and English; the rest
/// is imported, matched by the school system's id so a re-import updates without duplicates.
#[utoipa::path(post, path = "/api/v1/schools/{school}/imports", tag = "roster",
    params(("school" = i64, Path), ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, description = "per row what was (or would be) done, and the rejected rows", body = Object),
        (status = 403, body = Problem), (status = 413, description = "file too large"), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn import(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, Problem> {
    let mode = if q.dry_run.unwrap_or(true) { Apply::DryRun } else { Apply::Commit };
    Ok(Json(run(&state, &ctx, &body, mode).await?))
}

/// Imports the roster file `file` (admins); the API and the web UI's import page end here.
/// A file that cannot be read at all is refused with the reason in Dutch.
pub async fn run(state: &AppState, ctx: &InSchool, file: &[u8], mode: Apply) -> Result<ImportReport, Problem> {
    ctx.access.require_admin()?;
    let options = ParseOptions { today: state.school_now(&ctx.school).date(), ..ParseOptions::default() };
    let parsed = magdit_import::parse(file, &options).map_err(|e| Problem::invalid("file", e.nl()))?;
    // The audit log names both: who imported, and from which system.
    let actor = Actor::new(format!("{} (import:{})", ctx.actor.as_str(), parsed.format.as_str()))?;
    Ok(magdit_import::apply(&state.store, ctx.access.school, &parsed, mode, &actor).await?)
}

/// The roster as CSV in magdit's own columns (which the import reads back).
#[utoipa::path(get, path = "/api/v1/schools/{school}/export", tag = "roster",
    params(("school" = i64, Path)),
    responses((status = 200, description = "UTF-8 CSV", content_type = "text/csv"), (status = 403, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export(State(state): State<AppState>, ctx: InSchool) -> Result<impl IntoResponse, Problem> {
    ctx.access.require_admin()?;
    let csv = magdit_import::export_school(&state.store, ctx.access.school).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, "attachment; filename=\"roster.csv\"")], csv))
}
