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
    #[derive(sqlx::FromRow)]
    struct Row {
        merchant_id: Uuid,
        status: String,
        title: String,
        category: String,
        description: String,
        difficulty: i16,
        deadline: String,
        change_rounds: i16,
        min_level: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT merchant_id, status, title, category, description, difficulty,
                china_text(deadline, 'YYYY-MM-DD') AS deadline, change_rounds, min_level
         FROM tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(task) = row else {
        return Err(AppError::NotFound);
    };
    if task.merchant_id != merchant {
        return Err(AppError::Forbidden);
    }
    if task.status != TaskStatus::Draft.as_str() {
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
        title: task.title,
        category: task.category,
        description: task.description,
        tags,
        difficulty: task.difficulty.to_string(),
        reward: reward.plain_yuan(),
        deadline: task.deadline,
        change_rounds: task.change_rounds.to_string(),
        milestones: rows,
        min_level: task.min_level.unwrap_or_default(),
    })
}

pub async fn all_tags(pool: &PgPool) -> Result<Vec<TagLabel>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name_zh: String,
        name_en: String,
    }
    let rows: Vec<Row> =
        sqlx::query_as("SELECT slug, name_zh, name_en FROM skill_tags ORDER BY slug").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|row| TagLabel { slug: row.slug, name_zh: row.name_zh, name_en: row.name_en }).collect())
}

pub async fn my_tasks(pool: &PgPool, user: Uuid, role: Role) -> Result<Vec<MyTaskRow>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        title: String,
        status: String,
        reward_fen: i64,
        deadline: String,
        pending_applications: Option<i64>,
        application_status: Option<String>,
    }
    let rows: Vec<Row> = match role {
        Role::Developer => {
            sqlx::query_as(
                "SELECT t.id, t.title, t.status, t.reward_fen,
                        china_text(t.deadline, 'YYYY-MM-DD') AS deadline, NULL::int8 AS pending_applications,
                        a.status AS application_status
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
                        china_text(t.deadline, 'YYYY-MM-DD') AS deadline,
                        (SELECT count(*) FROM applications a WHERE a.task_id = t.id AND a.status = 'pending')
                            AS pending_applications,
                        NULL::text AS application_status
                 FROM tasks t WHERE t.merchant_id = $1 ORDER BY t.updated_at DESC LIMIT 200",
            )
            .bind(user)
            .fetch_all(pool)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(MyTaskRow {
                id: row.id,
                title: row.title,
                status: TaskStatus::parse(&row.status)?,
                reward: Money::from_fen(row.reward_fen),
                deadline: row.deadline,
                pending_applications: row.pending_applications,
                application: row.application_status.as_deref().and_then(ApplicationStatus::parse),
            })
        })
        .collect())
}
