//! Retention in the running service: `Store::purge_expired` at start and then every
//! `retention.purge_interval_minutes`, each run logged with its counts. A failed run is
//! logged and tried again at the next interval.

use std::time::Duration;

use magdit_store::Store;
use time::OffsetDateTime;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

/// Starts the purging task; abort it to stop.
pub fn start(store: Store, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match store.purge_expired(OffsetDateTime::now_utc()).await {
                Ok(r) => tracing::info!(
                    schools = r.schools.len(),
                    checks = r.schools.iter().map(|s| s.checks).sum::<u64>(),
                    check_texts = r.schools.iter().map(|s| s.check_texts).sum::<u64>(),
                    audit_payloads = r.schools.iter().map(|s| s.audit_payloads).sum::<u64>()
                        + r.board_audit_payloads.iter().map(|(_, n)| n).sum::<u64>(),
                    sessions = r.sessions,
                    "retention purge"
                ),
                Err(e) => tracing::error!(error = %e, "retention purge failed"),
            }
        }
    })
}
