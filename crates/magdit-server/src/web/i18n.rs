//! The web UI's messages: Fluent catalogues (`i18n/nl.ftl`, `i18n/en.ftl`), compiled in.
//! Dutch is the default; the language is the `magdit_taal` cookie, set by `/taal/{nl|en}`.

use std::sync::LazyLock;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use magdit_protocol::Lang;
use serde::Deserialize;

use crate::auth::cookie;
use crate::oidc::local_path;
use crate::state::AppState;

/// The cookie that keeps the chosen language.
const COOKIE: &str = "magdit_taal";

static NL: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle("nl", include_str!("../../i18n/nl.ftl")));
static EN: LazyLock<FluentBundle<FluentResource>> = LazyLock::new(|| bundle("en", include_str!("../../i18n/en.ftl")));

fn bundle(code: &str, source: &str) -> FluentBundle<FluentResource> {
    let lang = code.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks would end up inside attributes and the text of the page.
    b.set_use_isolating(false);
    // A catalogue that does not parse fails the tests (`catalogues_parse_and_agree`); at run
    // time the messages that did parse are used.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, _)| partial);
    let _ = b.add_resource(resource);
    b
}

fn catalogue(lang: Lang) -> &'static FluentBundle<FluentResource> {
    match lang {
        Lang::Nl => &NL,
        Lang::En => &EN,
    }
}

/// The message `key` in `lang`; the key itself when the catalogue lacks it (the tests make
/// sure none is missing).
pub fn t(lang: Lang, key: &str) -> String {
    ta(lang, key, &[])
}

/// The message `key` with its variables.
pub fn ta(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let b = catalogue(lang);
    let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else { return key.to_owned() };
    let mut fa = FluentArgs::new();
    for (k, v) in args {
        fa.set(*k, v.clone());
    }
    let mut errors = Vec::new();
    b.format_pattern(pattern, Some(&fa), &mut errors).into_owned()
}

/// The language code, as in `<html lang>`.
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

/// The language the request asks for: the cookie, else Dutch.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    /// The page to go back to.
    terug: Option<String>,
}

/// `GET /taal/{nl|en}?terug=/pad`: keeps the language in a cookie and goes back.
pub async fn switch(State(state): State<AppState>, Path(code): Path<String>, Query(q): Query<SwitchQuery>) -> Response {
    let lang = if code == "en" { "en" } else { "nl" };
    let secure = if state.config.sessions.secure_cookie { "; Secure" } else { "" };
    let set = format!("{COOKIE}={lang}; Path=/; SameSite=Lax; Max-Age=31536000{secure}");
    let back = q.terug.filter(|p| local_path(p).is_some()).unwrap_or_else(|| "/".to_owned());
    let mut response = Redirect::to(&back).into_response();
    if let Ok(v) = HeaderValue::from_str(&set) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a catalogue, which must parse.
    fn ids(source: &str) -> Vec<String> {
        if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
            panic!("the catalogue does not parse: {errors:?}");
        }
        let mut ids: Vec<String> = source
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_owned()))
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn catalogues_parse_and_agree() {
        let nl = ids(include_str!("../../i18n/nl.ftl"));
        let en = ids(include_str!("../../i18n/en.ftl"));
        let only_nl: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(only_nl.is_empty() && only_en.is_empty(), "only in nl: {only_nl:?}; only in en: {only_en:?}");
    }

    /// Every `t(…, "key")` and `ta(…, "key", …)` in the web module names a message.
    #[test]
    fn every_key_used_is_in_the_catalogue() {
        let nl = ids(include_str!("../../i18n/nl.ftl"));
        let sources = [
            include_str!("mod.rs"),
            include_str!("layout.rs"),
            include_str!("login.rs"),
            include_str!("check.rs"),
            include_str!("consent.rs"),
            include_str!("class.rs"),
            include_str!("protocol.rs"),
            include_str!("admin.rs"),
        ];
        let mut missing = Vec::new();
        for src in sources {
            for (i, _) in src.match_indices(", \"") {
                let before = &src[..i];
                if !(before.ends_with("(lang") || before.ends_with("(l") || before.ends_with("(self.lang") || before.ends_with("(v.lang")) {
                    continue;
                }
                let rest = &src[i + 3..];
                let key = &rest[..rest.find('"').unwrap_or(0)];
                if !key.is_empty() && !key.contains('{') && !nl.iter().any(|k| k == key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "messages missing from nl.ftl: {missing:?}");
    }

    #[test]
    fn messages_take_variables_and_unknown_keys_show_themselves() {
        assert_eq!(ta(Lang::Nl, "greeting", &[("name", "Anna".into())]), "Hallo, Anna");
        assert_eq!(ta(Lang::En, "greeting", &[("name", "Anna".into())]), "Hello, Anna");
        assert_eq!(t(Lang::Nl, "no-such-message"), "no-such-message");
    }
}
