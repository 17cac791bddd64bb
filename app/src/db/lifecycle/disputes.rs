//! Disputes over a milestone: opened by either party, answered by the other, settled by an admin
//! with a split of the escrow.

use super::delivery::{finish_if_done, milestone_state};
use super::{event, lock_milestone, set_milestone_status, set_paid_milestone_status};
use crate::{
    db::{
        ledger::{self},
        notifications::{self, notify},
    },
    domain::{
        fees::PayoutSplit,
        ledger::Movement,
        lifecycle::{may_answer_dispute, milestone_transition, MilestoneAction, Party, Refusal},
        moderation::{developer_share, SplitBy},
        money::Money,
        notifications::NoticeKind,
    },
    error::AppError,
};
use sqlx::PgPool;
use uuid::Uuid;

/// Either side freezes one milestone's escrow until an admin decides.
pub async fn open_dispute(pool: &PgPool, user: Uuid, milestone: Uuid, reason: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let by = task.party(user).ok_or(AppError::Forbidden)?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::OpenDispute, by)?;
    set_milestone_status(&mut tx, milestone, next).await?;
    sqlx::query("INSERT INTO disputes (id, milestone_id, opened_by, reason) VALUES ($1, $2, $3, $4)")
        .bind(Uuid::now_v7())
        .bind(milestone)
        .bind(user)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
    let other = if by == Party::Merchant { task.developer_id } else { Some(task.merchant_id) };
    if let Some(other) = other {
        notify(&mut tx, other, "dispute_opened", Some(task.id), reason).await?;
    }
    // A merchant who disputes a delivery has answered it (a developer holds no such notice).
    notifications::answered(&mut tx, Some(user), task.id, &[NoticeKind::Delivered]).await?;
    event(&mut tx, task.id, Some(milestone), Some(user), "dispute_opened", reason).await?;
    tx.commit().await?;
    Ok(())
}

/// The side that did not open a milestone's dispute answers it, once, before it is settled; the admin
/// reads both statements side by side.
pub async fn respond_to_dispute(pool: &PgPool, user: Uuid, milestone: Uuid, response: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, _) = lock_milestone(&mut tx, milestone).await?;
    let me = task.party(user).ok_or(AppError::Forbidden)?;
    // The milestone's lock serialises answers, so the dispute read here is the one answered.
    #[derive(sqlx::FromRow)]
    struct OpenDispute {
        id: Uuid,
        opened_by: Uuid,
        answered: bool,
    }
    let open: Option<OpenDispute> = sqlx::query_as(
        "SELECT id, opened_by, response IS NOT NULL AS answered FROM disputes
         WHERE milestone_id = $1 AND settled_at IS NULL ORDER BY opened_at DESC LIMIT 1",
    )
    .bind(milestone)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(OpenDispute { id: dispute, opened_by, answered }) = open else {
        return Err(Refusal::WrongState.into());
    };
    let opened_by = if opened_by == task.merchant_id { Party::Merchant } else { Party::Developer };
    if !may_answer_dispute(me, opened_by, answered) {
        return Err(Refusal::WrongState.into());
    }
    sqlx::query("UPDATE disputes SET response = $2, responded_at = app_now() WHERE id = $1")
        .bind(dispute)
        .bind(response)
        .execute(&mut *tx)
        .await?;
    notifications::answered(&mut tx, Some(user), task.id, &[NoticeKind::DisputeOpened]).await?;
    event(&mut tx, task.id, Some(milestone), Some(user), "dispute_answered", response).await?;
    tx.commit().await?;
    Ok(())
}

/// An admin settles a disputed milestone: `developer_share` goes to the developer (less commission on
/// that share), the rest back to the merchant, with a written decision both sides see.
pub async fn settle_dispute(
    pool: &PgPool,
    admin: Uuid,
    milestone: Uuid,
    split: SplitBy,
    share_input: &str,
    decision: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task, row) = lock_milestone(&mut tx, milestone).await?;
    let next = milestone_transition(milestone_state(&task, &row), MilestoneAction::Settle, Party::Admin)?;
    let Some(developer_share) = developer_share(Money::from_fen(row.amount_fen), split, share_input) else {
        use crate::domain::validation::{Field, FieldError, Problem};
        return Err(AppError::field(FieldError::new(Field::Amount, Problem::NotAllowed)));
    };
    let developer = task.developer_id.ok_or(Refusal::WrongState)?;
    let rate = task.payout_rate();
    set_paid_milestone_status(&mut tx, milestone, next, rate).await?;
    sqlx::query(
        "UPDATE disputes SET developer_share_fen = $2, decision = $3, settled_by = $4, settled_at = app_now()
         WHERE milestone_id = $1 AND settled_at IS NULL",
    )
    .bind(milestone)
    .bind(developer_share.fen())
    .bind(decision)
    .bind(admin)
    .execute(&mut *tx)
    .await?;
    for user in [developer, task.merchant_id] {
        notify(&mut tx, user, "dispute_settled", Some(task.id), decision).await?;
    }
    notifications::answered(&mut tx, None, task.id, &[NoticeKind::DisputeOpened]).await?;
    event(&mut tx, task.id, Some(milestone), Some(admin), "dispute_settled", decision).await?;
    finish_if_done(&mut tx, &task).await?;
    let share = PayoutSplit::of(developer_share, rate);
    let amount = Money::from_fen(row.amount_fen);
    ledger::post(&mut tx, &Movement::dispute_split(task.id, milestone, developer, task.merchant_id, amount, share))
        .await?;
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Action {
            admin,
            action: "dispute.settle",
            subject: format!("task:{}", task.id),
            before: Some(serde_json::json!({ "milestone": milestone, "escrow_fen": row.amount_fen })),
            after: Some(serde_json::json!({
                "developer_fen": developer_share.fen(),
                "merchant_fen": row.amount_fen - developer_share.fen(),
            })),
            reason: decision,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
