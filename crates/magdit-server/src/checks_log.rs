//! Stored checks, written in batches off the request path: a check answers in well under a
//! millisecond, a durable write per check would cost a disk flush each. A background task
//! collects what arrives and writes it in one transaction per batch.
//!
//! What is kept (privacy): the verdict, and the facts with their kinds, people and offsets but
//! without the matched text fragments — those are pieces of the post (names, phone numbers).
//! The post's text and situation are kept only when the user asked to save them. If the queue
//! is full (the store is down or far behind) records are dropped and counted, rather than
//! slowing down or failing checks: the record is a log, the verdict was already given.

use std::time::Duration;

use magdit_engine::Verdict;
use magdit_store::{NewCheck, SchoolId, Store};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::context::InSchool;

/// How many records wait at most; a batch writes up to this many at once.
const QUEUE: usize = 20_000;
const BATCH: usize = 1_000;

/// One check to store, and its school.
pub struct CheckRecord(SchoolId, NewCheck);

impl CheckRecord {
    /// `saved`: the situation as sent and its text, when the user asked to keep them.
    pub fn new(ctx: &InSchool, verdict: &Verdict, saved: Option<(String, Option<String>)>) -> CheckRecord {
        let mut facts = serde_json::to_value(&verdict.facts).unwrap_or(Value::Null);
        strip_fragments(&mut facts);
        let save = saved.is_some();
        let (situation, post_text) = saved.map_or((None, None), |(s, t)| (Some(s), t));
        CheckRecord(
            ctx.access.school,
            NewCheck {
                account: ctx.principal.account,
                protocol: verdict.protocol.clone(),
                protocol_version: ctx.school.protocol.as_ref().and_then(|p| p.version.clone()),
                outcome: verdict.verdict.as_str().to_owned(),
                verdict: serde_json::to_string(&verdict.findings).unwrap_or_default(),
                facts: facts.to_string(),
                save,
                text: post_text,
                situation,
            },
        )
    }
}

/// Removes the `text` of every mention: the facts keep what was found and where, not what
/// the post said.
fn strip_fragments(facts: &mut Value) {
    if let Value::Object(map) = facts {
        for list in map.values_mut() {
            if let Value::Array(items) = list {
                for item in items {
                    if let Value::Object(m) = item {
                        m.remove("text");
                    }
                }
            }
        }
    }
}

/// The sending side, held by the app state.
pub struct ChecksLog {
    queue: mpsc::Sender<(SchoolId, NewCheck)>,
    dropped: prometheus_client::metrics::counter::Counter,
}

impl ChecksLog {
    /// Starts the writer task on `store`. It ends when every sender is dropped, after writing
    /// what is queued.
    pub fn start(store: Store, dropped: prometheus_client::metrics::counter::Counter) -> (ChecksLog, JoinHandle<()>) {
        let (queue, rx) = mpsc::channel(QUEUE);
        let task = tokio::spawn(write_batches(store, rx));
        (ChecksLog { queue, dropped }, task)
    }

    pub fn record(&self, record: CheckRecord) {
        if self.queue.try_send((record.0, record.1)).is_err() {
            self.dropped.inc();
        }
    }
}

async fn write_batches(store: Store, mut rx: mpsc::Receiver<(SchoolId, NewCheck)>) {
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        // A failed batch is retried a few times (a busy or restarting database), then logged.
        for attempt in 1..=3 {
            match store.store_checks(&batch).await {
                Ok(_) => break,
                Err(e) if attempt < 3 && e.is_transient() => tokio::time::sleep(Duration::from_millis(200 * attempt)).await,
                Err(e) => {
                    tracing::error!(error = %e, records = batch.len(), "could not store checks");
                    break;
                }
            }
        }
        batch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_stripped_offsets_kept() {
        let mut v = serde_json::json!({
            "about_school": true,
            "people": [{"kind": "person", "person": "12", "text": "Daan", "start": 0, "end": 4}],
            "personal_data": [{"kind": "phone", "text": "06-12345678", "start": 10, "end": 21}],
        });
        strip_fragments(&mut v);
        assert_eq!(v["people"][0], serde_json::json!({"kind": "person", "person": "12", "start": 0, "end": 4}));
        assert_eq!(v["personal_data"][0].get("text"), None);
        assert_eq!(v["about_school"], true);
    }
}
