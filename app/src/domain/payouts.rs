//! Rules for money crossing the platform's edge: the payout outbox's states and retry schedule, what
//! a provider's callback may do to a settled order, and what reconciliation does with a provider's
//! answer. Pure: `db::payouts` and `db::payments` apply them.

use serde::{Deserialize, Serialize};

/// A payout request's state (`payout_requests.state`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayoutState {
    /// Written with the withdrawal; not yet acknowledged by the provider (new, or retrying).
    Pending,
    /// The provider acknowledged it under our out_biz_no; the result comes by callback or query.
    Sent,
    /// The provider paid it out: the withdrawal is complete.
    Paid,
    /// The provider refused or failed it: the money went back to the user's balance.
    Failed,
}

impl PayoutState {
    pub fn as_str(self) -> &'static str {
        match self {
            PayoutState::Pending => "pending",
            PayoutState::Sent => "sent",
            PayoutState::Paid => "paid",
            PayoutState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [PayoutState::Pending, PayoutState::Sent, PayoutState::Paid, PayoutState::Failed]
            .into_iter()
            .find(|state| state.as_str() == s)
    }

    pub fn is_final(self) -> bool {
        matches!(self, PayoutState::Paid | PayoutState::Failed)
    }

    /// The state after `event`, or None when the event cannot apply (a settled payout never moves).
    pub fn after(self, event: PayoutEvent) -> Option<PayoutState> {
        use PayoutEvent::*;
        use PayoutState::*;
        match (self, event) {
            (Paid | Failed, _) => None,
            (Pending, Acknowledged) => Some(Sent),
            // An acknowledgement that arrives after the result changes nothing.
            (Sent, Acknowledged) => Some(Sent),
            (Pending, SendError) => Some(Pending),
            (Sent, SendError) => None,
            (_, ProviderPaid) => Some(Paid),
            (_, ProviderFailed) => Some(Failed),
            // The provider has never heard of it: send it again under the same out_biz_no.
            (Pending | Sent, ProviderUnknown) => Some(Pending),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayoutEvent {
    Acknowledged,
    SendError,
    ProviderPaid,
    ProviderFailed,
    ProviderUnknown,
}

/// How long a claimed payout is left to its sender before another worker may send it again (a
/// process killed mid-send leaves its claim behind). Longer than a provider call may take.
pub const SEND_LEASE_SECS: i64 = 30;

/// The wait after the `attempts`-th failed send: 5 s doubling to at most 10 minutes, so a provider
/// outage is not hammered and a short one costs seconds.
pub fn retry_delay_secs(attempts: i32) -> i64 {
    let doublings = attempts.saturating_sub(1).clamp(0, 16) as u32;
    (5i64 << doublings).min(600)
}

/// The provider's answer to "query a transfer" or "query an order" (Alipay's
/// `alipay.fund.trans.common.query`, WeChat Pay's transfer and order queries have this shape).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProviderAnswer {
    Succeeded {
        amount_fen: i64,
        provider_txn: String,
        payer_account: Option<String>,
    },
    Failed {
        amount_fen: i64,
        provider_txn: String,
    },
    /// Accepted and still being processed.
    Processing,
    /// The provider has no transfer or paid order under that id.
    NotFound,
}

impl ProviderAnswer {
    /// One word for logs and the reconciliation list.
    pub fn label(&self) -> &'static str {
        match self {
            ProviderAnswer::Succeeded { .. } => "succeeded",
            ProviderAnswer::Failed { .. } => "failed",
            ProviderAnswer::Processing => "processing",
            ProviderAnswer::NotFound => "not_found",
        }
    }
}

/// Where an order or a withdrawal stands on our side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Waiting for the provider (an order `created`, a withdrawal `pending`).
    Open,
    Succeeded,
    Failed,
}

impl Standing {
    /// Reads `payment_orders.status` or `withdrawals.status`.
    pub fn parse(status: &str) -> Option<Self> {
        match status {
            "created" | "pending" => Some(Standing::Open),
            "paid" => Some(Standing::Succeeded),
            "failed" => Some(Standing::Failed),
            _ => None,
        }
    }
}

/// What a provider event (a callback, or a query's answer) does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStep {
    /// Apply it: move the money and settle.
    Settle,
    /// Already known: nothing changes.
    Duplicate,
    /// It contradicts what was settled (a "paid" after a "failed", or the reverse): recorded, and
    /// either confirmed by a query and applied, or put on the admins' reconciliation list.
    Contradiction,
}

pub fn event_step(standing: Standing, succeeded: bool) -> EventStep {
    match (standing, succeeded) {
        (Standing::Open, _) => EventStep::Settle,
        (Standing::Succeeded, true) | (Standing::Failed, false) => EventStep::Duplicate,
        (Standing::Succeeded, false) | (Standing::Failed, true) => EventStep::Contradiction,
    }
}

/// How long a deposit order may wait for its payment before reconciliation closes it as failed
/// (providers close unpaid orders too; a payment arriving later is still credited, as a late success).
pub const ORDER_LIFETIME_SECS: i64 = 30 * 60;

/// What reconciliation does with an open order or withdrawal, given the provider's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReconcileStep {
    Settle {
        succeeded: bool,
    },
    Wait,
    /// A withdrawal the provider never received: send it again under the same out_biz_no.
    Resend,
}

pub fn reconcile_withdrawal(answer: &ProviderAnswer) -> ReconcileStep {
    match answer {
        ProviderAnswer::Succeeded { .. } => ReconcileStep::Settle { succeeded: true },
        ProviderAnswer::Failed { .. } => ReconcileStep::Settle { succeeded: false },
        ProviderAnswer::Processing => ReconcileStep::Wait,
        ProviderAnswer::NotFound => ReconcileStep::Resend,
    }
}

/// An unpaid order the provider does not know is still the user's to pay until its lifetime ends.
pub fn reconcile_order(answer: &ProviderAnswer, age_secs: i64) -> ReconcileStep {
    match answer {
        ProviderAnswer::Succeeded { .. } => ReconcileStep::Settle { succeeded: true },
        ProviderAnswer::Failed { .. } => ReconcileStep::Settle { succeeded: false },
        ProviderAnswer::NotFound if age_secs >= ORDER_LIFETIME_SECS => ReconcileStep::Settle { succeeded: false },
        ProviderAnswer::Processing | ProviderAnswer::NotFound => ReconcileStep::Wait,
    }
}

/// The reconciliation period: the job runs this often and settles what has waited at least this
/// long. `CODELINK_RECONCILE_SECS` (a whole number ≥ 1) sets it; three minutes otherwise.
pub fn reconciliation_period_secs(setting: Option<&str>) -> u64 {
    setting.and_then(|s| s.trim().parse::<u64>().ok()).filter(|secs| *secs >= 1).unwrap_or(180)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_five_seconds_to_ten_minutes() {
        let delays: Vec<i64> = (1..=9).map(retry_delay_secs).collect();
        assert_eq!(delays, [5, 10, 20, 40, 80, 160, 320, 600, 600]);
        assert_eq!(retry_delay_secs(0), 5);
        assert_eq!(retry_delay_secs(i32::MAX), 600);
    }

    #[test]
    fn a_settled_payout_never_moves_and_unknown_ones_are_sent_again() {
        use PayoutEvent::*;
        use PayoutState::*;
        assert_eq!(Pending.after(Acknowledged), Some(Sent));
        assert_eq!(Pending.after(SendError), Some(Pending));
        assert_eq!(Sent.after(ProviderUnknown), Some(Pending));
        assert_eq!(Pending.after(ProviderPaid), Some(Paid), "an acknowledgement lost on the way");
        assert_eq!(Sent.after(ProviderFailed), Some(Failed));
        for event in [Acknowledged, SendError, ProviderPaid, ProviderFailed, ProviderUnknown] {
            assert_eq!(Paid.after(event), None);
            assert_eq!(Failed.after(event), None);
        }
        for state in [Pending, Sent, Paid, Failed] {
            assert_eq!(PayoutState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn a_late_success_after_a_failure_is_a_contradiction_never_a_duplicate() {
        assert_eq!(event_step(Standing::Open, true), EventStep::Settle);
        assert_eq!(event_step(Standing::Open, false), EventStep::Settle);
        assert_eq!(event_step(Standing::Succeeded, true), EventStep::Duplicate);
        assert_eq!(event_step(Standing::Failed, false), EventStep::Duplicate);
        assert_eq!(event_step(Standing::Failed, true), EventStep::Contradiction);
        assert_eq!(event_step(Standing::Succeeded, false), EventStep::Contradiction);
        assert_eq!(Standing::parse("created"), Some(Standing::Open));
        assert_eq!(Standing::parse("pending"), Some(Standing::Open));
    }

    #[test]
    fn reconciliation_follows_the_providers_answer() {
        let paid = ProviderAnswer::Succeeded { amount_fen: 1, provider_txn: "t".into(), payer_account: None };
        let failed = ProviderAnswer::Failed { amount_fen: 1, provider_txn: "t".into() };
        assert_eq!(reconcile_withdrawal(&paid), ReconcileStep::Settle { succeeded: true });
        assert_eq!(reconcile_withdrawal(&failed), ReconcileStep::Settle { succeeded: false });
        assert_eq!(reconcile_withdrawal(&ProviderAnswer::Processing), ReconcileStep::Wait);
        assert_eq!(reconcile_withdrawal(&ProviderAnswer::NotFound), ReconcileStep::Resend);
        assert_eq!(reconcile_order(&paid, 0), ReconcileStep::Settle { succeeded: true });
        assert_eq!(reconcile_order(&ProviderAnswer::NotFound, 60), ReconcileStep::Wait);
        assert_eq!(
            reconcile_order(&ProviderAnswer::NotFound, ORDER_LIFETIME_SECS),
            ReconcileStep::Settle { succeeded: false }
        );
    }

    #[test]
    fn the_period_is_configurable_and_never_zero() {
        assert_eq!(reconciliation_period_secs(None), 180);
        assert_eq!(reconciliation_period_secs(Some("2")), 2);
        assert_eq!(reconciliation_period_secs(Some("0")), 180);
        assert_eq!(reconciliation_period_secs(Some("soon")), 180);
    }
}
