//! What the owner of a task sees of each applicant to decide between them: the record they built
//! on the platform, read by `read::task_page` in a few batched queries.

use crate::{
    domain::{
        applicants::{ResponseTime, SortFacts},
        credit::CreditScore,
        growth::Level,
    },
    views::hall::TagLabel,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicantEvidence {
    /// Their resume card, while they keep it public (`domain::public_page`).
    pub page: Option<String>,
    pub level: Level,
    /// Average merchant rating ×100; None before the first rating.
    pub average_rating_x100: Option<i64>,
    pub rating_count: i64,
    pub credit: CreditScore,
    /// Finished tasks overall (as their level counts them), and those sharing a skill with this task.
    pub finished_tasks: i64,
    pub finished_in_tags: i64,
    /// Share of finished tasks completed by their deadline; None before any.
    pub on_time_share: Option<u8>,
    /// Median time to their first reply in task conversations; None before they answered one.
    pub response_time: Option<ResponseTime>,
    /// The newest revealed reviews merchants wrote of them (2–3).
    pub reviews: Vec<EvidenceReview>,
    /// Their badges that bear on this task (`domain::applicants::badge_matters`).
    pub badges: Vec<BadgeLabel>,
    /// How they fit this task (`domain::matching::fit`); None when they share no skill with it.
    pub fit: Option<FitReason>,
}

impl ApplicantEvidence {
    /// What `domain::applicants::sort_applicants` orders by.
    pub fn sort_facts(&self) -> SortFacts {
        SortFacts {
            fit_score: self.fit.as_ref().map(|fit| fit.score),
            average_rating_x100: self.average_rating_x100,
            rating_count: self.rating_count,
        }
    }
}

/// A merchant's revealed review of the applicant, as the card quotes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceReview {
    pub stars: u8,
    pub body: String,
    pub written_on: String,
    /// None when the applicant keeps their clients private (NDA on their card).
    pub author_name: Option<String>,
    pub author_page: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeLabel {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

/// The fit score and the task's skills that matched ("匹配: Rust, PostgreSQL").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitReason {
    pub score: i64,
    pub matched: Vec<TagLabel>,
}
