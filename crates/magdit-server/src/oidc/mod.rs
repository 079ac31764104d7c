//! Login with a school's own accounts over OpenID Connect (Microsoft Entra ID, Google
//! Workspace, any provider with discovery): the authorization code flow with PKCE.
//!
//! ```text
//! GET …/oidc/{provider}/start ─303─▶ provider ─303─▶ GET …/oidc/{provider}/callback
//!   flow kept (flows), cookie       login            flow taken, code exchanged, ID token
//!                                                    validated (provider), domains checked
//!                                                    (identity), account found or linked by
//!                                                    the store ─▶ browser session ─303─▶ return_to
//! ```
//!
//! A login never creates an account: the identity must already be linked, or carry a verified
//! address of an enabled account (`Store::find_or_link_oidc`).

mod flows;
mod identity;
mod provider;

use std::collections::BTreeMap;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{browser_session, cookie, ClientAddr};
use crate::problem::Problem;
use crate::state::AppState;
pub use flows::local_path;
use flows::{Flow, Flows, TTL};
use provider::Provider;

/// The cookie that ties a callback to the browser that started the login.
const FLOW_COOKIE: &str = "magdit_oidc";
/// Longest authorization code accepted (Entra's are about 1–2 KiB).
const CODE_MAX: usize = 8 * 1024;

/// The configured providers and the logins under way.
pub struct Oidc {
    providers: BTreeMap<String, Provider>,
    flows: Flows,
}

impl Oidc {
    pub fn new(config: &crate::config::Oidc) -> Oidc {
        let providers = config.providers.iter().map(|(name, p)| (name.clone(), Provider::new(name, p))).collect();
        Oidc { providers, flows: Flows::new() }
    }

    /// The providers to offer on a login page, by name.
    pub fn list(&self) -> Vec<ProviderInfo> {
        self.providers
            .values()
            .map(|p| ProviderInfo {
                name: p.name.clone(),
                display_name: p.config.display_name.clone(),
                start_url: format!("/api/v1/auth/oidc/{}/start", p.name),
            })
            .collect()
    }

    fn provider(&self, name: &str) -> Result<&Provider, Problem> {
        self.providers.get(name).ok_or_else(|| Problem::not_found(format!("no login provider `{name}`")))
    }
}

/// Why a login through a provider failed: logged with the reason; the client learns only the
/// kind, never whether an address has an account.
#[derive(Debug)]
pub enum LoginError {
    /// The provider could not be reached, or answered nonsense.
    Unreachable(String),
    /// The provider refused (`error=access_denied`, …).
    Refused(String),
    /// No login of this browser is under way: no cookie, expired, replayed, wrong `state`.
    Flow(&'static str),
    /// The code or the ID token did not hold.
    Token(String),
    /// A valid identity, but not one that may log in.
    NotAdmitted(&'static str),
}

impl LoginError {
    fn problem(self, provider: &str) -> Problem {
        let (status, kind, title, detail) = match &self {
            LoginError::Unreachable(why) => {
                tracing::warn!(provider, reason = %why, "OIDC provider unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "/problems/login-provider-unavailable",
                    "Login provider unavailable",
                    "De inlogdienst van de school is nu niet bereikbaar. Probeer het later opnieuw.",
                )
            }
            LoginError::Refused(why) => {
                tracing::info!(provider, reason = %why, "OIDC login refused by the provider");
                (
                    StatusCode::UNAUTHORIZED,
                    "/problems/login-failed",
                    "Login failed",
                    "Inloggen is afgebroken bij de inlogdienst van de school.",
                )
            }
            LoginError::Flow(why) => {
                tracing::info!(provider, reason = why, "OIDC callback without its login");
                (
                    StatusCode::BAD_REQUEST,
                    "/problems/login-expired",
                    "Login expired or already used",
                    "Deze inlogpoging is verlopen of al gebruikt. Begin opnieuw bij de inlogknop.",
                )
            }
            LoginError::Token(why) => {
                tracing::warn!(provider, reason = %why, "OIDC token refused");
                (
                    StatusCode::UNAUTHORIZED,
                    "/problems/login-failed",
                    "Login failed",
                    "Inloggen is niet gelukt: de inlogdienst gaf geen geldig bewijs van wie je bent.",
                )
            }
            LoginError::NotAdmitted(why) => {
                tracing::info!(provider, reason = why, "OIDC identity not admitted");
                (
                    StatusCode::UNAUTHORIZED,
                    "/problems/login-failed",
                    "Login failed",
                    "Met dit account kun je niet inloggen bij magdit. Vraag de beheerder van je school om toegang.",
                )
            }
        };
        Problem::new(status, kind, title, detail)
    }
}

/// A provider to offer on the login page.
#[derive(Serialize, ToSchema)]
pub struct ProviderInfo {
    pub name: String,
    /// The button's text, e.g. "Inloggen met Microsoft".
    pub display_name: String,
    /// Where the button leads (add `?return_to=/path` to land there afterwards).
    pub start_url: String,
}

/// The login providers of this service (none unless configured).
#[utoipa::path(get, path = "/api/v1/auth/providers", tag = "accounts", responses((status = 200, body = Vec<ProviderInfo>)))]
pub async fn providers(State(state): State<AppState>) -> Json<Vec<ProviderInfo>> {
    Json(state.oidc.list())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StartQuery {
    /// A path on this site to land on after the login (default `/`); anything else is refused.
    pub return_to: Option<String>,
}

/// Starts a login at the provider: a redirect to its authorization endpoint, with `state`,
/// `nonce` and a PKCE challenge; the browser gets a short-lived cookie (HttpOnly, SameSite=Lax)
/// that ties the callback to it.
#[utoipa::path(get, path = "/api/v1/auth/oidc/{provider}/start", tag = "accounts",
    params(("provider" = String, Path, description = "a name from `/api/v1/auth/providers`"), StartQuery),
    responses((status = 303, description = "to the provider's login"), (status = 404, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<StartQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let (Path(name), Query(q)) = (path?, query?);
    let provider = state.oidc.provider(&name)?;
    let return_to = match q.return_to.as_deref() {
        None => "/",
        Some(r) => local_path(r).ok_or_else(|| {
            Problem::invalid("return_to", "moet een pad op deze site zijn, zoals /leerlingen (must be a path on this site)")
        })?,
    };
    if !state.oidc.flows.allow_start(client) {
        return Err(Problem::too_many_requests("te veel inlogpogingen; wacht een minuut (too many login attempts; wait a minute)"));
    }
    let started = provider.start().await.map_err(|e| e.problem(&name))?;
    let id = state.oidc.flows.begin(Flow {
        provider: name,
        state: started.state,
        nonce: started.nonce,
        verifier: started.verifier,
        return_to: return_to.to_owned(),
    });
    let secure = if state.config.sessions.secure_cookie { "; Secure" } else { "" };
    let flow_cookie =
        format!("{FLOW_COOKIE}={id}; Path={}; HttpOnly; SameSite=Lax; Max-Age={}{secure}", provider.cookie_path, TTL.as_secs());
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, header_value(&started.url)?),
            (header::SET_COOKIE, header_value(&flow_cookie)?),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
    )
        .into_response())
}

/// What the provider sends back. Providers add parameters of their own (`session_state`,
/// `scope`, `hd`, …); those are ignored.
#[derive(Deserialize, IntoParams)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The provider's refusal, e.g. `access_denied`.
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Finishes a login: checks `state` against the login this browser started, exchanges the
/// code, validates the ID token, finds (or links by verified address) the account, and starts
/// a browser session exactly as the password login does; then a redirect to `return_to`.
/// Rate limited like the password login.
#[utoipa::path(get, path = "/api/v1/auth/oidc/{provider}/callback", tag = "accounts",
    params(("provider" = String, Path), CallbackQuery),
    responses((status = 303, description = "logged in: the session cookie is set; to `return_to`"),
        (status = 400, description = "no login of this browser under way (expired, used, wrong state)", body = Problem),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
pub async fn callback(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<CallbackQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let (Path(name), Query(q)) = (path?, query?);
    let provider = state.oidc.provider(&name)?;
    if !state.logins.allow_client(client) {
        return Err(Problem::too_many_requests("te veel inlogpogingen; wacht een minuut (too many login attempts; wait a minute)"));
    }
    // The login is over whatever happens now: the browser forgets it too.
    let clear = header_value(&format!("{FLOW_COOKIE}=; Path={}; HttpOnly; SameSite=Lax; Max-Age=0", provider.cookie_path))?;
    let flow = cookie(&headers, FLOW_COOKIE).and_then(|id| state.oidc.flows.take(id));
    match finish(&state, provider, flow, q).await {
        Ok((account, return_to)) => {
            let session = browser_session(&state, account).await?;
            Ok((
                StatusCode::SEE_OTHER,
                AppendHeaders([(header::SET_COOKIE, clear), (header::SET_COOKIE, session.cookie)]),
                [(header::LOCATION, header_value(&return_to)?), (header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            )
                .into_response())
        }
        Err(Finish::Login(e)) => Ok((AppendHeaders([(header::SET_COOKIE, clear)]), e.problem(&name)).into_response()),
        Err(Finish::Store(e)) => Err(e.into()),
    }
}

enum Finish {
    Login(LoginError),
    Store(magdit_store::Error),
}

impl From<LoginError> for Finish {
    fn from(e: LoginError) -> Finish {
        Finish::Login(e)
    }
}

/// The account the callback logs in, and where to send the browser.
async fn finish(
    state: &AppState,
    provider: &Provider,
    flow: Option<Flow>,
    q: CallbackQuery,
) -> Result<(magdit_store::AccountId, String), Finish> {
    if let Some(error) = q.error {
        let description = q.error_description.unwrap_or_default();
        return Err(LoginError::Refused(format!("{}: {}", clip(&error), clip(&description))).into());
    }
    let flow = flow.ok_or(LoginError::Flow("no login under way in this browser (no cookie, expired or used)"))?;
    if flow.provider != provider.name {
        return Err(LoginError::Flow("the login was started at another provider").into());
    }
    if !q.state.as_deref().is_some_and(|s| magdit_store::password::constant_time_eq(s, &flow.state)) {
        return Err(LoginError::Flow("state does not match the login under way").into());
    }
    let code = q.code.filter(|c| !c.is_empty() && c.len() <= CODE_MAX).ok_or_else(|| LoginError::Token("no usable code".into()))?;
    let identity = provider.finish(code, flow.verifier, flow.nonce).await?;
    if !identity.admitted_by(&provider.config.allowed_domains) {
        return Err(LoginError::NotAdmitted("not in allowed_domains").into());
    }
    match state.store.find_or_link_oidc(&identity.login()).await {
        Ok(account) => Ok((account.id, flow.return_to)),
        Err(magdit_store::Error::Unauthenticated) => {
            Err(LoginError::NotAdmitted("no enabled account linked or with this verified address").into())
        }
        Err(magdit_store::Error::Invalid { field, reason }) => Err(LoginError::Token(format!("{field}: {reason}")).into()),
        Err(e) => Err(Finish::Store(e)),
    }
}

/// A provider's text, bounded for the log.
fn clip(text: &str) -> &str {
    text.char_indices().nth(200).map_or(text, |(i, _)| &text[..i])
}

fn header_value(text: &str) -> Result<HeaderValue, Problem> {
    HeaderValue::from_str(text).map_err(|_| Problem::internal())
}
