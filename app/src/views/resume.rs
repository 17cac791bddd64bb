//! The wire types of `api::resume`: what its server functions return, as data (no I/O).

use crate::{
    domain::growth::Level,
    views::{growth::SkillView, hall::TagLabel},
};
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
    /// The developer's portfolio, in their order (作品集).
    #[serde(default)]
    pub portfolio: Vec<crate::views::portfolio::PortfolioItemView>,
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
    /// The merchant's public page (`domain::public_page`); None under NDA like the name.
    #[serde(default)]
    pub merchant_page: Option<String>,
    pub stars: Option<i16>,
    pub comment: String,
    /// "YYYY-MM-DD".
    pub finished_at: String,
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
