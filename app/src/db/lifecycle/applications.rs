//! Applying for a task, the merchant's answer (choose or decline), and applications that expire
//! unanswered.

use super::{applications_answered, event, lock_task, quotes};
use crate::{
    db::{challenges, growth, notifications::notify},
    domain::{
        challenges::Activity,
        growth::Level,
        lifecycle::{task_transition, ApplicationStatus, Refusal, TaskAction, TaskStatus, ANSWER_WITHIN_HOURS},
        messages,
        quotes::QuoteForm,
    },
    error::AppError,
};
use sqlx::PgPool;
use uuid::Uuid;

/// One application per developer per task, on open tasks only; the merchant has 48 hours to answer.
pub async fn apply(pool: &PgPool, developer: Uuid, task: Uuid, pitch: &str) -> Result<Uuid, AppError> {
    apply_with_quote(pool, developer, task, pitch, &QuoteForm::default()).await
}

/// `apply`, with the applicant's own terms (报价, `domain::quotes`) checked against the task's under
/// its lock and written with the application, or nothing written.
pub async fn apply_with_quote(
    pool: &PgPool,
    developer: Uuid,
    task: Uuid,
    pitch: &str,
    quote: &QuoteForm,
) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, task).await?;
    if row.merchant_id == developer {
        return Err(Refusal::OwnTask.into());
    }
    if row.status() != TaskStatus::Open {
        return Err(Refusal::WrongState.into());
    }
    let quote = quotes::check(&mut tx, task, quote).await?;
    crate::db::credit::ensure_unrestricted(&mut tx, developer).await?;
    let level = growth::level_of(&mut tx, developer).await?;
    if !level.unlocks(row.min_level.as_deref().and_then(Level::parse)) {
        return Err(Refusal::LevelTooLow.into());
    }
    // One application at a time per developer, so two sent at once cannot both slip under the cap.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended('applications:' || $1::text, 0))")
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    let waiting: i64 =
        sqlx::query_scalar("SELECT count(*) FROM applications WHERE developer_id = $1 AND status = 'pending'")
            .bind(developer)
            .fetch_one(&mut *tx)
            .await?;
    if waiting >= i64::from(level.open_application_cap()) {
        return Err(Refusal::TooManyOpenApplications.into());
    }
    let (pitch, _) = messages::guard_contacts(pitch, row.developer_id, developer);
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO applications (id, task_id, developer_id, pitch, respond_by)
         VALUES ($1, $2, $3, $4, app_now() + make_interval(hours => $5))
         ON CONFLICT (task_id, developer_id) DO NOTHING",
    )
    .bind(id)
    .bind(task)
    .bind(developer)
    .bind(&pitch)
    .bind(ANSWER_WITHIN_HOURS as i32)
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Refusal::AlreadyApplied.into());
    }
    if let Some(quote) = &quote {
        quotes::record(&mut tx, &row, id, developer, quote).await?;
    }
    notify(&mut tx, row.merchant_id, "new_application", Some(task), "").await?;
    crate::db::invitations::mark_applied(&mut tx, task, developer).await?;
    challenges::record_activity(&mut tx, developer, Activity::Applied, &format!("applied:{id}")).await?;
    tx.commit().await?;
    Ok(id)
}

/// The merchant accepts one application (starting the work and declining the others) or declines it
/// with a reason. The applicant, and every other applicant on acceptance, is told.
pub async fn answer_application(
    pool: &PgPool,
    merchant: Uuid,
    application: Uuid,
    accept: bool,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (task_id, developer): (Uuid, Uuid) =
        sqlx::query_as("SELECT task_id, developer_id FROM applications WHERE id = $1")
            .bind(application)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let row = lock_task(&mut tx, task_id).await?;
    let by = row.party(merchant).ok_or(AppError::Forbidden)?;
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1 FOR UPDATE")
        .bind(application)
        .fetch_one(&mut *tx)
        .await?;
    if ApplicationStatus::parse(&status) != Some(ApplicationStatus::Pending) {
        return Err(Refusal::WrongState.into());
    }
    if !accept {
        sqlx::query(
            "UPDATE applications SET status = 'declined', decline_reason = $2, answered_at = app_now() WHERE id = $1",
        )
        .bind(application)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        notify(&mut tx, developer, "application_declined", Some(task_id), reason).await?;
        applications_answered(&mut tx, merchant, task_id).await?;
        tx.commit().await?;
        return Ok(());
    }
    let next = task_transition(row.status(), TaskAction::ChooseDeveloper, by)?;
    quotes::agree(&mut tx, &row, application).await?;
    sqlx::query("UPDATE tasks SET status = $2, developer_id = $3, updated_at = app_now() WHERE id = $1")
        .bind(task_id)
        .bind(next.as_str())
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE applications SET status = 'accepted', answered_at = app_now() WHERE id = $1")
        .bind(application)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE milestones SET status = 'working' WHERE task_id = $1 AND status = 'waiting'")
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
    let others: Vec<Uuid> = sqlx::query_scalar(
        "UPDATE applications SET status = 'declined', decline_reason = 'another_developer_chosen',
                                 answered_at = app_now()
         WHERE task_id = $1 AND status = 'pending' RETURNING developer_id",
    )
    .bind(task_id)
    .fetch_all(&mut *tx)
    .await?;
    for other in others {
        notify(&mut tx, other, "application_not_chosen", Some(task_id), "").await?;
    }
    notify(&mut tx, developer, "application_accepted", Some(task_id), "").await?;
    applications_answered(&mut tx, merchant, task_id).await?;
    crate::db::invitations::close_for_task(&mut tx, task_id).await?;
    event(&mut tx, task_id, None, Some(merchant), "developer_chosen", "").await?;
    tx.commit().await?;
    Ok(())
}

/// Background job: applications unanswered for 48 hours expire, and their developers are told. One
/// UPDATE decides which rows expire, so two servers running this at once cannot expire one twice.
pub async fn expire_applications(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // The merchant comes back with each expired row (UPDATE … FROM), not one query per row.
    let expired: Vec<(Uuid, Uuid, Uuid)> = sqlx::query_as(
        "UPDATE applications a SET status = 'expired'
         FROM tasks t
         WHERE t.id = a.task_id AND a.status = 'pending' AND a.respond_by < app_now()
         RETURNING a.task_id, a.developer_id, t.merchant_id",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (task, developer, merchant) in &expired {
        notify(&mut tx, *developer, "application_expired", Some(*task), "").await?;
        applications_answered(&mut tx, *merchant, *task).await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}
