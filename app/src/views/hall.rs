//! The wire types of `api::hall`: what its server functions return, as data (no I/O).

use crate::domain::{account::MerchantKind, growth::Level, hall::HallQuery, money::Money, tasks::Difficulty};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagLabel {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskSummary {
    pub id: Uuid,
    pub title: String,
    pub difficulty: Difficulty,
    pub reward: Money,
    /// The deadline as a date in China Standard Time ("2026-12-31"), formatted by the database so
    /// the browser bundle carries no time-zone tables.
    pub deadline: String,
    /// Their public record is `domain::public_page::merchant_page`.
    #[serde(default)]
    pub merchant_id: Uuid,
    pub merchant_name: String,
    pub merchant_kind: MerchantKind,
    pub tags: Vec<TagLabel>,
    /// The lowest developer level that may apply; None for everyone.
    pub min_level: Option<Level>,
    /// The merchant paid for an urgent label (加急), shown as such.
    #[serde(default)]
    pub urgent: bool,
    /// Shown in the promoted strip because the merchant paid for a pin (置顶), labelled as such.
    #[serde(default)]
    pub promoted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HallPage {
    pub tasks: Vec<TaskSummary>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// The logged-in developer's level, so cards can say which tasks it does not unlock yet; None
    /// for visitors and other roles. (The page itself is shared by everyone and cached.)
    #[serde(default)]
    pub viewer_level: Option<Level>,
    /// The search words as the server cut them, for highlighting.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Open tasks per tag under the other filters, most first.
    #[serde(default)]
    pub tag_counts: Vec<TagCount>,
    /// Paid pins matching the query, shown above the first page's results and labelled as
    /// promoted; never mixed into the ranked results.
    #[serde(default)]
    pub pinned: Vec<TaskSummary>,
}

/// A developer's saved search: its URL query string and how many matching tasks were published
/// since they last opened it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub id: i64,
    pub query: HallQuery,
    pub url: String,
    pub new_tasks: i64,
}

/// A task recommended to a developer, with the skills that made it a match (the one-line reason).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub task: TaskSummary,
    pub matched: Vec<TagLabel>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagCount {
    pub tag: TagLabel,
    pub tasks: i64,
}
