//! A merchant's public record (`/merchants/{id}`): what developers check before applying.

use super::hall::{into_summaries, TaskSummaryRow, DECORATE_PAGE, NEWEST_FIRST};
use crate::{
    domain::{account::MerchantKind, money::Money},
    views::merchants::MerchantProfile,
};
use sqlx::PgPool;
use uuid::Uuid;

/// A merchant's public record: what developers check before applying (the seeds' 难缠的客户).
/// None for an unknown id or an account that is not a merchant.
pub async fn merchant_profile(pool: &PgPool, id: Uuid) -> Result<Option<MerchantProfile>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        display_name: String,
        merchant_kind: Option<String>,
        member_since: String,
        tasks_posted: i64,
        tasks_completed: i64,
        tasks_cancelled: i64,
        paid_fen: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.display_name, u.merchant_kind, china_text(u.created_at, 'YYYY-MM-DD') AS member_since,
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status <> 'draft') AS tasks_posted,
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status = 'completed') AS tasks_completed,
                (SELECT count(*) FROM tasks t WHERE t.merchant_id = u.id AND t.status = 'cancelled') AS tasks_cancelled,
                (SELECT COALESCE(sum(m.amount_fen), 0)::int8 FROM milestones m JOIN tasks t ON t.id = m.task_id
                 WHERE t.merchant_id = u.id AND m.status = 'released') AS paid_fen
         FROM users u WHERE u.id = $1 AND u.role = 'merchant'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let Some(kind) = row.merchant_kind.as_deref().and_then(MerchantKind::parse) else {
        return Ok(None);
    };
    let mut conn = pool.acquire().await?;
    let response_rate = response_rate(&mut conn, id).await?;
    let sql = format!(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at, min_level
             FROM tasks WHERE status = 'open' AND merchant_id = $1
             ORDER BY created_at DESC, id DESC LIMIT 20)
         {DECORATE_PAGE} {NEWEST_FIRST}"
    );
    let rows: Vec<TaskSummaryRow> = sqlx::query_as(&sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(Some(MerchantProfile {
        id,
        name: row.display_name,
        kind,
        member_since: row.member_since,
        tasks_posted: row.tasks_posted,
        tasks_completed: row.tasks_completed,
        tasks_cancelled: row.tasks_cancelled,
        paid_to_developers: Money::from_fen(row.paid_fen),
        response_rate,
        open_tasks: into_summaries(rows),
        credit: crate::db::credit::score(pool, id).await?,
        reviews: crate::db::reviews::received(pool, id, 10).await?,
    }))
}

/// The share (percent) of a merchant's applications answered within their 48 hours, counting only
/// applications whose answer is in (answered, or expired unanswered; a withdrawn one asked nothing
/// of the merchant). None before any.
pub async fn response_rate(conn: &mut sqlx::PgConnection, merchant: Uuid) -> Result<Option<u8>, sqlx::Error> {
    let (on_time, due): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE a.status IN ('accepted', 'declined') AND a.answered_at <= a.respond_by),
                count(*) FILTER (WHERE a.status NOT IN ('pending', 'withdrawn'))
         FROM applications a JOIN tasks t ON t.id = a.task_id
         WHERE t.merchant_id = $1",
    )
    .bind(merchant)
    .fetch_one(conn)
    .await?;
    Ok((due > 0).then(|| (on_time * 100 / due) as u8))
}
