//! Stored checks, written in batches off the request path: a check answers in well under a
//! millisecond, a durable write per check would cost a disk flush each. A background task
//! collects what arrives and writes it in one transaction per batch.
//!
//! What is kept (privacy): the verdict, and the facts with their kinds, people and offsets but
//! without the matched text fragments — those are pieces of the post (names, phone numbers).
//! The post's text and situation are kept only when the user asked to save them. If the queue
//! is full (the store is down or far behind) records are dropped and counted, rather than
//! slowing down or failing checks: the record is a log, the verdict was already given. So are
//! records the store refuses (an account disabled since its check); the rest of their batch
//! is still stored.

use std::time::Duration;

use magdit_engine::Verdict;
use magdit_store::{NewCheck, SchoolId, Store};
use prometheus_client::metrics::counter::Counter;
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
        let facts = without_fragments(&serde_json::to_string(&verdict.facts).unwrap_or_default());
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
                facts,
                save,
                text: post_text,
                situation,
            },
        )
    }
}

/// The facts as serialised, less the `text` of every mention: the facts keep what was found
/// and where, not what the post said.
///
/// Done on the JSON text, which is several times cheaper than through a `serde_json::Value`.
/// It is exact for JSON as serde_json writes it: inside a string every `"` is escaped, so a
/// `"text":"` right after `{` or `,` is always a key, and its string value ends at the first
/// `"` not escaped by a backslash. (Only mentions have a `text` key.)
fn without_fragments(json: &str) -> String {
    const KEY: &str = "\"text\":\"";
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find(KEY) {
        let before = &rest[..at];
        if !(before.ends_with('{') || before.ends_with(',')) {
            out.push_str(&rest[..at + KEY.len()]);
            rest = &rest[at + KEY.len()..];
            continue;
        }
        let value = &rest[at + KEY.len()..];
        let mut escaped = false;
        let end = value
            .char_indices()
            .find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            })
            .map_or(value.len(), |(i, _)| i + 1);
        let after = &value[end..];
        // Drop the member and one comma beside it.
        match after.strip_prefix(',') {
            Some(after) => {
                out.push_str(before);
                rest = after;
            }
            None => {
                out.push_str(before.strip_suffix(',').unwrap_or(before));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The sending side, held by the app state.
pub struct ChecksLog {
    queue: mpsc::Sender<(SchoolId, NewCheck)>,
    dropped: Counter,
}

impl ChecksLog {
    /// Starts the writer task on `store`. It ends when every sender is dropped, after writing
    /// what is queued.
    pub fn start(store: Store, dropped: Counter) -> (ChecksLog, JoinHandle<()>) {
        let (queue, rx) = mpsc::channel(QUEUE);
        let task = tokio::spawn(write_batches(store, rx, dropped.clone()));
        (ChecksLog { queue, dropped }, task)
    }

    pub fn record(&self, record: CheckRecord) {
        if self.queue.try_send((record.0, record.1)).is_err() {
            self.dropped.inc();
        }
    }
}

async fn write_batches(store: Store, mut rx: mpsc::Receiver<(SchoolId, NewCheck)>, dropped: Counter) {
    let mut batch = Vec::with_capacity(BATCH);
    while rx.recv_many(&mut batch, BATCH).await > 0 {
        match write(&store, &batch).await {
            Ok(()) => {}
            // One record the store refuses (its account was disabled since the check) fails
            // the whole batch: store the others one by one.
            Err(e) if !e.is_transient() && batch.len() > 1 => {
                for one in batch.chunks(1) {
                    if let Err(e) = write(&store, one).await {
                        tracing::error!(error = %e, "could not store a check");
                        dropped.inc();
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, records = batch.len(), "could not store checks");
                dropped.inc_by(batch.len() as u64);
            }
        }
        batch.clear();
    }
}

/// Stores `batch`, retrying a few times while the database is busy or restarting.
async fn write(store: &Store, batch: &[(SchoolId, NewCheck)]) -> magdit_store::Result<()> {
    let mut attempt = 1;
    loop {
        match store.store_checks(batch).await {
            Ok(_) => return Ok(()),
            Err(e) if attempt < 3 && e.is_transient() => tokio::time::sleep(Duration::from_millis(200 * attempt)).await,
            Err(e) => return Err(e),
        }
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_stripped_offsets_kept() {
        let facts = serde_json::json!({
            "about_school": true,
            "people": [{"kind": "person", "person": "12", "text": "Daan", "start": 0, "end": 4}],
            "personal_data": [{"kind": "phone", "text": "06-12345678", "start": 10, "end": 21},
                              {"kind": "name", "start": 1, "end": 2, "text": "a\\\",\"text\":\"b"}],
            "statements": [{"kind": "x", "text": "\\"}],
            "quote": "\",\"text\":\"not a key",
        });
        let stored: serde_json::Value = serde_json::from_str(&without_fragments(&facts.to_string())).unwrap();
        assert_eq!(stored["people"][0], serde_json::json!({"kind": "person", "person": "12", "start": 0, "end": 4}));
        assert_eq!(stored["personal_data"][0], serde_json::json!({"kind": "phone", "start": 10, "end": 21}));
        assert_eq!(stored["personal_data"][1], serde_json::json!({"kind": "name", "start": 1, "end": 2}), "last member, escapes");
        assert_eq!(stored["statements"][0], serde_json::json!({"kind": "x"}), "only member");
        assert_eq!(stored["quote"], facts["quote"], "a value that looks like the key stays");
        assert_eq!(stored["about_school"], true);
        // As serde_json writes a struct: the member followed by a comma.
        let raw = r#"{"people":[{"kind":"person","person":"12","text":"D\\\"a,n","start":0,"end":4}],"disclaimer":false}"#;
        assert_eq!(without_fragments(raw), r#"{"people":[{"kind":"person","person":"12","start":0,"end":4}],"disclaimer":false}"#);
    }

    #[test]
    fn stored_facts_are_the_verdicts_less_the_fragments() {
        let situation = r#"{"protocol":"cvo-nwf","actor":{"role":"employee"},"action":"post",
            "content":{"text":"Sanne de Vries (06-12345678) is een \"sukkel\", zegt Daan."},
            "people":[{"id":"p1","name":"Sanne de Vries","role":"pupil"},{"id":"p2","name":"Daan Bakker","role":"pupil"}]}"#;
        let verdict = magdit_engine::Engine::builtin().check_json(situation, magdit_protocol::Lang::Nl).unwrap();
        let mut expected = serde_json::to_value(&verdict.facts).unwrap();
        let mut mentions = 0;
        for list in expected.as_object_mut().unwrap().values_mut() {
            for item in list.as_array_mut().into_iter().flatten() {
                mentions += usize::from(item.as_object_mut().unwrap().remove("text").is_some());
            }
        }
        assert!(mentions >= 3, "{expected}");
        let stored: serde_json::Value = serde_json::from_str(&without_fragments(&serde_json::to_string(&verdict.facts).unwrap())).unwrap();
        assert_eq!(stored, expected);
    }
}
