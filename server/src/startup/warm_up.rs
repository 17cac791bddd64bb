//! What a server process does before it takes its first request: load the search dictionary, open
//! every database connection and render the busiest pages once on each, so the first visitors after
//! a restart do not pay for it. Before this, the hall with a search answered its p99 in 248–288 ms
//! in the first seconds after a restart and in 65–79 ms warm: each of 32 waiting requests opened a
//! connection, prepared its statements and cut its words with a dictionary still loading.

use app::{
    domain::{hall::HallQuery, paging::HALL_PAGE_SIZE},
    read,
    search::query_terms,
};
use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{header, Request},
    Router,
};
use sqlx::PgPool;
use std::{net::SocketAddr, time::Instant};
use tower::ServiceExt;

/// The pages rendered while warming up: the hall plain, paged, searched in both scripts and
/// filtered (each shape is its own statement), and the records visitors arrive at.
const WARM_PAGES: &[&str] = &[
    "/",
    "/?page=2",
    "/?q=%E6%95%B0%E6%8D%AE%E5%88%86%E6%9E%90",
    "/?q=rust&sort=reward",
    "/?q=python&tag=python",
    "/?dmin=2&dmax=4",
    "/developers",
    "/leaderboard",
];

/// Words searched on every connection while warming up (a search's statement is prepared per
/// connection; its words only change the plan's inputs).
const WARM_WORDS: &[&str] = &["数据分析", "小程序", "rust", "python", "后端", "react"];

/// Runs the hall's searches on `connections` connections at once (so each opens and prepares
/// them), then renders each warm page once through the whole stack (which also fills the page
/// cache). Failures are logged, never fatal: a cold start is slower, not wrong.
pub async fn warm_up(router: &Router, pool: &PgPool, connections: u32) {
    let started = Instant::now();
    if let Err(error) = tokio::task::spawn_blocking(app::search::warm_up).await {
        tracing::warn!(%error, "could not load the search dictionary ahead of time");
    }
    let searches = (0..connections as usize).map(|n| {
        let query = HallQuery { q: WARM_WORDS[n % WARM_WORDS.len()].to_string(), ..HallQuery::default() };
        async move {
            let found = read::hall::search(pool, &query, query_terms(&query.q), HALL_PAGE_SIZE).await;
            if let Err(error) = found {
                tracing::warn!(%error, "a warm-up search failed");
            }
        }
    });
    futures::future::join_all(searches).await;
    let pages = WARM_PAGES.iter().map(|path| {
        let mut request =
            Request::get(*path).header(header::ACCEPT, "text/html").body(Body::empty()).expect("a fixed request");
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 0))));
        let router = router.clone();
        async move {
            let Ok(response) = router.oneshot(request).await;
            if !response.status().is_success() {
                tracing::warn!(path, status = %response.status(), "a warm-up page did not render");
            }
        }
    });
    futures::future::join_all(pages).await;
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "warmed up");
}
