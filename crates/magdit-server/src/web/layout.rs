//! The frame of every page: landmarks (header with the menu, main, footer), a skip link, the
//! language switch and logout, and the error page.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use magdit_protocol::Lang;
use maud::{html, Markup, DOCTYPE};

use super::i18n::{code, t};
use super::{encode, Member};

/// What the frame shows around a page's content.
pub struct Frame<'a> {
    pub lang: Lang,
    /// The page's own path and query, for the language switch.
    pub here: &'a str,
    /// Inside a school: its menu, the account and the logout form.
    pub member: Option<&'a Member>,
}

impl<'a> Frame<'a> {
    pub fn of(m: &'a Member) -> Frame<'a> {
        Frame { lang: m.lang, here: &m.here, member: Some(m) }
    }
}

/// A whole page with `title` as its `<h1>` and `<title>`.
pub fn html_page(f: &Frame<'_>, title: &str, content: Markup) -> Response {
    page_with_status(f, StatusCode::OK, title, content)
}

pub fn page_with_status(f: &Frame<'_>, status: StatusCode, title: &str, content: Markup) -> Response {
    let lang = f.lang;
    let other = match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(code(lang)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — magdit" }
                link rel="stylesheet" href="/static/magdit.css";
                script src="/static/magdit.js" defer {}
            }
            body {
                a.skip href="#inhoud" { (t(lang, "skip-to-content")) }
                header.top {
                    div.brand {
                        a href="/" { span.logo aria-hidden="true" { "?" } "magdit" }
                        @if let Some(m) = f.member { span.school { (m.ctx.school.name) } }
                    }
                    @if let Some(m) = f.member { (menu(m)) }
                    div.tools {
                        a lang=(code(other)) hreflang=(code(other)) href={ "/taal/" (code(other)) "?terug=" (encode(f.here)) } {
                            (t(lang, "switch-language"))
                        }
                        @if let Some(m) = f.member {
                            form.logout method="post" action="/uitloggen" {
                                input type="hidden" name="csrf" value=(m.csrf);
                                button type="submit" { (t(lang, "logout")) " " span.who { "(" (m.ctx.principal.name) ")" } }
                            }
                        }
                    }
                }
                main id="inhoud" tabindex="-1" {
                    h1 { (title) }
                    (content)
                }
                footer {
                    p { (t(lang, "footer")) }
                }
            }
        }
    };
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], markup.into_string()).into_response()
}

/// The school's menu, by what the account may do there.
fn menu(m: &Member) -> Markup {
    let lang = m.lang;
    let s = m.school();
    let a = &m.ctx.access;
    let mut items: Vec<(String, String)> = vec![(format!("/s/{s}/check"), t(lang, "nav-check"))];
    if a.guardian.is_some() || a.pupil.is_some() {
        items.push((format!("/s/{s}/toestemming"), t(lang, "nav-consent")));
    }
    if a.is_staff() {
        items.push((format!("/s/{s}/klas"), t(lang, "nav-class")));
    }
    items.push((format!("/s/{s}/protocol"), t(lang, "nav-protocol")));
    if a.is_admin() {
        items.push((format!("/s/{s}/beheer"), t(lang, "nav-admin")));
    }
    let path = m.here.split('?').next().unwrap_or_default();
    html! {
        nav aria-label=(t(lang, "nav-label")) {
            ul {
                @for (href, label) in &items {
                    li {
                        @if path == href.as_str() || (path.starts_with(href.as_str()) && href.ends_with("/beheer")) {
                            a href=(href) aria-current="page" { (label) }
                        } @else {
                            a href=(href) { (label) }
                        }
                    }
                }
            }
        }
    }
}

/// The page for a problem a handler answered.
pub fn error_page(lang: Lang, status: StatusCode, detail: &str) -> Response {
    let key = match status.as_u16() {
        403 => "error-403",
        404 => "error-404",
        409 => "error-409",
        413 => "error-413",
        422 | 400 => "error-422",
        429 => "error-429",
        503 => "error-503",
        _ => "error-500",
    };
    let frame = Frame { lang, here: "/", member: None };
    let content = html! {
        div.notice.error role="alert" {
            p { (t(lang, key)) }
            @if matches!(status.as_u16(), 400 | 409 | 422) && !detail.is_empty() { p { (detail) } }
        }
        p { a href="/" { (t(lang, "error-home")) } }
    };
    page_with_status(&frame, status, &t(lang, "error-title"), content)
}
