//! A developer's record as files: the embeddable card image, Open Badges credentials and the
//! issuer profile that verifies them, the monthly growth report PDF and admins' ZIP of them; and
//! anyone's own wallet statement as a CSV.
//! Plain axum handlers, not server functions: readers are image proxies, badge wallets, PDF
//! viewers and `curl`, which want ordinary URLs, content types and cache headers.

use app::{
    api::access::is_verified_admin,
    auth::AuthSession,
    domain::{account::Role, delivery::content_disposition, reports::ReportMonth},
    state::AppState,
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use uuid::Uuid;

pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState) -> Router<S> {
    Router::new()
        .route("/u/{handle}/card.svg", get(resume_card_svg))
        .route("/u/{handle}/card.png", get(resume_card_png))
        .route("/u/{handle}/credentials/{kind}/{key}", get(download_credential))
        .route("/credentials/{id}", get(credential))
        .route("/issuer", get(issuer_profile))
        .route("/growth/reports/{file}", get(growth_report))
        .route("/admin/exports/{id}", get(report_export))
        .route("/wallet/statement.csv", get(wallet_statement))
        .with_state(state)
}

fn internal(error: impl std::fmt::Display, doing: &str) -> Response {
    tracing::error!(%error, "{doing}");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// What an admin may fetch here is an admin function: like the server functions, it needs a
/// session that passed a second factor (`api::access::check_access`). None: go on; else the refusal.
async fn refuse_unverified_admin(auth: &AuthSession) -> Option<Response> {
    match is_verified_admin(auth).await {
        Ok(true) => None,
        Ok(false) => Some(StatusCode::FORBIDDEN.into_response()),
        Err(error) => Some(internal(format!("{error:?}"), "reading the session's second factor")),
    }
}

#[derive(serde::Deserialize)]
struct CardOptions {
    lang: Option<String>,
    theme: Option<String>,
}

/// The embeddable card image. Its ETag is a hash of the SVG itself, so a reader that has this
/// version gets a 304, and any change to the record (or the options) makes a new one; shared caches
/// (GitHub's image proxy) may keep it fifteen minutes.
async fn resume_card_svg(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    Query(options): Query<CardOptions>,
    request_headers: HeaderMap,
) -> Response {
    let (svg, etag) = match changed_card(&state, &handle, &options, "svg", &request_headers).await {
        Ok(changed) => changed,
        Err(answer) => return answer,
    };
    (card_cache_headers(etag), [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response()
}

/// The link-preview image (`og:image`): the same card, drawn to PNG on the server (previews do
/// not show SVG). Its ETag comes from the SVG, so a 304 costs no drawing.
async fn resume_card_png(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    Query(options): Query<CardOptions>,
    request_headers: HeaderMap,
) -> Response {
    let (svg, etag) = match changed_card(&state, &handle, &options, "png", &request_headers).await {
        Ok(changed) => changed,
        Err(answer) => return answer,
    };
    // Drawing is CPU work a visitor can ask for at will (any handle, language, theme): at most one
    // drawing per core at a time, so previews never starve the pages. The rest wait their turn.
    static DRAWING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    let Ok(_turn) = DRAWING.acquire().await else { return internal("closed", "waiting to draw a card PNG") };
    match tokio::task::spawn_blocking(move || crate::card_png::render(&svg)).await {
        Ok(Ok(png)) => (card_cache_headers(etag), [(header::CONTENT_TYPE, "image/png")], png).into_response(),
        Ok(Err(error)) => internal(error, "drawing a resume card PNG"),
        Err(error) => internal(error, "drawing a resume card PNG"),
    }
}

/// The card's SVG and the ETag of its `format` ("svg", "png"), or the answer that ends the request
/// here: 404 for a hidden or unknown card, 304 when the reader has this version already.
async fn changed_card(
    state: &AppState,
    handle: &str,
    options: &CardOptions,
    format: &str,
    request_headers: &HeaderMap,
) -> Result<(String, String), Response> {
    let svg = card_svg_of(state, handle, options).await?;
    let etag = etag_of(format, &svg);
    match not_modified(request_headers, &etag) {
        Some(not_modified) => Err(not_modified),
        None => Ok((svg, etag)),
    }
}

/// The card's SVG for `handle` in the asked language and theme; 404 for a hidden or unknown card.
async fn card_svg_of(state: &AppState, handle: &str, options: &CardOptions) -> Result<String, Response> {
    use app::domain::resume_card::{card_svg, CardTheme};
    let language = app::words::locale_of_param(options.lang.as_deref());
    let (facts, chosen) = match app::read::resume_card::card_facts(&state.pool, handle, language).await {
        Ok(Some(found)) => found,
        Ok(None) => return Err(StatusCode::NOT_FOUND.into_response()),
        Err(error) => return Err(internal(error, "reading a resume card")),
    };
    // The embedder's free choice (`?theme=dark`) wins; otherwise the owner's bought theme.
    let theme = match options.theme.as_deref() {
        None => chosen,
        asked => CardTheme::parse(asked),
    };
    Ok(card_svg(&facts, &app::words::card_labels(language), theme))
}

/// A strong tag from the card's SVG; `kind` keeps the SVG's and the PNG's apart.
fn etag_of(kind: &str, svg: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(svg.as_bytes());
    format!("\"{kind}-{}\"", hex::encode(&digest[..12]))
}

fn card_cache_headers(etag: String) -> [(header::HeaderName, String); 3] {
    [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "public, max-age=900".to_string()),
        (header::VARY, "Accept-Encoding".to_string()),
    ]
}

/// A 304 when the reader already has `etag`.
fn not_modified(request_headers: &HeaderMap, etag: &str) -> Option<Response> {
    let matches = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    matches.then(|| (StatusCode::NOT_MODIFIED, card_cache_headers(etag.to_string())).into_response())
}

/// A badge's or level's credential as a file to keep (`kind` is `badge` or `level`), issued on the
/// first download and the same document ever after.
async fn download_credential(
    State(state): State<AppState>,
    Path((handle, kind, key)): Path<(String, String, String)>,
) -> Response {
    let issued = match state.issuer().await {
        Ok(issuer) => app::db::credentials::issue(&state.pool, issuer, &handle, &format!("{kind}:{key}")).await,
        Err(error) => Err(error),
    };
    match issued {
        Ok(Some(document)) => {
            let file_name = format!("codelink-{handle}-{kind}-{key}.json");
            (
                [
                    (header::CONTENT_TYPE, "application/vc+ld+json".to_string()),
                    (header::CONTENT_DISPOSITION, content_disposition(&file_name)),
                ],
                Json(document),
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(format!("{error:?}"), "issuing a credential"),
    }
}

/// A credential at its own id, so the `id` inside every credential resolves.
async fn credential(State(state): State<AppState>, Path(id): Path<Uuid>) -> Response {
    match app::db::credentials::by_id(&state.pool, id).await {
        Ok(Some(document)) => ([(header::CONTENT_TYPE, "application/vc+ld+json")], Json(document)).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error, "reading a credential"),
    }
}

/// The issuer's profile with its public key: what a verifier dereferences from a proof's
/// `verificationMethod`.
async fn issuer_profile(State(state): State<AppState>) -> Response {
    match state.issuer().await {
        Ok(issuer) => (
            [(header::CONTENT_TYPE, "application/ld+json"), (header::CACHE_CONTROL, "public, max-age=3600")],
            Json(issuer.profile()),
        )
            .into_response(),
        Err(error) => internal(format!("{error:?}"), "loading the issuer key"),
    }
}

#[derive(serde::Deserialize)]
struct ReportOptions {
    lang: Option<String>,
    /// An admin may fetch any developer's report by handle.
    developer: Option<String>,
}

/// `/growth/reports/2026-10.pdf?lang=en`: the logged-in developer's report for a month that is
/// over, made on the first request and the same file after that.
async fn growth_report(
    auth: AuthSession,
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(options): Query<ReportOptions>,
) -> Response {
    let Some(user) = auth.user.clone() else { return StatusCode::UNAUTHORIZED.into_response() };
    let Some(month) = file.strip_suffix(".pdf").and_then(ReportMonth::parse) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let language = app::words::locale_of_param(options.lang.as_deref());
    let developer = match (options.developer, user.role) {
        (None, Role::Developer) => user.id,
        (Some(handle), Role::Admin) => {
            if let Some(refusal) = refuse_unverified_admin(&auth).await {
                return refusal;
            }
            match app::db::users::id_by_handle(&state.pool, &handle).await {
                Ok(Some(id)) => id,
                Ok(None) => return StatusCode::NOT_FOUND.into_response(),
                Err(error) => return internal(error, "finding a developer by handle"),
            }
        }
        _ => return StatusCode::FORBIDDEN.into_response(),
    };
    // Only the months the growth panel offers: over, and not before the developer joined (each
    // report is a render and a stored file; nobody gets to mint 300 empty ones).
    match app::db::reports::offered_months(&state.pool, developer).await {
        Ok(months) if months.contains(&month.to_string()) => {}
        Ok(_) => return (StatusCode::NOT_FOUND, "No report for that month.").into_response(),
        Err(error) => return internal(error, "reading the report months"),
    }
    // Named like the files in admins' ZIP: month, handle and language, so two downloads never clash.
    let file_name = match app::db::users::handle_of(&state.pool, developer).await {
        Ok(handle) => app::db::reports::report_file_name(month, &handle, language),
        Err(error) => return internal(error, "reading a developer's handle"),
    };
    match app::db::reports::report_pdf(&state, developer, month, language, None).await {
        Ok(Some(pdf)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (header::CONTENT_DISPOSITION, content_disposition(&file_name)),
                (header::CACHE_CONTROL, "private, max-age=86400".into()),
            ],
            pdf,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(format!("{error:?}"), "making a growth report"),
    }
}

/// A finished export (a month's growth reports as a ZIP, or an accounting CSV), for admins.
async fn report_export(auth: AuthSession, State(state): State<AppState>, Path(id): Path<Uuid>) -> Response {
    match &auth.user {
        Some(user) if user.role == Role::Admin => {}
        Some(_) => return StatusCode::FORBIDDEN.into_response(),
        None => return StatusCode::UNAUTHORIZED.into_response(),
    }
    if let Some(refusal) = refuse_unverified_admin(&auth).await {
        return refusal;
    }
    match app::db::exports::file(&state.pool, id).await {
        Ok(Some((name, content_type, bytes))) => (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".into()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => internal(error, "reading a report export"),
    }
}

#[derive(serde::Deserialize)]
struct StatementOptions {
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    lang: Option<String>,
}

/// `/wallet/statement.csv?kind=income&from=2026-01-01&to=2026-03-31&lang=en`: the signed-in user's
/// own statement under the wallet's filters, every page. The wallet's own access rule decides who
/// may have one (`/api/wallet`: any login; an admin only after a second factor); the lines are
/// always the caller's. Bad dates answer 400 with the wallet's field errors.
async fn wallet_statement(
    auth: AuthSession,
    State(state): State<AppState>,
    Query(options): Query<StatementOptions>,
) -> Response {
    use app::{
        api::{
            access::{caller, check_access},
            wallet::{statement_csv, WalletFn},
        },
        domain::{statement::StatementQuery, url_query::UrlQuery},
        error::AppError,
    };
    use leptos::server_fn::ServerFn;
    let allowed = match caller(&auth).await {
        Ok(caller) => check_access(<WalletFn as ServerFn>::PATH, caller),
        Err(error) => Err(error),
    };
    if let Err(error) = allowed {
        return crate::guard::error_response(error);
    }
    let Some(user) = auth.user.clone() else { return StatusCode::UNAUTHORIZED.into_response() };
    let pairs = [("kind", &options.kind), ("from", &options.from), ("to", &options.to)];
    let query =
        StatementQuery::from_pairs(pairs.iter().filter_map(|(key, value)| value.as_deref().map(|value| (*key, value))));
    let locale = app::words::locale_of_param(options.lang.as_deref());
    match statement_csv(&state.pool, user.id, &query, locale).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, content_disposition("codelink-statement.csv")),
                (header::CACHE_CONTROL, "private, no-store".into()),
            ],
            csv,
        )
            .into_response(),
        Err(error @ AppError::Invalid { .. }) => {
            let mut response = crate::guard::error_response(error);
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
        Err(error) => crate::guard::error_response(error),
    }
}
