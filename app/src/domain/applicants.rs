//! How a merchant weighs the applicants to their task: the order they are listed in (`?sort=`),
//! the side-by-side comparison of up to three (`?compare=`), and how the evidence on each card is
//! read (on-time share, response time, which badges bear on the task). Both choices live in the
//! URL, so the page works without JavaScript.

use super::badges::BadgeRule;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use uuid::Uuid;

/// At most this many applicants side by side: more no longer fit a phone's width or a decision.
pub const COMPARE_LIMIT: usize = 3;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantSort {
    /// `domain::matching::fit` to the task, best first; applicants it does not fit last.
    Fit,
    /// Average rating, best first; among equals the one rated more often; unrated last.
    Rating,
    /// In the order they applied, first come first (the page's order before sorting existed).
    #[default]
    Time,
}

impl ApplicantSort {
    pub const ALL: [ApplicantSort; 3] = [ApplicantSort::Fit, ApplicantSort::Rating, ApplicantSort::Time];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicantSort::Fit => "fit",
            ApplicantSort::Rating => "rating",
            ApplicantSort::Time => "time",
        }
    }

    /// The order named in the URL; anything else is the order they applied in.
    pub fn parse(s: Option<&str>) -> Self {
        Self::ALL.into_iter().find(|sort| Some(sort.as_str()) == s).unwrap_or_default()
    }
}

/// What the order reads of one applicant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SortFacts {
    /// None: the task shares no skill with them, or their level does not unlock it.
    pub fit_score: Option<i64>,
    /// Average stars ×100; None before the first rating.
    pub average_rating_x100: Option<i64>,
    pub rating_count: i64,
}

/// Sorts `applicants`, given in the order they applied, by `sort`. The sort is stable, so equals
/// keep the order they applied in.
pub fn sort_applicants<T>(applicants: &mut [T], sort: ApplicantSort, facts: impl Fn(&T) -> SortFacts) {
    match sort {
        ApplicantSort::Time => {}
        ApplicantSort::Fit => applicants.sort_by_key(|a| {
            let f = facts(a);
            (Reverse(f.fit_score.is_some()), Reverse(f.fit_score), Reverse(f.average_rating_x100))
        }),
        ApplicantSort::Rating => applicants.sort_by_key(|a| {
            let f = facts(a);
            (Reverse(f.average_rating_x100.is_some()), Reverse(f.average_rating_x100), Reverse(f.rating_count))
        }),
    }
}

/// The applicants picked for comparison, from `?compare=id1,id2,id3`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// In the order picked, without repeats, at most `COMPARE_LIMIT`.
    pub ids: Vec<Uuid>,
    /// More than `COMPARE_LIMIT` were asked for: the ones after the limit were left out, and the
    /// page says why.
    pub refused: bool,
}

impl Comparison {
    /// Reads the URL's list; pieces that are not ids are ignored.
    pub fn parse(raw: Option<&str>) -> Self {
        let mut ids: Vec<Uuid> = Vec::new();
        for id in raw.unwrap_or_default().split(',').filter_map(|piece| Uuid::parse_str(piece.trim()).ok()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let refused = ids.len() > COMPARE_LIMIT;
        ids.truncate(COMPARE_LIMIT);
        Comparison { ids, refused }
    }

    /// Only the ids among `known` (the task's applications): a stale or foreign id shows nothing.
    pub fn among(mut self, known: &[Uuid]) -> Self {
        self.ids.retain(|id| known.contains(id));
        self
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.ids.contains(&id)
    }

    /// The list with `id` added at the end (past the limit, the page will refuse it and say so).
    pub fn with(&self, id: Uuid) -> Vec<Uuid> {
        let mut ids = self.ids.clone();
        if !ids.contains(&id) {
            ids.push(id);
        }
        ids
    }

    pub fn without(&self, id: Uuid) -> Vec<Uuid> {
        self.ids.iter().copied().filter(|other| *other != id).collect()
    }
}

/// The task page's address with the applicants' order and comparison in its query.
pub fn applicants_href(task: Uuid, sort: ApplicantSort, compare: &[Uuid]) -> String {
    let mut href = format!("/tasks/{task}?sort={}", sort.as_str());
    if !compare.is_empty() {
        let ids: Vec<String> = compare.iter().map(Uuid::to_string).collect();
        href.push_str("&compare=");
        href.push_str(&ids.join(","));
    }
    href.push_str("#applications");
    href
}

/// Share (0–100, rounded) of finished tasks delivered by their deadline; None before any finished.
pub fn on_time_share(on_time: i64, finished: i64) -> Option<u8> {
    (finished > 0).then(|| ((on_time.clamp(0, finished) * 100 + finished / 2) / finished) as u8)
}

/// A response time as people read it: minutes under an hour, hours under two days, then days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "count", rename_all = "snake_case")]
pub enum ResponseTime {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl ResponseTime {
    /// From the median seconds to a first reply (rounded to the nearest unit, at least 1).
    pub fn of_seconds(seconds: i64) -> Self {
        let minutes = (seconds.max(0) + 30) / 60;
        if minutes < 60 {
            ResponseTime::Minutes(minutes.max(1))
        } else if minutes < 48 * 60 {
            ResponseTime::Hours((minutes + 30) / 60)
        } else {
            ResponseTime::Days((minutes + 12 * 60) / (24 * 60))
        }
    }
}

/// Whether a badge tells a merchant something about doing this task. Badges earned by the work
/// record (finished tasks, ratings, steady weekly output, breadth of skills) bear on any task;
/// check-in streaks say nothing about work; a badge given by a challenge bears on the task when
/// its slug names one of the task's skills (`rust-sprint` for a Rust task).
pub fn badge_matters(rule: &BadgeRule, slug: &str, task_tags: &[String]) -> bool {
    match rule {
        BadgeRule::FinishedTasks { .. }
        | BadgeRule::AverageRating { .. }
        | BadgeRule::WeeklyStreak { .. }
        | BadgeRule::SkillBreadth { .. } => true,
        BadgeRule::DailyStreak { .. } => false,
        BadgeRule::ByChallenge => slug.split(['-', '_']).any(|word| task_tags.iter().any(|tag| tag == word)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(fit: Option<i64>, rating: Option<i64>, count: i64) -> SortFacts {
        SortFacts { fit_score: fit, average_rating_x100: rating, rating_count: count }
    }

    fn sorted(sort: ApplicantSort, applicants: &[(&'static str, SortFacts)]) -> Vec<&'static str> {
        let mut list = applicants.to_vec();
        sort_applicants(&mut list, sort, |(_, f)| *f);
        list.into_iter().map(|(name, _)| name).collect()
    }

    const APPLICANTS: [(&str, SortFacts); 4] = [
        ("first", SortFacts { fit_score: None, average_rating_x100: Some(500), rating_count: 1 }),
        ("second", SortFacts { fit_score: Some(50), average_rating_x100: Some(420), rating_count: 9 }),
        ("third", SortFacts { fit_score: Some(80), average_rating_x100: None, rating_count: 0 }),
        ("fourth", SortFacts { fit_score: Some(50), average_rating_x100: Some(480), rating_count: 3 }),
    ];

    #[test]
    fn time_keeps_the_order_they_applied_in() {
        assert_eq!(sorted(ApplicantSort::Time, &APPLICANTS), ["first", "second", "third", "fourth"]);
    }

    #[test]
    fn fit_puts_the_best_fit_first_the_better_rated_among_equals_and_no_fit_last() {
        assert_eq!(sorted(ApplicantSort::Fit, &APPLICANTS), ["third", "fourth", "second", "first"]);
    }

    #[test]
    fn rating_puts_the_best_average_first_more_ratings_among_equals_and_unrated_last() {
        assert_eq!(sorted(ApplicantSort::Rating, &APPLICANTS), ["first", "fourth", "second", "third"]);
        let tied = [("once", facts(None, Some(450), 1)), ("often", facts(None, Some(450), 12))];
        assert_eq!(sorted(ApplicantSort::Rating, &tied), ["often", "once"]);
    }

    #[test]
    fn the_url_names_the_order_and_anything_else_is_time() {
        for sort in ApplicantSort::ALL {
            assert_eq!(ApplicantSort::parse(Some(sort.as_str())), sort);
        }
        assert_eq!(ApplicantSort::parse(Some("price")), ApplicantSort::Time);
        assert_eq!(ApplicantSort::parse(None), ApplicantSort::Time);
    }

    #[test]
    fn up_to_three_are_compared_and_a_fourth_is_refused() {
        let ids: Vec<Uuid> = (1..=4).map(Uuid::from_u128).collect();
        let three = ids[..3].iter().map(Uuid::to_string).collect::<Vec<_>>().join(",");
        assert_eq!(Comparison::parse(Some(&three)), Comparison { ids: ids[..3].to_vec(), refused: false });
        let four = format!("{three},{}", ids[3]);
        assert_eq!(Comparison::parse(Some(&four)), Comparison { ids: ids[..3].to_vec(), refused: true });
    }

    #[test]
    fn repeats_and_garbage_do_not_count_and_foreign_ids_are_dropped() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let parsed = Comparison::parse(Some(&format!("{a},{a}, nonsense ,{b},,")));
        assert_eq!(parsed, Comparison { ids: vec![a, b], refused: false });
        assert_eq!(parsed.clone().among(&[b]).ids, [b]);
        assert_eq!(parsed.with(a), [a, b]);
        assert_eq!(parsed.without(a), [b]);
        assert_eq!(Comparison::parse(None), Comparison::default());
    }

    #[test]
    fn the_address_carries_order_and_comparison() {
        let task = Uuid::from_u128(9);
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(applicants_href(task, ApplicantSort::Fit, &[]), format!("/tasks/{task}?sort=fit#applications"));
        assert_eq!(
            applicants_href(task, ApplicantSort::Rating, &[a, b]),
            format!("/tasks/{task}?sort=rating&compare={a},{b}#applications")
        );
    }

    #[test]
    fn on_time_share_is_a_rounded_percentage_of_finished_work() {
        assert_eq!(on_time_share(0, 0), None);
        assert_eq!(on_time_share(2, 3), Some(67));
        assert_eq!(on_time_share(1, 3), Some(33));
        assert_eq!(on_time_share(4, 4), Some(100));
        assert_eq!(on_time_share(5, 4), Some(100));
    }

    #[test]
    fn response_times_read_in_the_unit_that_fits() {
        assert_eq!(ResponseTime::of_seconds(0), ResponseTime::Minutes(1));
        assert_eq!(ResponseTime::of_seconds(14 * 60 + 40), ResponseTime::Minutes(15));
        assert_eq!(ResponseTime::of_seconds(90 * 60), ResponseTime::Hours(2));
        assert_eq!(ResponseTime::of_seconds(47 * 3600), ResponseTime::Hours(47));
        assert_eq!(ResponseTime::of_seconds(60 * 3600), ResponseTime::Days(3));
    }

    #[test]
    fn work_badges_matter_check_ins_do_not_and_challenge_badges_when_they_name_a_skill() {
        let tags = vec!["rust".to_string(), "postgresql".to_string()];
        assert!(badge_matters(&BadgeRule::FinishedTasks { count: 3, min_difficulty: 4 }, "challenger", &tags));
        assert!(badge_matters(&BadgeRule::AverageRating { min_stars_x100: 480, over_last: 5 }, "top-rated", &tags));
        assert!(!badge_matters(&BadgeRule::DailyStreak { days: 7 }, "check-in-7", &tags));
        assert!(badge_matters(&BadgeRule::ByChallenge, "rust-sprint", &tags));
        assert!(!badge_matters(&BadgeRule::ByChallenge, "welcome", &tags));
        assert!(!badge_matters(&BadgeRule::ByChallenge, "rusty", &tags));
    }
}
