//! The wire types of `api::tasks`: what its server functions return, as data (no I/O).

use crate::{
    domain::{
        account::MerchantKind,
        fees::{MerchantRates, PayoutSplit},
        growth::Level,
        lifecycle::{ApplicationStatus, MilestoneStatus, Party, TaskStatus},
        money::Money,
        tasks::{Category, Difficulty, TaskForm},
    },
    views::hall::TagLabel,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Defined with the rules that read it: the offers of `domain::lifecycle`.
pub use crate::domain::lifecycle::Viewer;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub message: String,
    pub links: Vec<String>,
    pub files: Vec<FileView>,
    pub created_at: String,
}

/// A delivered file, downloaded from `/files/{id}` by the task's parties and admins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    pub id: Uuid,
    pub name: String,
    pub size_bytes: i64,
}

/// A milestone's dispute while it waits for an admin: who opened it and whether the other side has
/// answered (`domain::lifecycle::may_answer_dispute` decides who may answer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDispute {
    pub opened_by: Party,
    pub answered: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub id: Uuid,
    pub position: i16,
    /// Empty for a task paid in one piece.
    pub title: String,
    pub status: MilestoneStatus,
    pub split: PayoutSplit,
    pub rounds_used: i16,
    /// Shown to the two parties and admins only.
    pub deliveries: Vec<DeliveryView>,
    pub open_dispute: Option<OpenDispute>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: Uuid,
    pub developer_name: String,
    pub pitch: String,
    pub status: ApplicationStatus,
    pub decline_reason: Option<String>,
    pub created_at: String,
    pub respond_by: String,
    /// The applicant holds 高级会员: their application is highlighted in the owner's list.
    #[serde(default)]
    pub highlighted: bool,
    /// The applicant's own terms (报价), if they proposed any.
    #[serde(default)]
    pub quote: Option<crate::views::quotes::QuoteView>,
    /// The applicant's record, for the task's owner (and admins) to decide on; None for the
    /// applicant's own view of their application.
    #[serde(default)]
    pub evidence: Option<crate::views::applicants::ApplicantEvidence>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub kind: String,
    /// None: the platform itself (a deadline passed).
    pub actor_name: Option<String>,
    pub note: String,
    pub milestone_position: Option<i16>,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskDetail {
    pub id: Uuid,
    pub title: String,
    pub category: Category,
    /// The Markdown description rendered to HTML and sanitised on the server.
    pub description_html: String,
    pub difficulty: Difficulty,
    pub status: TaskStatus,
    pub deadline: String,
    pub merchant_id: Uuid,
    pub merchant_name: String,
    pub merchant_kind: MerchantKind,
    /// Share of applications the merchant answered within 48 hours; None before any was due.
    pub merchant_response_rate: Option<u8>,
    pub tags: Vec<TagLabel>,
    pub change_rounds: i16,
    /// The whole reward, itemised at the task's rate (the rate in effect now, for a draft).
    pub split: PayoutSplit,
    pub milestones: Vec<MilestoneView>,
    pub applicant_count: i64,
    pub viewer: Viewer,
    /// During work: which side proposed calling the task off, awaiting the other's agreement.
    pub cancel_proposed_by: Option<Party>,
    /// The viewer's own application, if they are a developer who applied.
    pub my_application: Option<ApplicationView>,
    /// All applications: for the owner only.
    pub applications: Vec<ApplicationView>,
    /// Who did what, when: for the two parties and admins.
    pub timeline: Vec<EventView>,
    /// The merchant's rating of the developer (1–5), once given; public like the task.
    pub rating: Option<u8>,
    /// Both sides' reviews of each other, as the viewer may see them (completed tasks).
    pub reviews: crate::views::reviews::TaskReviews,
    /// The lowest developer level that may apply; None for everyone.
    pub min_level: Option<Level>,
    /// A developer who has not applied: their level, to say whether this task is unlocked for them.
    pub viewer_level: Option<Level>,
    /// A developer who has not applied and may not apply now (suspended, or restricted by bad
    /// reviews or lost disputes): why, and until when. The page says so instead of offering 一键投递.
    #[serde(default)]
    pub viewer_restriction: Option<crate::views::trust::ActiveRestriction>,
    /// The owner's paid promotions that are not over yet.
    #[serde(default)]
    pub promotions: Vec<crate::views::membership::PromotionView>,
    /// For the owner of an open task: the key this render's promotion form carries, so a
    /// double-click buys once.
    #[serde(default)]
    pub promotion_key: Option<Uuid>,
    /// A developer invited to this task: the merchant's invitation (shown as a banner while open).
    #[serde(default)]
    pub my_invitation: Option<crate::views::invitations::InvitationView>,
    /// The day it was published (China time, `YYYY-MM-DD`); None for a draft.
    #[serde(default)]
    pub published_on: Option<String>,
}

/// What the task form needs: the managed tag list and the commission rates a task funded now gets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskFormOptions {
    /// The draft being edited, as its form; None for a new task.
    pub draft: Option<TaskForm>,
    pub tags: Vec<TagLabel>,
    /// The rates this merchant's tasks are funded at now, membership discount included.
    pub rates: MerchantRates,
    pub balance: Money,
    pub today: String,
}

/// A row of "my tasks": the merchant's posted tasks, or the tasks a developer applied to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyTaskRow {
    pub id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    pub reward: Money,
    pub deadline: String,
    /// Merchant: pending applications. Developer: None.
    pub pending_applications: Option<i64>,
    /// Developer: their application's status.
    pub application: Option<ApplicationStatus>,
}
