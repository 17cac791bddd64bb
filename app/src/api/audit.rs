//! The admins' audit log, read-only: there is no server function that changes or deletes an entry.

use crate::error::AppError;
use leptos::prelude::*;
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

#[server(name = AuditLogFn, endpoint = "admin/audit")]
pub async fn audit_log(query: String, page: i64) -> Result<AuditPage, AppError> {
    use crate::{db, domain::paging::page_count, state::app_state};
    crate::api::access::authorize_user::<AuditLogFn>().await?;
    let query: String = query.chars().take(200).collect();
    let page = page.max(1);
    let (entries, total) = db::audit::search(&app_state()?.pool, &query, page).await?;
    Ok(AuditPage { entries, total, page, pages: page_count(total, db::audit::PAGE_SIZE) })
}
