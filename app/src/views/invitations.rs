//! The wire types of `api::invitations`: what its server functions return, as data (no I/O).

use crate::domain::{invitations::InvitationStatus, lifecycle::TaskStatus, money::Money};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One invitation as its developer sees it, on the task page and on `/invitations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: Uuid,
    pub task_id: Uuid,
    pub task_title: String,
    pub task_status: TaskStatus,
    pub reward: Money,
    pub merchant_name: String,
    /// The merchant's words, contact details masked.
    pub note: String,
    /// As the developer should read it (`InvitationStatus::seen_with` the task's status).
    pub status: InvitationStatus,
    pub created_at: String,
    /// 投递 and 婉拒 are offered (`domain::invitations::may_answer`).
    pub answerable: bool,
}

/// One of the merchant's open tasks, for the invite form's select.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitableTask {
    pub id: Uuid,
    pub title: String,
    pub reward: Money,
    /// The developer the form is for was invited to it already (the form shows it, not as a choice).
    pub invited: bool,
}
