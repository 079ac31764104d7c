//! The web UI: server-rendered pages for a school's employees, pupils, parents and
//! administrators, in Dutch (English switchable), served by `magdit serve` itself. Every page
//! reads and writes through the same functions as the API (`routes::*`: the check, consent,
//! class view, import), under the same rules of who may do what (`authz`, `InSchool`).
//!
//! - Plain HTML forms that work without JavaScript (POST, then a redirect or the answer);
//!   `static/magdit.js` only adds conveniences.
//! - Every POST carries the session's CSRF token in a hidden field (`csrf`), checked by
//!   [`Member::form`] and [`Member::multipart`], the only ways a handler gets a posted form.
//! - Every answer has a strict Content-Security-Policy: styles and scripts come from
//!   `/static/` only, nothing from elsewhere.
//! - Errors are problem details inside (as in the API) and pages outside: [`html_errors`]
//!   turns them into a page in the reader's language, or a redirect to the login page.
//!
//! One module per page group: `layout` (the frame of every page), `login`, `check` ("Mag
//! dit?"), `consent` (parents and pupils from 16), `class` (the class view), `protocol`,
//! `admin` (import, consent overview, accounts), `i18n` (the message catalogues).

mod admin;
mod check;
mod class;
mod consent;
pub mod i18n;
mod layout;
mod login;
mod protocol;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Multipart, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use magdit_protocol::Lang;
use magdit_store::SchoolId;
use serde::Deserialize;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::{Principal, Via};
use crate::context::InSchool;
use crate::problem::Problem;
use crate::state::AppState;


/// The "Mag dit?" page; its POST changes nothing (see `request_cache`).
pub const CHECK_ROUTE: &str = "/s/{school}/check";

/// Only what the binary serves itself: no inline script or style, no frames, no other hosts
/// (`connect-src` for the live roster search's requests to this site).
const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The web UI's routes.
pub fn routes(state: &AppState) -> Router<AppState> {
    let limits = &state.config.limits;
    Router::new()
        .route("/", get(login::home))
        .route("/inloggen", get(login::form).post(login::submit))
        .route("/inloggen/verder", get(login::continued))
        .route("/uitloggen", post(login::logout))
        .route("/taal/{lang}", get(i18n::switch))
        .route(CHECK_ROUTE, get(check::page).post(check::submit))
        .route("/s/{school}/check/mensen", get(check::people))
        .route("/s/{school}/toestemming", get(consent::page))
        .route("/s/{school}/toestemming/{person}", post(consent::decide))
        .route("/s/{school}/klas", get(class::page))
        .route("/s/{school}/protocol", get(protocol::page))
        .route("/s/{school}/beheer", get(admin::overview))
        .route("/s/{school}/beheer/protocol", post(admin::adopt))
        .route(
            "/s/{school}/beheer/import",
            get(admin::import_form).post(admin::import).layer(DefaultBodyLimit::max(limits.import_bytes + 64 * 1024)),
        )
        .route("/s/{school}/beheer/accounts", get(admin::accounts))
        .route("/s/{school}/beheer/accounts/{account}/rollen", post(admin::change_role))
        .route("/static/magdit.css", get(|| asset("text/css; charset=utf-8", include_str!("../../static/magdit.css"))))
        .route("/static/magdit.js", get(|| asset("text/javascript; charset=utf-8", include_str!("../../static/magdit.js"))))
        .layer(DefaultBodyLimit::max(limits.body_bytes))
        .layer(middleware::from_fn(html_errors))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        // Pages hold personal data: not kept by the browser or a proxy (the assets say otherwise).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// Turns a problem detail from a handler into a page: 401 into the login page (coming back
/// afterwards), anything else into an error page in the reader's language.
async fn html_errors(request: Request, next: Next) -> Response {
    let lang = i18n::lang_of(request.headers());
    let back = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let get = request.method() == Method::GET;
    let response = next.run(request).await;
    let is_problem = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return response;
    }
    let status = response.status();
    if status == StatusCode::UNAUTHORIZED {
        let target = if get { format!("/inloggen?terug={}", encode(&back)) } else { "/inloggen".to_owned() };
        return Redirect::to(&target).into_response();
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024).await.unwrap_or_default();
    let detail = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("detail").and_then(|d| d.as_str()).map(str::to_owned))
        .unwrap_or_default();
    layout::error_page(lang, status, &detail)
}

/// `text` for a query value.
pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The account a browser session (cookie) belongs to, if any.
async fn session_principal(parts: &Parts, state: &AppState) -> Option<Principal> {
    let token = crate::auth::cookie(&parts.headers, crate::auth::COOKIE)?;
    let principal = Principal::from_store(state.request_cache.principal(&state.store, token).await.ok()?);
    matches!(principal.via, Via::Cookie { .. }).then_some(principal)
}

/// Who looks at a page outside a school (login, home): the language and the account, if
/// logged in.
pub struct Viewer {
    pub lang: Lang,
    pub principal: Option<Principal>,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        Ok(Viewer { lang: i18n::lang_of(&parts.headers), principal: session_principal(parts, state).await })
    }
}

/// A page inside one school (`/s/{school}/…`), for a logged-in account that holds a grant
/// there: the same [`InSchool`] the API's handlers start from. Not logged in: the login page;
/// another school: 404.
pub struct Member {
    pub ctx: InSchool,
    pub lang: Lang,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
    /// The page's path and query, to come back to.
    pub here: String,
}

#[derive(Deserialize)]
struct SchoolParam {
    school: i64,
}

impl FromRequestParts<AppState> for Member {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Problem> {
        let principal = session_principal(parts, state).await.ok_or_else(Problem::unauthenticated)?;
        let csrf = match &principal.via {
            Via::Cookie { csrf } => csrf.clone(),
            Via::Bearer => String::new(),
        };
        let Path(SchoolParam { school }) = Path::<SchoolParam>::from_request_parts(parts, state).await?;
        let ctx = InSchool::enter(state, principal, SchoolId(school)).await?;
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
        Ok(Member { ctx, lang: i18n::lang_of(&parts.headers), csrf, here })
    }
}

impl Member {
    /// The fields of a posted form, once its CSRF token matched the session's.
    pub fn form(&self, body: &Bytes) -> Result<Fields, Problem> {
        let fields = Fields::parse(body);
        self.check_csrf(fields.get("csrf"))?;
        Ok(fields)
    }

    /// The text fields and the one file of a posted `multipart/form-data` form, once its CSRF
    /// token matched the session's.
    pub async fn multipart(&self, mut form: Multipart) -> Result<(Fields, Option<Bytes>), Problem> {
        let mut fields = Vec::new();
        let mut file = None;
        while let Some(field) = form.next_field().await.map_err(|e| Problem::bad_request(e.body_text()))? {
            let name = field.name().unwrap_or_default().to_owned();
            if field.file_name().is_some() {
                file = Some(field.bytes().await.map_err(|e| Problem::bad_request(e.body_text()))?);
            } else {
                fields.push((name, field.text().await.map_err(|e| Problem::bad_request(e.body_text()))?));
            }
        }
        let fields = Fields(fields);
        self.check_csrf(fields.get("csrf"))?;
        Ok((fields, file))
    }

    fn check_csrf(&self, sent: Option<&str>) -> Result<(), Problem> {
        let sent = sent.unwrap_or_default();
        if self.csrf.is_empty() || !magdit_store::password::constant_time_eq(sent, &self.csrf) {
            return Err(Problem::forbidden("the form has expired; open the page again"));
        }
        Ok(())
    }

    /// The school's id, for links.
    pub fn school(&self) -> i64 {
        self.ctx.school.id.0
    }
}

/// The fields of a form, in order; a name may come more than once (checkboxes).
#[derive(Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn all<'f>(&'f self, name: &'f str) -> impl Iterator<Item = &'f str> + 'f {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_repeated_names() {
        let f = Fields::parse(b"csrf=abc&depicts=1&depicts=2&text=Hallo+Daan%21");
        assert_eq!(f.get("text"), Some("Hallo Daan!"));
        assert_eq!(f.all("depicts").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(f.get("missing"), None);
    }
}
