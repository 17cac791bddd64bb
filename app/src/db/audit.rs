//! The admins' audit log: every admin action is written here inside the transaction that performs
//! it, so an action and its record commit together or not at all. The table refuses updates and
//! deletes (see the migration's triggers); this module only appends and reads.

use crate::views::audit::AuditEntry;
use serde_json::Value;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// One admin action: what was done to which record, the state before and after, and why.
pub struct Action<'a> {
    pub admin: Uuid,
    /// "task.approve", "user.suspend", "commission.set", ...
    pub action: &'a str,
    /// "task:<uuid>", "user:<uuid>", "commission:web", ...
    pub subject: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: &'a str,
}

pub async fn record(conn: &mut PgConnection, entry: Action<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admin_audit (admin_id, action, subject, before, after, reason) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(entry.admin)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(entry.before)
    .bind(entry.after)
    .bind(entry.reason)
    .execute(conn)
    .await?;
    Ok(())
}

pub const PAGE_SIZE: i64 = 50;

/// The newest entries first; `query` (may be empty) matches the action, the subject, the reason,
/// the admin's name or the before/after text.
pub async fn search(pool: &PgPool, query: &str, page: i64) -> Result<(Vec<AuditEntry>, i64), sqlx::Error> {
    let pattern = super::contains_pattern(query.trim());
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        display_name: String,
        action: String,
        subject: String,
        before: Option<String>,
        after: Option<String>,
        reason: String,
        at: String,
    }
    let filter = "a.action ILIKE $1 OR a.subject ILIKE $1 OR a.reason ILIKE $1 OR u.display_name ILIKE $1
                  OR a.before::text ILIKE $1 OR a.after::text ILIKE $1";
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT a.id, u.display_name, a.action, a.subject, a.before::text AS before, a.after::text AS after, a.reason,
                china_text(a.at, 'YYYY-MM-DD HH24:MI:SS') AS at
         FROM admin_audit a JOIN users u ON u.id = a.admin_id
         WHERE {filter}
         ORDER BY a.at DESC, a.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(&pattern)
    .bind(PAGE_SIZE)
    .bind((page.max(1) - 1) * PAGE_SIZE)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT count(*) FROM admin_audit a JOIN users u ON u.id = a.admin_id WHERE {filter}"
    ))
    .bind(&pattern)
    .fetch_one(pool)
    .await?;
    let entries = rows
        .into_iter()
        .map(|row| AuditEntry {
            id: row.id,
            admin: row.display_name,
            action: row.action,
            subject: row.subject,
            before: row.before,
            after: row.after,
            reason: row.reason,
            at: row.at,
        })
        .collect();
    Ok((entries, total))
}
