//! Builds the application router. Tests call `app_router` too, so they exercise exactly the
//! middleware stack production runs.

use crate::{guard::guard_server_fns, live, record_files};
use app::{
    auth::{AuthSession, Backend},
    domain::delivery::content_disposition,
    payments::{SignedCallback, SIGNATURE_HEADER},
    shell,
    state::AppState,
    App,
};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, State},
    http::{header, HeaderMap, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::{postgres::PgPoolOptions, PgPool};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;
use tower_http::{
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
    LatencyUnit,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;
use uuid::Uuid;

/// Largest request body accepted. Generous enough that an over-long form field reaches validation
/// and gets a message under the field instead of a bare 413; file uploads get their own routes.
const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

pub struct Settings {
    /// Mark the session cookie `Secure`; on whenever the site is served over https.
    pub secure_cookies: bool,
    /// The key payment callbacks are signed with (shared with the provider).
    pub payment_secret: String,
}

/// Used when CODELINK_PAYMENT_SECRET is unset: fine for the sandbox, never for real money.
const SANDBOX_PAYMENT_SECRET: &str = "codelink-sandbox-not-a-secret";

impl Settings {
    pub fn from_env() -> Self {
        let public_url = std::env::var("CODELINK_PUBLIC_URL").unwrap_or_default();
        let payment_secret = std::env::var("CODELINK_PAYMENT_SECRET").unwrap_or_else(|_| {
            tracing::warn!("CODELINK_PAYMENT_SECRET not set: using the sandbox's public key");
            SANDBOX_PAYMENT_SECRET.into()
        });
        Settings { secure_cookies: public_url.starts_with("https://"), payment_secret }
    }
}

pub async fn connect(database_url: &str) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(5)).connect(database_url).await
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
        .route("/payments/notify", post(payment_callback).with_state(state.clone()))
        .route("/files/{id}", get(download_file).with_state(state.pool.clone()))
        .merge(record_files::routes(state.clone()))
        .merge(live::routes(state.clone()))
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
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        .with_state(leptos_options)
}

/// A payment provider's server-to-server callback. Providers retry until they get a 2xx, so a
/// duplicate is answered 200 too; a bad signature gets 403 and changes nothing.
async fn payment_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    match app::db::payments::receive_signed(&state, &body, signature).await {
        Ok(_) => (StatusCode::OK, "SUCCESS"),
        Err(error) => (StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST), "FAIL"),
    }
}

/// Feeds the sandbox's own callbacks (payout results) through the same path as an HTTP callback.
pub fn spawn_payment_callbacks(state: AppState, mut callbacks: UnboundedReceiver<SignedCallback>) {
    tokio::spawn(async move {
        while let Some((body, signature)) = callbacks.recv().await {
            if let Err(error) = app::db::payments::receive_signed(&state, &body, &signature).await {
                tracing::error!(?error, "sandbox callback failed");
            }
        }
    });
}

/// A delivered file, for the task's two parties and admins. Always sent as an attachment of an
/// opaque type, so an uploaded HTML or SVG file can never run as a page of this site.
async fn download_file(auth: AuthSession, State(pool): State<PgPool>, Path(id): Path<Uuid>) -> Response {
    let Some(user) = auth.user else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    match app::db::files::readable_by(&pool, id, (user.id, user.role)).await {
        Ok(Some(file)) => attachment(&file.name, file.bytes),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "reading a delivery file");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A user's file, always as a download under its own name: never rendered by the browser (a
/// delivered HTML file must not run on our origin), never cached by a shared cache.
pub(crate) fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(name)),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, no-store".into()),
        ],
        bytes,
    )
        .into_response()
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

/// How many growth workers drain the outbox side by side (rows are claimed with SKIP LOCKED). One
/// worker is bound by round trips, not CPU; a few in parallel keep up with the payout rate.
pub const GROWTH_WORKERS: usize = 4;

/// The growth workers: award what finished tasks are owed (see `db::growth::drain_outbox`). A
/// payout commits first and the award follows within a tick; polling an empty, indexed table four
/// times a second costs next to nothing, and needs no wake-up from the many places a task can
/// finish (acceptance, the 7-day rule, a settled dispute) nor from other server processes.
pub fn spawn_growth_workers(state: AppState) {
    for _ in 0..GROWTH_WORKERS {
        let pool = state.pool.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match app::db::growth::drain_outbox(&pool).await {
                    Ok(0) => {}
                    Ok(n) => tracing::debug!(n, "growth awarded for finished tasks"),
                    Err(error) => tracing::warn!(%error, "growth worker could not drain the outbox"),
                }
            }
        });
    }
}

/// Sends notification e-mails users asked for, through the local outbox transport, a few seconds
/// after the notification is written.
pub fn spawn_mail_sender(state: AppState) {
    tokio::spawn(async move {
        let base_url = app::state::public_url();
        let mut tick = tokio::time::interval(Duration::from_secs(2));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::db::email::send_due(&state.pool, &app::mail::LocalOutbox, &base_url).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "notification e-mails sent"),
                Err(error) => tracing::warn!(%error, "could not send notification e-mails"),
            }
        }
    });
}

/// Loads the segmentation dictionary and indexes any task written without a search index (by an
/// older version, or in bulk), in the background so the server answers meanwhile.
pub fn spawn_search_backfill(state: AppState) {
    tokio::spawn(async move {
        if let Err(error) = tokio::task::spawn_blocking(app::search::warm_up).await {
            tracing::warn!(%error, "could not load the segmentation dictionary");
        }
        match app::db::search::backfill(&state.pool).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "tasks added to the search index"),
            Err(error) => tracing::warn!(%error, "could not back-fill the search index"),
        }
    });
}

/// Drops idle login-limiter buckets and expired sessions in the background.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let store = PostgresStore::new(state.pool.clone());
        // Deadlines are data (respond_by, delivered_at), so a restart loses nothing: the next tick
        // finds whatever fell due while the server was down.
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        for round in 0u64.. {
            tick.tick().await;
            match app::db::lifecycle::expire_applications(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "applications expired after 48 hours"),
                Err(error) => tracing::warn!(%error, "could not expire applications"),
            }
            match app::db::tasks::notify_saved_searches(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "developers told about tasks matching their saved searches"),
                Err(error) => tracing::warn!(%error, "could not check saved searches"),
            }
            match app::db::lifecycle::remind_deadlines(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "developers reminded of deadlines within 48 hours"),
                Err(error) => tracing::warn!(%error, "could not send deadline reminders"),
            }
            match app::db::reviews::reveal_due(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "reviews revealed after 14 days"),
                Err(error) => tracing::warn!(?error, "could not reveal due reviews"),
            }
            match app::db::growth::apply_due_rules(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "levels re-evaluated under growth rules that came into force"),
                Err(error) => tracing::warn!(?error, "could not apply scheduled growth rules"),
            }
            match app::db::membership::renew_due(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "memberships renewed or ended"),
                Err(error) => tracing::warn!(?error, "could not renew memberships"),
            }
            match app::db::membership::end_promotions_of_closed_tasks(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "promotions of tasks that left the hall ended and refunded"),
                Err(error) => tracing::warn!(?error, "could not end promotions"),
            }
            match app::db::lifecycle::auto_accept_deliveries(&state.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "deliveries accepted after 7 days of silence"),
                Err(error) => tracing::warn!(?error, "could not auto-accept deliveries"),
            }
            if round % 10 == 0 {
                state.login_limiter.forget_idle();
                state.registration_limiter.forget_idle();
                state.application_limiter.forget_idle();
                state.sms_limiter.forget_idle();
                state.recent_registrations.forget_idle();
                if let Err(error) = tower_sessions::ExpiredDeletion::delete_expired(&store).await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
            }
        }
    });
}
