use crate::{
    domain::{
        account::Role,
        lifecycle::{ApplicationStatus, Refusal, TaskStatus},
        money::Money,
        tasks::{MilestoneForm, TaskForm},
    },
    error::AppError,
    views::{hall::TagLabel, tasks::MyTaskRow},
};
use sqlx::PgPool;
use uuid::Uuid;

/// Joins `done.at`, when task `t` was accepted (its `completed` event).
pub(crate) const COMPLETED_AT: &str =
    "CROSS JOIN LATERAL (SELECT coalesce(max(e.created_at), t.created_at) AS at FROM task_events e
                         WHERE e.task_id = t.id AND e.kind = 'completed') done";

#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct TaskCounts {
    pub open: i64,
    pub total: i64,
}

pub async fn counts(pool: &PgPool) -> Result<TaskCounts, sqlx::Error> {
    sqlx::query_as("SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) AS total FROM tasks")
        .fetch_one(pool)
        .await
}

/// A draft's content as its form, for editing: only for its author, only while it is a draft.
pub async fn draft_form(pool: &PgPool, merchant: Uuid, id: Uuid) -> Result<TaskForm, AppError> {
    type Row = (Uuid, String, String, String, String, i16, String, i16, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT merchant_id, status, title, category, description, difficulty,
                china_text(deadline, 'YYYY-MM-DD'), change_rounds, min_level
         FROM tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some((owner, status, title, category, description, difficulty, deadline, change_rounds, min_level)) = row
    else {
        return Err(AppError::NotFound);
    };
    if owner != merchant {
        return Err(AppError::Forbidden);
    }
    if status != TaskStatus::Draft.as_str() {
        return Err(AppError::Refused { reason: Refusal::WrongState });
    }
    let tags: Vec<String> = sqlx::query_scalar(
        "SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = $1 ORDER BY s.slug",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let milestones: Vec<(String, i64)> =
        sqlx::query_as("SELECT title, amount_fen FROM milestones WHERE task_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let reward = Money::from_fen(milestones.iter().map(|(_, fen)| fen).sum());
    // A task paid in one piece has one untitled milestone, which the form shows as no rows.
    let rows = match milestones.as_slice() {
        [(title, _)] if title.is_empty() => Vec::new(),
        rows => rows
            .iter()
            .map(|(title, fen)| MilestoneForm { title: title.clone(), amount: Money::from_fen(*fen).plain_yuan() })
            .collect(),
    };
    Ok(TaskForm {
        title,
        category,
        description,
        tags,
        difficulty: difficulty.to_string(),
        reward: reward.plain_yuan(),
        deadline,
        change_rounds: change_rounds.to_string(),
        milestones: rows,
        min_level: min_level.unwrap_or_default(),
    })
}

pub async fn all_tags(pool: &PgPool) -> Result<Vec<TagLabel>, sqlx::Error> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT slug, name_zh, name_en FROM skill_tags ORDER BY slug").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(slug, name_zh, name_en)| TagLabel { slug, name_zh, name_en }).collect())
}

pub async fn my_tasks(pool: &PgPool, user: Uuid, role: Role) -> Result<Vec<MyTaskRow>, sqlx::Error> {
    let rows: Vec<(Uuid, String, String, i64, String, Option<i64>, Option<String>)> = match role {
        Role::Developer => {
            sqlx::query_as(
                "SELECT t.id, t.title, t.status, t.reward_fen,
                        china_text(t.deadline, 'YYYY-MM-DD'), NULL::int8, a.status
                 FROM applications a JOIN tasks t ON t.id = a.task_id
                 WHERE a.developer_id = $1 ORDER BY a.created_at DESC LIMIT 200",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        }
        _ => {
            sqlx::query_as(
                "SELECT t.id, t.title, t.status, t.reward_fen,
                        china_text(t.deadline, 'YYYY-MM-DD'),
                        (SELECT count(*) FROM applications a WHERE a.task_id = t.id AND a.status = 'pending'),
                        NULL::text
                 FROM tasks t WHERE t.merchant_id = $1 ORDER BY t.updated_at DESC LIMIT 200",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|(id, title, status, reward, deadline, pending, application)| {
            Some(MyTaskRow {
                id,
                title,
                status: TaskStatus::parse(&status)?,
                reward: Money::from_fen(reward),
                deadline,
                pending_applications: pending,
                application: application.as_deref().and_then(ApplicationStatus::parse),
            })
        })
        .collect())
}
