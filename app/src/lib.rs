//! CodeLink's shared crate: the pages and components that render on the server (the `#[island]`s
//! among them also wake in the browser), the server functions they call, and the domain rules.
//!
//! - `domain/`: pure rules, no I/O (money, accounts, access, paging).
//! - `api/`: server functions; `read/` (one read model per page), `db/`, `auth`, `state`,
//!   `rate_limit` exist on the server only.
//! - `views/`: the types that cross the wire (what server functions return), data only.
//! - `pages/` and `components/`: the UI. Every visible string comes from `locales/*.json`.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// The translations inside an island. On the server an island renders within the page's
/// `I18nContextProvider` and gets that context; in the browser each island wakes alone, so it opens
/// its own from the language the server wrote into `<html lang>`, and provides it to its children.
#[allow(deprecated)] // deprecated in favour of the provider component, which an island cannot sit in
pub fn island_i18n() -> leptos_i18n::I18nContext<i18n::Locale> {
    i18n::provide_i18n_context()
}

pub mod api;
pub mod build_files;
pub mod components;
pub mod domain;
pub mod error;
pub mod html_text;
pub mod pages;
mod root;
pub mod views;
pub mod words;

#[cfg(feature = "ssr")]
pub mod auth;
#[cfg(feature = "ssr")]
pub mod credentials;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod identity;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod payments;
#[cfg(feature = "ssr")]
pub mod public_pages;
#[cfg(feature = "ssr")]
pub mod rate_limit;
#[cfg(feature = "ssr")]
pub mod read;
#[cfg(feature = "ssr")]
pub mod report_pdf;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod ttl_cache;

pub use root::{shell, App};
