//! Badges: the catalogue (built-in and admins' own), the facts a badge rule is judged on, and
//! granting each badge once, with its growth points.

use super::points::{add_growth_points, lock_growth};
use crate::{
    domain::{
        badges::{BadgeRule, Facts, FinishedTask, NewBadge},
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::admin::AdminBadge,
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// A badge as stored: its rule is data.
#[derive(sqlx::FromRow)]
pub(crate) struct BadgeRow {
    pub(crate) id: i32,
    pub(crate) slug: String,
    pub(crate) name_zh: String,
    pub(crate) name_en: String,
    pub(crate) description_zh: String,
    pub(crate) description_en: String,
    pub(crate) rule: sqlx::types::Json<BadgeRule>,
    pub(crate) growth_points: i32,
    pub(crate) earned_at: Option<String>,
}

pub(crate) async fn badges_of(conn: &mut PgConnection, developer: Uuid) -> Result<Vec<BadgeRow>, sqlx::Error> {
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
    #[derive(sqlx::FromRow)]
    struct Row {
        today: i32,
        skills: i64,
        check_in_days: Vec<i32>,
        difficulties: Vec<i16>,
        days: Vec<i32>,
        ratings: Vec<i16>,
    }
    let row: Row = sqlx::query_as(&format!(
        "SELECT {today} AS today,
                CASE WHEN $2::timestamptz IS NULL
                     THEN (SELECT count(*) FROM developer_skills WHERE developer_id = $1 AND points > 0)
                     ELSE (SELECT count(*) FROM (SELECT p.tag_id FROM skill_point_entries p
                                                 JOIN growth_events e ON e.id = p.event_id
                                                 WHERE e.developer_id = $1 AND {BY_THEN}
                                                 GROUP BY p.tag_id HAVING sum(p.points) > 0) held) END AS skills,
                ARRAY(SELECT DISTINCT {DAY} AS day FROM growth_events e
                      WHERE e.developer_id = $1 AND e.kind = 'checked_in' AND {BY_THEN} ORDER BY day) AS check_in_days,
                COALESCE(f.difficulties, '{{}}') AS difficulties, COALESCE(f.days, '{{}}') AS days,
                ARRAY(SELECT r.stars FROM growth_events e JOIN task_ratings r ON r.task_id = e.task_id
                      WHERE e.developer_id = $1 AND e.kind = 'task_completed'
                        AND ($2::timestamptz IS NULL OR r.created_at <= $2)
                      ORDER BY r.created_at, r.task_id) AS ratings
         FROM (SELECT array_agg(t.difficulty ORDER BY e.id) AS difficulties,
                      array_agg({DAY} ORDER BY e.id) AS days
               FROM growth_events e JOIN tasks t ON t.id = e.task_id
               WHERE e.developer_id = $1 AND e.kind = 'task_completed' AND {BY_THEN}) f",
        today = crate::db::periods::day_number("coalesce($2::timestamptz, app_now())"),
    ))
    .bind(developer)
    .bind(as_of)
    .fetch_one(&mut *conn)
    .await?;
    let finished =
        row.difficulties.into_iter().zip(row.days).map(|(difficulty, day)| FinishedTask { difficulty, day }).collect();
    let ratings = row.ratings.into_iter().map(|stars| stars as u8).collect();
    Ok(Facts { today: row.today, finished, check_in_days: row.check_in_days, skills: row.skills as u32, ratings })
}

/// Awards every badge whose rule the developer now meets and does not hold yet, each once (its
/// event is keyed by badge and developer), with its growth points. The caller holds the
/// developer's growth lock.
/// `cause` is the finished task whose completion or rating is being awarded, if any: the badge's
/// evidence on verification pages and credentials.
pub(super) async fn award_badges(
    conn: &mut PgConnection,
    developer: Uuid,
    cause: Option<Uuid>,
) -> Result<(), AppError> {
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

/// Adds an admin's badge. Developers who already meet its rule receive it from `backfill_badges`,
/// which the admin API starts right after; everyone else with their next growth event.
pub async fn create_badge(pool: &PgPool, admin: Uuid, badge: &NewBadge) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    insert_badge(&mut tx, admin, badge).await?;
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Action {
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
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name_zh: String,
        name_en: String,
        rule: sqlx::types::Json<BadgeRule>,
        growth_points: i32,
        holders: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.slug, b.name_zh, b.name_en, b.rule, b.growth_points,
                (SELECT count(*) FROM developer_badges d WHERE d.badge_id = b.id) AS holders
         FROM badges b ORDER BY b.id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AdminBadge {
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
            rule: row.rule.0,
            growth_points: row.growth_points,
            holders: row.holders,
        })
        .collect())
}
