//! The wire types of `api::reviews`: what its server functions return, as data (no I/O).

use crate::domain::{
    credit::CreditScore,
    reviews::{Scores, Subject},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub author_id: Uuid,
    pub author_name: String,
    /// The author's public page (`domain::public_page`), when they have one others may open.
    #[serde(default)]
    pub author_page: Option<String>,
    pub subject_id: Uuid,
    /// Who was reviewed, which names the three scores.
    pub subject: Subject,
    pub scores: Scores,
    pub overall: u8,
    pub body: String,
    pub written_on: String,
    /// The subject's one public answer.
    pub reply: Option<String>,
    pub replied_on: Option<String>,
    pub revealed: bool,
    /// The viewer wrote it.
    pub mine: bool,
    /// The viewer is its subject and may still answer it.
    pub can_reply: bool,
}

/// A task's reviews as the viewer may see them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskReviews {
    /// Revealed reviews, and the viewer's own while it is hidden.
    pub visible: Vec<ReviewView>,
    /// The other side has reviewed the viewer; it shows once the viewer writes theirs.
    pub awaiting_mine: bool,
    /// The viewer is a party and may write (or rewrite) their review now.
    pub can_write: bool,
    /// Days until the reviews are revealed anyway.
    pub days_left: i64,
}

/// The signed-in user's credit score with its terms, and the restriction in force, if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyCredit {
    pub score: CreditScore,
    pub restriction: Option<crate::domain::credit::RestrictionReason>,
    pub restricted_until: Option<String>,
}
