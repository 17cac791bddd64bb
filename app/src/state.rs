//! What every server function may use (server only), handed to them through Leptos's context.

use crate::{error::AppError, rate_limit::LoginLimiter};
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub login_limiter: Arc<LoginLimiter>,
}

impl AppState {
    pub fn new(pool: PgPool) -> Self {
        AppState { pool, login_limiter: Arc::new(LoginLimiter::new()) }
    }
}

/// The state inside a server function; its absence is a wiring bug, reported as an internal error.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal
    })
}
