//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{
    error::AppError,
    payments::{PaymentProvider, SandboxProvider, SignedCallback},
    rate_limit::LoginLimiter,
};
use sqlx::PgPool;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub login_limiter: Arc<LoginLimiter>,
    /// The payment provider every deposit and withdrawal goes through.
    pub payments: Arc<dyn PaymentProvider>,
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
