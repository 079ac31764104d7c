//! What nearly every request reads before doing anything — the account behind its token
//! (with grants) and the school its path names (with its revision) — kept in memory for at
//! most [`TTL`], so a check costs no database round trip.
//!
//! How fresh it stays:
//! - Every change made through this server empties both caches before it is answered (the
//!   [`forget_after_changes`] middleware: any request other than GET/HEAD/OPTIONS, except the
//!   check itself). So a logout, a revoked token, a disabled account, a changed grant, a
//!   consent decision or a new protocol take effect from the next request on.
//! - Changes made elsewhere — another app server on the same PostgreSQL database, `magdit`
//!   commands, the retention purge — take effect within [`TTL`].
//! - A session's own expiry (idle or absolute) is checked on every hit.
//!
//! A request that read the database while a change was being made must not put the old
//! answer back after the change emptied the cache: entries carry the generation they were
//! read in, and an entry of an older generation is never used.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use magdit_store::{Principal, School, SchoolId, Store};
use time::OffsetDateTime;

use crate::state::AppState;

/// How long a change made outside this server may go unseen.
pub const TTL: Duration = Duration::from_secs(1);

/// Entries per map beyond which expired ones are dropped (a map holds only what was used
/// within [`TTL`], so this is a bound, not a working size).
const CAP: usize = 10_000;

/// The routes whose POST changes nothing: the check, in the API and in the web UI.
const CHECK_ROUTES: [&str; 2] = ["/api/v1/schools/{school}/check", crate::web::CHECK_ROUTE];

#[derive(Default)]
pub struct RequestCache {
    generation: AtomicU64,
    principals: Mutex<HashMap<String, Entry<Principal>>>,
    schools: Mutex<HashMap<SchoolId, Entry<School>>>,
}

struct Entry<T> {
    value: T,
    generation: u64,
    read_at: Instant,
}

impl RequestCache {
    /// The principal behind `token` ([`Store::authenticate`]).
    pub async fn principal(&self, store: &Store, token: &str) -> magdit_store::Result<Principal> {
        let key = magdit_store::password::token_digest(token);
        let now = OffsetDateTime::now_utc();
        self.get(&self.principals, key, |p| p.session.is_active(now), store.authenticate(token)).await
    }

    /// The school `id` ([`Store::school`]).
    pub async fn school(&self, store: &Store, id: SchoolId) -> magdit_store::Result<School> {
        self.get(&self.schools, id, |_| true, store.school(id)).await
    }

    /// Forgets everything read so far.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    async fn get<K: Hash + Eq, V: Clone>(
        &self,
        map: &Mutex<HashMap<K, Entry<V>>>,
        key: K,
        usable: impl Fn(&V) -> bool,
        read: impl Future<Output = magdit_store::Result<V>>,
    ) -> magdit_store::Result<V> {
        let generation = self.generation.load(Ordering::SeqCst);
        let fresh = |e: &Entry<V>| e.generation == generation && e.read_at.elapsed() < TTL;
        if let Ok(map) = map.lock() {
            if let Some(e) = map.get(&key).filter(|e| fresh(e) && usable(&e.value)) {
                return Ok(e.value.clone());
            }
        }
        let value = read.await?;
        if let Ok(mut map) = map.lock() {
            if map.len() >= CAP {
                map.retain(|_, e| fresh(e));
                if map.len() >= CAP {
                    map.clear();
                }
            }
            map.insert(key, Entry { value: value.clone(), generation, read_at: Instant::now() });
        }
        Ok(value)
    }
}

/// Middleware: a request that may have changed something empties the caches before its
/// answer goes out.
pub async fn forget_after_changes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && request.extensions().get::<MatchedPath>().is_none_or(|p| !CHECK_ROUTES.contains(&p.as_str()));
    let response = next.run(request).await;
    if changes {
        state.request_cache.clear();
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read(n: &std::sync::atomic::AtomicUsize) -> magdit_store::Result<usize> {
        Ok(n.fetch_add(1, Ordering::SeqCst))
    }

    #[tokio::test]
    async fn cached_until_cleared_and_never_refilled_with_an_older_read() {
        let cache = RequestCache::default();
        let map = Mutex::new(HashMap::new());
        let reads = std::sync::atomic::AtomicUsize::new(0);
        assert_eq!(cache.get(&map, 1, |_| true, read(&reads)).await.unwrap(), 0);
        assert_eq!(cache.get(&map, 1, |_| true, read(&reads)).await.unwrap(), 0, "a hit");
        assert_eq!(cache.get(&map, 1, |_| false, read(&reads)).await.unwrap(), 1, "unusable: read again");
        cache.clear();
        assert_eq!(cache.get(&map, 1, |_| true, read(&reads)).await.unwrap(), 2, "cleared: read again");
        // A read that started before a clear is kept under its old generation: not used.
        let slow = cache.get(&map, 2, |_| true, async {
            cache.clear();
            Ok(100)
        });
        assert_eq!(slow.await.unwrap(), 100);
        assert_eq!(cache.get(&map, 2, |_| true, read(&reads)).await.unwrap(), 3);
    }
}
