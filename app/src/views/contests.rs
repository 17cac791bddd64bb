//! The wire types of `api::contests`: what its server functions return, as data (no I/O).

use crate::domain::money::Money;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContestStatus {
    Open,
    Awarded,
    Cancelled,
}

impl ContestStatus {
    pub fn parse(s: &str) -> Option<ContestStatus> {
        match s {
            "open" => Some(ContestStatus::Open),
            "awarded" => Some(ContestStatus::Awarded),
            "cancelled" => Some(ContestStatus::Cancelled),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContestSummary {
    pub id: Uuid,
    pub title: String,
    pub mentor_name: String,
    pub prize: Money,
    pub advanced: bool,
    pub status: ContestStatus,
    /// "YYYY-MM-DD".
    pub submit_by: String,
    pub entries: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContestsPage {
    pub contests: Vec<ContestSummary>,
    /// The viewer may post a challenge (level S, or invited by an admin).
    pub can_create: bool,
    /// The viewer's verified real name, masked ("张*"), if any.
    pub verified_as: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryView {
    pub developer_id: Uuid,
    pub developer_name: String,
    pub submission: Option<String>,
    pub link: String,
    pub submitted_at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContestDetail {
    pub summary: ContestSummary,
    pub brief_html: String,
    pub winner_name: Option<String>,
    pub review: Option<String>,
    pub recommendation: Option<String>,
    /// Every entry for the mentor; the viewer's own for a participant; none for others.
    pub entries: Vec<EntryView>,
    pub is_mentor: bool,
    pub joined: bool,
    /// A developer who has not verified a real name yet (joining asks for it).
    pub needs_identity: bool,
    /// An advanced challenge and the viewer holds no growth pass.
    pub needs_growth_pass: bool,
    /// Open and before the last day.
    pub accepting: bool,
}
