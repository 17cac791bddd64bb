//! The growth ledger: events keyed by their cause, the skill points each carried, and the
//! per-developer summaries, all written inside the transaction of the step that caused them (a
//! task's completion, its rating). The developer's summary row is locked first, so concurrent awards
//! for one developer queue up instead of deadlocking on skill rows.

use crate::{
    db::{
        abuse,
        challenges::{self, complete_challenges},
    },
    domain::{
        badges::{check_in_streak, BadgeRule, Facts, FinishedTask, NewBadge},
        challenges::Activity,
        growth::{GrowthRules, Level, Record, Stars, TaskReward},
        periods::Window,
        task::{Category, Difficulty},
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::{
        admin::AdminBadge,
        growth::{BadgeView, GrowthPanel, SkillView},
    },
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

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
    let mut awarded = 0;
    loop {
        let mut tx = pool.begin().await?;
        let claimed: Option<(Uuid, Uuid, Option<Uuid>, i16)> = sqlx::query_as(
            "WITH claimed AS (
                 DELETE FROM growth_outbox WHERE task_id = (
                     SELECT task_id FROM growth_outbox WHERE not_before <= app_now()
                     ORDER BY not_before LIMIT 1 FOR UPDATE SKIP LOCKED)
                 RETURNING task_id)
             SELECT t.id, t.merchant_id, t.developer_id, t.difficulty FROM claimed JOIN tasks t ON t.id = claimed.task_id",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some((task, merchant, developer, difficulty)) = claimed else { return Ok(awarded) };
        let result = match (developer, Difficulty::new(difficulty)) {
            // A task between related accounts earns nothing until an admin has looked at it.
            (Some(developer), Some(_)) if abuse::flag_if_related(&mut tx, task, merchant, developer).await? => Ok(()),
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

/// An admin released a flagged task's held rewards: its completion and, if it was rated, its rating,
/// each once (keyed by cause, like every award).
pub(crate) async fn award_released(conn: &mut PgConnection, task: Uuid) -> Result<(), AppError> {
    let (developer, difficulty, stars): (Option<Uuid>, i16, Option<i16>) = sqlx::query_as(
        "SELECT t.developer_id, t.difficulty, r.stars FROM tasks t LEFT JOIN task_ratings r ON r.task_id = t.id
         WHERE t.id = $1",
    )
    .bind(task)
    .fetch_one(&mut *conn)
    .await?;
    let developer = developer.ok_or(AppError::Internal)?;
    let difficulty = Difficulty::new(difficulty).ok_or(AppError::Internal)?;
    award(conn, developer, task, Cause::Completed, difficulty).await?;
    if let Some(stars) = stars.and_then(|s| Stars::new(s as u8)) {
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
    let (finished_tasks, rating_sum, rating_count, skill_breadth, stored_level): (i32, i32, i32, i64, String) =
        sqlx::query_as(&format!(
            "WITH totals AS (
                 INSERT INTO growth_period_totals (period, starts_on, developer_id, xp)
                 SELECT p.period, p.starts_on, $1, $2 FROM {current_periods}
                 ON CONFLICT (period, starts_on, developer_id) DO UPDATE SET xp = growth_period_totals.xp + EXCLUDED.xp)
             UPDATE developer_growth SET xp = xp + $2, finished_tasks = finished_tasks + $3,
                    rating_sum = rating_sum + $4, rating_count = rating_count + CASE WHEN $4 > 0 THEN 1 ELSE 0 END,
                    updated_at = app_now()
             WHERE developer_id = $1
             RETURNING finished_tasks, rating_sum, rating_count,
                       (SELECT count(*) FROM developer_skills s WHERE s.developer_id = $1 AND s.points > 0), level"
        ))
        .bind(developer)
        .bind(reward.xp)
        .bind(finished)
        .bind(stars)
        .fetch_one(&mut *conn)
        .await?;
    let record = Record {
        finished_tasks: finished_tasks as i64,
        rating_sum: rating_sum as i64,
        rating_count: rating_count as i64,
        skill_breadth,
    };
    let level = rules.level_of(&record);
    if level.as_str() != stored_level {
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
    complete_challenges(conn, developer, activity).await
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
const LOCK_GROWTH: &str = "INSERT INTO developer_growth (developer_id) VALUES ($1)
    ON CONFLICT (developer_id) DO UPDATE SET developer_id = EXCLUDED.developer_id";

/// Locks the developer's summary row, creating it on first use: every award for one developer
/// queues here.
pub(crate) async fn lock_growth(conn: &mut PgConnection, developer: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query(LOCK_GROWTH).bind(developer).execute(&mut *conn).await?;
    Ok(())
}

/// The developer's growth lock, then the rules in force. Read after the lock, in a statement of
/// their own, so an award that waited for the lock sees rules saved meanwhile, and `relevel_all`
/// (which runs after a save, under the same locks) cannot be overtaken by an award using old ones.
async fn lock_growth_under_rules(conn: &mut PgConnection, developer: Uuid) -> Result<GrowthRules, sqlx::Error> {
    lock_growth(conn, developer).await?;
    rules(conn).await
}

/// The growth rules in force: the newest an admin saved, or the launch rules.
pub async fn rules(conn: &mut PgConnection) -> Result<GrowthRules, sqlx::Error> {
    let saved: Option<sqlx::types::Json<GrowthRules>> = sqlx::query_scalar(
        "SELECT rules FROM growth_rules WHERE effective_from <= app_now() ORDER BY effective_from DESC, id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(saved.map(|json| json.0).unwrap_or_default())
}

/// Saves an admin's growth rules (a new version; the old ones stay as history), in force from
/// `from` ("YYYY-MM-DD", China time; today or empty means now). Rules in force now re-evaluate every
/// level at once and return how many changed; later ones wait for `apply_due_rules`. Points, XP
/// and badges already earned are never taken back.
/// (The save commits before the re-evaluation: if that fails half-way, the rules are in force and
/// the next housekeeping run finishes it; every award in between already uses the new rules.)
pub async fn save_rules(pool: &PgPool, admin: Uuid, rules: &GrowthRules, from: Option<&str>) -> Result<u64, AppError> {
    let mut tx = pool.begin().await?;
    let before = self::rules(&mut tx).await?;
    let effective_now: bool = sqlx::query_scalar(
        "INSERT INTO growth_rules (rules, set_by, effective_from)
         VALUES ($1, $2, greatest(app_now(), coalesce(china_instant(($3::date)::timestamp), app_now())))
         RETURNING effective_from <= app_now()",
    )
    .bind(sqlx::types::Json(rules))
    .bind(admin)
    .bind(from)
    .fetch_one(&mut *tx)
    .await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "growth_rules.save",
            subject: "growth_rules".into(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!({ "rules": rules, "from": from })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    if effective_now {
        apply_due_rules(pool).await
    } else {
        Ok(0)
    }
}

/// Re-evaluates every level when saved rules have reached their time and were not applied yet.
pub async fn apply_due_rules(pool: &PgPool) -> Result<u64, AppError> {
    let due: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM growth_rules WHERE applied_at IS NULL AND effective_from <= app_now()")
            .fetch_all(pool)
            .await?;
    if due.is_empty() {
        return Ok(0);
    }
    let changed = relevel_all(pool).await?;
    sqlx::query("UPDATE growth_rules SET applied_at = app_now() WHERE id = ANY($1)").bind(&due).execute(pool).await?;
    Ok(changed)
}

/// How `proposed` would move today's developers, for the admin to see before saving.
pub async fn preview_rules(
    pool: &PgPool,
    proposed: &GrowthRules,
) -> Result<crate::domain::growth::LevelShift, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let now = rules(&mut conn).await?;
    let rows: Vec<(i32, i32, i32, i64)> = sqlx::query_as(
        "SELECT g.finished_tasks, g.rating_sum, g.rating_count,
                (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0)
         FROM developer_growth g",
    )
    .fetch_all(&mut *conn)
    .await?;
    let records: Vec<Record> = rows
        .into_iter()
        .map(|(finished_tasks, rating_sum, rating_count, skill_breadth)| Record {
            finished_tasks: finished_tasks as i64,
            rating_sum: rating_sum as i64,
            rating_count: rating_count as i64,
            skill_breadth,
        })
        .collect();
    Ok(crate::domain::growth::level_shift(&now, proposed, &records))
}

/// Recomputes every developer's level under the rules in force, 500 developers per transaction,
/// each batch under the developers' growth locks (taken in id order; an award holds only its own
/// developer's lock, so the two cannot deadlock). Returns how many levels changed.
pub async fn relevel_all(pool: &PgPool) -> Result<u64, sqlx::Error> {
    let mut changed = 0;
    let mut after_id = Uuid::nil();
    loop {
        let mut tx = pool.begin().await?;
        let rules = rules(&mut tx).await?;
        // Lock first, then read in a statement of its own: one statement would count skills from
        // before an award it had to wait for.
        let locked: Vec<Uuid> = sqlx::query_scalar(
            "SELECT developer_id FROM developer_growth WHERE developer_id > $1 ORDER BY developer_id LIMIT 500 FOR UPDATE",
        )
        .bind(after_id)
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = locked.last() else { return Ok(changed) };
        after_id = *last;
        type Row = (Uuid, i32, i32, i32, i64, String);
        let batch: Vec<Row> = sqlx::query_as(
            "SELECT g.developer_id, g.finished_tasks, g.rating_sum, g.rating_count,
                    (SELECT count(*) FROM developer_skills s WHERE s.developer_id = g.developer_id AND s.points > 0),
                    g.level
             FROM developer_growth g WHERE g.developer_id = ANY($1)",
        )
        .bind(&locked)
        .fetch_all(&mut *tx)
        .await?;
        let (ids, levels): (Vec<Uuid>, Vec<&'static str>) = batch
            .iter()
            .filter_map(|(id, finished_tasks, rating_sum, rating_count, skill_breadth, stored)| {
                let record = Record {
                    finished_tasks: *finished_tasks as i64,
                    rating_sum: *rating_sum as i64,
                    rating_count: *rating_count as i64,
                    skill_breadth: *skill_breadth,
                };
                let level = rules.level_of(&record).as_str();
                (level != stored).then_some((*id, level))
            })
            .unzip();
        if !ids.is_empty() {
            sqlx::query(
                "UPDATE developer_growth g SET level = l.level, updated_at = app_now()
                 FROM unnest($1::uuid[], $2::text[]) AS l (developer_id, level) WHERE g.developer_id = l.developer_id",
            )
            .bind(&ids)
            .bind(&levels)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        changed += ids.len() as u64;
    }
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

pub(crate) async fn add_growth_points(
    conn: &mut PgConnection,
    developer: Uuid,
    points: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE developer_growth SET growth_points = growth_points + $2, updated_at = app_now() WHERE developer_id = $1",
    )
    .bind(developer)
    .bind(points as i64)
    .execute(conn)
    .await?;
    Ok(())
}

/// A badge as stored: its rule is data.
#[derive(sqlx::FromRow)]
struct BadgeRow {
    id: i32,
    slug: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    rule: sqlx::types::Json<BadgeRule>,
    growth_points: i32,
    earned_at: Option<String>,
}

async fn badges_of(conn: &mut PgConnection, developer: Uuid) -> Result<Vec<BadgeRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT b.id, b.slug, b.name_zh, b.name_en, b.description_zh, b.description_en, b.rule, b.growth_points,
                china_text(d.earned_at, 'YYYY-MM-DD') AS earned_at
         FROM badges b LEFT JOIN developer_badges d ON d.badge_id = b.id AND d.developer_id = $1
         ORDER BY b.id",
    )
    .bind(developer)
    .fetch_all(conn)
    .await
}

/// What the badge rules look at, read from the growth ledger in one statement (one pass over the
/// developer's finished tasks: this runs inside every payout). With `as_of`, the record as it stood
/// then (the record invariants check each badge against the record at its award).
pub(crate) async fn facts(
    conn: &mut PgConnection,
    developer: Uuid,
    as_of: Option<time::OffsetDateTime>,
) -> Result<Facts, sqlx::Error> {
    const DAY: &str = "(china_date(e.created_at) - DATE '1970-01-01')";
    const BY_THEN: &str = "($2::timestamptz IS NULL OR e.created_at <= $2)";
    type Row = (i32, i64, Vec<i32>, Vec<i16>, Vec<i32>, Vec<i16>);
    let (today, skills, check_in_days, difficulties, days, ratings): Row = sqlx::query_as(&format!(
        "SELECT {today},
                CASE WHEN $2::timestamptz IS NULL
                     THEN (SELECT count(*) FROM developer_skills WHERE developer_id = $1 AND points > 0)
                     ELSE (SELECT count(*) FROM (SELECT p.tag_id FROM skill_point_entries p
                                                 JOIN growth_events e ON e.id = p.event_id
                                                 WHERE e.developer_id = $1 AND {BY_THEN}
                                                 GROUP BY p.tag_id HAVING sum(p.points) > 0) held) END,
                ARRAY(SELECT DISTINCT {DAY} AS day FROM growth_events e
                      WHERE e.developer_id = $1 AND e.kind = 'checked_in' AND {BY_THEN} ORDER BY day),
                COALESCE(f.difficulties, '{{}}'), COALESCE(f.days, '{{}}'),
                ARRAY(SELECT r.stars FROM growth_events e JOIN task_ratings r ON r.task_id = e.task_id
                      WHERE e.developer_id = $1 AND e.kind = 'task_completed'
                        AND ($2::timestamptz IS NULL OR r.created_at <= $2)
                      ORDER BY r.created_at, r.task_id)
         FROM (SELECT array_agg(t.difficulty ORDER BY e.id) AS difficulties,
                      array_agg({DAY} ORDER BY e.id) AS days
               FROM growth_events e JOIN tasks t ON t.id = e.task_id
               WHERE e.developer_id = $1 AND e.kind = 'task_completed' AND {BY_THEN}) f",
        today = super::periods::day_number("coalesce($2::timestamptz, app_now())"),
    ))
    .bind(developer)
    .bind(as_of)
    .fetch_one(&mut *conn)
    .await?;
    let finished =
        difficulties.into_iter().zip(days).map(|(difficulty, day)| FinishedTask { difficulty, day }).collect();
    let ratings = ratings.into_iter().map(|stars| stars as u8).collect();
    Ok(Facts { today, finished, check_in_days, skills: skills as u32, ratings })
}

/// Awards every badge whose rule the developer now meets and does not hold yet, each once (its
/// event is keyed by badge and developer), with its growth points. The caller holds the
/// developer's growth lock.
/// `cause` is the finished task whose completion or rating is being awarded, if any: the badge's
/// evidence on verification pages and credentials.
async fn award_badges(conn: &mut PgConnection, developer: Uuid, cause: Option<Uuid>) -> Result<(), AppError> {
    let badges = badges_of(conn, developer).await?;
    // Badges given by challenges are never earned from the record; they need no facts.
    if badges.iter().all(|b| b.earned_at.is_some() || b.rule.0 == BadgeRule::ByChallenge) {
        return Ok(());
    }
    let facts = facts(conn, developer, None).await?;
    for badge in badges.iter().filter(|b| b.earned_at.is_none() && b.rule.0.progress(&facts).earned) {
        grant(conn, developer, badge.id, &badge.slug, badge.growth_points, cause).await?;
    }
    Ok(())
}

/// Gives a badge by its slug (a challenge's reward), once. The caller holds the growth lock.
pub(crate) async fn grant_badge(conn: &mut PgConnection, developer: Uuid, slug: &str) -> Result<(), AppError> {
    let badge: Option<(i32, i32)> = sqlx::query_as("SELECT id, growth_points FROM badges WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    let (id, points) = badge.ok_or(AppError::Internal)?;
    grant(conn, developer, id, slug, points, None).await
}

/// The badge's event (keyed by badge and developer, so a second grant changes nothing), the holding
/// and its growth points.
async fn grant(
    conn: &mut PgConnection,
    developer: Uuid,
    badge: i32,
    slug: &str,
    points: i32,
    cause: Option<Uuid>,
) -> Result<(), AppError> {
    let event: Option<i64> = sqlx::query_scalar(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, growth_points, task_id)
         VALUES ($1, 'badge:' || $2 || ':' || $1, 'badge_earned', 0, $3, $4)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(developer)
    .bind(slug)
    .bind(points)
    .bind(cause)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(event) = event else { return Ok(()) };
    sqlx::query("INSERT INTO developer_badges (developer_id, badge_id, event_id) VALUES ($1, $2, $3)")
        .bind(developer)
        .bind(badge)
        .bind(event)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, task_id, note)
         SELECT $1, 'badge_earned', $3, name_zh || ' · ' || name_en FROM badges WHERE id = $2",
    )
    .bind(developer)
    .bind(badge)
    .bind(cause)
    .execute(&mut *conn)
    .await?;
    add_growth_points(conn, developer, points).await?;
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
    let rules = rules(&mut conn).await?;
    let record = record(&mut conn, developer).await?;
    let (xp, growth_points): (i64, i64) =
        sqlx::query_as("SELECT xp, growth_points FROM developer_growth WHERE developer_id = $1")
            .bind(developer)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default();
    let skills = skills_of(&mut conn, developer).await?;
    let weekly_xp: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT to_char(week, 'MM-DD'), COALESCE(sum(e.xp), 0)::int8
         FROM generate_series(({this_week})::timestamp - interval '11 weeks', ({this_week})::timestamp,
                              interval '1 week') AS week
         LEFT JOIN growth_events e ON e.developer_id = $1 AND {week_of_event} = week::date
         GROUP BY week ORDER BY week",
        this_week = super::periods::window_start(Window::Week, "app_now()"),
        week_of_event = super::periods::window_start(Window::Week, "e.created_at"),
    ))
    .bind(developer)
    .fetch_all(&mut *conn)
    .await?;
    let rank: Option<i64> = sqlx::query_scalar(
        "SELECT 1 + (SELECT count(*) FROM developer_growth o
                     WHERE o.xp > me.xp OR (o.xp = me.xp AND o.developer_id < me.developer_id))
         FROM developer_growth me WHERE me.developer_id = $1 AND me.xp > 0",
    )
    .bind(developer)
    .fetch_optional(&mut *conn)
    .await?;
    let facts = facts(&mut conn, developer, None).await?;
    let badges = badges_of(&mut conn, developer)
        .await?
        .into_iter()
        .map(|b| BadgeView {
            progress: b.rule.0.progress(&facts),
            slug: b.slug,
            name_zh: b.name_zh,
            name_en: b.name_en,
            description_zh: b.description_zh,
            description_en: b.description_en,
            growth_points: b.growth_points,
            earned_at: b.earned_at,
        })
        .collect();
    let check_in_streak = check_in_streak(&facts);
    let challenges = challenges::board(&mut conn, developer).await?;
    let (titles, lottery_entries) = challenges::titles_and_entries(&mut conn, developer).await?;
    let (invite_code, invited): (String, i64) = sqlx::query_as(
        "SELECT u.invite_code, (SELECT count(*) FROM users i WHERE i.invited_by = u.id) FROM users u WHERE u.id = $1",
    )
    .bind(developer)
    .fetch_one(&mut *conn)
    .await?;
    Ok(GrowthPanel {
        challenges,
        titles,
        lottery_entries,
        invite_code,
        invited,
        growth_points,
        badges,
        checked_in_today: facts.check_in_days.last() == Some(&facts.today),
        check_in_streak,
        rank,
        level: rules.level_of(&record),
        xp,
        record,
        next: rules.missing_for_next(&record),
        rules,
        // Filled by the server function, which knows the report months (`db::reports`).
        report_months: Vec::new(),
        skills,
        weekly_xp,
    })
}

/// A developer's skills with points, highest first (at most 40): the growth panel's and the
/// public resume card's.
pub async fn skills_of(conn: &mut PgConnection, developer: Uuid) -> Result<Vec<SkillView>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
        "SELECT t.slug, t.name_zh, t.name_en, s.points, t.branch FROM developer_skills s JOIN skill_tags t ON t.id = s.tag_id
         WHERE s.developer_id = $1 AND s.points > 0 ORDER BY s.points DESC, t.slug LIMIT 40",
    )
    .bind(developer)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name_zh, name_en, points, branch)| SkillView {
            branch: Category::from_slug(&branch).unwrap_or(Category::Other),
            slug,
            name_zh,
            name_en,
            points,
        })
        .collect())
}

/// Adds an admin's badge. Developers who already meet its rule receive it from `backfill_badges`,
/// which the admin API starts right after; everyone else with their next growth event.
pub async fn create_badge(pool: &PgPool, admin: Uuid, badge: &NewBadge) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    insert_badge(&mut tx, admin, badge).await?;
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "badge.create",
            subject: format!("badge:{}", badge.slug),
            before: None,
            after: Some(serde_json::json!({ "rule": badge.rule, "growth_points": badge.growth_points })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a badge; its slug taken is a field error.
pub async fn insert_badge(conn: &mut PgConnection, admin: Uuid, badge: &NewBadge) -> Result<(), AppError> {
    let id: Option<i32> = sqlx::query_scalar(
        "INSERT INTO badges (slug, name_zh, name_en, description_zh, description_en, rule, growth_points, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&badge.slug)
    .bind(&badge.name_zh)
    .bind(&badge.name_en)
    .bind(&badge.description_zh)
    .bind(&badge.description_en)
    .bind(sqlx::types::Json(badge.rule))
    .bind(badge.growth_points)
    .bind(admin)
    .fetch_optional(conn)
    .await?;
    match id {
        Some(_) => Ok(()),
        None => Err(AppError::field(FieldError::new(Field::Slug, Problem::Taken))),
    }
}

/// Gives every developer with a record each badge whose rule they now meet, one developer per
/// transaction (each under its growth lock, so it cannot race a payout's award), in id order.
/// Returns how many badges were given.
pub async fn backfill_badges(pool: &PgPool) -> Result<i64, AppError> {
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM developer_badges").fetch_one(pool).await?;
    let mut after_id = Uuid::nil();
    loop {
        let batch: Vec<Uuid> = sqlx::query_scalar(
            "SELECT developer_id FROM developer_growth WHERE developer_id > $1 ORDER BY developer_id LIMIT 500",
        )
        .bind(after_id)
        .fetch_all(pool)
        .await?;
        let Some(last) = batch.last() else { break };
        after_id = *last;
        for developer in batch {
            let mut tx = pool.begin().await?;
            lock_growth(&mut tx, developer).await?;
            award_badges(&mut tx, developer, None).await?;
            tx.commit().await?;
        }
    }
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM developer_badges").fetch_one(pool).await?;
    Ok(after - before)
}

/// Every badge with its rule and how many developers hold it, oldest first.
pub async fn all_badges(pool: &PgPool) -> Result<Vec<AdminBadge>, sqlx::Error> {
    let rows: Vec<(String, String, String, sqlx::types::Json<BadgeRule>, i32, i64)> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.rule, b.growth_points,
                (SELECT count(*) FROM developer_badges d WHERE d.badge_id = b.id)
         FROM badges b ORDER BY b.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name_zh, name_en, rule, growth_points, holders)| AdminBadge {
            slug,
            name_zh,
            name_en,
            rule: rule.0,
            growth_points,
            holders,
        })
        .collect())
}
