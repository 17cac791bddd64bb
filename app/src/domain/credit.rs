//! The credit score (信用分) every user carries, and the rule that restricts a user whose recent
//! conduct is bad. Both are pure: the database gathers the record, these decide. The help page
//! shows the same formula, from the constants below.

use serde::{Deserialize, Serialize};

/// Where everybody starts, with no record yet.
pub const BASE: i32 = 70;
/// Virtual 4★ reviews every average is smoothed with, so one review cannot swing a score.
pub const PRIOR_REVIEWS: u32 = 3;
pub const PRIOR_STARS: f64 = 4.0;
/// Points per star the smoothed average is above (or below) 4★.
pub const PER_STAR: f64 = 10.0;
/// Completion rate at which the completion term is zero, and points per percentage point around it.
pub const COMPLETION_PIVOT: f64 = 90.0;
pub const PER_COMPLETION_POINT: f64 = 0.5;
/// Response rate at which the response term is zero, and points per percentage point around it.
pub const RESPONSE_PIVOT: f64 = 80.0;
pub const PER_RESPONSE_POINT: f64 = 0.25;
pub const PER_DISPUTE_LOST: i32 = -10;
pub const PER_CANCELLATION: i32 = -3;
/// A track record counts: one point per completed task, up to this many.
pub const TRACK_RECORD_CAP: u32 = 10;

/// Restriction: this many bad reviews (overall ≤ 2★) within the window…
pub const BAD_REVIEWS_LIMIT: u32 = 3;
pub const BAD_REVIEWS_WINDOW_DAYS: i64 = 90;
/// …or this many disputes lost within the window…
pub const DISPUTES_LOST_LIMIT: u32 = 2;
pub const DISPUTES_WINDOW_DAYS: i64 = 180;
/// …restricts the user for this long, unless an admin lifts it sooner.
pub const RESTRICTION_DAYS: i64 = 30;

/// A user's whole record, as the score reads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Revealed reviews received, and the sum of their overall stars.
    pub reviews: u32,
    pub review_stars: u32,
    /// Tasks that reached work with this user as a party: completed, or called off by them.
    pub completed: u32,
    pub cancelled_by_them: u32,
    pub disputes_lost: u32,
    /// Share (0–100) of what was due an answer that was answered in time; None before anything was due.
    pub response_rate: Option<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Excellent,
    Good,
    Fair,
    Poor,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditScore {
    /// 0–100.
    pub score: u8,
    pub band: Band,
    /// Each term as it was added, so the user can see where the score comes from.
    pub terms: Terms,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Terms {
    pub reviews: i32,
    pub completion: i32,
    pub response: i32,
    pub disputes: i32,
    pub cancellations: i32,
    pub track_record: i32,
}

impl Terms {
    fn sum(self) -> i32 {
        self.reviews + self.completion + self.response + self.disputes + self.cancellations + self.track_record
    }
}

pub fn credit_score(record: Record) -> CreditScore {
    let smoothed =
        (record.review_stars as f64 + PRIOR_STARS * PRIOR_REVIEWS as f64) / (record.reviews + PRIOR_REVIEWS) as f64;
    let ended = record.completed + record.cancelled_by_them + record.disputes_lost;
    let completion = if ended == 0 {
        0.0
    } else {
        (record.completed as f64 * 100.0 / ended as f64 - COMPLETION_PIVOT) * PER_COMPLETION_POINT
    };
    let response = record.response_rate.map_or(0.0, |rate| (rate as f64 - RESPONSE_PIVOT) * PER_RESPONSE_POINT);
    let terms = Terms {
        reviews: ((smoothed - PRIOR_STARS) * PER_STAR).round() as i32,
        completion: completion.round() as i32,
        response: response.round() as i32,
        disputes: PER_DISPUTE_LOST * record.disputes_lost as i32,
        cancellations: PER_CANCELLATION * record.cancelled_by_them as i32,
        track_record: record.completed.min(TRACK_RECORD_CAP) as i32,
    };
    let score = (BASE + terms.sum()).clamp(0, 100) as u8;
    let band = match score {
        90.. => Band::Excellent,
        75..=89 => Band::Good,
        60..=74 => Band::Fair,
        _ => Band::Poor,
    };
    CreditScore { score, band, terms }
}

/// What the restriction rule counts: conduct within its windows, and since the last time an admin
/// lifted a restriction (what was forgiven is not counted again).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecentConduct {
    pub bad_reviews: u32,
    pub disputes_lost: u32,
}

/// Why a user may not apply (developer) or publish (merchant) for now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RestrictionReason {
    BadReviews {
        count: u32,
    },
    DisputesLost {
        count: u32,
    },
    /// An admin suspended the account for `days` (moderation): no posting or applying, while
    /// logging in and withdrawing still work.
    Suspended {
        days: u32,
    },
}

impl RestrictionReason {
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionReason::BadReviews { .. } => "bad_reviews",
            RestrictionReason::DisputesLost { .. } => "disputes_lost",
            RestrictionReason::Suspended { .. } => "suspended",
        }
    }

    pub fn from_parts(kind: &str, count: u32) -> Option<Self> {
        match kind {
            "bad_reviews" => Some(RestrictionReason::BadReviews { count }),
            "disputes_lost" => Some(RestrictionReason::DisputesLost { count }),
            "suspended" => Some(RestrictionReason::Suspended { days: count }),
            _ => None,
        }
    }

    pub fn count(self) -> u32 {
        match self {
            RestrictionReason::BadReviews { count }
            | RestrictionReason::DisputesLost { count }
            | RestrictionReason::Suspended { days: count } => count,
        }
    }
}

pub fn restriction(conduct: RecentConduct) -> Option<RestrictionReason> {
    if conduct.disputes_lost >= DISPUTES_LOST_LIMIT {
        Some(RestrictionReason::DisputesLost { count: conduct.disputes_lost })
    } else if conduct.bad_reviews >= BAD_REVIEWS_LIMIT {
        Some(RestrictionReason::BadReviews { count: conduct.bad_reviews })
    } else {
        None
    }
}

/// Who lost a settled dispute: the side that got less than half of the disputed amount. An even
/// split is nobody's loss.
pub fn dispute_loser(disputed_fen: i64, developer_share_fen: i64) -> Option<super::lifecycle::Party> {
    use super::lifecycle::Party;
    let merchant_share = disputed_fen - developer_share_fen;
    match developer_share_fen.cmp(&merchant_share) {
        std::cmp::Ordering::Less => Some(Party::Developer),
        std::cmp::Ordering::Greater => Some(Party::Merchant),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifecycle::Party;

    #[test]
    fn a_newcomer_starts_at_the_base() {
        let score = credit_score(Record::default());
        assert_eq!(score.score, 70);
        assert_eq!(score.band, Band::Fair);
        assert_eq!(score.terms, Terms::default());
    }

    #[test]
    fn a_steady_record_is_excellent() {
        let record = Record {
            reviews: 10,
            review_stars: 49,
            completed: 10,
            cancelled_by_them: 0,
            disputes_lost: 0,
            response_rate: Some(100),
        };
        let score = credit_score(record);
        // (49 + 12) / 13 = 4.69 → +7; completion 100 % → +5; response 100 % → +5; 10 tasks → +10.
        assert_eq!(
            score.terms,
            Terms { reviews: 7, completion: 5, response: 5, disputes: 0, cancellations: 0, track_record: 10 }
        );
        assert_eq!(score.score, 97);
        assert_eq!(score.band, Band::Excellent);
    }

    #[test]
    fn one_bad_review_dents_but_does_not_sink_a_score() {
        let one_star = credit_score(Record { reviews: 1, review_stars: 1, ..Record::default() });
        // (1 + 12) / 4 = 3.25 → −7.5 → −8 (rounded away from zero).
        assert_eq!(one_star.terms.reviews, -8);
        assert_eq!(one_star.score, 62);
    }

    #[test]
    fn lost_disputes_and_cancellations_cost_and_the_score_stays_within_bounds() {
        let record = Record {
            reviews: 20,
            review_stars: 20,
            completed: 2,
            cancelled_by_them: 5,
            disputes_lost: 6,
            response_rate: Some(0),
        };
        let score = credit_score(record);
        assert_eq!(score.terms.disputes, -60);
        assert_eq!(score.terms.cancellations, -15);
        assert_eq!(score.score, 0, "clamped at zero");
        assert_eq!(score.band, Band::Poor);
    }

    #[test]
    fn restriction_needs_three_bad_reviews_or_two_lost_disputes() {
        assert_eq!(restriction(RecentConduct { bad_reviews: 2, disputes_lost: 1 }), None);
        assert_eq!(
            restriction(RecentConduct { bad_reviews: 3, disputes_lost: 0 }),
            Some(RestrictionReason::BadReviews { count: 3 })
        );
        assert_eq!(
            restriction(RecentConduct { bad_reviews: 5, disputes_lost: 2 }),
            Some(RestrictionReason::DisputesLost { count: 2 }),
            "lost disputes are the graver reason and are named first"
        );
        let reason = RestrictionReason::BadReviews { count: 4 };
        assert_eq!(RestrictionReason::from_parts(reason.as_str(), reason.count()), Some(reason));
    }

    #[test]
    fn the_side_that_gets_less_than_half_lost_the_dispute() {
        assert_eq!(dispute_loser(10_000, 3_000), Some(Party::Developer));
        assert_eq!(dispute_loser(10_000, 7_000), Some(Party::Merchant));
        assert_eq!(dispute_loser(10_000, 5_000), None);
    }
}
