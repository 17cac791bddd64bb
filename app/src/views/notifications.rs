//! The wire types of `api::notifications`: what its server functions return, as data (no I/O).

use crate::domain::notifications::NoticeKind;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub kind: NoticeKind,
    pub task_title: Option<String>,
    /// The other side's words or an amount, when the kind shows one.
    pub note: Option<String>,
    /// Where opening it leads (`NoticeKind::target`).
    pub href: String,
    pub created_at: String,
    pub unread: bool,
    /// It asks for something not done yet (`NoticeKind::pending`).
    pub pending: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoticePage {
    pub notices: Vec<Notice>,
    pub unread: i64,
    /// The id to pass as `before` for the next (older) page, when there is one.
    pub older: Option<i64>,
}
