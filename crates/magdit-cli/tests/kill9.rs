//! `magdit serve` killed with SIGKILL during a load of consent writes loses no write it
//! acknowledged, records none it was not asked for, and starts again cleanly with its audit
//! chain whole.
//!
//! Four clients write consent decisions (give, withdraw, refuse, in turn) for pupils of a demo
//! school through the HTTP API; each client owns its own pupils and writes one at a time, so
//! the order of one pupil's decisions is the order they were acknowledged. Once some hundreds
//! are acknowledged the server is killed mid-stream and started again on the same store. Then
//! every acknowledged decision must be in the pupil's history, in order; at most the one
//! request each client had in flight may have been stored besides; the state in force is the
//! last stored decision; and the audit chain verifies with one entry per stored decision.
//!
//! Nothing here asserts a duration: waits are generous bounds for a loaded machine.

use std::collections::HashMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use magdit_store::Backend;
use serde_json::{json, Value};

const PASSWORD: &str = "kill9-wachtwoord";
const ADMIN: &str = "directie@demo.magdit.nl";
const PUPILS: usize = 24;
const CLIENTS: usize = 4;
/// Acknowledged writes to wait for before the kill.
const ACKS_BEFORE_KILL: usize = 300;
const PURPOSES: [&str; 5] = ["social_media", "website", "newsletter", "school_guide", "school_app"];
/// Each pupil and purpose goes through these in turn; a withdrawal needs given consent.
const CYCLE: [&str; 3] = ["give", "withdraw", "refuse"];
/// Bounds for a slow machine, not expectations.
const STARTUP: Duration = Duration::from_secs(180);
const WRITES: Duration = Duration::from_secs(600);

/// Where the server keeps its data: environment for `magdit`, plus a directory for logs.
struct Place {
    env: Vec<(&'static str, String)>,
    logs: std::path::PathBuf,
}

fn magdit(place: &Place) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_magdit"));
    for (key, _) in std::env::vars() {
        if key.starts_with("MAGDIT_") || key == "DATABASE_URL" || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd.envs(place.env.iter().map(|(k, v)| (*k, v.as_str())));
    cmd
}

/// A running `magdit serve`, killed when dropped (a failing test leaves no server behind).
struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server on a free loopback port and waits until `/readyz` answers 200.
    async fn start(place: &Place, n: usize) -> Server {
        let mut last_log = String::new();
        // A port found free may be taken before the server binds it: try a few.
        for attempt in 0..3 {
            let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let log = place.logs.join(format!("serve-{n}-{attempt}.log"));
            let child = magdit(place)
                .arg("serve")
                .env("MAGDIT_LISTEN", format!("127.0.0.1:{port}"))
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .expect("run magdit serve");
            let mut server = Server { child, base: format!("http://127.0.0.1:{port}"), log };
            if server.ready().await {
                return server;
            }
            last_log = std::fs::read_to_string(&server.log).unwrap_or_default();
        }
        panic!("magdit serve did not become ready:\n{last_log}");
    }

    async fn ready(&mut self) -> bool {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        let deadline = Instant::now() + STARTUP;
        while Instant::now() < deadline {
            if self.child.try_wait().unwrap().is_some() {
                return false;
            }
            if let Ok(r) = http.get(format!("{}/readyz", self.base)).send().await {
                if r.status().is_success() {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("magdit serve was not ready within {STARTUP:?}:\n{}", std::fs::read_to_string(&self.log).unwrap_or_default());
    }

    /// SIGKILL: no shutdown, no flush, no checkpoint.
    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// An HTTP client with the admin's bearer token.
#[derive(Clone)]
struct Api {
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn login(base: &str) -> Api {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let r = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": ADMIN, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "login: {}", r.status());
        let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
        let csrf = r.json::<Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_string();
        let r = http
            .post(format!("{base}/api/v1/auth/tokens"))
            .header("cookie", cookie)
            .header("x-csrf-token", csrf)
            .json(&json!({"name": "kill9", "days": 1}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "token: {}", r.status());
        let token = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
        Api { http, token }
    }

    async fn get(&self, url: String) -> Value {
        let r = self.http.get(&url).bearer_auth(&self.token).send().await.unwrap();
        assert!(r.status().is_success(), "GET {url}: {}", r.status());
        r.json().await.unwrap()
    }
}

/// One pupil and who may decide for them now.
#[derive(Clone)]
struct Pupil {
    id: i64,
    decided_by: i64,
}

/// A decision the server acknowledged: what was asked, and the change it returned.
#[derive(Clone, Debug)]
struct Ack {
    pupil: i64,
    purpose: &'static str,
    action: &'static str,
    change: i64,
}

/// What one client saw: acknowledged decisions in order, and the one it had in flight when
/// the server died (stored or not: both are allowed).
struct ClientLog {
    acks: Vec<Ack>,
    in_flight: Option<(i64, &'static str, &'static str)>,
}

async fn client(
    api: Api,
    url: String,
    pupils: Vec<Pupil>,
    acked: Arc<AtomicUsize>,
    killed: Arc<AtomicBool>,
) -> ClientLog {
    let mut log = ClientLog { acks: Vec::new(), in_flight: None };
    for round in 0.. {
        let action = CYCLE[round % CYCLE.len()];
        for pupil in &pupils {
            for purpose in PURPOSES {
                log.in_flight = Some((pupil.id, purpose, action));
                let sent = api
                    .http
                    .post(format!("{url}/people/{}/consent/{purpose}", pupil.id))
                    .bearer_auth(&api.token)
                    .json(&json!({"action": action, "decided_by": pupil.decided_by}))
                    .send()
                    .await;
                let answer = match sent {
                    Ok(r) => {
                        let status = r.status();
                        r.text().await.map(|body| (status, body))
                    }
                    Err(e) => Err(e),
                };
                match answer {
                    Ok((status, body)) => {
                        assert!(status.is_success(), "{action} {purpose} for pupil {}: {status} {body}", pupil.id);
                        let v: Value = serde_json::from_str(&body).unwrap();
                        assert_eq!(v["change"]["action"], action, "{body}");
                        log.acks.push(Ack { pupil: pupil.id, purpose, action, change: v["change"]["id"].as_i64().unwrap() });
                        log.in_flight = None;
                        acked.fetch_add(1, Ordering::SeqCst);
                    }
                    // The server is gone: the request in flight may or may not have been stored.
                    Err(_) if killed.load(Ordering::SeqCst) => return log,
                    Err(e) => panic!("{action} {purpose} for pupil {} failed before the kill: {e}", pupil.id),
                }
            }
        }
    }
    unreachable!()
}

async fn kill_during_consent_writes(place: Place) {
    let demo = magdit(&place)
        .args(["demo", "--pupils", &PUPILS.to_string(), "--password", PASSWORD])
        .output()
        .expect("run magdit demo");
    assert!(demo.status.success(), "demo: {}", String::from_utf8_lossy(&demo.stderr));
    let out = String::from_utf8_lossy(&demo.stdout);
    let school: i64 = out.split("(school ").nth(1).and_then(|s| s.split(')').next()).and_then(|s| s.parse().ok()).expect(&out);

    let server = Server::start(&place, 1).await;
    let api = Api::login(&server.base).await;
    let school_url = format!("{}/api/v1/schools/{school}", server.base);
    let people = api.get(format!("{school_url}/people?role=pupil&limit=500")).await;
    let mut pupils = Vec::new();
    for p in people["items"].as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let consent = api.get(format!("{school_url}/people/{id}/consent")).await;
        let decider = &consent["decider"];
        let decided_by = match decider["who"].as_str() {
            Some("pupil") => id,
            _ => decider["guardians"][0].as_i64().expect("a demo pupil under 16 has a guardian"),
        };
        pupils.push(Pupil { id, decided_by });
    }
    assert_eq!(pupils.len(), PUPILS);
    let chain_before = api.get(format!("{school_url}/audit/verify")).await;
    assert!(chain_before["broken"].is_null(), "{chain_before}");

    // The load, and the kill once enough is acknowledged.
    let acked = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|k| {
            let own = pupils.iter().skip(k).step_by(CLIENTS).cloned().collect();
            tokio::spawn(client(api.clone(), school_url.clone(), own, acked.clone(), killed.clone()))
        })
        .collect();
    let deadline = Instant::now() + WRITES;
    while acked.load(Ordering::SeqCst) < ACKS_BEFORE_KILL {
        assert!(Instant::now() < deadline, "only {} writes acknowledged within {WRITES:?}", acked.load(Ordering::SeqCst));
        assert!(clients.iter().all(|c| !c.is_finished()), "a client stopped before the kill");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    killed.store(true, Ordering::SeqCst);
    server.kill9();
    let mut logs = Vec::new();
    for c in clients {
        logs.push(c.await.unwrap());
    }
    let acks: Vec<&Ack> = logs.iter().flat_map(|l| &l.acks).collect();
    assert!(acks.len() >= ACKS_BEFORE_KILL);

    // Started again on the same store, with the same token (sessions are stored too).
    let server = Server::start(&place, 2).await;
    let api = Api { token: api.token.clone(), ..api };
    let school_url = format!("{}/api/v1/schools/{school}", server.base);
    let in_flight: HashMap<(i64, &str), &str> =
        logs.iter().filter_map(|l| l.in_flight).map(|(p, purpose, action)| ((p, purpose), action)).collect();
    let actor = format!("account:{}", api.get(format!("{}/api/v1/me", server.base)).await["account"]);
    let mut stored_by_us = 0;
    for pupil in &pupils {
        let history = api.get(format!("{school_url}/people/{}/consent/history", pupil.id)).await;
        let consent = api.get(format!("{school_url}/people/{}/consent", pupil.id)).await;
        for purpose in PURPOSES {
            let ours: Vec<&Value> = history
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["purpose"] == purpose && c["actor"] == actor.as_str())
                .collect();
            stored_by_us += ours.len();
            let want: Vec<&Ack> = acks.iter().copied().filter(|a| a.pupil == pupil.id && a.purpose == purpose).collect();
            let what = format!("pupil {} {purpose}", pupil.id);
            // Every acknowledged decision, in order, with the id it was acknowledged with…
            assert!(ours.len() >= want.len(), "{what}: {} stored, {} acknowledged", ours.len(), want.len());
            for (stored, ack) in ours.iter().zip(&want) {
                assert_eq!((stored["id"].as_i64(), stored["action"].as_str()), (Some(ack.change), Some(ack.action)), "{what}");
            }
            // …and besides them at most the request in flight at the kill.
            let extra = &ours[want.len()..];
            match (extra, in_flight.get(&(pupil.id, purpose))) {
                ([], _) => {}
                ([one], Some(action)) => assert_eq!(one["action"].as_str(), Some(*action), "{what}"),
                _ => panic!("{what}: stored decisions nobody was told about: {extra:?}"),
            }
            // The state in force is the last stored decision.
            if let Some(last) = ours.last() {
                let state = consent["purposes"].as_array().unwrap().iter().find(|s| s["purpose"] == purpose).unwrap();
                let expected = if last["action"] == "give" { "given" } else { "refused" };
                assert_eq!(state["state"], expected, "{what}: {consent}");
            }
        }
    }
    assert!(stored_by_us >= acks.len());

    // The chain is whole, with one entry per stored decision, through the API and the CLI.
    let chain = api.get(format!("{school_url}/audit/verify")).await;
    assert!(chain["broken"].is_null(), "{chain}");
    assert_eq!(chain["entries"].as_u64().unwrap(), chain_before["entries"].as_u64().unwrap() + stored_by_us as u64, "{chain}");
    let verify = magdit(&place).args(["audit", "verify"]).output().unwrap();
    assert!(verify.status.success(), "{}{}", String::from_utf8_lossy(&verify.stdout), String::from_utf8_lossy(&verify.stderr));
    drop(server);
}

fn sqlite_place(dir: &Path) -> Place {
    Place { env: vec![("MAGDIT_DATA_DIR", dir.join("data").display().to_string())], logs: dir.to_path_buf() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_9_during_consent_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    kill_during_consent_writes(sqlite_place(dir.path())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill_9_during_consent_writes_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().to_path_buf();
    magdit_store::testing::run_db(Backend::Postgres, |db| async move {
        // The harness's own connections stay out of the way: the server is the only writer.
        db.store.close().await;
        kill_during_consent_writes(Place { env: vec![("DATABASE_URL", db.url.clone())], logs }).await;
    })
    .await;
}
