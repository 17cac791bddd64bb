//! The public resume card, `/u/{handle}`: a developer's record as anyone outside CodeLink sees it.

use crate::{
    api::{growth::SkillView, hall::TagLabel},
    domain::growth::Level,
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResumeCard {
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub bio: String,
    pub level: Level,
    pub xp: i64,
    pub finished_tasks: i64,
    /// Average merchant rating × 100, None before the first rating.
    pub average_rating_x100: Option<i64>,
    pub rating_count: i64,
    /// "YYYY-MM".
    pub member_since: String,
    /// Highest first.
    pub skills: Vec<SkillView>,
    pub badges: Vec<EarnedBadge>,
    /// Newest first, at most 50.
    pub finished: Vec<FinishedTask>,
    /// Letters from mentors whose challenges the developer won, newest first.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// The look its owner chose in the points mall (the image and the page's accents).
    pub theme: crate::domain::resume_card::CardTheme,
}

/// A mentor's recommendation letter for the winner of their challenge (导师推荐信).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub challenge: String,
    pub mentor: String,
    pub text: String,
    /// "YYYY-MM-DD".
    pub date: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarnedBadge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// "YYYY-MM-DD".
    pub earned_at: String,
}

/// A finished task as the card shows it; `/verify/task/{id}` confirms it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinishedTask {
    pub task_id: Uuid,
    pub title: String,
    pub tags: Vec<TagLabel>,
    /// None when the developer keeps merchants' names private (NDA).
    pub merchant: Option<String>,
    pub stars: Option<i16>,
    pub comment: String,
    /// "YYYY-MM-DD".
    pub finished_at: String,
}

#[server(name = ResumeFn, endpoint = "resume")]
pub async fn resume(handle: String) -> Result<ResumeCard, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<ResumeFn>().await?;
    db::resume::resume(&app_state()?.pool, &handle).await?.ok_or(AppError::NotFound)
}

/// What `/verify/task/{id}` confirms about a finished task: who did it, for whom, and when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskVerification {
    pub task_id: Uuid,
    pub title: String,
    pub developer: String,
    pub handle: String,
    /// None under the developer's NDA choice.
    pub merchant: Option<String>,
    /// "YYYY-MM-DD".
    pub posted_on: String,
    pub accepted_on: String,
    pub stars: Option<i16>,
    pub comment: String,
    pub tags: Vec<TagLabel>,
}

/// What `/verify/badge/{handle}/{slug}` confirms about a badge, and the task that earned it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BadgeVerification {
    pub badge: EarnedBadge,
    pub developer: String,
    pub handle: String,
    /// The finished task whose completion earned it, when a task did.
    pub evidence: Option<(Uuid, String)>,
}

/// Confirms a finished task of a developer whose card is public; anything else is "not found",
/// so a hidden card cannot be probed through its tasks.
#[server(name = VerifyTaskFn, endpoint = "verify/task")]
pub async fn verify_task(id: Uuid) -> Result<TaskVerification, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<VerifyTaskFn>().await?;
    db::resume::verify_task(&app_state()?.pool, id).await?.ok_or(AppError::NotFound)
}

#[server(name = VerifyBadgeFn, endpoint = "verify/badge")]
pub async fn verify_badge(handle: String, slug: String) -> Result<BadgeVerification, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<VerifyBadgeFn>().await?;
    db::resume::verify_badge(&app_state()?.pool, &handle, &slug).await?.ok_or(AppError::NotFound)
}
