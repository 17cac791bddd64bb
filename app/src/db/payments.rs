//! Deposits and withdrawals: payment orders, and what a verified provider callback does to them.
//! A callback may arrive any number of times, in any order with the user's own clicks; the order or
//! withdrawal row is locked and its status decides, so money moves exactly once.

use crate::{
    db::ledger,
    domain::{ledger::Movement, money::Money},
    error::AppError,
    payments::{Notification, NotificationKind},
    state::AppState,
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
}

/// The one entry for a provider callback, over HTTP or from the sandbox: verify the signature over the
/// exact body, then apply it. A forged or altered callback is refused before anything is read.
pub async fn receive_signed(state: &AppState, body: &[u8], signature: &str) -> Result<Outcome, AppError> {
    let notification = state.payments.verify(body, signature).map_err(|_| {
        tracing::warn!("payment callback with a bad signature refused");
        AppError::Forbidden
    })?;
    receive(&state.pool, &notification).await
}

/// Applies a verified callback. The amount must match the order: a mismatch is refused and logged,
/// never credited.
pub async fn receive(pool: &PgPool, notification: &Notification) -> Result<Outcome, AppError> {
    let mut tx = pool.begin().await?;
    let outcome = match notification.kind {
        NotificationKind::Payment => {
            let row: Option<(Uuid, i64, String)> =
                sqlx::query_as("SELECT user_id, amount_fen, status FROM payment_orders WHERE id = $1 FOR UPDATE")
                    .bind(notification.reference)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (user, amount, status) = row.ok_or(AppError::NotFound)?;
            if amount != notification.amount_fen {
                tracing::error!(order = %notification.reference, amount, claimed = notification.amount_fen,
                    "payment callback amount does not match the order; refused");
                return Err(AppError::Forbidden);
            }
            match (status.as_str(), notification.succeeded) {
                ("created", true) => {
                    ledger::post(&mut tx, &Movement::deposit(notification.reference, user, Money::from_fen(amount)))
                        .await?;
                    settle_order(&mut tx, notification, "paid").await?;
                    Outcome::Credited
                }
                ("created", false) => {
                    settle_order(&mut tx, notification, "failed").await?;
                    Outcome::Failed
                }
                _ => Outcome::Duplicate,
            }
        }
        NotificationKind::Payout => {
            let row: Option<(Uuid, i64, String)> =
                sqlx::query_as("SELECT user_id, amount_fen, status FROM withdrawals WHERE id = $1 FOR UPDATE")
                    .bind(notification.reference)
                    .fetch_optional(&mut *tx)
                    .await?;
            let (user, amount, status) = row.ok_or(AppError::NotFound)?;
            if amount != notification.amount_fen {
                tracing::error!(withdrawal = %notification.reference, "payout callback amount mismatch; refused");
                return Err(AppError::Forbidden);
            }
            let amount = Money::from_fen(amount);
            let id = notification.reference;
            match (status.as_str(), notification.succeeded) {
                ("pending", true) => {
                    ledger::post(&mut tx, &Movement::withdrawal_paid(id, user, amount)).await?;
                    settle_withdrawal(&mut tx, id, "paid").await?;
                    Outcome::Paid
                }
                ("pending", false) => {
                    ledger::post(&mut tx, &Movement::withdrawal_returned(id, user, amount)).await?;
                    settle_withdrawal(&mut tx, id, "failed").await?;
                    super::notifications::notify(&mut tx, user, "withdrawal_failed", None, &amount.display_yuan())
                        .await?;
                    Outcome::Returned
                }
                _ => Outcome::Duplicate,
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

async fn settle_order(
    conn: &mut sqlx::PgConnection,
    notification: &Notification,
    status: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE payment_orders SET status = $2, provider_txn = $3, payer_account = $4, settled_at = now() WHERE id = $1",
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
    sqlx::query("UPDATE withdrawals SET status = $2, settled_at = now() WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves `amount` from the user's balance into their withdrawing account, in one transaction with the
/// withdrawal row. Not enough balance: `InsufficientFunds`, and nothing is written.
pub async fn request_withdrawal(pool: &PgPool, user: Uuid, amount: Money, provider: &str) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO withdrawals (id, user_id, provider, amount_fen) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(user)
        .bind(provider)
        .bind(amount.fen())
        .execute(&mut *tx)
        .await?;
    ledger::post(&mut tx, &Movement::withdrawal_hold(id, user, amount)).await?;
    tx.commit().await?;
    Ok(id)
}
