//! Growth rules: what a finished task is worth in skill points and XP, and which level (C/B/A/S) a
//! developer's record earns. Pure functions over plain numbers; `db::growth` records the results in
//! an append-only points ledger, one event per real-world cause.

use super::task::Difficulty;
use serde::{Deserialize, Serialize};

/// A merchant's rating of the developer's work, 1–5 stars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Stars(u8);

impl Stars {
    pub fn new(stars: u8) -> Option<Self> {
        (1..=5).contains(&stars).then_some(Stars(stars))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Percent applied to a task's points: 1★ 50 %, 3★ 100 %, 5★ 150 %.
    fn weight_percent(self) -> i64 {
        50 + 25 * (self.0 as i64 - 1)
    }
}

impl TryFrom<u8> for Stars {
    type Error = String;
    fn try_from(stars: u8) -> Result<Self, String> {
        Stars::new(stars).ok_or_else(|| format!("{stars} stars is outside 1–5"))
    }
}

impl From<Stars> for u8 {
    fn from(stars: Stars) -> u8 {
        stars.0
    }
}

/// Skill points each of a finished task's tags earns before any rating: 10 per difficulty level.
pub const SKILL_POINTS_PER_DIFFICULTY: i64 = 10;
/// XP a finished task earns before any rating: 20 per difficulty level.
pub const XP_PER_DIFFICULTY: i64 = 20;
/// Growth points (成长积分, not XP and never money) for the day's check-in.
pub const CHECK_IN_POINTS: i32 = 5;

/// What one finished task earns. Completion pays the unrated base (as if rated 3★, the neutral
/// weight); the merchant's rating later adds or removes the difference as its own event, so every
/// point stays traceable to what caused it and nothing depends on a rating ever arriving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskReward {
    /// Per skill tag of the task.
    pub skill_points: i64,
    pub xp: i64,
}

impl TaskReward {
    pub fn base(difficulty: Difficulty) -> Self {
        let level = difficulty.level() as i64;
        TaskReward { skill_points: level * SKILL_POINTS_PER_DIFFICULTY, xp: level * XP_PER_DIFFICULTY }
    }

    pub fn rated(difficulty: Difficulty, stars: Stars) -> Self {
        let base = TaskReward::base(difficulty);
        let weight = stars.weight_percent();
        TaskReward { skill_points: base.skill_points * weight / 100, xp: base.xp * weight / 100 }
    }

    /// What a rating changes relative to the base already paid at completion (negative below 3★).
    pub fn rating_adjustment(difficulty: Difficulty, stars: Stars) -> Self {
        let (base, rated) = (TaskReward::base(difficulty), TaskReward::rated(difficulty, stars));
        TaskReward { skill_points: rated.skill_points - base.skill_points, xp: rated.xp - base.xp }
    }
}

/// Which stretch of time a leaderboard covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Week,
    Month,
    AllTime,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Week, Period::Month, Period::AllTime];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::AllTime => "all",
        }
    }

    /// From the URL; anything unknown is this week's board.
    pub fn parse(s: Option<&str>) -> Self {
        Period::ALL.into_iter().find(|p| Some(p.as_str()) == s).unwrap_or_default()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    C,
    B,
    A,
    S,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::C, Level::B, Level::A, Level::S];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::C => "C",
            Level::B => "B",
            Level::A => "A",
            Level::S => "S",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Level::ALL.into_iter().find(|level| level.as_str() == s)
    }

    pub fn next(self) -> Option<Level> {
        match self {
            Level::C => Some(Level::B),
            Level::B => Some(Level::A),
            Level::A => Some(Level::S),
            Level::S => None,
        }
    }

    /// What it takes to hold this level (C needs nothing).
    pub fn requirement(self) -> LevelRequirement {
        match self {
            Level::C => LevelRequirement { finished_tasks: 0, average_rating_x100: 0, skill_breadth: 0 },
            Level::B => LevelRequirement { finished_tasks: 3, average_rating_x100: 380, skill_breadth: 2 },
            Level::A => LevelRequirement { finished_tasks: 12, average_rating_x100: 430, skill_breadth: 4 },
            Level::S => LevelRequirement { finished_tasks: 30, average_rating_x100: 460, skill_breadth: 6 },
        }
    }

    /// Whether a developer at this level may apply to a task that asks for `required` (None: any).
    pub fn unlocks(self, required: Option<Level>) -> bool {
        required.is_none_or(|required| self >= required)
    }

    /// Commission taken off the task's rate when this developer is paid: the seed's promise that
    /// growing pays. Applied through `CommissionRate::discounted`, so it never goes below 5 %.
    pub fn commission_discount_bps(self) -> u32 {
        match self {
            Level::C => 0,
            Level::B => 100,
            Level::A => 200,
            Level::S => 300,
        }
    }
}

/// The thresholds of one level. Ratings are compared ×100 to stay in integers (4.3★ = 430).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelRequirement {
    pub finished_tasks: i64,
    pub average_rating_x100: i64,
    /// Distinct skills with points.
    pub skill_breadth: i64,
}

/// The record a level is evaluated from (the seed's 动态评估: volume, quality and breadth).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub finished_tasks: i64,
    pub rating_sum: i64,
    pub rating_count: i64,
    pub skill_breadth: i64,
}

impl Record {
    /// Average stars ×100, rounded down; None before the first rating.
    pub fn average_rating_x100(&self) -> Option<i64> {
        (self.rating_count > 0).then(|| self.rating_sum * 100 / self.rating_count)
    }

    fn meets(&self, requirement: LevelRequirement) -> bool {
        // Until a merchant has rated anything, quality cannot be judged, so only C is open.
        let rating_ok = match self.average_rating_x100() {
            Some(average) => average >= requirement.average_rating_x100,
            None => requirement.average_rating_x100 == 0,
        };
        self.finished_tasks >= requirement.finished_tasks
            && rating_ok
            && self.skill_breadth >= requirement.skill_breadth
    }

    /// The highest level whose every threshold is met. Recomputed on each event, so it can fall
    /// as well as rise (an average dragged down by poor ratings loses the level it no longer earns).
    pub fn level(&self) -> Level {
        Level::ALL.into_iter().rev().find(|level| self.meets(level.requirement())).unwrap_or(Level::C)
    }

    /// What is still missing for the next level, for the growth panel ("2 more tasks, …").
    pub fn missing_for_next(&self) -> Option<(Level, LevelRequirement)> {
        let next = self.level().next()?;
        let need = next.requirement();
        Some((
            next,
            LevelRequirement {
                finished_tasks: (need.finished_tasks - self.finished_tasks).max(0),
                average_rating_x100: match self.average_rating_x100() {
                    Some(average) if average >= need.average_rating_x100 => 0,
                    _ => need.average_rating_x100,
                },
                skill_breadth: (need.skill_breadth - self.skill_breadth).max(0),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_unlocks_tasks_up_to_itself() {
        assert!(Level::C.unlocks(None));
        assert!(Level::A.unlocks(Some(Level::A)));
        assert!(Level::S.unlocks(Some(Level::B)));
        assert!(!Level::B.unlocks(Some(Level::A)));
        assert!(!Level::C.unlocks(Some(Level::B)));
    }

    fn difficulty(level: i16) -> Difficulty {
        Difficulty::new(level).unwrap()
    }

    #[test]
    fn harder_tasks_and_better_ratings_earn_more() {
        assert_eq!(TaskReward::base(difficulty(1)), TaskReward { skill_points: 10, xp: 20 });
        assert_eq!(TaskReward::base(difficulty(5)), TaskReward { skill_points: 50, xp: 100 });
        assert_eq!(TaskReward::rated(difficulty(5), Stars::new(5).unwrap()), TaskReward { skill_points: 75, xp: 150 });
        assert_eq!(TaskReward::rated(difficulty(5), Stars::new(1).unwrap()), TaskReward { skill_points: 25, xp: 50 });
        assert_eq!(TaskReward::rated(difficulty(3), Stars::new(3).unwrap()), TaskReward::base(difficulty(3)));
    }

    #[test]
    fn a_rating_adjusts_the_base_both_ways_and_the_sum_is_the_rated_value() {
        for level in 1..=5 {
            for stars in 1..=5 {
                let (d, s) = (difficulty(level), Stars::new(stars).unwrap());
                let base = TaskReward::base(d);
                let adjustment = TaskReward::rating_adjustment(d, s);
                assert_eq!(base.xp + adjustment.xp, TaskReward::rated(d, s).xp);
                assert_eq!(base.skill_points + adjustment.skill_points, TaskReward::rated(d, s).skill_points);
                assert_eq!(adjustment.xp < 0, stars < 3, "only ratings below 3★ take points back");
            }
        }
    }

    #[test]
    fn stars_are_one_to_five() {
        assert_eq!(Stars::new(0), None);
        assert_eq!(Stars::new(6), None);
        assert_eq!(Stars::new(5).map(Stars::get), Some(5));
    }

    fn record(finished_tasks: i64, average_x100: Option<i64>, skill_breadth: i64) -> Record {
        let (rating_sum, rating_count) = match average_x100 {
            Some(average) => (average, 100),
            None => (0, 0),
        };
        Record { finished_tasks, rating_sum, rating_count, skill_breadth }
    }

    #[test]
    fn levels_need_volume_quality_and_breadth_together() {
        assert_eq!(record(0, None, 0).level(), Level::C);
        assert_eq!(record(3, Some(380), 2).level(), Level::B, "exactly on every B threshold");
        assert_eq!(record(2, Some(500), 9).level(), Level::C, "one task short");
        assert_eq!(record(3, Some(379), 2).level(), Level::C, "just under the rating");
        assert_eq!(record(3, Some(500), 1).level(), Level::C, "one skill is not breadth");
        assert_eq!(record(50, None, 9).level(), Level::C, "unrated work cannot be judged");
        assert_eq!(record(12, Some(430), 4).level(), Level::A);
        assert_eq!(record(30, Some(460), 6).level(), Level::S);
        assert_eq!(record(30, Some(459), 6).level(), Level::A, "S slips back to A under 4.6★");
    }

    #[test]
    fn the_panel_says_what_is_missing_for_the_next_level() {
        let (next, missing) = record(1, Some(400), 1).missing_for_next().unwrap();
        assert_eq!(next, Level::B);
        assert_eq!(missing, LevelRequirement { finished_tasks: 2, average_rating_x100: 0, skill_breadth: 1 });
        assert_eq!(record(30, Some(500), 6).missing_for_next(), None, "S is the top");
    }

    #[test]
    fn higher_levels_pay_less_commission_but_never_under_five_percent() {
        use crate::domain::fees::CommissionRate;
        let rate = CommissionRate::DEFAULT;
        assert_eq!(rate.discounted(Level::C.commission_discount_bps()).bps(), 1_000);
        assert_eq!(rate.discounted(Level::S.commission_discount_bps()).bps(), 700);
        let floor = CommissionRate::from_bps(600).unwrap();
        assert_eq!(floor.discounted(Level::S.commission_discount_bps()).bps(), 500);
    }

    #[test]
    fn periods_come_from_the_url_and_default_to_this_week() {
        assert_eq!(Period::parse(Some("month")), Period::Month);
        assert_eq!(Period::parse(Some("all")), Period::AllTime);
        assert_eq!(Period::parse(Some("'; DROP TABLE users")), Period::Week);
        assert_eq!(Period::parse(None), Period::Week);
    }

    #[test]
    fn levels_round_trip_through_their_names() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("D"), None);
    }
}
