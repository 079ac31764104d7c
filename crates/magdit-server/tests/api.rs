//! The HTTP API over real HTTP, on SQLite and on PostgreSQL.

mod common;

use common::{seed, App, PASSWORD};
use magdit_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn health_metrics_and_openapi(store: Store) {
    let app = App::start(store).await;
    for (path, status) in [("/healthz", 200), ("/readyz", 200), ("/metrics", 200), ("/api/v1/openapi.json", 200)] {
        let (s, _) = app.call(Method::GET, path, None, None).await;
        assert_eq!(s.as_u16(), status, "{path}");
    }
    let (_, doc) = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert!(doc["paths"]["/api/v1/schools/{school}/check"]["post"].is_object());
    let (_, metrics) = app.call(Method::GET, "/metrics", None, None).await;
    assert!(metrics.as_str().unwrap().contains("magdit_http_requests_total"), "{metrics}");
}

// A parent's post: CVO's articles on publishing images bind every betrokkene, and the
// personal-opinion notice (C.5) only employees.
const PHOTO_OF_DAAN: &str = r#"{"actor":{"role":"parent"},"action":"post",
  "channel":{"kind":"social_media","name":"instagram","audience":"public"},
  "content":{"text":"Wat een mooie sportdag!","media":[{"kind":"photo","school_situation":true,"depicts":["Daan de Vries"]}]}}"#;

async fn check_uses_the_consent_registry(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let check = format!("/api/v1/schools/{}/check", seed.school);
    let photo: Value = serde_json::from_str(PHOTO_OF_DAAN).unwrap();

    // No consent on record: not allowed as it is, and the article is cited.
    let (s, v) = app.post(&check, &seed.parent.token, photo.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["protocol"], "cvo-nwf");
    assert_eq!(v["verdict"], "conditional", "{v}");
    assert!(v["findings"].as_array().unwrap().iter().any(|f| f["article"] == "A.2"), "{v}");

    // His father gives consent for social media: the same check is allowed.
    let consent = format!("/api/v1/schools/{}/people/{}/consent/social_media", seed.school, seed.daan);
    let (s, r) = app.post(&consent, &seed.parent.token, json!({"action": "give"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["change"]["channel"], "api");
    let (_, v) = app.post(&check, &seed.parent.token, photo.clone()).await;
    assert_eq!(v["verdict"], "allowed", "{v}");

    // Withdrawn: forbidden at once.
    let (s, _) = app.post(&consent, &seed.parent.token, json!({"action": "withdraw"})).await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = app.post(&check, &seed.parent.token, photo).await;
    assert_eq!(v["verdict"], "forbidden", "{v}");
}

async fn names_in_the_text_come_from_the_roster(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let body = json!({"actor": {"role": "employee"}, "action": "post",
        "channel": {"kind": "social_media", "audience": "public"},
        "content": {"text": "Sanne Bakker heeft vandaag de voorleeswedstrijd gewonnen!"}});
    let (s, v) = app.post(&format!("/api/v1/schools/{}/check", seed.school), &seed.teacher.token, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["facts"]["people"][0]["person"], seed.sanne.0.to_string(), "{v}");
    assert_ne!(v["verdict"], "allowed", "Sanne's consent is unknown: {v}");
}

async fn bad_check_input_is_a_problem_naming_the_field(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let check = format!("/api/v1/schools/{}/check", seed.school);
    let (s, p) = app.post(&check, &seed.teacher.token, json!({"actor": {"role": "teacher"}, "action": "post"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "actor.role", "{p}");
    assert_eq!(p["status"], 422);

    let (s, p) = app.post(&check, &seed.teacher.token, json!({"protocol": "kc-de-marel", "actor": {"role": "pupil"}, "action": "post"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "protocol", "{p}");

    let photo = PHOTO_OF_DAAN.replace("Daan de Vries", "Piet Puk");
    let (s, p) = app.post(&check, &seed.teacher.token, serde_json::from_str(&photo).unwrap()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "content.media[0].depicts[0]", "{p}");

    let resp = app
        .http
        .post(format!("{}{check}", app.base))
        .bearer_auth(&seed.teacher.token)
        .header("content-type", "application/json")
        .body("{\"actor\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");

    let huge = "x".repeat(3 * 1024 * 1024);
    let resp = app.http.post(format!("{}{check}", app.base)).bearer_auth(&seed.teacher.token).body(huge).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

async fn employees_see_only_yes_no_unknown(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let base = format!("/api/v1/schools/{}/people/{}/consent", seed.school, seed.daan);
    app.post(&format!("{base}/website"), &seed.parent.token, json!({"action": "refuse"})).await;

    let (s, c) = app.get(&base, &seed.teacher.token).await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let website = c["purposes"].as_array().unwrap().iter().find(|p| p["purpose"] == "website").unwrap();
    assert_eq!(website["state"], "refused");
    assert!(website.get("decided_at").is_none() && c.get("decider").is_none(), "{c}");
    let (s, _) = app.get(&format!("{base}/history"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (_, c) = app.get(&base, &seed.parent.token).await;
    assert_eq!(c["decider"]["who"], "guardians", "{c}");
    let (s, h) = app.get(&format!("{base}/history"), &seed.admin.token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[0]["action"], "refuse");

    let (s, class) = app.get(&format!("/api/v1/schools/{}/consent?group=7A", seed.school), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::OK, "{class}");
    assert_eq!(class.as_array().unwrap().len(), 2);
    let daan = class.as_array().unwrap().iter().find(|r| r["name"] == "Daan de Vries").unwrap();
    assert_eq!(daan["consent"]["website"], "refused");
    assert_eq!(daan["consent"]["social_media"], "unknown");
}

async fn a_pupil_of_16_decides_for_themself(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let noor = format!("/api/v1/schools/{}/people/{}/consent", seed.school, seed.noor);
    let (s, r) = app.post(&format!("{noor}/social_media"), &seed.pupil16.token, json!({"action": "give"})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["change"]["decided_by"], seed.noor.0);
    let (_, c) = app.get(&noor, &seed.pupil16.token).await;
    assert_eq!(c["decider"]["who"], "pupil", "{c}");

    // A 12-year-old cannot decide for themself; their parent can.
    let daan = format!("/api/v1/schools/{}/people/{}/consent/social_media", seed.school, seed.daan);
    let (s, p) = app.post(&daan, &seed.pupil12.token, json!({"action": "give"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    // An admin records a paper form, naming who signed it.
    let (s, p) = app.post(&daan, &seed.admin.token, json!({"action": "give"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "decided_by");
    let (s, r) = app.post(&daan, &seed.admin.token, json!({"action": "give", "decided_by": seed.peter.0})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["change"]["channel"], "paper");
}

async fn roster_pages_and_guardian_view(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let people = format!("/api/v1/schools/{}/people", seed.school);
    let (s, page) = app.get(&format!("{people}?limit=4"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::OK, "{page}");
    assert_eq!(page["items"].as_array().unwrap().len(), 4);
    let next = page["next"].as_str().expect("a next page");
    let (_, rest) = app.get(&format!("{people}?limit=4&cursor={}", urlencode(next)), &seed.teacher.token).await;
    assert_eq!(rest["items"].as_array().unwrap().len(), 2, "{rest}");
    assert!(rest["next"].is_null());
    assert!(page["items"][0].get("date_of_birth").is_none(), "employees do not see dates of birth");

    let (_, mine) = app.get(&people, &seed.parent.token).await;
    let names: Vec<&str> = mine["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Peter de Vries", "Daan de Vries"]);
    let (s, _) = app.get(&format!("{people}/{}", seed.sanne), &seed.parent.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another child is invisible to a parent");

    let (s, p) = app.get(&format!("{people}?limit=0"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "limit");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

async fn cookie_login_needs_csrf_for_changes(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let browser = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = format!("{}/api/v1/auth/login", app.base);
    let wrong = browser.post(&login).json(&json!({"email": seed.parent.email, "password": "wrong"})).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let ok = browser.post(&login).json(&json!({"email": seed.parent.email.to_uppercase(), "password": PASSWORD})).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let csrf = ok.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_owned();

    let me = browser.get(format!("{}/api/v1/me", app.base)).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(me["grants"][0]["role"], "guardian", "{me}");

    let consent = format!("{}/api/v1/schools/{}/people/{}/consent/newsletter", app.base, seed.school, seed.daan);
    let no_csrf = browser.post(&consent).json(&json!({"action": "give"})).send().await.unwrap();
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);
    let with = browser.post(&consent).header("x-csrf-token", &csrf).json(&json!({"action": "give"})).send().await.unwrap();
    assert_eq!(with.status(), StatusCode::OK);
    assert_eq!(with.json::<Value>().await.unwrap()["change"]["channel"], "web");

    let out = browser.post(format!("{}/api/v1/auth/logout", app.base)).header("x-csrf-token", &csrf).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let after = browser.get(format!("{}/api/v1/me", app.base)).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

async fn login_is_rate_limited(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let (s, _) = app.call(Method::POST, "/api/v1/auth/login", None, Some(&json!({"email": seed.admin.email, "password": "guess"}))).await;
        statuses.push(s.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
}

async fn foreign_schools_do_not_exist(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let (s, p) = app.get(&format!("/api/v1/schools/{}/people", seed.other_school), &seed.admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{p}");
    let (s, _) = app.get(&format!("/api/v1/schools/{}/people/{}", seed.school, seed.other_pupil), &seed.admin.token).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, schools) = app.get("/api/v1/schools", &seed.board_admin.token).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(schools.as_array().unwrap().len(), 2, "the board's two schools, not the other board's: {schools}");
    let (s, _) = app.call(Method::GET, "/api/v1/schools", None, None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

async fn changes_are_audited_and_the_chain_verifies(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let base = format!("/api/v1/schools/{}", seed.school);
    let (s, _) = app
        .call(Method::PUT, &format!("{base}/protocol"), Some(&seed.admin.token), Some(&json!({"protocol": "vmbo-maastricht"})))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, log) = app.get(&format!("{base}/audit?limit=500"), &seed.admin.token).await;
    assert!(log.as_array().unwrap().iter().any(|e| e["action"] == "adopt_protocol"), "{log}");
    let (_, v) = app.get(&format!("{base}/audit/verify"), &seed.admin.token).await;
    assert_eq!(v["broken"], Value::Null, "{v}");
    let (s, _) = app.get(&format!("{base}/audit"), &seed.teacher.token).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

async fn roster_import_dry_run_then_commit(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let csv = "Stamnr;Roepnaam;Tussenv.;Achternaam;Geb.datum;Klas\n\
               LL-2001;Jesse;van den;Berg;03-04-2013;7B\n\
               LL-2002;Fleur;;Mulder;31-02-2013;7B\n\
               LL-1001;Daan;de;Vries;;7A\n";
    let url = |dry: bool| format!("{}/api/v1/schools/{}/imports?dry_run={dry}", app.base, seed.school);
    let send = |dry: bool, token: String| {
        let req = app.http.post(url(dry)).bearer_auth(token).header("content-type", "text/csv").body(csv);
        async move { let r = req.send().await.unwrap(); (r.status(), r.json::<Value>().await.unwrap_or(Value::Null)) }
    };
    let (s, report) = send(true, seed.admin.token.clone()).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["rejected"][0]["line"], 3, "{report}");
    assert_eq!(report["rows"][0]["outcome"], "created");
    let (_, list) = app.get(&format!("/api/v1/schools/{}/people?q=Jesse", seed.school), &seed.admin.token).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0, "a dry run writes nothing");

    let (s, report) = send(false, seed.admin.token.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(report["rows"][0]["outcome"], "created");
    let (_, again) = send(false, seed.admin.token.clone()).await;
    assert!(again["rows"].as_array().unwrap().iter().all(|r| r["outcome"] == "unchanged"), "{again}");

    let (s, _) = send(true, seed.teacher.token.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let export = app.http.get(format!("{}/api/v1/schools/{}/export", app.base, seed.school)).bearer_auth(&seed.admin.token).send().await.unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.text().await.unwrap().contains("Jesse van den Berg"));
}

async fn tokens_carry_the_accounts_grants(store: Store) {
    let app = App::start(store.clone()).await;
    let seed = seed(&store).await;
    let (s, t) = app.post("/api/v1/auth/tokens", &seed.teacher.token, json!({"name": "roosterkoppeling", "days": 7})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    let token = t["token"].as_str().unwrap();
    let (_, me) = app.get("/api/v1/me", token).await;
    assert_eq!(me["grants"], json!([{"role": "employee", "school": seed.school.0}]));
    let (s, p) = app.post("/api/v1/auth/tokens", &seed.teacher.token, json!({"name": "x", "days": 400})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(p["field"], "days");
    let (s, _) = app.call(Method::POST, "/api/v1/auth/logout", Some(token), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, _) = app.get("/api/v1/me", token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "a revoked token no longer works");
}

magdit_store::on_both_stores!(
    tokens_carry_the_accounts_grants,
    roster_import_dry_run_then_commit,
    health_metrics_and_openapi,
    check_uses_the_consent_registry,
    names_in_the_text_come_from_the_roster,
    bad_check_input_is_a_problem_naming_the_field,
    employees_see_only_yes_no_unknown,
    a_pupil_of_16_decides_for_themself,
    roster_pages_and_guardian_view,
    cookie_login_needs_csrf_for_changes,
    login_is_rate_limited,
    foreign_schools_do_not_exist,
    changes_are_audited_and_the_chain_verifies,
);
