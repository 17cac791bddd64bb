//! The wire types of `api::growth`: what its server functions return, as data (no I/O).

use crate::domain::{
    badges::Progress,
    challenges::{Cadence, GoalProgress},
    growth::{GrowthRules, Level, LevelRequirement, Record},
    tasks::Category,
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillView {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: i64,
    /// Its branch in the skill tree (后端, 前端, …), which is a task category.
    pub branch: Category,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrowthPanel {
    pub level: Level,
    pub xp: i64,
    pub record: Record,
    /// The next level and what is still missing for it; None at S.
    pub next: Option<(Level, LevelRequirement)>,
    /// Highest first, at most 40.
    pub skills: Vec<SkillView>,
    /// (week starting "MM-DD", XP earned), the last 12 weeks, oldest first.
    pub weekly_xp: Vec<(String, i64)>,
    /// Place on the all-time XP board (ties by id, as the board lists them); None before any XP.
    pub rank: Option<i64>,
    /// 成长积分 from check-ins and badges.
    pub growth_points: i64,
    /// Every badge: earned ones with their day, the others with how far along the developer is.
    pub badges: Vec<BadgeView>,
    pub checked_in_today: bool,
    /// Consecutive days checked in, up to today (or yesterday, before today's check-in).
    pub check_in_streak: u32,
    /// Open challenges (daily, weekly, and onboarding ones not yet over), with progress.
    pub challenges: Vec<ChallengeView>,
    /// Titles earned from challenges, (zh, en).
    pub titles: Vec<(String, String)>,
    /// Entries in this month's lottery, from challenges completed this month.
    pub lottery_entries: i64,
    /// The personal invite link is /register?invite=<code>.
    pub invite_code: String,
    /// People who registered through it.
    pub invited: i64,
    /// The rules the level above was evaluated with, for the panel's level table.
    pub rules: GrowthRules,
    /// Months with a downloadable growth report (over, and since joining), newest first: "2026-10".
    pub report_months: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeView {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub cadence: Cadence,
    pub any_of: bool,
    pub goals: Vec<GoalProgress>,
    /// Completed in the current window (today, this week, or for good when onboarding).
    pub done: bool,
    /// 进阶挑战: for growth-pass holders.
    #[serde(default)]
    pub advanced: bool,
    /// Advanced, and the developer holds no growth pass: it shows, but counts nothing until they do.
    #[serde(default)]
    pub locked: bool,
    /// Days left in the window, today included.
    pub days_left: i32,
    pub reward: Reward,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub growth_points: i32,
    /// A badge's slug.
    pub badge: Option<String>,
    pub title_zh: Option<String>,
    pub title_en: Option<String>,
    pub lottery_entries: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeView {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub growth_points: i32,
    /// "YYYY-MM-DD" once earned.
    pub earned_at: Option<String>,
    pub progress: Progress,
}
