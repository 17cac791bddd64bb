//! Mutual reviews after a task (double-blind, see `domain::reviews`), and the credit score pages.

use crate::{error::AppError, views::reviews::MyCredit};
use leptos::prelude::*;
use uuid::Uuid;

/// A party writes (or rewrites, while hidden) their review of the other side. The three scores are
/// the subject's dimensions in order (`Subject::dimensions`).
#[server(name = WriteReviewFn, endpoint = "task/review")]
pub async fn write_review(
    task: Uuid,
    first: String,
    second: String,
    third: String,
    body: String,
) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, domain::reviews::check_review, state::app_state};
    let user = authorize_user::<WriteReviewFn>().await?;
    let form = check_review([&first, &second, &third], &body).map_err(|fields| AppError::Invalid { fields })?;
    let state = app_state()?;
    db::reviews::write(&state.pool, user.id, task, &form).await?;
    state.public_pages_changed();
    Ok(())
}

/// The subject of a revealed review answers it once, publicly.
#[server(name = ReplyReviewFn, endpoint = "task/review/reply")]
pub async fn reply_review(task: Uuid, reply: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<ReplyReviewFn>().await?;
    let state = app_state()?;
    db::reviews::reply(&state.pool, user.id, task, &reply).await?;
    state.public_pages_changed();
    Ok(())
}

#[server(name = MyCreditFn, endpoint = "credit/me")]
pub async fn my_credit() -> Result<MyCredit, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyCreditFn>().await?;
    let pool = &app_state()?.pool;
    let score = db::credit::score(pool, user.id).await?;
    let mut conn = pool.acquire().await?;
    let restriction = db::credit::active_restriction(&mut conn, user.id).await?;
    Ok(MyCredit {
        score,
        restriction: restriction.as_ref().map(|r| r.reason),
        restricted_until: restriction.map(|r| r.until),
    })
}
