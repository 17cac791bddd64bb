//! Prometheus metrics, served on a port of their own that the public never reaches
//! (`CODELINK_METRICS_ADDR`, default 127.0.0.1 at the site's port + 1000; `off` turns them off).
//!
//! - `http_requests_total` and `http_request_duration_seconds`, by route (the matched path, or
//!   `cached page` for a page the page cache answered) and status class;
//! - `db_pool_connections` (open, idle) and `db_pool_acquire_seconds` (a probe's wait, every 5 s);
//! - `worker_rounds_total` and `worker_round_seconds` per background worker;
//! - `outbox_depth` and `outbox_oldest_seconds` (payouts, growth, live announcements);
//! - `page_cache_requests_total` by result (hit, miss);
//! - `live_streams` open, by kind.
//!
//! Without the recorder installed (tests) every macro here is a no-op.

use app::state::AppState;
use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
    routing::get,
    Router,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder};
use std::{net::SocketAddr, sync::Arc, time::Duration, time::Instant};

/// Where the metrics are served: `CODELINK_METRICS_ADDR`, else loopback at the site's port + 1000.
pub fn address(site: SocketAddr) -> Option<SocketAddr> {
    match std::env::var("CODELINK_METRICS_ADDR").ok().as_deref().map(str::trim) {
        Some("off") => None,
        Some(given) if !given.is_empty() => match given.parse() {
            Ok(address) => Some(address),
            Err(_) => {
                tracing::warn!(given, "CODELINK_METRICS_ADDR is not host:port; metrics are off");
                None
            }
        },
        _ => Some(SocketAddr::from(([127, 0, 0, 1], site.port().saturating_add(1000)))),
    }
}

/// Installs the recorder and serves `/metrics` at `address`.
pub async fn serve(address: SocketAddr) -> Result<(), Box<dyn std::error::Error>> {
    let latency = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &latency)?
        .install_recorder()?;
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            upkeep.run_upkeep();
        }
    });
    let listener = tokio::net::TcpListener::bind(address).await?;
    let router = Router::new().route("/metrics", get(move || std::future::ready(handle.render())));
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::warn!(%error, "the metrics listener stopped");
        }
    });
    tracing::info!("metrics on http://{address}/metrics");
    Ok(())
}

/// The route a response answered, for the request metrics (`remember_route` inside the router).
#[derive(Clone)]
struct Route(Arc<str>);

/// Inside the router: remembers which route matched, on the response.
pub async fn remember_route(path: MatchedPath, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response.extensions_mut().insert(Route(Arc::from(path.as_str())));
    response
}

/// Outside everything: counts each request and times it, by route and status class.
pub async fn record_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let route = match response.extensions().get::<Route>() {
        Some(Route(path)) => path.to_string(),
        None if response.headers().contains_key(crate::page_cache::CACHE_HEADER) => "cached page".to_owned(),
        None => "unmatched".to_owned(),
    };
    let status = format!("{}xx", response.status().as_u16() / 100);
    metrics::counter!("http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

/// Counts one round of a background worker and how long it took.
pub fn worker_round(worker: &'static str, took: Duration) {
    metrics::counter!("worker_rounds_total", "worker" => worker).increment(1);
    metrics::histogram!("worker_round_seconds", "worker" => worker).record(took.as_secs_f64());
}

/// Counts a live stream open for as long as it is held.
pub struct OpenStream(&'static str);

impl OpenStream {
    pub fn new(kind: &'static str) -> Self {
        metrics::gauge!("live_streams", "kind" => kind).increment(1.0);
        OpenStream(kind)
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("live_streams", "kind" => self.0).decrement(1.0);
    }
}

/// Every 5 s: the pool's connections and a probe's wait for one, and the outboxes' depths and
/// oldest rows (how far behind their workers are).
pub fn spawn_sampler(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(state.pool.size()));
            metrics::gauge!("db_pool_connections", "state" => "idle").set(state.pool.num_idle() as f64);
            let asked = Instant::now();
            let Ok(mut connection) = state.pool.acquire().await else { continue };
            metrics::histogram!("db_pool_acquire_seconds").record(asked.elapsed().as_secs_f64());
            let depths: Result<Vec<(String, i64, f64)>, sqlx::Error> = sqlx::query_as(
                "SELECT 'payouts', count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                   FROM payout_requests WHERE state = 'pending'
                 UNION ALL SELECT 'growth', count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
                   FROM growth_outbox
                 UNION ALL SELECT 'live_announcements', count(*), 0::float8 FROM live_announcements",
            )
            .fetch_all(&mut *connection)
            .await;
            match depths {
                Ok(rows) => {
                    for (outbox, depth, oldest) in rows {
                        metrics::gauge!("outbox_depth", "outbox" => outbox.clone()).set(depth as f64);
                        metrics::gauge!("outbox_oldest_seconds", "outbox" => outbox).set(oldest);
                    }
                }
                Err(error) => tracing::debug!(%error, "could not sample the outboxes"),
            }
        }
    });
}
