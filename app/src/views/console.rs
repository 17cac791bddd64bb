//! The wire types of `api::console`: what its server functions return, as data (no I/O).

use crate::{domain::money::Money, views::trust::ActiveRestriction};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One day's figures (China time).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// "MM-DD".
    pub day: String,
    pub new_users: i64,
    pub tasks_posted: i64,
    pub tasks_funded: i64,
    pub tasks_completed: i64,
    /// Rewards funded into escrow that day.
    pub gmv: Money,
    pub commission: Money,
}

/// Totals since launch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub users: i64,
    pub developers: i64,
    pub merchants: i64,
    pub open_tasks: i64,
    pub all_tasks: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub totals: Totals,
    pub today: DayFigures,
    pub open_disputes: i64,
    /// Applications left unanswered past the 48-hour rule (expired today, or still pending).
    pub applications_overdue: i64,
    pub awaiting_review: i64,
    pub open_reports: i64,
    /// The last 30 days, oldest first, today last.
    pub days: Vec<DayFigures>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminChallenge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub rule: crate::domain::challenges::ChallengeRule,
    pub growth_points: i32,
    pub badge: Option<String>,
    pub active: bool,
    pub completions: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub handle: Option<String>,
    /// "YYYY-MM-DD".
    pub joined: String,
    pub level: Option<String>,
    pub growth_points: i64,
    pub available: Money,
    pub restriction: Option<ActiveRestriction>,
    /// Invited to run mentor challenges (导师) without being level S.
    #[serde(default)]
    pub invited_mentor: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    pub milestone: Uuid,
    pub task: Uuid,
    pub title: String,
    pub merchant: String,
    pub developer: String,
    pub amount: Money,
    pub opened_by_merchant: bool,
    pub opened: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvent {
    pub at: String,
    pub actor: Option<String>,
    pub kind: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDelivery {
    pub at: String,
    pub message: String,
    pub links: Vec<String>,
    /// (file id, name): downloadable by the admin at `/files/{id}`.
    pub files: Vec<(Uuid, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseMessage {
    pub at: String,
    pub author: String,
    pub from_merchant: bool,
    pub body: String,
}

/// Everything an admin needs to decide a dispute, on one page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeCase {
    pub summary: DisputeSummary,
    /// The opener's statement and the other side's answer (None until they answer).
    pub statement: String,
    pub response: Option<String>,
    /// The commission rate fixed when the task was funded, in basis points.
    pub commission_bps: i32,
    pub timeline: Vec<CaseEvent>,
    pub deliveries: Vec<CaseDelivery>,
    pub messages: Vec<CaseMessage>,
    /// The decision, once settled.
    pub decision: Option<String>,
}
