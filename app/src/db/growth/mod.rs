//! The growth ledger: events keyed by their cause, the skill points each carried, and the
//! per-developer summaries, all written inside the transaction of the step that caused them (a
//! task's completion, its rating). The developer's summary row is locked first, so concurrent awards
//! for one developer queue up instead of deadlocking on skill rows.

use crate::{
    db::{abuse, challenges::complete_challenges},
    domain::{
        challenges::Activity,
        growth::{GrowthRules, Level, Record, Stars, TaskReward},
        tasks::Difficulty,
    },
    error::AppError,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub(crate) mod badges;
pub(crate) mod points;
mod rules;

use badges::award_badges;
pub use badges::{all_badges, backfill_badges, create_badge, insert_badge};
pub(crate) use badges::{badges_of, facts};
use points::{add_growth_points, lock_growth};
pub use rules::{apply_due_rules, preview_rules, relevel_all, rules, save_rules};

/// Awards a finished, paid task's base points once ("completed:<task>").
pub async fn award_completion(
    conn: &mut PgConnection,
    task: Uuid,
    developer: Uuid,
    difficulty: Difficulty,
) -> Result<(), AppError> {
    award(conn, developer, task, Cause::Completed, difficulty).await
}

/// The growth worker's step: awards what finished tasks are owed (`growth_outbox`), one task per
/// transaction, until none is due; returns how many it awarded. Safe to run from several processes
/// at once: each row is claimed with SKIP LOCKED, and the award is keyed by its cause. An award that
/// fails is put back for a later attempt (backing off a minute per attempt, up to an hour) so it
/// cannot block the rows behind it.
pub async fn drain_outbox(pool: &PgPool) -> Result<u64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct ClaimedTask {
        id: Uuid,
        merchant_id: Uuid,
        developer_id: Option<Uuid>,
        difficulty: i16,
    }
    let mut awarded = 0;
    loop {
        let mut tx = pool.begin().await?;
        let claimed: Option<ClaimedTask> = sqlx::query_as(
            "WITH claimed AS (
                 DELETE FROM growth_outbox WHERE task_id = (
                     SELECT task_id FROM growth_outbox WHERE not_before <= app_now()
                     ORDER BY not_before LIMIT 1 FOR UPDATE SKIP LOCKED)
                 RETURNING task_id)
             SELECT t.id, t.merchant_id, t.developer_id, t.difficulty FROM claimed JOIN tasks t ON t.id = claimed.task_id",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(ClaimedTask { id: task, merchant_id: merchant, developer_id, difficulty }) = claimed else {
            return Ok(awarded);
        };
        let result = match (developer_id, Difficulty::new(difficulty)) {
            // A task between related accounts earns nothing until an admin has looked at it.
            // Its title still joins their talent-search words, as every finished task's does.
            (Some(developer), Some(_)) if abuse::flag_if_related(&mut tx, task, merchant, developer).await? => {
                super::talent::index_developers(&mut tx, &[developer]).await.map_err(AppError::from)
            }
            (Some(developer), Some(difficulty)) => award_completion(&mut tx, task, developer, difficulty).await,
            _ => Err(AppError::Internal),
        };
        match result {
            Ok(()) => {
                tx.commit().await?;
                awarded += 1;
            }
            Err(error) => {
                tx.rollback().await?;
                tracing::warn!(?error, %task, "growth award failed; retrying later");
                sqlx::query(
                    "UPDATE growth_outbox SET attempts = attempts + 1,
                            not_before = app_now() + least(attempts + 1, 60) * interval '1 minute'
                     WHERE task_id = $1",
                )
                .bind(task)
                .execute(pool)
                .await?;
            }
        }
    }
}

/// An admin decides a flag: release the held rewards (awarded now, once) or withhold them for good.
pub async fn resolve_abuse_flag(pool: &PgPool, admin: Uuid, task: Uuid, release: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let resolved = sqlx::query(
        "UPDATE abuse_flags SET resolved_at = app_now(), resolved_by = $2, released = $3
         WHERE task_id = $1 AND resolved_at IS NULL",
    )
    .bind(task)
    .bind(admin)
    .bind(release)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if resolved == 0 {
        return Err(AppError::NotFound);
    }
    if release {
        award_released(&mut tx, task).await?;
    }
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Action {
            admin,
            action: if release { "flag.release" } else { "flag.withhold" },
            subject: format!("task:{task}"),
            before: Some(serde_json::json!({ "rewards": "held" })),
            after: Some(serde_json::json!({ "rewards": if release { "released" } else { "withheld" } })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An admin released a flagged task's held rewards: its completion and, if it was rated, its rating,
/// each once (keyed by cause, like every award).
pub(crate) async fn award_released(conn: &mut PgConnection, task: Uuid) -> Result<(), AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        developer_id: Option<Uuid>,
        difficulty: i16,
        stars: Option<i16>,
    }
    let row: Row = sqlx::query_as(
        "SELECT t.developer_id, t.difficulty, r.stars FROM tasks t LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(&mut *conn)
    .await?;
    let developer = row.developer_id.ok_or(AppError::Internal)?;
    let difficulty = Difficulty::new(row.difficulty).ok_or(AppError::Internal)?;
    award(conn, developer, task, Cause::Completed, difficulty).await?;
    if let Some(stars) = row.stars.and_then(|s| Stars::new(s as u8)) {
        award(conn, developer, task, Cause::Rated(stars), difficulty).await?;
    }
    Ok(())
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
    let difficulty = Difficulty::new(difficulty).ok_or(AppError::Internal)?;
    award(conn, developer, task, Cause::Rated(stars), difficulty).await
}

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
    difficulty: Difficulty,
) -> Result<(), AppError> {
    let rules = lock_growth_under_rules(conn, developer).await?;
    let current_periods = super::periods::current_windows();
    let reward = match cause {
        Cause::Completed => rules.task_reward(difficulty),
        // Against the base the completion was paid (the rules may have changed since); before the
        // growth workers have awarded the completion, against the base they are about to pay.
        Cause::Rated(stars) => {
            completion_paid(conn, task).await?.unwrap_or_else(|| rules.task_reward(difficulty)).rating_adjustment(stars)
        }
    };
    // The event and its skill points in one statement; a replayed cause inserts no event and so
    // nothing else.
    let event: Option<i64> = sqlx::query_scalar(&format!(
        "WITH event AS (
             INSERT INTO growth_events (developer_id, idempotency_key, kind, task_id, xp)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id),
         entries AS (
             INSERT INTO skill_point_entries (event_id, tag_id, points)
             SELECT event.id, tt.tag_id, $6 FROM event, task_tags tt WHERE tt.task_id = $4 AND $6 <> 0
             RETURNING tag_id, points),
         skills AS (
             INSERT INTO developer_skills (developer_id, tag_id, points)
             SELECT $1, tag_id, points FROM entries
             ON CONFLICT (developer_id, tag_id) DO UPDATE SET points = developer_skills.points + EXCLUDED.points),
         skill_periods AS (
             INSERT INTO skill_period_totals (period, starts_on, tag_id, developer_id, points)
             SELECT p.period, p.starts_on, e.tag_id, $1, e.points FROM entries e, {current_periods}
             ON CONFLICT (period, starts_on, tag_id, developer_id)
             DO UPDATE SET points = skill_period_totals.points + EXCLUDED.points)
         SELECT id FROM event"
    ))
    .bind(developer)
    .bind(cause.key(task))
    .bind(cause.kind())
    .bind(task)
    .bind(reward.xp as i32)
    .bind(reward.skill_points as i32)
    .fetch_optional(&mut *conn)
    .await?;
    if event.is_none() {
        return Ok(());
    }
    let (finished, stars) = match cause {
        Cause::Completed => (1, 0),
        Cause::Rated(stars) => (0, stars.get() as i32),
    };
    // The period totals and the summary, returning the record the level is computed from (the
    // skills written by the statement above are visible to this one).
    #[derive(sqlx::FromRow)]
    struct Updated {
        #[sqlx(flatten)]
        record: RecordRow,
        level: String,
    }
    let updated: Updated = sqlx::query_as(&format!(
        "WITH totals AS (
             INSERT INTO growth_period_totals (period, starts_on, developer_id, xp)
             SELECT p.period, p.starts_on, $1, $2 FROM {current_periods}
             ON CONFLICT (period, starts_on, developer_id) DO UPDATE SET xp = growth_period_totals.xp + EXCLUDED.xp)
         UPDATE developer_growth SET xp = xp + $2, finished_tasks = finished_tasks + $3,
                rating_sum = rating_sum + $4, rating_count = rating_count + CASE WHEN $4 > 0 THEN 1 ELSE 0 END,
                updated_at = app_now()
         WHERE developer_id = $1
         RETURNING finished_tasks, rating_sum, rating_count,
                   (SELECT count(*) FROM developer_skills s WHERE s.developer_id = $1 AND s.points > 0)
                       AS skill_breadth,
                   level"
    ))
    .bind(developer)
    .bind(reward.xp)
    .bind(finished)
    .bind(stars)
    .fetch_one(&mut *conn)
    .await?;
    let record = updated.record.into_record();
    let level = rules.level_of(&record);
    if level.as_str() != updated.level {
        sqlx::query("UPDATE developer_growth SET level = $2 WHERE developer_id = $1")
            .bind(developer)
            .bind(level.as_str())
            .execute(&mut *conn)
            .await?;
    }
    award_badges(conn, developer, Some(task)).await?;
    let activity = match cause {
        Cause::Completed => Activity::TaskFinished,
        Cause::Rated(_) => Activity::TaskRated,
    };
    complete_challenges(conn, developer, activity).await?;
    // Skills earned and the new record move the developer in talent search.
    super::talent::index_developers(conn, &[developer]).await?;
    Ok(())
}

/// The base a task's completion event awarded: its XP and the points each of its tags received.
async fn completion_paid(conn: &mut PgConnection, task: Uuid) -> Result<Option<TaskReward>, sqlx::Error> {
    let paid: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT e.xp::int8, (SELECT max(s.points)::int8 FROM skill_point_entries s WHERE s.event_id = e.id)
         FROM growth_events e WHERE e.idempotency_key = 'completed:' || $1",
    )
    .bind(task)
    .fetch_optional(conn)
    .await?;
    Ok(paid.map(|(xp, skill_points)| TaskReward { xp, skill_points: skill_points.unwrap_or(0) }))
}

/// An upsert that always "updates" locks the developer's row, existing or new, in one round trip.
/// The developer's growth lock, then the rules in force. Read after the lock, in a statement of
/// their own, so an award that waited for the lock sees rules saved meanwhile, and `relevel_all`
/// (which runs after a save, under the same locks) cannot be overtaken by an award using old ones.
async fn lock_growth_under_rules(conn: &mut PgConnection, developer: Uuid) -> Result<GrowthRules, sqlx::Error> {
    lock_growth(conn, developer).await?;
    rules(conn).await
}

/// Today's check-in: growth points once per day (China time), and a step in the check-in streak.
/// Returns false when the developer had already checked in today.
pub async fn check_in(pool: &PgPool, developer: Uuid) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    let rules = lock_growth_under_rules(&mut tx, developer).await?;
    let event: Option<i64> = sqlx::query_scalar(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, growth_points)
         VALUES ($1, 'check-in:' || $1 || ':' || china_text(app_now(), 'YYYY-MM-DD'),
                 'checked_in', 0, $2)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(developer)
    .bind(rules.check_in_points)
    .fetch_optional(&mut *tx)
    .await?;
    if event.is_none() {
        return Ok(false);
    }
    add_growth_points(&mut tx, developer, rules.check_in_points).await?;
    award_badges(&mut tx, developer, None).await?;
    complete_challenges(&mut tx, developer, Activity::CheckedIn).await?;
    tx.commit().await?;
    Ok(true)
}

/// A developer's record as `developer_growth` stores it, with the number of skills they hold.
#[derive(sqlx::FromRow)]
struct RecordRow {
    finished_tasks: i32,
    rating_sum: i32,
    rating_count: i32,
    skill_breadth: i64,
}

impl RecordRow {
    fn into_record(self) -> Record {
        Record {
            finished_tasks: self.finished_tasks as i64,
            rating_sum: self.rating_sum as i64,
            rating_count: self.rating_count as i64,
            skill_breadth: self.skill_breadth,
        }
    }
}

pub(crate) async fn record(conn: &mut PgConnection, developer: Uuid) -> Result<Record, sqlx::Error> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT g.finished_tasks, g.rating_sum, g.rating_count,
                (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0)
                    AS skill_breadth
         FROM developer_growth g WHERE g.developer_id = $1",
    )
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(RecordRow::into_record).unwrap_or_default())
}

/// A developer's level as stored (C for someone with no record yet).
pub async fn level_of(conn: &mut PgConnection, developer: Uuid) -> Result<Level, sqlx::Error> {
    let level: Option<String> = sqlx::query_scalar("SELECT level FROM developer_growth WHERE developer_id = $1")
        .bind(developer)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(level.as_deref().and_then(Level::parse).unwrap_or(Level::C))
}
