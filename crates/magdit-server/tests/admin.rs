//! Accounts, AVG export and erasure, retention settings and stored checks over real HTTP, on
//! SQLite and on PostgreSQL.

mod common;

use common::{seed, App, PASSWORD};
use magdit_store::{Actor, Grant, NewSession, SessionPolicy, Store};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A browser that logs in as `email` and sends its CSRF token with every change.
struct Browser {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Browser {
    async fn login(app: &App, email: &str, password: &str) -> Result<Browser, StatusCode> {
        let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let resp = http
            .post(format!("{}/api/v1/auth/login", app.base))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        if resp.status() != StatusCode::OK {
            return Err(resp.status());
        }
        let csrf = resp.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();
        Ok(Browser { http, base: app.base.clone(), csrf })
    }

    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base)).header("x-csrf-token", &self.csrf);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

/// The school's stored checks as `token` sees them, once the background writer has stored
/// `at_least` of them (it writes in batches, off the request path).
async fn stored_checks(app: &App, school: &str, token: &str, at_least: usize) -> Value {
    for _ in 0..200 {
        let (s, page) = app.get(&format!("{school}/checks"), token).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        if page["items"].as_array().unwrap().len() >= at_least {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the checks were not stored");
}

const POST_ABOUT_SPORTS_DAY: &str = r#"{"actor":{"role":"employee"},"action":"post",
  "channel":{"kind":"social_media","audience":"public"},"content":{"text":"Wat een mooie sportdag!"}}"#;

async fn an_admin_creates_a_teacher_who_logs_in_and_checks(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let school = format!("/api/v1/schools/{}", seed.school);
    let new = json!({"email": "Jip.Jansen@Linde.nl", "name": "Jip Jansen", "password": "een goed wachtwoord",
        "grant": {"role": "employee"}});
    let (s, created) = app.post(&format!("{school}/accounts"), &seed.admin.token, new.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["grants"], json!([{"role": "employee", "school": seed.school.0}]));
    assert_eq!(created["has_password"], true);
    assert!(!created.to_string().contains("argon2"), "no hash leaves the service: {created}");
    let id = created["id"].as_i64().unwrap();

    let (s, p) = app.post(&format!("{school}/accounts"), &seed.admin.token, new).await;
    assert_eq!(s, StatusCode::CONFLICT, "the address is taken whatever its case: {p}");

    // The new teacher logs in and checks; the check is stored as theirs.
    let jip = Browser::login(&app, "jip.jansen@linde.nl", "een goed wachtwoord").await.expect("login");
    let (s, v) = jip.call(Method::POST, &format!("{school}/check"), Some(serde_json::from_str(POST_ABOUT_SPORTS_DAY).unwrap())).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let page = stored_checks(&app, &school, &seed.admin.token, 1).await;
    assert_eq!(page["items"][0]["account"], id, "{page}");

    // The school's list shows the account with its grants here; another school's admin
    // finds neither the school nor the account.
    let (s, list) = app.get(&format!("{school}/accounts?limit=500"), &seed.admin.token).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let row = list["items"].as_array().unwrap().iter().find(|a| a["id"] == id).expect("listed");
    assert_eq!(row["email"], "Jip.Jansen@Linde.nl");
    assert!(!list.to_string().contains("password_hash") && !list.to_string().contains("argon2"));
    let (s, _) = app.get(&format!("{school}/accounts/{id}"), &seed.other_admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get(&format!("/api/v1/schools/{}/accounts/{id}", seed.other_school), &seed.other_admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "an account of another school is not found");

    // Paged by address.
    let (_, first) = app.get(&format!("{school}/accounts?limit=2"), &seed.admin.token).await;
    let cursor = first["next"].as_str().expect("a next page");
    let resp = app.http.get(format!("{}{school}/accounts", app.base)).query(&[("limit", "2"), ("cursor", cursor)]).bearer_auth(&seed.admin.token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let second: Value = resp.json().await.unwrap();
    assert_ne!(first["items"][0]["id"], second["items"][0]["id"]);

    // An account without a password signs in through OIDC, or gets one later.
    let oidc = json!({"email": "leerkracht@linde.nl", "name": "Lies Leerkracht", "grant": {"role": "leidinggevende"}});
    let (s, created) = app.post(&format!("{school}/accounts"), &seed.admin.token, oidc).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["has_password"], false);
}

async fn grants_stay_inside_the_school(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let school = format!("/api/v1/schools/{}", seed.school);
    let create = |grant: Value| json!({"email": "mira@example.nl", "name": "Mira Jansen", "password": PASSWORD, "grant": grant});
    let accounts = format!("{school}/accounts");

    let (s, p) = app.post(&accounts, &seed.admin.token, json!({"email": "x@example.nl", "name": " ", "grant": {"role": "employee"}})).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("name")), "{p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "board_admin"}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grant.role")), "{p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "guardian"}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grant.person")), "{p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "employee", "person": seed.noor.0}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grant.person")), "{p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "guardian", "person": seed.other_pupil.0}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("grant.person")), "another school's person: {p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "guardian", "person": seed.sanne.0}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "a guardian grant needs a parent, not a pupil: {p}");
    let (s, p) = app.post(&accounts, &seed.admin.token, create(json!({"role": "guardian", "person": seed.peter.0}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "Peter has an account already: {p}");

    // Mira, Noor's mother, gets her guardian grant and sees her daughter.
    let (_, parents) = app.get(&format!("{school}/people?role=parent&q=Mira"), &seed.admin.token).await;
    let mira_id = parents["items"][0]["id"].as_i64().unwrap();
    let (s, created) = app.post(&accounts, &seed.admin.token, create(json!({"role": "guardian", "person": mira_id}))).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let mira = Browser::login(&app, "mira@example.nl", PASSWORD).await.expect("login");
    let (_, mine) = mira.call(Method::GET, &format!("{school}/people"), None).await;
    let names: Vec<&str> = mine["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Mira Jansen", "Noor Jansen"]);

    // Grants are given and taken in this school only.
    let teacher = store.account_by_email(&seed.teacher.email).await.unwrap().id;
    let grants = format!("{accounts}/{teacher}/grants");
    let (s, _) = app.post(&grants, &seed.admin.token, json!({"role": "leidinggevende"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = app.post(&grants, &seed.admin.token, json!({"role": "leidinggevende"})).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "held already");
    let (s, _) = app.post(&format!("/api/v1/schools/{}/accounts/{teacher}/grants", seed.other_school), &seed.other_admin.token, json!({"role": "employee"})).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "school B's admin cannot reach school A's teacher");
    let (s, _) = app.call(Method::DELETE, &format!("{grants}/leidinggevende"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.call(Method::DELETE, &format!("{grants}/leidinggevende"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "no longer held");

    // An admin does not lock themself out.
    let admin = store.account_by_email(&seed.admin.email).await.unwrap().id;
    let (s, _) = app.call(Method::DELETE, &format!("{accounts}/{admin}/grants/school_admin"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = app.call(Method::POST, &format!("{accounts}/{admin}/disable"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // The teacher's last grant taken: disabled and signed out; the change is audited.
    let (s, _) = app.call(Method::DELETE, &format!("{grants}/employee"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get("/api/v1/me", &seed.teacher.token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (_, log) = app.get(&format!("{school}/audit?limit=500"), &seed.admin.token).await;
    let revoked = log.as_array().unwrap().iter().any(|e| e["entity"] == "grant" && e["entity_id"] == teacher.to_string() && e["action"] == "remove");
    assert!(revoked, "{log}");
}

async fn passwords_are_reset_by_admins_of_every_school_and_changed_by_their_owner(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let school = format!("/api/v1/schools/{}", seed.school);
    let teacher = store.account_by_email(&seed.teacher.email).await.unwrap().id;
    let reset = format!("{school}/accounts/{teacher}/password");

    let (s, p) = app.call(Method::PUT, &reset, Some(&seed.admin.token), Some(&json!({"password": "kort"}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("password")), "{p}");
    let (s, _) = app.call(Method::PUT, &reset, Some(&seed.admin.token), Some(&json!({"password": "nieuw wachtwoord 1"}))).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get("/api/v1/me", &seed.teacher.token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a reset signs the account out everywhere");
    assert!(Browser::login(&app, &seed.teacher.email, PASSWORD).await.is_err());
    let anna = Browser::login(&app, &seed.teacher.email, "nieuw wachtwoord 1").await.expect("the new password works");

    // Her own change needs the current password, and ends her other sessions.
    let (s, t) = anna.call(Method::POST, "/api/v1/auth/tokens", Some(json!({"name": "koppeling"}))).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let token = t["token"].as_str().unwrap().to_owned();
    let (s, p) = anna.call(Method::PUT, "/api/v1/me/password", Some(json!({"current_password": "fout", "password": "mijn eigen wachtwoord"}))).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("current_password")), "{p}");
    let (s, _) = anna.call(Method::PUT, "/api/v1/me/password", Some(json!({"current_password": "nieuw wachtwoord 1", "password": "mijn eigen wachtwoord"}))).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get("/api/v1/me", &token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "the other sessions ended");
    let (s, me) = anna.call(Method::GET, "/api/v1/me", None).await;
    assert_eq!(s, StatusCode::OK, "this session stays: {me}");
    assert!(Browser::login(&app, &seed.teacher.email, "mijn eigen wachtwoord").await.is_ok());

    // Her sessions: metadata only; one ends on request; another's is not hers to end.
    let (s, list) = anna.call(Method::GET, "/api/v1/me/sessions", None).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let list = list.as_array().unwrap();
    assert_eq!(list.iter().filter(|x| x["current"] == true).count(), 1);
    assert!(list.iter().all(|x| x.get("token").is_none() && x.get("token_sha256").is_none() && x.get("csrf_token").is_none()));
    let other = list.iter().find(|x| x["current"] == false && x["active"] == true).expect("the later login")["id"].as_i64().unwrap();
    let (s, _) = anna.call(Method::DELETE, &format!("/api/v1/me/sessions/{other}"), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.call(Method::DELETE, &format!("/api/v1/me/sessions/{other}"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A teacher who also works at Het Baken: only the board, which administers both, resets
    // her password or disables her.
    store.grant(teacher, &Grant::Employee { school: seed.other_school }, &Actor::new("test").unwrap()).await.unwrap();
    let body = json!({"password": "weer een ander"});
    let (s, _) = app.call(Method::PUT, &reset, Some(&seed.admin.token), Some(&body)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.call(Method::POST, &format!("{school}/accounts/{teacher}/disable"), Some(&seed.admin.token), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.call(Method::PUT, &reset, Some(&seed.board_admin.token), Some(&body)).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    // (Logins are rate limited per address, so the rest goes by tokens.)
    let token = |store: Store| async move {
        store.create_session(teacher, &NewSession::ApiToken { name: "t".into() }, SessionPolicy::api_token()).await.map(|c| c.token)
    };
    let before = token(store.clone()).await.unwrap();
    let (s, a) = app.call(Method::POST, &format!("{school}/accounts/{teacher}/disable"), Some(&seed.board_admin.token), None).await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert!(a["disabled_at"].is_string(), "{a}");
    let (s, _) = app.get("/api/v1/me", &before).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "disabled and signed out");
    assert!(token(store.clone()).await.is_err(), "a disabled account gets no session");
    let (s, a) = app.call(Method::POST, &format!("{school}/accounts/{teacher}/enable"), Some(&seed.board_admin.token), None).await;
    assert_eq!((s, &a["disabled_at"]), (StatusCode::OK, &Value::Null), "{a}");
    let after = token(store.clone()).await.unwrap();
    let (s, _) = app.get("/api/v1/me", &after).await;
    assert_eq!(s, StatusCode::OK);
}

async fn erasure_needs_confirmation_and_reaches_every_table(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let school = format!("/api/v1/schools/{}", seed.school);
    let daan = format!("{school}/people/{}", seed.daan);
    app.post(&format!("{daan}/consent/social_media"), &seed.parent.token, json!({"action": "give"})).await;

    // Inzage: a JSON download with everything about Daan.
    let resp = app.http.get(format!("{}{daan}/export", app.base)).bearer_auth(&seed.admin.token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let export: Value = resp.json().await.unwrap();
    assert_eq!(export["person"]["name"], "Daan de Vries");
    assert_eq!(export["guardians"][0]["name"], "Peter de Vries");
    assert_eq!(export["consent_as_pupil"][0]["action"], "give", "{export}");
    assert_eq!(export["accounts"][0]["account"]["email"], "daan@leerling.linde.nl");
    let (s, _) = app.get(&format!("{daan}/export"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Erasure is refused without the name, with a wrong one, and to anyone but an admin.
    for body in [json!({}), json!({"confirm": "Daan"}), json!({"confirm": "Sanne Bakker"})] {
        let (s, p) = app.post(&format!("{daan}/erase"), &seed.admin.token, body).await;
        assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("confirm")), "{p}");
    }
    let (s, _) = app.post(&format!("{daan}/erase"), &seed.teacher.token, json!({"confirm": "Daan de Vries"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&daan, &seed.admin.token).await;
    assert_eq!(s, StatusCode::OK, "nothing was erased yet");

    let (s, done) = app.post(&format!("{daan}/erase"), &seed.admin.token, json!({"confirm": " Daan de Vries "})).await;
    assert_eq!(s, StatusCode::OK, "{done}");
    assert_eq!(done["consent_changes"], 1, "{done}");
    assert_eq!(done["guardian_links"], 1, "{done}");
    assert_eq!(done["accounts_anonymised"].as_array().unwrap().len(), 1, "his pupil account: {done}");

    // Gone from the roster, the class view and his father's children; his account is closed.
    let (s, _) = app.get(&daan, &seed.admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, class) = app.get(&format!("{school}/consent?group=7A"), &seed.teacher.token).await;
    let names: Vec<&str> = class.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Sanne Bakker"]);
    let (_, mine) = app.get(&format!("{school}/people"), &seed.parent.token).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1, "only Peter himself: {mine}");
    let (s, _) = app.get("/api/v1/me", &seed.pupil12.token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // The chain records the erasure in counts and still verifies; no name is left in it.
    let (_, log) = app.get(&format!("{school}/audit?limit=500"), &seed.admin.token).await;
    let entries = log.as_array().unwrap();
    assert!(entries.iter().any(|e| e["entity"] == "person" && e["action"] == "erase"), "{log}");
    assert!(!log.to_string().contains("Daan"), "{log}");
    let (_, v) = app.get(&format!("{school}/audit/verify"), &seed.admin.token).await;
    assert_eq!(v["broken"], Value::Null, "{v}");
}

async fn a_teacher_sees_their_own_checks_a_leidinggevende_all(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let school = format!("/api/v1/schools/{}", seed.school);
    let post: Value = serde_json::from_str(POST_ABOUT_SPORTS_DAY).unwrap();
    let (s, _) = app.post(&format!("{school}/check?save=true"), &seed.teacher.token, post).await;
    assert_eq!(s, StatusCode::OK);
    let parent_post = json!({"actor": {"role": "parent"}, "action": "post", "channel": {"kind": "social_media"},
        "content": {"text": "Hoera, vakantie!"}});
    let (s, _) = app.post(&format!("{school}/check"), &seed.parent.token, parent_post).await;
    assert_eq!(s, StatusCode::OK);

    let all = stored_checks(&app, &school, &seed.leidinggevende.token, 2).await;
    assert_eq!(all["items"].as_array().unwrap().len(), 2, "{all}");
    let teacher = store.account_by_email(&seed.teacher.email).await.unwrap().id.0;
    let theirs = |page: &Value, account: i64| page["items"].as_array().unwrap().iter().find(|c| c["account"] == account).unwrap()["id"].as_i64().unwrap();
    let parent = store.account_by_email(&seed.parent.email).await.unwrap().id.0;
    let (teachers_check, parents_check) = (theirs(&all, teacher), theirs(&all, parent));

    // The teacher's list has only theirs, before paging: one page of one, and no next.
    let (_, own) = app.get(&format!("{school}/checks?limit=1"), &seed.teacher.token).await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1, "{own}");
    assert_eq!(own["items"][0]["account"], teacher);
    assert_eq!(own["items"][0]["has_text"], true, "saved on request");
    assert!(own["next"].is_null(), "{own}");
    let (s, c) = app.get(&format!("{school}/checks/{teachers_check}"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["text"], "Wat een mooie sportdag!");
    let (s, _) = app.get(&format!("{school}/checks/{parents_check}"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another's check is not found");
    let (s, c) = app.get(&format!("{school}/checks/{parents_check}"), &seed.leidinggevende.token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["text"], Value::Null, "not saved: only verdict and facts are kept");

    // Paged for those who see all: newest first.
    let (_, first) = app.get(&format!("{school}/checks?limit=1"), &seed.admin.token).await;
    assert_eq!(first["items"][0]["id"], parents_check);
    let next = first["next"].as_str().expect("a next page");
    let (_, second) = app.get(&format!("{school}/checks?limit=1&cursor={next}"), &seed.admin.token).await;
    assert_eq!(second["items"][0]["id"], teachers_check);
    let (s, p) = app.get(&format!("{school}/checks?cursor=abc"), &seed.admin.token).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("cursor")));
    let (s, _) = app.get(&format!("/api/v1/schools/{}/checks/{teachers_check}", seed.other_school), &seed.other_admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another school's check");
}

async fn retention_periods_are_validated_and_audited(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let retention = format!("/api/v1/schools/{}/retention", seed.school);
    let (s, r) = app.get(&retention, &seed.admin.token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r, json!({"checks_days": 365, "check_texts_days": 30, "sessions_days": 90, "audit_payloads_days": 730}));

    let put = |body: Value| {
        let (app, retention, token) = (&app, &retention, &seed.admin.token);
        async move { app.call(Method::PUT, retention, Some(token), Some(&body)).await }
    };
    let (s, p) = put(json!({"checks_days": 0, "check_texts_days": 30, "sessions_days": 90, "audit_payloads_days": 730})).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("checks_days")), "{p}");
    let (s, p) = put(json!({"checks_days": 365, "check_texts_days": 30, "sessions_days": 90, "audit_payloads_days": 4000})).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("audit_payloads_days")), "{p}");
    let (s, p) = put(json!({"checks_days": -1, "check_texts_days": 30, "sessions_days": 90, "audit_payloads_days": 730})).await;
    assert_eq!((s, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("checks_days")), "{p}");
    let (s, p) = put(json!({"checks_days": 365})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "every period is given: {p}");
    let (s, p) = put(json!({"checks_days": 365, "check_texts_days": 7, "sessions_days": 90, "audit_payloads_days": 730, "texts": 1})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are errors: {p}");

    let short = json!({"checks_days": 180, "check_texts_days": 7, "sessions_days": 30, "audit_payloads_days": 365});
    let (s, r) = put(short.clone()).await;
    assert_eq!((s, &r), (StatusCode::OK, &short));
    let (_, r) = app.get(&retention, &seed.admin.token).await;
    assert_eq!(r, short);
    let (_, log) = app.get(&format!("/api/v1/schools/{}/audit?limit=500", seed.school), &seed.admin.token).await;
    assert!(log.as_array().unwrap().iter().any(|e| e["entity"] == "retention"), "{log}");
    let (s, _) = app.call(Method::PUT, &retention, Some(&seed.leidinggevende.token), Some(&short)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

magdit_store::on_both_stores!(
    an_admin_creates_a_teacher_who_logs_in_and_checks,
    grants_stay_inside_the_school,
    passwords_are_reset_by_admins_of_every_school_and_changed_by_their_owner,
    erasure_needs_confirmation_and_reaches_every_table,
    a_teacher_sees_their_own_checks_a_leidinggevende_all,
    retention_periods_are_validated_and_audited,
);
