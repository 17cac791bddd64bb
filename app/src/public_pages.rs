//! Whole pages as anonymous visitors get them, compressed, kept for seconds (server only).
//! `server::page_cache` fills and serves them; this is the store, and the one way a change that
//! visitors see reaches every server process (`AppState::public_pages_changed`).
//!
//! Which paths are kept, and for how long, is `domain::public_page::SHARED_PAGE_LIFETIME` and
//! `is_shared_page`: the same bytes for everyone who is not signed in, for a given address,
//! language and compression.

use crate::{i18n::Locale, ttl_cache::TtlCache};
use axum::{body::Bytes, http::HeaderMap};

/// The PostgreSQL channel on which a process announces a change visitors see; every process
/// listening (`server::live`) forgets its public pages. The payload is the sender's instance id,
/// so a process skips its own announcements (it forgot already, synchronously).
pub const CHANNEL: &str = "public_pages";

/// What one page depends on for a visitor who is not signed in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageKey {
    /// The path and query as requested.
    pub address: String,
    /// The language the page renders in: the language cookie, else the browser's languages.
    pub locale: Locale,
}

impl PageKey {
    /// The page's `<html lang>`: what a rendering for this key must say it is in.
    pub fn language(&self) -> &'static str {
        use leptos_i18n::Locale as _;
        self.locale.as_str()
    }
}

/// A rendered page: its status line's headers (the security headers with the nonce its scripts
/// carry, its type, its `Vary`) and its body compressed both ways a browser may ask for.
#[derive(Clone, Debug)]
pub struct CachedPage {
    pub headers: HeaderMap,
    pub gzip: Bytes,
    pub brotli: Bytes,
}

impl CachedPage {
    /// Its weight in the cache: the bytes it holds.
    pub fn weight(&self) -> u32 {
        u32::try_from(self.gzip.len() + self.brotli.len()).unwrap_or(u32::MAX)
    }
}

pub type PublicPages = TtlCache<PageKey, CachedPage>;

/// The most bytes kept: about 2,000 pages of ~24 KB (gzip and brotli of a 60 KB hall page).
pub const PUBLIC_PAGES_MAX_BYTES: u64 = 48 * 1024 * 1024;
