//! The wire types of `api::security`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One login of the account, as the devices list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: Uuid,
    /// "Chrome · Windows"; `None` when the user agent names nothing we know.
    pub name: Option<String>,
    pub address: String,
    pub signed_in_at: String,
    pub last_seen_at: String,
    /// The device reading the page.
    pub current: bool,
}

/// What just changed, shown once by the page the form returns to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecurityChange {
    PasswordChanged,
    DeviceLoggedOut,
    OthersLoggedOut { count: u32 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub devices: Vec<Device>,
    pub change: Option<SecurityChange>,
}
