//! The wire types of `api::legal`: consent, the help centre's contact messages and their queue.

use crate::domain::{legal::Document, support::Topic};
use serde::{Deserialize, Serialize};

/// What the consent page shows: the documents whose current version the user has not accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConsentStatus {
    pub due: Vec<Document>,
    /// Whether the user accepted some version before (an update) or never (first time asked).
    pub accepted_before: bool,
}

/// A contact message, as its sender sees it on the help page and an admin in the queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportRequest {
    pub id: i64,
    pub topic: Topic,
    pub message: String,
    pub created_at: String,
    /// Who wrote it, for the admin queue: a display name, or the visitor's address if they left one.
    pub from: Option<String>,
    /// A signed-in sender is answered with a notice; a visitor only through the address they left.
    pub signed_in: bool,
    pub reply: Option<String>,
    pub replied_at: Option<String>,
}

/// The help page's own part: who is asking, their messages with the answers, and whether one was
/// just sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HelpDesk {
    pub signed_in: bool,
    pub mine: Vec<SupportRequest>,
    pub just_sent: bool,
}

/// The admin queue: the unanswered first (oldest first), then the latest answered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SupportQueue {
    pub waiting: Vec<SupportRequest>,
    pub answered: Vec<SupportRequest>,
}

/// What the footer shows that comes from the deployment's configuration (the ICP 备案号 when set).
/// Provided to every page render as context; not a wire type of any function.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteFacts {
    pub icp_number: Option<String>,
}
