//! Public leaderboards: this week, this month and all time, overall (XP) or per skill (points).

use crate::{
    api::hall::TagLabel,
    domain::growth::{Level, Period},
    error::AppError,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: i64,
    pub developer_id: Uuid,
    pub name: String,
    pub level: Level,
    /// XP on the overall board, skill points on a skill's board.
    pub score: i64,
    /// The developer's three strongest skills: their portrait on the board.
    pub top_skills: Vec<TagLabel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Leaderboard {
    pub period: Period,
    /// None: the overall board.
    pub skill: Option<TagLabel>,
    pub rows: Vec<BoardRow>,
    /// Every skill, for the picker.
    pub tags: Vec<TagLabel>,
}

#[server(name = LeaderboardFn, endpoint = "leaderboard")]
pub async fn leaderboard(period: String, skill: Option<String>) -> Result<Leaderboard, AppError> {
    use crate::{api::access::authorize, db, state::app_state};
    authorize::<LeaderboardFn>().await?;
    let period = Period::parse(Some(&period));
    let skill = skill.filter(|s| !s.is_empty() && s.len() <= 64);
    Ok(db::leaderboard::leaderboard(&app_state()?.pool, period, skill.as_deref()).await?)
}
