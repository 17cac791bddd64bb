//! Writes movements into the double-entry ledger, inside the caller's transaction.
//!
//! Concurrency: the movement row is inserted first, so a second writer with the same idempotency key
//! waits on the unique index and then finds it taken (`AlreadyApplied`). The touched accounts are then
//! locked in one fixed order (user and escrow accounts by id, the shared platform accounts last), so
//! two movements never deadlock and the platform's hot rows are held for the shortest time.

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

    let codes: Vec<String> = movement.entries.iter().map(|(a, _)| a.code()).collect();
    let kinds: Vec<&str> = movement.entries.iter().map(|(a, _)| a.kind()).collect();
    let users: Vec<Option<Uuid>> = movement.entries.iter().map(|(a, _)| a.user()).collect();
    let tasks: Vec<Option<Uuid>> = movement.entries.iter().map(|(a, _)| a.task()).collect();
    sqlx::query(
        "INSERT INTO ledger_accounts (code, kind, user_id, task_id)
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::uuid[], $4::uuid[])
         ON CONFLICT (code) DO NOTHING",
    )
    .bind(&codes)
    .bind(&kinds)
    .bind(&users)
    .bind(&tasks)
    .execute(&mut *conn)
    .await?;

    let locked: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, code, balance_fen FROM ledger_accounts WHERE code = ANY($1)
         ORDER BY kind IN ('commission', 'world'), id
         FOR UPDATE",
    )
    .bind(&codes)
    .fetch_all(&mut *conn)
    .await?;

    let mut ids = Vec::with_capacity(movement.entries.len());
    let mut amounts = Vec::with_capacity(movement.entries.len());
    for (account, fen) in &movement.entries {
        let code = account.code();
        let (id, _, balance) = locked
            .iter()
            .find(|(_, c, _)| *c == code)
            .ok_or_else(|| sqlx::Error::RowNotFound)?;
        if !account.may_go_negative() && balance + fen < 0 {
            return Err(LedgerError::Insufficient { shortfall: Money::from_fen(-(balance + fen)) });
        }
        ids.push(*id);
        amounts.push(*fen);
    }
    sqlx::query(
        "UPDATE ledger_accounts a SET balance_fen = a.balance_fen + d.amount
         FROM UNNEST($1::bigint[], $2::bigint[]) AS d(id, amount) WHERE a.id = d.id",
    )
    .bind(&ids)
    .bind(&amounts)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO ledger_entries (movement_id, account_id, amount_fen)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::bigint[])",
    )
    .bind(movement_id)
    .bind(&ids)
    .bind(&amounts)
    .execute(&mut *conn)
    .await?;
    Ok(Posted::Applied)
}

/// A user's balances: spendable, and on its way out in withdrawals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Balances {
    pub available: Money,
    pub withdrawing: Money,
}

pub async fn balances(conn: &mut PgConnection, user: Uuid) -> Result<Balances, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT kind, balance_fen FROM ledger_accounts WHERE code = ANY($1)",
    )
    .bind([Account::Available(user).code(), Account::Withdrawing(user).code()])
    .fetch_all(conn)
    .await?;
    let pick = |kind: &str| rows.iter().find(|(k, _)| k == kind).map(|(_, fen)| *fen).unwrap_or(0);
    Ok(Balances {
        available: Money::from_fen(pick("available")),
        withdrawing: Money::from_fen(pick("withdrawing")),
    })
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
         ORDER BY m.id DESC, a.kind
         LIMIT $2",
    )
    .bind([Account::Available(user).code(), Account::Withdrawing(user).code()])
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The ledger's invariants, as counts of violations (all zero in a healthy ledger):
/// movements that do not sum to zero, accounts whose balance differs from the sum of their entries,
/// negative balances outside 'world', and escrows that differ from their task's unpaid milestones.
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
     WHERE a.balance_fen <> (SELECT coalesce(sum(e.amount_fen), 0) FROM ledger_entries e
                             WHERE e.account_id = a.id)) AS balance_mismatches,
  (SELECT count(*) FROM ledger_accounts WHERE kind <> 'world' AND balance_fen < 0) AS negative_balances,
  (SELECT count(*) FROM tasks t
     LEFT JOIN ledger_accounts a ON a.code = 'escrow:' || t.id
     WHERE coalesce(a.balance_fen, 0) <> CASE WHEN t.status IN ('open', 'in_progress') THEN
             (SELECT coalesce(sum(amount_fen), 0) FROM milestones m WHERE m.task_id = t.id
                AND m.status NOT IN ('released', 'refunded', 'settled'))
           ELSE 0 END) AS escrow_mismatches";

pub async fn check_invariants(pool: &PgPool) -> Result<InvariantReport, sqlx::Error> {
    sqlx::query_as(INVARIANT_SQL).fetch_one(pool).await
}
