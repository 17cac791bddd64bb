//! Builds the application router. Tests call `app_router` too, so they exercise exactly the
//! middleware stack production runs.

use crate::{
    client_address::resolve_client_address,
    guard::{guard_server_fns, GuardSettings, SiteOrigin, MAX_REQUEST_BODY},
    headers::{provide_request_nonce, security_headers, HeaderSettings},
    live, record_files,
};
use app::{
    auth::{AuthSession, Backend},
    domain::{delivery::content_disposition, forwarded::TrustedProxies},
    error::AppError,
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
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tokio::sync::mpsc::UnboundedReceiver;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
    LatencyUnit,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;
use uuid::Uuid;

pub struct Settings {
    /// `CODELINK_DEMO=1`: the local providers with their sandbox pages, and demo defaults.
    pub demo: bool,
    /// Where users reach the site (`CODELINK_PUBLIC_URL`; in demo mode, by default, the address
    /// the server listens on).
    pub public_url: String,
    /// The origins server functions accept calls from: the public URL's, and in demo mode also
    /// the listening address (and `localhost` for a loopback one), however the demo is opened.
    pub origins: Vec<SiteOrigin>,
    /// Mark the session cookie `Secure` and send HSTS; on whenever the public URL is https.
    pub secure_cookies: bool,
    /// The key payment callbacks are signed with (shared with the provider).
    pub payment_secret: String,
    /// `CODELINK_TRUSTED_PROXIES`: peers whose X-Forwarded-For / Forwarded are believed.
    pub trusted_proxies: TrustedProxies,
}

/// Used in demo mode when CODELINK_PAYMENT_SECRET is unset: fine for the sandbox, never for real money.
const SANDBOX_PAYMENT_SECRET: &str = "codelink-sandbox-not-a-secret";

/// What a deployment must set, and why. This build has only local providers, so outside demo mode
/// the server refuses to start even when all are set (see `Settings::from_env`).
const DEPLOYMENT_SETTINGS: &[(&str, &str)] = &[
    ("CODELINK_PUBLIC_URL", "the https address users reach the site at (origin check, links, credentials)"),
    ("CODELINK_PAYMENT_SECRET", "the key the payment provider signs its callbacks with"),
    ("CODELINK_PAYMENT_GATEWAY_URL", "real payments need a provider"),
    ("CODELINK_SMS_GATEWAY_URL", "login codes need an SMS service"),
    ("CODELINK_IDENTITY_GATEWAY_URL", "real-name checks need a licensed identity provider"),
];

impl Settings {
    /// Demo settings for a server listening on `site_addr`, with the sandbox's public payment key.
    pub fn demo(site_addr: SocketAddr) -> Self {
        Self::new(
            true,
            format!("http://{site_addr}"),
            site_addr,
            SANDBOX_PAYMENT_SECRET.into(),
            TrustedProxies::default(),
        )
        .expect("a socket address makes a valid URL")
    }

    /// Reads the environment. Outside demo mode the error names every missing setting.
    pub fn from_env(site_addr: SocketAddr) -> Result<Self, String> {
        let var = |name: &str| std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let demo = matches!(var("CODELINK_DEMO").as_deref(), Some("1" | "true" | "yes"));
        let trusted_proxies =
            TrustedProxies::parse(&var("CODELINK_TRUSTED_PROXIES").unwrap_or_default()).map_err(|entry| {
                format!("CODELINK_TRUSTED_PROXIES: {entry:?} is neither an IP address nor a CIDR block")
            })?;
        if demo {
            let public_url = var("CODELINK_PUBLIC_URL").unwrap_or_else(|| format!("http://{site_addr}"));
            let payment_secret = var("CODELINK_PAYMENT_SECRET").unwrap_or_else(|| {
                tracing::warn!("demo mode: CODELINK_PAYMENT_SECRET not set, using the sandbox's public key");
                SANDBOX_PAYMENT_SECRET.into()
            });
            return Self::new(true, public_url, site_addr, payment_secret, trusted_proxies);
        }
        let missing: Vec<String> = DEPLOYMENT_SETTINGS
            .iter()
            .filter(|(name, _)| var(name).is_none())
            .map(|(name, why)| format!("{name} is not set: {why}"))
            .collect();
        if missing.is_empty() {
            return Err(
                "CODELINK_PAYMENT_GATEWAY_URL, CODELINK_SMS_GATEWAY_URL and CODELINK_IDENTITY_GATEWAY_URL are \
                 set, but this build has clients only for the local providers (sandbox payments, local SMS inbox, \
                 local identity check); set CODELINK_DEMO=1 to run it as a demo"
                    .into(),
            );
        }
        Err(format!(
            "not starting outside demo mode: {}. This build has only local providers; set CODELINK_DEMO=1 for the \
             local sandbox",
            missing.join("; ")
        ))
    }

    fn new(
        demo: bool,
        public_url: String,
        site_addr: SocketAddr,
        payment_secret: String,
        trusted_proxies: TrustedProxies,
    ) -> Result<Self, String> {
        let public_url = public_url.trim_end_matches('/').to_string();
        let public = SiteOrigin::parse(&public_url)
            .ok_or("CODELINK_PUBLIC_URL must be an http:// or https:// address, such as https://codelink.example")?;
        let mut origins = vec![public];
        if demo {
            let port = site_addr.port();
            let local = [
                Some(format!("http://{site_addr}")),
                site_addr.ip().is_loopback().then(|| format!("http://localhost:{port}")),
            ];
            for origin in local.into_iter().flatten().filter_map(|url| SiteOrigin::parse(&url)) {
                if !origins.contains(&origin) {
                    origins.push(origin);
                }
            }
        }
        let secure_cookies = public_url.starts_with("https://");
        Ok(Settings { demo, public_url, origins, secure_cookies, payment_secret, trusted_proxies })
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
    let demo = state.is_demo();
    // Outside demo mode the sandbox pages do not exist: their paths fall to the 404 page.
    let routes =
        generate_route_list(App).into_iter().filter(|route| demo || !route.path().starts_with("/sandbox")).collect();
    let guard = Arc::new(GuardSettings { origins: settings.origins.clone(), demo });
    let pkg = leptos_options.site_pkg_dir.trim_matches('/');
    let script_files = settings.origins.iter().map(|origin| format!("{}/{pkg}/", origin.url())).collect();
    let headers = Arc::new(HeaderSettings { script_files, hsts: settings.secure_cookies });
    let proxies = Arc::new(settings.trusted_proxies.clone());
    // Every page render gets the state, and the nonce the response's CSP names.
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_request_nonce();
        }
    };

    Router::new()
        .route("/healthz", get(healthz).with_state(pool))
        .route("/payments/notify", post(payment_callback).with_state(state.clone()))
        .route("/files/{id}", get(download_file).with_state(state.pool.clone()))
        .merge(record_files::routes(state.clone()))
        .merge(live::routes(state.clone()))
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(context, shell))
        // Inside the guard, so a body declared too large gets the guard's JSON 413 first; this
        // cuts one that grows too large while it streams.
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(middleware::from_fn_with_state(guard, guard_server_fns))
        // A session whose device was logged out (or whose password changed) leaves as a guest here,
        // before the guard or any page sees it.
        .layer(middleware::from_fn_with_state(state.pool.clone(), app::auth::end_revoked_sessions))
        .layer(auth)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(middleware::from_fn_with_state(proxies, resolve_client_address))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(headers, security_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        .with_state(leptos_options)
}

/// The last backstop: a panic anywhere below answers the app's JSON error instead of dropping the
/// connection (the panic itself is logged by the panic hook).
fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked; answered 500");
    crate::guard::error_response(AppError::Internal)
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

/// The payout worker (every second: send due payout requests from the outbox) and reconciliation
/// (every `CODELINK_RECONCILE_SECS`, default 180: settle what waited longer than that from the
/// provider's answer). Both read only rows, so a restart or a second server loses and doubles nothing.
pub fn spawn_payout_jobs(state: AppState) {
    let worker = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::db::payouts::dispatch(&worker.pool, &*worker.payments, None, 100).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(n, "payout requests sent"),
                Err(error) => tracing::warn!(%error, "payout worker could not send"),
            }
        }
    });
    let period = app::domain::payouts::reconciliation_period_secs(std::env::var("CODELINK_RECONCILE_SECS").ok().as_deref());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(period));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::db::payouts::reconcile(&state.pool, &*state.payments, period as i64).await {
                Ok(done) if done == Default::default() => {}
                Ok(done) => tracing::info!(?done, "payments reconciled with the provider"),
                Err(error) => tracing::warn!(?error, "could not reconcile payments"),
            }
        }
    });
}

/// A delivered file, for the task's two parties and admins. Always sent as an attachment of an
/// opaque type, so an uploaded HTML or SVG file can never run as a page of this site.
async fn download_file(auth: AuthSession, State(pool): State<PgPool>, Path(id): Path<Uuid>) -> Response {
    let Some(user) = auth.user.clone() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    // An admin reads any task's files: only from a session that passed a second factor, as every
    // admin function requires (`api::access::check_access`).
    if user.role == app::domain::account::Role::Admin
        && !app::api::access::is_verified_admin(&auth).await.unwrap_or(false)
    {
        return StatusCode::FORBIDDEN.into_response();
    }
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
                state.reset_limiter.forget_idle();
                state.recent_registrations.forget_idle();
                if let Err(error) = tower_sessions::ExpiredDeletion::delete_expired(&store).await {
                    tracing::warn!(%error, "could not delete expired sessions");
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panic_answers_the_json_internal_error() {
        let router: Router = Router::new()
            .route(
                "/boom",
                get(|| async {
                    if true {
                        panic!("a handler bug");
                    }
                    StatusCode::OK
                }),
            )
            .layer(CatchPanicLayer::custom(panicked));
        let request = axum::http::Request::get("/boom").body(axum::body::Body::empty()).unwrap();
        let response = router.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024).await.unwrap();
        assert_eq!(&body[..], br#"{"code":"internal"}"#);
    }

    #[test]
    fn the_demo_accepts_its_listening_address_as_opened_either_way() {
        let settings = Settings::demo("127.0.0.1:3100".parse().unwrap());
        assert_eq!(settings.public_url, "http://127.0.0.1:3100");
        assert!(!settings.secure_cookies);
        for url in ["http://127.0.0.1:3100", "http://localhost:3100"] {
            assert!(settings.origins.contains(&SiteOrigin::parse(url).unwrap()), "{url}");
        }
        assert!(!settings.origins.contains(&SiteOrigin::parse("http://127.0.0.1:3000").unwrap()));
        let public = Settings::new(
            true,
            "https://codelink.example/".into(),
            "0.0.0.0:3000".parse().unwrap(),
            "k".into(),
            TrustedProxies::default(),
        )
        .unwrap();
        assert!(public.secure_cookies && public.origins[0] == SiteOrigin::parse("https://codelink.example").unwrap());
        assert!(Settings::new(
            false,
            "codelink.example".into(),
            "0.0.0.0:3000".parse().unwrap(),
            "k".into(),
            TrustedProxies::default()
        )
        .is_err());
    }
}
