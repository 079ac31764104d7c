//! API test harness: the real app on a loopback port over a fresh store (each test runs on
//! SQLite and on PostgreSQL, see `magdit_store::on_both_stores!`), spoken to over HTTP, with
//! a seeded board of two schools and an account for every role.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod forms;

use magdit_engine::Engine;
use magdit_server::{app, AppState, Config};
use magdit_store::{
    Actor, Apply, Grant, NewAccount, NewSchool, NewSession, PersonId, PersonInput, RenewalPolicy, Role,
    SchoolId, SessionPolicy, Store,
};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime};

/// The running app.
pub struct App {
    pub base: String,
    pub store: Store,
    pub http: reqwest::Client,
}

impl App {
    pub async fn start(store: Store) -> App {
        App::start_with(store, |_, _| {}).await
    }

    /// The app with settings changed by `configure`, which is told the app's base URL.
    pub async fn start_with(store: Store, configure: impl FnOnce(&str, &mut Config)) -> App {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("bound address"));
        let mut config = Config { sessions: magdit_server::config::Sessions { secure_cookie: false, ..Default::default() }, ..Config::default() };
        configure(&base, &mut config);
        let (state, _writer) = AppState::start(store.clone(), Engine::builtin(), config);
        tokio::spawn(async move {
            axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>()).await.ok();
        });
        App { base, store, http: reqwest::Client::new() }
    }

    /// Sends `method path` with `token` as bearer (if any) and `body` as JSON (if any).
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("the app answers");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(&body)).await
    }
}

/// An account of the seed and its API token.
#[derive(Clone)]
pub struct User {
    pub email: String,
    pub token: String,
}

/// What [`seed`] made: school A (the one under test) and school B (a foreign tenant).
pub struct Seed {
    pub board: i64,
    pub school: SchoolId,
    pub other_school: SchoolId,
    pub board_admin: User,
    pub admin: User,
    pub leidinggevende: User,
    pub teacher: User,
    /// Peter de Vries, father of Daan.
    pub parent: User,
    /// Noor Jansen, 16 today.
    pub pupil16: User,
    /// Daan de Vries, 12.
    pub pupil12: User,
    pub other_admin: User,
    pub daan: PersonId,
    pub sanne: PersonId,
    pub noor: PersonId,
    pub peter: PersonId,
    pub other_pupil: PersonId,
}

pub const PASSWORD: &str = "correct horse battery";

pub fn years_ago(years: i32, days_more: i64) -> String {
    let today = OffsetDateTime::now_utc().date();
    let d = Date::from_calendar_date(today.year() - years, today.month(), today.day().min(28)).expect("a date") - Duration::days(days_more);
    d.format(format_description!("[year]-[month]-[day]")).expect("formatted")
}

fn person(external_id: &str, name: &str, role: Role, dob: Option<String>, group: Option<&str>) -> PersonInput {
    let date_of_birth = dob.map(|d| Date::parse(&d, format_description!("[year]-[month]-[day]")).expect("a date"));
    PersonInput { external_id: external_id.into(), name: name.into(), role, date_of_birth, group: group.map(Into::into) }
}

async fn account(store: &Store, email: &str, name: &str, grant: Grant) -> User {
    let system = Actor::new("test:seed").expect("actor");
    let new = NewAccount { email: email.into(), name: name.into(), password: Some(PASSWORD.into()) };
    let a = store.create_account(&new, &grant, &system).await.expect("account");
    let s = store
        .create_session(a.id, &NewSession::ApiToken { name: "test".into() }, SessionPolicy::api_token())
        .await
        .expect("token");
    User { email: email.into(), token: s.token }
}

pub async fn seed(store: &Store) -> Seed {
    let system = Actor::new("test:seed").expect("actor");
    let board = store.create_board("Stichting Proef").await.expect("board");
    let new = |name: &str| NewSchool { name: name.into(), brin: None, renewal: RenewalPolicy::OnPurposeChange };
    let school = store.create_school(board.id, &new("De Linde"), &system).await.expect("school");
    let other = store.create_school(board.id, &new("Het Baken"), &system).await.expect("school");
    let other_board = store.create_board("Stichting Elders").await.expect("board");
    let far = store.create_school(other_board.id, &new("De Verre Horizon"), &system).await.expect("school");
    for s in [school.id, other.id, far.id] {
        store.adopt_protocol(s, "cvo-nwf", None, &system).await.expect("adopt");
    }
    let rows = vec![
        person("LL-1001", "Daan de Vries", Role::Pupil, Some(years_ago(12, 0)), Some("7A")),
        person("LL-1002", "Sanne Bakker", Role::Pupil, Some(years_ago(12, 30)), Some("7A")),
        person("LL-1003", "Noor Jansen", Role::Pupil, Some(years_ago(16, 0)), Some("4H")),
        person("OU-2001", "Peter de Vries", Role::Parent, None, None),
        person("OU-2002", "Mira Jansen", Role::Parent, None, None),
        person("PE-3001", "Anna Smit", Role::Employee, None, None),
    ];
    let done = store.upsert_people(school.id, &rows, &system, Apply::Commit).await.expect("roster");
    let id = |ext: &str| done.iter().find(|u| u.person.external_id == ext).expect("seeded").person.id;
    let (daan, sanne, noor, peter, mira) = (id("LL-1001"), id("LL-1002"), id("LL-1003"), id("OU-2001"), id("OU-2002"));
    store.link_guardian(school.id, peter, daan, &system).await.expect("link");
    store.link_guardian(school.id, mira, noor, &system).await.expect("link");
    let other_rows = vec![person("X-1", "Bram Visser", Role::Pupil, Some(years_ago(10, 0)), Some("5B"))];
    let other_done = store.upsert_people(other.id, &other_rows, &system, Apply::Commit).await.expect("roster");

    Seed {
        board: board.id.0,
        school: school.id,
        other_school: other.id,
        board_admin: account(store, "bestuur@proef.nl", "Bea Bestuur", Grant::BoardAdmin { board: board.id }).await,
        admin: account(store, "directie@linde.nl", "Dirk Directie", Grant::SchoolAdmin { school: school.id }).await,
        leidinggevende: account(store, "teamleider@linde.nl", "Tom Teamleider", Grant::Leidinggevende { school: school.id }).await,
        teacher: account(store, "anna.smit@linde.nl", "Anna Smit", Grant::Employee { school: school.id }).await,
        parent: account(store, "peter@example.nl", "Peter de Vries", Grant::Guardian { school: school.id, person: peter }).await,
        pupil16: account(store, "noor@leerling.linde.nl", "Noor Jansen", Grant::Pupil { school: school.id, person: noor }).await,
        pupil12: account(store, "daan@leerling.linde.nl", "Daan de Vries", Grant::Pupil { school: school.id, person: daan }).await,
        other_admin: account(store, "directie@baken.nl", "Bas Baken", Grant::SchoolAdmin { school: other.id }).await,
        daan,
        sanne,
        noor,
        peter,
        other_pupil: other_done[0].person.id,
    }
}
