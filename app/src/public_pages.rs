//! Whole pages as anonymous visitors get them, compressed, kept for seconds (server only).
//! `server::page_cache` fills and serves them; this is the store, and the one way a change that
//! visitors see reaches every server process (`AppState::public_pages_changed`).
//!
//! Which paths are kept, and for how long, is `domain::public_page::SHARED_PAGE_LIFETIME` and
//! `is_shared_page`: the same bytes for everyone who is not signed in, for a given address,
//! language and compression.

use crate::{i18n::Locale, ttl_cache::TtlCache};
use axum::{body::Bytes, http::HeaderMap};

/// The PostgreSQL channel on which a process announces changes to what it keeps for seconds; every
/// process listening (`server::live`) forgets the same. The payload is an `Announcement`.
pub const CHANNEL: &str = "public_pages";

/// What one process tells the others to forget: the public pages (with the hall data under them),
/// and "为你推荐" of some developers. It names its sender, so a process skips its own (it forgot
/// already, synchronously).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Announcement {
    pub sender: uuid::Uuid,
    pub pages: bool,
    pub developers: Vec<uuid::Uuid>,
}

/// Developers named in one announcement at most: NOTIFY's payload holds under 8,000 bytes.
pub const DEVELOPERS_PER_ANNOUNCEMENT: usize = 150;

impl Announcement {
    /// `SENDER [pages] [DEVELOPER ...]`, space-separated.
    pub fn payload(&self) -> String {
        let mut words = vec![self.sender.to_string()];
        if self.pages {
            words.push("pages".into());
        }
        words.extend(self.developers.iter().map(uuid::Uuid::to_string));
        words.join(" ")
    }

    /// `None` for a payload this version cannot read: the listener then forgets everything. A
    /// payload naming only its sender is the previous release's "the pages changed" (this one
    /// never sends it), so a rolling deploy's old and new instances still hear each other.
    pub fn parse(payload: &str) -> Option<Self> {
        let mut words = payload.split(' ').peekable();
        let sender = uuid::Uuid::parse_str(words.next()?).ok()?;
        let mut announcement = Announcement { sender, pages: words.peek().is_none(), ..Default::default() };
        for word in words {
            match word {
                "pages" => announcement.pages = true,
                id => announcement.developers.push(uuid::Uuid::parse_str(id).ok()?),
            }
        }
        Some(announcement)
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_announcement_reads_back_as_sent() {
        let sender = uuid::Uuid::now_v7();
        let developers: Vec<_> = (0..DEVELOPERS_PER_ANNOUNCEMENT).map(|_| uuid::Uuid::now_v7()).collect();
        let full = Announcement { sender, pages: true, developers };
        assert!(full.payload().len() < 8000, "fits in one NOTIFY");
        assert_eq!(Announcement::parse(&full.payload()), Some(full));
        let pages_only = Announcement { sender, pages: true, developers: vec![] };
        assert_eq!(pages_only.payload(), sender.to_string() + " pages");
        let previous_release = Announcement { sender, pages: true, developers: vec![] };
        assert_eq!(Announcement::parse(&sender.to_string()), Some(previous_release), "the old payload");
        assert_eq!(Announcement::parse("not-an-id pages"), None);
        assert_eq!(Announcement::parse(&(sender.to_string() + " nonsense")), None);
    }
}
