//! The AVG rights of one person of the roster, for admins: everything stored about them
//! (inzage, art. 15) as a JSON download, and erasure (verwijdering, art. 17) across every
//! table, which must be confirmed with the person's full name.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use magdit_store::Erasure;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::context::{InSchool, JsonBody, PersonPath};
use crate::problem::Problem;
use crate::state::AppState;

/// Everything the service holds about one person (admins): roster row, guardian links,
/// consent given for and by them, their accounts with grants, sessions and OIDC identities,
/// their checks in this school, and the audit entries about them.
#[utoipa::path(get, path = "/api/v1/schools/{school}/people/{person}/export", tag = "privacy",
    params(("school" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, description = "the export, as a JSON attachment", body = Object),
        (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn export(State(state): State<AppState>, ctx: InSchool, path: PersonPath) -> Result<impl IntoResponse, Problem> {
    ctx.access.require_admin()?;
    let export = state.store.export_person(ctx.access.school, path.person()).await?;
    let body = serde_json::to_vec_pretty(&export).map_err(|_| Problem::internal())?;
    let file = format!("attachment; filename=\"avg-inzage-school-{}-persoon-{}.json\"", ctx.access.school, path.person());
    Ok(([(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, file)], body))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseBody {
    /// The person's full name exactly as on the roster: erasure cannot be undone.
    pub confirm: Option<String>,
}

/// Erases a person (admins): roster row, guardian links, their consent, grants tied to them,
/// their checks here, and the audit payloads about them; an account left without grants is
/// anonymised. The audit chains stay verifiable and record the erasure with counts only.
#[utoipa::path(post, path = "/api/v1/schools/{school}/people/{person}/erase", tag = "privacy",
    params(("school" = i64, Path), ("person" = i64, Path)), request_body = EraseBody,
    responses((status = 200, description = "what was erased, in counts", body = Object),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn erase(
    State(state): State<AppState>,
    ctx: InSchool,
    path: PersonPath,
    JsonBody(body): JsonBody<EraseBody>,
) -> Result<Json<Erasure>, Problem> {
    ctx.access.require_admin()?;
    let (person, _) = ctx.person(&state, path.person()).await?;
    if body.confirm.as_deref().map(str::trim) != Some(person.name.as_str()) {
        return Err(Problem::invalid(
            "confirm",
            "give the person's full name exactly as on the roster to confirm; erasure cannot be undone",
        ));
    }
    Ok(Json(state.store.erase_person(ctx.access.school, person.id, &ctx.actor).await?))
}
