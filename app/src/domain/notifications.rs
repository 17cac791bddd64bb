//! What each in-site notification is about, whether it asks the reader to act, and where it leads.
//! The kinds are the `kind` column of `notifications`; the texts live in the locale files.

use super::account::Role;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoticeKind {
    NewApplication,
    ApplicationAccepted,
    ApplicationDeclined,
    /// Declined because the merchant chose someone else.
    ApplicationNotChosen,
    ApplicationExpired,
    Delivered,
    ChangesRequested,
    Paid,
    Rated,
    RewardRaised,
    TaskCancelled,
    CancelProposed,
    CancelAgreed,
    DisputeOpened,
    DisputeSettled,
    WithdrawalFailed,
    SavedSearchMatch,
    /// The task is due within 48 hours and not delivered yet.
    DeadlineSoon,
    BadgeEarned,
    /// The other side reviewed you; theirs shows once you write yours (or in 14 days).
    ReviewWaiting,
    ReviewRevealed,
    NewMessage,
    /// Too many bad reviews or lost disputes: applying (or publishing) is paused.
    Restricted,
    /// Moderation: the published task waits for an admin's approval.
    TaskHeld,
    TaskApproved,
    /// The note holds the admin's reason.
    TaskRejected,
    TaskHidden,
    TaskRestored,
    /// An admin suspended the account; the note holds the reason.
    Suspended,
    /// An admin adjusted the developer's growth points; the note holds the amount and reason.
    GrowthAdjusted,
    /// A membership renewed itself for a month; the note holds the plan and price.
    MembershipRenewed,
    /// A membership ended (renewal off, or the balance could not cover it); the note holds the plan.
    MembershipEnded,
    /// A promotion ended early because the task left the hall; the note holds the refund.
    PromotionRefunded,
    /// A participant submitted an entry to the mentor's challenge.
    ContestEntry,
    /// The developer won a mentor challenge; the note holds the prize.
    ContestWon,
    /// The account logged in from a device (user agent + address) it never used before; the note
    /// holds the device and address.
    NewDevice,
    /// A merchant invites the developer to apply to a task; the note holds the merchant's words.
    /// Done once the developer applies or declines, or the task stops taking applications.
    Invitation,
    /// An admin answered the user's help-centre message; the note holds the reply.
    SupportReply,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 38] = [
        NoticeKind::NewApplication,
        NoticeKind::ApplicationAccepted,
        NoticeKind::ApplicationDeclined,
        NoticeKind::ApplicationNotChosen,
        NoticeKind::ApplicationExpired,
        NoticeKind::Delivered,
        NoticeKind::ChangesRequested,
        NoticeKind::Paid,
        NoticeKind::Rated,
        NoticeKind::RewardRaised,
        NoticeKind::TaskCancelled,
        NoticeKind::CancelProposed,
        NoticeKind::CancelAgreed,
        NoticeKind::DisputeOpened,
        NoticeKind::DisputeSettled,
        NoticeKind::WithdrawalFailed,
        NoticeKind::SavedSearchMatch,
        NoticeKind::DeadlineSoon,
        NoticeKind::BadgeEarned,
        NoticeKind::ReviewWaiting,
        NoticeKind::ReviewRevealed,
        NoticeKind::NewMessage,
        NoticeKind::Restricted,
        NoticeKind::TaskHeld,
        NoticeKind::TaskApproved,
        NoticeKind::TaskRejected,
        NoticeKind::TaskHidden,
        NoticeKind::TaskRestored,
        NoticeKind::Suspended,
        NoticeKind::GrowthAdjusted,
        NoticeKind::MembershipRenewed,
        NoticeKind::MembershipEnded,
        NoticeKind::PromotionRefunded,
        NoticeKind::ContestEntry,
        NoticeKind::ContestWon,
        NoticeKind::NewDevice,
        NoticeKind::Invitation,
        NoticeKind::SupportReply,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::NewApplication => "new_application",
            NoticeKind::ApplicationAccepted => "application_accepted",
            NoticeKind::ApplicationDeclined => "application_declined",
            NoticeKind::ApplicationNotChosen => "application_not_chosen",
            NoticeKind::ApplicationExpired => "application_expired",
            NoticeKind::Delivered => "delivered",
            NoticeKind::ChangesRequested => "changes_requested",
            NoticeKind::Paid => "paid",
            NoticeKind::Rated => "rated",
            NoticeKind::RewardRaised => "reward_raised",
            NoticeKind::TaskCancelled => "task_cancelled",
            NoticeKind::CancelProposed => "cancel_proposed",
            NoticeKind::CancelAgreed => "cancel_agreed",
            NoticeKind::DisputeOpened => "dispute_opened",
            NoticeKind::DisputeSettled => "dispute_settled",
            NoticeKind::WithdrawalFailed => "withdrawal_failed",
            NoticeKind::SavedSearchMatch => "saved_search_match",
            NoticeKind::DeadlineSoon => "deadline_soon",
            NoticeKind::BadgeEarned => "badge_earned",
            NoticeKind::ReviewWaiting => "review_waiting",
            NoticeKind::ReviewRevealed => "review_revealed",
            NoticeKind::NewMessage => "new_message",
            NoticeKind::Restricted => "restricted",
            NoticeKind::TaskHeld => "task_held",
            NoticeKind::TaskApproved => "task_approved",
            NoticeKind::TaskRejected => "task_rejected",
            NoticeKind::TaskHidden => "task_hidden",
            NoticeKind::TaskRestored => "task_restored",
            NoticeKind::Suspended => "suspended",
            NoticeKind::GrowthAdjusted => "growth_adjusted",
            NoticeKind::MembershipRenewed => "membership_renewed",
            NoticeKind::MembershipEnded => "membership_ended",
            NoticeKind::PromotionRefunded => "promotion_refunded",
            NoticeKind::ContestEntry => "contest_entry",
            NoticeKind::ContestWon => "contest_won",
            NoticeKind::NewDevice => "new_device",
            NoticeKind::Invitation => "invitation",
            NoticeKind::SupportReply => "support_reply",
        }
    }

    pub fn parse(kind: &str) -> Option<Self> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The reader has something to do (review a delivery, answer a proposal), not just something to
    /// know: the list marks these so they are not lost among the rest.
    pub fn needs_action(self) -> bool {
        matches!(
            self,
            NoticeKind::NewApplication
                | NoticeKind::Delivered
                | NoticeKind::ChangesRequested
                | NoticeKind::CancelProposed
                | NoticeKind::DisputeOpened
                | NoticeKind::WithdrawalFailed
                | NoticeKind::DeadlineSoon
                | NoticeKind::ReviewWaiting
                | NoticeKind::NewMessage
                | NoticeKind::Invitation
        )
    }

    /// The kinds that ask for a step in a task's flow: once the task is over (completed or
    /// cancelled), nothing they asked can still be done, so they are done too. Reviews and messages
    /// outlive the task.
    pub const TASK_FLOW: [NoticeKind; 7] = [
        NoticeKind::NewApplication,
        NoticeKind::Delivered,
        NoticeKind::ChangesRequested,
        NoticeKind::CancelProposed,
        NoticeKind::DisputeOpened,
        NoticeKind::DeadlineSoon,
        NoticeKind::Invitation,
    ];

    /// Whether the list marks it 待处理: it asks for something and that is not done yet. A message
    /// or a failed withdrawal asks only to be read; the rest are done by the step they ask for.
    pub fn pending(self, done: bool, unread: bool) -> bool {
        let answered_by_reading = matches!(self, NoticeKind::NewMessage | NoticeKind::WithdrawalFailed);
        self.needs_action() && !done && (unread || !answered_by_reading)
    }

    /// Where reading it leads: the task it is about, the wallet for money that came back, or the
    /// saved search that matched (its note holds the hall URL, which must stay on this site).
    pub fn target(self, task: Option<Uuid>, note: &str) -> String {
        match (self, task) {
            (NoticeKind::WithdrawalFailed, _) => "/wallet".to_string(),
            (NoticeKind::BadgeEarned, _) => "/growth".to_string(),
            (NoticeKind::Restricted | NoticeKind::Suspended, _) => "/credit".to_string(),
            (NoticeKind::GrowthAdjusted, _) => "/growth".to_string(),
            (NoticeKind::MembershipRenewed | NoticeKind::MembershipEnded, _) => "/membership".to_string(),
            (NoticeKind::ContestEntry | NoticeKind::ContestWon, _) => "/contests".to_string(),
            (NoticeKind::NewDevice, _) => "/security".to_string(),
            (NoticeKind::SupportReply, _) => "/help".to_string(),
            (NoticeKind::SavedSearchMatch, _) if note.starts_with("/?") || note == "/" => note.to_string(),
            (_, Some(task)) => format!("/tasks/{task}"),
            (_, None) => "/me".to_string(),
        }
    }

    /// What an e-mail names under its text: the task it is about, or for a new device the device
    /// and address (a mail that only said "a new device" would send the reader to the site to learn
    /// whether to worry).
    pub fn mail_about<'a>(self, task_title: Option<&'a str>, note: &'a str) -> Option<&'a str> {
        match self {
            NoticeKind::NewDevice if !note.is_empty() => Some(note),
            _ => task_title,
        }
    }

    /// Whether an account with `role` is ever sent this kind: the e-mail preferences offer only
    /// these. Developers apply, deliver and grow; merchants publish, review and pay; both take part
    /// in a task's cancellations, disputes, reviews and messages; everyone has devices and may ask
    /// the help centre.
    pub fn reaches(self, role: Role) -> bool {
        use NoticeKind as K;
        let both = matches!(
            self,
            K::CancelProposed
                | K::CancelAgreed
                | K::DisputeOpened
                | K::DisputeSettled
                | K::WithdrawalFailed
                | K::ReviewWaiting
                | K::ReviewRevealed
                | K::NewMessage
                | K::Restricted
                | K::Suspended
                | K::MembershipRenewed
                | K::MembershipEnded
        );
        let everyone = matches!(self, K::NewDevice | K::SupportReply);
        match role {
            Role::Developer => {
                everyone
                    || both
                    || matches!(
                        self,
                        K::ApplicationAccepted
                            | K::ApplicationDeclined
                            | K::ApplicationNotChosen
                            | K::ApplicationExpired
                            | K::ChangesRequested
                            | K::Paid
                            | K::Rated
                            | K::RewardRaised
                            | K::TaskCancelled
                            | K::SavedSearchMatch
                            | K::DeadlineSoon
                            | K::BadgeEarned
                            | K::GrowthAdjusted
                            | K::ContestEntry
                            | K::ContestWon
                            | K::Invitation
                    )
            }
            Role::Merchant => {
                everyone
                    || both
                    || matches!(
                        self,
                        K::NewApplication
                            | K::Delivered
                            | K::TaskHeld
                            | K::TaskApproved
                            | K::TaskRejected
                            | K::TaskHidden
                            | K::TaskRestored
                            | K::PromotionRefunded
                    )
            }
            Role::Admin => everyone,
        }
    }

    /// The kinds an account with `role` can receive, in the list's order.
    pub fn for_role(role: Role) -> Vec<NoticeKind> {
        NoticeKind::ALL.into_iter().filter(|kind| kind.reaches(role)).collect()
    }

    /// The note is shown beside the text only where it is the other side's own words or an amount;
    /// for a saved search it is the URL.
    pub fn shows_note(self, note: &str) -> bool {
        !note.is_empty() && self != NoticeKind::SavedSearchMatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_name() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NoticeKind::parse("no_such_kind"), None);
    }

    #[test]
    fn each_role_is_offered_only_what_it_can_receive() {
        let developer = NoticeKind::for_role(Role::Developer);
        let merchant = NoticeKind::for_role(Role::Merchant);
        assert!(developer.contains(&NoticeKind::Paid) && !developer.contains(&NoticeKind::NewApplication));
        assert!(merchant.contains(&NoticeKind::NewApplication) && !merchant.contains(&NoticeKind::BadgeEarned));
        assert!(!merchant.contains(&NoticeKind::Paid), "merchants pay, developers are paid");
        for shared in
            [NoticeKind::NewMessage, NoticeKind::DisputeOpened, NoticeKind::NewDevice, NoticeKind::SupportReply]
        {
            assert!(developer.contains(&shared) && merchant.contains(&shared), "{shared:?}");
        }
        assert_eq!(NoticeKind::for_role(Role::Admin), vec![NoticeKind::NewDevice, NoticeKind::SupportReply]);
        // Every kind reaches somebody, so none is silently left out of every preference list.
        for kind in NoticeKind::ALL {
            assert!([Role::Developer, Role::Merchant].iter().any(|r| kind.reaches(*r)), "{kind:?}");
        }
    }

    #[test]
    fn a_new_device_mail_names_the_device_and_others_their_task() {
        let device = "Chrome · Windows · 1.2.3.4";
        assert_eq!(NoticeKind::NewDevice.mail_about(None, device), Some(device));
        assert_eq!(NoticeKind::Delivered.mail_about(Some("数据看板"), "¥12.00"), Some("数据看板"));
        assert_eq!(NoticeKind::NewDevice.target(None, ""), "/security");
    }

    #[test]
    fn notices_lead_to_what_they_are_about() {
        let task = Uuid::from_u128(7);
        assert_eq!(NoticeKind::Delivered.target(Some(task), ""), format!("/tasks/{task}"));
        assert_eq!(NoticeKind::WithdrawalFailed.target(None, "¥12.00"), "/wallet");
        assert_eq!(NoticeKind::BadgeEarned.target(Some(task), "首单完成 · First task"), "/growth");
        assert_eq!(NoticeKind::DeadlineSoon.target(Some(task), "2026-11-25"), format!("/tasks/{task}"));
        assert_eq!(NoticeKind::SavedSearchMatch.target(Some(task), "/?q=rust&tag=web"), "/?q=rust&tag=web");
    }

    #[test]
    fn a_saved_search_never_leads_off_the_site() {
        let task = Uuid::from_u128(7);
        for hostile in ["https://evil.example/", "//evil.example", "javascript:alert(1)"] {
            assert_eq!(NoticeKind::SavedSearchMatch.target(Some(task), hostile), format!("/tasks/{task}"));
        }
    }

    #[test]
    fn only_words_and_amounts_are_shown_as_notes() {
        assert!(NoticeKind::ApplicationDeclined.shows_note("预算有限"));
        assert!(!NoticeKind::ApplicationDeclined.shows_note(""));
        assert!(!NoticeKind::SavedSearchMatch.shows_note("/?q=rust"));
        assert!(!NoticeKind::Paid.shows_note(""));
        assert!(NoticeKind::Paid.shows_note("¥900.00"));
    }

    #[test]
    fn acting_kinds_are_the_ones_that_wait_on_the_reader() {
        assert!(NoticeKind::Delivered.needs_action());
        assert!(NoticeKind::NewApplication.needs_action());
        assert!(!NoticeKind::Paid.needs_action());
        assert!(!NoticeKind::SavedSearchMatch.needs_action());
        assert!(NoticeKind::Delivered.pending(false, false), "read but not checked yet");
        assert!(!NoticeKind::Delivered.pending(true, true), "done is no longer pending");
        assert!(!NoticeKind::Paid.pending(false, true));
        assert!(NoticeKind::NewMessage.pending(false, true));
        assert!(!NoticeKind::NewMessage.pending(false, false), "a message is answered by reading it");
        assert!(NoticeKind::TASK_FLOW.iter().all(|k| k.needs_action()));
        assert!(!NoticeKind::TASK_FLOW.contains(&NoticeKind::ReviewWaiting), "a review is still owed after the task");
        assert!(NoticeKind::Invitation.pending(false, false), "an invitation waits for an answer, read or not");
        assert!(!NoticeKind::Invitation.pending(true, false));
    }
}
