//! Deposits and withdrawals: payment orders, and what a verified provider callback does to them.
//! A callback may arrive any number of times, in any order with the user's own clicks; the order or
//! withdrawal row is locked and its status decides, so money moves exactly once.

use crate::{
    db::ledger,
    domain::{
        ledger::Movement,
        money::Money,
        payouts::{event_step, EventStep, Standing},
    },
    error::AppError,
    payments::{Notification, NotificationKind},
};
use sqlx::PgPool;
use uuid::Uuid;

/// ¥1 to ¥1,000,000 per deposit or withdrawal.
pub const TRANSFER_RANGE_FEN: (i64, i64) = (100, 100_000_000);

pub async fn create_order(pool: &PgPool, user: Uuid, amount: Money, provider: &str) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO payment_orders (id, user_id, provider, amount_fen) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user)
        .bind(provider)
        .bind(amount.fen())
        .execute(pool)
        .await?;
    Ok(id)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub amount_fen: i64,
    pub status: String,
}

pub async fn order(pool: &PgPool, id: Uuid) -> Result<Option<OrderRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, user_id, amount_fen, status FROM payment_orders WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// What a callback changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Credited,
    Failed,
    Paid,
    Returned,
    /// Seen before: nothing changed.
    Duplicate,
    /// Contradicts what was settled (a "paid" after a "failed"): recorded and put on the
    /// reconciliation list; `payouts::receive_signed` asks the provider whether a late payment really arrived.
    Contradiction,
}

/// Where a provider event came from, as `payment_events` records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Callback,
    Query,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Callback => "callback",
            Source::Query => "query",
        }
    }
}

/// Applies a verified callback. The amount must match the order: a mismatch is refused and logged,
/// never credited.
pub async fn receive(pool: &PgPool, notification: &Notification) -> Result<Outcome, AppError> {
    receive_from(pool, notification, Source::Callback).await
}

/// A payment order or withdrawal, locked while an event about it is applied.
#[derive(sqlx::FromRow)]
struct LockedRow {
    user_id: Uuid,
    amount_fen: i64,
    status: String,
}

/// `receive`, for an event from `source` (reconciliation applies the provider's answers here too).
pub async fn receive_from(pool: &PgPool, notification: &Notification, source: Source) -> Result<Outcome, AppError> {
    let mut tx = pool.begin().await?;
    let outcome = match notification.kind {
        NotificationKind::Payment => {
            let row: Option<LockedRow> =
                sqlx::query_as("SELECT user_id, amount_fen, status FROM payment_orders WHERE id = $1 FOR UPDATE")
                    .bind(notification.reference)
                    .fetch_optional(&mut *tx)
                    .await?;
            let LockedRow { user_id: user, amount_fen: amount, status } = row.ok_or(AppError::NotFound)?;
            if amount != notification.amount_fen {
                tracing::error!(order = %notification.reference, amount, claimed = notification.amount_fen,
                    "payment callback amount does not match the order; refused");
                return Err(AppError::Forbidden);
            }
            match (step(&status, notification.succeeded)?, notification.succeeded) {
                (EventStep::Settle, true) => {
                    ledger::post(&mut tx, &Movement::deposit(notification.reference, user, Money::from_fen(amount)))
                        .await?;
                    settle_order(&mut tx, notification, "paid").await?;
                    Outcome::Credited
                }
                (EventStep::Settle, false) => {
                    settle_order(&mut tx, notification, "failed").await?;
                    Outcome::Failed
                }
                (EventStep::Duplicate, _) => return Ok(Outcome::Duplicate),
                (EventStep::Contradiction, _) => {
                    contradiction(&mut tx, notification, user, amount).await?;
                    Outcome::Contradiction
                }
            }
        }
        NotificationKind::Payout => {
            let row: Option<LockedRow> =
                sqlx::query_as("SELECT user_id, amount_fen, status FROM withdrawals WHERE id = $1 FOR UPDATE")
                    .bind(notification.reference)
                    .fetch_optional(&mut *tx)
                    .await?;
            let LockedRow { user_id: user, amount_fen: amount, status } = row.ok_or(AppError::NotFound)?;
            if amount != notification.amount_fen {
                tracing::error!(withdrawal = %notification.reference, "payout callback amount mismatch; refused");
                return Err(AppError::Forbidden);
            }
            let amount = Money::from_fen(amount);
            let id = notification.reference;
            match (step(&status, notification.succeeded)?, notification.succeeded) {
                (EventStep::Settle, true) => {
                    ledger::post(&mut tx, &Movement::withdrawal_paid(id, user, amount)).await?;
                    settle_withdrawal(&mut tx, id, "paid").await?;
                    Outcome::Paid
                }
                (EventStep::Settle, false) => {
                    ledger::post(&mut tx, &Movement::withdrawal_returned(id, user, amount)).await?;
                    settle_withdrawal(&mut tx, id, "failed").await?;
                    super::notifications::notify(&mut tx, user, "withdrawal_failed", None, &amount.display_yuan())
                        .await?;
                    Outcome::Returned
                }
                (EventStep::Duplicate, _) => return Ok(Outcome::Duplicate),
                (EventStep::Contradiction, _) => {
                    contradiction(&mut tx, notification, user, amount.fen()).await?;
                    Outcome::Contradiction
                }
            }
        }
    };
    record_event(&mut tx, notification, source).await?;
    tx.commit().await?;
    Ok(outcome)
}

fn step(status: &str, succeeded: bool) -> Result<EventStep, AppError> {
    Ok(event_step(Standing::parse(status).ok_or(AppError::Internal)?, succeeded))
}

/// Keeps what the provider said that settled or contradicted an order or a withdrawal.
async fn record_event(
    conn: &mut sqlx::PgConnection,
    notification: &Notification,
    source: Source,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO payment_events (kind, reference, succeeded, amount_fen, provider_txn, source)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kind_str(notification.kind))
    .bind(notification.reference)
    .bind(notification.succeeded)
    .bind(notification.amount_fen)
    .bind(&notification.provider_txn)
    .bind(source.as_str())
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) fn kind_str(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Payment => "payment",
        NotificationKind::Payout => "payout",
    }
}

/// A provider event against a settled order or withdrawal: on the admins' reconciliation list
/// (once per order; every event stays in `payment_events`), and in the log.
async fn contradiction(
    conn: &mut sqlx::PgConnection,
    notification: &Notification,
    user: Uuid,
    amount_fen: i64,
) -> Result<(), sqlx::Error> {
    tracing::warn!(kind = kind_str(notification.kind), reference = %notification.reference,
        succeeded = notification.succeeded, provider_txn = %notification.provider_txn,
        "provider event contradicts a settled order; on the reconciliation list");
    sqlx::query(
        "INSERT INTO payment_discrepancies (kind, reference, user_id, amount_fen) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, reference) DO NOTHING",
    )
    .bind(kind_str(notification.kind))
    .bind(notification.reference)
    .bind(user)
    .bind(amount_fen)
    .execute(conn)
    .await?;
    Ok(())
}

async fn settle_order(
    conn: &mut sqlx::PgConnection,
    notification: &Notification,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payment_orders SET status = $2, provider_txn = $3, payer_account = $4, settled_at = app_now() WHERE id = $1",
    )
        .bind(notification.reference)
        .bind(status)
        .bind(&notification.provider_txn)
        .bind(&notification.payer_account)
        .execute(conn)
        .await?;
    Ok(())
}

async fn settle_withdrawal(conn: &mut sqlx::PgConnection, id: Uuid, status: &str) -> Result<(), sqlx::Error> {
    // The payout request settles with its withdrawal ('paid' and 'failed' are states of both).
    sqlx::query(
        "WITH w AS (UPDATE withdrawals SET status = $2, settled_at = app_now() WHERE id = $1)
         UPDATE payout_requests SET state = $2, updated_at = app_now() WHERE withdrawal_id = $1",
    )
    .bind(id)
    .bind(status)
    .execute(conn)
    .await?;
    Ok(())
}

/// A withdrawal under a fresh request key (tools and benches; the wallet form carries its own).
pub async fn request_withdrawal(pool: &PgPool, user: Uuid, amount: Money, provider: &str) -> Result<Uuid, AppError> {
    withdraw_once(pool, user, amount, provider, Uuid::now_v7()).await
}

/// Moves `amount` from the user's balance into their withdrawing account, in one transaction with the
/// withdrawal row and its payout request (the outbox row the payout worker sends). Not enough
/// balance: `InsufficientFunds`, and nothing is written.
///
/// `key` is the request key the form was rendered with: the same key again (a double-click, a retry
/// after a dropped connection) answers with the first withdrawal and moves nothing. A second call
/// racing the first waits on the unique index until the first commits, then finds it.
pub async fn withdraw_once(
    pool: &PgPool,
    user: Uuid,
    amount: Money,
    provider: &str,
    key: Uuid,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let inserted: Option<Uuid> = sqlx::query_scalar(
        "INSERT INTO withdrawals (id, user_id, provider, amount_fen, request_key) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, request_key) DO NOTHING RETURNING id",
    )
    .bind(id)
    .bind(user)
    .bind(provider)
    .bind(amount.fen())
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    if inserted.is_none() {
        let first: Uuid = sqlx::query_scalar("SELECT id FROM withdrawals WHERE user_id = $1 AND request_key = $2")
            .bind(user)
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
        return Ok(first);
    }
    ledger::post(&mut tx, &Movement::withdrawal_hold(id, user, amount)).await?;
    sqlx::query("INSERT INTO payout_requests (withdrawal_id, amount_fen) VALUES ($1, $2)")
        .bind(id)
        .bind(amount.fen())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(id)
}
