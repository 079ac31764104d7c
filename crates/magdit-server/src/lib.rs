//! The magdit school service: the HTTP API (`/api/v1`) and the web UI (`/`, `web`) over the
//! engine and the store.
//!
//! ```text
//! request ─▶ limits, timeout, trace, metrics ─▶ auth (cookie or bearer) ─▶ InSchool (tenant +
//!            grants) ─▶ handler ─▶ Store (SQLite | PostgreSQL) / Engine ─▶ JSON | problem+json
//! ```
//!
//! Layout: `config` (settings), `state` (what handlers share), `auth` (sessions, login),
//! `oidc` (login through a school's identity provider), `authz` (the rules of who may do
//! what), `context` (the tenant-scoped extractor), `problem` (errors), `routes/*` (one module
//! per resource), `openapi` (the document), `protocol_cache` (a school's own protocol, in an
//! engine of its own), `request_cache`, `roster_cache` and
//! `checks_log` (what makes a check fast), `purge`
//! (retention, in the background), `metrics`, `telemetry`.

mod auth;
mod authz;
mod checks_log;
mod clock;
pub mod config;
mod context;
mod metrics;
mod oidc;
mod openapi;
mod problem;
mod protocol_cache;
mod purge;
mod request_cache;
mod roster_cache;
mod routes;
mod state;
pub mod telemetry;
mod web;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{middleware, Router};
use magdit_engine::Engine;
use magdit_store::Store;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use state::AppState;

/// The whole service, API and web UI, as a router over `state`.
pub fn app(state: AppState) -> Router {
    let limits = &state.config.limits;
    let api = Router::new()
        .route("/protocols", get(routes::protocols::list))
        .route("/protocols/{protocol}", get(routes::protocols::show))
        .route("/protocols/{protocol}/articles/{article}", get(routes::protocols::article))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/tokens", post(auth::create_token))
        .route("/auth/providers", get(oidc::providers))
        .route("/auth/oidc/{provider}/start", get(oidc::start))
        .route("/auth/oidc/{provider}/callback", get(oidc::callback))
        .route("/me", get(auth::me))
        .route("/me/password", put(routes::me::change_password))
        .route("/me/sessions", get(routes::me::sessions))
        .route("/me/sessions/{session}", delete(routes::me::revoke_session))
        .route("/boards/{board}/schools", post(routes::schools::create))
        .route("/schools", get(routes::schools::list))
        .route("/schools/{school}", get(routes::schools::get))
        .route("/schools/{school}/protocol", put(routes::schools::adopt).get(routes::school_protocol::show))
        .route(
            "/schools/{school}/protocol/file",
            put(routes::school_protocol::upload).layer(DefaultBodyLimit::max(magdit_store::protocol_files::MAX_SOURCE_BYTES)),
        )
        .route("/schools/{school}/renewal", put(routes::schools::set_renewal))
        .route("/schools/{school}/audit", get(routes::schools::audit))
        .route("/schools/{school}/audit/verify", get(routes::schools::verify_audit))
        .route("/schools/{school}/check", post(routes::check::check))
        .route("/schools/{school}/people", get(routes::people::list).post(routes::people::upsert))
        .route("/schools/{school}/people/{person}", get(routes::people::get))
        .route("/schools/{school}/people/{person}/guardians", get(routes::people::guardians))
        .route(
            "/schools/{school}/people/{person}/guardians/{guardian}",
            put(routes::people::link_guardian).delete(routes::people::unlink_guardian),
        )
        .route(
            "/schools/{school}/imports",
            post(routes::import::import).layer(DefaultBodyLimit::max(limits.import_bytes)),
        )
        .route("/schools/{school}/export", get(routes::import::export))
        .route("/schools/{school}/purposes", get(routes::consent::purposes))
        .route("/schools/{school}/purposes/{purpose}", put(routes::consent::define_purpose))
        .route("/schools/{school}/consent", get(routes::consent::class))
        .route("/schools/{school}/people/{person}/consent", get(routes::consent::pupil_consent))
        .route("/schools/{school}/people/{person}/consent/history", get(routes::consent::history))
        .route("/schools/{school}/people/{person}/consent/{purpose}", post(routes::consent::decide))
        .route("/schools/{school}/accounts", get(routes::accounts::list).post(routes::accounts::create))
        .route("/schools/{school}/accounts/{account}", get(routes::accounts::get))
        .route("/schools/{school}/accounts/{account}/grants", post(routes::accounts::add_grant))
        .route("/schools/{school}/accounts/{account}/grants/{role}", delete(routes::accounts::revoke_grant))
        .route("/schools/{school}/accounts/{account}/password", put(routes::accounts::set_password))
        .route("/schools/{school}/accounts/{account}/disable", post(routes::accounts::disable))
        .route("/schools/{school}/accounts/{account}/enable", post(routes::accounts::enable))
        .route("/schools/{school}/people/{person}/export", get(routes::privacy::export))
        .route("/schools/{school}/people/{person}/erase", post(routes::privacy::erase))
        .route("/schools/{school}/retention", get(routes::retention::get).put(routes::retention::set))
        .route("/schools/{school}/checks", get(routes::checks::list))
        .route("/schools/{school}/checks/{check}", get(routes::checks::get))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { problem::Problem::not_found("no such endpoint") })
        .layer(DefaultBodyLimit::max(limits.body_bytes));

    Router::new()
        .nest("/api/v1", api)
        .merge(web::routes(&state))
        .route("/healthz", get(routes::health::healthz))
        .route("/readyz", get(routes::health::readyz))
        .route("/metrics", get(metrics::expose))
        .layer(middleware::from_fn_with_state(state.clone(), request_cache::forget_after_changes))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_millis(limits.request_timeout_ms)))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Opens the store (creating and migrating it) and serves `engine`'s protocols until ctrl-c
/// or SIGTERM; stored checks still queued are written before it returns.
pub async fn serve(config: Config, engine: Engine) -> Result<(), ServeError> {
    let url = config.store_url();
    if config.database_url.is_empty() {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| ServeError(format!("cannot create data directory {}: {e}", config.data_dir.display())))?;
    }
    let store = Store::open(&url).await.map_err(|e| ServeError(e.to_string()))?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServeError(format!("cannot listen on {}: {e}", config.listen)))?;
    tracing::info!(listen = %config.listen, store = %magdit_store::db::redact_url(&url), "magdit serving");
    let purger = config.retention.interval().map(|every| purge::start(store.clone(), every));
    let (state, writer) = AppState::start(store, engine, config);
    let served = axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal()).await;
    if let Some(p) = purger {
        p.abort();
    }
    served.map_err(|e| ServeError(e.to_string()))?;
    // The router and its state are gone; the writer drains the queue and stops.
    let _ = writer.await;
    Ok(())
}

/// Why the service could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ServeError(String);

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
