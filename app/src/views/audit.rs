//! The wire types of `api::audit`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// The acting admin's display name.
    pub admin: String,
    pub action: String,
    pub subject: String,
    /// JSON text of the record before and after, when the action changed one.
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: String,
    /// "YYYY-MM-DD HH:MM:SS", China Standard Time.
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}
