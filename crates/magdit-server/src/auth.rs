//! Who is asking: a browser session (cookie, with a CSRF token for every change) or an API
//! token (`Authorization: Bearer …`). Login with e-mail and password, rate limited per
//! address and per client; logout; API tokens; `/me`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use magdit_store::{AccountId, Actor, Channel, Grant, NewSession, SessionId, SessionPolicy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::context::JsonBody;
use crate::problem::Problem;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "magdit_session";
/// The header a browser session sends its CSRF token in with every change.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The account behind a request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account: AccountId,
    pub email: String,
    pub name: String,
    pub grants: Vec<Grant>,
    pub via: Via,
    /// The session or API token the request came with.
    pub session: SessionId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Cookie { csrf: String },
    Bearer,
}

impl Principal {
    /// How the audit log names this account.
    pub fn actor(&self) -> Actor {
        self.account.actor()
    }

    /// The channel a consent decision by this account arrives through.
    pub fn channel(&self) -> Channel {
        match self.via {
            Via::Cookie { .. } => Channel::Web,
            Via::Bearer => Channel::Api,
        }
    }

    pub(crate) fn from_store(p: magdit_store::Principal) -> Principal {
        let via = match p.csrf_token() {
            Some(csrf) => Via::Cookie { csrf: csrf.to_owned() },
            None => Via::Bearer,
        };
        let session = p.session.id;
        Principal { account: p.account.id, email: p.account.email, name: p.account.name, grants: p.grants, via, session }
    }
}

/// The secret a request carries, and where.
fn presented_token(headers: &HeaderMap) -> Option<(String, bool)> {
    if let Some(v) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return v.strip_prefix("Bearer ").map(|t| (t.trim().to_owned(), false));
    }
    cookie(headers, COOKIE).map(|t| (t.to_owned(), true))
}

/// The value of the cookie `name` the request carries.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        if let Some(p) = parts.extensions.get::<Principal>() {
            return Ok(p.clone());
        }
        let (token, from_cookie) = presented_token(&parts.headers).ok_or_else(Problem::unauthenticated)?;
        let principal = match state.request_cache.principal(&state.store, &token).await {
            Ok(p) => Principal::from_store(p),
            Err(magdit_store::Error::Unauthenticated) => return Err(Problem::unauthenticated()),
            Err(e) => return Err(e.into()),
        };
        // A token must arrive the way it was issued: a browser session's secret is not a
        // bearer token, nor the other way round.
        match (&principal.via, from_cookie) {
            (Via::Cookie { csrf }, true) => {
                if !is_safe(&parts.method) {
                    let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                    if !magdit_store::password::constant_time_eq(sent, csrf) {
                        return Err(Problem::forbidden(format!("a change from a browser session needs the `{CSRF_HEADER}` header")));
                    }
                }
            }
            (Via::Bearer, false) => {}
            _ => return Err(Problem::unauthenticated()),
        }
        parts.extensions.insert(principal.clone());
        Ok(principal)
    }
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Login attempts allowed per e-mail address and per client address.
pub struct LoginLimiter {
    per_email: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        // 5 tries a minute per address to guess a password; a whole school behind one NAT
        // may log in at 8:25, so clients get more.
        let n = |x| NonZeroU32::new(x).unwrap_or(NonZeroU32::MIN);
        LoginLimiter {
            per_email: RateLimiter::keyed(Quota::per_minute(n(5))),
            per_client: RateLimiter::keyed(Quota::per_minute(n(60))),
        }
    }

    pub fn allow(&self, email: &str, client: Option<IpAddr>) -> bool {
        let email_ok = self.per_email.check_key(&email.to_lowercase()).is_ok();
        email_ok && self.allow_client(client)
    }

    /// A login without an address to count (an OIDC callback) counts for its client only.
    pub fn allow_client(&self, client: Option<IpAddr>) -> bool {
        client.is_none_or(|c| self.per_client.check_key(&c).is_ok())
    }
}

/// The client's address, when the server was started with connection info (not in tests
/// that call the router directly).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

/// Who is logged in, and the CSRF token to send with changes from this session.
#[derive(Serialize, ToSchema)]
pub struct LoginAnswer {
    pub account: i64,
    pub name: String,
    pub csrf_token: String,
}

/// Logs in with e-mail and password; the session is a cookie (HttpOnly, SameSite=Strict).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = LoginBody,
    responses((status = 200, body = LoginAnswer), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    JsonBody(body): JsonBody<LoginBody>,
) -> Result<Response, Problem> {
    let (account, session) = password_login(&state, &body.email, &body.password, client).await?;
    let answer = LoginAnswer { account: account.id.0, name: account.name, csrf_token: session.csrf_token };
    Ok(([(header::SET_COOKIE, session.cookie)], Json(answer)).into_response())
}

/// A login with e-mail and password, rate limited per address and per client: the account and
/// its new browser session. The API's login and the web UI's login form both end here.
pub async fn password_login(
    state: &AppState,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> Result<(magdit_store::Account, BrowserSession), Problem> {
    if !state.logins.allow(email, client) {
        return Err(Problem::too_many_requests("too many login attempts; wait a minute"));
    }
    let account = match state.store.verify_password(email, password).await {
        Ok(a) => a,
        Err(magdit_store::Error::Unauthenticated | magdit_store::Error::Invalid { .. }) => {
            return Err(Problem::unauthenticated_login());
        }
        Err(e) => return Err(e.into()),
    };
    let session = browser_session(state, account.id).await?;
    Ok((account, session))
}

/// A new browser session: the cookie that carries it, and the CSRF token for its changes.
pub struct BrowserSession {
    pub cookie: HeaderValue,
    pub csrf_token: String,
}

/// Starts a browser session for `account` under the configured session policy; every way of
/// logging in (password, OIDC) ends here.
pub async fn browser_session(state: &AppState, account: AccountId) -> Result<BrowserSession, Problem> {
    let sessions = &state.config.sessions;
    let policy = SessionPolicy { idle: Some(sessions.idle()), absolute: sessions.absolute() };
    let issued = state.store.create_session(account, &NewSession::Browser, policy).await?;
    let cookie = session_cookie(&issued.token, sessions.absolute().whole_seconds(), sessions.secure_cookie);
    Ok(BrowserSession { cookie, csrf_token: issued.csrf_token.unwrap_or_default() })
}

fn session_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Ends the session (or revokes the API token) the request came with.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204, description = "logged out"), (status = 401, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn logout(State(state): State<AppState>, _principal: Principal, headers: HeaderMap) -> Result<Response, Problem> {
    if let Some((token, _)) = presented_token(&headers) {
        state.store.revoke_token(&token).await?;
    }
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cleared_cookie())]).into_response())
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// What the token is for, e.g. "roosterkoppeling".
    pub name: String,
    /// Valid for this many days (default 90, at most 365).
    pub days: Option<u32>,
}

/// A new API token; shown once.
#[derive(Serialize, ToSchema)]
pub struct TokenAnswer {
    pub token: String,
    #[schema(value_type = String, format = DateTime)]
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: time::OffsetDateTime,
}

/// Creates an API token for the logged-in account, with the same grants.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "accounts", request_body = TokenBody,
    responses((status = 200, body = TokenAnswer), (status = 401, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    principal: Principal,
    JsonBody(body): JsonBody<TokenBody>,
) -> Result<Json<TokenAnswer>, Problem> {
    let days = body.days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        return Err(Problem::invalid("days", format!("{days} is not between 1 and 365")));
    }
    let policy = SessionPolicy { idle: None, absolute: time::Duration::days(i64::from(days)) };
    let issued = state.store.create_session(principal.account, &NewSession::ApiToken { name: body.name }, policy).await?;
    Ok(Json(TokenAnswer { token: issued.token, expires_at: issued.session.expires_at }))
}

/// The logged-in account and its grants.
#[derive(Serialize, ToSchema)]
pub struct MeAnswer {
    pub account: i64,
    pub email: String,
    pub name: String,
    /// Each grant: `role` and its `board` or `school` (and `person` for guardians and pupils).
    #[schema(value_type = Vec<Object>)]
    pub grants: Vec<Grant>,
    /// For a browser session: the token to send as `X-CSRF-Token` with changes (a login that
    /// ends in a redirect, like OIDC, cannot hand it over otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// Who is logged in.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeAnswer), (status = 401, body = Problem)),
    security(("bearer" = []), ("cookie" = [])))]
pub async fn me(principal: Principal) -> Json<MeAnswer> {
    Json(MeAnswer {
        account: principal.account.0,
        email: principal.email.clone(),
        name: principal.name.clone(),
        grants: principal.grants.clone(),
        csrf_token: match &principal.via {
            Via::Cookie { csrf } => Some(csrf.clone()),
            Via::Bearer => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_cookie_and_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("theme=dark; magdit_session=abc; x=1"));
        assert_eq!(presented_token(&h), Some(("abc".into(), true)));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(presented_token(&h), Some(("xyz".into(), false)));
    }

    #[test]
    fn login_limit_per_address() {
        let l = LoginLimiter::new();
        for _ in 0..5 {
            assert!(l.allow("Juf@School.nl", None));
        }
        assert!(!l.allow("juf@school.nl", None), "the sixth try in a minute is refused, whatever the case");
        assert!(l.allow("meester@school.nl", None));
    }
}
