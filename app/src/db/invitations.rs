//! Invitations to apply (邀请投递) in the database: sending one under the task's lock, answering it,
//! and the reads of the invite form, the task page and `/invitations`. Applying is the usual
//! application (`db::lifecycle::apply`), which marks the invitation in its own transaction.

use crate::{
    db::notifications::{answered, notify},
    domain::{
        invitations::{answer, check_invite, check_task, Answer, InvitationStatus, InviteFacts},
        lifecycle::TaskStatus,
        messages,
        money::Money,
        notifications::NoticeKind,
    },
    error::AppError,
    views::invitations::{InvitableTask, InvitationView},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Whether `developer` may be invited now: their availability (接单中 / 忙碌 / 暂停接单).
pub async fn developer_accepts_invitations(conn: &mut PgConnection, developer: Uuid) -> Result<bool, sqlx::Error> {
    let today = crate::db::periods::today(&mut *conn).await?;
    Ok(crate::db::talent::availability_of(conn, developer).await?.accepts_invitations(&today))
}

/// `merchant` invites the developer at `/u/{handle}` to apply to `task`, with a note (already
/// checked by `invitations::check_note`). The task's row is locked first, so invitations to one
/// task are counted one at a time and its cap holds across servers; a refusal writes nothing.
pub async fn invite(pool: &PgPool, merchant: Uuid, task: Uuid, handle: &str, note: &str) -> Result<Uuid, AppError> {
    let refused = |problem: crate::domain::invitations::InvitationProblem| AppError::field(problem.into_field_error());
    let mut tx = pool.begin().await?;
    let row: Option<(Uuid, String)> = sqlx::query_as("SELECT merchant_id, status FROM tasks WHERE id = $1 FOR UPDATE")
        .bind(task)
        .fetch_optional(&mut *tx)
        .await?;
    // A task that does not exist reads like someone else's: nothing to learn from probing ids.
    let (task_merchant, status) = row.unwrap_or((Uuid::nil(), TaskStatus::Draft.as_str().to_string()));
    let task_status = TaskStatus::parse(&status).ok_or(AppError::Internal)?;
    check_task(merchant, task_merchant, task_status).map_err(refused)?;
    let found: Option<(Uuid, String)> = sqlx::query_as("SELECT id, role FROM users WHERE handle = lower($1)")
        .bind(handle.trim())
        .fetch_optional(&mut *tx)
        .await?;
    let (developer, role) = found.ok_or(AppError::NotFound)?;
    let (already_invited, already_applied, sent_for_task): (bool, bool, i64) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM task_invitations WHERE task_id = $1 AND developer_id = $2),
                EXISTS (SELECT 1 FROM applications WHERE task_id = $1 AND developer_id = $2),
                (SELECT count(*) FROM task_invitations WHERE task_id = $1)",
    )
    .bind(task)
    .bind(developer)
    .fetch_one(&mut *tx)
    .await?;
    let facts = InviteFacts {
        merchant,
        task_merchant,
        task_status,
        developer,
        developer_role: crate::domain::account::Role::parse(&role).ok_or(AppError::Internal)?,
        already_invited,
        already_applied,
        accepts_invitations: developer_accepts_invitations(&mut tx, developer).await?,
        sent_for_task,
    };
    check_invite(&facts).map_err(refused)?;
    // The merchant has not chosen anyone: contact details are masked as in the conversation.
    let (note, _) = messages::guard_contacts(note, None, developer);
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO task_invitations (id, task_id, developer_id, merchant_id, note) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(task)
    .bind(developer)
    .bind(merchant)
    .bind(&note)
    .execute(&mut *tx)
    .await?;
    notify(&mut tx, developer, NoticeKind::Invitation.as_str(), Some(task), &note).await?;
    tx.commit().await?;
    Ok(id)
}

/// The invited developer declines (婉拒). Task first, then the invitation, the lock order of every
/// task step.
pub async fn decline(pool: &PgPool, developer: Uuid, invitation: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let task: Uuid = sqlx::query_scalar("SELECT task_id FROM task_invitations WHERE id = $1 AND developer_id = $2")
        .bind(invitation)
        .bind(developer)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let task_status: String =
        sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1 FOR UPDATE").bind(task).fetch_one(&mut *tx).await?;
    let status: String = sqlx::query_scalar("SELECT status FROM task_invitations WHERE id = $1 FOR UPDATE")
        .bind(invitation)
        .fetch_one(&mut *tx)
        .await?;
    let next = answer(
        InvitationStatus::parse(&status).ok_or(AppError::Internal)?,
        TaskStatus::parse(&task_status).ok_or(AppError::Internal)?,
        Answer::Decline,
    )?;
    set_status(&mut tx, invitation, next).await?;
    answered(&mut tx, Some(developer), task, &[NoticeKind::Invitation]).await?;
    tx.commit().await?;
    Ok(())
}

/// Inside an application's transaction, with the open task locked: the developer's invitation to
/// it, if any, is answered by this application and its notice is done.
pub async fn mark_applied(conn: &mut PgConnection, task: Uuid, developer: Uuid) -> Result<(), AppError> {
    let found: Option<(Uuid, String)> =
        sqlx::query_as("SELECT id, status FROM task_invitations WHERE task_id = $1 AND developer_id = $2 FOR UPDATE")
            .bind(task)
            .bind(developer)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((id, status)) = found else { return Ok(()) };
    let status = InvitationStatus::parse(&status).ok_or(AppError::Internal)?;
    if let Ok(next) = answer(status, TaskStatus::Open, Answer::Apply) {
        set_status(conn, id, next).await?;
        answered(conn, Some(developer), task, &[NoticeKind::Invitation]).await?;
    }
    Ok(())
}

/// The task stopped taking applications (a developer was chosen, or it is over): its unanswered
/// invitations close, and nothing is asked of their developers any more.
/// One statement: it runs in every task's last step, payouts included.
pub async fn close_for_task(conn: &mut PgConnection, task: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH closed AS (UPDATE task_invitations SET status = $2, answered_at = app_now()
                         WHERE task_id = $1 AND status = $3)
         UPDATE notifications SET done_at = app_now() WHERE task_id = $1 AND done_at IS NULL AND kind = $4",
    )
    .bind(task)
    .bind(InvitationStatus::Closed.as_str())
    .bind(InvitationStatus::Invited.as_str())
    .bind(NoticeKind::Invitation.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

async fn set_status(conn: &mut PgConnection, invitation: Uuid, status: InvitationStatus) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE task_invitations SET status = $2, answered_at = app_now() WHERE id = $1")
        .bind(invitation)
        .bind(status.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: Uuid,
    task_id: Uuid,
    task_title: String,
    task_status: String,
    reward_fen: i64,
    merchant_name: String,
    note: String,
    status: String,
    created_at: String,
}

impl InvitationRow {
    fn view(self) -> Option<InvitationView> {
        let task_status = TaskStatus::parse(&self.task_status)?;
        let stored = InvitationStatus::parse(&self.status)?;
        Some(InvitationView {
            id: self.id,
            task_id: self.task_id,
            task_title: self.task_title,
            task_status,
            reward: Money::from_fen(self.reward_fen),
            merchant_name: self.merchant_name,
            note: self.note,
            status: stored.seen_with(task_status),
            created_at: self.created_at,
            answerable: crate::domain::invitations::may_answer(stored, task_status),
        })
    }
}

const INVITATIONS: &str = "SELECT i.id, i.task_id, t.title AS task_title, t.status AS task_status, t.reward_fen,
        u.display_name AS merchant_name, i.note, i.status, china_text(i.created_at, 'YYYY-MM-DD HH24:MI') AS created_at
    FROM task_invitations i JOIN tasks t ON t.id = i.task_id JOIN users u ON u.id = i.merchant_id";

/// The developer's invitations, newest first (the latest 100).
pub async fn of_developer(pool: &PgPool, developer: Uuid) -> Result<Vec<InvitationView>, sqlx::Error> {
    let rows: Vec<InvitationRow> =
        sqlx::query_as(&format!("{INVITATIONS} WHERE i.developer_id = $1 ORDER BY i.created_at DESC LIMIT 100"))
            .bind(developer)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().filter_map(InvitationRow::view).collect())
}

/// The developer's invitation to one task, for its page.
pub async fn for_task(
    conn: &mut PgConnection,
    task: Uuid,
    developer: Uuid,
) -> Result<Option<InvitationView>, sqlx::Error> {
    let row: Option<InvitationRow> =
        sqlx::query_as(&format!("{INVITATIONS} WHERE i.task_id = $1 AND i.developer_id = $2"))
            .bind(task)
            .bind(developer)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(InvitationRow::view))
}

/// The merchant's open tasks, newest first: what the invite form for the developer at `/u/{handle}`
/// offers, with the ones they were invited to already.
pub async fn invitable_tasks(pool: &PgPool, merchant: Uuid, handle: &str) -> Result<Vec<InvitableTask>, sqlx::Error> {
    let rows: Vec<(Uuid, String, i64, bool)> = sqlx::query_as(
        "SELECT t.id, t.title, t.reward_fen,
                EXISTS (SELECT 1 FROM task_invitations i JOIN users u ON u.id = i.developer_id
                        WHERE i.task_id = t.id AND u.handle = lower($3)) AS invited
         FROM tasks t WHERE t.merchant_id = $1 AND t.status = $2
         ORDER BY t.created_at DESC LIMIT 100",
    )
    .bind(merchant)
    .bind(TaskStatus::Open.as_str())
    .bind(handle.trim())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, fen, invited)| InvitableTask { id, title, reward: Money::from_fen(fen), invited })
        .collect())
}
