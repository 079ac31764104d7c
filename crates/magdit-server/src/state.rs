//! What every handler shares: the store, the engine, the protocol and roster caches, metrics,
//! settings.

use std::sync::Arc;

use magdit_engine::Engine;
use magdit_store::{School, Store};
use time::OffsetDateTime;
use tokio::task::JoinHandle;

use crate::auth::LoginLimiter;
use crate::checks_log::ChecksLog;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::oidc::Oidc;
use crate::problem::Problem;
use crate::protocol_cache::ProtocolCache;
use crate::request_cache::RequestCache;
use crate::roster_cache::RosterCache;

/// Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// The shipped protocols (and any given to `magdit serve --protocol-file`).
    pub engine: Arc<Engine>,
    /// Schools' own protocols, each in an engine of its own.
    pub protocols: Arc<ProtocolCache>,
    pub rosters: Arc<RosterCache>,
    pub request_cache: Arc<RequestCache>,
    pub metrics: Arc<Metrics>,
    pub checks: Arc<ChecksLog>,
    pub logins: Arc<LoginLimiter>,
    pub oidc: Arc<Oidc>,
    pub config: Arc<Config>,
}

impl AppState {
    /// The state, and the task that writes stored checks; it ends once every clone of the
    /// state is dropped.
    pub fn start(store: Store, engine: Engine, config: Config) -> (AppState, JoinHandle<()>) {
        let metrics = Metrics::new();
        let (checks, writer) = ChecksLog::start(store.clone(), metrics.dropped_checks());
        let state = AppState {
            store,
            engine: Arc::new(engine),
            protocols: Arc::new(ProtocolCache::default()),
            rosters: Arc::new(RosterCache::default()),
            request_cache: Arc::new(RequestCache::default()),
            metrics: Arc::new(metrics),
            checks: Arc::new(checks),
            logins: Arc::new(LoginLimiter::new()),
            oidc: Arc::new(Oidc::new(&config.oidc)),
            config: Arc::new(config),
        };
        (state, writer)
    }

    /// A list's page size: `asked`, or 100, within the configured maximum.
    pub fn page_limit(&self, asked: Option<u32>) -> Result<u32, Problem> {
        let max = self.config.limits.page_size_max.min(magdit_store::roster::MAX_PAGE);
        match asked {
            None => Ok(100.min(max)),
            Some(n) if (1..=max).contains(&n) => Ok(n),
            Some(n) => Err(Problem::invalid("limit", format!("{n} is not between 1 and {max}"))),
        }
    }

    /// Now, as the school's local time: the day decides ages and consent renewal. Dutch
    /// schools all keep Dutch time (CET/CEST).
    pub fn school_now(&self, _school: &School) -> OffsetDateTime {
        let now = OffsetDateTime::now_utc();
        now.to_offset(crate::clock::amsterdam_offset(now))
    }
}
