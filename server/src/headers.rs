//! The security headers every response carries (pages, server functions, static files, record
//! files, errors, event streams), set by one middleware around the whole router.
//!
//! The Content-Security-Policy allows only scripts carrying this response's nonce. The middleware
//! makes the nonce and puts it into the request's extensions; the Leptos context function
//! (`provide_request_nonce`) hands the same value to the renderer, whose `HydrationScripts` writes
//! it on the islands loader. That loader `import()`s `/pkg/codelink.js`: a module imported by a
//! nonced script inherits its nonce, and the WASM it instantiates needs `'wasm-unsafe-eval'`.
//! leptos 0.8.23 also preloads that file with `<link rel="modulepreload">` but writes the nonce
//! into the link's `crossorigin` attribute rather than `nonce`, so the build's own directory
//! (`/pkg/`, on each of our origins) is allowed as a script source too; nothing else is: no other
//! path of ours, and no inline script without the nonce.

use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use leptos::nonce::Nonce;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct HeaderSettings {
    /// The build's script directory on each origin we serve, e.g. `https://codelink.example/pkg/`.
    pub script_files: Vec<String>,
    /// Send Strict-Transport-Security: only when the public URL is https (a browser that saw it on
    /// a plain-http demo would refuse the demo afterwards).
    pub hsts: bool,
}

/// Off: features no page of ours uses, so an injected frame or script cannot ask for them either.
const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), \
     gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=()";

/// The policy for one response. Styles: the stylesheet is a file (`'self'`), but a few views set
/// computed values in `style` attributes (progress bar widths, a bought theme's colours); those
/// attributes are allowed (`style-src-attr`), `<style>` elements are not. A style attribute cannot
/// run script, and `img-src` keeps it from loading anything from elsewhere. `worker-src 'self'`: the
/// service worker (`/sw.js`, `server::web_app`); without it workers fall back to `script-src`,
/// which names only the nonce and `/pkg/`, and the registration is refused.
pub fn content_security_policy(nonce: &str, script_files: &[String]) -> String {
    let files = script_files.join(" ");
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'wasm-unsafe-eval' {files}; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; \
         frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

pub async fn security_headers(
    State(settings): State<Arc<HeaderSettings>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce, &settings.script_files)) {
        set_default(headers, header::CONTENT_SECURITY_POLICY, policy);
    }
    set_default(headers, header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    set_default(headers, header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    set_default(headers, header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    set_default(headers, HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS_POLICY));
    if settings.hsts {
        set_default(headers, header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// A handler that chose its own value for a header keeps it.
fn set_default(headers: &mut HeaderMap, name: HeaderName, value: HeaderValue) {
    headers.entry(name).or_insert(value);
}

/// For the Leptos context function: gives the renderer the nonce this response's policy names.
/// (leptos_axum provides a random one of its own first; this replaces it.)
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(nonce);
    }
}
