//! The admins' audit log, read-only: there is no server function that changes or deletes an entry.

use crate::{error::AppError, views::audit::AuditPage};
use leptos::prelude::*;

#[server(name = AuditLogFn, endpoint = "admin/audit")]
pub async fn audit_log(query: String, page: i64) -> Result<AuditPage, AppError> {
    use crate::{db, domain::paging::page_count, state::app_state};
    crate::api::access::authorize_user::<AuditLogFn>().await?;
    let query: String = query.chars().take(200).collect();
    let page = page.max(1);
    let (entries, total) = db::audit::search(&app_state()?.pool, &query, page).await?;
    Ok(AuditPage { entries, total, page, pages: page_count(total, db::audit::PAGE_SIZE) })
}
