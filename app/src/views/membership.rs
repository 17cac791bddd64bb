//! The wire types of `api::membership`: what its server functions return, as data (no I/O).

use crate::domain::{
    account::Role,
    membership::{Benefits, PlanTerms, PromotionKind},
    money::Money,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A plan as its buyer sees it: the terms, and their running period if any.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanOffer {
    pub terms: PlanTerms,
    /// When the last bought period ends ("YYYY-MM-DD HH:MM", China time); None when not a member.
    pub active_until: Option<String>,
    pub auto_renew: bool,
    /// What cancelling now would return to the balance.
    pub refund_now: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipPage {
    pub role: Role,
    pub offers: Vec<PlanOffer>,
    pub benefits: Benefits,
    pub balance: Money,
    /// Carried by this render's purchase forms: submitting one twice buys once.
    pub purchase_key: Uuid,
    /// The refund of a cancellation made just before this page was shown: the cancel form posts
    /// and comes back here, so the amount waits in the session and is shown once.
    pub refunded: Option<Money>,
}

/// A promotion running (or queued) on a task, for its owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromotionView {
    pub kind: PromotionKind,
    pub days: u8,
    pub price: Money,
    pub starts_at: String,
    pub ends_at: String,
}
