//! Mutual reviews in the database: writing (and rewriting while hidden), the double-blind reveal,
//! the one public reply, and what each reader may see. The rules are in `domain::reviews`.
//!
//! The merchant's review of the developer also becomes the task's rating (`task_ratings`) and moves
//! the developer's growth, but only at the reveal: awarding it earlier would show the developer their
//! rating through their points before they have written their own review.

use super::{credit, growth};
use crate::domain::lifecycle::Refusal;
use crate::{
    domain::{
        growth::Stars,
        notifications::NoticeKind,
        public_page::public_page_of,
        reviews::{check_reply, Pair, ReviewForm, Scores, Subject, REVEAL_AFTER_DAYS},
    },
    error::AppError,
    views::reviews::{ReviewView, TaskReviews},
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// When the task completed: its last `completed` event.
const COMPLETED: &str = "(SELECT max(created_at) FROM task_events WHERE task_id = t.id AND kind = 'completed')";

struct Parties {
    merchant: Uuid,
    developer: Uuid,
    completed: bool,
}

async fn lock_parties(conn: &mut PgConnection, task: Uuid) -> Result<Parties, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        merchant_id: Uuid,
        developer_id: Option<Uuid>,
        status: String,
    }
    let row: Option<Row> =
        sqlx::query_as("SELECT merchant_id, developer_id, status FROM tasks WHERE id = $1 FOR UPDATE")
            .bind(task)
            .fetch_optional(&mut *conn)
            .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let developer = row.developer_id.ok_or(Refusal::WrongState)?;
    Ok(Parties { merchant: row.merchant_id, developer, completed: row.status == "completed" })
}

/// `author` writes (or, while it is hidden, rewrites) their review of the other party. The second
/// review reveals both in the same transaction.
pub async fn write(pool: &PgPool, author: Uuid, task: Uuid, form: &ReviewForm) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let parties = lock_parties(&mut tx, task).await?;
    let (subject, subject_id) = if author == parties.merchant {
        (Subject::Developer, parties.developer)
    } else if author == parties.developer {
        (Subject::Merchant, parties.merchant)
    } else {
        return Err(AppError::Forbidden);
    };
    if !parties.completed {
        return Err(Refusal::WrongState.into());
    }
    let pair = pair_for(&mut tx, task, author).await?;
    if !pair.can_write() {
        return Err(Refusal::WrongState.into());
    }
    sqlx::query(&format!(
        "INSERT INTO reviews (task_id, author_id, subject_id, subject, scores, overall, body, reveal_due)
         SELECT $1, $2, $3, $4, $5, $6, $7, {COMPLETED} + make_interval(days => $8) FROM tasks t WHERE t.id = $1
         ON CONFLICT (task_id, author_id) DO UPDATE
             SET scores = EXCLUDED.scores, overall = EXCLUDED.overall, body = EXCLUDED.body, written_at = app_now()"
    ))
    .bind(task)
    .bind(author)
    .bind(subject_id)
    .bind(subject.as_str())
    .bind(form.scores.0.map(i16::from).to_vec())
    .bind(form.scores.overall().get() as i16)
    .bind(&form.body)
    .bind(REVEAL_AFTER_DAYS as i32)
    .execute(&mut *tx)
    .await?;
    super::notifications::answered(&mut tx, Some(author), task, &[NoticeKind::ReviewWaiting]).await?;
    if pair.theirs_written {
        reveal(&mut tx, task).await?;
    } else if !pair.mine_written {
        // The other side learns a review awaits them (not what it says).
        notify(&mut tx, subject_id, "review_waiting", task).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn pair_for(conn: &mut PgConnection, task: Uuid, user: Uuid) -> Result<Pair, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        mine_written: bool,
        theirs_written: bool,
        days_since_completion: Option<i64>,
        already_revealed: bool,
    }
    let row: Row = sqlx::query_as(&format!(
        "SELECT EXISTS (SELECT 1 FROM reviews WHERE task_id = $1 AND author_id = $2) AS mine_written,
                EXISTS (SELECT 1 FROM reviews WHERE task_id = $1 AND subject_id = $2) AS theirs_written,
                (SELECT extract(day FROM app_now() - {COMPLETED})::int8 FROM tasks t WHERE t.id = $1)
                    AS days_since_completion,
                EXISTS (SELECT 1 FROM reviews WHERE task_id = $1 AND revealed_at IS NOT NULL) AS already_revealed"
    ))
    .bind(task)
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok(Pair {
        mine_written: row.mine_written,
        theirs_written: row.theirs_written,
        days_since_completion: row.days_since_completion.unwrap_or(0),
        already_revealed: row.already_revealed,
    })
}

/// Reveals a task's reviews (the task row is locked by the caller): the merchant's review becomes
/// the task's rating and moves the developer's growth, both sides are told, and each subject's
/// standing is re-read for the restriction rule.
async fn reveal(conn: &mut PgConnection, task: Uuid) -> Result<(), AppError> {
    // Revealed, the reviews are final: no review is still awaited from either side.
    super::notifications::answered(conn, None, task, &[NoticeKind::ReviewWaiting]).await?;
    #[derive(sqlx::FromRow)]
    struct Revealed {
        author_id: Uuid,
        subject_id: Uuid,
        subject: String,
        overall: i16,
        body: String,
    }
    let revealed: Vec<Revealed> = sqlx::query_as(
        "UPDATE reviews SET revealed_at = app_now() WHERE task_id = $1 AND revealed_at IS NULL
         RETURNING author_id, subject_id, subject, overall, body",
    )
    .bind(task)
    .fetch_all(&mut *conn)
    .await?;
    for Revealed { author_id: author, subject_id, subject, overall, body } in &revealed {
        if Subject::parse(subject) == Some(Subject::Developer) {
            let stars = Stars::new(*overall as u8).ok_or(AppError::Internal)?;
            let rated = sqlx::query(
                "INSERT INTO task_ratings (task_id, merchant_id, developer_id, stars, comment) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (task_id) DO NOTHING",
            )
            .bind(task)
            .bind(author)
            .bind(subject_id)
            .bind(*overall)
            .bind(body)
            .execute(&mut *conn)
            .await?
            .rows_affected();
            if rated > 0 && !super::abuse::rewards_held(&mut *conn, task).await? {
                growth::award_rating(&mut *conn, task, *subject_id, stars).await?;
            }
            sqlx::query("INSERT INTO task_events (task_id, actor_id, kind, note) VALUES ($1, $2, 'rated', $3)")
                .bind(task)
                .bind(author)
                .bind(format!("{}★ {body}", stars.get()))
                .execute(&mut *conn)
                .await?;
        }
        notify(&mut *conn, *subject_id, "review_revealed", task).await?;
        credit::refresh_restriction(&mut *conn, *subject_id).await?;
    }
    Ok(())
}

async fn notify(conn: &mut PgConnection, user: Uuid, kind: &str, task: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO notifications (user_id, kind, task_id) VALUES ($1, $2, $3)")
        .bind(user)
        .bind(kind)
        .bind(task)
        .execute(conn)
        .await?;
    Ok(())
}

/// Reveals the reviews whose window has closed with only one side written. Run by the server's
/// housekeeping; returns how many tasks it revealed.
pub async fn reveal_due(pool: &PgPool) -> Result<u64, AppError> {
    let due: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT task_id FROM reviews WHERE revealed_at IS NULL AND reveal_due <= app_now() LIMIT 500",
    )
    .fetch_all(pool)
    .await?;
    let mut revealed = 0;
    for task in due {
        let mut tx = pool.begin().await?;
        lock_parties(&mut tx, task).await?;
        reveal(&mut tx, task).await?;
        tx.commit().await?;
        revealed += 1;
    }
    Ok(revealed)
}

/// The subject of a revealed review answers it, once, publicly.
pub async fn reply(pool: &PgPool, subject: Uuid, task: Uuid, text: &str) -> Result<(), AppError> {
    let text = check_reply(text).map_err(AppError::field)?;
    let replied = sqlx::query(
        "UPDATE reviews SET reply = $3, replied_at = app_now()
         WHERE task_id = $1 AND subject_id = $2 AND revealed_at IS NOT NULL AND reply IS NULL",
    )
    .bind(task)
    .bind(subject)
    .bind(text)
    .execute(pool)
    .await?
    .rows_affected();
    if replied == 0 {
        return Err(Refusal::WrongState.into());
    }
    Ok(())
}

/// A row of `REVIEW_COLUMNS`.
#[derive(sqlx::FromRow)]
struct ReviewRow {
    author_id: Uuid,
    author_name: String,
    subject_id: Uuid,
    subject: String,
    scores: Vec<i16>,
    overall: i16,
    body: String,
    written_on: String,
    reply: Option<String>,
    replied_on: Option<String>,
    revealed: bool,
    author_role: String,
    author_handle: String,
    author_card_public: bool,
}

const REVIEW_COLUMNS: &str = "r.author_id, a.display_name AS author_name, r.subject_id, r.subject, r.scores,
    r.overall, r.body, china_text(r.written_at, 'YYYY-MM-DD') AS written_on, r.reply,
    china_text(r.replied_at, 'YYYY-MM-DD') AS replied_on, r.revealed_at IS NOT NULL AS revealed,
    a.role AS author_role, a.handle AS author_handle, a.card_public AS author_card_public";

fn review_view(row: ReviewRow, viewer: Option<Uuid>) -> Option<ReviewView> {
    let ReviewRow {
        author_id,
        author_name,
        subject_id,
        subject,
        scores,
        overall,
        body,
        written_on,
        reply,
        replied_on,
        revealed,
        author_role,
        author_handle,
        author_card_public,
    } = row;
    let scores: [u8; 3] = [*scores.first()? as u8, *scores.get(1)? as u8, *scores.get(2)? as u8];
    Some(ReviewView {
        author_page: public_page_of(&author_role, author_id, &author_handle, author_card_public),
        author_id,
        author_name,
        subject_id,
        subject: Subject::parse(&subject)?,
        scores: Scores(scores),
        overall: overall as u8,
        body,
        written_on,
        mine: Some(author_id) == viewer,
        can_reply: Some(subject_id) == viewer && revealed && reply.is_none(),
        reply,
        replied_on,
        revealed,
    })
}

/// A task's reviews as `viewer` may see them: the revealed ones for anyone; for a party, also their
/// own hidden review and whether the other side has written theirs (not what it says).
pub async fn for_task(pool: &PgPool, task: Uuid, viewer: Option<Uuid>) -> Result<TaskReviews, sqlx::Error> {
    let rows: Vec<ReviewRow> = sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN users a ON a.id = r.author_id
         WHERE r.task_id = $1 AND (r.revealed_at IS NOT NULL OR r.author_id = $2 OR r.subject_id = $2)
         ORDER BY r.subject DESC"
    ))
    .bind(task)
    .bind(viewer)
    .fetch_all(pool)
    .await?;
    let mut reviews = TaskReviews::default();
    for review in rows.into_iter().filter_map(|row| review_view(row, viewer)) {
        if !review.revealed && Some(review.subject_id) == viewer {
            reviews.awaiting_mine = true;
        } else {
            reviews.visible.push(review);
        }
    }
    if let Some(viewer) = viewer {
        let mut conn = pool.acquire().await?;
        let is_party: Option<bool> = sqlx::query_scalar(
            "SELECT status = 'completed' FROM tasks WHERE id = $1 AND developer_id IS NOT NULL AND $2 IN (merchant_id, developer_id)",
        )
        .bind(task)
        .bind(viewer)
        .fetch_optional(&mut *conn)
        .await?;
        if is_party == Some(true) {
            let pair = pair_for(&mut conn, task, viewer).await?;
            reviews.can_write = pair.can_write();
            reviews.days_left = (REVEAL_AFTER_DAYS - pair.days_since_completion).max(0);
        }
    }
    Ok(reviews)
}

/// The newest revealed reviews `user` received, for their public pages.
pub async fn received(pool: &PgPool, user: Uuid, limit: i64) -> Result<Vec<ReviewView>, sqlx::Error> {
    let rows: Vec<ReviewRow> = sqlx::query_as(&format!(
        "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN users a ON a.id = r.author_id
         WHERE r.subject_id = $1 AND r.revealed_at IS NOT NULL ORDER BY r.revealed_at DESC LIMIT $2"
    ))
    .bind(user)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(|row| review_view(row, None)).collect())
}

/// The `per_user` newest revealed reviews each of `users` received as a developer (from
/// merchants), newest first per user, in one statement: the applicant cards of a task page.
pub async fn latest_received_as_developer(
    conn: &mut PgConnection,
    users: &[Uuid],
    per_user: i64,
) -> Result<Vec<ReviewView>, sqlx::Error> {
    let rows: Vec<ReviewRow> = sqlx::query_as(&format!(
        "SELECT latest.* FROM unnest($1::uuid[]) AS x(id)
         CROSS JOIN LATERAL (
             SELECT {REVIEW_COLUMNS} FROM reviews r JOIN users a ON a.id = r.author_id
             WHERE r.subject_id = x.id AND r.revealed_at IS NOT NULL AND r.subject = 'developer'
             ORDER BY r.revealed_at DESC LIMIT $2) latest"
    ))
    .bind(users)
    .bind(per_user)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(|row| review_view(row, None)).collect())
}
