//! The build's files under `/pkg/` (script, WebAssembly, stylesheet), served straight from disk
//! ahead of the session, sign-in and consent layers: they are the same for everyone, so no request
//! for one reads a session from the database.
//!
//! The brotli and gzip copies made at build time (`compress_site` in `scripts/lib.sh`) are sent to
//! browsers that accept them, with `Vary: Accept-Encoding`. With hashed names (`app::build_files`)
//! a file may be kept for a year (`immutable`: a repeat visit does not even ask); plain names are
//! asked again each time (`no-cache`) and answered 304 while unchanged.

use axum::{
    http::{header, HeaderValue, Response},
    Router,
};
use leptos::config::LeptosOptions;
use std::path::Path;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

const FOR_A_YEAR: &str = "public, max-age=31536000, immutable";
const ASK_EACH_TIME: &str = "no-cache";

pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let pkg = options.site_pkg_dir.trim_matches('/');
    let dir = Path::new(options.site_root.as_ref()).join(pkg);
    // `hash_files` is on when the build named its files by hash (`startup::app_router` sets it).
    let lifetime = HeaderValue::from_static(if options.hash_files { FOR_A_YEAR } else { ASK_EACH_TIME });
    Router::new().nest_service(
        &format!("/{pkg}"),
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, kept_for(lifetime)))
            .layer(SetResponseHeaderLayer::if_not_present(header::VARY, HeaderValue::from_static("accept-encoding")))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
}

/// `lifetime` for a file found; nothing for a missing one (a 404 is never kept).
fn kept_for<B>(lifetime: HeaderValue) -> impl Fn(&Response<B>) -> Option<HeaderValue> + Clone {
    move |response| response.status().is_success().then(|| lifetime.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{body::Body, http::Request, http::StatusCode};
    use tower::ServiceExt;

    /// A site with one stylesheet and its build-time copies, in a directory of its own.
    fn site() -> LeptosOptions {
        let root = std::env::temp_dir().join(format!("codelink-static-{}", uuid::Uuid::now_v7()));
        let pkg = root.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("codelink.css"), "body{color:red}").unwrap();
        std::fs::write(pkg.join("codelink.css.br"), "brotli bytes").unwrap();
        std::fs::write(pkg.join("codelink.css.gz"), "gzip bytes").unwrap();
        LeptosOptions::builder().output_name("codelink").site_root(root.to_str().unwrap()).site_pkg_dir("pkg").build()
    }

    async fn get(router: &Router, path: &str, headers: &[(&str, &str)]) -> axum::response::Response {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap()
    }

    #[tokio::test]
    async fn the_build_time_copy_is_sent_to_who_accepts_it_and_revalidated_by_plain_name() {
        let router: Router = routes(&site());
        let brotli = get(&router, "/pkg/codelink.css", &[("accept-encoding", "br, gzip")]).await;
        assert_eq!(brotli.status(), StatusCode::OK);
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
        // Plain names (no hash file): asked again each time.
        assert_eq!(brotli.headers()[header::CACHE_CONTROL], ASK_EACH_TIME);
        let gzip = get(&router, "/pkg/codelink.css", &[("accept-encoding", "gzip")]).await;
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = get(&router, "/pkg/codelink.css", &[]).await;
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
        let modified = plain.headers()[header::LAST_MODIFIED].to_str().unwrap().to_string();
        let again = get(&router, "/pkg/codelink.css", &[("if-modified-since", &modified)]).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let missing = get(&router, "/pkg/nothing.js", &[]).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
        assert!(missing.headers().get(header::CACHE_CONTROL).is_none(), "a 404 is never kept");

        // Hashed names: kept a year, and a 404 still never.
        let mut options = site();
        options.hash_files = true;
        let hashed: Router = routes(&options);
        let kept = get(&hashed, "/pkg/codelink.css", &[("accept-encoding", "br")]).await;
        assert_eq!(kept.headers()[header::CACHE_CONTROL], FOR_A_YEAR);
        assert!(get(&hashed, "/pkg/nothing.js", &[]).await.headers().get(header::CACHE_CONTROL).is_none());
    }
}
