//! Against farming growth rewards with self-posted tasks: where accounts are used from, the check
//! that a finished task's merchant and developer are unrelated, and the flags an admin
//! resolves (`growth::resolve_abuse_flag`, which releases the held rewards).

use crate::views::trust::AbuseFlag;
use sqlx::{PgConnection, PgPool};
use std::net::IpAddr;
use uuid::Uuid;

/// Remembers that `user` was used from `address` (at registration and every login). Loopback is
/// no evidence of anything (local development, or a proxy that does not forward addresses).
pub async fn record_address(pool: &PgPool, user: Uuid, address: IpAddr) -> Result<(), sqlx::Error> {
    if address.is_unspecified() || address.is_loopback() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO user_addresses (user_id, address) VALUES ($1, $2::inet)
         ON CONFLICT (user_id, address) DO UPDATE SET last_seen = app_now()",
    )
    .bind(user)
    .bind(address.to_string())
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether a task's merchant and developer look like one person: the reason and the evidence.
async fn relation(
    conn: &mut PgConnection,
    merchant: Uuid,
    developer: Uuid,
) -> Result<Option<(&'static str, String)>, sqlx::Error> {
    let shared_address: Option<String> = sqlx::query_scalar(
        "SELECT host(m.address) FROM user_addresses m JOIN user_addresses d ON d.address = m.address
         WHERE m.user_id = $1 AND d.user_id = $2 LIMIT 1",
    )
    .bind(merchant)
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(address) = shared_address {
        return Ok(Some(("shared_address", address)));
    }
    let shared_account: Option<String> = sqlx::query_scalar(
        "SELECT m.payer_account FROM payment_orders m JOIN payment_orders d ON d.payer_account = m.payer_account
         WHERE m.user_id = $1 AND d.user_id = $2 LIMIT 1",
    )
    .bind(merchant)
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(shared_account.map(|account| ("shared_payment_account", account)))
}

/// Called before a finished task's growth is awarded: when its two parties are related, flags the
/// task for an admin and returns true (the caller then holds the rewards back).
pub async fn flag_if_related(
    conn: &mut PgConnection,
    task: Uuid,
    merchant: Uuid,
    developer: Uuid,
) -> Result<bool, sqlx::Error> {
    let Some((reason, evidence)) = relation(conn, merchant, developer).await? else { return Ok(false) };
    sqlx::query("INSERT INTO abuse_flags (task_id, reason, evidence) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(task)
        .bind(reason)
        .bind(evidence)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// A flagged task's rewards stay held until an admin releases them.
pub async fn rewards_held(conn: &mut PgConnection, task: Uuid) -> Result<bool, sqlx::Error> {
    let held: Option<bool> = sqlx::query_scalar("SELECT released IS NOT TRUE FROM abuse_flags WHERE task_id = $1")
        .bind(task)
        .fetch_optional(conn)
        .await?;
    Ok(held.unwrap_or(false))
}

pub async fn open_flags(pool: &PgPool) -> Result<Vec<AbuseFlag>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        task_id: Uuid,
        task_title: String,
        merchant_name: String,
        developer_name: String,
        reason: String,
        evidence: String,
        flagged_at: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT f.task_id, t.title AS task_title, m.display_name AS merchant_name, d.display_name AS developer_name,
                f.reason, f.evidence, china_text(f.flagged_at, 'YYYY-MM-DD HH24:MI') AS flagged_at
         FROM abuse_flags f JOIN tasks t ON t.id = f.task_id JOIN users m ON m.id = t.merchant_id
         JOIN users d ON d.id = t.developer_id
         WHERE f.resolved_at IS NULL ORDER BY f.flagged_at LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AbuseFlag {
            task_id: row.task_id,
            task_title: row.task_title,
            merchant_name: row.merchant_name,
            developer_name: row.developer_name,
            reason: row.reason,
            evidence: row.evidence,
            flagged_at: row.flagged_at,
        })
        .collect())
}
