//! Starting a server process: its settings (`config`), the router with its middleware (`routes`)
//! and the background workers (`workers`). Callers use the items re-exported here.

mod config;
mod routes;
mod workers;

pub use config::{connect, migrate, Settings};
pub use routes::app_router;
pub(crate) use routes::attachment;
pub use workers::*;
