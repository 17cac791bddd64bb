//! Writes movements into the double-entry ledger, inside the caller's transaction.
//!
//! Concurrency: the movement row is inserted first, so a second writer with the same idempotency key
//! waits on the unique index and then finds it taken (`AlreadyApplied`). The user and escrow accounts
//! it touches are then created if new and locked in code order, so two movements never deadlock, and
//! their balances are checked and updated under the lock. Three statements a movement: it runs
//! inside every payout, where round trips are the cost.
//!
//! The platform's own accounts ('commission', 'sales', 'world') keep no running balance: they take an entry
//! from nearly every movement, and a balance column on them would be one row that every payout locks
//! until its commit is flushed, capping the whole platform at one payout per disk flush. Their balance
//! is the sum of their entries (`system_balance`); nothing can overdraw them (commission only receives,
//! sales refunds at most what a purchase paid, and the outside world may go negative by definition).

use crate::domain::{
    ledger::{Account, Movement},
    money::Money,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

#[derive(Debug, PartialEq, Eq)]
pub enum Posted {
    Applied,
    /// A movement with this idempotency key was already written; nothing changed.
    AlreadyApplied,
}

#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("insufficient funds: {shortfall:?} short")]
    Insufficient { shortfall: Money },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn post(conn: &mut PgConnection, movement: &Movement) -> Result<Posted, LedgerError> {
    debug_assert!(movement.is_balanced(), "unbalanced movement {movement:?}");
    let movement_id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO ledger_movements (idempotency_key, kind, task_id, milestone_id)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id",
    )
    .bind(&movement.idempotency_key)
    .bind(movement.kind.as_str())
    .bind(movement.task)
    .bind(movement.milestone)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(movement_id) = movement_id else {
        return Ok(Posted::AlreadyApplied);
    };

    // Sorted by code: every writer locks accounts in the same order, so two movements never deadlock.
    let mut user_entries: Vec<&(Account, i64)> = movement.entries.iter().filter(|(a, _)| !a.is_system()).collect();
    user_entries.sort_by_key(|(a, _)| a.code());
    let codes: Vec<String> = user_entries.iter().map(|(a, _)| a.code()).collect();
    let kinds: Vec<&str> = user_entries.iter().map(|(a, _)| a.kind()).collect();
    let users: Vec<Option<Uuid>> = user_entries.iter().map(|(a, _)| a.user()).collect();
    let tasks: Vec<Option<Uuid>> = user_entries.iter().map(|(a, _)| a.task()).collect();
    // Creates the accounts a movement is the first to touch and locks all of them, in one round
    // trip: an upsert that always "updates" takes the row lock whether the row is new or not.
    let locked: Vec<(String, i64)> = sqlx::query_as(
        "INSERT INTO ledger_accounts (code, kind, user_id, task_id)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::uuid[], $4::uuid[]) AS a (code, kind, user_id, task_id)
         ORDER BY code
         ON CONFLICT (code) DO UPDATE SET code = EXCLUDED.code
         RETURNING code, balance_fen",
    )
    .bind(&codes)
    .bind(&kinds)
    .bind(&users)
    .bind(&tasks)
    .fetch_all(&mut *conn)
    .await?;
    let mut amounts = Vec::with_capacity(user_entries.len());
    for ((_, fen), code) in user_entries.iter().zip(&codes) {
        let (_, balance) = locked.iter().find(|(c, _)| c == code).ok_or(sqlx::Error::RowNotFound)?;
        if balance + fen < 0 {
            return Err(LedgerError::Insufficient { shortfall: Money::from_fen(-(balance + fen)) });
        }
        amounts.push(*fen);
    }
    let all_codes: Vec<String> = movement.entries.iter().map(|(a, _)| a.code()).collect();
    let all_amounts: Vec<i64> = movement.entries.iter().map(|(_, fen)| *fen).collect();
    // The balances and the entries in one statement.
    sqlx::query(
        "WITH balances AS (
             UPDATE ledger_accounts a SET balance_fen = a.balance_fen + d.amount
             FROM UNNEST($2::text[], $3::bigint[]) AS d(code, amount) WHERE a.code = d.code)
         INSERT INTO ledger_entries (movement_id, account_id, amount_fen)
         SELECT $1, a.id, d.amount FROM UNNEST($4::text[], $5::bigint[]) AS d(code, amount)
         JOIN ledger_accounts a ON a.code = d.code",
    )
    .bind(movement_id)
    .bind(&codes)
    .bind(&amounts)
    .bind(&all_codes)
    .bind(&all_amounts)
    .execute(&mut *conn)
    .await?;
    Ok(Posted::Applied)
}

/// The balance of a platform account ('commission', 'sales' or 'world'): the sum of its entries.
pub async fn system_balance(pool: &PgPool, account: Account) -> Result<Money, sqlx::Error> {
    let fen: i64 = sqlx::query_scalar(
        "SELECT coalesce(sum(e.amount_fen), 0)::int8 FROM ledger_entries e
         JOIN ledger_accounts a ON a.id = e.account_id WHERE a.code = $1",
    )
    .bind(account.code())
    .fetch_one(pool)
    .await?;
    Ok(Money::from_fen(fen))
}

/// A user's balances: spendable, and on its way out in withdrawals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    pub available: Money,
    pub withdrawing: Money,
}

pub async fn balances(conn: &mut PgConnection, user: Uuid) -> Result<Balances, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT kind, balance_fen FROM ledger_accounts WHERE code = ANY($1)")
        .bind([Account::Available(user).code(), Account::Withdrawing(user).code()])
        .fetch_all(conn)
        .await?;
    let pick = |kind: &str| rows.iter().find(|(k, _)| k == kind).map(|(_, fen)| *fen).unwrap_or(0);
    Ok(Balances { available: Money::from_fen(pick("available")), withdrawing: Money::from_fen(pick("withdrawing")) })
}

/// One line of a user's movement history.
#[derive(Debug, sqlx::FromRow)]
pub struct HistoryRow {
    pub movement_id: i64,
    pub kind: String,
    pub account_kind: String,
    pub amount_fen: i64,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    pub created_at: String,
}

/// Newest first by the time the money moved (the movement id says when the row was written, which
/// is not the same for history loaded or settled later).
pub async fn history(pool: &PgPool, user: Uuid, limit: i64) -> Result<Vec<HistoryRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id AS movement_id, m.kind, a.kind AS account_kind, e.amount_fen, m.task_id,
                t.title AS task_title,
                to_char(m.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS created_at
         FROM ledger_accounts a
         JOIN ledger_entries e ON e.account_id = a.id
         JOIN ledger_movements m ON m.id = e.movement_id
         LEFT JOIN tasks t ON t.id = m.task_id
         WHERE a.code = ANY($1)
         ORDER BY m.created_at DESC, m.id DESC, a.kind
         LIMIT $2",
    )
    .bind([Account::Available(user).code(), Account::Withdrawing(user).code()])
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The ledger's invariants, as counts of violations (all zero in a healthy ledger):
/// movements that do not sum to zero, user and escrow accounts whose balance differs from the sum of
/// their entries, commission below zero,
/// negative balances outside 'world', and escrows that differ from their task's unpaid milestones
/// (or prize accounts from their open challenge's prize).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct InvariantReport {
    pub unbalanced_movements: i64,
    pub balance_mismatches: i64,
    pub negative_balances: i64,
    pub escrow_mismatches: i64,
}

impl InvariantReport {
    pub fn violations(&self) -> i64 {
        self.unbalanced_movements + self.balance_mismatches + self.negative_balances + self.escrow_mismatches
    }
}

pub const INVARIANT_SQL: &str = "
SELECT
  (SELECT count(*) FROM (SELECT movement_id FROM ledger_entries GROUP BY movement_id
                         HAVING sum(amount_fen) <> 0) m) AS unbalanced_movements,
  (SELECT count(*) FROM ledger_accounts a
     WHERE a.kind NOT IN ('commission', 'sales', 'world')
       AND a.balance_fen <> (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e
                             WHERE e.account_id = a.id)) AS balance_mismatches,
  (SELECT count(*) FROM ledger_accounts a WHERE a.kind <> 'world' AND CASE
     WHEN a.kind IN ('commission', 'sales') THEN (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e WHERE e.account_id = a.id)
     ELSE a.balance_fen END < 0) AS negative_balances,
  (SELECT count(*) FROM tasks t
     LEFT JOIN ledger_accounts a ON a.code = 'escrow:' || t.id
     WHERE coalesce(a.balance_fen, 0) <> CASE WHEN t.status IN ('pending_review', 'open', 'hidden', 'in_progress') THEN
             (SELECT coalesce(sum(amount_fen), 0) FROM milestones m WHERE m.task_id = t.id
                AND m.status NOT IN ('released', 'refunded', 'settled'))
           ELSE 0 END)
  + (SELECT count(*) FROM contests c
     LEFT JOIN ledger_accounts a ON a.code = 'prize:' || c.id
     WHERE coalesce(a.balance_fen, 0) <> CASE WHEN c.status = 'open' THEN c.prize_fen ELSE 0 END) AS escrow_mismatches";

pub async fn check_invariants(pool: &PgPool) -> Result<InvariantReport, sqlx::Error> {
    sqlx::query_as(INVARIANT_SQL).fetch_one(pool).await
}
