//! A browser-like client for the web UI's forms: cookies kept, redirects not followed.

use reqwest::{redirect, Client, StatusCode};

use super::{App, PASSWORD};

pub fn browser() -> Client {
    Client::builder().cookie_store(true).redirect(redirect::Policy::none()).build().expect("a client")
}

/// The value of the hidden field `name` in `html`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name} in {html}")) + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

pub async fn get(c: &Client, app: &App, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{}{path}", app.base)).send().await.expect("answers");
    (r.status(), r.text().await.unwrap_or_default())
}

/// Logs `email` in through the login form; the page's CSRF token for later posts.
pub async fn login(c: &Client, app: &App, email: &str, password: &str) -> reqwest::Response {
    let (_, form) = get(c, app, "/inloggen").await;
    let csrf = hidden(&form, "csrf");
    c.post(format!("{}/inloggen", app.base))
        .form(&[("csrf", csrf.as_str()), ("terug", "/"), ("email", email), ("password", password)])
        .send()
        .await
        .expect("answers")
}

pub async fn logged_in(app: &App, email: &str) -> Client {
    let c = browser();
    let r = login(&c, app, email, PASSWORD).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{email} logs in");
    c
}
