//! Quotes (报价) in the task lifecycle (`domain::quotes`): checked and written with the application
//! that carries them, and agreed in the transaction that chooses its developer.

use super::{event, TaskRow};
use crate::{
    db::ledger::{self, Posted},
    domain::{
        ledger::Movement,
        lifecycle::Refusal,
        messages,
        money::Money,
        quotes::{AgreedTerms, Quote, QuoteBasis, QuoteForm},
    },
    error::AppError,
};
use sqlx::PgConnection;
use uuid::Uuid;

/// Checks `form` against the task's terms now; the caller holds the task's lock, so the milestones
/// cannot change before the application is written. `Ok(None)`: the form proposes nothing.
pub(super) async fn check(conn: &mut PgConnection, task: Uuid, form: &QuoteForm) -> Result<Option<Quote>, AppError> {
    // The apply form always sends the section; left empty, there is nothing to read.
    if !form.proposes_terms() && form.note.trim().is_empty() {
        return Ok(None);
    }
    #[derive(sqlx::FromRow)]
    struct Terms {
        amounts: Vec<i64>,
        deadline: String,
        today: String,
    }
    let terms: Terms = sqlx::query_as(
        "SELECT coalesce((SELECT array_agg(m.amount_fen ORDER BY m.position) FROM milestones m WHERE m.task_id = t.id),
                         '{}') AS amounts,
                china_text(t.deadline, 'YYYY-MM-DD') AS deadline, china_text(app_now(), 'YYYY-MM-DD') AS today
         FROM tasks t WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(conn)
    .await?;
    let milestones: Vec<Money> = terms.amounts.into_iter().map(Money::from_fen).collect();
    form.check(QuoteBasis { milestones: &milestones, deadline: &terms.deadline, today: &terms.today })
        .map_err(|fields| AppError::Invalid { fields })
}

/// Writes a checked quote onto the new `application` of `developer`. The note passes the same
/// contact guard as the pitch.
pub(super) async fn record(
    conn: &mut PgConnection,
    task: &TaskRow,
    application: Uuid,
    developer: Uuid,
    quote: &Quote,
) -> Result<(), sqlx::Error> {
    let (note, _) = messages::guard_contacts(&quote.note, task.developer_id, developer);
    sqlx::query("UPDATE applications SET quote_deliver_by = $2::date, quote_note = $3 WHERE id = $1")
        .bind(application)
        .bind(quote.deliver_by.as_deref())
        .bind(&note)
        .execute(&mut *conn)
        .await?;
    if let Some(amounts) = &quote.amounts {
        let amounts: Vec<i64> = amounts.iter().map(|m| m.fen()).collect();
        sqlx::query(
            "INSERT INTO application_milestone_quotes (application_id, milestone_id, amount_fen)
             SELECT $1, m.id, q.amount
             FROM UNNEST($2::int8[]) WITH ORDINALITY AS q (amount, n)
             JOIN (SELECT id, row_number() OVER (ORDER BY position) AS n FROM milestones WHERE task_id = $3) m
               ON m.n = q.n",
        )
        .bind(application)
        .bind(&amounts)
        .bind(task.id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Agrees `application`'s quote as its developer is chosen, inside the choice's transaction (the
/// caller holds the task's and the application's locks; the milestones are locked here, after the
/// task, as everywhere). The escrow follows the agreed amounts in one movement; a higher quote than
/// the merchant's balance covers is refused whole with the shortfall (`InsufficientFunds`).
pub(super) async fn agree(conn: &mut PgConnection, task: &TaskRow, application: Uuid) -> Result<(), AppError> {
    let deliver_by: Option<String> =
        sqlx::query_scalar("SELECT to_char(quote_deliver_by, 'YYYY-MM-DD') FROM applications WHERE id = $1")
            .bind(application)
            .fetch_one(&mut *conn)
            .await?;
    let quoted: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT milestone_id, amount_fen FROM application_milestone_quotes WHERE application_id = $1")
            .bind(application)
            .fetch_all(&mut *conn)
            .await?;
    if quoted.is_empty() && deliver_by.is_none() {
        return Ok(());
    }
    let milestones: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT id, amount_fen FROM milestones WHERE task_id = $1 ORDER BY position FOR UPDATE")
            .bind(task.id)
            .fetch_all(&mut *conn)
            .await?;
    let from: i64 = milestones.iter().map(|(_, amount)| amount).sum();
    let to: i64 = milestones
        .iter()
        .map(|(id, amount)| quoted.iter().find(|(milestone, _)| milestone == id).map_or(*amount, |(_, q)| *q))
        .sum();
    let (from, to) = (Money::from_fen(from), Money::from_fen(to));
    if let Some(movement) = Movement::agreed_terms(task.id, task.merchant_id, from, to) {
        // A task is chosen for once; a second agreement would change amounts its escrow never followed.
        if ledger::post(conn, &movement).await? == Posted::AlreadyApplied {
            return Err(Refusal::WrongState.into());
        }
    }
    if !quoted.is_empty() {
        sqlx::query(
            "WITH agreed AS (
                 UPDATE application_milestone_quotes q SET agreed_from_fen = m.amount_fen
                 FROM milestones m WHERE q.application_id = $1 AND m.id = q.milestone_id
                 RETURNING q.milestone_id, q.amount_fen)
             UPDATE milestones m SET amount_fen = agreed.amount_fen FROM agreed WHERE m.id = agreed.milestone_id",
        )
        .bind(application)
        .execute(&mut *conn)
        .await?;
    }
    let deadline_before: String =
        sqlx::query_scalar("SELECT china_text(deadline, 'YYYY-MM-DD') FROM tasks WHERE id = $1")
            .bind(task.id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "UPDATE tasks SET reward_fen = $2, updated_at = app_now(),
                          deadline = coalesce(china_instant($3::date + time '23:59:59'), deadline)
         WHERE id = $1",
    )
    .bind(task.id)
    .bind(to.fen())
    .bind(deliver_by.as_deref())
    .execute(&mut *conn)
    .await?;
    let terms = AgreedTerms {
        reward: (from != to).then_some((from, to)),
        deadline: deliver_by.filter(|date| *date != deadline_before).map(|date| (deadline_before, date)),
    };
    event(conn, task.id, None, Some(task.merchant_id), "terms_agreed", &terms.note()).await?;
    Ok(())
}
