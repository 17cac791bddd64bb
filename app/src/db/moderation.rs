//! Moderation in the database: the review hold at publishing, the block list, users' reports and
//! admins' suspensions. Every admin change is written to the audit log in its own transaction.

use super::audit::{self, Action};
use crate::{
    domain::{
        moderation::{self, Hold},
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::moderation::{ModerationQueue, QueuedTask, UserReport},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Whether `task`, being published by `merchant`, waits for review (see `domain::moderation`).
pub async fn hold_for_review(conn: &mut PgConnection, merchant: Uuid, task: Uuid) -> Result<Option<Hold>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        approved_before: i64,
        text: String,
        blocked: Vec<String>,
    }
    let row: Row = sqlx::query_as(
        "SELECT (SELECT count(*) FROM tasks WHERE merchant_id = $1 AND id <> $2 AND published_at IS NOT NULL
                   AND status NOT IN ('pending_review', 'rejected')) AS approved_before,
                (SELECT title || ' ' || description FROM tasks WHERE id = $2) AS text,
                (SELECT coalesce(array_agg(word), '{}') FROM blocked_words) AS blocked",
    )
    .bind(merchant)
    .bind(task)
    .fetch_one(conn)
    .await?;
    Ok(moderation::hold_for_review(row.approved_before as u32, &row.text, &row.blocked))
}

pub async fn queue(pool: &PgPool) -> Result<ModerationQueue, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct TaskRow {
        id: Uuid,
        title: String,
        display_name: String,
        reward_fen: i64,
        status: String,
        moderation_note: String,
        published: String,
    }
    #[derive(sqlx::FromRow)]
    struct ReportRow {
        id: i64,
        reporter: String,
        task_id: Option<Uuid>,
        task_title: Option<String>,
        user_id: Option<Uuid>,
        user_name: Option<String>,
        reason: String,
        at: String,
    }
    let tasks: Vec<TaskRow> = sqlx::query_as(
        "SELECT t.id, t.title, u.display_name, t.reward_fen, t.status, t.moderation_note,
                china_text(t.published_at, 'YYYY-MM-DD HH24:MI') AS published
         FROM tasks t JOIN users u ON u.id = t.merchant_id
         WHERE t.status = 'pending_review' ORDER BY t.published_at LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    let reports: Vec<ReportRow> = sqlx::query_as(
        "SELECT r.id, reporter.display_name AS reporter, r.task_id, t.title AS task_title,
                coalesce(r.user_id, t.merchant_id) AS user_id,
                coalesce(reported.display_name, owner.display_name) AS user_name, r.reason,
                china_text(r.created_at, 'YYYY-MM-DD HH24:MI') AS at
         FROM reports r
         JOIN users reporter ON reporter.id = r.reporter_id
         LEFT JOIN tasks t ON t.id = r.task_id
         LEFT JOIN users owner ON owner.id = t.merchant_id
         LEFT JOIN users reported ON reported.id = r.user_id
         WHERE r.resolved_at IS NULL ORDER BY r.created_at LIMIT 100",
    )
    .fetch_all(pool)
    .await?;
    let blocked_words = sqlx::query_scalar("SELECT word FROM blocked_words ORDER BY word").fetch_all(pool).await?;
    Ok(ModerationQueue {
        tasks: tasks
            .into_iter()
            .map(|row| QueuedTask {
                id: row.id,
                title: row.title,
                merchant: row.display_name,
                reward: crate::domain::money::Money::from_fen(row.reward_fen),
                status: row.status,
                hold: Hold::from_note(&row.moderation_note),
                published: row.published,
            })
            .collect(),
        reports: reports
            .into_iter()
            .map(|row| UserReport {
                id: row.id,
                reporter: row.reporter,
                task_id: row.task_id,
                task_title: row.task_title,
                user_id: row.user_id,
                user_name: row.user_name,
                reason: row.reason,
                at: row.at,
            })
            .collect(),
        blocked_words,
    })
}

/// A user reports a task or another user. A second report of the same subject by the same user
/// while the first is open is accepted and changes nothing.
pub async fn report(
    pool: &PgPool,
    reporter: Uuid,
    task: Option<Uuid>,
    user: Option<Uuid>,
    reason: &str,
) -> Result<(), AppError> {
    if user == Some(reporter) {
        return Err(AppError::Forbidden);
    }
    sqlx::query(
        "INSERT INTO reports (reporter_id, task_id, user_id, reason)
         SELECT $1, $2, $3, $4
         WHERE ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM tasks WHERE id = $2 AND status <> 'draft'))
           AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = $3))
         ON CONFLICT DO NOTHING",
    )
    .bind(reporter)
    .bind(task)
    .bind(user)
    .bind(reason)
    .execute(pool)
    .await?;
    Ok(())
}

/// Closes a report with what the admin did about it (the action itself has its own entry).
pub async fn resolve_report(pool: &PgPool, admin: Uuid, id: i64, outcome: &str) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let resolved = sqlx::query(
        "UPDATE reports SET resolved_by = $2, resolved_at = app_now(), outcome = $3 WHERE id = $1 AND resolved_at IS NULL",
    )
    .bind(id)
    .bind(admin)
    .bind(outcome)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if resolved == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "report.resolve",
            subject: format!("report:{id}"),
            before: None,
            after: Some(serde_json::json!({ "outcome": outcome })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Suspends `user` for `days`: they can still log in and withdraw, but not post or apply.
pub async fn suspend(pool: &PgPool, admin: Uuid, user: Uuid, days: u32, reason: &str) -> Result<(), AppError> {
    if !moderation::SUSPENSION_DAYS.contains(&days) {
        return Err(AppError::field(FieldError::new(Field::Days, Problem::NotAllowed)));
    }
    let mut tx = pool.begin().await?;
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1 FOR UPDATE")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    match role.as_deref() {
        None => return Err(AppError::NotFound),
        Some("admin") => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    let until: String = sqlx::query_scalar(
        "INSERT INTO restrictions (user_id, reason, count, ends_at, note)
         VALUES ($1, 'suspended', $2, app_now() + make_interval(days => $2), $3)
         RETURNING china_text(ends_at, 'YYYY-MM-DD HH24:MI')",
    )
    .bind(user)
    .bind(days as i32)
    .bind(reason)
    .fetch_one(&mut *tx)
    .await?;
    super::notifications::notify(&mut tx, user, "suspended", None, reason).await?;
    audit::record(
        &mut tx,
        Action {
            admin,
            action: "user.suspend",
            subject: format!("user:{user}"),
            before: None,
            after: Some(serde_json::json!({ "days": days, "until": until })),
            reason,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a word to the block list (or removes it), audited.
pub async fn set_blocked_word(pool: &PgPool, admin: Uuid, word: &str, blocked: bool) -> Result<(), AppError> {
    let word = moderation::normalise_blocked_word(word)
        .ok_or_else(|| AppError::field(FieldError::new(Field::Word, Problem::Required)))?;
    let mut tx = pool.begin().await?;
    let changed = if blocked {
        sqlx::query("INSERT INTO blocked_words (word, added_by) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&word)
            .bind(admin)
            .execute(&mut *tx)
            .await?
    } else {
        sqlx::query("DELETE FROM blocked_words WHERE word = $1").bind(&word).execute(&mut *tx).await?
    }
    .rows_affected();
    if changed > 0 {
        audit::record(
            &mut tx,
            Action {
                admin,
                action: if blocked { "blocklist.add" } else { "blocklist.remove" },
                subject: format!("word:{word}"),
                before: None,
                after: None,
                reason: "",
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
