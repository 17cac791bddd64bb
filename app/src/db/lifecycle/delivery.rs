//! Delivering a milestone, accepting it (the payout) or asking for changes, and the jobs that
//! remind of deadlines and accept deliveries left unanswered.

use super::{event, event_and_notice, lock_milestone, set_paid_milestone_status, MilestoneRow, TaskRow};
use crate::{
    db::{
        files,
        ledger::{self, Posted},
        notifications::{self, notify},
    },
    domain::{
        fees::PayoutSplit,
        ledger::Movement,
        lifecycle::{
            all_milestones_final, milestone_transition, task_transition, MilestoneAction, MilestoneState,
            MilestoneStatus, Party, Refusal, TaskAction, AUTO_ACCEPT_AFTER_DAYS,
        },
        money::Money,
        notifications::NoticeKind,
    },
    error::AppError,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The developer hands in a milestone's work.
pub async fn deliver(
    pool: &PgPool,
    developer: Uuid,
    milestone: Uuid,
    message: &str,
    links: &[String],
    files: &[files::NewFile],
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(developer).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Deliver, by)?;
    sqlx::query("UPDATE milestones SET status = $2, delivered_at = app_now() WHERE id = $1")
        .bind(milestone)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    let delivery = Uuid::now_v7();
    sqlx::query("INSERT INTO deliveries (id, milestone_id, message, links) VALUES ($1, $2, $3, $4)")
        .bind(delivery)
        .bind(milestone)
        .bind(message)
        .bind(links)
        .execute(&mut *tx)
        .await?;
    files::insert(&mut tx, delivery, files).await?;
    notify(&mut tx, task.merchant_id, "delivered", Some(task.id), "").await?;
    let asked = [NoticeKind::ChangesRequested, NoticeKind::DeadlineSoon];
    notifications::answered(&mut tx, Some(developer), task.id, &asked).await?;
    event(&mut tx, task.id, Some(milestone), Some(developer), "delivered", message).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) fn milestone_state(task: &TaskRow, row: &MilestoneRow) -> MilestoneState {
    MilestoneState { status: row.status(), rounds_used: row.change_rounds_used, rounds_allowed: task.change_rounds }
}

/// Accepts a delivered milestone and pays it out: the developer receives the amount minus the
/// commission fixed at funding, at once. `merchant` is None when the 7-day silence rule accepts.
/// Returns the split that was paid.
pub async fn accept_delivery(pool: &PgPool, merchant: Option<Uuid>, milestone: Uuid) -> Result<PayoutSplit, AppError> {
    let mut tx = pool.begin().await?;
    let split = accept_in(&mut tx, merchant, milestone).await?;
    tx.commit().await?;
    Ok(split)
}

pub(super) async fn accept_in(
    conn: &mut PgConnection,
    merchant: Option<Uuid>,
    milestone: Uuid,
) -> Result<PayoutSplit, AppError> {
    let (task, row) = lock_milestone(conn, milestone).await?;
    let by = match merchant {
        Some(user) => task.party(user).ok_or(AppError::Forbidden)?,
        None => Party::System,
    };
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Accept, by)?;
    let developer = task.developer_id.ok_or(Refusal::WrongState)?;
    let rate = task.payout_rate();
    set_paid_milestone_status(conn, milestone, next, rate).await?;
    let split = PayoutSplit::of(Money::from_fen(row.amount_fen), rate);
    let kind = if merchant.is_some() { "accepted" } else { "auto_accepted" };
    let paid = split.developer_receives.display_yuan();
    event_and_notice(conn, task.id, Some(milestone), merchant, kind, (developer, "paid", &paid)).await?;
    notifications::answered(conn, Some(task.merchant_id), task.id, &[NoticeKind::Delivered]).await?;
    finish_if_done(conn, &task).await?;
    // Last, so the shared commission account is locked for the shortest time before commit.
    match ledger::post(conn, &Movement::release(task.id, milestone, developer, split)).await? {
        Posted::Applied => Ok(split),
        // The milestone lock makes this unreachable; if it ever happens, refuse rather than pay twice.
        Posted::AlreadyApplied => Err(Refusal::WrongState.into()),
    }
}

pub(super) async fn finish_if_done(conn: &mut PgConnection, task: &TaskRow) -> Result<(), AppError> {
    let statuses: Vec<String> = sqlx::query_scalar("SELECT status FROM milestones WHERE task_id = $1")
        .bind(task.id)
        .fetch_all(&mut *conn)
        .await?;
    let statuses: Vec<MilestoneStatus> = statuses.iter().filter_map(|s| MilestoneStatus::parse(s)).collect();
    if all_milestones_final(&statuses) {
        let next = task_transition(task.status(), TaskAction::Finish, Party::System)?;
        // Growth only for work that was paid for (a task refunded in full earns nothing); it is
        // owed here, in the payout's transaction, and awarded by the growth worker after commit.
        let paid = statuses.iter().any(|s| matches!(s, MilestoneStatus::Released | MilestoneStatus::Settled));
        let growth_owed = task.developer_id.is_some() && paid;
        // The new status, its timeline event and the growth owed in one statement.
        sqlx::query(
            "WITH status AS (UPDATE tasks SET status = $2, updated_at = app_now() WHERE id = $1),
                  owed AS (INSERT INTO growth_outbox (task_id) SELECT $1 WHERE $3 ON CONFLICT DO NOTHING)
             INSERT INTO task_events (task_id, kind, note) VALUES ($1, 'completed', '')",
        )
        .bind(task.id)
        .bind(next.as_str())
        .bind(growth_owed)
        .execute(&mut *conn)
        .await?;
        notifications::task_over(conn, task.id).await?;
        // The finished task's title joins the developer's talent-search words when the growth
        // worker takes the outbox row (`db::growth::drain_outbox`), after this commit: re-indexing
        // (a read of their record and word cutting) took a fifth of a payout's time.
    }
    Ok(())
}

/// The merchant sends a delivery back, within the allowed number of change rounds.
pub async fn request_changes(pool: &PgPool, merchant: Uuid, milestone: Uuid, note: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(merchant).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::RequestChanges, by)?;
    sqlx::query(
        "UPDATE milestones SET status = $2, change_rounds_used = change_rounds_used + 1, delivered_at = NULL
         WHERE id = $1",
    )
    .bind(milestone)
    .bind(next.as_str())
    .execute(&mut *tx)
    .await?;
    if let Some(developer) = task.developer_id {
        notify(&mut tx, developer, "changes_requested", Some(task.id), note).await?;
    }
    notifications::answered(&mut tx, Some(merchant), task.id, &[NoticeKind::Delivered]).await?;
    event(&mut tx, task.id, Some(milestone), Some(merchant), "changes_requested", note).await?;
    tx.commit().await?;
    Ok(())
}

/// Background job: the developer of a task in progress is told once when its deadline is less than
/// 48 hours away (the seeds' 消息提醒不及时差点错过合作). One statement: marking and telling together.
pub async fn remind_deadlines(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let reminded = sqlx::query(
        "WITH due AS (
             UPDATE tasks SET deadline_reminded = true
             WHERE status = 'in_progress' AND NOT deadline_reminded AND developer_id IS NOT NULL
               AND deadline < app_now() + interval '48 hours'
             RETURNING id, developer_id, deadline)
         INSERT INTO notifications (user_id, kind, task_id, note)
         SELECT developer_id, 'deadline_soon', id, china_text(deadline, 'YYYY-MM-DD HH24:MI')
         FROM due",
    )
    .execute(pool)
    .await?;
    Ok(reminded.rows_affected())
}

/// Background job: deliveries left unanswered for 7 days are accepted and paid, each in its own
/// transaction through the same state machine: a milestone already accepted (by its merchant or by
/// another server running this job) is refused, never paid twice.
pub async fn auto_accept_deliveries(pool: &PgPool) -> Result<u64, AppError> {
    // Read without locks, then accept each through the normal path (task lock first, then the
    // milestone, re-checking its state), so this job and a merchant's click can never deadlock.
    let due: Vec<Uuid> = sqlx::query_scalar(
        "SELECT id FROM milestones
         WHERE status = 'delivered' AND delivered_at < app_now() - make_interval(days => $1)
         ORDER BY delivered_at LIMIT 500",
    )
    .bind(AUTO_ACCEPT_AFTER_DAYS as i32)
    .fetch_all(pool)
    .await?;
    let mut accepted = 0;
    for milestone in due {
        match accept_delivery(pool, None, milestone).await {
            Ok(_) => accepted += 1,
            // Accepted by the merchant, or by another server, in the meantime.
            Err(AppError::Refused { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(accepted)
}
