//! Mentor challenges in the database. The prize is one ledger movement in at creation and one out
//! (to the winner, or back to the mentor), each in the transaction that changes the challenge's
//! status, under the challenge's row lock; the two ways out share one idempotency key.

use super::{audit, ledger, notifications::notify};
use crate::{
    domain::{
        account::Role,
        contests::{may_mentor, NewContest},
        ledger::Movement,
        lifecycle::Refusal,
        money::Money,
        validation::{Field, FieldError, Problem},
    },
    error::AppError,
    views::{
        contests::{ContestDetail, ContestStatus, ContestSummary, ContestsPage, EntryView},
        resume::Recommendation,
    },
};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

const SUMMARY: &str = "SELECT c.id, c.title, u.display_name AS mentor_name, c.prize_fen, c.advanced, c.status,
           china_text(c.submit_by, 'YYYY-MM-DD') AS submit_by,
           (SELECT count(*) FROM contest_entries e WHERE e.contest_id = c.id) AS entries
    FROM contests c JOIN users u ON u.id = c.mentor_id";

/// A row of `SUMMARY`.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    title: String,
    mentor_name: String,
    prize_fen: i64,
    advanced: bool,
    status: String,
    submit_by: String,
    entries: i64,
}

fn summary(row: SummaryRow) -> Option<ContestSummary> {
    Some(ContestSummary {
        id: row.id,
        title: row.title,
        mentor_name: row.mentor_name,
        prize: Money::from_fen(row.prize_fen),
        advanced: row.advanced,
        status: ContestStatus::parse(&row.status)?,
        submit_by: row.submit_by,
        entries: row.entries,
    })
}

/// Whether `user` may run mentor challenges now.
async fn is_mentor(conn: &mut PgConnection, user: Uuid) -> Result<bool, sqlx::Error> {
    let (role, invited): (String, bool) =
        sqlx::query_as("SELECT role, invited_mentor FROM users WHERE id = $1").bind(user).fetch_one(&mut *conn).await?;
    if role != Role::Developer.as_str() && !invited {
        return Ok(false);
    }
    let level = super::growth::level_of(conn, user).await?;
    Ok(may_mentor(level, invited))
}

pub async fn page(pool: &PgPool, viewer: Option<(Uuid, Role)>) -> Result<ContestsPage, AppError> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY} WHERE c.status <> 'cancelled' ORDER BY (c.status = 'open') DESC, c.created_at DESC LIMIT 50"
    ))
    .fetch_all(pool)
    .await?;
    let mut conn = pool.acquire().await?;
    let (can_create, verified_as) = match viewer {
        Some((user, _)) => {
            let name: Option<String> =
                sqlx::query_scalar("SELECT real_name FROM users WHERE id = $1 AND identity_verified_at IS NOT NULL")
                    .bind(user)
                    .fetch_optional(&mut *conn)
                    .await?
                    .flatten();
            (is_mentor(&mut conn, user).await?, name.map(|n| mask_name(&n)))
        }
        None => (false, None),
    };
    Ok(ContestsPage { contests: rows.into_iter().filter_map(summary).collect(), can_create, verified_as })
}

/// "张三" → "张*": enough for its owner to recognise, too little for anyone else.
fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    let first = chars.next().map(String::from).unwrap_or_default();
    first + &"*".repeat(chars.count())
}

pub async fn detail(pool: &PgPool, id: Uuid, viewer: Option<(Uuid, Role)>) -> Result<Option<ContestDetail>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        summary: SummaryRow,
        mentor_id: Uuid,
        brief: String,
        winner_name: Option<String>,
        review: Option<String>,
        recommendation: Option<String>,
        before_end: bool,
    }
    #[derive(sqlx::FromRow)]
    struct EntryRow {
        developer_id: Uuid,
        display_name: String,
        submission: Option<String>,
        link: String,
        submitted_at: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT s.*, c.mentor_id, c.brief, w.display_name AS winner_name, c.review, c.recommendation,
                c.submit_by + interval '1 day' > app_now() AS before_end
         FROM ({SUMMARY} WHERE c.id = $1) s
         JOIN contests c ON c.id = s.id LEFT JOIN users w ON w.id = c.winner_id"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let summary = summary(row.summary).ok_or(AppError::Internal)?;
    let me = viewer.map(|(user, _)| user);
    let is_mentor = me == Some(row.mentor_id);
    let entries: Vec<EntryRow> = sqlx::query_as(
        "SELECT e.developer_id, u.display_name, e.submission, e.link,
                china_text(e.submitted_at, 'YYYY-MM-DD HH24:MI') AS submitted_at
         FROM contest_entries e JOIN users u ON u.id = e.developer_id
         WHERE e.contest_id = $1 AND ($2 OR e.developer_id = $3)
         ORDER BY e.submitted_at NULLS LAST, e.joined_at",
    )
    .bind(id)
    .bind(is_mentor)
    .bind(me)
    .fetch_all(pool)
    .await?;
    let joined = me.is_some_and(|me| entries.iter().any(|entry| entry.developer_id == me));
    let (needs_identity, needs_growth_pass) = match viewer {
        Some((user, Role::Developer)) if !is_mentor => {
            let mut conn = pool.acquire().await?;
            let verified: bool = sqlx::query_scalar("SELECT identity_verified_at IS NOT NULL FROM users WHERE id = $1")
                .bind(user)
                .fetch_one(&mut *conn)
                .await?;
            let pass = super::membership::benefits(&mut conn, user).await?.advanced_challenges;
            (!verified, summary.advanced && !pass)
        }
        _ => (false, false),
    };
    Ok(Some(ContestDetail {
        accepting: summary.status == ContestStatus::Open && row.before_end,
        summary,
        brief_html: crate::markdown::render(&row.brief),
        winner_name: row.winner_name,
        review: row.review,
        recommendation: row.recommendation,
        entries: entries
            .into_iter()
            .map(|entry| EntryView {
                developer_id: entry.developer_id,
                developer_name: entry.display_name,
                submission: entry.submission,
                link: entry.link,
                submitted_at: entry.submitted_at,
            })
            .collect(),
        is_mentor,
        joined,
        needs_identity,
        needs_growth_pass,
    }))
}

/// A mentor posts a challenge and funds its prize in one transaction.
pub async fn create(pool: &PgPool, mentor: Uuid, contest: &NewContest) -> Result<Uuid, AppError> {
    let mut tx = pool.begin().await?;
    if !is_mentor(&mut tx, mentor).await? {
        return Err(AppError::Forbidden);
    }
    super::credit::ensure_unrestricted(&mut tx, mentor).await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO contests (id, mentor_id, title, brief, prize_fen, advanced, submit_by)
         VALUES ($1, $2, $3, $4, $5, $6, china_instant(($7::date + 1)::timestamp) - interval '1 second')",
    )
    .bind(id)
    .bind(mentor)
    .bind(&contest.title)
    .bind(&contest.brief)
    .bind(contest.prize.fen())
    .bind(contest.advanced)
    .bind(&contest.submit_by)
    .execute(&mut *tx)
    .await?;
    ledger::post(&mut tx, &Movement::prize_fund(id, mentor, contest.prize)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a real-name registration the identity provider accepted: the name and the number's last
/// four characters only (`domain::contests::check_identity` normalised both).
pub async fn record_identity(pool: &PgPool, user: Uuid, name: &str, number: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET real_name = $2, id_number_tail = $3, identity_verified_at = app_now() WHERE id = $1")
        .bind(user)
        .bind(name)
        .bind(&number[number.len().saturating_sub(4)..])
        .execute(pool)
        .await?;
    Ok(())
}

/// Locks an open challenge that still accepts entries, returning its mentor and whether it is
/// advanced; anything else is refused.
async fn lock_accepting(conn: &mut PgConnection, contest: Uuid) -> Result<(Uuid, bool), AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        mentor_id: Uuid,
        advanced: bool,
        accepting: bool,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT mentor_id, advanced, status = 'open' AND submit_by > app_now() AS accepting
         FROM contests WHERE id = $1 FOR UPDATE",
    )
    .bind(contest)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Err(AppError::NotFound),
        Some(Row { accepting: false, .. }) => Err(Refusal::WrongState.into()),
        Some(row) => Ok((row.mentor_id, row.advanced)),
    }
}

pub async fn join(pool: &PgPool, developer: Uuid, contest: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (mentor, advanced) = lock_accepting(&mut tx, contest).await?;
    if mentor == developer {
        return Err(Refusal::OwnTask.into());
    }
    let verified: bool = sqlx::query_scalar("SELECT identity_verified_at IS NOT NULL FROM users WHERE id = $1")
        .bind(developer)
        .fetch_one(&mut *tx)
        .await?;
    if !verified {
        return Err(AppError::field(FieldError::new(Field::RealName, Problem::Required)));
    }
    if advanced && !super::membership::benefits(&mut tx, developer).await?.advanced_challenges {
        return Err(Refusal::NeedsGrowthPass.into());
    }
    sqlx::query("INSERT INTO contest_entries (contest_id, developer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(contest)
        .bind(developer)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A participant submits (or replaces) their entry before the last day ends.
pub async fn submit(
    pool: &PgPool,
    developer: Uuid,
    contest: Uuid,
    submission: &str,
    link: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (mentor, _) = lock_accepting(&mut tx, contest).await?;
    let updated = sqlx::query(
        "UPDATE contest_entries SET submission = $3, link = $4, submitted_at = app_now()
         WHERE contest_id = $1 AND developer_id = $2",
    )
    .bind(contest)
    .bind(developer)
    .bind(submission)
    .bind(link)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Refusal::NotYourTurn.into());
    }
    notify(&mut tx, mentor, "contest_entry", None, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Locks the mentor's own challenge: its status and prize; someone else's is refused.
async fn lock_own(conn: &mut PgConnection, mentor: Uuid, contest: Uuid) -> Result<(String, i64), AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        mentor_id: Uuid,
        status: String,
        prize_fen: i64,
    }
    let row: Option<Row> = sqlx::query_as("SELECT mentor_id, status, prize_fen FROM contests WHERE id = $1 FOR UPDATE")
        .bind(contest)
        .fetch_optional(conn)
        .await?;
    match row {
        None => Err(AppError::NotFound),
        Some(row) if row.mentor_id != mentor => Err(AppError::Forbidden),
        Some(row) => Ok((row.status, row.prize_fen)),
    }
}

/// The mentor awards the prize to a participant who submitted: the prize moves to the winner in
/// full, and the review and recommendation are published with the challenge.
pub async fn award(
    pool: &PgPool,
    mentor: Uuid,
    contest: Uuid,
    winner: Uuid,
    review: &str,
    recommendation: &str,
) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (status, prize) = lock_own(&mut tx, mentor, contest).await?;
    if status != "open" {
        return Err(Refusal::WrongState.into());
    }
    let submitted: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM contest_entries WHERE contest_id = $1 AND developer_id = $2 AND submitted_at IS NOT NULL)",
    )
    .bind(contest)
    .bind(winner)
    .fetch_one(&mut *tx)
    .await?;
    if !submitted {
        return Err(Refusal::WrongState.into());
    }
    sqlx::query(
        "UPDATE contests SET status = 'awarded', winner_id = $2, review = $3, recommendation = $4, awarded_at = app_now()
         WHERE id = $1",
    )
    .bind(contest)
    .bind(winner)
    .bind(review)
    .bind(recommendation)
    .execute(&mut *tx)
    .await?;
    let prize = Money::from_fen(prize);
    ledger::post(&mut tx, &Movement::prize_award(contest, winner, prize)).await?;
    notify(&mut tx, winner, "contest_won", None, &prize.display_yuan()).await?;
    tx.commit().await?;
    Ok(())
}

/// The mentor calls the challenge off while nobody has submitted; the prize returns to them.
pub async fn cancel(pool: &PgPool, mentor: Uuid, contest: Uuid) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let (status, prize) = lock_own(&mut tx, mentor, contest).await?;
    let submissions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contest_entries WHERE contest_id = $1 AND submitted_at IS NOT NULL")
            .bind(contest)
            .fetch_one(&mut *tx)
            .await?;
    if status != "open" || submissions > 0 {
        return Err(Refusal::WrongState.into());
    }
    sqlx::query("UPDATE contests SET status = 'cancelled' WHERE id = $1").bind(contest).execute(&mut *tx).await?;
    ledger::post(&mut tx, &Movement::prize_refund(contest, mentor, Money::from_fen(prize))).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn invite_mentor(pool: &PgPool, admin: Uuid, user: Uuid, invited: bool) -> Result<(), AppError> {
    let mut tx = pool.begin().await?;
    let before: Option<bool> = sqlx::query_scalar("SELECT invited_mentor FROM users WHERE id = $1 FOR UPDATE")
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?;
    let before = before.ok_or(AppError::NotFound)?;
    sqlx::query("UPDATE users SET invited_mentor = $2 WHERE id = $1")
        .bind(user)
        .bind(invited)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        audit::Action {
            admin,
            action: "user.invite_mentor",
            subject: format!("user:{user}"),
            before: Some(serde_json::json!({ "invited_mentor": before })),
            after: Some(serde_json::json!({ "invited_mentor": invited })),
            reason: "",
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Recommendation letters a developer won, newest first, for their resume card.
pub async fn recommendations(pool: &PgPool, developer: Uuid) -> Result<Vec<Recommendation>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        title: String,
        display_name: String,
        recommendation: String,
        awarded_on: String,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.title, u.display_name, c.recommendation, china_text(c.awarded_at, 'YYYY-MM-DD') AS awarded_on
         FROM contests c JOIN users u ON u.id = c.mentor_id
         WHERE c.winner_id = $1 AND c.status = 'awarded' ORDER BY c.awarded_at DESC",
    )
    .bind(developer)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| Recommendation {
            challenge: row.title,
            mentor: row.display_name,
            text: row.recommendation,
            date: row.awarded_on,
        })
        .collect())
}
