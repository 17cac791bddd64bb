//! Challenges in the database: activities recorded as growth events, the challenges each one
//! completes, and the challenge board on the growth panel. Everything runs inside the caller's
//! transaction, under the developer's growth lock, so two concurrent activities cannot both
//! complete the same challenge window (its completion is keyed, too).

use crate::{
    db::{
        growth::{
            badges::grant_badge,
            points::{add_growth_points, lock_growth},
        },
        mall::tickets_this_month,
        THIS_MONTH,
    },
    domain::challenges::{Activity, ChallengeRule, Window},
    error::AppError,
    views::growth::{ChallengeView, Reward},
};
use sqlx::{types::Json, PgConnection};
use uuid::Uuid;

/// Records that the developer did `activity` (once per `key`: "hall:<developer>:<day>",
/// "applied:<application>", ...) and completes the challenges it finishes. Returns false when the
/// key was already recorded, having changed nothing.
pub async fn record_activity(
    conn: &mut PgConnection,
    developer: Uuid,
    activity: Activity,
    key: &str,
) -> Result<bool, AppError> {
    // Cheap refusal first: the hall records a visit on every page view of a logged-in developer.
    let seen: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM growth_events WHERE idempotency_key = $1)")
        .bind(key)
        .fetch_one(&mut *conn)
        .await?;
    if seen {
        return Ok(false);
    }
    lock_growth(conn, developer).await?;
    let inserted = sqlx::query(
        "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp) VALUES ($1, $2, $3, 0)
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(developer)
    .bind(key)
    .bind(activity.event_kind())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(false);
    }
    complete_challenges(conn, developer, activity).await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct ChallengeRow {
    id: i32,
    slug: String,
    name_zh: String,
    name_en: String,
    description_zh: String,
    description_en: String,
    rule: Json<ChallengeRule>,
    growth_points: i32,
    badge_slug: Option<String>,
    title_zh: Option<String>,
    title_en: Option<String>,
    lottery_entries: i32,
    /// Only for growth-pass holders, and the developer holds no pass now.
    locked: bool,
    advanced: bool,
    today: i32,
    joined: i32,
    /// Window starts this developer already completed, in the last 31 days.
    completed: Vec<i32>,
}

impl ChallengeRow {
    /// The open window, and whether it is already completed.
    fn window(&self) -> Option<(Window, bool)> {
        let window = self.rule.0.window(self.today, self.joined)?;
        Some((window, self.completed.contains(&window.start)))
    }
}

/// Active challenges (those counting `activity`, or all), with the developer's day of joining and
/// recent completions.
async fn challenges(
    conn: &mut PgConnection,
    developer: Uuid,
    activity: Option<Activity>,
) -> Result<Vec<ChallengeRow>, sqlx::Error> {
    let holds_pass = super::membership::holds_plan_sql("u.id", "'growth_pass'");
    let today = super::periods::day_number("app_now()");
    sqlx::query_as(&format!(
        "SELECT c.id, c.slug, c.name_zh, c.name_en, c.description_zh, c.description_en, c.rule, c.growth_points,
                c.badge_slug, c.title_zh, c.title_en, c.lottery_entries, c.advanced,
                c.advanced AND NOT {holds_pass} AS locked,
                {today}::int4 AS today,
                (china_date(u.created_at) - DATE '1970-01-01')::int4 AS joined,
                ARRAY(SELECT d.window_start FROM developer_challenges d
                      WHERE d.developer_id = u.id AND d.challenge_id = c.id AND d.window_start >= {today} - 31)
                    AS completed
         FROM challenges c, users u
         WHERE u.id = $1 AND c.active
           AND ($2::text IS NULL OR c.rule -> 'goals' @> jsonb_build_array(jsonb_build_object('activity', $2::text)))
         ORDER BY c.id"
    ))
    .bind(developer)
    .bind(activity.map(Activity::as_str))
    .fetch_all(conn)
    .await
}

/// (activity, day) for every counted activity since `since` (a day number).
async fn activity_days(
    conn: &mut PgConnection,
    developer: Uuid,
    since: i32,
) -> Result<Vec<(Activity, i32)>, sqlx::Error> {
    let kinds: Vec<&str> = Activity::ALL.iter().map(|a| a.event_kind()).collect();
    let rows: Vec<(String, i32)> = sqlx::query_as(
        "SELECT kind, (china_date(created_at) - DATE '1970-01-01')::int4
         FROM growth_events
         WHERE developer_id = $1 AND kind = ANY($2)
           AND created_at >= china_instant((DATE '1970-01-01' + $3::int4)::timestamp)",
    )
    .bind(developer)
    .bind(&kinds)
    .bind(since)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(|(kind, day)| Some((Activity::from_event_kind(&kind)?, day))).collect())
}

/// Completes every open challenge that counts `activity` and is now done. The caller holds the
/// developer's growth lock and has just written the activity's event.
pub(crate) async fn complete_challenges(
    conn: &mut PgConnection,
    developer: Uuid,
    activity: Activity,
) -> Result<(), AppError> {
    let open: Vec<(ChallengeRow, Window)> = challenges(conn, developer, Some(activity))
        .await?
        .into_iter()
        .filter_map(|row| match row.window() {
            // An advanced challenge counts nothing for a developer without the growth pass.
            Some((window, false)) if !row.locked => Some((row, window)),
            _ => None,
        })
        .collect();
    let Some(since) = open.iter().map(|(_, w)| w.start).min() else {
        return Ok(());
    };
    let days = activity_days(conn, developer, since).await?;
    for (row, window) in open {
        let rule = &row.rule.0;
        if !rule.is_done(&rule.progress(window, &days)) {
            continue;
        }
        let event: Option<i64> = sqlx::query_scalar(
            "INSERT INTO growth_events (developer_id, idempotency_key, kind, xp, growth_points)
             VALUES ($1, 'challenge:' || $2 || ':' || $3 || ':' || $1, 'challenge_completed', 0, $4)
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(developer)
        .bind(&row.slug)
        .bind(window.start.to_string())
        .bind(row.growth_points)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(event) = event else { continue };
        sqlx::query(
            "INSERT INTO developer_challenges (developer_id, challenge_id, window_start, event_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(developer)
        .bind(row.id)
        .bind(window.start)
        .bind(event)
        .execute(&mut *conn)
        .await?;
        add_growth_points(conn, developer, row.growth_points).await?;
        if let Some(badge) = &row.badge_slug {
            grant_badge(conn, developer, badge).await?;
        }
    }
    Ok(())
}

/// The challenges open to the developer now, each with its progress, for the growth panel.
pub async fn board(conn: &mut PgConnection, developer: Uuid) -> Result<Vec<ChallengeView>, sqlx::Error> {
    let open: Vec<(ChallengeRow, Window, bool)> = challenges(conn, developer, None)
        .await?
        .into_iter()
        .filter_map(|row| row.window().map(|(window, done)| (row, window, done)))
        .collect();
    let Some(since) = open.iter().map(|(_, w, _)| w.start).min() else {
        return Ok(Vec::new());
    };
    let days = activity_days(conn, developer, since).await?;
    Ok(open
        .into_iter()
        .map(|(row, window, done)| ChallengeView {
            goals: row.rule.0.progress(window, &days),
            cadence: row.rule.0.cadence,
            any_of: row.rule.0.any_of,
            done,
            advanced: row.advanced,
            locked: row.locked,
            days_left: window.days_left(row.today),
            reward: Reward {
                growth_points: row.growth_points,
                badge: row.badge_slug,
                title_zh: row.title_zh,
                title_en: row.title_en,
                lottery_entries: row.lottery_entries,
            },
            slug: row.slug,
            name_zh: row.name_zh,
            name_en: row.name_en,
            description_zh: row.description_zh,
            description_en: row.description_en,
        })
        .collect())
}

/// Titles earned from challenges ((zh, en), oldest first) and this month's lottery entries: those
/// challenges gave, and draw tickets bought in the points mall.
pub async fn titles_and_entries(
    conn: &mut PgConnection,
    developer: Uuid,
) -> Result<(Vec<(String, String)>, i64), sqlx::Error> {
    let titles: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.title_zh, c.title_en FROM developer_challenges d JOIN challenges c ON c.id = d.challenge_id
         WHERE d.developer_id = $1 AND c.title_zh IS NOT NULL AND c.title_en IS NOT NULL
         GROUP BY c.id ORDER BY min(d.completed_at)",
    )
    .bind(developer)
    .fetch_all(&mut *conn)
    .await?;
    let from_challenges: i64 = sqlx::query_scalar(&format!(
        "SELECT COALESCE(sum(c.lottery_entries), 0)::int8 FROM developer_challenges d
         JOIN challenges c ON c.id = d.challenge_id
         WHERE d.developer_id = $1 AND d.completed_at >= {THIS_MONTH}"
    ))
    .bind(developer)
    .fetch_one(&mut *conn)
    .await?;
    Ok((titles, from_challenges + tickets_this_month(conn, developer).await?))
}
