//! The wire types of `api::moderation`: what its server functions return, as data (no I/O).

use crate::domain::{moderation::Hold, money::Money};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedTask {
    pub id: Uuid,
    pub title: String,
    pub merchant: String,
    pub reward: Money,
    pub status: String,
    pub hold: Option<Hold>,
    /// "YYYY-MM-DD HH:MM", China Standard Time.
    pub published: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserReport {
    pub id: i64,
    pub reporter: String,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    /// The reported user, or the reported task's merchant.
    pub user_id: Option<Uuid>,
    pub user_name: Option<String>,
    pub reason: String,
    pub at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub tasks: Vec<QueuedTask>,
    pub reports: Vec<UserReport>,
    pub blocked_words: Vec<String>,
}
