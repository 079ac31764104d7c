//! Schools as tenants: which ones an account sees, creating one in a board, adopting a
//! protocol, the consent renewal policy, and the audit chain.

use axum::extract::{Path, Query, State};
use axum::Json;
use magdit_store::{BoardId, Grant, NewSchool, ProtocolSource, RenewalPolicy, School};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::context::{InSchool, JsonBody};
use crate::problem::Problem;
use crate::state::AppState;

/// A school as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct SchoolView {
    pub id: i64,
    pub board: i64,
    pub name: String,
    pub brin: Option<String>,
    /// The adopted protocol's id, if any.
    pub protocol: Option<String>,
    pub protocol_version: Option<String>,
    /// `shipped` or `own` (the school's own file, see `PUT /schools/{school}/protocol/file`).
    pub protocol_source: Option<&'static str>,
    #[schema(value_type = Object)]
    pub renewal: RenewalPolicy,
}

impl SchoolView {
    pub fn of(s: &School) -> SchoolView {
        SchoolView {
            id: s.id.0,
            board: s.board.0,
            name: s.name.clone(),
            brin: s.brin.clone(),
            protocol: s.protocol.as_ref().map(|p| p.id.clone()),
            protocol_version: s.protocol.as_ref().and_then(|p| p.version.clone()),
            protocol_source: s.protocol.as_ref().map(|p| source_word(&p.source)),
            renewal: s.renewal,
        }
    }
}

/// The schools the account holds a grant in (a board admin: every school of the board).
#[utoipa::path(get, path = "/api/v1/schools", tag = "schools",
    responses((status = 200, body = Vec<SchoolView>), (status = 401, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn list(State(state): State<AppState>, principal: Principal) -> Result<Json<Vec<SchoolView>>, Problem> {
    let out = schools_of(&state, &principal).await?;
    Ok(Json(out.iter().map(SchoolView::of).collect()))
}

/// The schools `principal` holds a grant in, by name.
pub async fn schools_of(state: &AppState, principal: &Principal) -> Result<Vec<School>, Problem> {
    let mut out: Vec<School> = Vec::new();
    for g in &principal.grants {
        match *g {
            Grant::BoardAdmin { board } => out.extend(state.store.schools(board).await?),
            Grant::SchoolAdmin { school }
            | Grant::Leidinggevende { school }
            | Grant::Employee { school }
            | Grant::Guardian { school, .. }
            | Grant::Pupil { school, .. } => out.push(state.store.school(school).await?),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    out.dedup_by_key(|s| s.id);
    Ok(out)
}

/// One school.
#[utoipa::path(get, path = "/api/v1/schools/{school}", tag = "schools",
    params(("school" = i64, Path)),
    responses((status = 200, body = SchoolView), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn get(ctx: InSchool) -> Json<SchoolView> {
    Json(SchoolView::of(&ctx.school))
}

/// How the API names where an adopted protocol comes from.
pub fn source_word(source: &ProtocolSource) -> &'static str {
    match source {
        ProtocolSource::Shipped => "shipped",
        ProtocolSource::Own { .. } => "own",
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSchoolBody {
    pub name: String,
    pub brin: Option<String>,
    /// Renew consent yearly on this month and day (e.g. 8 and 1); absent = only when a
    /// purpose changes.
    pub renewal_month: Option<u8>,
    pub renewal_day: Option<u8>,
}

/// Adds a school to a board (board admins).
#[utoipa::path(post, path = "/api/v1/boards/{board}/schools", tag = "schools",
    params(("board" = i64, Path)), request_body = NewSchoolBody,
    responses((status = 200, body = SchoolView), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Path(board): Path<i64>,
    JsonBody(body): JsonBody<NewSchoolBody>,
) -> Result<Json<SchoolView>, Problem> {
    let board = BoardId(board);
    if !principal.grants.contains(&Grant::BoardAdmin { board }) {
        return Err(Problem::not_found(format!("board {board} not found")));
    }
    let renewal = renewal(body.renewal_month, body.renewal_day)?;
    let new = NewSchool { name: body.name, brin: body.brin, renewal };
    let school = state.store.create_school(board, &new, &principal.actor()).await?;
    Ok(Json(SchoolView::of(&school)))
}

fn renewal(month: Option<u8>, day: Option<u8>) -> Result<RenewalPolicy, Problem> {
    match (month, day) {
        (None, None) => Ok(RenewalPolicy::OnPurposeChange),
        (Some(m), Some(d)) => Ok(RenewalPolicy::yearly(m, d)?),
        _ => Err(Problem::invalid("renewal_day", "give both renewal_month and renewal_day, or neither")),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptBody {
    /// The id of a protocol the service knows (see `/api/v1/protocols`).
    pub protocol: String,
}

/// Adopts a shipped protocol for the school (admins). Its version is the protocol file's. A
/// school's own file is adopted with `PUT /schools/{school}/protocol/file`.
#[utoipa::path(put, path = "/api/v1/schools/{school}/protocol", tag = "schools",
    params(("school" = i64, Path)), request_body = AdoptBody,
    responses((status = 200, body = SchoolView), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn adopt(State(state): State<AppState>, ctx: InSchool, JsonBody(body): JsonBody<AdoptBody>) -> Result<Json<SchoolView>, Problem> {
    let school = adopt_shipped(&state, &ctx, &body.protocol).await?;
    Ok(Json(SchoolView::of(&school)))
}

/// The school adopts the shipped protocol `id` (admins): the API's and the web UI's way.
pub async fn adopt_shipped(state: &AppState, ctx: &InSchool, id: &str) -> Result<School, Problem> {
    ctx.access.require_admin()?;
    let protocol = state.engine.protocol(id).ok_or_else(|| {
        let known: Vec<&str> = state.engine.protocols().map(|p| p.meta.id.as_str()).collect();
        Problem::invalid("protocol", format!("unknown protocol `{id}`; known protocols: {}", known.join(", ")))
    })?;
    Ok(state.store.adopt_protocol(ctx.access.school, &protocol.meta.id, protocol.meta.version.as_deref(), &ctx.actor).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenewalBody {
    pub renewal_month: Option<u8>,
    pub renewal_day: Option<u8>,
}

/// Sets when consent must be renewed (admins); consent from before the last renewal day
/// reads as unknown at once.
#[utoipa::path(put, path = "/api/v1/schools/{school}/renewal", tag = "schools",
    params(("school" = i64, Path)), request_body = RenewalBody,
    responses((status = 200, body = SchoolView), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn set_renewal(State(state): State<AppState>, ctx: InSchool, JsonBody(body): JsonBody<RenewalBody>) -> Result<Json<SchoolView>, Problem> {
    ctx.access.require_admin()?;
    let policy = renewal(body.renewal_month, body.renewal_day)?;
    let school = state.store.set_renewal_policy(ctx.access.school, policy, &ctx.actor).await?;
    Ok(Json(SchoolView::of(&school)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries after this sequence number (the last `seq` of the previous page).
    pub after: Option<i64>,
    pub limit: Option<u32>,
}

/// The school's audit log, oldest first (admins).
#[utoipa::path(get, path = "/api/v1/schools/{school}/audit", tag = "audit",
    params(("school" = i64, Path), AuditQuery),
    responses((status = 200, body = Vec<Object>), (status = 403, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<magdit_store::AuditEntry>>, Problem> {
    ctx.access.require_admin()?;
    let limit = state.page_limit(q.limit)?;
    Ok(Json(state.store.audit_log(ctx.access.school, q.after.unwrap_or(0), limit).await?))
}

/// Verifies the school's audit chain (admins): whether any entry was changed or removed.
#[utoipa::path(get, path = "/api/v1/schools/{school}/audit/verify", tag = "audit",
    params(("school" = i64, Path)),
    responses((status = 200, body = Object), (status = 403, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn verify_audit(State(state): State<AppState>, ctx: InSchool) -> Result<Json<magdit_store::Verification>, Problem> {
    ctx.access.require_admin()?;
    Ok(Json(state.store.verify_audit(ctx.access.school).await?))
}
