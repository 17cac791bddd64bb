//! The developer's skill-growth panel: level, XP, skills and weekly progress.

use crate::{
    domain::growth::{Level, LevelRequirement, Record},
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
}

#[server(name = MyGrowthFn, endpoint = "growth/me")]
pub async fn my_growth() -> Result<GrowthPanel, AppError> {
    use crate::{api::access::authorize_user, db, state::app_state};
    let user = authorize_user::<MyGrowthFn>().await?;
    Ok(db::growth::panel(&app_state()?.pool, user.id).await?)
}
