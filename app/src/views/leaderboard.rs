//! The wire types of `api::leaderboard`: what its server functions return, as data (no I/O).

use crate::{
    domain::growth::{Level, Period},
    views::hall::TagLabel,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub rank: i64,
    pub developer_id: Uuid,
    pub name: String,
    /// Their resume card while it is public (`domain::public_page`).
    #[serde(default)]
    pub page: Option<String>,
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
