//! The wire types of `api::wallet`: what its server functions return, as data (no I/O).

use crate::domain::{
    ledger::MovementKind,
    money::Money,
    statement::{PayoutItems, Seek},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One line of the statement: one movement of the user's own money.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WalletLine {
    pub movement_id: i64,
    pub kind: MovementKind,
    /// Signed change of the user's own money (available + withdrawing together).
    pub amount: Money,
    /// Signed change of the withdrawing part: a withdrawal request moves money there (+), its
    /// payout or return takes it out (-).
    pub withdrawing: Money,
    /// The user's own money (available + withdrawing) after this movement.
    pub balance: Money,
    /// For a payout to the user as a task's developer: gross, commission and received.
    pub payout: Option<PayoutItems>,
    pub task_id: Option<Uuid>,
    pub task_title: Option<String>,
    /// China time, "YYYY-MM-DD HH:MM:SS".
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Wallet {
    pub available: Money,
    pub withdrawing: Money,
    /// Set aside in the escrow of the user's own tasks (and the prizes of their challenges).
    pub in_escrow: Money,
    /// Whether the page shows the escrow figure: always to merchants, to others when not zero.
    pub shows_escrow: bool,
    /// One page of the statement, newest first.
    pub lines: Vec<WalletLine>,
    /// The pages next to this one, when there are lines there.
    pub older: Option<Seek>,
    pub newer: Option<Seek>,
    /// Carried by this render's withdrawal form: submitting it twice withdraws once.
    pub request_key: Uuid,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SandboxOrder {
    pub id: Uuid,
    pub amount: Money,
    pub paid: bool,
}

/// One provider event about an order or withdrawal on the reconciliation list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProviderEvent {
    pub succeeded: bool,
    pub amount: Money,
    pub provider_txn: String,
    /// "callback" or "query".
    pub source: String,
    pub received_at: String,
}

/// A provider event that contradicted a settled order or withdrawal (a "paid" after a "failed").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Discrepancy {
    /// "payment" (a deposit) or "payout" (a withdrawal).
    pub kind: String,
    pub reference: Uuid,
    pub user_name: String,
    pub amount: Money,
    /// "open" (an admin must look) or "credited" (the provider confirmed the late payment).
    pub state: String,
    pub provider_answer: Option<String>,
    pub opened_at: String,
    /// Every event about it, oldest first: the failure and the late success both.
    pub events: Vec<ProviderEvent>,
}
