//! What search engines fetch besides the pages: `/robots.txt` and the sitemaps (`/sitemap.xml`, an
//! index of `/sitemaps/{kind}-{n}.xml`). Addresses are absolute, on the configured public URL
//! (`CODELINK_PUBLIC_URL`, or the demo's own address). The texts are `domain::sitemap`'s; the
//! rows are `read::sitemap`'s.

use app::{
    domain::sitemap::{
        file_path, index_xml, pages_for, parse_file_name, robots_txt, urlset_xml, SitemapEntry, SitemapKind,
    },
    state::public_url,
};
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sqlx::PgPool;

pub fn routes<S: Clone + Send + Sync + 'static>(pool: PgPool) -> Router<S> {
    Router::new()
        .route("/robots.txt", get(robots))
        .route("/sitemap.xml", get(sitemap_index))
        .route("/sitemaps/{file}", get(sitemap_file))
        .with_state(pool)
}

/// Crawlers re-read these often; an hour old is fresh enough.
const CACHE: &str = "public, max-age=3600";
const XML: &str = "application/xml; charset=utf-8";

async fn robots() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], robots_txt(&public_url()))
        .into_response()
}

async fn sitemap_index(State(pool): State<PgPool>) -> Response {
    let mut files = Vec::new();
    for kind in SitemapKind::ALL {
        let count = match app::read::sitemap::count(&pool, kind).await {
            Ok(count) => count,
            Err(error) => return internal(error),
        };
        files.extend((1..=pages_for(count)).map(|page| SitemapEntry { path: file_path(kind, page), lastmod: None }));
    }
    ([(header::CONTENT_TYPE, XML), (header::CACHE_CONTROL, CACHE)], index_xml(&public_url(), &files)).into_response()
}

async fn sitemap_file(State(pool): State<PgPool>, Path(file): Path<String>) -> Response {
    let Some((kind, page)) = parse_file_name(&file) else { return StatusCode::NOT_FOUND.into_response() };
    let count = match app::read::sitemap::count(&pool, kind).await {
        Ok(count) => count,
        Err(error) => return internal(error),
    };
    if page > pages_for(count) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match app::read::sitemap::entries(&pool, kind, page).await {
        Ok(urls) => ([(header::CONTENT_TYPE, XML), (header::CACHE_CONTROL, CACHE)], urlset_xml(&public_url(), &urls))
            .into_response(),
        Err(error) => internal(error),
    }
}

fn internal(error: sqlx::Error) -> Response {
    tracing::error!(%error, "reading the sitemap");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
