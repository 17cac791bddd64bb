//! The one gate in front of every server function (`/api/...`):
//! 1. CSRF: a request whose `Origin` (or, failing that, `Referer`) is not this site is refused (403).
//!    SameSite=Lax cookies already stop most cross-site posts; this stops the rest.
//! 2. Authorization: the path's rule from `app::api::access::ENDPOINTS` is checked against the
//!    session's user before the function's arguments are decoded: 401 anonymous, 403 wrong role, and
//!    403 for a path with no rule (deny by default).
//! 3. Status: a server function's error leaves leptos as a 500; here it gets the status its
//!    `AppError` names (422 for bad input, 401, 429, ...), so clients and logs see what happened.

use app::{api::access::access_for, auth::AuthSession, domain::access::Denied, error::AppError};
use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Error bodies are a few hundred bytes; anything larger is not ours to reinterpret.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn guard_server_fns(auth: AuthSession, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    if !is_same_origin(request.headers()) {
        tracing::warn!(path, "refused a cross-origin server function call");
        return error_response(AppError::CrossOrigin);
    }
    let Some(access) = access_for(path) else {
        tracing::error!(path, "server function has no access rule; refused");
        return error_response(AppError::Forbidden);
    };
    if let Err(denied) = access.check(auth.user.as_ref().map(|u| u.role)) {
        return error_response(match denied {
            Denied::NotLoggedIn => AppError::Unauthorized,
            Denied::WrongRole => AppError::Forbidden,
        });
    }
    tidy_redirect(with_error_status(next.run(request).await).await)
}

/// A form posted without scripts comes back to the page it was sent from. Leptos takes its own error
/// parameters off that address but leaves a bare `?` behind (`/tasks/1?`); dropped here, so the
/// page's address stays what it was.
fn tidy_redirect(mut response: Response) -> Response {
    let trimmed = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| location.strip_suffix('?'))
        .and_then(|location| header::HeaderValue::from_str(location).ok());
    if let Some(location) = trimmed {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// True when the request names this site as its origin. Browsers send `Origin` on every POST; when a
/// privacy setting strips it, `Referer` is used. Neither present means the request is refused.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    source.and_then(authority_of).is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// "https://a.example:8443/path?q" → "a.example:8443".
fn authority_of(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty())
}

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(&error).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn with_error_status(response: Response) -> Response {
    // leptos marks server function errors with this header; everything else passes untouched.
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn same_origin_accepts_only_this_host() {
        let host = (header::HOST, "127.0.0.1:3000");
        assert!(is_same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:3000")])));
        assert!(is_same_origin(&headers(&[host.clone(), (header::REFERER, "http://127.0.0.1:3000/login?next=/")])));
        assert!(!is_same_origin(&headers(&[host.clone(), (header::ORIGIN, "https://evil.example")])));
        assert!(!is_same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:3000.evil.example")])));
        assert!(!is_same_origin(&headers(&[host.clone(), (header::ORIGIN, "null")])));
        assert!(!is_same_origin(&headers(&[host])), "no Origin and no Referer is refused");
    }
}
