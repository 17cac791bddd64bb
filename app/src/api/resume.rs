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

/// A finished task as the card shows it; its page on CodeLink (`/tasks/{id}`) confirms it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FinishedTask {
    pub task_id: Uuid,
    pub title: String,
    pub tags: Vec<TagLabel>,
    pub merchant: String,
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
