//! The wallet: balances, the movement history, deposits through the payment provider, withdrawals,
//! and the sandbox provider's checkout page.

use crate::{
    domain::statement::StatementQuery,
    error::AppError,
    views::wallet::{Discrepancy, SandboxOrder, Wallet},
};
#[cfg(feature = "ssr")]
use crate::{
    domain::{
        ledger::MovementKind,
        money::Money,
        statement::{PayoutItems, Seek},
    },
    views::wallet::{ProviderEvent, WalletLine},
};
use leptos::prelude::*;
use uuid::Uuid;

/// The caller's balances and one page of their statement: `query` filters it (kind, China-time
/// dates) and says which page (`before`/`after` a movement). Bad dates are field errors
/// (`effective_from`, `end_date`).
#[server(name = WalletFn, endpoint = "wallet")]
pub async fn wallet(#[server(default)] query: StatementQuery) -> Result<Wallet, AppError> {
    use crate::{api::access::authorize_user, db, domain::account::Role, state::app_state};
    let user = authorize_user::<WalletFn>().await?;
    let filter = query.validate().map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    let balances = db::ledger::balances(&mut *state.pool.acquire().await?, user.id).await?;
    let in_escrow = db::ledger::in_escrow(&state.pool, user.id).await?;
    let (lines, older, newer) = statement_page(&state.pool, user.id, &filter).await?;
    Ok(Wallet {
        available: balances.available,
        withdrawing: balances.withdrawing,
        in_escrow,
        shows_escrow: user.role == Role::Merchant || in_escrow.fen() != 0,
        lines,
        older,
        newer,
        request_key: Uuid::now_v7(),
    })
}

#[cfg(feature = "ssr")]
fn wallet_line(row: crate::db::ledger::StatementRow) -> Option<WalletLine> {
    let payout = row.payee.then(|| {
        PayoutItems::from_entries(
            Money::from_fen(row.available_fen),
            Money::from_fen(row.commission_fen.unwrap_or(0)),
            row.recorded_bps.and_then(|bps| u32::try_from(bps).ok()),
        )
    });
    Some(WalletLine {
        movement_id: row.movement_id,
        kind: MovementKind::parse(&row.kind)?,
        amount: Money::from_fen(row.net_fen),
        withdrawing: Money::from_fen(row.withdrawing_fen),
        balance: Money::from_fen(row.balance_fen),
        payout,
        task_id: row.task_id,
        task_title: row.task_title,
        created_at: row.created_at,
    })
}

/// One page of `user`'s statement and the pages beside it. A page one line longer than shown says
/// whether more lines lie in the direction of travel; a look past the cursor says whether any lie
/// behind (a page reached from a hand-edited cursor with nothing on it offers the newest page).
#[cfg(feature = "ssr")]
async fn statement_page(
    pool: &sqlx::PgPool,
    user: Uuid,
    filter: &crate::domain::statement::StatementFilter,
) -> Result<(Vec<WalletLine>, Option<Seek>, Option<Seek>), AppError> {
    use crate::{db, domain::statement::STATEMENT_PAGE_SIZE};
    let size = STATEMENT_PAGE_SIZE as usize;
    let mut rows = db::ledger::statement(pool, user, filter, STATEMENT_PAGE_SIZE + 1).await?;
    let more = rows.len() > size;
    let (older, newer) = match filter.seek {
        Seek::Newest => {
            rows.truncate(size);
            (more.then(|| rows.last().map(|row| Seek::Before(row.movement_id))).flatten(), None)
        }
        Seek::Before(cursor) => {
            rows.truncate(size);
            let older = more.then(|| rows.last().map(|row| Seek::Before(row.movement_id))).flatten();
            let newer = db::ledger::statement_has_beyond(pool, user, filter, cursor, true)
                .await?
                .then(|| rows.first().map_or(Seek::Newest, |row| Seek::After(row.movement_id)));
            (older, newer)
        }
        Seek::After(cursor) => {
            // Newest first: the extra line is the newest one.
            if more {
                rows.remove(0);
            }
            let newer = more.then(|| rows.first().map(|row| Seek::After(row.movement_id))).flatten();
            let older = db::ledger::statement_has_beyond(pool, user, filter, cursor, false)
                .await?
                .then(|| rows.last().map_or(Seek::Newest, |row| Seek::Before(row.movement_id)));
            (older, newer)
        }
    };
    Ok((rows.into_iter().filter_map(wallet_line).collect(), older, newer))
}

/// The caller's statement under `query`'s filters (every page) as a CSV for Excel: UTF-8 with a
/// byte-order mark, CRLF lines, China-time timestamps, amounts in yuan with two decimals, text
/// fields through the accounting exports' escaping (`db::exports::csv_field`, which also defuses
/// formulas). Read in keyset chunks, newest first, like the page. Served at
/// `/wallet/statement.csv` (server `record_files`), under `/api/wallet`'s access rule.
#[cfg(feature = "ssr")]
pub async fn statement_csv(
    pool: &sqlx::PgPool,
    user: Uuid,
    query: &StatementQuery,
    locale: crate::i18n::Locale,
) -> Result<String, AppError> {
    use crate::{
        db::{exports::csv_field, ledger},
        domain::statement::signed_plain_yuan,
        i18n::*,
    };
    const CHUNK: i64 = 500;
    let mut filter = query.validate().map_err(|fields| AppError::Invalid { fields })?;
    filter.seek = Seek::Newest;
    let mut csv = format!("\u{feff}{}\r\n", td_string!(locale, wallet_csv_header));
    loop {
        let rows = ledger::statement(pool, user, &filter, CHUNK).await?;
        let last = rows.last().map(|row| row.movement_id);
        let count = rows.len() as i64;
        for line in rows.into_iter().filter_map(wallet_line) {
            let yuan = signed_plain_yuan;
            let payout = line.payout;
            let fields = [
                line.created_at,
                line.movement_id.to_string(),
                movement_label(locale, line.kind).to_string(),
                line.task_title.unwrap_or_default(),
                yuan(line.amount),
                yuan(line.withdrawing),
                yuan(line.balance),
                payout.map(|p| yuan(p.gross)).unwrap_or_default(),
                payout.map(|p| yuan(p.commission)).unwrap_or_default(),
                payout.map(|p| p.rate_label()).unwrap_or_default(),
                payout.map(|p| yuan(p.received)).unwrap_or_default(),
            ];
            csv.push_str(&fields.iter().map(|field| csv_field(field)).collect::<Vec<_>>().join(","));
            csv.push_str("\r\n");
        }
        match last {
            Some(id) if count == CHUNK => filter.seek = Seek::Before(id),
            _ => break,
        }
    }
    Ok(csv)
}

/// A movement kind's name in `locale`, for the file (the page uses `components::status`).
#[cfg(feature = "ssr")]
fn movement_label(locale: crate::i18n::Locale, kind: MovementKind) -> &'static str {
    use crate::i18n::*;
    match kind {
        MovementKind::Deposit => td_string!(locale, movement_deposit),
        MovementKind::EscrowFund => td_string!(locale, movement_escrow_fund),
        MovementKind::EscrowRelease => td_string!(locale, movement_escrow_release),
        MovementKind::EscrowRefund => td_string!(locale, movement_escrow_refund),
        MovementKind::DisputeSplit => td_string!(locale, movement_dispute_split),
        MovementKind::WithdrawalHold => td_string!(locale, movement_withdrawal_hold),
        MovementKind::WithdrawalPaid => td_string!(locale, movement_withdrawal_paid),
        MovementKind::WithdrawalReturned => td_string!(locale, movement_withdrawal_returned),
        MovementKind::Purchase => td_string!(locale, movement_purchase),
        MovementKind::PurchaseRefund => td_string!(locale, movement_purchase_refund),
        MovementKind::PrizeFund => td_string!(locale, movement_prize_fund),
        MovementKind::PrizeAward => td_string!(locale, movement_prize_award),
        MovementKind::PrizeRefund => td_string!(locale, movement_prize_refund),
    }
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
    let (body, signature) =
        sandbox.pay(order, Money::from_fen(row.amount_fen), confirm, &payer).await.map_err(|error| {
            tracing::error!(%error, "sandbox bank unavailable");
            AppError::Internal
        })?;
    db::payouts::receive_signed(&state, &body, &signature).await?;
    leptos_axum::redirect("/wallet");
    Ok(())
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
