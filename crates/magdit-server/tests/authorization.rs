//! The authorization matrix: every endpoint of the API × every role × a foreign tenant,
//! over real HTTP, on both stores. A cell says what the role gets: allowed (2xx), refused
//! (403), hidden (404, as if absent) or unauthenticated (401). Refusals must not leak the
//! data they guard. A second test fails when the OpenAPI document has an endpoint the matrix
//! does not walk.

mod common;

use std::collections::BTreeSet;

use common::{seed, App, Seed, PASSWORD};
use magdit_store::{AccountId, Actor, Apply, CheckId, Grant, NewAccount, NewCheck, NewSession, PersonInput, Role, SessionId, SessionPolicy, Store};
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
/// The teacher's stored check: theirs, and every reader of all checks.
const TEACHERS_CHECK: [Want; 8] = [Unauthenticated, Ok, Ok, Ok, Ok, Hidden, Hidden, Hidden];
/// Another account's session: nobody else sees it.
const OTHERS_SESSION: [Want; 8] = [Unauthenticated, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden, Hidden];

/// What the account rows act on: an employee of school A who is none of the roles, with a
/// session, and a check the teacher ran.
struct Targets {
    account: AccountId,
    session: SessionId,
    check: CheckId,
}

async fn targets(store: &Store, s: &Seed) -> Targets {
    let system = Actor::new("test:matrix").unwrap();
    let new = NewAccount { email: "doel@linde.nl".into(), name: "Dora Doel".into(), password: Some(PASSWORD.into()) };
    let account = store.create_account(&new, &Grant::Employee { school: s.school }, &system).await.unwrap().id;
    let session = store.create_session(account, &NewSession::ApiToken { name: "doel".into() }, SessionPolicy::api_token()).await.unwrap();
    let teacher = store.account_by_email(&s.teacher.email).await.unwrap().id;
    let check = NewCheck {
        account: teacher,
        protocol: "cvo-nwf".into(),
        protocol_version: None,
        outcome: "allowed".into(),
        verdict: "[]".into(),
        facts: "{}".into(),
        text: None,
        situation: None,
        save: false,
    };
    let check = store.store_check(s.school, &check).await.unwrap().id;
    Targets { account, session: session.session.id, check }
}

fn matrix(s: &Seed) -> Vec<Row> {
    let retention = json!({"checks_days": 365, "check_texts_days": 30, "sessions_days": 90, "audit_payloads_days": 730});
    let check = json!({"actor": {"role": "parent"}, "action": "post", "channel": {"kind": "social_media"},
        "content": {"text": "Sportdag!", "media": [{"kind": "photo", "depicts": ["Daan de Vries"]}]}});
    vec![
        row(Method::GET, "/api/v1/protocols", None, PUBLIC),
        row(Method::GET, "/api/v1/protocols/{protocol}", None, PUBLIC),
        row(Method::GET, "/api/v1/protocols/{protocol}/articles/{article}", None, PUBLIC),
        row(Method::GET, "/api/v1/auth/providers", None, PUBLIC),
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
        row(Method::GET, "/api/v1/me/sessions", None, ANY_ACCOUNT),
        row(Method::PUT, "/api/v1/me/password", Some(json!({"current_password": PASSWORD, "password": PASSWORD})), ANY_ACCOUNT),
        row(Method::DELETE, "/api/v1/me/sessions/{session}", None, OTHERS_SESSION),
        row(Method::GET, "/api/v1/schools/{school}/accounts", None, ADMINS),
        // A new address per cell (see `cell`).
        row(Method::POST, "/api/v1/schools/{school}/accounts", Some(json!({"name": "Nieuwe Collega", "grant": {"role": "employee"}})), ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/accounts/{account}", None, ADMINS),
        row(Method::POST, "/api/v1/schools/{school}/accounts/{account}/grants", Some(json!({"role": "leidinggevende"})), ADMINS),
        // The grant is given back after each cell.
        row(Method::DELETE, "/api/v1/schools/{school}/accounts/{account}/grants/{role}", None, ADMINS),
        row(Method::PUT, "/api/v1/schools/{school}/accounts/{account}/password", Some(json!({"password": "een nieuw wachtwoord"})), ADMINS),
        row(Method::POST, "/api/v1/schools/{school}/accounts/{account}/disable", None, ADMINS),
        row(Method::POST, "/api/v1/schools/{school}/accounts/{account}/enable", None, ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/people/{person}/export", None, ADMINS),
        // A fresh person per cell, confirmed by name (see `cell`).
        row(Method::POST, "/api/v1/schools/{school}/people/{person}/erase", None, ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/retention", None, ADMINS),
        row(Method::PUT, "/api/v1/schools/{school}/retention", Some(retention), ADMINS),
        row(Method::GET, "/api/v1/schools/{school}/checks", None, MEMBERS),
        row(Method::GET, "/api/v1/schools/{school}/checks/{check}", None, TEACHERS_CHECK),
        // Last, and the link is restored after each cell: the rows above need it.
        row(Method::DELETE, "/api/v1/schools/{school}/people/{person}/guardians/{guardian}", None, ADMINS),
    ]
}

/// Endpoints outside the matrix, with the test that covers them.
const ELSEWHERE: [(&str, &str); 5] = [
    ("post /api/v1/auth/login", "api.rs: cookie_login_needs_csrf_for_changes, login_is_rate_limited"),
    ("post /api/v1/auth/logout", "api.rs: cookie_login_needs_csrf_for_changes"),
    ("post /api/v1/auth/tokens", "api.rs: tokens_carry_the_accounts_grants"),
    // Anonymous by nature (the login itself); what they refuse is tested there.
    ("get /api/v1/auth/oidc/{provider}/start", "oidc.rs: every test"),
    ("get /api/v1/auth/oidc/{provider}/callback", "oidc.rs: every test"),
];

fn fill(template: &str, s: &Seed, t: &Targets) -> String {
    template
        .replace("{school}", &s.school.to_string())
        .replace("{account}", &t.account.to_string())
        .replace("{role}", "leidinggevende")
        .replace("{session}", &t.session.to_string())
        .replace("{check}", &t.check.to_string())
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

/// The path and body of cell `i` of `r`: as the row says, except where a cell would use up
/// what the next one needs.
async fn cell(store: &Store, s: &Seed, t: &Targets, r: &Row, i: usize) -> (String, Option<Value>) {
    match r.template {
        "/api/v1/schools/{school}/accounts" if r.method == Method::POST => {
            let mut body = r.body.clone().unwrap_or_default();
            body["email"] = json!(format!("nieuw-{i}@linde.nl"));
            (fill(r.template, s, t), Some(body))
        }
        "/api/v1/schools/{school}/people/{person}/erase" => {
            let name = format!("Wis Mij {i}");
            let new = PersonInput { external_id: format!("WIS-{i}"), name: name.clone(), role: Role::Pupil, date_of_birth: None, group: None };
            let system = Actor::new("test:matrix").unwrap();
            let done = store.upsert_people(s.school, &[new], &system, Apply::Commit).await.unwrap();
            let path = fill(r.template, s, t).replace(&format!("/people/{}/", s.daan), &format!("/people/{}/", done[0].person.id));
            (path, Some(json!({"confirm": name})))
        }
        _ => (fill(r.template, s, t), r.body.clone()),
    }
}

/// Gives back what an allowed DELETE cell took, for the next cell.
async fn restore(store: &Store, s: &Seed, t: &Targets, r: &Row) {
    let system = Actor::new("test:restore").unwrap();
    match r.template {
        "/api/v1/schools/{school}/people/{person}/guardians/{guardian}" => {
            store.link_guardian(s.school, s.peter, s.daan, &system).await.unwrap();
        }
        "/api/v1/schools/{school}/accounts/{account}/grants/{role}" => {
            store.grant(t.account, &Grant::Leidinggevende { school: s.school }, &system).await.unwrap();
        }
        _ => {}
    }
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
    let t = targets(&store, &s).await;
    let mut failures = Vec::new();
    for r in matrix(&s) {
        for (i, token) in tokens.iter().enumerate() {
            let (path, body) = cell(&store, &s, &t, &r, i).await;
            let mut req = app.http.request(r.method.clone(), format!("{}{path}", app.base));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            req = match (&body, r.template) {
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
                restore(&store, &s, &t, &r).await;
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
