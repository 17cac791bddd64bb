//! Ending a task early: an admin's moderation, the merchant cancelling before anyone is chosen,
//! both parties agreeing to cancel, and raising a milestone's reward.

use super::{event, lock_milestone, lock_task, set_milestone_status, set_task_status};
use crate::{
    db::{
        ledger::{self},
        notifications::{self, notify},
    },
    domain::{
        ledger::Movement,
        lifecycle::{
            check_cancel_consent, check_raise, milestone_transition, task_transition, MilestoneAction, MilestoneState,
            MilestoneStatus, Party, TaskAction, TaskStatus,
        },
        money::Money,
    },
    error::AppError,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// An admin's moderation of a task: approve or reject one waiting for review, hide an open one from
/// the hall or restore it. Rejecting returns the escrow; every pending applicant of a rejected task
/// is told. The merchant is told, with the reason, and the action is in the audit log.
pub async fn moderate(pool: &PgPool, admin: Uuid, id: Uuid, action: TaskAction, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let was = row.status();
    let next = task_transition(was, action, Party::Admin)?;
    sqlx::query(
        "UPDATE tasks SET status = $2, moderation_note = $3, updated_at = app_now(),
                          published_at = CASE WHEN $2 = 'open' AND status = 'pending_review' THEN app_now() ELSE published_at END,
                          created_at = CASE WHEN $2 = 'open' AND status = 'pending_review' THEN app_now() ELSE created_at END
         WHERE id = $1",
    )
    .bind(id)
    .bind(next.as_str())
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    if next.is_over() {
        notifications::task_over(&mut tx, id).await?;
    }
    if next == TaskStatus::Rejected {
        refund_unstarted(&mut tx, id, row.merchant_id).await?;
    }
    let (kind, notice) = match action {
        TaskAction::Approve => ("approved", "task_approved"),
        TaskAction::Reject => ("rejected", "task_rejected"),
        TaskAction::Hide => ("hidden", "task_hidden"),
        _ => ("restored", "task_restored"),
    };
    notify(&mut tx, row.merchant_id, notice, Some(id), reason).await?;
    event(&mut tx, id, None, Some(admin), kind, reason).await?;
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Action {
            admin,
            action: &format!("task.{kind}"),
            subject: format!("task:{id}"),
            before: Some(serde_json::json!({ "status": was.as_str() })),
            after: Some(serde_json::json!({ "status": next.as_str() })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A task that never started gives its escrow back: every waiting milestone is refunded to the
/// merchant and every pending applicant is told.
pub(super) async fn refund_unstarted(conn: &mut PgConnection, id: Uuid, merchant: Uuid) -> Result<(), AppError> {
    let held: i64 = sqlx::query_scalar::<_, i64>(
        "UPDATE milestones SET status = 'refunded' WHERE task_id = $1 AND status = 'waiting'
         RETURNING amount_fen",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .sum();
    if held > 0 {
        ledger::post(conn, &Movement::refund(id, merchant, Money::from_fen(held))).await?;
    }
    let applicants: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE applications SET status = 'declined', decline_reason = 'task_cancelled', answered_at = app_now()
         WHERE task_id = $1 AND status = 'pending' RETURNING developer_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for developer in applicants {
        notify(conn, developer, "task_cancelled", Some(id), "").await?;
    }
    Ok(())
}

/// Raises one milestone of a published task to `to`, funding the difference from the merchant's
/// balance in the same transaction (refused whole, with the shortfall, when the balance is short).
/// The commission rate stays the one fixed at publishing.
pub async fn raise_reward(pool: &PgPool, merchant: Uuid, milestone: Uuid, to: Money) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    if task.party(merchant) != Some(Party::Merchant) {
        return Err(AppError::Forbidden);
    }
    if !check_raise(task.status(), row.status(), row.amount_fen, to.fen())? {
        return Ok(());
    }
    let from = Money::from_fen(row.amount_fen);
    sqlx::query("UPDATE milestones SET amount_fen = $2 WHERE id = $1")
        .bind(milestone)
        .bind(to.fen())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE tasks SET reward_fen = reward_fen + $2, updated_at = app_now() WHERE id = $1")
        .bind(task.id)
        .bind(to.fen() - from.fen())
        .execute(&mut *tx)
        .await?;
    let after_choice = task.developer_id.is_some();
    ledger::post(&mut tx, &Movement::raise_escrow(task.id, milestone, merchant, from, to, after_choice)).await?;
    let note = format!("{} → {}", from.display_yuan(), to.display_yuan());
    event(&mut tx, task.id, Some(milestone), Some(merchant), "reward_raised", &note).await?;
    if let Some(developer) = task.developer_id {
        notify(&mut tx, developer, "reward_raised", Some(task.id), &note).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Cancels a draft or an open task; an open task's escrow returns to the merchant in full and every
/// pending applicant is told.
pub async fn cancel(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let was = row.status();
    let next = task_transition(was, TaskAction::Cancel, by)?;
    set_task_status(&mut tx, id, next).await?;
    if matches!(was, TaskStatus::Open | TaskStatus::PendingReview | TaskStatus::Hidden) {
        refund_unstarted(&mut tx, id, merchant).await?;
    }
    event(&mut tx, id, None, Some(merchant), "cancelled", "").await?;
    tx.commit().await?;
    Ok(())
}

pub(super) fn party_name(party: Party) -> &'static str {
    if party == Party::Merchant {
        "merchant"
    } else {
        "developer"
    }
}

/// During work, either side proposes to call the task off; the other side is told.
pub async fn propose_cancel(pool: &PgPool, user: Uuid, id: Uuid, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(user).ok_or(AppError::Forbidden)?;
    task_transition(row.status(), TaskAction::ProposeCancel, by)?;
    sqlx::query("UPDATE tasks SET cancel_proposed_by = $2, updated_at = app_now() WHERE id = $1")
        .bind(id)
        .bind(party_name(by))
        .execute(&mut *tx)
        .await?;
    let other = if by == Party::Merchant { row.developer_id } else { Some(row.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "cancel_proposed", Some(id), reason).await?;
    }
    event(&mut tx, id, None, Some(user), "cancel_proposed", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The other side agrees: every milestone not yet paid goes back to the merchant in full, in one
/// movement, and the task is cancelled. Milestones already paid stay paid.
pub async fn agree_cancel(pool: &PgPool, user: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(user).ok_or(AppError::Forbidden)?;
    let next = task_transition(row.status(), TaskAction::AgreeCancel, by)?;
    let proposed_by = match row.cancel_proposed_by.as_deref() {
        Some("merchant") => Some(Party::Merchant),
        Some("developer") => Some(Party::Developer),
        _ => None,
    };
    #[derive(sqlx::FromRow)]
    struct TaskMilestone {
        id: Uuid,
        amount_fen: i64,
        status: String,
        change_rounds_used: i16,
    }
    let milestones: Vec<TaskMilestone> = sqlx::query_as(
        "SELECT id, amount_fen, status, change_rounds_used FROM milestones WHERE task_id = $1 ORDER BY position FOR UPDATE",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let statuses: Vec<MilestoneStatus> = milestones.iter().filter_map(|m| MilestoneStatus::parse(&m.status)).collect();
    check_cancel_consent(proposed_by, by, statuses.contains(&MilestoneStatus::Disputed))?;
    let mut held = 0;
    for (milestone, status) in milestones.iter().zip(&statuses) {
        if !status.holds_escrow() {
            continue;
        }
        let state = MilestoneState {
            status: *status,
            rounds_used: milestone.change_rounds_used,
            rounds_allowed: row.change_rounds,
        };
        let refunded = milestone_transition(state, MilestoneAction::Refund, Party::System)?;
        set_milestone_status(&mut tx, milestone.id, refunded).await?;
        held += milestone.amount_fen;
    }
    set_task_status(&mut tx, id, next).await?;
    let other = if by == Party::Merchant { row.developer_id } else { Some(row.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "cancel_agreed", Some(id), "").await?;
    }
    event(&mut tx, id, None, Some(user), "cancel_agreed", &Money::from_fen(held).display_yuan()).await?;
    if held > 0 {
        ledger::post(&mut tx, &Movement::refund(id, row.merchant_id, Money::from_fen(held))).await?;
    }
    tx.commit().await?;
    Ok(())
}
