//! The protocol a check in a school uses. A shipped protocol comes from the service's engine;
//! a school's own file gets an engine of its own, built once and kept per (school, file
//! digest), so checks neither read nor parse the file again until the school adopts another.
//! It is built when the file is adopted and, after a restart, at the school's first check.
//! An own protocol lives only in its school's engine: a check in another school never sees
//! it, even when it reuses a shipped protocol's id.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use magdit_engine::Engine;
use magdit_protocol::Protocol;
use magdit_store::{ProtocolSource, School, SchoolId, Store};

use crate::problem::Problem;

#[derive(Default)]
pub struct ProtocolCache {
    schools: Mutex<HashMap<SchoolId, Arc<Cached>>>,
}

struct Cached {
    sha256: String,
    /// A stored file that no longer loads is remembered too (as the problem's detail), so it
    /// is parsed and logged once, not at every check.
    engine: Result<Arc<Engine>, String>,
}

impl ProtocolCache {
    /// The engine for checks in `school` under the protocol it adopted: `shipped` unless the
    /// school adopted its own file. A stored file that no longer loads (say, after a change of
    /// the fact vocabulary) is a 500 problem naming the school's protocol.
    pub async fn engine(&self, store: &Store, shipped: &Arc<Engine>, school: &School) -> Result<Arc<Engine>, Problem> {
        let Some(adopted) = &school.protocol else { return Ok(shipped.clone()) };
        let ProtocolSource::Own { sha256 } = &adopted.source else { return Ok(shipped.clone()) };
        let cached = match self.lookup(school.id).filter(|c| &c.sha256 == sha256) {
            Some(c) => c,
            None => {
                // Two checks that miss at once both load; the later insert wins. Harmless.
                let engine = match store.protocol_file_source(school.id, sha256).await {
                    Ok(source) => build(school, &adopted.id, &source),
                    Err(magdit_store::Error::NotFound { .. }) => broken(school, &adopted.id, "the stored file is missing".into()),
                    Err(e) => return Err(e.into()),
                };
                self.put(school.id, Cached { sha256: sha256.clone(), engine })
            }
        };
        cached.engine.clone().map_err(Problem::broken_protocol)
    }

    /// Keeps `protocol`, just validated and adopted by `school` from the file with digest
    /// `sha256`, for the school's checks.
    pub fn insert(&self, school: SchoolId, sha256: &str, protocol: Protocol) {
        self.put(school, Cached { sha256: sha256.to_owned(), engine: Ok(Arc::new(Engine::new([protocol]))) });
    }

    fn put(&self, school: SchoolId, cached: Cached) -> Arc<Cached> {
        let cached = Arc::new(cached);
        if let Ok(mut map) = self.schools.lock() {
            map.insert(school, cached.clone());
        }
        cached
    }

    fn lookup(&self, school: SchoolId) -> Option<Arc<Cached>> {
        self.schools.lock().ok()?.get(&school).cloned()
    }
}

/// An engine over the school's stored file, or why it cannot be had.
fn build(school: &School, adopted_id: &str, source: &str) -> Result<Arc<Engine>, String> {
    match magdit_protocol::load(adopted_id, source) {
        Ok(p) if p.meta.id == adopted_id => Ok(Arc::new(Engine::new([p]))),
        Ok(p) => broken(school, adopted_id, format!("the stored file now says id `{}`", p.meta.id)),
        Err(e) => {
            let first = e.problems.first().map(|p| format!(": line {}, column {}: {}", p.line, p.column, p.message));
            broken(school, adopted_id, format!("{} problem(s){}", e.problems.len(), first.unwrap_or_default()))
        }
    }
}

/// Logs (once per file: the result is cached) why a school's own protocol cannot be used, and
/// says it for the problem detail.
fn broken(school: &School, adopted_id: &str, why: String) -> Result<Arc<Engine>, String> {
    tracing::error!(school = %school.id, protocol = adopted_id, reason = %why, "a school's own protocol file no longer loads");
    Err(format!(
        "the protocol `{adopted_id}` that school {} adopted from its own file no longer loads ({why}); \
         an administrator must upload a corrected file",
        school.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[protocol]
id = "eigen"
title = "Eigen protocol"
school = "De Linde"
scope = "all"

[[section]]
id = "A"
title = "Alles"

[[article]]
id = "A.1"
section = "A"
text = "Wees aardig."
"#;

    fn school(sha256: &str) -> School {
        let adopted = magdit_store::AdoptedProtocol {
            id: "eigen".into(),
            version: None,
            source: ProtocolSource::Own { sha256: sha256.into() },
            adopted_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        School {
            id: SchoolId(1),
            board: magdit_store::BoardId(1),
            name: "De Linde".into(),
            brin: None,
            protocol: Some(adopted),
            renewal: magdit_store::RenewalPolicy::OnPurposeChange,
            revision: 1,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_stored_file_that_no_longer_loads_names_the_schools_protocol() {
        let broken = GOOD.replace("scope = \"all\"", "scope = \"everything\"");
        let why = build(&school("x"), "eigen", &broken).err().expect("does not load");
        assert!(why.contains("`eigen`") && why.contains("De Linde") && why.contains("line 6"), "{why}");
        assert!(build(&school("x"), "eigen", GOOD).is_ok());
        let renamed = build(&school("x"), "ander", GOOD).err().expect("another id");
        assert!(renamed.contains("now says id `eigen`"), "{renamed}");
    }
}
