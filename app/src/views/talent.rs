//! The wire types of `api::talent`: a page of `/developers` and the availability form of `/profile`.

use crate::{
    domain::{
        growth::Level,
        money::Money,
        talent::{Availability, AvailabilityForm},
    },
    views::{hall::TagLabel, profile::SkillChoice},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One page of a talent search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TalentPage {
    pub results: Vec<TalentResult>,
    pub page: i64,
    pub pages: i64,
    /// Developers found, at most `TALENT_CANDIDATES`…
    pub total: i64,
    /// …and whether there were more than that (the count reads "500+").
    pub capped: bool,
    /// The search words as the index cut them, for highlighting.
    pub terms: Vec<String>,
    /// Every skill tag, for the filter panel.
    pub tags: Vec<SkillChoice>,
}

/// One developer found, with the evidence a merchant decides on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TalentResult {
    pub id: Uuid,
    /// Their resume card is `/u/{handle}` (only public cards are ever found).
    pub handle: String,
    pub name: String,
    pub headline: String,
    pub level: Level,
    /// Average merchant rating ×100 (480 = 4.8★); None before the first rating.
    pub average_rating_x100: Option<i64>,
    pub rating_count: i64,
    /// 信用分, 0–100 (`domain::credit`).
    pub credit_score: u8,
    pub finished_tasks: i64,
    /// As it stands on the day of the search (`Availability::on`).
    pub availability: Availability,
    /// Per hour; None when not stated.
    pub expected_rate: Option<Money>,
    /// Their strongest skills (at most five), points earned on finished work first.
    pub skills: Vec<SkillPoints>,
    /// The tags picked in the search that they have.
    pub matched: Vec<String>,
    /// Their first portfolio items (作品集), at most two.
    #[serde(default)]
    pub portfolio: Vec<crate::views::portfolio::PortfolioSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillPoints {
    pub tag: TagLabel,
    /// Skill points earned on finished work; 0 for a skill only declared.
    pub points: i64,
}

/// The availability form of `/profile`: what is saved, and whether the last post saved it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkTermsPage {
    pub form: AvailabilityForm,
    pub saved: bool,
    /// China's today ("YYYY-MM-DD"), the earliest until-day the form takes.
    pub today: String,
    /// The latest until-day the form takes (`MAX_AWAY_DAYS` ahead).
    pub latest: String,
}
