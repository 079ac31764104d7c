//! A school's own protocol file over HTTP, on SQLite and on PostgreSQL: validation with
//! diagnostics, dry run, adoption, checks that use it in its school only, versions and audit.

mod common;

use common::{seed, App};
use magdit_store::{Actor, NewProtocolFile, SchoolId, Store};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// The shipped CVO-nwf file, the starting point of "our own" protocol.
fn cvo() -> &'static str {
    magdit_protocol::builtin::FILES.iter().find(|(name, _)| *name == "cvo-nwf.toml").expect("shipped").1
}

const A2_SHIPPED: &str = "Het is betrokkenen niet toegestaan om ongevraagd en zonder toestemming persoonsgegevens of beeldmateriaal van individuen te publiceren.";
const A2_OWN: &str = "Op De Linde publiceert niemand beeldmateriaal van leerlingen zonder schriftelijke toestemming.";

/// CVO-nwf as De Linde's own protocol: another id and school, article A.2 in its own words, and
/// images of people whose consent is not known forbidden rather than conditional.
fn own_file(version: &str) -> String {
    let unknown = "when = [\"media.consent_unknown\"]\noutcome = \"conditional\"";
    let own = cvo()
        .replacen("id = \"cvo-nwf\"", "id = \"de-linde\"", 1)
        .replacen("school = \"CVO Noord- en West-Fryslân\"", "school = \"De Linde\"", 1)
        .replacen("version = \"2.0\"", &format!("version = \"{version}\""), 1)
        .replacen(A2_SHIPPED, A2_OWN, 1)
        .replacen(unknown, &unknown.replace("conditional", "forbidden"), 1);
    for changed in ["id = \"de-linde\"", "school = \"De Linde\"", A2_OWN, "outcome = \"forbidden\"\nreason = { nl = \"Op het beeldmateriaal"] {
        assert!(own.contains(changed), "the test file lacks {changed}");
    }
    own
}

// A parent posts a school photo of Daan, whose consent is not on record.
fn photo_of(name: &str) -> Value {
    json!({"actor": {"role": "parent"}, "action": "post",
        "channel": {"kind": "social_media", "name": "instagram", "audience": "public"},
        "content": {"text": "Wat een mooie sportdag!", "media": [{"kind": "photo", "school_situation": true, "depicts": [name]}]}})
}

async fn put_file(app: &App, school: SchoolId, token: &str, query: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, String, Value) {
    let resp = app
        .http
        .put(format!("{}/api/v1/schools/{school}/protocol/file{query}", app.base))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the app answers");
    let status = resp.status();
    let kind = resp.headers().get("content-type").map(|v| v.to_str().unwrap_or("").to_owned()).unwrap_or_default();
    let text = resp.text().await.unwrap_or_default();
    (status, kind, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn finding<'a>(verdict: &'a Value, article: &str) -> &'a Value {
    verdict["findings"].as_array().unwrap().iter().find(|f| f["article"] == article).unwrap_or_else(|| panic!("no {article}: {verdict}"))
}

async fn a_misspelt_file_is_422_with_line_column_and_suggestion(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let misspelt = own_file("1.0").replacen("outcome = \"forbidden\"", "outcome = \"forbiden\"", 1);
    let line = misspelt.lines().position(|l| l.contains("forbiden")).unwrap() + 1;
    let (status, kind, p) = put_file(&app, s.school, &s.admin.token, "", "application/toml", misspelt.into_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(kind, "application/problem+json");
    assert_eq!((p["field"].as_str(), p["line"].as_u64()), (Some("file"), Some(line as u64)), "{p}");
    let d = &p["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(line as u64), Some(11)), "{p}");
    assert_eq!(d["suggestion"], "forbidden", "{p}");
    assert_eq!(d["help"], "did you mean `forbidden`?");
    assert_eq!(d["source_line"], "outcome = \"forbiden\"");
    assert!(d["message"].as_str().unwrap().contains("unknown outcome"), "{p}");

    // Nothing changed: the school still follows the shipped protocol.
    let (_, school) = app.get(&format!("/api/v1/schools/{}", s.school), &s.admin.token).await;
    assert_eq!((school["protocol"].as_str(), school["protocol_source"].as_str()), (Some("cvo-nwf"), Some("shipped")));
    assert!(store.protocol_files(s.school).await.unwrap().is_empty());

    // Not UTF-8: where, so it can be saved again properly.
    let mut latin1 = b"[protocol]\nid = \"caf".to_vec();
    latin1.extend([0xe9, b'"', b'\n']);
    let (status, _, p) = put_file(&app, s.school, &s.admin.token, "", "text/plain", latin1).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!((p["line"].as_u64(), p["column"].as_u64()), (Some(2), Some(10)), "{p}");
    // Only TOML or plain text, and at most 1 MB.
    let (status, kind, _) = put_file(&app, s.school, &s.admin.token, "", "application/json", b"{}".to_vec()).await;
    assert_eq!((status, kind.as_str()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/problem+json"));
    let huge = format!("{}\n#{}", own_file("1.0"), "x".repeat(1024 * 1024)).into_bytes();
    let (status, _, _) = put_file(&app, s.school, &s.admin.token, "", "application/toml", huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn only_admins_upload(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let file = || own_file("1.0").into_bytes();
    let (status, _, p) = put_file(&app, s.school, &s.teacher.token, "", "application/toml", file()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    let (status, _, p) = put_file(&app, s.school, &s.leidinggevende.token, "?dry_run=true", "application/toml", file()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    let (status, _, p) = put_file(&app, s.school, &s.other_admin.token, "", "application/toml", file()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another school's admin: {p}");
    let (status, _, _) = put_file(&app, s.school, &s.board_admin.token, "?dry_run=true", "application/toml", file()).await;
    assert_eq!(status, StatusCode::OK, "the board's admin is an admin of its schools");
    assert!(store.protocol_files(s.school).await.unwrap().is_empty());
}

async fn a_dry_run_stores_nothing(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let before = store.school(s.school).await.unwrap();
    let (status, _, r) = put_file(&app, s.school, &s.admin.token, "?dry_run=true", "application/toml", own_file("1.0").into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!((r["dry_run"].as_bool(), r["protocol"]["id"].as_str()), (Some(true), Some("de-linde")), "{r}");
    assert!(r["school"].is_null() && r["file"].is_null(), "{r}");
    assert!(store.protocol_files(s.school).await.unwrap().is_empty());
    assert_eq!(store.school(s.school).await.unwrap(), before, "no revision bump, no adoption");
    let (_, p) = app.get(&format!("/api/v1/schools/{}/protocol", s.school), &s.teacher.token).await;
    assert_eq!((p["id"].as_str(), p["source"].as_str()), (Some("cvo-nwf"), Some("shipped")), "{p}");
}

async fn an_own_protocol_rules_its_school_only(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let (status, _, r) = put_file(&app, s.school, &s.admin.token, "", "application/toml; charset=utf-8", own_file("1.0").into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["school"]["protocol"], "de-linde");
    assert_eq!((r["school"]["protocol_source"].as_str(), r["school"]["protocol_version"].as_str()), (Some("own"), Some("1.0")));
    let sha256 = r["file"]["sha256"].as_str().expect("the stored file").to_owned();

    // A check in the school cites the own file's article, in its words, with its outcome.
    let (status, v) = app.post(&format!("/api/v1/schools/{}/check", s.school), &s.parent.token, photo_of("Daan de Vries")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!((v["protocol"].as_str(), v["verdict"].as_str()), (Some("de-linde"), Some("forbidden")), "{v}");
    assert_eq!(finding(&v, "A.2")["quote"], A2_OWN);

    // Another school of the same board still checks under the shipped protocol.
    let other = format!("/api/v1/schools/{}/check", s.other_school);
    let (status, v) = app.post(&other, &s.other_admin.token, photo_of("Bram Visser")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!((v["protocol"].as_str(), v["verdict"].as_str()), (Some("cvo-nwf"), Some("conditional")), "{v}");
    assert_eq!(finding(&v, "A.2")["quote"], A2_SHIPPED);
    // … and cannot name the other school's protocol, which is not public either.
    let mut named = photo_of("Bram Visser");
    named["protocol"] = json!("de-linde");
    let (status, p) = app.post(&other, &s.other_admin.token, named).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("protocol")), "{p}");
    let (status, _) = app.get("/api/v1/protocols/de-linde", &s.admin.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The school's protocol page shows the own file, to everyone in the school.
    let (status, p) = app.get(&format!("/api/v1/schools/{}/protocol", s.school), &s.pupil16.token).await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!((p["id"].as_str(), p["school"].as_str(), p["source"].as_str()), (Some("de-linde"), Some("De Linde"), Some("own")));
    assert_eq!(p["sha256"], sha256.as_str());
    let section_a = p["sections"].as_array().unwrap().iter().find(|sec| sec["id"] == "A").expect("section A");
    assert_eq!(section_a["articles"][1]["text"], A2_OWN, "{section_a}");
    let (_, shipped) = app.get("/api/v1/protocols/cvo-nwf", &s.admin.token).await;
    let (_, b) = app.get(&format!("/api/v1/schools/{}/protocol", s.other_school), &s.other_admin.token).await;
    assert_eq!(b["source"], "shipped");
    assert_eq!(b["sections"], shipped["sections"], "the same shape and content as /protocols/{{id}}");

    // After a restart the file is loaded again at the first check.
    let restarted = App::start(store.clone()).await;
    let (_, v) = restarted.post(&format!("/api/v1/schools/{}/check", s.school), &s.parent.token, photo_of("Daan de Vries")).await;
    assert_eq!((v["protocol"].as_str(), v["verdict"].as_str()), (Some("de-linde"), Some("forbidden")), "{v}");
}

async fn a_new_version_keeps_history_and_is_audited(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    let (status, _, first) = put_file(&app, s.school, &s.admin.token, "", "text/plain", own_file("1.0").into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let v2 = own_file("2.0").replacen(A2_OWN, "Op De Linde publiceert niemand beeldmateriaal van leerlingen.", 1);
    let (status, _, second) = put_file(&app, s.school, &s.admin.token, "", "text/plain", v2.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["school"]["protocol_version"], "2.0");

    let files = store.protocol_files(s.school).await.unwrap();
    let versions: Vec<Option<&str>> = files.iter().map(|f| f.version.as_deref()).collect();
    assert_eq!(versions, [Some("2.0"), Some("1.0")], "both versions kept, newest first");
    assert_eq!(files[1].sha256, first["file"]["sha256"].as_str().unwrap());
    assert_eq!(files[0].uploaded_by, files[1].uploaded_by);

    let (_, v) = app.post(&format!("/api/v1/schools/{}/check", s.school), &s.parent.token, photo_of("Daan de Vries")).await;
    assert_eq!(finding(&v, "A.2")["quote"], "Op De Linde publiceert niemand beeldmateriaal van leerlingen.", "the check follows the new version");

    let (status, log) = app.get(&format!("/api/v1/schools/{}/audit?limit=500", s.school), &s.admin.token).await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let entries = log.as_array().unwrap();
    let adoptions: Vec<&Value> = entries.iter().filter(|e| e["action"] == "adopt_protocol").collect();
    assert_eq!(adoptions.len(), 3, "the seed's shipped one and two own files: {log}");
    for (entry, file) in adoptions[1..].iter().zip([&files[1], &files[0]]) {
        let after: Value = serde_json::from_str(entry["after"].as_str().unwrap()).unwrap();
        assert_eq!((after["protocol"]["source"].as_str(), after["protocol"]["sha256"].as_str()), (Some("own"), Some(file.sha256.as_str())));
        assert!(entry["before"].is_string(), "before and after: {entry}");
    }
    assert_eq!(entries.iter().filter(|e| e["entity"] == "protocol_file" && e["action"] == "create").count(), 2);
    let (_, verified) = app.get(&format!("/api/v1/schools/{}/audit/verify", s.school), &s.admin.token).await;
    assert!(verified["broken"].is_null(), "{verified}");
}

async fn a_stored_file_that_no_longer_loads_is_a_clear_500(store: Store) {
    let app = App::start(store.clone()).await;
    let s = seed(&store).await;
    // As if the fact vocabulary changed after the upload: the store keeps what it was given.
    let stale = "[protocol]\nid = \"de-linde\"\ntitle = \"Oud\"\nschool = \"De Linde\"\nscope = \"everywhere\"\n";
    let file = NewProtocolFile { protocol_id: "de-linde", version: None, source: stale };
    store.adopt_protocol_file(s.school, &file, &Actor::new("test:past").unwrap()).await.unwrap();
    for (status, p) in [
        app.post(&format!("/api/v1/schools/{}/check", s.school), &s.parent.token, photo_of("Daan de Vries")).await,
        app.get(&format!("/api/v1/schools/{}/protocol", s.school), &s.parent.token).await,
    ] {
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{p}");
        assert_eq!(p["type"], "/problems/protocol-does-not-load", "{p}");
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains("`de-linde`") && detail.contains("De Linde") && detail.contains("upload a corrected file"), "{detail}");
    }
    // Other schools go on.
    let (status, v) = app.post(&format!("/api/v1/schools/{}/check", s.other_school), &s.other_admin.token, photo_of("Bram Visser")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    // A corrected upload heals it at once.
    let (status, _, r) = put_file(&app, s.school, &s.admin.token, "", "application/toml", own_file("1.1").into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, v) = app.post(&format!("/api/v1/schools/{}/check", s.school), &s.parent.token, photo_of("Daan de Vries")).await;
    assert_eq!((status, v["protocol"].as_str()), (StatusCode::OK, Some("de-linde")), "{v}");
}

magdit_store::on_both_stores!(
    a_misspelt_file_is_422_with_line_column_and_suggestion,
    only_admins_upload,
    a_dry_run_stores_nothing,
    an_own_protocol_rules_its_school_only,
    a_new_version_keeps_history_and_is_audited,
    a_stored_file_that_no_longer_loads_is_a_clear_500,
);
