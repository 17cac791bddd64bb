//! The wire types of `api::trust`: what its server functions return, as data (no I/O).

use crate::domain::credit::RestrictionReason;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A restriction in force, as the user is told it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActiveRestriction {
    pub reason: RestrictionReason,
    /// The day it ends (China time), unless an admin lifts it sooner.
    pub until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RestrictedUser {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: String,
    pub restriction: ActiveRestriction,
}

/// A finished task whose merchant and developer look related; its growth rewards are held.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AbuseFlag {
    pub task_id: Uuid,
    pub task_title: String,
    pub merchant_name: String,
    pub developer_name: String,
    /// `shared_address` or `shared_payment_account`.
    pub reason: String,
    pub evidence: String,
    pub flagged_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrustOverview {
    pub restricted: Vec<RestrictedUser>,
    pub flags: Vec<AbuseFlag>,
    pub outbox: Vec<OutboxMail>,
}
