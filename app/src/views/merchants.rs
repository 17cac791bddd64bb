//! The wire types of `api::merchants`: what its server functions return, as data (no I/O).

use crate::{
    domain::{account::MerchantKind, money::Money},
    views::hall::TaskSummary,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MerchantProfile {
    pub id: Uuid,
    pub name: String,
    pub kind: MerchantKind,
    pub member_since: String,
    /// Published (not drafts).
    pub tasks_posted: i64,
    pub tasks_completed: i64,
    pub tasks_cancelled: i64,
    /// Accepted milestones, before commission: what the merchant actually paid out.
    pub paid_to_developers: Money,
    /// Share of applications answered within 48 hours; None before any was due.
    pub response_rate: Option<u8>,
    /// Up to 20, newest first.
    pub open_tasks: Vec<TaskSummary>,
    pub credit: crate::domain::credit::CreditScore,
    /// Developers' revealed reviews of this merchant, newest first.
    pub reviews: Vec<crate::views::reviews::ReviewView>,
}
