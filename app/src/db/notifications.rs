//! The notification centre's reads and writes. Notifications themselves are written by the flows
//! that cause them, in the same transaction (see `db::lifecycle`).

use crate::domain::notifications::NoticeKind;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Tells `user` something (`kind` is a `NoticeKind` name), about `task` when there is one, inside
/// the caller's transaction.
pub async fn notify(
    conn: &mut PgConnection,
    user: Uuid,
    kind: &str,
    task: Option<Uuid>,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notifications (user_id, kind, task_id, note) VALUES ($1, $2, $3, $4)")
        .bind(user)
        .bind(kind)
        .bind(task)
        .bind(note)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks done what notices about `task` of the given kinds asked of `user` (of everyone when None),
/// inside the step's transaction: the list stops showing them as 待处理.
pub async fn answered(
    conn: &mut PgConnection,
    user: Option<Uuid>,
    task: Uuid,
    kinds: &[NoticeKind],
) -> Result<(), sqlx::Error> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    sqlx::query(
        "UPDATE notifications SET done_at = app_now()
         WHERE task_id = $1 AND done_at IS NULL AND ($2::uuid IS NULL OR user_id = $2) AND kind = ANY($3)",
    )
    .bind(task)
    .bind(user)
    .bind(&kinds)
    .execute(conn)
    .await?;
    Ok(())
}

/// The task is over: nothing its flow's notices asked can still be done.
pub async fn task_over(conn: &mut PgConnection, task: Uuid) -> Result<(), sqlx::Error> {
    answered(conn, None, task, &NoticeKind::TASK_FLOW).await
}

/// The channel every new notification is announced on (migration 17's trigger); the payload is
/// the user's id.
pub const CHANNEL: &str = "notifications";

#[derive(Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub kind: String,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    pub note: String,
    pub created_at: String,
    pub unread: bool,
    pub done: bool,
}

pub async fn unread_count(pool: &PgPool, user: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user)
        .fetch_one(pool)
        .await
}

/// Up to `limit` notifications older than `before` (all when None), newest first.
pub async fn list(
    pool: &PgPool,
    user: Uuid,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n.id, n.kind, n.task_id, t.title AS task_title, n.note,
                china_text(n.created_at, 'YYYY-MM-DD HH24:MI') AS created_at,
                n.read_at IS NULL AS unread, n.done_at IS NOT NULL AS done
         FROM notifications n LEFT JOIN tasks t ON t.id = n.task_id
         WHERE n.user_id = $1 AND n.id < coalesce($2, 9223372036854775807)
         ORDER BY n.id DESC LIMIT $3",
    )
    .bind(user)
    .bind(before)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Marks the user's unread notifications read: all of them, or those about one task (opening a
/// task reads what was said about it). Returns how many changed.
pub async fn mark_read(pool: &PgPool, user: Uuid, task: Option<Uuid>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = app_now()
         WHERE user_id = $1 AND read_at IS NULL AND ($2::uuid IS NULL OR task_id = $2)",
    )
    .bind(user)
    .bind(task)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
