use crate::{
    api::hall::{HallPage, TagLabel, TaskSummary},
    domain::{
        account::MerchantKind,
        money::Money,
        paging::{page_count, PageNumber},
        task::Difficulty,
    },
};
use sqlx::{types::Json, PgPool};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct TaskSummaryRow {
    id: Uuid,
    title: String,
    difficulty: i16,
    reward_fen: i64,
    deadline: String,
    merchant_name: String,
    merchant_kind: Option<String>,
    tags: Json<Vec<TagLabel>>,
}

impl TaskSummaryRow {
    /// Rows come from CHECK-constrained columns, so a value outside the domain is a broken database;
    /// it is logged and the row skipped rather than crashing the whole page.
    fn into_summary(self) -> Option<TaskSummary> {
        let summary = TaskSummary {
            id: self.id,
            title: self.title,
            difficulty: Difficulty::new(self.difficulty)?,
            reward: Money::from_fen(self.reward_fen),
            deadline: self.deadline,
            merchant_name: self.merchant_name,
            merchant_kind: self.merchant_kind.as_deref().and_then(MerchantKind::parse)?,
            tags: self.tags.0,
        };
        Some(summary)
    }
}

/// One page of open tasks, newest first. (created_at, id) is a total order, so paging is stable even
/// when many tasks share a timestamp. Deadlines are shown as dates in China Standard Time.
pub async fn open_tasks_page(
    pool: &PgPool,
    page: PageNumber,
    page_size: i64,
) -> Result<HallPage, sqlx::Error> {
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks WHERE status = 'open'")
        .fetch_one(pool)
        .await?;
    // The page is chosen first (an index scan over the open tasks), and only its rows get the merchant
    // and tags: decorating before LIMIT/OFFSET would build tag lists for every skipped row.
    let rows: Vec<TaskSummaryRow> = sqlx::query_as(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at
             FROM tasks WHERE status = 'open'
             ORDER BY created_at DESC, id DESC
             LIMIT $1 OFFSET $2)
         SELECT t.id, t.title, t.difficulty, t.reward_fen,
                to_char(t.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS deadline,
                u.display_name AS merchant_name, u.merchant_kind,
                COALESCE((SELECT json_agg(json_build_object(
                                   'slug', s.slug, 'name_zh', s.name_zh, 'name_en', s.name_en)
                                   ORDER BY s.slug)
                          FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
                          WHERE tt.task_id = t.id), '[]'::json) AS tags
         FROM page t JOIN users u ON u.id = t.merchant_id
         ORDER BY t.created_at DESC, t.id DESC",
    )
    .bind(page_size)
    .bind(page.offset(page_size))
    .fetch_all(pool)
    .await?;
    let tasks = rows
        .into_iter()
        .filter_map(|row| {
            let id = row.id;
            let summary = row.into_summary();
            if summary.is_none() {
                tracing::error!(%id, "task row violates the domain; skipped");
            }
            summary
        })
        .collect();
    Ok(HallPage { tasks, page: page.get(), pages: page_count(total, page_size), total })
}

#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
pub struct TaskCounts {
    pub open: i64,
    pub total: i64,
}

pub async fn counts(pool: &PgPool) -> Result<TaskCounts, sqlx::Error> {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'open') AS open, count(*) AS total FROM tasks",
    )
    .fetch_one(pool)
    .await
}
