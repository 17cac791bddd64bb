//! Starting a server process: its settings (`config`), the router with its middleware (`routes`)
//! the background workers (`workers`) and the warm-up before the first request (`warm_up`). Callers use the items re-exported here.

mod config;
mod routes;
mod warm_up;
mod workers;

pub use config::{connect, migrate, Settings, MIGRATIONS, POOL_CONNECTIONS};
pub use routes::app_router;
pub(crate) use routes::attachment;
pub use warm_up::warm_up;
pub use workers::*;
