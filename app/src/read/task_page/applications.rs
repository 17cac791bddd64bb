//! The task's applications, as the owner (all of them) or one applicant (their own) sees them.

use super::MINUTE;
use crate::{domain::lifecycle::ApplicationStatus, views::tasks::ApplicationView};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: Uuid,
    developer_name: String,
    pitch: String,
    status: String,
    decline_reason: Option<String>,
    created_at: String,
    respond_by: String,
    highlighted: bool,
}

/// The applications to `task` in the order they came, or only `developer`'s.
pub(super) async fn of_task(
    conn: &mut PgConnection,
    task: Uuid,
    developer: Option<Uuid>,
) -> Result<Vec<ApplicationView>, sqlx::Error> {
    let premium = crate::db::membership::holds_plan_sql("a.developer_id", "'premium'");
    let rows: Vec<ApplicationRow> = sqlx::query_as(&format!(
        "SELECT a.id, u.display_name AS developer_name, a.pitch, a.status, a.decline_reason,
                to_char(china_time(a.created_at), {MINUTE}) AS created_at,
                to_char(china_time(a.respond_by), {MINUTE}) AS respond_by,
                {premium} AS highlighted
         FROM applications a JOIN users u ON u.id = a.developer_id
         WHERE a.task_id = $1 AND ($2::uuid IS NULL OR a.developer_id = $2)
         ORDER BY a.created_at"
    ))
    .bind(task)
    .bind(developer)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(ApplicationView {
                id: row.id,
                developer_name: row.developer_name,
                pitch: row.pitch,
                status: ApplicationStatus::parse(&row.status)?,
                decline_reason: row.decline_reason,
                created_at: row.created_at,
                respond_by: row.respond_by,
                highlighted: row.highlighted,
                quote: None,
                // The owner's page adds it (`evidence::attach`); an applicant sees their own without it.
                evidence: None,
            })
        })
        .collect())
}
