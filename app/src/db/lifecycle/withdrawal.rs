//! A developer withdraws an application the merchant has not answered (撤回申请).

use super::{applications_answered, lock_task};
use crate::{
    domain::lifecycle::{withdraw, ApplicationStatus, Party},
    error::AppError,
};
use sqlx::PgPool;
use uuid::Uuid;

/// Withdraws `developer`'s application to `task`. The task row is locked first, as when the
/// merchant chooses, so a withdrawal and a choice made at once are taken one after the other: the
/// second sees the first's answer and is refused. The merchant's "new application" notice is done
/// once no other application waits.
pub async fn withdraw_application(pool: &PgPool, developer: Uuid, task: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let row = lock_task(&mut tx, task).await?;
    let (application, status): (Uuid, String) =
        sqlx::query_as("SELECT id, status FROM applications WHERE task_id = $1 AND developer_id = $2 FOR UPDATE")
            .bind(task)
            .bind(developer)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let next = withdraw(ApplicationStatus::parse(&status).ok_or(AppError::Internal)?, Party::Developer)?;
    sqlx::query("UPDATE applications SET status = $2 WHERE id = $1")
        .bind(application)
        .bind(next.as_str())
        .execute(&mut *tx)
        .await?;
    applications_answered(&mut tx, row.merchant_id, task).await?;
    tx.commit().await?;
    Ok(())
}
