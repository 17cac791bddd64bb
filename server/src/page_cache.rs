//! The full-page cache for visitors who are not signed in: most of a marketplace's traffic (the
//! hall, task pages, resume cards arriving from shared links) gets the same page for a given address
//! and language, so it is rendered once per `SHARED_PAGE_LIFETIME_SECS` and compressed once (gzip
//! and brotli, which a page rendered per request could not afford), instead of once per visit.
//!
//! A request is served from here only when it is a GET for a shared page
//! (`domain::public_page::is_shared_page`) without a session cookie; everything else passes through
//! untouched. A rendered page is kept only when it is a 200 HTML page that sets no cookie. The
//! layer sits outside the security headers, so a kept page keeps the Content-Security-Policy whose
//! nonce its scripts carry (the nonce is then shared by everyone served that copy for a few
//! seconds; it still keeps out any script the page did not write itself, and user text is inert
//! anyway). Changes visitors must see at once empty the store (`AppState::public_pages_changed`).

use app::{
    domain::public_page::is_shared_page,
    public_pages::{CachedPage, PageKey, PublicPages},
    words::{locale_of_request, LOCALE_COOKIE},
};
use axum::{
    body::{to_bytes, Body, Bytes},
    extract::Request,
    http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri, Version},
    response::Response,
};
use futures::future::BoxFuture;
use std::{
    convert::Infallible,
    io::Write,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    task::{Context, Poll},
};
use tower::{Layer, Service};

/// gzip's level for what is compressed as it goes out: pages rendered per request
/// (`startup::routes`' compression layer) and shared pages that are not kept. On the 69 KB hall,
/// 0.26 ms and 8.4 KB against level 6's 0.60 ms and 7.9 KB.
pub const DYNAMIC_GZIP_LEVEL: u32 = 4;

/// Says whether a page came from the store (`hit`) or was rendered for this request (`miss`).
pub const CACHE_HEADER: &str = "x-page-cache";

/// A rendered page larger than this is passed on and not kept (no page comes near it).
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Brotli's quality for kept pages. Measured on the 58 KB hall page: quality 6 took ~2 ms and came
/// out 12 % smaller than gzip -9; quality 11 took 150 ms for 4 % more.
const BROTLI_QUALITY: u32 = 6;

#[derive(Clone)]
pub struct PageCacheLayer {
    pages: Arc<PublicPages>,
}

impl PageCacheLayer {
    pub fn new(pages: Arc<PublicPages>) -> Self {
        PageCacheLayer { pages }
    }
}

impl<S> Layer<S> for PageCacheLayer {
    type Service = PageCache<S>;

    fn layer(&self, inner: S) -> PageCache<S> {
        PageCache { inner, pages: Arc::clone(&self.pages) }
    }
}

#[derive(Clone)]
pub struct PageCache<S> {
    inner: S,
    pages: Arc<PublicPages>,
}

impl<S> Service<Request> for PageCache<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = BoxFuture<'static, Result<Response, Infallible>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The service that was made ready answers this request; a clone takes its place.
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let Some(key) = shared_page_key(&request) else {
            return Box::pin(inner.call(request));
        };
        let pages = Arc::clone(&self.pages);
        Box::pin(async move {
            let encoding = Encoding::preferred(request.headers());
            let template = Arc::new(RequestTemplate::of(request, key.language()));
            let rendered_here = Arc::new(AtomicBool::new(false));
            let render = {
                let (inner, template, rendered_here) =
                    (inner.clone(), Arc::clone(&template), Arc::clone(&rendered_here));
                let language = key.language();
                move || render(inner, template, language, rendered_here)
            };
            let answer = pages.get(key, render).await;
            let fresh = rendered_here.load(Ordering::Acquire);
            metrics::counter!("page_cache_requests_total", "result" => if fresh { "miss" } else { "hit" }).increment(1);
            Ok(match answer {
                Ok(page) => serve(&page, encoding, if fresh { "miss" } else { "hit" }),
                // Not a page to keep (a 404, a redirect, a cookie): answered as rendered…
                Err(passed) if fresh => passed.into_response(encoding),
                // …and a request that waited on someone else's such answer gets its own.
                Err(_) => rendered(inner, &template).await.into_response(encoding),
            })
        })
    }
}

/// The key for a request the store may answer, or None when it must render for this request.
fn shared_page_key(request: &Request) -> Option<PageKey> {
    if request.method() != Method::GET || !is_shared_page(request.uri().path()) {
        return None;
    }
    // The language cookie is the only one a shared page may be asked with: any other (the session's
    // under whatever spelling, or a header that is not plain text) renders for this request.
    let mut locale_cookie = None;
    for value in request.headers().get_all(header::COOKIE) {
        for pair in value.to_str().ok()?.split(';').map(str::trim).filter(|pair| !pair.is_empty()) {
            match pair.split_once('=') {
                Some((LOCALE_COOKIE, value)) => locale_cookie = Some(value.trim()),
                _ => return None,
            }
        }
    }
    let accept_language = request.headers().get(header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
    Some(PageKey {
        address: request.uri().path_and_query().map_or_else(|| request.uri().path().to_string(), |p| p.to_string()),
        locale: locale_of_request(locale_cookie, accept_language),
    })
}

/// The request a shared page is rendered from: the visitor's, reduced to what the key says (no
/// cookie, the key's language as the only one accepted, no compression), so a kept page depends on
/// nothing but its key, and can be rendered again later (a refresh behind a stale copy). The body
/// of a GET is ignored.
struct RequestTemplate {
    method: Method,
    uri: Uri,
    version: Version,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
}

impl RequestTemplate {
    fn of(request: Request, language: &'static str) -> Self {
        let (mut parts, _body) = request.into_parts();
        // Rendered uncompressed: this layer compresses what it keeps, both ways.
        parts.headers.remove(header::ACCEPT_ENCODING);
        parts.headers.remove(header::COOKIE);
        parts.headers.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static(language));
        RequestTemplate {
            method: parts.method,
            uri: parts.uri,
            version: parts.version,
            headers: parts.headers,
            extensions: parts.extensions,
        }
    }

    fn request(&self) -> Request {
        let mut request = Request::new(Body::empty());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.uri.clone();
        *request.version_mut() = self.version;
        *request.headers_mut() = self.headers.clone();
        *request.extensions_mut() = self.extensions.clone();
        request
    }
}

/// A response the store does not keep, read whole: passed on as it came, compressed if the
/// browser asked.
#[derive(Clone)]
struct Passed {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// Only the status: a failed refresh is logged with it, and a page's body has no place in a log.
impl std::fmt::Debug for Passed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passed").field("status", &self.status).finish_non_exhaustive()
    }
}

impl Passed {
    fn keepable(&self) -> bool {
        let html = self
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|kind| kind.starts_with("text/html"));
        let private = self
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.contains("private") || value.contains("no-store"));
        self.status == StatusCode::OK
            && html
            && !private
            && !self.headers.contains_key(header::SET_COOKIE)
            && !self.headers.contains_key(header::CONTENT_ENCODING)
    }

    /// Whether the page's `<html lang>` (in its first bytes) is `language`.
    fn in_language(&self, language: &str) -> bool {
        let head = &self.body[..self.body.len().min(512)];
        let wanted = format!("<html lang=\"{language}\"");
        head.windows(wanted.len()).any(|window| window == wanted.as_bytes())
    }

    fn into_response(self, encoding: Encoding) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers;
        let body =
            if encoding.gzip && !self.body.is_empty() && !response.headers().contains_key(header::CONTENT_ENCODING) {
                response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                response.headers_mut().insert(header::VARY, HeaderValue::from_static(VARY));
                response.headers_mut().remove(header::CONTENT_LENGTH);
                gzip(&self.body, DYNAMIC_GZIP_LEVEL)
            } else {
                self.body
            };
        *response.body_mut() = Body::from(body);
        response
    }
}

/// Renders the page through the rest of the stack and, when it may be kept, compresses it. A page
/// is kept only in the language its key names (`<html lang>`): should the renderer ever decide a
/// request's language otherwise than `locale_of_request`, the page is passed on, not shared.
async fn render<S>(
    inner: S,
    template: Arc<RequestTemplate>,
    language: &'static str,
    rendered_here: Arc<AtomicBool>,
) -> Result<CachedPage, Passed>
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    rendered_here.store(true, Ordering::Release);
    let passed = rendered(inner, &template).await;
    if !passed.keepable() {
        return Err(passed);
    }
    if !passed.in_language(language) {
        tracing::warn!(uri = %template.uri, language, "a shared page rendered in another language than its key; not kept");
        return Err(passed);
    }
    // Compression is CPU work of a few milliseconds: off the threads that serve requests.
    let compressed = tokio::task::spawn_blocking(move || {
        let mut headers = passed.headers;
        headers.remove(header::CONTENT_LENGTH);
        headers.insert(header::VARY, HeaderValue::from_static(VARY));
        CachedPage { gzip: gzip(&passed.body, 9), brotli: brotli(&passed.body), headers }
    })
    .await;
    compressed.map_err(|_| Passed {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        headers: HeaderMap::new(),
        body: Bytes::new(),
    })
}

/// Renders `template` through the rest of the stack and reads the answer whole.
async fn rendered<S>(mut inner: S, template: &RequestTemplate) -> Passed
where
    S: Service<Request, Response = Response, Error = Infallible>,
{
    let Ok(response) = inner.call(template.request()).await;
    let (parts, body) = response.into_parts();
    match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => Passed { status: parts.status, headers: parts.headers, body },
        Err(error) => {
            tracing::error!(%error, uri = %template.uri, "a shared page could not be read whole");
            Passed { status: StatusCode::INTERNAL_SERVER_ERROR, headers: HeaderMap::new(), body: Bytes::new() }
        }
    }
}

/// What a shared page's answer depends on, for caches between us and the browser.
const VARY: &str = "accept-encoding, accept-language, cookie";

fn serve(page: &CachedPage, encoding: Encoding, source: &'static str) -> Response {
    let (body, content_encoding) = if encoding.brotli {
        (page.brotli.clone(), Some("br"))
    } else if encoding.gzip {
        (page.gzip.clone(), Some("gzip"))
    } else {
        (gunzip(&page.gzip), None)
    };
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = page.headers.clone();
    if let Some(name) = content_encoding {
        response.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static(source));
    response
}

/// The compressions a browser accepts, from its `Accept-Encoding`; a kept page goes out in brotli,
/// else gzip, else plain. A coding listed with `q=0` is refused, `*` stands for gzip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Encoding {
    brotli: bool,
    gzip: bool,
}

impl Encoding {
    fn preferred(headers: &HeaderMap) -> Self {
        let mut accepted = Encoding { brotli: false, gzip: false };
        let offers = headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok());
        for offer in offers.flat_map(|value| value.split(',')) {
            let mut params = offer.split(';');
            let coding = params.next().unwrap_or_default().trim().to_ascii_lowercase();
            let refused = params.any(|param| {
                param.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match coding.as_str() {
                "br" => accepted.brotli = true,
                "gzip" | "*" => accepted.gzip = true,
                _ => {}
            }
        }
        accepted
    }
}

fn gzip(body: &[u8], level: u32) -> Bytes {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::new(level));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

fn gunzip(body: &[u8]) -> Bytes {
    use std::io::Read;
    let mut plain = Vec::with_capacity(body.len() * 4);
    // Our own gzip of a page read whole: a failure would be a bug, answered with what was read.
    let _ = flate2::read::GzDecoder::new(body).read_to_end(&mut plain);
    plain.into()
}

fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 4);
    let params = brotli::enc::BrotliEncoderParams { quality: BROTLI_QUALITY as i32, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut std::io::Cursor::new(body), &mut out, &params);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn what_a_browser_accepts_is_read_with_its_refusals() {
        let both = Encoding { brotli: true, gzip: true };
        assert_eq!(Encoding::preferred(&accepting("gzip, deflate, br, zstd")), both);
        assert_eq!(Encoding::preferred(&accepting("gzip, deflate")), Encoding { brotli: false, gzip: true });
        assert_eq!(Encoding::preferred(&accepting("br")), Encoding { brotli: true, gzip: false });
        assert_eq!(Encoding::preferred(&accepting("br;q=0, gzip;q=0.5")), Encoding { brotli: false, gzip: true });
        assert_eq!(Encoding::preferred(&accepting("*")), Encoding { brotli: false, gzip: true });
        let none = Encoding { brotli: false, gzip: false };
        assert_eq!(Encoding::preferred(&accepting("identity")), none);
        assert_eq!(Encoding::preferred(&HeaderMap::new()), none);
    }

    #[test]
    fn both_compressions_give_back_the_page() {
        let page = "<p>任务大厅</p>".repeat(500);
        assert_eq!(gunzip(&gzip(page.as_bytes(), 9)), page.as_bytes());
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut std::io::Cursor::new(brotli(page.as_bytes())), &mut plain).unwrap();
        assert_eq!(plain, page.as_bytes());
    }

    fn request(path: &str, cookie: Option<&str>) -> Request {
        let mut builder = Request::builder().uri(path).header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9");
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_gets_of_shared_pages_are_keyed() {
        let key = shared_page_key(&request("/?q=rust&page=2", None)).unwrap();
        assert_eq!(key.address, "/?q=rust&page=2");
        assert_eq!(key.locale, app::i18n::Locale::en);
        let chinese = shared_page_key(&request("/u/lilei", Some("i18n_pref_locale=zh-CN"))).unwrap();
        assert_eq!(chinese.locale, app::i18n::Locale::zh_CN);
        assert!(shared_page_key(&request("/", Some("a=1; codelink_session=abc"))).is_none());
        // Any cookie but the language's renders for the request, whatever its spelling.
        assert!(shared_page_key(&request("/", Some("codelink%5Fsession=abc"))).is_none());
        assert!(shared_page_key(&request("/", Some("theme=dark"))).is_none());
        let odd = Request::builder()
            .uri("/")
            .header(header::COOKIE, HeaderValue::from_bytes(b"x=\xc3\xa9; codelink_session=abc").unwrap())
            .body(Body::empty())
            .unwrap();
        assert!(shared_page_key(&odd).is_none());
        assert!(shared_page_key(&request("/wallet", None)).is_none());
        let post = Request::builder().method(Method::POST).uri("/").body(Body::empty()).unwrap();
        assert!(shared_page_key(&post).is_none());
    }
}
