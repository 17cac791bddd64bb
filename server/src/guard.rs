//! The one gate in front of every request body and every server function (`/api/...`):
//! 0. Size: a body declared larger than `MAX_REQUEST_BODY` is refused with 413 (any path); one that
//!    turns out larger while streaming is cut by `RequestBodyLimitLayer` inside this gate.
//! 1. Demo only: the sandbox's server functions do not exist outside demo mode (404).
//! 2. CSRF: a request whose `Origin` (or, failing that, `Referer`) is not the configured public URL
//!    (scheme, host and port) is refused (403). SameSite=Lax cookies already stop most cross-site
//!    posts; this stops the rest.
//! 3. Authorization: the path's rule from `app::api::access::ENDPOINTS` is checked against the
//!    session's user before the function's arguments are decoded: 401 anonymous, 403 wrong role, and
//!    403 for a path with no rule (deny by default).
//! 4. Body shape: a content type the server functions do not speak, or multipart without a
//!    boundary, is refused (400) before leptos decodes it (its multipart decoder panics on those).
//! 5. Status: a server function's error leaves leptos as a 500; here it gets the status its
//!    `AppError` names (422 for bad input, 401, 429, ...), so clients and logs see what happened.
//!
//! Every refusal is the app's JSON error, which the browser shows in the reader's language.

use app::{
    api::access::{access_for, caller, check_access},
    auth::AuthSession,
    error::AppError,
};
use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::server_fn::ServerFn;
use std::sync::Arc;

/// Error bodies are a few hundred bytes; anything larger is not ours to reinterpret.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Largest request body accepted. Generous enough that an over-long form field reaches validation
/// and gets a message under the field instead of a bare 413; uploads check their own limits while
/// they stream (deliveries 15 MB in all, message files 5 MB).
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// The server functions whose input is multipart form data: leptos's decoder for them panics on a
/// body that is not multipart with a boundary, so such a body never reaches them. (A test checks
/// this list against the `#[server]` attributes in app/src/api.)
const MULTIPART_ENDPOINTS: &[&str] = &[
    <app::api::tasks::DeliverFn as ServerFn>::PATH,
    <app::api::messages::SendMessageFn as ServerFn>::PATH,
    <app::api::credentials::CheckCredentialFn as ServerFn>::PATH,
    <app::api::portfolio::SavePortfolioItemFn as ServerFn>::PATH,
];

pub struct GuardSettings {
    /// The origins our pages are served from: the public URL (and in demo mode the address the
    /// server listens on).
    pub origins: Vec<SiteOrigin>,
    pub demo: bool,
    /// Cookies set here are `Secure` when the public URL is https, like the session's.
    pub secure_cookies: bool,
}

pub async fn guard_server_fns(
    State(settings): State<Arc<GuardSettings>>,
    auth: AuthSession,
    request: Request,
    next: Next,
) -> Response {
    if declared_length(request.headers()).is_some_and(|length| length > MAX_REQUEST_BODY as u64) {
        return error_response(AppError::TooLarge);
    }
    let path = request.uri().path();
    if !path.starts_with("/api/") {
        return next.run(request).await;
    }
    if !settings.demo && path.starts_with("/api/sandbox/") {
        return error_response(AppError::NotFound);
    }
    if !is_same_origin(request.headers(), &settings.origins) {
        tracing::warn!(path, "refused a cross-origin server function call");
        return error_response(AppError::CrossOrigin);
    }
    if access_for(path).is_none() {
        tracing::error!(path, "server function has no access rule; refused");
        return error_response(AppError::Forbidden);
    }
    // The same decision `authorize` makes inside the function (role, and an admin's second factor).
    let (signed_in, refusal) = match caller(&auth).await {
        Ok(caller) => (caller.is_some(), check_access(path, caller).err()),
        Err(error) => (false, Some(error)),
    };
    if let Some(refusal) = refusal {
        return error_response(refusal);
    }
    if request.method() == Method::POST {
        if let Err(message) = check_body_type(path, request.headers()) {
            return error_response(AppError::Request { message: message.into() });
        }
    }
    let response = tidy_redirect(with_error_status(next.run(request).await).await);
    if signed_in && (response.status().is_success() || response.status().is_redirection()) {
        return mark_written(response, settings.secure_cookies);
    }
    response
}

/// Tells the browser's next reads, for a few seconds, to read the primary: whatever this call
/// changed is there at once, and on a replica a moment later (`AppState::lagging_reads`).
fn mark_written(mut response: Response, secure: bool) -> Response {
    let cookie = format!(
        "{}=1; Max-Age={}; Path=/; HttpOnly; SameSite=Lax{}",
        app::api::access::WROTE_COOKIE,
        app::api::access::READ_YOUR_WRITES_SECS,
        if secure { "; Secure" } else { "" }
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

/// What the server functions accept: a form, JSON (the task form), or multipart with a boundary;
/// the multipart functions accept only multipart.
fn check_body_type(path: &str, headers: &HeaderMap) -> Result<(), &'static str> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let multipart = essence == "multipart/form-data";
    if multipart && multer::parse_boundary(content_type).is_err() {
        return Err("multipart body without a boundary");
    }
    if MULTIPART_ENDPOINTS.contains(&path) && !multipart {
        return Err("this function takes multipart/form-data");
    }
    match essence.as_str() {
        "application/x-www-form-urlencoded" | "application/json" | "multipart/form-data" => Ok(()),
        _ => Err("unsupported content type"),
    }
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

/// True when the request names one of our origins. Browsers send `Origin` on every POST; when a
/// privacy setting strips it, `Referer` is used. Neither present means the request is refused. The
/// request's own `Host` is not consulted: behind a proxy it is whatever the proxy sends.
pub fn is_same_origin(headers: &HeaderMap, origins: &[SiteOrigin]) -> bool {
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    source.and_then(SiteOrigin::parse).is_some_and(|origin| origins.contains(&origin))
}

/// A web origin: scheme, host and port (the default port when none is written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteOrigin {
    scheme: String,
    host: String,
    port: u16,
}

impl SiteOrigin {
    /// "https://a.example:8443/path?q" → https, a.example, 8443. Only http and https; an address
    /// with credentials (`user@host`) is not an origin.
    pub fn parse(url: &str) -> Option<Self> {
        let (scheme, rest) = url.trim().split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().filter(|a| !a.is_empty() && !a.contains('@'))?;
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']')?;
                (format!("[{host}]"), after)
            }
            None => match authority.split_once(':') {
                Some((host, port)) => (host.to_string(), port),
                None => (authority.to_string(), ""),
            },
        };
        let port = match port {
            "" => default_port,
            port => port.strip_prefix(':').unwrap_or(port).parse().ok()?,
        };
        (!host.is_empty()).then(|| SiteOrigin { scheme, host: host.to_ascii_lowercase(), port })
    }

    /// "https://a.example" (the port only when it is not the scheme's default).
    pub fn url(&self) -> String {
        let SiteOrigin { scheme, host, port } = self;
        match (scheme.as_str(), port) {
            ("http", 80) | ("https", 443) => format!("{scheme}://{host}"),
            _ => format!("{scheme}://{host}:{port}"),
        }
    }
}

pub fn error_response(error: AppError) -> Response {
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
    match serde_json::from_slice::<AppError>(&bytes) {
        // A body cut off by `RequestBodyLimitLayer` while streaming (no length was declared).
        Ok(AppError::Request { message }) if message.contains("length limit exceeded") => {
            error_response(AppError::TooLarge)
        }
        Ok(error) => {
            if let Ok(status) = StatusCode::from_u16(error.status()) {
                parts.status = status;
            }
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
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

    fn origin(url: &str) -> SiteOrigin {
        SiteOrigin::parse(url).unwrap()
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        assert_eq!(origin("https://CodeLink.example/"), origin("https://codelink.example:443"));
        assert_eq!(origin("http://127.0.0.1:3000/login?next=/"), origin("http://127.0.0.1:3000"));
        assert_eq!(origin("http://[::1]:3000/x"), origin("http://[::1]:3000"));
        assert_eq!(origin("https://CodeLink.example:443/x").url(), "https://codelink.example");
        assert_eq!(origin("http://127.0.0.1:3000/").url(), "http://127.0.0.1:3000");
        assert_ne!(origin("http://codelink.example"), origin("https://codelink.example"));
        assert_ne!(origin("https://codelink.example"), origin("https://codelink.example:8443"));
        assert_ne!(origin("http://[::1]:3000"), origin("http://[::1]:3001"));
        for bad in [
            "null",
            "codelink.example",
            "ftp://codelink.example",
            "https://",
            "https://u:p@codelink.example",
            "http://a:port",
        ] {
            assert_eq!(SiteOrigin::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn same_origin_accepts_only_the_configured_origins() {
        let ours = [origin("https://codelink.example")];
        let check = |name: header::HeaderName, value: &str| is_same_origin(&headers(&[(name, value)]), &ours);
        assert!(check(header::ORIGIN, "https://codelink.example"));
        assert!(check(header::REFERER, "https://codelink.example/login?next=/"));
        assert!(!check(header::ORIGIN, "http://codelink.example"), "wrong scheme");
        assert!(!check(header::ORIGIN, "https://codelink.example:8443"), "wrong port");
        assert!(!check(header::ORIGIN, "https://codelink.example.evil.example"));
        assert!(!check(header::ORIGIN, "https://evil.example"));
        assert!(!check(header::ORIGIN, "null"));
        // The Host header proves nothing: a proxy or an attacker's client writes it.
        assert!(!is_same_origin(
            &headers(&[(header::HOST, "evil.example"), (header::ORIGIN, "http://evil.example")]),
            &ours
        ));
        assert!(
            !is_same_origin(&headers(&[(header::HOST, "codelink.example")]), &ours),
            "no Origin and no Referer is refused"
        );
    }

    #[test]
    fn body_types_the_server_functions_do_not_speak_are_refused() {
        let with = |value: &str| headers(&[(header::CONTENT_TYPE, value)]);
        let form = with("application/x-www-form-urlencoded");
        let multipart = with("multipart/form-data; boundary=----x");
        assert_eq!(check_body_type("/api/login", &form), Ok(()));
        assert_eq!(check_body_type("/api/task/create", &with("application/json; charset=utf-8")), Ok(()));
        assert_eq!(check_body_type("/api/task/deliver", &multipart), Ok(()));
        assert!(check_body_type("/api/task/deliver", &form).is_err(), "multipart functions take only multipart");
        assert!(check_body_type("/api/credentials/check", &with("multipart/form-data")).is_err(), "no boundary");
        assert!(check_body_type("/api/login", &with("multipart/form-data")).is_err(), "no boundary");
        assert!(check_body_type("/api/login", &with("text/plain")).is_err());
        assert!(check_body_type("/api/login", &HeaderMap::new()).is_err());
    }

    /// Every `#[server(... input = MultipartFormData)]` in the app is in `MULTIPART_ENDPOINTS`.
    #[test]
    fn every_multipart_function_is_listed() {
        let api = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/src/api");
        let declared = std::fs::read_dir(api)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
            .map(|path| {
                let source = std::fs::read_to_string(path).unwrap();
                source.lines().filter(|line| line.contains("#[server(") && line.contains("MultipartFormData")).count()
            })
            .sum::<usize>();
        assert_eq!(
            declared,
            MULTIPART_ENDPOINTS.len(),
            "a multipart server function is missing from MULTIPART_ENDPOINTS"
        );
    }
}
