//! Mutual reviews after a task: what each side rates, how a review form is checked, and the
//! double-blind rule that decides when a review becomes visible.
//!
//! Neither side sees the other's review until both have written one or the window closes, so a
//! review cannot be a reply to the other's. Until then its author may rewrite it; once revealed it
//! is fixed, and its subject may answer it once, publicly.

use super::{
    growth::Stars,
    validation::{check_length, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// Days after completion when reviews are revealed even if one side never wrote theirs.
pub const REVEAL_AFTER_DAYS: i64 = 14;
pub const BODY_CHARS: u32 = 1_000;
pub const REPLY_CHARS: u32 = 500;

/// Who is being reviewed. The merchant reviews the developer and the developer the merchant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Developer,
    Merchant,
}

impl Subject {
    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Developer => "developer",
            Subject::Merchant => "merchant",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Subject::Developer, Subject::Merchant].into_iter().find(|k| k.as_str() == s)
    }

    /// The three things a review of this side scores, in the order the scores are stored.
    pub fn dimensions(self) -> [Dimension; 3] {
        match self {
            Subject::Developer => [Dimension::Quality, Dimension::Communication, Dimension::Timeliness],
            Subject::Merchant => [Dimension::Clarity, Dimension::Responsiveness, Dimension::PaymentSpeed],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Quality,
    Communication,
    Timeliness,
    /// How clear the merchant's requirements were.
    Clarity,
    Responsiveness,
    PaymentSpeed,
}

impl Dimension {
    /// The form field that carries this score.
    pub fn field_name(self) -> &'static str {
        match self {
            Dimension::Quality => "quality",
            Dimension::Communication => "communication",
            Dimension::Timeliness => "timeliness",
            Dimension::Clarity => "clarity",
            Dimension::Responsiveness => "responsiveness",
            Dimension::PaymentSpeed => "payment_speed",
        }
    }
}

/// Three scores, one per dimension of the subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scores(pub [u8; 3]);

impl Scores {
    /// The overall stars: the mean of the three, rounded half up (4, 4, 5 → 4; 4, 5, 5 → 5).
    pub fn overall(self) -> Stars {
        let sum: u32 = self.0.iter().map(|&s| s as u32).sum();
        Stars::new(((sum * 2 + 3) / 6) as u8).expect("the mean of 1–5 scores is within 1–5")
    }

    /// A bad review: the overall is 2 stars or fewer. Counted by the restriction rule.
    pub fn is_bad(self) -> bool {
        self.overall().get() <= 2
    }
}

/// A checked review form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewForm {
    pub scores: Scores,
    pub body: String,
}

/// Checks the three scores (as sent: text, in the subject's dimension order) and the text.
/// Every problem is reported at once, scores under the `rating` field.
pub fn check_review(scores: [&str; 3], body: &str) -> Result<ReviewForm, Vec<FieldError>> {
    let mut errors = Vec::new();
    let parsed: Vec<u8> =
        scores.iter().filter_map(|s| s.trim().parse::<u8>().ok().and_then(Stars::new)).map(Stars::get).collect();
    if parsed.len() != 3 {
        let problem = if scores.iter().any(|s| s.trim().is_empty()) {
            Problem::Required
        } else {
            Problem::NumberOutOfRange { min: 1, max: 5 }
        };
        errors.push(FieldError::new(Field::Rating, problem));
    }
    let body = body.trim();
    if let Err(e) = check_length(Field::Message, body, 0, BODY_CHARS) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(ReviewForm { scores: Scores([parsed[0], parsed[1], parsed[2]]), body: body.to_string() })
    } else {
        Err(errors)
    }
}

pub fn check_reply(reply: &str) -> Result<&str, FieldError> {
    let reply = reply.trim();
    check_length(Field::Message, reply, 1, REPLY_CHARS)?;
    Ok(reply)
}

/// Where a task's pair of reviews stands, for one of the two parties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub mine_written: bool,
    pub theirs_written: bool,
    /// Days since the task completed.
    pub days_since_completion: i64,
    /// A reveal already happened (the background job found the window closed).
    pub already_revealed: bool,
}

impl Pair {
    /// Both reviews are public once both are written or the window has closed.
    pub fn revealed(self) -> bool {
        self.already_revealed
            || (self.mine_written && self.theirs_written)
            || self.days_since_completion >= REVEAL_AFTER_DAYS
    }

    /// The author may still write or rewrite theirs: until the reveal.
    pub fn can_write(self) -> bool {
        !self.revealed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overall_is_the_rounded_mean() {
        assert_eq!(Scores([4, 4, 5]).overall().get(), 4);
        assert_eq!(Scores([4, 5, 5]).overall().get(), 5);
        assert_eq!(Scores([1, 1, 1]).overall().get(), 1);
        assert_eq!(Scores([2, 2, 3]).overall().get(), 2);
        assert!(Scores([2, 2, 3]).is_bad());
        assert!(!Scores([3, 3, 2]).is_bad(), "2.67 rounds to 3");
    }

    #[test]
    fn a_review_needs_three_scores_within_one_to_five() {
        let ok = check_review(["5", "4", "3"], "  清楚  ").unwrap();
        assert_eq!(ok, ReviewForm { scores: Scores([5, 4, 3]), body: "清楚".into() });
        let missing = check_review(["5", "", "3"], "").unwrap_err();
        assert_eq!(missing, vec![FieldError::new(Field::Rating, Problem::Required)]);
        let out_of_range = check_review(["6", "4", "0"], &"长".repeat(1_001)).unwrap_err();
        assert_eq!(
            out_of_range,
            vec![
                FieldError::new(Field::Rating, Problem::NumberOutOfRange { min: 1, max: 5 }),
                FieldError::new(Field::Message, Problem::TooLong { max: BODY_CHARS }),
            ]
        );
    }

    #[test]
    fn reviews_stay_hidden_until_both_are_written_or_fourteen_days_pass() {
        let pair = |mine, theirs, days| Pair {
            mine_written: mine,
            theirs_written: theirs,
            days_since_completion: days,
            already_revealed: false,
        };
        assert!(!pair(true, false, 3).revealed(), "one side alone sees nothing of the other");
        assert!(!pair(false, true, 13).revealed());
        assert!(pair(true, true, 0).revealed(), "the second review reveals both at once");
        assert!(pair(true, false, 14).revealed(), "the window closing reveals what was written");
        assert!(pair(true, false, 3).can_write(), "rewritable while hidden");
        assert!(!pair(true, true, 0).can_write(), "fixed once revealed");
        assert!(!pair(false, true, 20).can_write(), "too late to write after the reveal");
        let revealed_by_the_job = Pair { already_revealed: true, ..pair(false, true, 2) };
        assert!(!revealed_by_the_job.can_write(), "the job's reveal closes the window whatever the clock says");
    }

    #[test]
    fn subjects_rate_their_own_dimensions() {
        assert_eq!(Subject::Developer.dimensions()[0].field_name(), "quality");
        assert_eq!(Subject::Merchant.dimensions()[2].field_name(), "payment_speed");
        assert_eq!(Subject::parse("merchant"), Some(Subject::Merchant));
    }
}
