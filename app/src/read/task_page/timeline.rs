//! The task's timeline: every step, who took it and when (for the parties and admins).

use super::MINUTE;
use crate::views::tasks::EventView;
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    actor_name: Option<String>,
    note: String,
    milestone_position: Option<i16>,
    created_at: String,
}

pub(super) async fn of_task(conn: &mut PgConnection, task: Uuid) -> Result<Vec<EventView>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT e.kind, u.display_name AS actor_name, e.note, m.position AS milestone_position,
                to_char(china_time(e.created_at), {MINUTE}) AS created_at
         FROM task_events e LEFT JOIN users u ON u.id = e.actor_id
         LEFT JOIN milestones m ON m.id = e.milestone_id
         WHERE e.task_id = $1 ORDER BY e.id"
    ))
    .bind(task)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| EventView {
            kind: row.kind,
            actor_name: row.actor_name,
            note: row.note,
            milestone_position: row.milestone_position,
            created_at: row.created_at,
        })
        .collect())
}
