//! The developer's skill-growth panel: level, XP, skills and weekly progress.

use crate::{
    domain::{
        badges::Progress,
        growth::{Level, LevelRequirement, Record},
    },
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillView {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub points: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GrowthPanel {
    pub level: Level,
    pub xp: i64,
    pub record: Record,
    /// The next level and what is still missing for it; None at S.
    pub next: Option<(Level, LevelRequirement)>,
    /// Highest first, at most 12.
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

#[server(name = MyGrowthFn, endpoint = "growth/me")]
pub async fn my_growth() -> Result<GrowthPanel, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyGrowthFn>().await?;
    Ok(db::growth::panel(&app_state()?.pool, user.id).await?)
}

/// Checks in for today (growth points once a day, and a step in the check-in streak).
#[server(name = CheckInFn, endpoint = "growth/check_in")]
pub async fn check_in() -> Result<bool, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<CheckInFn>().await?;
    db::growth::check_in(&app_state()?.pool, user.id).await
}
