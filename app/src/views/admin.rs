//! The wire types of `api::admin`: what its server functions return, as data (no I/O).

use crate::domain::{badges::BadgeRule, fees::CommissionRate, growth::GrowthRulesForm, tasks::Category};
use serde::{Deserialize, Serialize};

/// A rate change that has not taken effect yet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduledRate {
    pub category: Category,
    pub rate: CommissionRate,
    /// "YYYY-MM-DD" (China Standard Time), the first day it applies.
    pub from: String,
}

/// Every category's rate now, and the changes waiting for their day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommissionSchedule {
    pub current: Vec<(Category, CommissionRate)>,
    pub upcoming: Vec<ScheduledRate>,
}

/// A badge as the admin console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminBadge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub rule: BadgeRule,
    pub growth_points: i32,
    /// Developers who have earned it.
    pub holders: i64,
}

/// What saving (or previewing) growth rules did: how today's developers move between levels under
/// them, and, when saved and in force at once, how many levels changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthRulesOutcome {
    pub shift: crate::domain::growth::LevelShift,
    pub saved: bool,
    pub changed: u64,
}

/// The growth-rules editor's content: the form filled with the rules in force (or, after a
/// preview, with the numbers previewed, so they can be adjusted or saved), and what the save or
/// preview just sent did. The form posts and comes back, so that outcome waits in the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrowthRulesEditor {
    pub form: GrowthRulesForm,
    pub outcome: Option<GrowthRulesOutcome>,
}
