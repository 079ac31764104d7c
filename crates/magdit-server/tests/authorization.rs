//! The authorization matrix: every endpoint of the API × every role × a foreign tenant,
//! over real HTTP, on both stores. A cell says what the role gets: allowed (2xx), refused
//! (403), hidden (404, as if absent) or unauthenticated (401). Refusals must not leak the
//! data they guard. A second test fails when the OpenAPI document has an endpoint the matrix
//! does not walk.

mod common;

use std::collections::BTreeSet;

use common::{seed, App, Seed};
use magdit_store::Store;
use reqwest::Method;
use serde_json::{json, Value};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Want {
    Ok,
    Forbidden,
    Hidden,
    Unauthenticated,
}
use Want::*;

/// The roles, in the order of each row's expectations.
const ROLES: [&str; 8] = ["anonymous", "board_admin", "admin", "leidinggevende", "teacher", "parent", "pupil16", "foreign_admin"];

struct Row {
    method: Method,
    /// The OpenAPI template, e.g. `/api/v1/schools/{school}/people/{person}`.
    template: &'static str,
    body: Option<Value>,
    want: [Want; 8],
}

fn row(method: Method, template: &'static str, body: Option<Value>, want: [Want; 8]) -> Row {
    Row { method, template, body, want }
}

/// Members of school A: everyone but the anonymous caller and the admin of another school.
const MEMBERS: [Want; 8] = [Unauthenticated, Ok, Ok, Ok, Ok, Ok, Ok, Hidden];
const ADMINS: [Want; 8] = [Unauthenticated, Ok, Ok, Forbidden, Forbidden, Forbidden, Forbidden, Hidden];
const STAFF: [Want; 8] = [Unauthenticated, Ok, Ok, Ok, Ok, Forbidden, Forbidden, Hidden];
/// About Daan: his father sees him, Noor (another pupil) does not.
const ABOUT_DAAN: [Want; 8] = [Unauthenticated, Ok, Ok, Ok, Ok, Ok, Hidden, Hidden];
const DAAN_DETAIL: [Want; 8] = [Unauthenticated, Ok, Ok, Forbidden, Forbidden, Ok, Hidden, Hidden];
const DAAN_DECIDE: [Want; 8] = [Unauthenticated, Ok, Ok, Forbidden, Forbidden, Ok, Hidden, Hidden];
const ANY_ACCOUNT: [Want; 8] = [Unauthenticated, Ok, Ok, Ok, Ok, Ok, Ok, Ok];
const BOARD_ONLY: [Want; 8] = [Unauthenticated, Ok, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden];
const PUBLIC: [Want; 8] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok];

fn matrix(s: &Seed) -> Vec<Row> {
    let check = json!({"actor": {"role": "parent"}, "action": "post", "channel": {"kind": "social_media"},
        "content": {"text": "Sportdag!", "media": [{"kind": "photo", "depicts": ["Daan de Vries"]}]}});
    vec![
        row(Method::GET, "/api/v1/protocols", None, PUBLIC),
        row(Method::GET, "/api/v1/protocols/{protocol}", None, PUBLIC),
        row(Method::GET, "/api/v1/protocols/{protocol}/articles/{article}", None, PUBLIC),
        row(Method::GET, "/api/v1/me", None, ANY_ACCOUNT),
        row(Method::GET, "/api/v1/schools", None, ANY_ACCOUNT),
        row(Method::POST, "/api/v1/boards/{board}/schools", Some(json!({"name": "Nieuwe School"})), BOARD_ONLY),
        row(Method::GET, "/api/v1/schools/{school}", None, MEMBERS),
        row(Method::PUT, "/api/v1/schools/{school}/protocol", Some(json!({"protocol": "cvo-nwf"})), ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/protocol", None, MEMBERS),
        // A dry run (see `fill`): the school keeps the shipped protocol for the rows below.
        row(Method::PUT, "/api/v1/schools/{school}/protocol/file", None, ADMINS),
        row(Method::PUT, "/api/v1/schools/{school}/renewal", Some(json!({"renewal_month": 8, "renewal_day": 1})), ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/audit", None, ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/audit/verify", None, ADMINS),
        row(Method::POST, "/api/v1/schools/{school}/check", Some(check), MEMBERS),
        row(Method::GET, "/api/v1/schools/{school}/people", None, MEMBERS),
        row(
            Method::POST,
            "/api/v1/schools/{school}/people",
            Some(json!({"external_id": "LL-9", "name": "Nieuwe Leerling", "role": "pupil"})),
            ADMINS,
        ),
        row(Method::GET, "/api/v1/schools/{school}/people/{person}", None, ABOUT_DAAN),
        row(Method::GET, "/api/v1/schools/{school}/people/{person}/guardians", None, DAAN_DETAIL),
        row(Method::PUT, "/api/v1/schools/{school}/people/{person}/guardians/{guardian}", None, ADMINS),
        row(Method::POST, "/api/v1/schools/{school}/imports", None, ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/export", None, ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/purposes", None, MEMBERS),
        row(Method::PUT, "/api/v1/schools/{school}/purposes/{purpose}", Some(json!({"description": "Foto's in de jaarfilm"})), ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/consent", None, STAFF),
        row(Method::GET, "/api/v1/schools/{school}/people/{person}/consent", None, ABOUT_DAAN),
        row(Method::GET, "/api/v1/schools/{school}/people/{person}/consent/history", None, DAAN_DETAIL),
        row(
            Method::POST,
            "/api/v1/schools/{school}/people/{person}/consent/{purpose}",
            Some(json!({"action": "give", "decided_by": s.peter.0})),
            DAAN_DECIDE,
        ),
        // Last, and the link is restored after each cell: the rows above need it.
        row(Method::DELETE, "/api/v1/schools/{school}/people/{person}/guardians/{guardian}", None, ADMINS),
    ]
}

/// Endpoints outside the matrix, with the test that covers them.
const ELSEWHERE: [(&str, &str); 3] = [
    ("post /api/v1/auth/login", "api.rs: cookie_login_needs_csrf_for_changes, login_is_rate_limited"),
    ("post /api/v1/auth/logout", "api.rs: cookie_login_needs_csrf_for_changes"),
    ("post /api/v1/auth/tokens", "api.rs: tokens_carry_the_accounts_grants"),
];

fn fill(template: &str, s: &Seed) -> String {
    template
        .replace("{school}", &s.school.to_string())
        .replace("{board}", &s.board.to_string())
        .replace("{person}", &s.daan.to_string())
        .replace("{guardian}", &s.peter.to_string())
        .replace("{purpose}", if template.ends_with("consent/{purpose}") { "newsletter" } else { "jaarfilm" })
        .replace("{protocol}", "cvo-nwf")
        .replace("{article}", "A.2")
        + match template {
            "/api/v1/schools/{school}/consent" => "?group=7A",
            "/api/v1/schools/{school}/imports" | "/api/v1/schools/{school}/protocol/file" => "?dry_run=true",
            _ => "",
        }
}

/// A valid protocol file to upload: a shipped one.
fn protocol_file() -> &'static str {
    magdit_protocol::builtin::FILES[0].1
}

/// None for a status that is none of allowed, refused, hidden or unauthenticated.
fn classify(status: u16) -> Option<Want> {
    match status {
        200..=299 => Some(Ok),
        401 => Some(Unauthenticated),
        403 => Some(Forbidden),
        404 => Some(Hidden),
        _ => None,
    }
}

async fn every_endpoint_every_role(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let tokens: [Option<&str>; 8] = [
        None,
        Some(&s.board_admin.token),
        Some(&s.admin.token),
        Some(&s.leidinggevende.token),
        Some(&s.teacher.token),
        Some(&s.parent.token),
        Some(&s.pupil16.token),
        Some(&s.other_admin.token),
    ];
    let mut failures = Vec::new();
    for r in matrix(&s) {
        let path = fill(r.template, &s);
        for (i, token) in tokens.iter().enumerate() {
            let mut req = app.http.request(r.method.clone(), format!("{}{path}", app.base));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req = match (&r.body, r.template) {
                (_, t) if t.ends_with("/imports") => {
                    req.header("content-type", "text/csv").body("Stamnr;Roepnaam;Achternaam\nLL-7;Jip;Jansen\n")
                }
                (_, t) if t.ends_with("/protocol/file") => req.header("content-type", "application/toml").body(protocol_file()),
                (Some(b), _) => req.json(b),
                (None, _) => req,
            };
            let resp = req.send().await.expect("the app answers");
            let status = resp.status().as_u16();
            let body = resp.text().await.unwrap_or_default();
            let got = classify(status);
            if r.method == Method::DELETE {
                let system = magdit_store::Actor::new("test:restore").unwrap();
                store.link_guardian(s.school, s.peter, s.daan, &system).await.unwrap();
            }
            if got != Some(r.want[i]) {
                failures.push(format!("{} {path} as {}: want {:?}, got {status} {body}", r.method, ROLES[i], r.want[i]));
            }
            if got != Some(Ok) && (body.contains("Daan") || body.contains("Peter")) {
                failures.push(format!("{} {path} as {}: the refusal leaks a name: {body}", r.method, ROLES[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{} cells wrong:\n{}", failures.len(), failures.join("\n"));
}

async fn the_matrix_walks_every_documented_endpoint(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let (_, doc) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, ops)| ops.as_object().into_iter().flat_map(move |o| o.keys().map(move |m| format!("{m} {path}"))))
        .collect();
    let walked: BTreeSet<String> = matrix(&s)
        .iter()
        .map(|r| format!("{} {}", r.method.as_str().to_lowercase(), r.template))
        .chain(ELSEWHERE.iter().map(|(e, _)| e.to_string()))
        .collect();
    assert_eq!(documented, walked, "every documented endpoint needs a row in the matrix");
}

magdit_store::on_both_stores!(every_endpoint_every_role, the_matrix_walks_every_documented_endpoint);
