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
    statement::{Seek, StatementFilter},
};
use sqlx::{postgres::PgArguments, PgConnection, PgPool};
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

/// Money set aside from `user`'s balance and not yet paid out: the escrow accounts of the tasks they
/// posted (`escrow:<task>`) and the prize accounts of the challenges they fund as a mentor.
pub async fn in_escrow(pool: &PgPool, user: Uuid) -> Result<Money, sqlx::Error> {
    let fen: i64 = sqlx::query_scalar(
        "SELECT (coalesce((SELECT sum(a.balance_fen) FROM ledger_accounts a JOIN tasks t ON t.id = a.task_id
                           WHERE a.kind = 'escrow' AND t.merchant_id = $1), 0)
               + coalesce((SELECT sum(a.balance_fen) FROM contests c JOIN ledger_accounts a ON a.code = 'prize:' || c.id
                           WHERE c.mentor_id = $1), 0))::int8",
    )
    .bind(user)
    .fetch_one(pool)
    .await?;
    Ok(Money::from_fen(fen))
}

/// One line of a user's statement: one movement that touched their own money.
#[derive(Debug, sqlx::FromRow)]
pub struct StatementRow {
    pub movement_id: i64,
    pub kind: String,
    /// Change of the user's own money (available + withdrawing) in this movement.
    pub net_fen: i64,
    /// Change of the withdrawing part alone (a withdrawal request moves money there: net 0).
    pub withdrawing_fen: i64,
    /// Change of the available part alone (what a payout credited).
    pub available_fen: i64,
    /// The user's own money after this movement, over all their movements in statement order
    /// (filters do not change it).
    pub balance_fen: i64,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    /// A payout (release or dispute share) to the user as the task's developer.
    pub payee: bool,
    /// For a payout: the commission account's entry in the same movement.
    pub commission_fen: Option<i64>,
    /// For a payout: the rate recorded with the milestone when it was paid.
    pub recorded_bps: Option<i32>,
    /// China time, "YYYY-MM-DD HH:MM:SS".
    pub created_at: String,
}

/// The user's movements with their running balance, then the filter. The window runs over every
/// movement of the user (before the filter and the page), so a line's balance is the balance after
/// that movement whatever is shown around it. Order: the time of the movement, then its id (which
/// breaks ties between movements of one transaction, or loaded with one timestamp).
///
/// $1 the user's account codes, $2 the user, $3 kinds (NULL: all), $4 for dispute settlements in the
/// kinds: whether the user must be the payee (NULL: either), $5/$6 first and last day (China time).
const STATEMENT_LINES: &str = "
WITH mine AS (
    SELECT m.id, m.created_at, m.kind, m.task_id, m.milestone_id,
           sum(e.amount_fen)::int8 AS net_fen,
           coalesce(sum(e.amount_fen) FILTER (WHERE a.kind = 'withdrawing'), 0)::int8 AS withdrawing_fen,
           coalesce(sum(e.amount_fen) FILTER (WHERE a.kind = 'available'), 0)::int8 AS available_fen
    FROM ledger_accounts a
    JOIN ledger_entries e ON e.account_id = a.id
    JOIN ledger_movements m ON m.id = e.movement_id
    WHERE a.code = ANY($1)
    GROUP BY m.id
),
running AS (
    SELECT mine.*, (sum(net_fen) OVER (ORDER BY created_at, id))::int8 AS balance_fen FROM mine
),
lines AS (
    SELECT r.*, t.title AS task_title,
           (r.kind IN ('escrow_release', 'dispute_split') AND t.developer_id IS NOT DISTINCT FROM $2
            AND r.available_fen > 0) AS payee
    FROM running r
    LEFT JOIN tasks t ON t.id = r.task_id
    WHERE ($3::text[] IS NULL OR (r.kind = ANY($3::text[])
              AND (r.kind <> 'dispute_split' OR $4::bool IS NULL
                   OR (t.developer_id IS NOT DISTINCT FROM $2) = $4::bool)))
      AND ($5::text IS NULL OR r.created_at >= china_instant(($5::text::date)::timestamp))
      AND ($6::text IS NULL OR r.created_at < china_instant(($6::text::date + 1)::timestamp))
),
cursor AS (SELECT created_at, id FROM mine WHERE id = $7)";

/// Up to `limit` lines of `user`'s statement matching `filter`, at the page `filter.seek` names,
/// always newest first. A cursor that is not one of the user's movements gives no lines.
pub async fn statement(
    pool: &PgPool,
    user: Uuid,
    filter: &StatementFilter,
    limit: i64,
) -> Result<Vec<StatementRow>, sqlx::Error> {
    let (cursor, page) = match filter.seek {
        Seek::Newest => (None, "TRUE ORDER BY l.created_at DESC, l.id DESC"),
        Seek::Before(id) => (
            Some(id),
            "(l.created_at, l.id) < (SELECT created_at, id FROM cursor) ORDER BY l.created_at DESC, l.id DESC",
        ),
        Seek::After(id) => {
            (Some(id), "(l.created_at, l.id) > (SELECT created_at, id FROM cursor) ORDER BY l.created_at, l.id")
        }
    };
    let sql = format!(
        "{STATEMENT_LINES}
         SELECT l.id AS movement_id, l.kind, l.net_fen, l.withdrawing_fen, l.available_fen, l.balance_fen,
                l.task_id, l.task_title, l.payee,
                CASE WHEN l.payee THEN
                    (SELECT coalesce(sum(ce.amount_fen), 0)::int8 FROM ledger_entries ce
                     JOIN ledger_accounts ca ON ca.id = ce.account_id
                     WHERE ce.movement_id = l.id AND ca.kind = 'commission')
                END AS commission_fen,
                CASE WHEN l.payee THEN ms.paid_commission_bps END AS recorded_bps,
                china_text(l.created_at, 'YYYY-MM-DD HH24:MI:SS') AS created_at
         FROM lines l
         LEFT JOIN milestones ms ON ms.id = l.milestone_id
         WHERE {page}
         LIMIT $8"
    );
    let mut args = statement_args(user, filter, cursor)?;
    sqlx::Arguments::add(&mut args, limit).map_err(sqlx::Error::Encode)?;
    let mut rows: Vec<StatementRow> = sqlx::query_as_with(&sql, args).fetch_all(pool).await?;
    if matches!(filter.seek, Seek::After(_)) {
        rows.reverse();
    }
    Ok(rows)
}

/// Whether `user`'s statement under `filter` has a line newer than the movement `than` (`newer`),
/// or older than it; the movement itself counts, so "newer than the page's cursor" includes it.
pub async fn statement_has_beyond(
    pool: &PgPool,
    user: Uuid,
    filter: &StatementFilter,
    than: i64,
    newer: bool,
) -> Result<bool, sqlx::Error> {
    let compare = if newer { ">=" } else { "<=" };
    let sql = format!(
        "{STATEMENT_LINES}
         SELECT EXISTS (SELECT 1 FROM lines l WHERE (l.created_at, l.id) {compare} (SELECT created_at, id FROM cursor))"
    );
    sqlx::query_scalar_with(&sql, statement_args(user, filter, Some(than))?).fetch_one(pool).await
}

/// $1–$7 of `STATEMENT_LINES`.
fn statement_args(user: Uuid, filter: &StatementFilter, cursor: Option<i64>) -> Result<PgArguments, sqlx::Error> {
    use sqlx::Arguments;
    let mut args = PgArguments::default();
    let codes = vec![Account::Available(user).code(), Account::Withdrawing(user).code()];
    let kinds: Option<Vec<String>> = filter.kind_names().map(|kinds| kinds.into_iter().map(String::from).collect());
    args.add(codes).map_err(sqlx::Error::Encode)?;
    args.add(user).map_err(sqlx::Error::Encode)?;
    args.add(kinds).map_err(sqlx::Error::Encode)?;
    args.add(filter.kind.and_then(|group| group.dispute_payee())).map_err(sqlx::Error::Encode)?;
    args.add(filter.from.clone()).map_err(sqlx::Error::Encode)?;
    args.add(filter.to.clone()).map_err(sqlx::Error::Encode)?;
    args.add(cursor).map_err(sqlx::Error::Encode)?;
    Ok(args)
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
