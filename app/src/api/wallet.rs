//! The wallet: balances, the movement history, deposits through the payment provider, withdrawals,
//! and the sandbox provider's checkout page.

use crate::{
    domain::{ledger::MovementKind, money::Money},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalletLine {
    pub kind: MovementKind,
    /// Signed change of the user's own money (available + withdrawing together).
    pub amount: Money,
    /// True when this line moved money into or out of the "withdrawing" account.
    pub withdrawing: bool,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wallet {
    pub available: Money,
    pub withdrawing: Money,
    pub lines: Vec<WalletLine>,
    /// Carried by this render's withdrawal form: submitting it twice withdraws once.
    pub request_key: Uuid,
}

#[server(name = WalletFn, endpoint = "wallet")]
pub async fn wallet() -> Result<Wallet, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<WalletFn>().await?;
    let state = app_state()?;
    let balances = db::ledger::balances(&mut *state.pool.acquire().await?, user.id).await?;
    let lines = db::ledger::history(&state.pool, user.id, 200)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(WalletLine {
                kind: MovementKind::parse(&row.kind)?,
                amount: Money::from_fen(row.amount_fen),
                withdrawing: row.account_kind == "withdrawing",
                task_id: row.task_id,
                task_title: row.task_title,
                created_at: row.created_at,
            })
        })
        .collect();
    Ok(Wallet { available: balances.available, withdrawing: balances.withdrawing, lines, request_key: Uuid::now_v7() })
}

/// Deposits and withdrawals: an amount of yuan within the transfer range, or a field error.
#[cfg(feature = "ssr")]
fn parse_transfer(amount: &str) -> Result<Money, AppError> {
    use crate::{
        db::payments::TRANSFER_RANGE_FEN,
        domain::validation::{check_amount, Field},
    };
    check_amount(Field::Amount, amount, TRANSFER_RANGE_FEN).map_err(AppError::field)
}

/// Creates a payment order and sends the browser to the provider's checkout page.
#[server(name = StartDepositFn, endpoint = "wallet/deposit")]
pub async fn start_deposit(amount: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<StartDepositFn>().await?;
    let amount = parse_transfer(&amount)?;
    let state = app_state()?;
    let order = db::payments::create_order(&state.pool, user.id, amount, state.payments.name()).await?;
    leptos_axum::redirect(&state.payments.checkout_url(order));
    Ok(())
}

/// Withdraws `amount`; `key` comes from the form that offered it, so a double-click or a retried
/// post makes one withdrawal (the repeat answers as the first did).
#[server(name = WithdrawFn, endpoint = "wallet/withdraw")]
pub async fn withdraw(amount: String, key: Uuid) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<WithdrawFn>().await?;
    let amount = parse_transfer(&amount)?;
    let state = app_state()?;
    let id = db::payments::withdraw_once(&state.pool, user.id, amount, state.payments.name(), key).await?;
    // The payout request committed with the hold; sending it now only saves the worker's tick
    // (`server::startup::spawn_payout_worker` sends whatever this leaves, after a crash too).
    if let Err(error) = db::payouts::dispatch(&state.pool, &*state.payments, Some(id), 1).await {
        tracing::warn!(%error, withdrawal = %id, "payout not sent at once; the worker will");
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SandboxOrder {
    pub id: Uuid,
    pub amount: Money,
    pub paid: bool,
}

/// The sandbox checkout page's order (its owner only).
#[server(name = SandboxOrderFn, endpoint = "sandbox/order")]
pub async fn sandbox_order(order: Uuid) -> Result<SandboxOrder, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SandboxOrderFn>().await?;
    let row = db::payments::order(&app_state()?.pool, order).await?.ok_or(AppError::NotFound)?;
    if row.user_id != user.id {
        return Err(AppError::NotFound);
    }
    Ok(SandboxOrder { id: row.id, amount: Money::from_fen(row.amount_fen), paid: row.status == "paid" })
}

/// The user confirms (or abandons) the payment on the sandbox page. The sandbox signs the callback
/// exactly as a provider would and it goes through the same verification as an HTTP callback.
#[server(name = SandboxPayFn, endpoint = "sandbox/pay")]
pub async fn sandbox_pay(order: Uuid, confirm: bool) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<SandboxPayFn>().await?;
    let state = app_state()?;
    let sandbox = state.sandbox.clone().ok_or(AppError::NotFound)?;
    let row = db::payments::order(&state.pool, order).await?.ok_or(AppError::NotFound)?;
    if row.user_id != user.id {
        return Err(AppError::NotFound);
    }
    // The sandbox's payer is the user's own sandbox account.
    let payer = format!("sandbox-{}", user.id.simple());
    let (body, signature) = sandbox.pay(order, Money::from_fen(row.amount_fen), confirm, &payer).await.map_err(|error| {
        tracing::error!(%error, "sandbox bank unavailable");
        AppError::Internal
    })?;
    db::payments::receive_signed(&state, &body, &signature).await?;
    leptos_axum::redirect("/wallet");
    Ok(())
}

/// One provider event about an order or withdrawal on the reconciliation list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderEvent {
    pub succeeded: bool,
    pub amount: Money,
    pub provider_txn: String,
    /// "callback" or "query".
    pub source: String,
    pub received_at: String,
}

/// A provider event that contradicted a settled order or withdrawal (a "paid" after a "failed").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// "payment" (a deposit) or "payout" (a withdrawal).
    pub kind: String,
    pub reference: Uuid,
    pub user_name: String,
    pub amount: Money,
    /// "open" (an admin must look) or "credited" (the provider confirmed the late payment).
    pub state: String,
    pub provider_answer: Option<String>,
    pub opened_at: String,
    /// Every event about it, oldest first: the failure and the late success both.
    pub events: Vec<ProviderEvent>,
}

/// The admins' reconciliation list on /admin/money.
#[server(name = ReconciliationFn, endpoint = "admin/reconciliation")]
pub async fn reconciliation() -> Result<Vec<Discrepancy>, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    authorize_user::<ReconciliationFn>().await?;
    let (rows, events) = db::payouts::discrepancies(&app_state()?.pool).await?;
    Ok(rows
        .into_iter()
        .map(|row| Discrepancy {
            events: events
                .iter()
                .filter(|event| event.reference == row.reference)
                .map(|event| ProviderEvent {
                    succeeded: event.succeeded,
                    amount: Money::from_fen(event.amount_fen),
                    provider_txn: event.provider_txn.clone(),
                    source: event.source.clone(),
                    received_at: event.received_at.clone(),
                })
                .collect(),
            kind: row.kind,
            reference: row.reference,
            user_name: row.user_name,
            amount: Money::from_fen(row.amount_fen),
            state: row.state,
            provider_answer: row.provider_answer,
            opened_at: row.opened_at,
        })
        .collect())
}
