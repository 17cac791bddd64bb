//! Which notifications each user also wants by e-mail, and the sender that works through the
//! notifications not yet e-mailed.

use crate::{
    domain::notifications::NoticeKind,
    mail::{compose, MailTransport},
    views::trust::OutboxMail,
};
use sqlx::PgPool;
use uuid::Uuid;

pub async fn preferences(pool: &PgPool, user: Uuid) -> Result<Vec<NoticeKind>, sqlx::Error> {
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM email_preferences WHERE user_id = $1").bind(user).fetch_all(pool).await?;
    Ok(kinds.iter().filter_map(|k| NoticeKind::parse(k)).collect())
}

pub async fn set_preference(pool: &PgPool, user: Uuid, kind: NoticeKind, enabled: bool) -> Result<(), sqlx::Error> {
    let sql = if enabled {
        "INSERT INTO email_preferences (user_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING"
    } else {
        "DELETE FROM email_preferences WHERE user_id = $1 AND kind = $2"
    };
    sqlx::query(sql).bind(user).bind(kind.as_str()).execute(pool).await?;
    Ok(())
}

/// Sends what is due, a batch at a time, each in its own transaction with the mark that it was
/// sent; notifications of kinds the user did not choose are marked without sending. Returns how
/// many messages went out.
pub async fn send_due(pool: &PgPool, transport: &impl MailTransport, base_url: &str) -> Result<u64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Due {
        id: i64,
        kind: String,
        task_id: Option<Uuid>,
        email: String,
        title: Option<String>,
        wanted: bool,
        note: String,
    }
    let mut sent = 0;
    loop {
        let mut tx = pool.begin().await?;
        let batch: Vec<Due> = sqlx::query_as(
            "SELECT n.id, n.kind, n.task_id, u.email, t.title,
                    EXISTS (SELECT 1 FROM email_preferences p WHERE p.user_id = n.user_id AND p.kind = n.kind) AS wanted,
                    n.note
             FROM notifications n JOIN users u ON u.id = n.user_id LEFT JOIN tasks t ON t.id = n.task_id
             WHERE n.emailed_at IS NULL ORDER BY n.id LIMIT 100 FOR UPDATE OF n SKIP LOCKED",
        )
        .fetch_all(&mut *tx)
        .await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        for Due { id, kind, task_id: task, email, title, wanted, note } in &batch {
            if let (true, Some(kind)) = (*wanted, NoticeKind::parse(kind)) {
                let link = format!("{base_url}{}", kind.target(*task, note));
                let mail = compose(*id, email, kind, kind.mail_about(title.as_deref(), note), &link);
                if let Err(error) = transport.send(&mut tx, &mail).await {
                    tracing::warn!(%error, id, "could not send a notification e-mail; will retry");
                    return Ok(sent);
                }
                sent += 1;
            }
        }
        let ids: Vec<i64> = batch.iter().map(|row| row.id).collect();
        sqlx::query("UPDATE notifications SET emailed_at = app_now() WHERE id = ANY($1)")
            .bind(&ids)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
}

/// The newest messages the local transport kept, for the admin console.
pub async fn outbox(pool: &PgPool, limit: i64) -> Result<Vec<OutboxMail>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        to_address: String,
        subject: String,
        body: String,
        sent_at: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT to_address, subject, body, china_text(sent_at, 'YYYY-MM-DD HH24:MI') AS sent_at
         FROM email_outbox ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| OutboxMail { to: row.to_address, subject: row.subject, body: row.body, sent_at: row.sent_at })
        .collect())
}
