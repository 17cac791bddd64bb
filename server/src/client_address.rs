//! Resolves each request's client address once (`domain::forwarded`), into the request's
//! extensions, where `app::api::access::client_ip` and everything else reads it.

use app::domain::forwarded::{ClientAddress, TrustedProxies};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};
use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

pub async fn resolve_client_address(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let headers = request.headers();
    let address = proxies.client_address(peer, &values(headers, "x-forwarded-for"), &values(headers, "forwarded"));
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

fn values<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers.get_all(name).iter().filter_map(|value| value.to_str().ok()).collect()
}
