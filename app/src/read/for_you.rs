//! "为你推荐": the open tasks that fit a developer best, scored by `domain::matching`.

use super::hall::{into_summaries, TaskSummaryRow, DECORATE_PAGE};
use crate::{
    domain::{
        growth::Level,
        matching::{fit, DeveloperFit, Fit, TaskFit},
    },
    views::hall::Recommendation,
};
use sqlx::PgPool;
use uuid::Uuid;

/// "为你推荐": up to `limit` open tasks that share a skill with the developer (declared or earned),
/// that they have not applied to and their level unlocks, best fit first (`domain::matching`),
/// each with the skills that matched. Scores the newest 200 such tasks.
pub async fn for_you(pool: &PgPool, developer: Uuid, limit: usize) -> Result<Vec<Recommendation>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct ProfileRow {
        declared: Vec<String>,
        earned_slugs: Vec<String>,
        earned_points: Vec<i64>,
        level: Option<String>,
        average_rating_x100: Option<i64>,
    }
    let row: ProfileRow = sqlx::query_as(
        "SELECT ARRAY(SELECT s.slug FROM user_skills u JOIN skill_tags s ON s.id = u.tag_id WHERE u.user_id = $1) AS declared,
                ARRAY(SELECT s.slug FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = $1 AND d.points > 0 ORDER BY s.slug) AS earned_slugs,
                ARRAY(SELECT d.points FROM developer_skills d JOIN skill_tags s ON s.id = d.tag_id
                      WHERE d.developer_id = $1 AND d.points > 0 ORDER BY s.slug) AS earned_points,
                (SELECT level FROM developer_growth WHERE developer_id = $1) AS level,
                (SELECT (rating_sum * 100 / NULLIF(rating_count, 0))::int8 FROM developer_growth WHERE developer_id = $1)
                    AS average_rating_x100",
    )
    .bind(developer)
    .fetch_one(pool)
    .await?;
    let profile = DeveloperFit {
        declared: row.declared,
        earned: row.earned_slugs.into_iter().zip(row.earned_points).collect(),
        level: row.level.as_deref().and_then(Level::parse),
        average_rating_x100: row.average_rating_x100,
    };
    let skills: Vec<&str> = profile
        .declared
        .iter()
        .map(String::as_str)
        .chain(profile.earned.iter().map(|(slug, _)| slug.as_str()))
        .collect();
    if skills.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(sqlx::FromRow)]
    struct CandidateRow {
        id: Uuid,
        difficulty: i16,
        min_level: Option<String>,
        tags: Vec<String>,
    }
    let candidates: Vec<CandidateRow> = sqlx::query_as(
        "SELECT t.id, t.difficulty, t.min_level,
                ARRAY(SELECT s.slug FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id WHERE tt.task_id = t.id) AS tags
         FROM tasks t
         WHERE t.status = 'open' AND t.merchant_id <> $1
           AND EXISTS (SELECT 1 FROM task_tags tt JOIN skill_tags s ON s.id = tt.tag_id
                       WHERE tt.task_id = t.id AND s.slug = ANY($2))
           AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.task_id = t.id AND a.developer_id = $1)
         ORDER BY t.created_at DESC, t.id DESC LIMIT 200",
    )
    .bind(developer)
    .bind(&skills)
    .fetch_all(pool)
    .await?;
    let mut fits: Vec<(Uuid, Fit)> = candidates
        .into_iter()
        .filter_map(|row| {
            let task = TaskFit {
                tags: row.tags,
                difficulty: row.difficulty,
                min_level: row.min_level.as_deref().and_then(Level::parse),
            };
            fit(&task, &profile).map(|fit| (row.id, fit))
        })
        .collect();
    // Best fit first; among equals the newer task (candidates came newest first; the sort is stable).
    fits.sort_by_key(|(_, fit)| std::cmp::Reverse(fit.score));
    fits.truncate(limit);
    let ids: Vec<Uuid> = fits.iter().map(|(id, _)| *id).collect();
    let sql = format!(
        "WITH page AS (
             SELECT id, merchant_id, title, difficulty, reward_fen, deadline, created_at, min_level
             FROM tasks WHERE id = ANY($1))
         {DECORATE_PAGE}"
    );
    let rows: Vec<TaskSummaryRow> = sqlx::query_as(&sql).bind(&ids).fetch_all(pool).await?;
    let mut summaries = into_summaries(rows);
    Ok(fits
        .into_iter()
        .filter_map(|(id, fit)| {
            let at = summaries.iter().position(|task| task.id == id)?;
            let task = summaries.swap_remove(at);
            let matched = task.tags.iter().filter(|tag| fit.matched.contains(&tag.slug)).cloned().collect();
            Some(Recommendation { task, matched })
        })
        .collect())
}
