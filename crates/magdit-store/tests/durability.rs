//! kill -9 during writes loses no acknowledged write and leaves the audit chain whole.
//!
//! The test re-runs this test binary as a child process (`writer_child`), which writes
//! people and consent one transaction at a time and prints `ack N` after each commit. The
//! parent kills it with SIGKILL mid-stream, then checks every acknowledged write is there.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use magdit_store::{
    Actor, Backend, Channel, ConsentAction, Decision, EffectiveState, PersonInput, Role, SchoolId, Store,
};

const URL: &str = "MAGDIT_KILL_TEST_URL";
const SCHOOL: &str = "MAGDIT_KILL_TEST_SCHOOL";

/// Acknowledged writes to wait for before the kill.
const ACKS_BEFORE_KILL: usize = 40;

/// The child: does nothing unless spawned by `kill_test` with the environment set.
#[test]
fn writer_child() {
    let (Ok(url), Ok(school)) = (std::env::var(URL), std::env::var(SCHOOL)) else { return };
    let school = SchoolId(school.parse().unwrap());
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(async move {
        let store = Store::open(&url).await.unwrap();
        let actor = Actor::new("import:kill-test").unwrap();
        let mut out = std::io::stdout().lock();
        for i in 0.. {
            let input = PersonInput {
                external_id: format!("k{i}"),
                name: format!("Leerling {i}"),
                role: Role::Pupil,
                date_of_birth: None,
                group: None,
            };
            let p = store.upsert_person(school, &input, &actor).await.unwrap().person;
            let decision = Decision {
                pupil: p.id,
                purpose: "social_media".into(),
                action: ConsentAction::Give,
                decided_by: None,
                channel: Channel::Import,
                decided_at: None,
            };
            store.record_consent(school, &decision, &actor).await.unwrap();
            // Acknowledged only once both commits returned.
            writeln!(out, "ack {i}").unwrap();
            out.flush().unwrap();
        }
    });
}

async fn kill_test(backend: Backend) {
    common::run(backend, |db| async move {
        let (_, school) = common::school(&db.store, "Bestuur", "De Linde").await;
        let url = db.url.clone();
        let acked: Vec<usize> = tokio::task::spawn_blocking(move || {
            let mut child = Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "writer_child", "--nocapture", "--test-threads", "1"])
                .env(URL, &url)
                .env(SCHOOL, school.0.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap();
            let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
            let mut acked = Vec::new();
            while acked.len() < ACKS_BEFORE_KILL {
                match lines.next() {
                    Some(Ok(line)) => {
                        if let Some(n) = line.strip_prefix("ack ") {
                            acked.push(n.parse().unwrap());
                        }
                    }
                    _ => panic!("the writer stopped after {} acknowledged writes", acked.len()),
                }
            }
            child.kill().unwrap(); // SIGKILL: no destructors, no checkpoint, no clean close
            child.wait().unwrap();
            // Acks already in the pipe were acknowledged before the kill too.
            acked.extend(
                lines.map_while(Result::ok).filter_map(|l| l.strip_prefix("ack ").map(|n| n.parse::<usize>().unwrap())),
            );
            acked
        })
        .await
        .unwrap();

        // Reopen (SQLite recovers from its WAL) and look for every acknowledged write.
        let store = Store::open(&db.url).await.unwrap();
        let mut ids = Vec::new();
        for i in &acked {
            ids.push(store.person_by_external_id(school, &format!("k{i}")).await.unwrap().id);
        }
        let states =
            store.effective_consent(school, "social_media", &ids, time::OffsetDateTime::now_utc()).await.unwrap();
        assert!(states.iter().all(|s| s.state == EffectiveState::Given));
        let report = store.verify_audit(school).await.unwrap();
        assert!(report.is_intact(), "{:?}", report.broken);
        // Writes after the last acknowledgement may or may not have committed, but each
        // committed change has exactly its audit entry: no change without its entry.
        let people = store.people(school, &magdit_store::PeopleFilter::default(), 1_000, None).await.unwrap().items;
        let all: Vec<_> = people.iter().map(|p| p.id).collect();
        let given = store
            .effective_consent(school, "social_media", &all, time::OffsetDateTime::now_utc())
            .await
            .unwrap()
            .iter()
            .filter(|s| s.state == EffectiveState::Given)
            .count();
        assert!(people.len() >= acked.len());
        assert_eq!(report.entries, 1 + people.len() as u64 + given as u64, "{} acks", acked.len());
        store.close().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_kill_9_loses_no_acknowledged_write() {
    kill_test(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_kill_9_loses_no_acknowledged_write() {
    kill_test(Backend::Postgres).await;
}
