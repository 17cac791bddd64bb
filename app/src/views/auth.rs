//! The wire types of `api::auth`: what its server functions return, as data (no I/O).

use crate::domain::account::Role;
use serde::{Deserialize, Serialize};

/// What the browser may know about the logged-in user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub display_name: String,
    pub role: Role,
}
