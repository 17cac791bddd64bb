//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{
    error::AppError,
    payments::{PaymentProvider, SandboxProvider, SignedCallback},
    rate_limit::LoginLimiter,
};
use sqlx::PgPool;
use std::{
    future::Future,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::sync::mpsc::UnboundedReceiver;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub login_limiter: Arc<LoginLimiter>,
    /// The payment provider every deposit and withdrawal goes through.
    pub payments: Arc<dyn PaymentProvider>,
    /// "共 N 个开放任务" for the hall. Counting 10,000 open tasks was the largest single cost of a
    /// hall render (1.7 ms of PostgreSQL CPU out of ~3 ms); a figure up to two seconds old is fine.
    pub open_task_count: Arc<CachedCount>,
    /// The same provider's sandbox side (its checkout page), present while the sandbox is in use.
    pub sandbox: Option<Arc<SandboxProvider>>,
}

impl AppState {
    /// State with the sandbox payment provider. The receiver yields the sandbox's payout callbacks;
    /// the server feeds them to `db::payments::receive` (see `server::startup`).
    pub fn with_sandbox(pool: PgPool, payment_secret: &[u8]) -> (Self, UnboundedReceiver<SignedCallback>) {
        let (sandbox, callbacks) = SandboxProvider::new(payment_secret);
        let state = AppState {
            pool,
            login_limiter: Arc::new(LoginLimiter::new()),
            payments: sandbox.clone(),
            open_task_count: Arc::new(CachedCount::new(Duration::from_secs(2))),
            sandbox: Some(sandbox),
        };
        (state, callbacks)
    }
}

/// The state inside a server function; its absence is a wiring bug, reported as an internal error.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}

/// A number that is expensive to compute and may be a little stale: recomputed at most once per `ttl`
/// (concurrent requests at expiry may each recompute; none waits on another).
pub struct CachedCount {
    ttl: Duration,
    value: Mutex<Option<(Instant, i64)>>,
}

impl CachedCount {
    pub fn new(ttl: Duration) -> Self {
        CachedCount { ttl, value: Mutex::new(None) }
    }

    pub async fn get<F, Fut>(&self, compute: F) -> Result<i64, sqlx::Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<i64, sqlx::Error>>,
    {
        let cached = *self.value.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((at, value)) = cached {
            if at.elapsed() < self.ttl {
                return Ok(value);
            }
        }
        let value = compute().await?;
        *self.value.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((Instant::now(), value));
        Ok(value)
    }
}
