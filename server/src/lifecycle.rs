//! A process's life as the load balancer sees it: `/healthz` (alive: the process answers and the
//! database does), `/readyz` (send me requests: the database answers, its schema is at least this
//! build's, and the process is not draining), and the drain on SIGTERM or Ctrl-C.
//!
//! Draining, in order: readiness fails at once, so the balancer stops sending new requests within
//! its check interval; live streams end with a hint to reconnect (they come back through another
//! instance); background workers finish the round in hand and stop. After `drain_grace` the
//! listener closes, requests under way finish, and the process waits for its workers, then exits.

use app::state::AppState;
use axum::{extract::State, http::StatusCode};
use std::time::Duration;

/// Liveness: 200 when the database answers.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Readiness: 503 while draining, while the database does not answer, and while its schema is
/// older than this build's (a rolling deploy's new instance before the migrations ran). A schema
/// newer than this build's is ready: migrations stay compatible with the release before them.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.lifecycle.draining.is_cancelled() {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    let newest_here = crate::startup::MIGRATIONS.iter().map(|migration| migration.version).max().unwrap_or(0);
    let applied: Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool)
            .await;
    match applied {
        Ok(version) if version >= newest_here => (StatusCode::OK, "ready"),
        Ok(_) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(error) => {
            tracing::warn!(%error, "readiness: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// How long a draining process keeps serving before it closes its listener: long enough for the
/// balancer to see `/readyz` fail twice (HAProxy checks every 500 ms in `scripts/cluster`, which sets 3).
/// `CODELINK_DRAIN_SECS`; without a balancer in front (`scripts/start`) there is no one to tell,
/// and the default is 0.
pub fn drain_grace() -> Duration {
    let secs = std::env::var("CODELINK_DRAIN_SECS").ok().and_then(|value| value.trim().parse::<f64>().ok());
    Duration::from_secs_f64(secs.filter(|s| s.is_finite() && *s >= 0.0).unwrap_or(0.0).min(60.0))
}

/// Resolves when the process is asked to stop (SIGTERM, or Ctrl-C), after starting the drain and
/// waiting out the grace period: the moment for the server to close its listener.
pub async fn drained(state: AppState) {
    let terminate = async {
        #[cfg(unix)]
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = terminate => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    let grace = drain_grace();
    tracing::info!(grace_ms = grace.as_millis() as u64, "draining: not ready, ending live streams and workers");
    state.lifecycle.draining.cancel();
    tokio::time::sleep(grace).await;
    tracing::info!("closing the listener; finishing requests under way");
}

/// After the server stopped: waits (at most `limit`) for the background workers to finish their round.
pub async fn wait_for_workers(state: &AppState, limit: Duration) {
    state.lifecycle.workers.close();
    if tokio::time::timeout(limit, state.lifecycle.workers.wait()).await.is_err() {
        tracing::warn!(still_running = state.lifecycle.workers.len(), "workers did not finish in time; exiting");
    }
}
