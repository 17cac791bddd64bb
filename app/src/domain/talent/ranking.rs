//! How `/developers` ranks developers for a search: fit for the words (PostgreSQL's `ts_rank` over
//! the weighted index: name and skills count most, then the headline, finished task titles, the
//! introduction), fit for the tags picked (skills proven on finished work count more than skills
//! only declared, as in `domain::matching`), then the developer's standing (level, rating, finished
//! work) and whether they take work now. Pure, so the order is explainable and unit-tested.

use super::AvailabilityStatus;
use crate::domain::growth::Level;
use std::cmp::Reverse;

/// Points for words matched in the strongest place (`ts_rank` ≈ 0.6 for a name or skill, 0.24 for
/// the headline, 0.12 for a finished task's title, 0.06 for the introduction), at most `WORDS_MAX`.
const WORDS_WEIGHT: f32 = 200.0;
const WORDS_MAX: i64 = 200;
/// A tag picked that the developer earned points in on finished work: this, plus a point per ten
/// skill points up to `EARNED_BONUS_MAX` more.
const EARNED_TAG: i64 = 40;
const EARNED_BONUS_MAX: i64 = 40;
/// A tag picked that the developer only declared on their profile.
const DECLARED_TAG: i64 = 25;
/// Virtual 4★ ratings the average is smoothed with, so one rating cannot swing the order.
const PRIOR_RATINGS: i64 = 2;

/// What a developer's standing is computed from (`developer_growth`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub level: Level,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub finished_tasks: i64,
}

/// The query-independent part of the rank, from −30 to 50: level (C 0, B 10, A 20, S 30), the
/// smoothed average rating (+10 at 5★, −10 at 3★) and finished work (a point per two tasks, up to
/// 10). Stored with the search index (`users.talent_standing`) so a search reads its strongest
/// candidates first.
pub fn standing(of: &Standing) -> i32 {
    let level = match of.level {
        Level::C => 0,
        Level::B => 10,
        Level::A => 20,
        Level::S => 30,
    };
    let count = of.rating_count.max(0);
    let smoothed_x100 = (of.rating_sum.max(0) * 100 + 400 * PRIOR_RATINGS) / (count + PRIOR_RATINGS);
    let rating = ((smoothed_x100 - 400) / 10).clamp(-30, 10);
    let finished = of.finished_tasks.clamp(0, 20) / 2;
    (level + rating + finished) as i32
}

/// What a search knows about one candidate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TalentFacts {
    /// `ts_rank` of the search words over the developer's index (0 without words).
    pub words_rank: f32,
    /// Tags picked that the developer earned skill points in, with the points.
    pub earned: Vec<(String, i64)>,
    /// Tags picked that the developer declared on their profile.
    pub declared: Vec<String>,
    /// `standing` (as stored).
    pub standing: i32,
    /// Availability on the day of the search.
    pub availability: AvailabilityStatus,
}

/// A candidate's fit: the score to rank by (higher first) and the tags picked that they have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TalentFit {
    pub score: i64,
    pub matched: Vec<String>,
}

pub fn fit(tags: &[String], facts: &TalentFacts) -> TalentFit {
    let words = ((facts.words_rank.max(0.0) * WORDS_WEIGHT).round() as i64).min(WORDS_MAX);
    let mut score = words + facts.standing as i64;
    let mut matched = Vec::new();
    for tag in tags {
        if let Some((_, points)) = facts.earned.iter().find(|(slug, points)| slug == tag && *points > 0) {
            score += EARNED_TAG + (points / 10).min(EARNED_BONUS_MAX);
            matched.push(tag.clone());
        } else if facts.declared.contains(tag) {
            score += DECLARED_TAG;
            matched.push(tag.clone());
        }
    }
    score += match facts.availability {
        AvailabilityStatus::Available => 15,
        AvailabilityStatus::Busy => 0,
        AvailabilityStatus::Paused => -30,
    };
    TalentFit { score, matched }
}

/// Candidates best first: by fit, then standing, then `key` (so equal candidates keep one order
/// from page to page).
pub fn rank<K: Ord>(candidates: Vec<(K, TalentFacts)>, tags: &[String]) -> Vec<(K, TalentFit)> {
    let mut ranked: Vec<(K, TalentFit, i32)> =
        candidates.into_iter().map(|(key, facts)| (key, fit(tags, &facts), facts.standing)).collect();
    ranked.sort_by(|a, b| (Reverse(a.1.score), Reverse(a.2), &a.0).cmp(&(Reverse(b.1.score), Reverse(b.2), &b.0)));
    ranked.into_iter().map(|(key, fit, _)| (key, fit)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(slugs: &[&str]) -> Vec<String> {
        slugs.iter().map(|s| s.to_string()).collect()
    }

    fn facts(words_rank: f32, standing: i32) -> TalentFacts {
        TalentFacts { words_rank, standing, ..TalentFacts::default() }
    }

    #[test]
    fn standing_grows_with_level_rating_and_finished_work() {
        let base = Standing { level: Level::C, rating_sum: 0, rating_count: 0, finished_tasks: 0 };
        assert_eq!(standing(&base), 0);
        let s = Standing { level: Level::S, rating_sum: 250, rating_count: 50, finished_tasks: 50 };
        assert_eq!(standing(&s), 30 + 9 + 10);
        assert!(standing(&Standing { level: Level::B, ..base }) > standing(&base));
        assert!(standing(&Standing { finished_tasks: 6, ..base }) > standing(&base));
        // One 5★ rating moves less than a long 5★ record; a poor record costs.
        let once = standing(&Standing { rating_sum: 5, rating_count: 1, ..base });
        let often = standing(&Standing { rating_sum: 50, rating_count: 10, ..base });
        assert!(0 < once && once < often, "{once} {often}");
        assert!(standing(&Standing { rating_sum: 20, rating_count: 10, ..base }) < 0);
    }

    #[test]
    fn words_in_a_name_or_skill_outrank_words_in_an_introduction() {
        // ts_rank of one term: A-weighted 0.608, D-weighted 0.061.
        let skill = fit(&[], &facts(0.608, 0));
        let intro = fit(&[], &facts(0.061, 30));
        assert!(skill.score > intro.score, "{skill:?} {intro:?}");
        assert_eq!(fit(&[], &facts(9.0, 0)).score, WORDS_MAX + 15, "capped");
    }

    #[test]
    fn earned_skills_beat_declared_ones_and_two_tags_beat_one() {
        let picked = tags(&["rust", "postgresql"]);
        let earned = TalentFacts { earned: vec![("rust".into(), 120)], ..facts(0.0, 0) };
        let declared = TalentFacts { declared: tags(&["rust"]), ..facts(0.0, 0) };
        let both = TalentFacts { declared: tags(&["rust", "postgresql"]), ..facts(0.0, 0) };
        let earned_fit = fit(&picked, &earned);
        assert_eq!(earned_fit, TalentFit { score: 40 + 12 + 15, matched: tags(&["rust"]) });
        assert!(earned_fit.score > fit(&picked, &declared).score);
        assert!(fit(&picked, &both).score > fit(&picked, &declared).score);
        assert_eq!(fit(&picked, &both).matched, picked);
        assert!(fit(&picked, &facts(0.0, 0)).matched.is_empty());
    }

    #[test]
    fn a_paused_developer_ranks_below_an_available_one_with_the_same_fit() {
        let available = fit(&[], &facts(0.3, 10));
        let busy = fit(&[], &TalentFacts { availability: AvailabilityStatus::Busy, ..facts(0.3, 10) });
        let paused = fit(&[], &TalentFacts { availability: AvailabilityStatus::Paused, ..facts(0.3, 10) });
        assert!(available.score > busy.score && busy.score > paused.score);
    }

    #[test]
    fn ties_go_to_the_stronger_standing_then_keep_one_order() {
        let ranked = rank(
            vec![(3, facts(0.0, 5)), (1, facts(0.0, 5)), (2, facts(0.0, 5)), (4, facts(0.6, 0)), (5, facts(0.025, 0))],
            &[],
        );
        let order: Vec<i32> = ranked.iter().map(|(key, _)| *key).collect();
        // 4 fits the words best; 5's score ties with 1–3 (5 + 0 = 0 + 5) but its standing is lower.
        assert_eq!(order, [4, 1, 2, 3, 5]);
    }
}
