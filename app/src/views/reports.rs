//! The wire types of `api::reports`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportExport {
    pub id: Uuid,
    pub month: String,
    pub done: i32,
    pub total: i32,
    pub finished: bool,
    pub failed: bool,
}
