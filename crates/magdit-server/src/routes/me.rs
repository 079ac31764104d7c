//! What every account does for itself: change its password, see and end its sessions and API
//! tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use magdit_store::{Session, SessionId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::{ClientAddr, Principal};
use crate::context::JsonBody;
use crate::problem::Problem;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnPasswordBody {
    pub current_password: String,
    /// At least 8 characters.
    pub password: String,
}

/// Changes the logged-in account's password, given the current one (rate limited like a
/// login), and ends its other sessions and API tokens; this one stays.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", request_body = OwnPasswordBody,
    responses((status = 204, description = "changed"), (status = 401, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    principal: Principal,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<OwnPasswordBody>,
) -> Result<StatusCode, Problem> {
    // A stolen session must not become a way to guess the password.
    if !state.logins.allow(&principal.email, client) {
        return Err(Problem::too_many_requests("too many attempts; wait a minute"));
    }
    match state.store.verify_password(&principal.email, &body.current_password).await {
        Ok(a) if a.id == principal.account => {}
        Ok(_) | Err(magdit_store::Error::Unauthenticated | magdit_store::Error::Invalid { .. }) => {
            return Err(Problem::invalid("current_password", "is not this account's current password"));
        }
        Err(e) => return Err(e.into()),
    }
    state.store.set_password(principal.account, Some(&body.password), &principal.actor()).await?;
    let now = OffsetDateTime::now_utc();
    for s in state.store.sessions(principal.account).await? {
        if s.id != principal.session && s.is_active(now) {
            state.store.revoke_session(principal.account, s.id).await?;
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A session or API token of the logged-in account (never its secret).
#[derive(Serialize, ToSchema)]
pub struct SessionView {
    /// `id`, `kind` (`browser` or `api_token`), `name`, `created_at`, `last_seen_at`,
    /// `idle_expires_at`, `expires_at`, `revoked_at`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub session: Session,
    /// It lets its holder in now.
    pub active: bool,
    /// The request came with it.
    pub current: bool,
}

/// The logged-in account's sessions and API tokens, newest first; ended ones too, until
/// retention removes them.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "accounts",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn sessions(State(state): State<AppState>, principal: Principal) -> Result<Json<Vec<SessionView>>, Problem> {
    let now = OffsetDateTime::now_utc();
    let list = state.store.sessions(principal.account).await?;
    Ok(Json(
        list.into_iter()
            .map(|session| SessionView { active: session.is_active(now), current: session.id == principal.session, session })
            .collect(),
    ))
}

/// Ends one of the logged-in account's sessions or API tokens; another account's is 404.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{session}", tag = "accounts",
    params(("session" = i64, Path)),
    responses((status = 204, description = "ended"), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn revoke_session(
    State(state): State<AppState>,
    principal: Principal,
    Path(session): Path<i64>,
) -> Result<StatusCode, Problem> {
    state.store.revoke_session(principal.account, SessionId(session)).await?;
    Ok(StatusCode::NO_CONTENT)
}
