//! Task conversations in the database. A conversation is (task, developer): one applicant or the
//! chosen developer, and the task's merchant. A trigger announces every new message (`CHANNEL`)
//! when its transaction commits, so listeners (the server's live streams) hear of it only once it
//! is stored, whoever wrote it.

use crate::{
    domain::{account::Role, messages::guard_contacts},
    error::AppError,
    views::messages::{MessageFile, MessageView},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The channel new messages are announced on (migration 17's trigger); the payload is
/// `task:developer:id`.
pub const CHANNEL: &str = "task_messages";

pub struct NewAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(sqlx::FromRow)]
struct TaskParties {
    merchant: Uuid,
    chosen: Option<Uuid>,
    disputed: bool,
}

async fn parties(conn: &mut PgConnection, task: Uuid) -> Result<TaskParties, AppError> {
    let row: Option<TaskParties> = sqlx::query_as(
        "SELECT t.merchant_id AS merchant, t.developer_id AS chosen,
                EXISTS (SELECT 1 FROM disputes d JOIN milestones m ON m.id = d.milestone_id WHERE m.task_id = t.id)
                    AS disputed
         FROM tasks t WHERE t.id = $1",
    )
    .bind(task)
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or(AppError::NotFound)
}

async fn has_applied(conn: &mut PgConnection, task: Uuid, developer: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM applications WHERE task_id = $1 AND developer_id = $2)")
        .bind(task)
        .bind(developer)
        .fetch_one(conn)
        .await
}

/// Whether `viewer` may read the (task, developer) conversation: its two sides, or an admin once
/// the task has a dispute (the seed: 聊天对话保留, 争议调解). Writing is for the two sides only.
async fn may_read(
    conn: &mut PgConnection,
    task: &TaskParties,
    task_id: Uuid,
    developer: Uuid,
    viewer: (Uuid, Role),
) -> Result<bool, sqlx::Error> {
    let (user, role) = viewer;
    if role == Role::Admin {
        return Ok(task.disputed);
    }
    let side = user == task.merchant || user == developer;
    Ok(side && (task.chosen == Some(developer) || has_applied(conn, task_id, developer).await?))
}

/// `author` writes in the conversation with `developer` (a developer may only write in their own).
/// Contact details are masked until that developer is the one chosen.
pub async fn post(
    pool: &PgPool,
    author: (Uuid, Role),
    task_id: Uuid,
    developer: Uuid,
    body: &str,
    attachment: Option<NewAttachment>,
) -> Result<i64, AppError> {
    let mut tx = pool.begin().await?;
    let task = parties(&mut tx, task_id).await?;
    if author.1 == Role::Admin || !may_read(&mut tx, &task, task_id, developer, author).await? {
        return Err(AppError::Forbidden);
    }
    let (body, masked) = guard_contacts(body, task.chosen, developer);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO task_messages (task_id, developer_id, author_id, body, masked) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(task_id)
    .bind(developer)
    .bind(author.0)
    .bind(&body)
    .bind(masked)
    .fetch_one(&mut *tx)
    .await?;
    if let Some(file) = attachment {
        sqlx::query(
            "INSERT INTO message_files (id, message_id, name, content_type, size_bytes, bytes) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Uuid::now_v7())
        .bind(id)
        .bind(&file.name)
        .bind(&file.content_type)
        .bind(file.bytes.len() as i32)
        .bind(&file.bytes)
        .execute(&mut *tx)
        .await?;
    }
    // The other side is told once per unread stretch, not once per message.
    let recipient = if author.0 == task.merchant { developer } else { task.merchant };
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, task_id)
         SELECT $1, 'new_message', $2 WHERE NOT EXISTS (
             SELECT 1 FROM notifications WHERE user_id = $1 AND task_id = $2 AND kind = 'new_message' AND read_at IS NULL)",
    )
    .bind(recipient)
    .bind(task_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The conversation's messages after `after` (0: from the start), oldest first, if `viewer` may read it.
pub async fn conversation(
    pool: &PgPool,
    viewer: (Uuid, Role),
    task_id: Uuid,
    developer: Uuid,
    after: i64,
) -> Result<Vec<MessageView>, AppError> {
    let mut conn = pool.acquire().await?;
    let task = parties(&mut conn, task_id).await?;
    if !may_read(&mut conn, &task, task_id, developer, viewer).await? {
        return Err(AppError::Forbidden);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        author_id: Uuid,
        display_name: String,
        body: String,
        masked: bool,
        sent_at: String,
        file_id: Option<Uuid>,
        file_name: Option<String>,
        file_size: Option<i32>,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT m.id, m.author_id, u.display_name, m.body, m.masked,
                china_text(m.created_at, 'MM-DD HH24:MI') AS sent_at,
                f.id AS file_id, f.name AS file_name, f.size_bytes AS file_size
         FROM task_messages m JOIN users u ON u.id = m.author_id LEFT JOIN message_files f ON f.message_id = m.id
         WHERE m.task_id = $1 AND m.developer_id = $2 AND m.id > $3
         ORDER BY m.id LIMIT 500",
    )
    .bind(task_id)
    .bind(developer)
    .bind(after)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| MessageView {
            id: row.id,
            mine: row.author_id == viewer.0,
            from_merchant: row.author_id == task.merchant,
            author_name: row.display_name,
            body: row.body,
            masked: row.masked,
            sent_at: row.sent_at,
            file: row.file_id.zip(row.file_name).map(|(id, name)| MessageFile {
                id,
                name,
                size_bytes: row.file_size.unwrap_or(0) as i64,
            }),
        })
        .collect())
}

pub async fn chosen_developer(pool: &PgPool, task: Uuid) -> Result<Option<Uuid>, sqlx::Error> {
    Ok(sqlx::query_scalar("SELECT developer_id FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_optional(pool)
        .await?
        .flatten())
}

/// Whom the task's merchant can talk to: every applicant (newest first) and the chosen developer.
pub async fn partners(pool: &PgPool, task: Uuid) -> Result<Vec<(Uuid, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u
         WHERE u.id IN (SELECT developer_id FROM applications WHERE task_id = $1
                        UNION SELECT developer_id FROM tasks WHERE id = $1 AND developer_id IS NOT NULL)
         ORDER BY u.id = (SELECT developer_id FROM tasks WHERE id = $1) DESC NULLS LAST, u.display_name",
    )
    .bind(task)
    .fetch_all(pool)
    .await
}

/// A message attachment, for the two sides (and an admin once disputed).
pub async fn attachment(
    pool: &PgPool,
    viewer: (Uuid, Role),
    file: Uuid,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        task_id: Uuid,
        developer_id: Uuid,
        name: String,
        bytes: Vec<u8>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT m.task_id, m.developer_id, f.name, f.bytes
         FROM message_files f JOIN task_messages m ON m.id = f.message_id WHERE f.id = $1",
    )
    .bind(file)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut conn = pool.acquire().await?;
    let task = parties(&mut conn, row.task_id).await?;
    if !may_read(&mut conn, &task, row.task_id, row.developer_id, viewer).await? {
        return Ok(None);
    }
    Ok(Some((row.name, row.bytes)))
}
