//! `POST /api/v1/schools/{school}/check`: the "mag dit?" check of the contract
//! (`../shared/contract/check.md`), with the school's protocol, roster and consent filled in.
//!
//! Differences from a situation file: `protocol` may be left out (the school's adopted one is
//! used; another one is refused); `people` is the school's roster with the consent registry's
//! state, plus anyone given inline; `actor.id` and `content.media[].depicts` may name a person
//! by our id, the school system's id, or their full name.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::Json;
use magdit_engine::{ParseContext, Situation, Verdict};
use magdit_protocol::Lang;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::checks_log::CheckRecord;
use crate::context::InSchool;
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CheckQuery {
    /// `nl` (default) or `en`: the language of reasons and requirements.
    #[param(value_type = Option<String>)]
    pub lang: Option<LangParam>,
    /// Keep the text and the situation with the stored verdict (default: only the verdict and
    /// the facts are kept).
    #[serde(default)]
    pub save: bool,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum LangParam {
    Nl,
    En,
}

/// Checks an act against the school's protocol.
#[utoipa::path(post, path = "/api/v1/schools/{school}/check", tag = "check",
    params(("school" = i64, Path), CheckQuery),
    request_body(content = Object, description = "a situation as in the check contract", content_type = "application/json"),
    responses((status = 200, description = "the verdict, as in the check contract", body = Object),
        (status = 404, body = Problem), (status = 413, description = "body too large"), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn check(
    State(state): State<AppState>,
    ctx: InSchool,
    Query(q): Query<CheckQuery>,
    body: Bytes,
) -> Result<Json<Verdict>, Problem> {
    let json = std::str::from_utf8(&body).map_err(|e| {
        Problem::bad_request(format!("the body is not valid UTF-8 (byte {})", e.valid_up_to()))
    })?;
    let lang = match q.lang {
        Some(LangParam::En) => Lang::En,
        _ => Lang::Nl,
    };
    Ok(Json(run(&state, &ctx, json, lang, q.save).await?))
}

/// Checks the situation `json` in the school of `ctx`: its adopted protocol, its roster with
/// consent, the account's own roster row as the actor. The API's check and the web UI's
/// "Mag dit?" page both end here; the verdict is queued for the stored checks.
pub async fn run(state: &AppState, ctx: &InSchool, json: &str, lang: Lang, save: bool) -> Result<Verdict, Problem> {
    let adopted = ctx
        .school
        .protocol
        .as_ref()
        .map(|p| p.id.as_str())
        .ok_or_else(|| Problem::conflict(format!("school {} has not adopted a protocol yet", ctx.school.name)))?;
    let now = state.school_now(&ctx.school);
    let roster = state.rosters.get(&state.store, &ctx.school, now).await?;
    let mut situation = Situation::from_json_in(json, &ParseContext { protocol: Some(adopted), roster: Some(&roster) })?;
    if situation.protocol != adopted {
        return Err(Problem::invalid("protocol", format!("school {} follows `{adopted}`, not `{}`", ctx.school.name, situation.protocol)));
    }
    if situation.actor.id.is_none() {
        // The account's own roster row, so their own name is not taken for someone else's.
        situation.actor.id = ctx.access.pupil.or(ctx.access.guardian).map(|p| p.0.to_string());
    }
    let engine = state.protocols.engine(&state.store, &state.engine, &ctx.school).await?;
    let verdict = engine.check_in(&situation, Some(&roster), lang)?;
    state.metrics.count_check(verdict.verdict.as_str());
    let saved = save.then(|| (json.to_owned(), situation.content.text.clone()));
    state.checks.record(CheckRecord::new(ctx, &verdict, saved));
    Ok(verdict)
}
