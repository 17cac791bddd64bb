//! A user's record as the credit score reads it, and the restrictions the rule imposes. The rules
//! themselves are in `domain::credit`.

use crate::{
    domain::credit::{
        credit_score, restriction, CreditScore, RecentConduct, Record, RestrictionReason, BAD_REVIEWS_WINDOW_DAYS,
        DISPUTES_WINDOW_DAYS, RESTRICTION_DAYS,
    },
    error::AppError,
    views::trust::{ActiveRestriction, RestrictedUser},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Disputes `user` (an SQL expression: a bind or a column) lost: settled with less than half of
/// the disputed amount to their side.
fn disputes_lost(user: &str) -> String {
    format!(
        "SELECT d.settled_at FROM disputes d
         JOIN milestones m ON m.id = d.milestone_id JOIN tasks t ON t.id = m.task_id
         WHERE d.settled_at IS NOT NULL
           AND ((t.developer_id = {user} AND d.developer_share_fen * 2 < m.amount_fen)
             OR (t.merchant_id = {user} AND d.developer_share_fen * 2 > m.amount_fen))"
    )
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    id: Uuid,
    reviews: i64,
    review_stars: i64,
    completed: i64,
    cancelled_by_them: i64,
    disputes_lost: i64,
    response_rate: Option<i32>,
}

impl RecordRow {
    fn into_record(self) -> (Uuid, Record) {
        let record = Record {
            reviews: self.reviews as u32,
            review_stars: self.review_stars as u32,
            completed: self.completed as u32,
            cancelled_by_them: self.cancelled_by_them as u32,
            disputes_lost: self.disputes_lost as u32,
            response_rate: self.response_rate.map(|r| r.clamp(0, 100) as u8),
        };
        (self.id, record)
    }
}

pub async fn record(conn: &mut PgConnection, user: Uuid) -> Result<Record, sqlx::Error> {
    Ok(records(conn, &[user]).await?.pop().map(|(_, record)| record).unwrap_or_default())
}

/// Several users' records in one statement (the applicants on a task page), in the order given.
pub async fn records(conn: &mut PgConnection, users: &[Uuid]) -> Result<Vec<(Uuid, Record)>, sqlx::Error> {
    // The user's role is read once, by the join below, for both counts that depend on it.
    let (user, role) = ("x.id", "u.role");
    let rows: Vec<RecordRow> = sqlx::query_as(&format!(
        "SELECT x.id,
            (SELECT count(*) FROM reviews WHERE subject_id = {user} AND revealed_at IS NOT NULL) AS reviews,
            (SELECT coalesce(sum(overall), 0)::int8 FROM reviews WHERE subject_id = {user} AND revealed_at IS NOT NULL)
                AS review_stars,
            -- By role, not `developer_id = x OR merchant_id = x`: each branch reads its own index
            -- (with OR, one merchant with many tasks made every user's count scan the table).
            CASE {role}
                WHEN 'merchant' THEN (SELECT count(*) FROM tasks WHERE merchant_id = {user} AND status = 'completed')
                ELSE (SELECT count(*) FROM tasks WHERE developer_id = {user} AND status = 'completed')
            END AS completed,
            (SELECT count(*) FROM task_events e JOIN tasks t ON t.id = e.task_id
              WHERE e.kind = 'cancel_proposed' AND e.actor_id = {user} AND t.status = 'cancelled') AS cancelled_by_them,
            (SELECT count(*) FROM ({disputes}) lost) AS disputes_lost,
            {response} AS response_rate
         FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, position)
         LEFT JOIN users u ON u.id = x.id
         ORDER BY x.position",
        disputes = disputes_lost(user),
        response = response_rate(user, role),
    ))
    .bind(users)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(RecordRow::into_record).collect())
}

/// A merchant's share of applications answered within 48 hours; a developer's share of task
/// conversations where the merchant wrote and the developer answered within 24 hours. `role` is
/// the user's role as the statement has it.
fn response_rate(user: &str, role: &str) -> String {
    format!(
        "CASE {role}
    WHEN 'merchant' THEN (
        SELECT (100 * count(*) FILTER (WHERE a.status <> 'expired') / nullif(count(*), 0))::int4
        FROM applications a JOIN tasks t ON t.id = a.task_id
        WHERE t.merchant_id = {user} AND a.status <> 'withdrawn' AND (a.status <> 'pending' OR a.respond_by < app_now()))
    ELSE (
        SELECT (100 * count(*) FILTER (WHERE answered) / nullif(count(*), 0))::int4
        FROM (SELECT EXISTS (
                  SELECT 1 FROM task_messages r
                  WHERE r.task_id = first.task_id AND r.developer_id = {user} AND r.author_id = {user}
                    AND r.created_at > first.created_at AND r.created_at <= first.created_at + interval '24 hours'
              ) AS answered
              FROM (SELECT DISTINCT ON (m.task_id) m.task_id, m.created_at
                    FROM task_messages m
                    WHERE m.developer_id = {user} AND m.author_id <> {user} AND m.created_at < app_now() - interval '24 hours'
                    ORDER BY m.task_id, m.created_at) first) answers)
    END"
    )
}

pub async fn score(pool: &PgPool, user: Uuid) -> Result<CreditScore, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    Ok(credit_score(record(&mut conn, user).await?))
}

/// The restriction in force on `user`, if any.
pub async fn active_restriction(conn: &mut PgConnection, user: Uuid) -> Result<Option<ActiveRestriction>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        reason: String,
        count: i32,
        until: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT reason, count, china_text(ends_at, 'YYYY-MM-DD') AS until FROM restrictions
         WHERE user_id = $1 AND lifted_at IS NULL AND ends_at > app_now()
         ORDER BY starts_at DESC LIMIT 1",
    )
    .bind(user)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|row| {
        RestrictionReason::from_parts(&row.reason, row.count as u32)
            .map(|reason| ActiveRestriction { reason, until: row.until })
    }))
}

/// Refuses with the reason and end date when `user` is restricted.
pub async fn ensure_unrestricted(conn: &mut PgConnection, user: Uuid) -> Result<(), AppError> {
    match active_restriction(conn, user).await? {
        Some(ActiveRestriction { reason, until }) => Err(AppError::Restricted { reason, until }),
        None => Ok(()),
    }
}

/// Re-reads `user`'s recent conduct after a review was revealed or a dispute settled, and imposes a
/// restriction when the rule says so and none is in force. Conduct an admin already forgave (before
/// the last lift) is not counted again.
pub async fn refresh_restriction(
    conn: &mut PgConnection,
    user: Uuid,
) -> Result<Option<RestrictionReason>, sqlx::Error> {
    if active_restriction(conn, user).await?.is_some() {
        return Ok(None);
    }
    let (bad_reviews, disputes_lost): (i64, i64) = sqlx::query_as(&format!(
        "WITH forgiven AS (SELECT coalesce(max(lifted_at), '-infinity') AS at FROM restrictions WHERE user_id = $1)
         SELECT
            (SELECT count(*) FROM reviews, forgiven WHERE subject_id = $1 AND revealed_at IS NOT NULL AND overall <= 2
               AND revealed_at > greatest(app_now() - make_interval(days => $2), forgiven.at)),
            (SELECT count(*) FROM ({disputes}) lost, forgiven
               WHERE lost.settled_at > greatest(app_now() - make_interval(days => $3), forgiven.at))",
        disputes = disputes_lost("$1"),
    ))
    .bind(user)
    .bind(BAD_REVIEWS_WINDOW_DAYS as i32)
    .bind(DISPUTES_WINDOW_DAYS as i32)
    .fetch_one(&mut *conn)
    .await?;
    let conduct = RecentConduct { bad_reviews: bad_reviews as u32, disputes_lost: disputes_lost as u32 };
    let Some(reason) = restriction(conduct) else { return Ok(None) };
    sqlx::query(
        "INSERT INTO restrictions (user_id, reason, count, ends_at) VALUES ($1, $2, $3, app_now() + make_interval(days => $4))",
    )
    .bind(user)
    .bind(reason.as_str())
    .bind(reason.count() as i32)
    .bind(RESTRICTION_DAYS as i32)
    .execute(&mut *conn)
    .await?;
    super::notifications::notify(conn, user, "restricted", None, reason.as_str()).await?;
    Ok(Some(reason))
}

/// An admin lifts `user`'s restriction now. False when none was in force.
pub async fn lift(pool: &PgPool, admin: Uuid, user: Uuid) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let lifted: Vec<String> = sqlx::query_scalar(
        "UPDATE restrictions SET lifted_at = app_now(), lifted_by = $2
         WHERE user_id = $1 AND lifted_at IS NULL AND ends_at > app_now() RETURNING reason",
    )
    .bind(user)
    .bind(admin)
    .fetch_all(&mut *tx)
    .await?;
    if lifted.is_empty() {
        return Ok(false);
    }
    super::audit::record(
        &mut tx,
        super::audit::Action {
            admin,
            action: "restriction.lift",
            subject: format!("user:{user}"),
            before: Some(serde_json::json!({ "restrictions": lifted })),
            after: None,
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

pub async fn restricted_users(pool: &PgPool) -> Result<Vec<RestrictedUser>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        display_name: String,
        role: String,
        reason: String,
        count: i32,
        until: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.role, r.reason, r.count,
                china_text(r.ends_at, 'YYYY-MM-DD') AS until
         FROM restrictions r JOIN users u ON u.id = r.user_id
         WHERE r.lifted_at IS NULL AND r.ends_at > app_now()
         ORDER BY r.starts_at DESC LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let reason = RestrictionReason::from_parts(&row.reason, row.count as u32)?;
            Some(RestrictedUser {
                user_id: row.id,
                display_name: row.display_name,
                role: row.role,
                restriction: ActiveRestriction { reason, until: row.until },
            })
        })
        .collect())
}
