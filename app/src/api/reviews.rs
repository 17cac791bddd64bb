//! Mutual reviews after a task (double-blind, see `domain::reviews`), and the credit score pages.

use crate::{
    domain::{
        credit::CreditScore,
        reviews::{Scores, Subject},
    },
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub author_id: Uuid,
    pub author_name: String,
    pub subject_id: Uuid,
    /// Who was reviewed, which names the three scores.
    pub subject: Subject,
    pub scores: Scores,
    pub overall: u8,
    pub body: String,
    pub written_on: String,
    /// The subject's one public answer.
    pub reply: Option<String>,
    pub replied_on: Option<String>,
    pub revealed: bool,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer is its subject and may still answer it.
    pub can_reply: bool,
}

/// A task's reviews as the viewer may see them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskReviews {
    /// Revealed reviews, and the viewer's own while it is hidden.
    pub visible: Vec<ReviewView>,
    /// The other side has reviewed the viewer; it shows once the viewer writes theirs.
    pub awaiting_mine: bool,
    /// The viewer is a party and may write (or rewrite) their review now.
    pub can_write: bool,
    /// Days until the reviews are revealed anyway.
    pub days_left: i64,
}

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
    db::reviews::write(&app_state()?.pool, user.id, task, &form).await
}

/// The subject of a revealed review answers it once, publicly.
#[server(name = ReplyReviewFn, endpoint = "task/review/reply")]
pub async fn reply_review(task: Uuid, reply: String) -> Result<(), AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<ReplyReviewFn>().await?;
    db::reviews::reply(&app_state()?.pool, user.id, task, &reply).await
}

/// The signed-in user's credit score with its terms, and the restriction in force, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyCredit {
    pub score: CreditScore,
    pub restriction: Option<crate::domain::credit::RestrictionReason>,
    pub restricted_until: Option<String>,
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
