//! The help centre's contact messages and the admins' replies (migration 36's `support_requests`).

use crate::{
    db::audit::{self, Action},
    domain::{
        lifecycle::Refusal,
        notifications::NoticeKind,
        support::{Contact, Topic, QUEUE_PAGE_SIZE},
    },
    error::AppError,
    views::legal::{SupportQueue, SupportRequest},
};
use sqlx::PgPool;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    topic: String,
    message: String,
    created_at: String,
    from_name: Option<String>,
    signed_in: bool,
    reply: Option<String>,
    replied_at: Option<String>,
}

impl Row {
    fn into_view(self) -> Option<SupportRequest> {
        Some(SupportRequest {
            id: self.id,
            topic: Topic::parse(&self.topic)?,
            message: self.message,
            created_at: self.created_at,
            from: self.from_name,
            signed_in: self.signed_in,
            reply: self.reply,
            replied_at: self.replied_at,
        })
    }
}

const SELECT: &str = "SELECT r.id, r.topic, r.message, china_text(r.created_at, 'YYYY-MM-DD HH24:MI') AS created_at,
        coalesce(u.display_name || ' · ' || u.email, r.email) AS from_name, r.user_id IS NOT NULL AS signed_in,
        r.reply, china_text(r.replied_at, 'YYYY-MM-DD HH24:MI') AS replied_at
    FROM support_requests r LEFT JOIN users u ON u.id = r.user_id";

/// Files a contact message from `user` (None: a visitor). Returns its id.
pub async fn file(pool: &PgPool, user: Option<Uuid>, contact: &Contact) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO support_requests (user_id, email, topic, message) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user)
    .bind(contact.email.as_ref().map(|e| e.as_str()))
    .bind(contact.topic.as_str())
    .bind(&contact.message)
    .fetch_one(pool)
    .await
}

/// The user's own messages, newest first (the help page shows them with their replies).
pub async fn mine(pool: &PgPool, user: Uuid) -> Result<Vec<SupportRequest>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE r.user_id = $1 ORDER BY r.id DESC LIMIT 20"))
        .bind(user)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().filter_map(Row::into_view).collect())
}

/// The admin queue: every unanswered message, oldest first, and the latest answered ones.
pub async fn queue(pool: &PgPool) -> Result<SupportQueue, sqlx::Error> {
    let waiting: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE r.replied_at IS NULL ORDER BY r.id LIMIT {QUEUE_PAGE_SIZE}"))
            .fetch_all(pool)
            .await?;
    let answered: Vec<Row> = sqlx::query_as(&format!(
        "{SELECT} WHERE r.replied_at IS NOT NULL ORDER BY r.replied_at DESC LIMIT {QUEUE_PAGE_SIZE}"
    ))
    .fetch_all(pool)
    .await?;
    Ok(SupportQueue {
        waiting: waiting.into_iter().filter_map(Row::into_view).collect(),
        answered: answered.into_iter().filter_map(Row::into_view).collect(),
    })
}

/// An admin answers message `id`, once: the reply is kept with it, a signed-in sender gets a
/// notice carrying it, and the audit log records who answered. A second reply is refused (409,
/// `WrongState`: already answered).
pub async fn reply(pool: &PgPool, admin: Uuid, id: i64, text: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let sender: Option<Option<Uuid>> = sqlx::query_scalar(
        "UPDATE support_requests SET reply = $2, replied_by = $3, replied_at = app_now()
         WHERE id = $1 AND replied_at IS NULL RETURNING user_id",
    )
    .bind(id)
    .bind(text)
    .bind(admin)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(sender) = sender else {
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM support_requests WHERE id = $1)")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        return Err(if exists { AppError::Refused { reason: Refusal::WrongState } } else { AppError::NotFound });
    };
    if let Some(user) = sender {
        super::notifications::notify(&mut tx, user, NoticeKind::SupportReply.as_str(), None, text).await?;
    }
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "support.reply",
            subject: format!("support:{id}"),
            before: None,
            after: Some(serde_json::json!({ "reply": text })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
