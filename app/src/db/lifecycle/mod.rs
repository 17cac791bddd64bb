//! The task lifecycle in the database: every operation is one transaction that locks the task row,
//! asks `domain::lifecycle` whether the transition is allowed, writes the new state, the ledger
//! movement it causes and the timeline event, and commits them together or not at all.
//!
//! Lock order, always: the task row, then its milestones, then ledger accounts (see `db::ledger`).
//! Taking the task row first serialises everything that happens to one task, so 64 simultaneous
//! "accept" clicks see one `delivered` milestone and 63 `released` ones.

use crate::{
    db::{
        ledger::LedgerError,
        notifications::{self},
    },
    domain::{
        fees::CommissionRate,
        growth::Level,
        lifecycle::{MilestoneStatus, Party, TaskStatus},
        notifications::NoticeKind,
        tasks::Category,
    },
    error::AppError,
};
use sqlx::PgConnection;
use uuid::Uuid;

mod applications;
mod cancel;
mod delivery;
mod disputes;
mod drafts;
mod quotes;
mod withdrawal;

pub use applications::{answer_application, apply, apply_with_quote, expire_applications};
pub use cancel::{agree_cancel, cancel, moderate, propose_cancel, raise_reward};
pub use delivery::{accept_delivery, auto_accept_deliveries, deliver, remind_deadlines, request_changes};
pub use disputes::{open_dispute, respond_to_dispute, settle_dispute};
pub use drafts::{create_task, publish, update_draft};
pub use withdrawal::withdraw_application;

impl From<LedgerError> for AppError {
    fn from(error: LedgerError) -> Self {
        match error {
            LedgerError::Insufficient { shortfall } => AppError::InsufficientFunds { shortfall },
            LedgerError::Database(error) => error.into(),
        }
    }
}

/// The locked task row.
#[derive(sqlx::FromRow)]
struct TaskRow {
    id: Uuid,
    merchant_id: Uuid,
    developer_id: Option<Uuid>,
    status: String,
    reward_fen: i64,
    change_rounds: i16,
    commission_bps: Option<i32>,
    cancel_proposed_by: Option<String>,
    category: String,
    min_level: Option<String>,
    /// The chosen developer's level now (C before any record), read with the lock: the payout's
    /// commission discount depends on it.
    developer_level: Option<String>,
}

impl TaskRow {
    fn category(&self) -> Category {
        Category::from_slug(&self.category).expect("tasks.category is CHECK-constrained")
    }

    fn status(&self) -> TaskStatus {
        TaskStatus::parse(&self.status).expect("tasks.status is CHECK-constrained")
    }

    fn party(&self, user: Uuid) -> Option<Party> {
        if user == self.merchant_id {
            Some(Party::Merchant)
        } else if Some(user) == self.developer_id {
            Some(Party::Developer)
        } else {
            None
        }
    }

    /// The rate a milestone is paid at: the task's rate, fixed at funding, less the developer's
    /// level discount now (never under 5 %).
    fn payout_rate(&self) -> CommissionRate {
        let level = self.developer_level.as_deref().and_then(Level::parse).unwrap_or(Level::C);
        self.rate().for_payee(level)
    }

    fn rate(&self) -> CommissionRate {
        self.commission_bps.and_then(|bps| CommissionRate::from_bps(bps as u32)).unwrap_or(CommissionRate::DEFAULT)
    }
}

#[derive(sqlx::FromRow)]
struct MilestoneRow {
    amount_fen: i64,
    status: String,
    change_rounds_used: i16,
}

impl MilestoneRow {
    fn status(&self) -> MilestoneStatus {
        MilestoneStatus::parse(&self.status).expect("milestones.status is CHECK-constrained")
    }
}

const LOCK_TASK: &str = "SELECT t.id, t.merchant_id, t.developer_id, t.status, t.reward_fen, t.change_rounds,
        t.commission_bps, t.cancel_proposed_by, t.category, t.min_level,
        (SELECT g.level FROM developer_growth g WHERE g.developer_id = t.developer_id) AS developer_level
    FROM tasks t";

async fn lock_task(conn: &mut PgConnection, task: Uuid) -> Result<TaskRow, AppError> {
    sqlx::query_as(&format!("{LOCK_TASK} WHERE t.id = $1 FOR UPDATE OF t"))
        .bind(task)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Locks a milestone's task, then the milestone.
async fn lock_milestone(conn: &mut PgConnection, milestone: Uuid) -> Result<(TaskRow, MilestoneRow), AppError> {
    // The task is found through the milestone and locked first, in one statement.
    let task: TaskRow = sqlx::query_as(&format!(
        "{LOCK_TASK} WHERE t.id = (SELECT task_id FROM milestones WHERE id = $1) FOR UPDATE OF t"
    ))
    .bind(milestone)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let row: MilestoneRow = sqlx::query_as(
        "SELECT amount_fen, status, change_rounds_used FROM milestones
         WHERE id = $1 FOR UPDATE",
    )
    .bind(milestone)
    .fetch_one(&mut *conn)
    .await?;
    Ok((task, row))
}

async fn event(
    conn: &mut PgConnection,
    task: Uuid,
    milestone: Option<Uuid>,
    actor: Option<Uuid>,
    kind: &str,
    note: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO task_events (task_id, milestone_id, actor_id, kind, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(task)
        .bind(milestone)
        .bind(actor)
        .bind(kind)
        .bind(note)
        .execute(conn)
        .await?;
    Ok(())
}

/// A timeline event and the notice it sends to `user`, in one statement (the payout path counts
/// round trips).
async fn event_and_notice(
    conn: &mut PgConnection,
    task: Uuid,
    milestone: Option<Uuid>,
    actor: Option<Uuid>,
    kind: &str,
    (user, notice, note): (Uuid, &str, &str),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH event AS (INSERT INTO task_events (task_id, milestone_id, actor_id, kind, note) VALUES ($1, $2, $3, $4, ''))
         INSERT INTO notifications (user_id, kind, task_id, note) VALUES ($5, $6, $1, $7)",
    )
    .bind(task)
    .bind(milestone)
    .bind(actor)
    .bind(kind)
    .bind(user)
    .bind(notice)
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

async fn set_task_status(conn: &mut PgConnection, task: Uuid, status: TaskStatus) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET status = $2, updated_at = app_now() WHERE id = $1")
        .bind(task)
        .bind(status.as_str())
        .execute(&mut *conn)
        .await?;
    if status.is_over() {
        notifications::task_over(conn, task).await?;
        crate::db::invitations::close_for_task(conn, task).await?;
    }
    Ok(())
}

/// The merchant's "new application" notices are done once no application waits for an answer.
async fn applications_answered(conn: &mut PgConnection, merchant: Uuid, task: Uuid) -> Result<(), sqlx::Error> {
    let waiting: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM applications WHERE task_id = $1 AND status = 'pending')")
            .bind(task)
            .fetch_one(&mut *conn)
            .await?;
    if !waiting {
        notifications::answered(conn, Some(merchant), task, &[NoticeKind::NewApplication]).await?;
    }
    Ok(())
}

async fn set_milestone_status(
    conn: &mut PgConnection,
    milestone: Uuid,
    status: MilestoneStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE milestones SET status = $2 WHERE id = $1")
        .bind(milestone)
        .bind(status.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// A milestone that pays out: its new status and the commission rate it is paid at, recorded
/// together so the payout shown stays the one made.
async fn set_paid_milestone_status(
    conn: &mut PgConnection,
    milestone: Uuid,
    status: MilestoneStatus,
    rate: CommissionRate,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE milestones SET status = $2, paid_commission_bps = $3 WHERE id = $1")
        .bind(milestone)
        .bind(status.as_str())
        .bind(rate.bps() as i32)
        .execute(conn)
        .await?;
    Ok(())
}
