//! A school's retention periods (admins); the purge that applies them runs in the service
//! (`crate::purge`) and as `magdit retention purge`.

use axum::extract::State;
use axum::Json;
use magdit_store::RetentionPolicy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::context::{InSchool, JsonBody};
use crate::problem::Problem;
use crate::state::AppState;

/// How long each kind of record is kept, in days (1 to 3,650).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionView {
    /// Stored checks, whole (default 365).
    pub checks_days: u32,
    /// The post text and situation a user saved with a check; then blanked (default 30).
    pub check_texts_days: u32,
    /// Sessions and API tokens, from when they ended (default 90).
    pub sessions_days: u32,
    /// The before/after detail of audit entries; the chain itself stays (default 730).
    pub audit_payloads_days: u32,
}

impl From<RetentionPolicy> for RetentionView {
    fn from(p: RetentionPolicy) -> RetentionView {
        RetentionView {
            checks_days: p.checks_days,
            check_texts_days: p.check_texts_days,
            sessions_days: p.sessions_days,
            audit_payloads_days: p.audit_payloads_days,
        }
    }
}

/// The school's retention periods (admins).
#[utoipa::path(get, path = "/api/v1/schools/{school}/retention", tag = "retention",
    params(("school" = i64, Path)),
    responses((status = 200, body = RetentionView), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get(State(state): State<AppState>, ctx: InSchool) -> Result<Json<RetentionView>, Problem> {
    ctx.access.require_admin()?;
    Ok(Json(state.store.retention(ctx.access.school).await?.into()))
}

/// Sets the school's retention periods, every one (admins); audited, applied from the next
/// purge.
#[utoipa::path(put, path = "/api/v1/schools/{school}/retention", tag = "retention",
    params(("school" = i64, Path)), request_body = RetentionView,
    responses((status = 200, body = RetentionView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set(
    State(state): State<AppState>,
    ctx: InSchool,
    JsonBody(body): JsonBody<RetentionView>,
) -> Result<Json<RetentionView>, Problem> {
    ctx.access.require_admin()?;
    let policy = RetentionPolicy {
        checks_days: body.checks_days,
        check_texts_days: body.check_texts_days,
        sessions_days: body.sessions_days,
        audit_payloads_days: body.audit_payloads_days,
    };
    match state.store.set_retention(ctx.access.school, &policy, &ctx.actor).await {
        Ok(p) => Ok(Json(p.into())),
        // The store names `retention.checks_days`; the body calls it `checks_days`.
        Err(magdit_store::Error::Invalid { field, reason }) => {
            Err(Problem::invalid(field.trim_start_matches("retention."), reason))
        }
        Err(e) => Err(e.into()),
    }
}
