//! Inviting a developer to apply (邀请投递): a merchant asks a developer they found (on a resume card
//! or in talent search) to apply to one of the merchant's open tasks, with a note. Who may be invited
//! where, how an invitation is answered, and how it reads once its task stops taking applications.
//! The database asks `check_invite` under the task's lock and writes only what it allows.

use super::{
    account::Role,
    lifecycle::{Refusal, TaskStatus},
    validation::{check_length, check_visible_text, Field, FieldError},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The note's length: room for why this developer and this task, not for a second description.
pub const NOTE_MAX_CHARS: u32 = 500;
/// Invitations one task may send in all: enough to reach the right few, too few to spam a crowd.
pub const PER_TASK_CAP: i64 = 30;
/// Invitations one merchant may send per day (the rate limiter's bucket, `rate_limit`).
pub const PER_MERCHANT_PER_DAY: u32 = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Waiting for the developer.
    Invited,
    /// The developer applied (the application then follows the usual rules, 48-hour answer included).
    Applied,
    Declined,
    /// The task no longer takes applications (someone was chosen, or it was cancelled).
    Closed,
}

impl InvitationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Invited => "invited",
            InvitationStatus::Applied => "applied",
            InvitationStatus::Declined => "declined",
            InvitationStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Invited, Self::Applied, Self::Declined, Self::Closed].into_iter().find(|status| status.as_str() == s)
    }

    /// The status as the developer should read it: an unanswered invitation to a task that no
    /// longer takes applications is closed, whichever way the task left the hall (chosen,
    /// cancelled, hidden by a moderator).
    pub fn seen_with(self, task: TaskStatus) -> Self {
        match self {
            InvitationStatus::Invited if task != TaskStatus::Open => InvitationStatus::Closed,
            other => other,
        }
    }
}

/// Why an invitation is refused (kept with the other field problems, which name it).
pub use super::validation::InvitationProblem;

/// What the database knows, under the task's lock, when a merchant invites a developer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InviteFacts {
    pub merchant: Uuid,
    pub task_merchant: Uuid,
    pub task_status: TaskStatus,
    pub developer: Uuid,
    pub developer_role: Role,
    pub already_invited: bool,
    pub already_applied: bool,
    /// The developer's availability lets them be invited (not paused).
    pub accepts_invitations: bool,
    /// Invitations the task has sent so far, whatever their answer.
    pub sent_for_task: i64,
}

/// Whether the invitation may be sent; the first reason it may not, otherwise. The task is checked
/// before the developer, so a merchant is never told anything about a developer through a task that
/// is not theirs.
pub fn check_invite(facts: &InviteFacts) -> Result<(), InvitationProblem> {
    use InvitationProblem::*;
    check_task(facts.merchant, facts.task_merchant, facts.task_status)?;
    if facts.developer == facts.merchant {
        return Err(CannotInviteYourself);
    }
    if facts.developer_role != Role::Developer {
        return Err(NotADeveloper);
    }
    if facts.already_applied {
        return Err(AlreadyApplied);
    }
    if facts.already_invited {
        return Err(AlreadyInvited);
    }
    if !facts.accepts_invitations {
        return Err(NotTakingInvitations);
    }
    if facts.sent_for_task >= PER_TASK_CAP {
        return Err(TaskFull);
    }
    Ok(())
}

/// The task half of `check_invite`, asked first (before the developer is even looked up): the task
/// is the merchant's own and takes applications.
pub fn check_task(merchant: Uuid, task_merchant: Uuid, task_status: TaskStatus) -> Result<(), InvitationProblem> {
    if task_merchant != merchant {
        Err(InvitationProblem::NotYourTask)
    } else if task_status != TaskStatus::Open {
        Err(InvitationProblem::TaskNotOpen)
    } else {
        Ok(())
    }
}

/// The note, trimmed: optional, at most `NOTE_MAX_CHARS`, with nothing hidden in it.
pub fn check_note(note: &str) -> Result<&str, FieldError> {
    let note = note.trim();
    check_length(Field::InvitationNote, note, 0, NOTE_MAX_CHARS)?;
    check_visible_text(Field::InvitationNote, note, true)?;
    Ok(note)
}

/// The developer's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Applying to the task (through the usual application, which marks the invitation).
    Apply,
    Decline,
}

/// What an answer makes of an invitation: only a waiting invitation to a task that still takes
/// applications can be answered, once.
pub fn answer(status: InvitationStatus, task: TaskStatus, answer: Answer) -> Result<InvitationStatus, Refusal> {
    match (status.seen_with(task), answer) {
        (InvitationStatus::Invited, Answer::Apply) => Ok(InvitationStatus::Applied),
        (InvitationStatus::Invited, Answer::Decline) => Ok(InvitationStatus::Declined),
        _ => Err(Refusal::WrongState),
    }
}

/// Whether the invited developer is offered 投递 and 婉拒 for this invitation (the same rule the
/// server answers by).
pub fn may_answer(status: InvitationStatus, task: TaskStatus) -> bool {
    answer(status, task, Answer::Decline).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::Problem;
    use InvitationProblem::*;

    fn facts() -> InviteFacts {
        InviteFacts {
            merchant: Uuid::from_u128(1),
            task_merchant: Uuid::from_u128(1),
            task_status: TaskStatus::Open,
            developer: Uuid::from_u128(2),
            developer_role: Role::Developer,
            already_invited: false,
            already_applied: false,
            accepts_invitations: true,
            sent_for_task: 0,
        }
    }

    #[test]
    fn a_merchant_invites_a_developer_to_their_own_open_task() {
        assert_eq!(check_invite(&facts()), Ok(()));
        assert_eq!(check_invite(&InviteFacts { sent_for_task: PER_TASK_CAP - 1, ..facts() }), Ok(()));
    }

    #[test]
    fn each_refusal_has_its_reason_and_field() {
        let other = Uuid::from_u128(9);
        let cases = [
            (InviteFacts { task_merchant: other, ..facts() }, NotYourTask, Field::InvitationTask),
            (InviteFacts { developer: Uuid::from_u128(1), ..facts() }, CannotInviteYourself, Field::Invitee),
            (InviteFacts { developer_role: Role::Merchant, ..facts() }, NotADeveloper, Field::Invitee),
            (InviteFacts { developer_role: Role::Admin, ..facts() }, NotADeveloper, Field::Invitee),
            (InviteFacts { already_applied: true, ..facts() }, AlreadyApplied, Field::Invitee),
            (InviteFacts { already_invited: true, ..facts() }, AlreadyInvited, Field::Invitee),
            (InviteFacts { accepts_invitations: false, ..facts() }, NotTakingInvitations, Field::Invitee),
            (InviteFacts { sent_for_task: PER_TASK_CAP, ..facts() }, TaskFull, Field::InvitationTask),
        ];
        for (facts, problem, field) in cases {
            assert_eq!(check_invite(&facts), Err(problem), "{facts:?}");
            assert_eq!(problem.field(), field, "{problem:?}");
        }
    }

    #[test]
    fn only_open_tasks_take_invitations() {
        use TaskStatus::*;
        for status in [Draft, PendingReview, InProgress, Completed, Cancelled, Rejected, Hidden] {
            assert_eq!(check_invite(&InviteFacts { task_status: status, ..facts() }), Err(TaskNotOpen), "{status:?}");
        }
    }

    #[test]
    fn someone_elses_task_is_refused_before_anything_about_the_developer_is_said() {
        let probe = InviteFacts {
            task_merchant: Uuid::from_u128(9),
            already_applied: true,
            accepts_invitations: false,
            ..facts()
        };
        assert_eq!(check_invite(&probe), Err(NotYourTask));
    }

    #[test]
    fn notes_are_optional_bounded_and_visible() {
        assert_eq!(check_note("  看了你的作品，很适合这个任务  "), Ok("看了你的作品，很适合这个任务"));
        assert_eq!(check_note(""), Ok(""));
        assert_eq!(check_note("第一行\n第二行"), Ok("第一行\n第二行"));
        let long = "字".repeat(NOTE_MAX_CHARS as usize + 1);
        assert_eq!(
            check_note(&long),
            Err(FieldError::new(Field::InvitationNote, Problem::TooLong { max: NOTE_MAX_CHARS }))
        );
        assert_eq!(check_note("a\u{202E}b").map_err(|e| e.problem), Err(Problem::HiddenCharacters));
    }

    #[test]
    fn an_invitation_is_answered_once_while_its_task_is_open() {
        use InvitationStatus as S;
        assert_eq!(answer(S::Invited, TaskStatus::Open, Answer::Apply), Ok(S::Applied));
        assert_eq!(answer(S::Invited, TaskStatus::Open, Answer::Decline), Ok(S::Declined));
        for status in [S::Applied, S::Declined, S::Closed] {
            for how in [Answer::Apply, Answer::Decline] {
                assert_eq!(answer(status, TaskStatus::Open, how), Err(Refusal::WrongState), "{status:?} {how:?}");
            }
        }
        assert_eq!(answer(S::Invited, TaskStatus::InProgress, Answer::Decline), Err(Refusal::WrongState));
        assert!(may_answer(S::Invited, TaskStatus::Open));
        assert!(!may_answer(S::Invited, TaskStatus::Cancelled));
        assert!(!may_answer(S::Declined, TaskStatus::Open));
    }

    #[test]
    fn a_waiting_invitation_reads_closed_once_its_task_leaves_the_hall() {
        use InvitationStatus as S;
        assert_eq!(S::Invited.seen_with(TaskStatus::Open), S::Invited);
        assert_eq!(S::Invited.seen_with(TaskStatus::InProgress), S::Closed);
        assert_eq!(S::Invited.seen_with(TaskStatus::Hidden), S::Closed);
        assert_eq!(S::Applied.seen_with(TaskStatus::Completed), S::Applied, "an answer stays as given");
        for status in [S::Invited, S::Applied, S::Declined, S::Closed] {
            assert_eq!(S::parse(status.as_str()), Some(status));
        }
        assert_eq!(S::parse("expired"), None);
    }
}
