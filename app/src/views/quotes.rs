//! The wire types of quotes (报价, `domain::quotes`): an application's own terms, itemised the way
//! the task itemises its reward, for the merchant choosing and the developer who quoted.

use crate::domain::{fees::PayoutSplit, money::Money};
use serde::{Deserialize, Serialize};

/// One application's quote. Its figures are itemised at the rate the applicant would be paid at
/// (the task's rate less their level's discount), as the task page itemises its reward once they
/// are chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteView {
    /// Each milestone's quoted amount, in order; empty when the quote keeps the amounts.
    pub milestones: Vec<QuotedMilestone>,
    /// The whole quoted reward (what the merchant pays), split like the task's own; None when the
    /// quote keeps the amounts.
    pub split: Option<PayoutSplit>,
    /// The reward the quote replaces: the task's now, or before the agreement once chosen.
    pub reward_before: Money,
    /// What choosing the quote moves: above zero a top-up from the merchant's balance into the
    /// escrow, below zero money back to it.
    pub escrow_change: Money,
    /// The proposed delivery date, "YYYY-MM-DD" (China time).
    pub deliver_by: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotedMilestone {
    pub position: i16,
    /// Empty for a task paid in one piece.
    pub title: String,
    /// The milestone's amount the quote replaces.
    pub before: Money,
    pub split: PayoutSplit,
}
