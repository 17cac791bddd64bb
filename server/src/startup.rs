//! Builds the application router. Tests call `app_router` too, so they exercise exactly the
//! middleware stack production runs.

use crate::guard::guard_server_fns;
use app::{auth::Backend, shell, state::AppState, App};
use axum::{
    extract::{DefaultBodyLimit, State},
    http::StatusCode,
    middleware,
    routing::get,
    Router,
};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
    LatencyUnit,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// Largest request body accepted. Generous enough that an over-long form field reaches validation
/// and gets a message under the field instead of a bare 413; file uploads get their own routes.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

pub struct Settings {
    /// Mark the session cookie `Secure`; on whenever the site is served over https.
    pub secure_cookies: bool,
}

impl Settings {
    pub fn from_env() -> Self {
        let public_url = std::env::var("CODELINK_PUBLIC_URL").unwrap_or_default();
        Settings { secure_cookies: public_url.starts_with("https://") }
    }
}

pub async fn connect(database_url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(5))
        .connect(database_url)
        .await
}

/// Brings the schema up to date: ours (embedded migrations) and the session store's.
pub async fn migrate(pool: &PgPool) -> Result<(), Box<dyn std::error::Error>> {
    sqlx::migrate!("../migrations").run(pool).await?;
    PostgresStore::new(pool.clone()).migrate().await?;
    Ok(())
}

pub fn app_router(state: AppState, leptos_options: LeptosOptions, settings: &Settings) -> Router {
    let pool = state.pool.clone();
    let session_store = PostgresStore::new(pool.clone());
    let sessions = SessionManagerLayer::new(session_store)
        .with_name("codelink_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(14)));
    let auth = AuthManagerLayerBuilder::new(Backend::new(pool.clone()), sessions).build();
    let routes = generate_route_list(App);

    Router::new()
        .route("/healthz", get(healthz).with_state(pool))
        .leptos_routes_with_context(
            &leptos_options,
            routes,
            {
                let state = state.clone();
                move || provide_context(state.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(middleware::from_fn(guard_server_fns))
        .layer(auth)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .with_state(leptos_options)
}

/// Liveness and readiness in one: 200 only when the database answers.
async fn healthz(State(pool): State<PgPool>) -> (StatusCode, &'static str) {
    match sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&pool).await {
        Ok(_) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Drops idle login-limiter buckets and expired sessions in the background.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let store = PostgresStore::new(state.pool.clone());
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            state.login_limiter.forget_idle();
            if let Err(error) = tower_sessions::ExpiredDeletion::delete_expired(&store).await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        }
    });
}
