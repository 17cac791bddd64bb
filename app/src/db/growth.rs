//! The growth ledger: events keyed by their cause, the skill points each carried, and the
//! per-developer summaries, all written inside the transaction of the step that caused them (a
//! task's completion, its rating). The developer's summary row is locked first, so concurrent awards
//! for one developer queue up instead of deadlocking on skill rows.

use crate::{
    api::growth::{GrowthPanel, SkillView},
    domain::{
        growth::{Level, Record, Stars, TaskReward},
        task::Difficulty,
    },
    error::AppError,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Awards a finished task's base points once ("completed:<task>"). Does nothing for a task whose
/// developer was paid nothing (every milestone refunded).
pub async fn award_completion(conn: &mut PgConnection, task: Uuid, developer: Uuid) -> Result<(), AppError> {
    let (difficulty, paid): (i16, bool) = sqlx::query_as(
        "SELECT t.difficulty,
                EXISTS (SELECT 1 FROM milestones m WHERE m.task_id = t.id AND m.status IN ('released', 'settled'))
         FROM tasks t WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(&mut *conn)
    .await?;
    if !paid {
        return Ok(());
    }
    let reward = TaskReward::base(Difficulty::new(difficulty).ok_or(AppError::Internal)?);
    award(conn, developer, task, Cause::Completed, reward).await
}

/// Awards the difference a merchant's rating makes to a finished task's points (positive from 4★,
/// negative under 3★), once per task, and counts the rating in the developer's average.
pub(crate) async fn award_rating(
    conn: &mut PgConnection,
    task: Uuid,
    developer: Uuid,
    stars: Stars,
) -> Result<(), AppError> {
    let difficulty: i16 =
        sqlx::query_scalar("SELECT difficulty FROM tasks WHERE id = $1").bind(task).fetch_one(&mut *conn).await?;
    let adjustment = TaskReward::rating_adjustment(Difficulty::new(difficulty).ok_or(AppError::Internal)?, stars);
    award(conn, developer, task, Cause::Rated(stars), adjustment).await
}

/// The current week (from Monday) and month, China time, as rows `p (period, starts_on)`.
pub(crate) const CURRENT_PERIODS: &str = "(VALUES
    ('week', date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai')::date),
    ('month', date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date)) AS p (period, starts_on)";

#[derive(Clone, Copy)]
enum Cause {
    Completed,
    Rated(Stars),
}

impl Cause {
    fn key(self, task: Uuid) -> String {
        match self {
            Cause::Completed => format!("completed:{task}"),
            Cause::Rated(_) => format!("rated:{task}"),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Cause::Completed => "task_completed",
            Cause::Rated(_) => "task_rated",
        }
    }
}

/// One event: lock the developer's summary row (creating it on first use), write the event (a
/// replayed cause stops here, having changed nothing), its skill entries and skill totals, then the
/// summary and the level recomputed from it.
async fn award(
    conn: &mut PgConnection,
    developer: Uuid,
    task: Uuid,
    cause: Cause,
    reward: TaskReward,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO developer_growth (developer_id) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(developer)
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT 1 FROM developer_growth WHERE developer_id = $1 FOR UPDATE")
        .bind(developer)
        .execute(&mut *conn)
        .await?;
    let event: Option<i64> = sqlx::query_scalar(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, task_id, xp) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(developer)
    .bind(cause.key(task))
    .bind(cause.kind())
    .bind(task)
    .bind(reward.xp as i32)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(event) = event else { return Ok(()) };
    if reward.skill_points != 0 {
        sqlx::query(
            "WITH entries AS (
                 INSERT INTO skill_point_entries (event_id, tag_id, points)
                 SELECT $1, tag_id, $3 FROM task_tags WHERE task_id = $2
                 RETURNING tag_id, points)
             INSERT INTO developer_skills (developer_id, tag_id, points)
             SELECT $4, tag_id, points FROM entries
             ON CONFLICT (developer_id, tag_id) DO UPDATE SET points = developer_skills.points + EXCLUDED.points",
        )
        .bind(event)
        .bind(task)
        .bind(reward.skill_points as i32)
        .bind(developer)
        .execute(&mut *conn)
        .await?;
        sqlx::query(&format!(
            "INSERT INTO skill_period_totals (period, starts_on, tag_id, developer_id, points)
             SELECT p.period, p.starts_on, tt.tag_id, $2, $3 FROM task_tags tt, {CURRENT_PERIODS} WHERE tt.task_id = $1
             ON CONFLICT (period, starts_on, tag_id, developer_id)
             DO UPDATE SET points = skill_period_totals.points + EXCLUDED.points"
        ))
        .bind(task)
        .bind(developer)
        .bind(reward.skill_points)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(&format!(
        "INSERT INTO growth_period_totals (period, starts_on, developer_id, xp)
         SELECT p.period, p.starts_on, $1, $2 FROM {CURRENT_PERIODS}
         ON CONFLICT (period, starts_on, developer_id) DO UPDATE SET xp = growth_period_totals.xp + EXCLUDED.xp"
    ))
    .bind(developer)
    .bind(reward.xp)
    .execute(&mut *conn)
    .await?;
    let (finished, stars) = match cause {
        Cause::Completed => (1, 0),
        Cause::Rated(stars) => (0, stars.get() as i32),
    };
    sqlx::query(
        "UPDATE developer_growth SET xp = xp + $2, finished_tasks = finished_tasks + $3,
                rating_sum = rating_sum + $4, rating_count = rating_count + CASE WHEN $4 > 0 THEN 1 ELSE 0 END,
                updated_at = now()
         WHERE developer_id = $1",
    )
    .bind(developer)
    .bind(reward.xp)
    .bind(finished)
    .bind(stars)
    .execute(&mut *conn)
    .await?;
    let record = record(conn, developer).await?;
    sqlx::query("UPDATE developer_growth SET level = $2 WHERE developer_id = $1")
        .bind(developer)
        .bind(record.level().as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn record(conn: &mut PgConnection, developer: Uuid) -> Result<Record, sqlx::Error> {
    let row: Option<(i32, i32, i32, i64)> = sqlx::query_as(
        "SELECT g.finished_tasks, g.rating_sum, g.rating_count,
                (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0)
         FROM developer_growth g WHERE g.developer_id = $1",
    )
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row
        .map(|(finished_tasks, rating_sum, rating_count, skill_breadth)| Record {
            finished_tasks: finished_tasks as i64,
            rating_sum: rating_sum as i64,
            rating_count: rating_count as i64,
            skill_breadth,
        })
        .unwrap_or_default())
}

/// A developer's level as stored (C for someone with no record yet).
pub async fn level_of(conn: &mut PgConnection, developer: Uuid) -> Result<Level, sqlx::Error> {
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(level.as_deref().and_then(Level::parse).unwrap_or(Level::C))
}

/// The growth panel: the record, its level and what the next one needs, skills by points, and XP per
/// week for the last 12 weeks.
pub async fn panel(pool: &PgPool, developer: Uuid) -> Result<GrowthPanel, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let record = record(&mut conn, developer).await?;
    let xp: i64 = sqlx::query_scalar("SELECT COALESCE((SELECT xp FROM developer_growth WHERE developer_id = $1), 0)")
        .bind(developer)
        .fetch_one(&mut *conn)
        .await?;
    let skills: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT t.slug, t.name_zh, t.name_en, s.points FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id
         WHERE s.developer_id = $1 AND s.points > 0 ORDER BY s.points DESC, t.slug LIMIT 12",
    )
    .bind(developer)
    .fetch_all(&mut *conn)
    .await?;
    let weekly_xp: Vec<(String, i64)> = sqlx::query_as(
        "SELECT to_char(week, 'MM-DD'), COALESCE(sum(e.xp), 0)::int8
         FROM generate_series(date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai') - interval '11 weeks',
                              date_trunc('week', now() AT TIME ZONE 'Asia/Shanghai'), interval '1 week') AS week
         LEFT JOIN growth_events e ON e.developer_id = $1
              AND date_trunc('week', e.created_at AT TIME ZONE 'Asia/Shanghai') = week
         GROUP BY week ORDER BY week",
    )
    .bind(developer)
    .fetch_all(&mut *conn)
    .await?;
    Ok(GrowthPanel {
        level: record.level(),
        xp,
        record,
        next: record.missing_for_next(),
        skills: skills
            .into_iter()
            .map(|(slug, name_zh, name_en, points)| SkillView { slug, name_zh, name_en, points })
            .collect(),
        weekly_xp,
    })
}
