//! The installable web app: its manifest (`/manifest.webmanifest`, Chinese by default, English with
//! `?lang=en` or the language cookie), its service worker (`/sw.js`, from the root so it controls
//! every page) and the page the worker shows when the network is gone (`/offline`).
//!
//! The worker precaches the build's files and the icons, goes to the network first for every page
//! and falls back to the offline page, and keeps nothing private: no page, no `/api/` answer, no
//! POST, nothing marked `private` or `no-store`. Its text carries a hash of the build's files, so
//! each deployment is a new worker that drops the old cache.

use app::{
    build_files::BuildFiles,
    i18n::Locale,
    words::{locale_of_param, web_app_words, LOCALE_COOKIE},
};
use axum::{
    extract::{Query, State},
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use leptos::config::LeptosOptions;
use std::{path::Path, sync::Arc};

/// What the worker precaches besides the build's three files: the icons.
const PRECACHE_ICONS: &[&str] = &["/favicon.svg", "/icon-192.png", "/icon-512.png"];
const THEME_COLOR: &str = "#2563eb";
const BACKGROUND_COLOR: &str = "#f8fafc";

pub fn routes<S: Clone + Send + Sync + 'static>(options: &LeptosOptions) -> Router<S> {
    let files = BuildFiles::current(&options.output_name, &options.hash_file);
    let [js, wasm, css] = files.paths(&options.site_pkg_dir);
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.trim_matches('/'));
    let mut precache = vec!["/offline", js.as_str(), wasm.as_str(), css.as_str()];
    precache.extend_from_slice(PRECACHE_ICONS);
    let worker = Arc::new(service_worker(&build_version(&pkg, files), &precache));
    Router::new()
        .route("/manifest.webmanifest", get(manifest))
        .route("/sw.js", get(sw).with_state(worker))
        .route("/offline", get(offline).with_state(Arc::new(css)))
}

#[derive(serde::Deserialize)]
struct Lang {
    lang: Option<String>,
}

/// `?lang=` when given, else the language cookie the pages are rendered in, else Chinese.
fn language(query: &Lang, headers: &HeaderMap) -> Locale {
    if query.lang.is_some() {
        return locale_of_param(query.lang.as_deref());
    }
    locale_of_param(app::api::access::request_cookie(headers, LOCALE_COOKIE))
}

async fn manifest(Query(query): Query<Lang>, headers: HeaderMap) -> Response {
    let locale = language(&query, &headers);
    let (lang, start) = if locale == Locale::en { ("en", "/?source=pwa&lang=en") } else { ("zh-CN", "/?source=pwa") };
    let icon = |src: &str, size: &str, purpose: &str| serde_json::json!({ "src": src, "sizes": size, "type": "image/png", "purpose": purpose });
    let words = web_app_words(locale);
    let body = serde_json::json!({
        "id": "/",
        "name": words.name,
        "short_name": words.short_name,
        "description": words.description,
        "lang": lang,
        "start_url": start,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            icon("/icon-192.png", "192x192", "any"),
            icon("/icon-512.png", "512x512", "any"),
            icon("/icon-maskable-512.png", "512x512", "maskable"),
        ],
    });
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::VARY, "Cookie"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Served with `no-cache` so the browser asks for a new worker on every visit (it compares bytes).
async fn sw(State(worker): State<Arc<String>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
        worker.as_str().to_owned(),
    )
        .into_response()
}

/// A hash of the build's files (`target/site/pkg`), read once at start. Without a build (tests) it
/// is "dev-" and the start time: never one fixed name, which would keep a cache-first `/pkg/` across
/// deploys.
fn build_version(pkg: &Path, files: &BuildFiles) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut found = false;
    for file in [&files.js, &files.wasm, &files.css] {
        if let Ok(bytes) = std::fs::read(pkg.join(file)) {
            hasher.update(&bytes);
            found = true;
        }
    }
    if found {
        hex::encode(&hasher.finalize()[..8])
    } else {
        let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        format!("dev-{}", started.as_secs())
    }
}

fn service_worker(version: &str, precache: &[&str]) -> String {
    let precache = serde_json::to_string(precache).expect("a list of strings");
    format!(
        r#"// CodeLink's service worker (build {version}). Pages always come from the network; without one,
// the offline page. Only the build's files and the icons are kept: never a page, an /api/ answer,
// a POST, or anything private.
const CACHE = "codelink-{version}";
const PRECACHE = {precache};
const STATIC = /^\/(pkg\/|favicon\.svg$|icon-[a-z0-9-]+\.png$|apple-touch-icon\.png$)/;

self.addEventListener("install", (event) => {{
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
}});

self.addEventListener("activate", (event) => {{
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith("codelink-") && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
}});

function keepable(response) {{
  if (!response || !response.ok || response.type !== "basic") return false;
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return !control.includes("private") && !control.includes("no-store") && !response.headers.has("Set-Cookie");
}}

self.addEventListener("fetch", (event) => {{
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {{
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
    return;
  }}
  if (!STATIC.test(url.pathname)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {{
      const kept = await cache.match(request);
      if (kept) return kept;
      const response = await fetch(request);
      if (keepable(response)) cache.put(request, response.clone());
      return response;
    }}),
  );
}});
"#
    )
}

/// Both languages at once: the worker keeps one copy, whatever language the reader chose. Plain
/// HTML with the site's stylesheet, no script.
async fn offline(State(stylesheet): State<Arc<String>>) -> Response {
    let escape = app::html_text::markup_escaped;
    let section = |locale: Locale, lang: &str| {
        let words = web_app_words(locale);
        format!(
            r#"<section lang="{lang}" class="mt-6"><h1 class="text-xl font-bold text-slate-900">{}</h1><p class="mt-2 text-sm text-slate-600">{}</p><p class="mt-3"><a href="/" class="text-blue-700 hover:underline">{}</a></p></section>"#,
            escape(words.offline_title),
            escape(words.offline_body),
            escape(words.offline_retry),
        )
    };
    let html = format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="theme-color" content="{THEME_COLOR}"><title>CodeLink</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="{}"></head><body class="min-h-screen bg-slate-50 text-slate-800 antialiased"><main class="mx-auto max-w-xl px-4 py-12"><p class="font-bold text-slate-900">CodeLink</p>{}{}</main></body></html>"#,
        escape(&stylesheet),
        section(Locale::zh_CN, "zh-CN"),
        section(Locale::en, "en"),
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], html)
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_build_is_a_new_worker_that_keeps_nothing_private() {
        let worker = service_worker("abc123", &["/offline", "/pkg/codelink.x1.js"]);
        assert!(worker.contains(r#"const CACHE = "codelink-abc123";"#));
        assert!(worker.contains(r#"const PRECACHE = ["/offline","/pkg/codelink.x1.js"]"#));
        for rule in
            ["request.method !== \"GET\"", "startsWith(\"/api/\")", "no-store", "private", "caches.match(\"/offline\")"]
        {
            assert!(worker.contains(rule), "{rule}");
        }
        let files = BuildFiles::from_hash_file("codelink", None);
        assert!(build_version(Path::new("/nonexistent"), &files).starts_with("dev-"));
    }
}
