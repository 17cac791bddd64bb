//! The task lifecycle as a pure state machine: which party may do what, in which state, and what the
//! state becomes. The database layer asks these functions before every change and writes only what
//! they return, so a refused transition never reaches the ledger.
//!
//! A task is paid in milestones. The task's own status says whether it is being prepared, looking for
//! a developer, being worked on, or finished; each milestone is delivered, accepted, disputed and
//! paid on its own, so a dispute freezes only the milestone it concerns.

use super::account::Role;
use serde::{Deserialize, Serialize};

/// Who acts. `System` is the platform's background job (deadlines), never a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Merchant,
    Developer,
    Admin,
    System,
}

/// Why a transition was refused; shown to the user in their language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// This party may never do this.
    NotYourTurn,
    /// The task or milestone is not in a state where this makes sense (already done, too early...).
    WrongState,
    /// Every allowed round of changes has been used; accept or open a dispute.
    NoChangeRoundsLeft,
    /// A developer is working on it: cancelling needs their consent or a dispute.
    NeedsDeveloperConsent,
    /// A published task's reward can only go up.
    RewardLowered,
    AlreadyApplied,
    /// The merchant cannot apply to their own task.
    OwnTask,
    /// The task asks for a higher developer level than the applicant's.
    LevelTooLow,
    /// The developer already has as many unanswered applications as their level allows.
    TooManyOpenApplications,
    /// Today's applications are used up (高级会员 raises the allowance).
    DailyApplicationLimit,
    /// The merchant already has as many open tasks as their plan allows (企业会员 raises it).
    TooManyOpenTasks,
    /// An advanced challenge needs the growth pass (成长通行证).
    NeedsGrowthPass,
    /// The application was answered (chosen, declined or expired) or withdrawn already.
    NotWithdrawable,
}

macro_rules! string_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Being written; no money involved yet.
    Draft,
    /// Funded, waiting for an admin's approval before it shows in the hall (a new merchant's first
    /// tasks, or blocked words; see `domain::moderation`).
    PendingReview,
    /// Published and funded: the reward sits in escrow while developers apply.
    Open,
    /// A developer was chosen; milestones are being worked on.
    InProgress,
    /// Every milestone was paid out, refunded or settled.
    Completed,
    Cancelled,
    /// An admin refused to publish it; the escrow went back to the merchant.
    Rejected,
    /// An admin took it off the hall; the escrow stays until it is restored or cancelled.
    Hidden,
}
string_enum!(TaskStatus {
    Draft => "draft", PendingReview => "pending_review", Open => "open", InProgress => "in_progress",
    Completed => "completed", Cancelled => "cancelled", Rejected => "rejected", Hidden => "hidden",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Before a developer is chosen.
    Waiting,
    Working,
    Delivered,
    ChangesRequested,
    /// Accepted and paid to the developer.
    Released,
    /// Returned to the merchant (task cancelled before work began).
    Refunded,
    Disputed,
    /// An admin split the escrow.
    Settled,
}
string_enum!(MilestoneStatus {
    Waiting => "waiting", Working => "working", Delivered => "delivered",
    ChangesRequested => "changes_requested", Released => "released", Refunded => "refunded",
    Disputed => "disputed", Settled => "settled",
});

impl TaskStatus {
    /// Nothing more can happen to the task's work or money.
    pub fn is_over(self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Cancelled | TaskStatus::Rejected)
    }
}

impl MilestoneStatus {
    /// Whether this milestone's amount is still held in the task's escrow.
    pub fn holds_escrow(self) -> bool {
        !matches!(self, MilestoneStatus::Released | MilestoneStatus::Refunded | MilestoneStatus::Settled)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Pending,
    Accepted,
    Declined,
    /// The merchant did not answer within 48 hours.
    Expired,
    /// The developer took it back before the merchant answered (`withdrawal::withdraw`).
    Withdrawn,
}
string_enum!(ApplicationStatus {
    Pending => "pending", Accepted => "accepted", Declined => "declined", Expired => "expired",
    Withdrawn => "withdrawn",
});

mod withdrawal;
pub use withdrawal::{may_withdraw_application, withdraw};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskAction {
    EditDraft,
    /// Moves the reward into escrow.
    Publish,
    ChooseDeveloper,
    /// Before a developer is chosen: the escrow goes back in full.
    Cancel,
    /// During work, either side proposes to call it off; nothing changes until the other agrees.
    ProposeCancel,
    /// The other side agrees: unpaid milestones go back to the merchant (see `check_cancel_consent`).
    AgreeCancel,
    /// The last milestone reached a final state.
    Finish,
    /// Moderation: a task waiting for review goes to the hall.
    Approve,
    /// Moderation: a task waiting for review is refused; its escrow returns.
    Reject,
    /// Moderation: an open task leaves the hall.
    Hide,
    /// Moderation: a hidden task returns to the hall.
    Restore,
}

pub fn task_transition(status: TaskStatus, action: TaskAction, by: Party) -> Result<TaskStatus, Refusal> {
    use TaskAction::*;
    use TaskStatus::*;
    let allowed_party = match action {
        EditDraft | Publish | ChooseDeveloper | Cancel => by == Party::Merchant,
        ProposeCancel | AgreeCancel => matches!(by, Party::Merchant | Party::Developer),
        Finish => matches!(by, Party::System | Party::Merchant | Party::Admin),
        Approve | Reject | Hide | Restore => by == Party::Admin,
    };
    if !allowed_party {
        return Err(Refusal::NotYourTurn);
    }
    match (status, action) {
        (Draft, EditDraft) => Ok(Draft),
        (Draft, Publish) => Ok(Open),
        (Open, ChooseDeveloper) => Ok(InProgress),
        (Draft | Open | PendingReview | Hidden, Cancel) => Ok(Cancelled),
        (PendingReview, Approve) | (Hidden, Restore) => Ok(Open),
        (PendingReview, Reject) => Ok(Rejected),
        (Open, Hide) => Ok(Hidden),
        (InProgress, Cancel) => Err(Refusal::NeedsDeveloperConsent),
        (InProgress, ProposeCancel) => Ok(InProgress),
        (InProgress, AgreeCancel) => Ok(Cancelled),
        (InProgress, Finish) => Ok(Completed),
        _ => Err(Refusal::WrongState),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MilestoneAction {
    /// The task's developer was chosen.
    Start,
    Deliver,
    Accept,
    RequestChanges,
    OpenDispute,
    /// An admin's decision on a dispute.
    Settle,
    /// The task was cancelled before work began.
    Refund,
}

/// A milestone's state plus how many change rounds it has used and may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MilestoneState {
    pub status: MilestoneStatus,
    pub rounds_used: i16,
    pub rounds_allowed: i16,
}

pub fn milestone_transition(
    state: MilestoneState,
    action: MilestoneAction,
    by: Party,
) -> Result<MilestoneStatus, Refusal> {
    use MilestoneAction::*;
    use MilestoneStatus::*;
    let allowed_party = match action {
        Start | Refund => matches!(by, Party::Merchant | Party::System),
        Deliver => by == Party::Developer,
        // Silence for 7 days after a delivery accepts it: that is the platform acting.
        Accept => matches!(by, Party::Merchant | Party::System),
        RequestChanges => by == Party::Merchant,
        OpenDispute => matches!(by, Party::Merchant | Party::Developer),
        Settle => by == Party::Admin,
    };
    if !allowed_party {
        return Err(Refusal::NotYourTurn);
    }
    match (state.status, action) {
        (Waiting, Start) => Ok(Working),
        // Before work starts (task cancelled), or unpaid work both sides agreed to call off.
        (Waiting | Working | Delivered | ChangesRequested, Refund) => Ok(Refunded),
        (Working | ChangesRequested, Deliver) => Ok(Delivered),
        (Delivered, Accept) => Ok(Released),
        (Delivered, RequestChanges) if state.rounds_used < state.rounds_allowed => Ok(ChangesRequested),
        (Delivered, RequestChanges) => Err(Refusal::NoChangeRoundsLeft),
        (Working | Delivered | ChangesRequested, OpenDispute) => Ok(Disputed),
        (Disputed, Settle) => Ok(Settled),
        _ => Err(Refusal::WrongState),
    }
}

/// Agreeing to cancel needs a proposal from the *other* side, and no milestone under dispute (an
/// admin decides those first).
pub fn check_cancel_consent(proposed_by: Option<Party>, by: Party, any_disputed: bool) -> Result<(), Refusal> {
    match proposed_by {
        None => Err(Refusal::WrongState),
        Some(proposer) if proposer == by => Err(Refusal::NotYourTurn),
        Some(_) if any_disputed => Err(Refusal::WrongState),
        Some(_) => Ok(()),
    }
}

/// The task is finished once no milestone holds escrow any more.
pub fn all_milestones_final(statuses: &[MilestoneStatus]) -> bool {
    statuses.iter().all(|s| !s.holds_escrow())
}

/// Drafts are freely editable; a published task's reward may rise but never fall.
pub fn check_reward_change(status: TaskStatus, old_fen: i64, new_fen: i64) -> Result<(), Refusal> {
    match status {
        TaskStatus::Draft => Ok(()),
        _ if new_fen < old_fen => Err(Refusal::RewardLowered),
        _ => Ok(()),
    }
}

/// Raising one milestone's amount after publishing (the merchant adds money to the escrow, e.g. when
/// no one applies at the first price). Only while the task is live and the milestone unpaid and not
/// disputed; never downwards. Ok(false): the amount is already this (a retried request).
pub fn check_raise(task: TaskStatus, milestone: MilestoneStatus, old_fen: i64, new_fen: i64) -> Result<bool, Refusal> {
    if !may_raise(task, milestone) {
        return Err(Refusal::WrongState);
    }
    check_reward_change(task, old_fen, new_fen)?;
    Ok(new_fen != old_fen)
}

/// Whether a milestone's amount may be raised at all, whatever the amounts: the task is live and the
/// milestone unpaid and not disputed. `check_raise` refuses by it and the page offers the form by it.
pub fn may_raise(task: TaskStatus, milestone: MilestoneStatus) -> bool {
    use MilestoneStatus as M;
    let live = matches!(task, TaskStatus::Open | TaskStatus::InProgress);
    let unpaid = matches!(milestone, M::Waiting | M::Working | M::Delivered | M::ChangesRequested);
    live && unpaid
}

/// Hours a merchant has to answer an application (the 48 小时反馈保证).
pub const ANSWER_WITHIN_HOURS: i64 = 48;
/// Days after a delivery at which silence counts as acceptance.
pub const AUTO_ACCEPT_AFTER_DAYS: i64 = 7;

/// Whether `me` may answer a milestone's open dispute: the side that did not open it, once. The page
/// offers the answer form by this rule and the server accepts an answer by the same one.
pub fn may_answer_dispute(me: Party, opened_by: Party, answered: bool) -> bool {
    matches!(me, Party::Merchant | Party::Developer) && me != opened_by && !answered
}

/// How the viewer relates to the task; decides which actions the page offers. The server works the
/// relation out from the session when it reads the page (`Viewer::of`, in `read::task_page`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Viewer {
    Anonymous,
    Owner,
    /// The developer chosen for the task.
    Developer,
    /// A developer who has not been chosen (may apply while the task is open).
    OtherDeveloper,
    OtherMerchant,
    Admin,
}

impl Viewer {
    /// Who a signed-in `user` (with their role), or a visitor (None), is to a task posted by
    /// `merchant` and taken by `developer`.
    pub fn of(user: Option<(uuid::Uuid, Role)>, merchant: uuid::Uuid, developer: Option<uuid::Uuid>) -> Viewer {
        match user {
            None => Viewer::Anonymous,
            Some((_, Role::Admin)) => Viewer::Admin,
            Some((user, _)) if user == merchant => Viewer::Owner,
            Some((user, _)) if Some(user) == developer => Viewer::Developer,
            Some((_, Role::Developer)) => Viewer::OtherDeveloper,
            Some((_, _)) => Viewer::OtherMerchant,
        }
    }

    /// Whether the viewer may see the task's page at all. Drafts are private to their author (and
    /// admins). A developer who keeps their clients private (NDA on their public card) would
    /// otherwise be undone by the task page the card's verification links lead to: once a task is
    /// taken by such a developer, only its parties and admins see it.
    pub fn may_see(self, status: TaskStatus, developer_hides_clients: bool) -> bool {
        let party = matches!(self, Viewer::Owner | Viewer::Developer | Viewer::Admin);
        match status {
            TaskStatus::Draft => matches!(self, Viewer::Owner | Viewer::Admin),
            TaskStatus::Open => true,
            _ => party || !developer_hides_clients,
        }
    }

    /// The task's parties and admins see deliveries and the timeline.
    pub fn is_party_or_admin(self) -> bool {
        matches!(self, Viewer::Owner | Viewer::Developer | Viewer::Admin)
    }

    /// The party the viewer acts as in the task's state machine. Only the task's own merchant and
    /// developer act on it from its page; an admin settles disputes from the console.
    pub fn party(self) -> Option<Party> {
        match self {
            Viewer::Owner => Some(Party::Merchant),
            Viewer::Developer => Some(Party::Developer),
            _ => None,
        }
    }
}

/// Where calling off a task in progress stands for one of its parties, so the page shows the one
/// step that party may take: what `task_transition` and `check_cancel_consent` accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CancelStep {
    /// Nothing proposed yet: this party may propose.
    Propose,
    /// This party proposed; the other side has not answered.
    WaitForOther,
    /// The other side proposed: this party may agree.
    Agree,
    /// The other side proposed, but a milestone is under dispute: an admin decides it before
    /// anyone can agree.
    AgreeAfterDispute,
}

/// What a task's page offers its viewer on the task as a whole (each milestone has its own
/// `MilestoneOffers`). Every offer is a step the server accepts from that viewer in that state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskOffers {
    pub publish: bool,
    pub edit_draft: bool,
    /// Cancelling outright, before a developer is chosen.
    pub cancel: bool,
    /// A signed-in developer may apply (their level and restrictions are checked on top).
    pub apply: bool,
    /// Nobody is signed in while the task takes applications: the page offers logging in to apply.
    pub login_to_apply: bool,
    /// During work, calling the task off by consent.
    pub cancel_by_consent: Option<CancelStep>,
    /// Reporting the task to the moderators: offered to signed-in people who neither own it nor
    /// moderate it.
    pub report: bool,
}

/// The offers of `TaskOffers`. `proposed_by` is who proposed calling the task off, if anyone;
/// `any_disputed` whether one of its milestones is under dispute.
pub fn task_offers(viewer: Viewer, status: TaskStatus, proposed_by: Option<Party>, any_disputed: bool) -> TaskOffers {
    let party = viewer.party();
    let may = |action| party.is_some_and(|by| task_transition(status, action, by).is_ok());
    let cancel_by_consent = party.filter(|_| may(TaskAction::ProposeCancel)).map(|me| match proposed_by {
        None => CancelStep::Propose,
        Some(proposer) if proposer == me => CancelStep::WaitForOther,
        Some(_) if check_cancel_consent(proposed_by, me, any_disputed).is_ok() => CancelStep::Agree,
        Some(_) => CancelStep::AgreeAfterDispute,
    });
    let takes_applications = status == TaskStatus::Open;
    TaskOffers {
        publish: may(TaskAction::Publish),
        edit_draft: may(TaskAction::EditDraft),
        cancel: may(TaskAction::Cancel),
        apply: takes_applications && matches!(viewer, Viewer::OtherDeveloper | Viewer::Developer),
        login_to_apply: takes_applications && viewer == Viewer::Anonymous,
        cancel_by_consent,
        report: matches!(viewer, Viewer::OtherDeveloper | Viewer::OtherMerchant | Viewer::Developer),
    }
}

/// Whether the viewer may accept or decline an application: the task's merchant, while the
/// application waits and the task takes applications (accepting chooses the developer).
pub fn may_answer_application(viewer: Viewer, task: TaskStatus, application: ApplicationStatus) -> bool {
    viewer.party() == Some(Party::Merchant)
        && application == ApplicationStatus::Pending
        && task_transition(task, TaskAction::ChooseDeveloper, Party::Merchant).is_ok()
}

/// What a task's page offers its viewer on one milestone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MilestoneOffers {
    pub deliver: bool,
    pub accept: bool,
    /// Only while change rounds are left; with none left the merchant accepts or disputes.
    pub request_changes: bool,
    pub raise: bool,
    pub dispute: bool,
    /// Answering the milestone's open dispute (`may_answer_dispute`).
    pub answer_dispute: bool,
}

/// The offers of `MilestoneOffers`, asked of the same functions the server asks before each change.
/// `open_dispute` is who opened the milestone's unsettled dispute and whether it was answered.
pub fn milestone_offers(
    viewer: Viewer,
    task: TaskStatus,
    milestone: MilestoneState,
    open_dispute: Option<(Party, bool)>,
) -> MilestoneOffers {
    let Some(me) = viewer.party() else {
        return MilestoneOffers::default();
    };
    let may = |action| milestone_transition(milestone, action, me).is_ok();
    MilestoneOffers {
        deliver: may(MilestoneAction::Deliver),
        accept: may(MilestoneAction::Accept),
        request_changes: may(MilestoneAction::RequestChanges),
        raise: me == Party::Merchant && may_raise(task, milestone.status),
        dispute: may(MilestoneAction::OpenDispute),
        answer_dispute: milestone.status == MilestoneStatus::Disputed
            && open_dispute.is_some_and(|(opened_by, answered)| may_answer_dispute(me, opened_by, answered)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_other_side_answers_a_dispute_and_once() {
        assert!(may_answer_dispute(Party::Developer, Party::Merchant, false));
        assert!(may_answer_dispute(Party::Merchant, Party::Developer, false));
        assert!(!may_answer_dispute(Party::Merchant, Party::Merchant, false), "not the side that opened it");
        assert!(!may_answer_dispute(Party::Developer, Party::Merchant, true), "answered already");
        assert!(!may_answer_dispute(Party::Admin, Party::Merchant, false), "admins settle, they do not answer");
    }
    use MilestoneAction as M;
    use MilestoneStatus as MS;
    use TaskAction as T;
    use TaskStatus as TS;

    const TASK_STATES: [TS; 8] = [
        TS::Draft,
        TS::PendingReview,
        TS::Open,
        TS::InProgress,
        TS::Completed,
        TS::Cancelled,
        TS::Rejected,
        TS::Hidden,
    ];
    const TASK_ACTIONS: [T; 11] = [
        T::EditDraft,
        T::Publish,
        T::ChooseDeveloper,
        T::Cancel,
        T::ProposeCancel,
        T::AgreeCancel,
        T::Finish,
        T::Approve,
        T::Reject,
        T::Hide,
        T::Restore,
    ];
    const PARTIES: [Party; 4] = [Party::Merchant, Party::Developer, Party::Admin, Party::System];
    const MILESTONE_STATES: [MS; 8] = [
        MS::Waiting,
        MS::Working,
        MS::Delivered,
        MS::ChangesRequested,
        MS::Released,
        MS::Refunded,
        MS::Disputed,
        MS::Settled,
    ];
    const MILESTONE_ACTIONS: [M; 7] =
        [M::Start, M::Deliver, M::Accept, M::RequestChanges, M::OpenDispute, M::Settle, M::Refund];

    /// The complete table of allowed task transitions; everything else must be refused.
    fn allowed_task(status: TS, action: T, by: Party) -> Option<TS> {
        match (status, action, by) {
            (TS::Draft, T::EditDraft, Party::Merchant) => Some(TS::Draft),
            (TS::Draft, T::Publish, Party::Merchant) => Some(TS::Open),
            (TS::Open, T::ChooseDeveloper, Party::Merchant) => Some(TS::InProgress),
            (TS::Draft | TS::Open | TS::PendingReview | TS::Hidden, T::Cancel, Party::Merchant) => Some(TS::Cancelled),
            (TS::PendingReview, T::Approve, Party::Admin) | (TS::Hidden, T::Restore, Party::Admin) => Some(TS::Open),
            (TS::PendingReview, T::Reject, Party::Admin) => Some(TS::Rejected),
            (TS::Open, T::Hide, Party::Admin) => Some(TS::Hidden),
            (TS::InProgress, T::ProposeCancel, Party::Merchant | Party::Developer) => Some(TS::InProgress),
            (TS::InProgress, T::AgreeCancel, Party::Merchant | Party::Developer) => Some(TS::Cancelled),
            (TS::InProgress, T::Finish, Party::System | Party::Merchant | Party::Admin) => Some(TS::Completed),
            _ => None,
        }
    }

    #[test]
    fn every_task_transition_is_either_in_the_table_or_refused() {
        for status in TASK_STATES {
            for action in TASK_ACTIONS {
                for by in PARTIES {
                    let got = task_transition(status, action, by);
                    match allowed_task(status, action, by) {
                        Some(next) => assert_eq!(got, Ok(next), "{status:?} {action:?} by {by:?}"),
                        None => assert!(got.is_err(), "{status:?} {action:?} by {by:?} must be refused"),
                    }
                }
            }
        }
    }

    #[test]
    fn cancelling_during_work_needs_the_developer() {
        assert_eq!(task_transition(TS::InProgress, T::Cancel, Party::Merchant), Err(Refusal::NeedsDeveloperConsent));
        assert_eq!(task_transition(TS::Open, T::Publish, Party::Developer), Err(Refusal::NotYourTurn));
    }

    fn allowed_milestone(status: MS, action: M, by: Party, rounds_left: bool) -> Option<MS> {
        use Party::*;
        match (status, action, by) {
            (MS::Waiting, M::Start, Merchant | System) => Some(MS::Working),
            (MS::Waiting | MS::Working | MS::Delivered | MS::ChangesRequested, M::Refund, Merchant | System) => {
                Some(MS::Refunded)
            }
            (MS::Working | MS::ChangesRequested, M::Deliver, Developer) => Some(MS::Delivered),
            (MS::Delivered, M::Accept, Merchant | System) => Some(MS::Released),
            (MS::Delivered, M::RequestChanges, Merchant) if rounds_left => Some(MS::ChangesRequested),
            (MS::Working | MS::Delivered | MS::ChangesRequested, M::OpenDispute, Merchant | Developer) => {
                Some(MS::Disputed)
            }
            (MS::Disputed, M::Settle, Admin) => Some(MS::Settled),
            _ => None,
        }
    }

    #[test]
    fn every_milestone_transition_is_either_in_the_table_or_refused() {
        for status in MILESTONE_STATES {
            for action in MILESTONE_ACTIONS {
                for by in PARTIES {
                    for (used, allowed) in [(0, 2), (2, 2)] {
                        let state = MilestoneState { status, rounds_used: used, rounds_allowed: allowed };
                        let got = milestone_transition(state, action, by);
                        match allowed_milestone(status, action, by, used < allowed) {
                            Some(next) => {
                                assert_eq!(got, Ok(next), "{state:?} {action:?} by {by:?}")
                            }
                            None => assert!(got.is_err(), "{state:?} {action:?} by {by:?} must be refused"),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn change_rounds_run_out() {
        let state = |used| MilestoneState { status: MS::Delivered, rounds_used: used, rounds_allowed: 2 };
        assert_eq!(milestone_transition(state(1), M::RequestChanges, Party::Merchant), Ok(MS::ChangesRequested));
        assert_eq!(
            milestone_transition(state(2), M::RequestChanges, Party::Merchant),
            Err(Refusal::NoChangeRoundsLeft)
        );
        // With no rounds left the merchant can still accept or dispute.
        assert_eq!(milestone_transition(state(2), M::Accept, Party::Merchant), Ok(MS::Released));
        assert_eq!(milestone_transition(state(2), M::OpenDispute, Party::Merchant), Ok(MS::Disputed));
    }

    #[test]
    fn cancelling_during_work_takes_both_sides() {
        use Party::*;
        assert_eq!(check_cancel_consent(None, Developer, false), Err(Refusal::WrongState), "nothing proposed");
        assert_eq!(check_cancel_consent(Some(Merchant), Merchant, false), Err(Refusal::NotYourTurn));
        assert_eq!(check_cancel_consent(Some(Merchant), Developer, false), Ok(()));
        assert_eq!(check_cancel_consent(Some(Developer), Merchant, false), Ok(()));
        assert_eq!(check_cancel_consent(Some(Developer), Merchant, true), Err(Refusal::WrongState), "dispute first");
    }

    #[test]
    fn escrow_is_held_until_a_milestone_is_final() {
        assert!(MS::Disputed.holds_escrow());
        assert!(!MS::Released.holds_escrow());
        assert!(all_milestones_final(&[MS::Released, MS::Settled, MS::Refunded]));
        assert!(!all_milestones_final(&[MS::Released, MS::Disputed]));
    }

    #[test]
    fn published_rewards_only_rise() {
        assert_eq!(check_reward_change(TS::Draft, 500, 100), Ok(()));
        assert_eq!(check_reward_change(TS::Open, 500, 600), Ok(()));
        assert_eq!(check_reward_change(TS::Open, 500, 499), Err(Refusal::RewardLowered));
    }

    #[test]
    fn only_live_unpaid_milestones_can_be_raised() {
        for task in TASK_STATES {
            for milestone in MILESTONE_STATES {
                let live = matches!(task, TS::Open | TS::InProgress);
                let unpaid = matches!(milestone, MS::Waiting | MS::Working | MS::Delivered | MS::ChangesRequested);
                let expected = if live && unpaid { Ok(true) } else { Err(Refusal::WrongState) };
                assert_eq!(check_raise(task, milestone, 500, 800), expected, "{task:?} {milestone:?}");
            }
        }
        assert_eq!(check_raise(TS::Open, MS::Waiting, 500, 500), Ok(false));
        assert_eq!(check_raise(TS::InProgress, MS::Working, 500, 499), Err(Refusal::RewardLowered));
    }

    #[test]
    fn statuses_round_trip_through_their_database_names() {
        for status in MILESTONE_STATES {
            assert_eq!(MS::parse(status.as_str()), Some(status));
        }
        for status in TASK_STATES {
            assert_eq!(TS::parse(status.as_str()), Some(status));
        }
        assert_eq!(TS::parse("nope"), None);
    }

    const VIEWERS: [Viewer; 6] = [
        Viewer::Anonymous,
        Viewer::Owner,
        Viewer::Developer,
        Viewer::OtherDeveloper,
        Viewer::OtherMerchant,
        Viewer::Admin,
    ];

    #[test]
    fn milestone_offers_follow_the_state_machine_for_every_viewer_and_state() {
        let disputes =
            [None, Some((Party::Merchant, false)), Some((Party::Developer, false)), Some((Party::Merchant, true))];
        for viewer in VIEWERS {
            for task in TASK_STATES {
                for status in MILESTONE_STATES {
                    for (used, allowed) in [(0, 2), (2, 2)] {
                        for dispute in disputes {
                            let state = MilestoneState { status, rounds_used: used, rounds_allowed: allowed };
                            let got = milestone_offers(viewer, task, state, dispute);
                            let owner = viewer == Viewer::Owner;
                            let party = matches!(viewer, Viewer::Owner | Viewer::Developer);
                            let me = if owner { Party::Merchant } else { Party::Developer };
                            let expected = MilestoneOffers {
                                deliver: viewer == Viewer::Developer
                                    && matches!(status, MS::Working | MS::ChangesRequested),
                                accept: owner && status == MS::Delivered,
                                request_changes: owner && status == MS::Delivered && used < allowed,
                                raise: owner
                                    && matches!(task, TS::Open | TS::InProgress)
                                    && matches!(
                                        status,
                                        MS::Waiting | MS::Working | MS::Delivered | MS::ChangesRequested
                                    ),
                                dispute: party && matches!(status, MS::Working | MS::Delivered | MS::ChangesRequested),
                                answer_dispute: party
                                    && status == MS::Disputed
                                    && dispute.is_some_and(|(opened_by, answered)| opened_by != me && !answered),
                            };
                            assert_eq!(got, expected, "{viewer:?} {task:?} {state:?} {dispute:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn no_change_rounds_left_offers_accepting_or_disputing_only() {
        let state = MilestoneState { status: MS::Delivered, rounds_used: 2, rounds_allowed: 2 };
        let offers = milestone_offers(Viewer::Owner, TS::InProgress, state, None);
        assert!(offers.accept && offers.dispute && !offers.request_changes);
    }

    #[test]
    fn task_offers_follow_the_state_machine_for_every_viewer_and_state() {
        for viewer in VIEWERS {
            for status in TASK_STATES {
                let got = task_offers(viewer, status, None, false);
                let owner = viewer == Viewer::Owner;
                let expected = TaskOffers {
                    publish: owner && status == TS::Draft,
                    edit_draft: owner && status == TS::Draft,
                    cancel: owner && matches!(status, TS::Draft | TS::PendingReview | TS::Open | TS::Hidden),
                    apply: matches!(viewer, Viewer::OtherDeveloper | Viewer::Developer) && status == TS::Open,
                    login_to_apply: viewer == Viewer::Anonymous && status == TS::Open,
                    cancel_by_consent: (matches!(viewer, Viewer::Owner | Viewer::Developer)
                        && status == TS::InProgress)
                        .then_some(CancelStep::Propose),
                    report: matches!(viewer, Viewer::OtherDeveloper | Viewer::OtherMerchant | Viewer::Developer),
                };
                assert_eq!(got, expected, "{viewer:?} {status:?}");
            }
        }
    }

    #[test]
    fn calling_off_work_shows_each_side_its_one_step() {
        let step = |viewer, proposed_by, disputed| {
            task_offers(viewer, TS::InProgress, proposed_by, disputed).cancel_by_consent
        };
        assert_eq!(step(Viewer::Owner, None, true), Some(CancelStep::Propose), "proposing is open during a dispute");
        assert_eq!(step(Viewer::Owner, Some(Party::Merchant), false), Some(CancelStep::WaitForOther));
        assert_eq!(step(Viewer::Developer, Some(Party::Merchant), false), Some(CancelStep::Agree));
        assert_eq!(step(Viewer::Owner, Some(Party::Developer), false), Some(CancelStep::Agree));
        assert_eq!(step(Viewer::Owner, Some(Party::Developer), true), Some(CancelStep::AgreeAfterDispute));
        assert_eq!(step(Viewer::Developer, Some(Party::Developer), true), Some(CancelStep::WaitForOther));
        assert_eq!(step(Viewer::OtherDeveloper, Some(Party::Merchant), false), None);
        assert_eq!(step(Viewer::Admin, Some(Party::Merchant), false), None);
        assert_eq!(task_offers(Viewer::Owner, TS::Open, None, false).cancel_by_consent, None);
    }

    #[test]
    fn only_the_owner_answers_waiting_applications_while_the_task_is_open() {
        use ApplicationStatus as A;
        for viewer in VIEWERS {
            for task in TASK_STATES {
                for application in [A::Pending, A::Accepted, A::Declined, A::Expired] {
                    let expected = viewer == Viewer::Owner && task == TS::Open && application == A::Pending;
                    assert_eq!(
                        may_answer_application(viewer, task, application),
                        expected,
                        "{viewer:?} {task:?} {application:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn only_the_tasks_merchant_and_developer_act_as_parties() {
        assert_eq!(Viewer::Owner.party(), Some(Party::Merchant));
        assert_eq!(Viewer::Developer.party(), Some(Party::Developer));
        for viewer in [Viewer::Anonymous, Viewer::OtherDeveloper, Viewer::OtherMerchant, Viewer::Admin] {
            assert_eq!(viewer.party(), None, "{viewer:?}");
        }
    }

    #[test]
    fn the_viewer_is_worked_out_from_the_session_and_the_task() {
        let (merchant, developer, other) =
            (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2), uuid::Uuid::from_u128(3));
        let taken = Some(developer);
        assert_eq!(Viewer::of(None, merchant, taken), Viewer::Anonymous);
        assert_eq!(Viewer::of(Some((merchant, Role::Merchant)), merchant, taken), Viewer::Owner);
        assert_eq!(Viewer::of(Some((developer, Role::Developer)), merchant, taken), Viewer::Developer);
        assert_eq!(Viewer::of(Some((other, Role::Developer)), merchant, taken), Viewer::OtherDeveloper);
        assert_eq!(Viewer::of(Some((other, Role::Merchant)), merchant, taken), Viewer::OtherMerchant);
        assert_eq!(Viewer::of(Some((other, Role::Admin)), merchant, taken), Viewer::Admin);
        assert_eq!(Viewer::of(Some((developer, Role::Developer)), merchant, None), Viewer::OtherDeveloper);
    }

    #[test]
    fn drafts_stay_private_and_a_private_developers_tasks_stay_with_their_parties() {
        use Viewer::*;
        for viewer in [Anonymous, OtherDeveloper, OtherMerchant] {
            assert!(!viewer.may_see(TaskStatus::Draft, false));
            assert!(viewer.may_see(TaskStatus::Open, true), "an open task is public");
            assert!(viewer.may_see(TaskStatus::Completed, false));
            assert!(!viewer.may_see(TaskStatus::Completed, true), "{viewer:?}");
            assert!(!viewer.may_see(TaskStatus::InProgress, true));
        }
        for viewer in [Owner, Developer, Admin] {
            assert!(viewer.may_see(TaskStatus::Completed, true));
        }
        assert!(Owner.may_see(TaskStatus::Draft, false) && Admin.may_see(TaskStatus::Draft, false));
        assert!(!Developer.may_see(TaskStatus::Draft, false));
    }
}
