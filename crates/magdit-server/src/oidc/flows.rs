//! Logins under way at a provider. Their secrets (state, nonce, PKCE verifier) stay on the
//! server; the browser holds a random id in a short-lived cookie, and the server keeps only
//! that id's hash. A flow is taken once — a replayed callback finds nothing — and only by the
//! browser that started it, which stops an attacker from planting their own login.
//!
//! Kept in memory: a service with several instances needs the callback to reach the instance
//! that started the login (sticky sessions).

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use openidconnect::CsrfToken;
use sha2::{Digest, Sha256};

/// How long a login may take at the provider.
pub const TTL: Duration = Duration::from_secs(600);
/// Most logins under way at once; beyond that the oldest is forgotten.
const CAPACITY: usize = 10_000;
/// Longest `return_to`.
const RETURN_TO_MAX: usize = 512;

/// A login under way.
pub struct Flow {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub return_to: String,
}

type Key = [u8; 32];

pub struct Flows {
    pending: Mutex<Pending>,
    /// Starts per client: each holds memory for [`TTL`], so one client cannot crowd out the
    /// logins of others.
    per_client: DefaultKeyedRateLimiter<IpAddr>,
}

#[derive(Default)]
struct Pending {
    by_key: HashMap<Key, (Instant, Flow)>,
    /// Keys in the order they were started, which is also the order they expire in.
    order: VecDeque<(Key, Instant)>,
}

impl Flows {
    pub fn new() -> Flows {
        let per_minute = NonZeroU32::new(60).unwrap_or(NonZeroU32::MIN);
        Flows { pending: Mutex::default(), per_client: RateLimiter::keyed(Quota::per_minute(per_minute)) }
    }

    pub fn allow_start(&self, client: Option<IpAddr>) -> bool {
        client.is_none_or(|c| self.per_client.check_key(&c).is_ok())
    }

    /// Keeps `flow`; returns the id for the browser's cookie.
    pub fn begin(&self, flow: Flow) -> String {
        let id = CsrfToken::new_random_len(32).into_secret();
        let now = Instant::now();
        let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(&(key, at)) = p.order.front() {
            if now.duration_since(at) < TTL && p.order.len() < CAPACITY {
                break;
            }
            p.order.pop_front();
            p.by_key.remove(&key);
        }
        let key = digest(&id);
        p.by_key.insert(key, (now, flow));
        p.order.push_back((key, now));
        id
    }

    /// The flow started with cookie `id`, once, if it has not expired.
    pub fn take(&self, id: &str) -> Option<Flow> {
        let mut p = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let (at, flow) = p.by_key.remove(&digest(id))?;
        (at.elapsed() < TTL).then_some(flow)
    }
}

fn digest(id: &str) -> Key {
    Sha256::digest(id.as_bytes()).into()
}

/// `return_to` when it is a path on this site: no scheme or host (`https://…`, `//host`,
/// `/\host`), no control characters or spaces, at most 512 bytes.
pub fn local_path(return_to: &str) -> Option<&str> {
    let local = return_to.starts_with('/')
        && !return_to.starts_with("//")
        && return_to.len() <= RETURN_TO_MAX
        && return_to.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    local.then_some(return_to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow() -> Flow {
        Flow { provider: "p".into(), state: "s".into(), nonce: "n".into(), verifier: "v".into(), return_to: "/".into() }
    }

    #[test]
    fn a_flow_is_taken_once_and_only_with_its_id() {
        let flows = Flows::new();
        let id = flows.begin(flow());
        assert!(flows.take("not-the-id").is_none());
        assert_eq!(flows.take(&id).map(|f| f.state), Some("s".into()));
        assert!(flows.take(&id).is_none(), "a replay finds nothing");
    }

    #[test]
    fn the_oldest_flow_goes_when_full() {
        let flows = Flows::new();
        let first = flows.begin(flow());
        let second = flows.begin(flow());
        for _ in 0..CAPACITY - 1 {
            flows.begin(flow());
        }
        assert!(flows.take(&first).is_none());
        assert!(flows.take(&second).is_some());
    }

    #[test]
    fn only_local_paths_return() {
        for ok in ["/", "/leerlingen?klas=7A", "/a/b#c"] {
            assert_eq!(local_path(ok), Some(ok));
        }
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "evil", "", "/a b", "/\t/x", "javascript:alert(1)"] {
            assert_eq!(local_path(bad), None, "{bad}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(600))), None);
    }
}
