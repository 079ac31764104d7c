//! Logging in and out, and the home page (the school, or a choice of schools). The login form
//! has a CSRF token of its own (a cookie and a field that must match), since there is no
//! session yet; attempts are rate limited as in the API.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::i18n::t;
use super::layout::{html_page, page_with_status, Frame};
use super::{Fields, Viewer};
use crate::auth::{cleared_cookie, cookie, password_login, ClientAddr, Via};
use crate::oidc::local_path;
use crate::problem::Problem;
use crate::routes::schools::schools_of;
use crate::state::AppState;

/// The login form's own CSRF cookie.
const LOGIN_COOKIE: &str = "magdit_login";

/// `/`: the school's "Mag dit?" page, a choice of schools, or the login page.
pub async fn home(State(state): State<AppState>, v: Viewer) -> Result<Response, Problem> {
    let Some(principal) = v.principal else { return Ok(Redirect::to("/inloggen").into_response()) };
    let schools = schools_of(&state, &principal).await?;
    if let [only] = schools.as_slice() {
        return Ok(Redirect::to(&format!("/s/{}/check", only.id)).into_response());
    }
    let lang = v.lang;
    let csrf = match &principal.via {
        Via::Cookie { csrf } => csrf.as_str(),
        Via::Bearer => "",
    };
    let frame = Frame { lang, here: "/", member: None };
    let content = html! {
        @if schools.is_empty() { p { (t(lang, "home-no-school")) } }
        ul.schools {
            @for s in &schools { li { a href={ "/s/" (s.id) "/check" } { (s.name) } } }
        }
        form method="post" action="/uitloggen" {
            input type="hidden" name="csrf" value=(csrf);
            button type="submit" { (t(lang, "logout")) }
        }
    };
    Ok(html_page(&frame, &t(lang, "home-title"), content))
}

#[derive(Deserialize)]
pub struct LoginQuery {
    terug: Option<String>,
    fout: Option<String>,
}

/// `GET /inloggen`
pub async fn form(State(state): State<AppState>, v: Viewer, Query(q): Query<LoginQuery>) -> Response {
    let error = q.fout.as_deref().map(|_| StatusCode::UNAUTHORIZED);
    login_page(&state, &v, q.terug.as_deref().and_then(local_path).unwrap_or("/"), error)
}

/// Where a provider's button leads: its start, coming back through [`continued`] to `back`.
fn provider_start(start_url: &str, back: &str) -> String {
    format!("{start_url}?return_to={}", super::encode(&format!("/inloggen/verder?terug={}", super::encode(back))))
}

fn login_page(state: &AppState, v: &Viewer, back: &str, error: Option<StatusCode>) -> Response {
    let lang = v.lang;
    let token = random_token();
    let frame = Frame { lang, here: "/inloggen", member: None };
    let content = html! {
        @if let Some(status) = error {
            div.notice.error role="alert" id="login-error" {
                p { (t(lang, if status == StatusCode::TOO_MANY_REQUESTS { "login-too-many" } else { "login-failed" })) }
            }
        }
        p { (t(lang, "login-intro")) }
        form.login method="post" action="/inloggen" {
            input type="hidden" name="csrf" value=(token);
            input type="hidden" name="terug" value=(back);
            div.field {
                label for="email" { (t(lang, "login-email")) }
                input id="email" name="email" type="email" autocomplete="username" required
                    aria-describedby=[error.map(|_| "login-error")];
            }
            div.field {
                label for="password" { (t(lang, "login-password")) }
                input id="password" name="password" type="password" autocomplete="current-password" required;
            }
            button.primary type="submit" { (t(lang, "login-submit")) }
        }
        @let providers = state.oidc.list();
        @if !providers.is_empty() {
            section.providers aria-labelledby="login-or" {
                p id="login-or" { (t(lang, "login-or")) }
                ul {
                    @for p in &providers {
                        li { a.button href=(provider_start(&p.start_url, back)) { (p.display_name) } }
                    }
                }
            }
        }
    };
    let status = error.unwrap_or(StatusCode::OK);
    let mut response = page_with_status(&frame, status, &t(lang, "login-title"), content);
    let secure = if state.config.sessions.secure_cookie { "; Secure" } else { "" };
    if let Ok(c) = HeaderValue::from_str(&format!("{LOGIN_COOKIE}={token}; Path=/inloggen; HttpOnly; SameSite=Strict; Max-Age=3600{secure}")) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    response
}

/// `POST /inloggen`: the session cookie and on to the page asked for, or the form again.
pub async fn submit(State(state): State<AppState>, v: Viewer, ClientAddr(client): ClientAddr, headers: HeaderMap, body: Bytes) -> Result<Response, Problem> {
    let f = Fields::parse(&body);
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let back = f.get("terug").and_then(local_path).unwrap_or("/").to_owned();
    if expected.is_empty() || !magdit_store::password::constant_time_eq(f.get("csrf").unwrap_or_default(), expected) {
        // An old form, or a post from elsewhere: a fresh form.
        return Ok(login_page(&state, &v, &back, Some(StatusCode::UNAUTHORIZED)));
    }
    let email = f.get("email").unwrap_or_default();
    let password = f.get("password").unwrap_or_default();
    match password_login(&state, email, password, client).await {
        Ok((_, session)) => {
            let mut response = Redirect::to(&back).into_response();
            response.headers_mut().append(header::SET_COOKIE, session.cookie);
            Ok(response)
        }
        Err(p) if p.status == StatusCode::UNAUTHORIZED || p.status == StatusCode::TOO_MANY_REQUESTS => {
            Ok(login_page(&state, &v, &back, Some(p.status)))
        }
        Err(p) => Err(p),
    }
}

#[derive(Deserialize)]
pub struct ContinueQuery {
    terug: Option<String>,
}

/// `GET /inloggen/verder?terug=/pad`: where a login through the school's provider lands.
/// The provider's redirect chain started on another site, so the browser does not send the
/// SameSite=Strict session cookie with this request; a page of this site that moves on by
/// itself (a `Refresh` header, no script) makes the next request same-site, and it carries
/// the cookie. With the cookie already here, straight on.
pub async fn continued(v: Viewer, Query(q): Query<ContinueQuery>) -> Response {
    let back = q.terug.as_deref().and_then(local_path).unwrap_or("/");
    if v.principal.is_some() {
        return Redirect::to(back).into_response();
    }
    let lang = v.lang;
    let frame = Frame { lang, here: "/inloggen", member: None };
    let mut response = html_page(&frame, &t(lang, "login-continue-title"), html! {
        p { a href=(back) { (t(lang, "login-continue")) } }
    });
    // `back` passed local_path: printable ASCII only, so always a valid header value.
    if let Ok(refresh) = HeaderValue::from_str(&format!("0; url={back}")) {
        response.headers_mut().insert(header::REFRESH, refresh);
    }
    response
}

/// `POST /uitloggen`: ends the session. Needs the session's CSRF token, so another site
/// cannot log anyone out.
pub async fn logout(State(state): State<AppState>, v: Viewer, headers: HeaderMap, body: Bytes) -> Result<Response, Problem> {
    if let Some(principal) = &v.principal {
        let sent = Fields::parse(&body);
        let ok = matches!(&principal.via, Via::Cookie { csrf } if magdit_store::password::constant_time_eq(sent.get("csrf").unwrap_or_default(), csrf));
        if !ok {
            return Err(Problem::forbidden("the form has expired; open the page again"));
        }
        if let Some(token) = cookie(&headers, crate::auth::COOKIE) {
            state.store.revoke_token(token).await?;
        }
    }
    let mut response = Redirect::to("/inloggen").into_response();
    response.headers_mut().append(header::SET_COOKIE, cleared_cookie());
    Ok(response)
}

/// 32 random bytes as hex.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::getrandom(&mut bytes).is_err() {
        // Without randomness the token would be guessable: leave it empty, which never matches.
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
