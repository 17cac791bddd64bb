//! A task before it is live: written as a draft, edited, then published (funded into escrow at
//! the rate it gets now, and sent for review or straight to the hall).

use super::{event, lock_task};
use crate::{
    db::{
        commission,
        ledger::{self},
        notifications::notify,
    },
    domain::{
        growth::Level,
        ledger::Movement,
        lifecycle::{task_transition, TaskAction, TaskStatus},
        moderation::Hold,
        money::Money,
        tasks::NewTask,
    },
    error::AppError,
};
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

/// A statement still taking its bind values.
type PgQuery<'q> = sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>;

/// Creates a draft with its milestones and tags. Nothing is funded until `publish`.
pub async fn create_task(pool: &PgPool, merchant: Uuid, task: &NewTask) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let mut tx = pool.begin().await?;
    let insert = sqlx::query(
        "INSERT INTO tasks (id, merchant_id, title, description, difficulty, reward_fen, deadline,
                            change_rounds, status, category, min_level)
         VALUES ($1, $2, $3, $4, $5, $6, china_instant(($7::date + time '23:59:59')), $8,
                 'draft', $9, $10)",
    )
    .bind(id)
    .bind(merchant);
    bind_content(insert, task).execute(&mut *tx).await?;
    write_milestones_and_tags(&mut tx, id, task).await?;
    event(&mut tx, id, None, Some(merchant), "created", "").await?;
    tx.commit().await?;
    Ok(id)
}

/// Binds a task's content, in the order both the insert and the update list its columns after
/// the keys: title, description, difficulty, reward, deadline, change rounds, category, level.
fn bind_content<'q>(query: PgQuery<'q>, task: &'q NewTask) -> PgQuery<'q> {
    query
        .bind(&task.title)
        .bind(&task.description)
        .bind(task.difficulty.level())
        .bind(task.reward().fen())
        .bind(&task.deadline)
        .bind(task.change_rounds)
        .bind(task.category.slug())
        .bind(task.min_level.map(Level::as_str))
}

/// Replaces a draft's content. A published task cannot be edited here (its reward may only rise).
pub async fn update_draft(pool: &PgPool, merchant: Uuid, id: Uuid, task: &NewTask) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    task_transition(row.status(), TaskAction::EditDraft, by)?;
    let update = sqlx::query(
        "UPDATE tasks SET title = $2, description = $3, difficulty = $4, reward_fen = $5,
                          deadline = china_instant(($6::date + time '23:59:59')),
                          change_rounds = $7, category = $8, min_level = $9, updated_at = app_now()
         WHERE id = $1",
    )
    .bind(id);
    bind_content(update, task).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM milestones WHERE task_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM task_tags WHERE task_id = $1").bind(id).execute(&mut *tx).await?;
    write_milestones_and_tags(&mut tx, id, task).await?;
    event(&mut tx, id, None, Some(merchant), "edited", "").await?;
    tx.commit().await?;
    Ok(())
}

async fn write_milestones_and_tags(
    tx: &mut Transaction<'_, Postgres>,
    task_id: Uuid,
    task: &NewTask,
) -> Result<(), AppError> {
    let ids: Vec<Uuid> = task.milestones.iter().map(|_| Uuid::now_v7()).collect();
    let positions: Vec<i16> = (1..=task.milestones.len() as i16).collect();
    let titles: Vec<&str> = task.milestones.iter().map(|m| m.title.as_str()).collect();
    let amounts: Vec<i64> = task.milestones.iter().map(|m| m.amount.fen()).collect();
    sqlx::query(
        "INSERT INTO milestones (id, task_id, position, title, amount_fen)
         SELECT id, $2, position, title, amount FROM UNNEST($1::uuid[], $3::int2[], $4::text[], $5::int8[])
             AS m(id, position, title, amount)",
    )
    .bind(&ids)
    .bind(task_id)
    .bind(&positions)
    .bind(&titles)
    .bind(&amounts)
    .execute(&mut **tx)
    .await?;
    let inserted =
        sqlx::query("INSERT INTO task_tags (task_id, tag_id) SELECT $1, id FROM skill_tags WHERE slug = ANY($2)")
            .bind(task_id)
            .bind(&task.tags)
            .execute(&mut **tx)
            .await?;
    if inserted.rows_affected() != task.tags.len() as u64 {
        use crate::domain::validation::{Field, FieldError, Problem};
        return Err(AppError::field(FieldError::new(Field::Tags, Problem::NotAllowed)));
    }
    // The search index follows the words in the same transaction.
    crate::db::search::index_tasks(tx, &[task_id]).await?;
    Ok(())
}

/// Publishes a draft: the reward moves from the merchant's balance into the task's escrow, at the
/// commission rate in effect now. Not enough balance: `InsufficientFunds` with the shortfall.
pub async fn publish(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let mut next = task_transition(row.status(), TaskAction::Publish, by)?;
    crate::db::credit::ensure_unrestricted(&mut tx, merchant).await?;
    let hold = crate::db::moderation::hold_for_review(&mut tx, merchant, id).await?;
    if hold.is_some() {
        next = TaskStatus::PendingReview;
    }
    // 企业会员 lowers the rate the task is funded at (never below the 5 % floor).
    let rate = commission::rates_for_merchant(&mut tx, merchant).await?.rate_for(Some(row.category()));
    sqlx::query(
        "UPDATE tasks SET status = $2, commission_bps = $3, published_at = app_now(), created_at = app_now(),
                          updated_at = app_now(), moderation_note = $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(next.as_str())
    .bind(rate.bps() as i32)
    .bind(hold.as_ref().map(Hold::note).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    ledger::post(&mut tx, &Movement::fund_escrow(id, merchant, Money::from_fen(row.reward_fen))).await?;
    event(&mut tx, id, None, Some(merchant), "published", &Money::from_fen(row.reward_fen).display_yuan()).await?;
    if hold.is_some() {
        notify(&mut tx, merchant, "task_held", Some(id), "").await?;
    }
    tx.commit().await?;
    Ok(())
}
