//! The application router: the Leptos app, its server functions, the plain HTTP routes and the
//! middleware stack. Tests call `app_router` too, so they exercise exactly the stack production runs.

use super::Settings;

use crate::{
    client_address::resolve_client_address,
    guard::{guard_server_fns, GuardSettings, MAX_REQUEST_BODY},
    headers::{provide_request_nonce, security_headers, HeaderSettings},
    live,
    page_cache::{PageCacheLayer, DYNAMIC_GZIP_LEVEL},
    record_files,
};
use app::{
    auth::{AuthSession, Backend},
    domain::delivery::content_disposition,
    error::AppError,
    payments::SIGNATURE_HEADER,
    shell,
    state::AppState,
    App,
};
use axum::{
    body::Bytes,
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    middleware,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use axum_login::AuthManagerLayerBuilder;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use sqlx::PgPool;
use std::sync::Arc;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
    CompressionLevel, LatencyUnit,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;
use uuid::Uuid;

/// The session cookie's name. The page cache answers no request that carries a cookie other than
/// the language's, so this one included.
const SESSION_COOKIE: &str = "codelink_session";

pub fn app_router(state: AppState, mut leptos_options: LeptosOptions, settings: &Settings) -> Router {
    // The pages name the build's files by their hashes when the build wrote them (`hash.txt`).
    leptos_options.hash_files =
        app::build_files::BuildFiles::current(&leptos_options.output_name, &leptos_options.hash_file).hashed;
    let pool = state.pool.clone();
    let session_store = PostgresStore::new(pool.clone());
    let sessions = SessionManagerLayer::new(session_store)
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(14)));
    let auth = AuthManagerLayerBuilder::new(Backend::new(pool.clone()), sessions).build();
    let demo = state.is_demo();
    // Outside demo mode the sandbox pages do not exist: their paths fall to the 404 page.
    let routes =
        generate_route_list(App).into_iter().filter(|route| demo || !route.path().starts_with("/sandbox")).collect();
    let guard =
        Arc::new(GuardSettings { origins: settings.origins.clone(), demo, secure_cookies: settings.secure_cookies });
    let pkg = leptos_options.site_pkg_dir.trim_matches('/');
    let script_files = settings.origins.iter().map(|origin| format!("{}/{pkg}/", origin.url())).collect();
    let headers = Arc::new(HeaderSettings { script_files, hsts: settings.secure_cookies });
    let proxies = Arc::new(settings.trusted_proxies.clone());
    // Every page render gets the state, the nonce the response's CSP names, and the deployment's
    // facts the footer shows.
    let site = app::views::legal::SiteFacts { icp_number: settings.icp_number.clone() };
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(site.clone());
            provide_request_nonce();
        }
    };

    let pages = Router::new()
        .route("/healthz", get(crate::lifecycle::healthz).with_state(state.clone()))
        .route("/readyz", get(crate::lifecycle::readyz).with_state(state.clone()))
        .route("/language/{locale}", get(switch_language))
        .route("/payments/notify", post(payment_callback).with_state(state.clone()))
        .route("/files/{id}", get(download_file).with_state(state.pool.clone()))
        .merge(record_files::routes(state.clone()))
        .merge(crate::portfolio_images::routes(state.pool.clone()))
        .merge(crate::search_engines::routes(state.pool.clone()))
        .merge(crate::web_app::routes(&leptos_options))
        .merge(live::routes(state.clone()))
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(context, shell))
        .route_layer(middleware::from_fn(crate::metrics::remember_route))
        // A page is rendered to its end even when its visitor leaves (`complete_render`).
        .layer(middleware::from_fn(crate::complete_render::render_to_the_end))
        // Inside the guard, so a body declared too large gets the guard's JSON 413 first; this
        // cuts one that grows too large while it streams.
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(middleware::from_fn_with_state(guard, guard_server_fns))
        // A user whose consent to newer terms is due sees the consent page before any other page.
        .layer(middleware::from_fn_with_state(state.pool.clone(), crate::consent::consent_gate))
        // A session whose device was logged out (or whose password changed) leaves as a guest here,
        // before the guard or any page sees it.
        .layer(middleware::from_fn_with_state(state.pool.clone(), app::auth::end_revoked_sessions))
        .layer(auth)
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(middleware::from_fn_with_state(proxies, resolve_client_address));
    // The build's files skip every layer above (sessions, sign-in, consent): they are the same for
    // everyone. The layers below apply to both.
    crate::static_files::routes(&leptos_options)
        .merge(pages)
        .layer(CatchPanicLayer::custom(panicked))
        // Pages rendered per request (signed in) are compressed as they go out, cheaply (the kept
        // anonymous pages are compressed once, harder, in `page_cache`).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(DYNAMIC_GZIP_LEVEL as i32)))
        .layer(middleware::from_fn_with_state(headers, security_headers))
        // Outside the security headers: a kept page keeps the policy whose nonce it carries.
        .layer(PageCacheLayer::new(state.public_pages.clone()))
        // Every log line of a request carries its id, which the response returns as X-Request-Id
        // (kept when a proxy in front already set one).
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(middleware::from_fn(crate::metrics::record_requests))
        .with_state(leptos_options)
}

fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request.headers().get("x-request-id").and_then(|value| value.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", id, method = %request.method(), uri = %request.uri())
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
    match app::db::payouts::receive_signed(&state, &body, signature).await {
        Ok(_) => (StatusCode::OK, "SUCCESS"),
        Err(error) => (StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST), "FAIL"),
    }
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

#[derive(serde::Deserialize)]
struct Back {
    back: Option<String>,
}

/// The header's language switch: stores the choice in the cookie the pages are rendered from
/// (`i18n_pref_locale`, read by leptos_i18n) and sends the reader back to the page they were on
/// (a path on this site only). Works without JavaScript.
async fn switch_language(Path(locale): Path<String>, Query(back): Query<Back>) -> Response {
    if !matches!(locale.as_str(), "zh-CN" | "en") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let to = app::domain::validation::local_location(back.back.as_deref().unwrap_or("/"));
    let cookie = format!("{}={locale}; Path=/; Max-Age=31536000; SameSite=Lax", app::words::LOCALE_COOKIE);
    (StatusCode::SEE_OTHER, [(header::LOCATION, to), (header::SET_COOKIE, cookie)]).into_response()
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
}
