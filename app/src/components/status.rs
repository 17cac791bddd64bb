//! Words and colours for lifecycle states, in the reader's language.

use crate::{
    components::money::Tone,
    domain::{
        ledger::MovementKind,
        lifecycle::{ApplicationStatus, MilestoneStatus, TaskStatus},
    },
    i18n::*,
};

type I18n = leptos_i18n::I18nContext<Locale>;

pub fn task_status(i18n: I18n, status: TaskStatus) -> (&'static str, Tone) {
    match status {
        TaskStatus::Draft => (t_string!(i18n, task_status_draft), Tone::Neutral),
        TaskStatus::Open => (t_string!(i18n, task_status_open), Tone::Info),
        TaskStatus::InProgress => (t_string!(i18n, task_status_in_progress), Tone::Warn),
        TaskStatus::Completed => (t_string!(i18n, task_status_completed), Tone::Good),
        TaskStatus::Cancelled => (t_string!(i18n, task_status_cancelled), Tone::Neutral),
        TaskStatus::PendingReview => (t_string!(i18n, task_status_pending_review), Tone::Warn),
        TaskStatus::Rejected => (t_string!(i18n, task_status_rejected), Tone::Bad),
        TaskStatus::Hidden => (t_string!(i18n, task_status_hidden), Tone::Neutral),
    }
}

pub fn milestone_status(i18n: I18n, status: MilestoneStatus) -> (&'static str, Tone) {
    match status {
        MilestoneStatus::Waiting => (t_string!(i18n, milestone_waiting), Tone::Neutral),
        MilestoneStatus::Working => (t_string!(i18n, milestone_working), Tone::Info),
        MilestoneStatus::Delivered => (t_string!(i18n, milestone_delivered), Tone::Warn),
        MilestoneStatus::ChangesRequested => (t_string!(i18n, milestone_changes_requested), Tone::Warn),
        MilestoneStatus::Released => (t_string!(i18n, milestone_released), Tone::Good),
        MilestoneStatus::Refunded => (t_string!(i18n, milestone_refunded), Tone::Neutral),
        MilestoneStatus::Disputed => (t_string!(i18n, milestone_disputed), Tone::Bad),
        MilestoneStatus::Settled => (t_string!(i18n, milestone_settled), Tone::Neutral),
    }
}

pub fn application_status(i18n: I18n, status: ApplicationStatus) -> (&'static str, Tone) {
    match status {
        ApplicationStatus::Pending => (t_string!(i18n, application_pending), Tone::Info),
        ApplicationStatus::Accepted => (t_string!(i18n, application_accepted), Tone::Good),
        ApplicationStatus::Declined => (t_string!(i18n, application_declined), Tone::Neutral),
        ApplicationStatus::Expired => (t_string!(i18n, application_expired), Tone::Bad),
        ApplicationStatus::Withdrawn => (t_string!(i18n, application_withdrawn), Tone::Neutral),
    }
}

pub fn movement_kind(i18n: I18n, kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Deposit => t_string!(i18n, movement_deposit),
        MovementKind::EscrowFund => t_string!(i18n, movement_escrow_fund),
        MovementKind::EscrowRelease => t_string!(i18n, movement_escrow_release),
        MovementKind::EscrowRefund => t_string!(i18n, movement_escrow_refund),
        MovementKind::DisputeSplit => t_string!(i18n, movement_dispute_split),
        MovementKind::WithdrawalHold => t_string!(i18n, movement_withdrawal_hold),
        MovementKind::WithdrawalPaid => t_string!(i18n, movement_withdrawal_paid),
        MovementKind::WithdrawalReturned => t_string!(i18n, movement_withdrawal_returned),
        MovementKind::Purchase => t_string!(i18n, movement_purchase),
        MovementKind::PurchaseRefund => t_string!(i18n, movement_purchase_refund),
        MovementKind::PrizeFund => t_string!(i18n, movement_prize_fund),
        MovementKind::PrizeAward => t_string!(i18n, movement_prize_award),
        MovementKind::PrizeRefund => t_string!(i18n, movement_prize_refund),
    }
}

/// A timeline entry's kind (as stored in `task_events.kind`).
pub fn event_kind(i18n: I18n, kind: &str) -> &'static str {
    match kind {
        "created" => t_string!(i18n, event_created),
        "edited" => t_string!(i18n, event_edited),
        "published" => t_string!(i18n, event_published),
        "cancelled" => t_string!(i18n, event_cancelled),
        "developer_chosen" => t_string!(i18n, event_developer_chosen),
        "delivered" => t_string!(i18n, event_delivered),
        "changes_requested" => t_string!(i18n, event_changes_requested),
        "accepted" => t_string!(i18n, event_accepted),
        "auto_accepted" => t_string!(i18n, event_auto_accepted),
        "dispute_opened" => t_string!(i18n, event_dispute_opened),
        "dispute_settled" => t_string!(i18n, event_dispute_settled),
        "completed" => t_string!(i18n, event_completed),
        "cancel_proposed" => t_string!(i18n, event_cancel_proposed),
        "cancel_agreed" => t_string!(i18n, event_cancel_agreed),
        "reward_raised" => t_string!(i18n, event_reward_raised),
        "terms_agreed" => t_string!(i18n, event_terms_agreed),
        "rated" => t_string!(i18n, event_rated),
        "approved" => t_string!(i18n, event_approved),
        "rejected" => t_string!(i18n, event_rejected),
        "hidden" => t_string!(i18n, event_hidden),
        "restored" => t_string!(i18n, event_restored),
        "dispute_answered" => t_string!(i18n, event_dispute_answered),
        _ => t_string!(i18n, event_other),
    }
}
