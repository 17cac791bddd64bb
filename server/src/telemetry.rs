//! Structured logs: one line per request (method, path, status, latency) plus whatever the code
//! logs. `RUST_LOG` filters (default `info`); `LOG_FORMAT=json` switches to JSON lines for shipping.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = fmt().with_env_filter(filter).with_target(false);
    if json {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}
