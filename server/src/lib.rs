//! The CodeLink server: axum serving the Leptos app, its server functions, and the few plain HTTP
//! routes that are not server functions (`/healthz`, `/readyz`, `/payments/notify`). `main.rs` is only the command line.

pub mod card_png;
pub mod client_address;
pub mod complete_render;
pub mod consent;
pub mod demo;
pub mod guard;
pub mod headers;
pub mod lifecycle;
pub mod live;
pub mod metrics;
pub mod page_cache;
pub mod portfolio_images;
pub mod record_files;
pub mod search_engines;
pub mod startup;
pub mod static_files;
pub mod telemetry;
pub mod web_app;
