//! The wire types of `api::messages`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageFile {
    pub id: Uuid,
    pub name: String,
    pub size_bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: i64,
    pub mine: bool,
    pub from_merchant: bool,
    pub author_name: String,
    pub body: String,
    /// Contact details in it were hidden (the developer was not chosen yet).
    pub masked: bool,
    pub sent_at: String,
    pub file: Option<MessageFile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The developer side of the conversation shown.
    pub developer: Uuid,
    /// For the merchant (and an admin): every conversation the task has, by developer.
    pub partners: Vec<(Uuid, String)>,
    pub messages: Vec<MessageView>,
    /// Contact details are hidden in this conversation until its developer is chosen.
    pub masking: bool,
    /// The viewer is one of its two sides (an admin only reads).
    pub can_write: bool,
}
