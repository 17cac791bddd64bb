//! The payout outbox and reconciliation (server only).
//!
//! A withdrawal writes its payout request in its own transaction (`db::payments::withdraw_once`);
//! `dispatch` sends due requests with the withdrawal id as the provider's idempotency key
//! (out_biz_no), so a request sent twice (a retry, a second server, a process killed before it
//! recorded the acknowledgement) pays once. `reconcile` asks the provider about whatever has waited
//! longer than the reconciliation period and settles it from the answer, so a lost callback or a
//! killed process leaves nothing hanging.

use crate::{db::payments::Outcome, state::AppState};
use crate::{
    db::{
        ledger,
        payments::{receive_from, Source},
    },
    domain::{
        ledger::Movement,
        money::Money,
        payouts::{
            reconcile_order, reconcile_withdrawal, retry_delay_secs, ProviderAnswer, ReconcileStep, SEND_LEASE_SECS,
        },
    },
    error::AppError,
    payments::{Notification, NotificationKind, PaymentProvider},
};
use sqlx::PgPool;
use std::time::Duration;
use uuid::Uuid;

/// A provider call that takes longer than this is treated as failed (and retried under the lease).
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// The one entry for a provider callback, over HTTP or from the sandbox: verify the signature over the
/// exact body, then apply it. A forged or altered callback is refused before anything is read.
pub async fn receive_signed(state: &AppState, body: &[u8], signature: &str) -> Result<Outcome, AppError> {
    let notification = state.payments.verify(body, signature).map_err(|_| {
        tracing::warn!("payment callback with a bad signature refused");
        AppError::Forbidden
    })?;
    let outcome = super::payments::receive(&state.pool, &notification).await?;
    if outcome == Outcome::Contradiction {
        // Never dropped: the provider's own record decides whether a late payment is credited.
        if let Err(error) = settle_contradiction(&state.pool, &*state.payments, &notification).await {
            tracing::warn!(?error, reference = %notification.reference, "late provider event left on the reconciliation list");
        }
    }
    Ok(outcome)
}

/// Sends due payout requests (all due ones, or only `only`), at most `limit`. Rows are claimed by
/// moving their next attempt a lease ahead, in one statement with `FOR UPDATE SKIP LOCKED`, so
/// several workers (and servers) never send the same row at once; the lease also brings back a row
/// whose sender died. Returns how many the provider acknowledged.
pub async fn dispatch(
    pool: &PgPool,
    provider: &dyn PaymentProvider,
    only: Option<Uuid>,
    limit: i64,
) -> Result<usize, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Claimed {
        withdrawal_id: Uuid,
        amount_fen: i64,
        attempts: i32,
    }
    let claimed: Vec<Claimed> = sqlx::query_as(
        "UPDATE payout_requests SET attempts = attempts + 1, updated_at = app_now(),
                next_attempt_at = app_now() + make_interval(secs => $3)
         WHERE withdrawal_id IN (
             SELECT withdrawal_id FROM payout_requests
             WHERE state = 'pending' AND next_attempt_at <= app_now() AND ($1::uuid IS NULL OR withdrawal_id = $1)
             ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING withdrawal_id, amount_fen, attempts",
    )
    .bind(only)
    .bind(limit)
    .bind(SEND_LEASE_SECS as f64)
    .fetch_all(pool)
    .await?;
    let mut acknowledged = 0;
    for Claimed { withdrawal_id: id, amount_fen: amount, attempts } in claimed {
        let sent = tokio::time::timeout(PROVIDER_TIMEOUT, provider.request_payout(id, Money::from_fen(amount))).await;
        let error = match sent {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(_) => Some("the provider did not answer in time".to_string()),
        };
        match error {
            None => {
                acknowledged += 1;
                // Only a pending row: the result's callback may already have settled it.
                sqlx::query(
                    "UPDATE payout_requests SET state = 'sent', last_error = NULL, updated_at = app_now()
                     WHERE withdrawal_id = $1 AND state = 'pending'",
                )
                .bind(id)
                .execute(pool)
                .await?;
            }
            Some(error) => {
                tracing::warn!(withdrawal = %id, attempts, %error, "payout request not sent; retrying later");
                sqlx::query(
                    "UPDATE payout_requests SET last_error = $2, updated_at = app_now(),
                            next_attempt_at = app_now() + make_interval(secs => $3)
                     WHERE withdrawal_id = $1 AND state = 'pending'",
                )
                .bind(id)
                .bind(&error)
                .bind(retry_delay_secs(attempts) as f64)
                .execute(pool)
                .await?;
            }
        }
    }
    Ok(acknowledged)
}

/// What one reconciliation pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub settled: usize,
    pub resent: usize,
    pub credited_late: usize,
}

/// Settles every withdrawal still pending and every deposit order still unconfirmed after
/// `older_than_secs` from the provider's answer, and retries the late payments on the
/// reconciliation list. A provider that does not answer leaves them for the next pass.
pub async fn reconcile(
    pool: &PgPool,
    provider: &dyn PaymentProvider,
    older_than_secs: i64,
) -> Result<Reconciled, AppError> {
    let mut done = Reconciled::default();
    let withdrawals: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT id, amount_fen FROM withdrawals WHERE status = 'pending' AND created_at < app_now() - make_interval(secs => $1)
         ORDER BY created_at LIMIT 500",
    )
    .bind(older_than_secs as f64)
    .fetch_all(pool)
    .await?;
    for (id, amount) in withdrawals {
        let Some(answer) = ask(provider.query_transfer(id)).await else { continue };
        match reconcile_withdrawal(&answer) {
            ReconcileStep::Settle { .. } => {
                let event = notification(NotificationKind::Payout, id, amount, &answer);
                // One refused answer (an amount that is not ours) must not stop the others.
                match receive_from(pool, &event, Source::Query).await {
                    Ok(_) => done.settled += 1,
                    Err(error) => tracing::error!(withdrawal = %id, ?error, "provider answer not applied"),
                }
            }
            ReconcileStep::Resend => {
                // Never heard of: due again now, under the same out_biz_no.
                let resent = sqlx::query(
                    "INSERT INTO payout_requests (withdrawal_id, amount_fen)
                     SELECT id, amount_fen FROM withdrawals WHERE id = $1
                     ON CONFLICT (withdrawal_id) DO UPDATE SET state = 'pending', next_attempt_at = app_now(), updated_at = app_now()
                       WHERE payout_requests.state IN ('pending', 'sent')",
                )
                .bind(id)
                .execute(pool)
                .await?;
                done.resent += resent.rows_affected() as usize;
                tracing::info!(withdrawal = %id, "provider has no record of a pending payout; sending it again");
            }
            ReconcileStep::Wait => {}
        }
    }
    #[derive(sqlx::FromRow)]
    struct Order {
        id: Uuid,
        amount_fen: i64,
        age_secs: i64,
    }
    let orders: Vec<Order> = sqlx::query_as(
        "SELECT id, amount_fen, extract(epoch FROM app_now() - created_at)::int8 AS age_secs FROM payment_orders
         WHERE status = 'created' AND created_at < app_now() - make_interval(secs => $1)
         ORDER BY created_at LIMIT 500",
    )
    .bind(older_than_secs as f64)
    .fetch_all(pool)
    .await?;
    for Order { id, amount_fen: amount, age_secs: age } in orders {
        let Some(answer) = ask(provider.query_order(id)).await else { continue };
        if let ReconcileStep::Settle { succeeded } = reconcile_order(&answer, age) {
            let mut event = notification(NotificationKind::Payment, id, amount, &answer);
            if !succeeded && answer == ProviderAnswer::NotFound {
                event.provider_txn = "expired".into();
            }
            match receive_from(pool, &event, Source::Query).await {
                Ok(_) => done.settled += 1,
                Err(error) => tracing::error!(order = %id, ?error, "provider answer not applied"),
            }
        }
    }
    let late: Vec<(Uuid,)> = sqlx::query_as(
        "SELECT reference FROM payment_discrepancies WHERE kind = 'payment' AND state = 'open' ORDER BY id LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    for (order,) in late {
        if credit_if_arrived(pool, provider, order).await? {
            done.credited_late += 1;
        }
    }
    Ok(done)
}

/// The provider's answer, or None (logged) when it could not be had this time.
async fn ask(
    query: crate::payments::ProviderFuture<'_, Result<ProviderAnswer, crate::payments::ProviderError>>,
) -> Option<ProviderAnswer> {
    match tokio::time::timeout(PROVIDER_TIMEOUT, query).await {
        Ok(Ok(answer)) => Some(answer),
        Ok(Err(error)) => {
            tracing::warn!(%error, "provider query failed; reconciling later");
            None
        }
        Err(_) => {
            tracing::warn!("provider query timed out; reconciling later");
            None
        }
    }
}

/// A provider answer as the event it stands for; `ours` is our amount, used when the provider has no
/// record (an order closed unpaid). `receive` refuses an answer whose amount is not ours.
fn notification(kind: NotificationKind, reference: Uuid, ours: i64, answer: &ProviderAnswer) -> Notification {
    let (succeeded, amount_fen, provider_txn, payer_account) = match answer {
        ProviderAnswer::Succeeded { amount_fen, provider_txn, payer_account } => {
            (true, Some(*amount_fen), provider_txn.clone(), payer_account.clone())
        }
        ProviderAnswer::Failed { amount_fen, provider_txn } => (false, Some(*amount_fen), provider_txn.clone(), None),
        ProviderAnswer::Processing | ProviderAnswer::NotFound => (false, None, String::new(), None),
    };
    Notification { kind, reference, amount_fen: amount_fen.unwrap_or(ours), succeeded, provider_txn, payer_account }
}

/// A provider event contradicted a settled order or withdrawal (`receive` listed it). For a deposit
/// the provider's own record decides: paid → credited now; anything else → stays on the list. A
/// payout contradiction always waits for a person (the money cannot be taken back automatically).
pub async fn settle_contradiction(
    pool: &PgPool,
    provider: &dyn PaymentProvider,
    event: &Notification,
) -> Result<(), AppError> {
    match event.kind {
        NotificationKind::Payment => {
            credit_if_arrived(pool, provider, event.reference).await?;
        }
        NotificationKind::Payout => {
            let answer = ask(provider.query_transfer(event.reference)).await;
            tracing::error!(withdrawal = %event.reference, succeeded = event.succeeded,
                provider_says = answer.as_ref().map_or("no answer", ProviderAnswer::label),
                "payout event contradicts a settled withdrawal; an admin must reconcile it");
            note_answer(pool, "payout", event.reference, answer.as_ref()).await?;
        }
    }
    Ok(())
}

async fn note_answer(
    pool: &PgPool,
    kind: &str,
    reference: Uuid,
    answer: Option<&ProviderAnswer>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE payment_discrepancies SET provider_answer = $3 WHERE kind = $1 AND reference = $2")
        .bind(kind)
        .bind(reference)
        .bind(answer.map_or("no answer", ProviderAnswer::label))
        .execute(pool)
        .await?;
    Ok(())
}

/// Credits a deposit order closed as failed if the provider says it was paid after all (the amount
/// must match); the discrepancy is then marked credited. Returns whether it credited.
async fn credit_if_arrived(pool: &PgPool, provider: &dyn PaymentProvider, order: Uuid) -> Result<bool, AppError> {
    let answer = ask(provider.query_order(order)).await;
    let Some(ProviderAnswer::Succeeded { amount_fen, provider_txn, payer_account }) = &answer else {
        tracing::warn!(%order, provider_says = answer.as_ref().map_or("no answer", ProviderAnswer::label),
            "late payment not confirmed by the provider; left on the reconciliation list");
        note_answer(pool, "payment", order, answer.as_ref()).await?;
        return Ok(false);
    };
    let mut tx = pool.begin().await?;
    #[derive(sqlx::FromRow)]
    struct Row {
        user_id: Uuid,
        amount_fen: i64,
        status: String,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT user_id, amount_fen, status FROM payment_orders WHERE id = $1 FOR UPDATE")
            .bind(order)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(Row { user_id: user, amount_fen: amount, status }) = row else { return Ok(false) };
    if status != "failed" || amount != *amount_fen {
        tracing::error!(%order, status, amount, claimed = amount_fen, "late payment does not fit the order; left for an admin");
        drop(tx);
        note_answer(pool, "payment", order, answer.as_ref()).await?;
        return Ok(false);
    }
    ledger::post(&mut tx, &Movement::deposit(order, user, Money::from_fen(amount))).await?;
    sqlx::query(
        "UPDATE payment_orders SET status = 'paid', provider_txn = $2, payer_account = $3, settled_at = app_now() WHERE id = $1",
    )
    .bind(order)
    .bind(provider_txn)
    .bind(payer_account)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO payment_events (kind, reference, succeeded, amount_fen, provider_txn, source)
         VALUES ('payment', $1, true, $2, $3, 'query')",
    )
    .bind(order)
    .bind(amount)
    .bind(provider_txn)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO payment_discrepancies (kind, reference, user_id, amount_fen, state, provider_answer, resolved_at)
         VALUES ('payment', $1, $2, $3, 'credited', 'succeeded', app_now())
         ON CONFLICT (kind, reference) DO UPDATE SET state = 'credited', provider_answer = 'succeeded', resolved_at = app_now()",
    )
    .bind(order)
    .bind(user)
    .bind(amount)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::warn!(%order, user = %user, amount, "late payment after a failure confirmed by the provider; credited");
    Ok(true)
}

/// One line of the admins' reconciliation list, with every provider event about its order.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DiscrepancyRow {
    pub id: i64,
    pub kind: String,
    pub reference: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub amount_fen: i64,
    pub state: String,
    pub provider_answer: Option<String>,
    pub opened_at: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EventRow {
    pub reference: Uuid,
    pub succeeded: bool,
    pub amount_fen: i64,
    pub provider_txn: String,
    pub source: String,
    pub received_at: String,
}

/// The newest 200 discrepancies (open first) and their events, oldest event first.
pub async fn discrepancies(pool: &PgPool) -> Result<(Vec<DiscrepancyRow>, Vec<EventRow>), sqlx::Error> {
    let rows: Vec<DiscrepancyRow> = sqlx::query_as(
        "SELECT d.id, d.kind, d.reference, d.user_id, u.display_name AS user_name, d.amount_fen, d.state,
                d.provider_answer,
                china_text(d.opened_at, 'YYYY-MM-DD HH24:MI:SS') AS opened_at
         FROM payment_discrepancies d JOIN users u ON u.id = d.user_id
         ORDER BY d.state = 'open' DESC, d.id DESC LIMIT 200",
    )
    .fetch_all(pool)
    .await?;
    let references: Vec<Uuid> = rows.iter().map(|row| row.reference).collect();
    let events = sqlx::query_as(
        "SELECT reference, succeeded, amount_fen, provider_txn, source,
                china_text(received_at, 'YYYY-MM-DD HH24:MI:SS') AS received_at
         FROM payment_events WHERE reference = ANY($1) ORDER BY id",
    )
    .bind(&references)
    .fetch_all(pool)
    .await?;
    Ok((rows, events))
}
