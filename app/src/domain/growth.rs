//! Growth rules: what a finished task is worth in skill points and XP, and which level (C/B/A/S) a
//! developer's record earns. Pure functions over plain numbers; `db::growth` records the results in
//! an append-only points ledger, one event per real-world cause.

pub use super::level::Level;
use super::{
    tasks::Difficulty,
    validation::{Field, FieldError, Problem},
};
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

/// The growth engine's numbers, which admins tune from the console (stored as one row in
/// `growth_rules`; `GrowthRules::default()` is what CodeLink launched with). Everything that awards
/// points or evaluates a level takes them, so a change applies from the next event on, and every
/// event keeps the points it was awarded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrowthRules {
    /// Skill points each of a finished task's tags earns per difficulty level, before any rating.
    pub skill_points_per_difficulty: i64,
    /// XP a finished task earns per difficulty level, before any rating.
    pub xp_per_difficulty: i64,
    /// Growth points (成长积分, not XP and never money) for the day's check-in.
    pub check_in_points: i32,
    /// What it takes to hold B, A and S (C needs nothing).
    pub levels: [LevelRequirement; 3],
}

impl Default for GrowthRules {
    fn default() -> Self {
        GrowthRules::LAUNCH
    }
}

/// The bounds an admin may set, so a typo cannot make growth free or unreachable.
pub const WEIGHT_RANGE: (i64, i64) = (1, 1_000);
pub const CHECK_IN_RANGE: (i64, i64) = (0, 100);
pub const LEVEL_TASKS_RANGE: (i64, i64) = (1, 10_000);
pub const LEVEL_SKILLS_RANGE: (i64, i64) = (1, 100);

impl GrowthRules {
    /// What CodeLink launched with, and what a database without a saved row uses.
    pub const LAUNCH: GrowthRules = GrowthRules {
        skill_points_per_difficulty: 10,
        xp_per_difficulty: 20,
        check_in_points: 5,
        levels: [
            LevelRequirement { finished_tasks: 3, average_rating_x100: 380, skill_breadth: 2 },
            LevelRequirement { finished_tasks: 12, average_rating_x100: 430, skill_breadth: 4 },
            LevelRequirement { finished_tasks: 30, average_rating_x100: 460, skill_breadth: 6 },
        ],
    };

    /// What it takes to hold `level`.
    pub fn requirement(&self, level: Level) -> LevelRequirement {
        match level {
            Level::C => LevelRequirement { finished_tasks: 0, average_rating_x100: 0, skill_breadth: 0 },
            Level::B => self.levels[0],
            Level::A => self.levels[1],
            Level::S => self.levels[2],
        }
    }

    /// What a finished task earns at completion: the unrated base (as if rated 3★, the neutral
    /// weight). The merchant's rating later adds or removes the difference as its own event, so
    /// every point stays traceable to what caused it and nothing depends on a rating ever arriving.
    pub fn task_reward(&self, difficulty: Difficulty) -> TaskReward {
        let level = difficulty.level() as i64;
        TaskReward { skill_points: level * self.skill_points_per_difficulty, xp: level * self.xp_per_difficulty }
    }

    pub fn rated_reward(&self, difficulty: Difficulty, stars: Stars) -> TaskReward {
        self.task_reward(difficulty).rated(stars)
    }

    /// The highest level whose every threshold the record meets. Recomputed on each event, so it
    /// can fall as well as rise (an average dragged down by poor ratings loses the level).
    pub fn level_of(&self, record: &Record) -> Level {
        Level::ALL.into_iter().rev().find(|level| record.meets(self.requirement(*level))).unwrap_or(Level::C)
    }

    /// What is still missing for the next level, for the growth panel ("2 more tasks, …").
    pub fn missing_for_next(&self, record: &Record) -> Option<(Level, LevelRequirement)> {
        let next = self.level_of(record).next()?;
        let need = self.requirement(next);
        Some((
            next,
            LevelRequirement {
                finished_tasks: (need.finished_tasks - record.finished_tasks).max(0),
                average_rating_x100: match record.average_rating_x100() {
                    Some(average) if average >= need.average_rating_x100 => 0,
                    _ => need.average_rating_x100,
                },
                skill_breadth: (need.skill_breadth - record.skill_breadth).max(0),
            },
        ))
    }
}

/// The growth rules as the admin console's form sends them: numbers as typed, average ratings in
/// stars ("4.3").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GrowthRulesForm {
    pub skill_points_per_difficulty: String,
    pub xp_per_difficulty: String,
    pub check_in_points: String,
    pub b: LevelForm,
    pub a: LevelForm,
    pub s: LevelForm,
}

/// One level's thresholds as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LevelForm {
    pub finished_tasks: String,
    pub average_rating: String,
    pub skill_breadth: String,
}

impl LevelForm {
    fn of(need: LevelRequirement) -> Self {
        LevelForm {
            finished_tasks: need.finished_tasks.to_string(),
            average_rating: stars_text(need.average_rating_x100),
            skill_breadth: need.skill_breadth.to_string(),
        }
    }
}

impl GrowthRulesForm {
    /// The form an admin starts from: the rules in force.
    pub fn of(rules: &GrowthRules) -> Self {
        GrowthRulesForm {
            skill_points_per_difficulty: rules.skill_points_per_difficulty.to_string(),
            xp_per_difficulty: rules.xp_per_difficulty.to_string(),
            check_in_points: rules.check_in_points.to_string(),
            b: LevelForm::of(rules.levels[0]),
            a: LevelForm::of(rules.levels[1]),
            s: LevelForm::of(rules.levels[2]),
        }
    }

    /// Every number in range, and each level at least as demanding as the one below it in every
    /// respect and more demanding in one (otherwise the higher level could never be told apart).
    pub fn validate(&self) -> Result<GrowthRules, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut field = |field, value: Result<i64, Problem>| match value {
            Ok(n) => n,
            Err(problem) => {
                // One message per field: a level row's first problem.
                if !errors.iter().any(|e: &FieldError| e.field == field) {
                    errors.push(FieldError::new(field, problem));
                }
                0
            }
        };
        let skill_points_per_difficulty =
            field(Field::SkillPointsWeight, number(&self.skill_points_per_difficulty, WEIGHT_RANGE));
        let xp_per_difficulty = field(Field::XpWeight, number(&self.xp_per_difficulty, WEIGHT_RANGE));
        let check_in_points = field(Field::CheckInPoints, number(&self.check_in_points, CHECK_IN_RANGE)) as i32;
        const FIELDS: [Field; 3] = [Field::LevelB, Field::LevelA, Field::LevelS];
        let forms = [&self.b, &self.a, &self.s];
        let levels: [LevelRequirement; 3] = std::array::from_fn(|i| LevelRequirement {
            finished_tasks: field(FIELDS[i], number(&forms[i].finished_tasks, LEVEL_TASKS_RANGE)),
            average_rating_x100: field(
                FIELDS[i],
                parse_stars(&forms[i].average_rating).ok_or(Problem::NumberOutOfRange { min: 1, max: 5 }),
            ),
            skill_breadth: field(FIELDS[i], number(&forms[i].skill_breadth, LEVEL_SKILLS_RANGE)),
        });
        for i in 1..3 {
            let (lower, higher) = (levels[i - 1], levels[i]);
            let at_least = higher.finished_tasks >= lower.finished_tasks
                && higher.average_rating_x100 >= lower.average_rating_x100
                && higher.skill_breadth >= lower.skill_breadth;
            if !at_least || higher == lower {
                field(FIELDS[i], Err(Problem::LevelsOutOfOrder));
            }
        }
        if errors.is_empty() {
            Ok(GrowthRules { skill_points_per_difficulty, xp_per_difficulty, check_in_points, levels })
        } else {
            Err(errors)
        }
    }
}

fn number(text: &str, (min, max): (i64, i64)) -> Result<i64, Problem> {
    match text.trim().parse::<i64>() {
        _ if text.trim().is_empty() => Err(Problem::Required),
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(Problem::NumberOutOfRange { min, max }),
    }
}

/// "4.3" → 430: one or two decimals of a 1–5 star average.
fn parse_stars(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.len() != 1 || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if fraction.is_empty() { 0 } else { format!("{fraction:0<2}").parse().ok()? };
    Some(whole * 100 + fraction).filter(|x100| (100..=500).contains(x100))
}

/// 430 → "4.3", 385 → "3.85", 400 → "4".
/// An average rating as people read it everywhere (pages, the card image, the monthly report): one
/// decimal, rounded half up. It takes the average ×100 rounded down (`Record::average_rating_x100`);
/// rounding ⌊100·a⌋ to tenths gives the same digit as rounding `a` itself, so 28 stars over 6
/// ratings (4.666…) reads 4.7 on every page.
pub fn average_text(x100: i64) -> String {
    let tenths = (x100 + 5) / 10;
    format!("{}.{}", tenths / 10, tenths % 10)
}

pub fn stars_text(x100: i64) -> String {
    let text = format!("{}.{:02}", x100 / 100, x100 % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// What one finished task earns, in skill points per tag and XP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskReward {
    /// Per skill tag of the task.
    pub skill_points: i64,
    pub xp: i64,
}

impl TaskReward {
    /// This base scaled by a rating: 1★ 50 % up to 5★ 150 %.
    pub fn rated(self, stars: Stars) -> TaskReward {
        let weight = stars.weight_percent();
        TaskReward { skill_points: self.skill_points * weight / 100, xp: self.xp * weight / 100 }
    }

    /// What a rating changes relative to this base, the one paid at completion (negative below
    /// 3★). Taken from the base actually paid, so a change of weights in between can never take
    /// back more than the completion gave.
    pub fn rating_adjustment(self, stars: Stars) -> TaskReward {
        let rated = self.rated(stars);
        TaskReward { skill_points: rated.skill_points - self.skill_points, xp: rated.xp - self.xp }
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

    /// The window a board counts in (`domain::periods`); the all-time board has none.
    pub fn window(self) -> Option<crate::domain::periods::Window> {
        use crate::domain::periods::Window;
        match self {
            Period::Week => Some(Window::Week),
            Period::Month => Some(Window::Month),
            Period::AllTime => None,
        }
    }

    /// From the URL; anything unknown is this week's board.
    pub fn parse(s: Option<&str>) -> Self {
        Period::ALL.into_iter().find(|p| Some(p.as_str()) == s).unwrap_or_default()
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

    pub fn meets(&self, requirement: LevelRequirement) -> bool {
        // Until a merchant has rated anything, quality cannot be judged, so only C is open.
        let rating_ok = match self.average_rating_x100() {
            Some(average) => average >= requirement.average_rating_x100,
            None => requirement.average_rating_x100 == 0,
        };
        self.finished_tasks >= requirement.finished_tasks
            && rating_ok
            && self.skill_breadth >= requirement.skill_breadth
    }
}

/// How new rules would move developers: how many hold each level now and after, and how many would
/// go up or down. Shown to an admin before the rules are saved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelShift {
    /// Developers per level (C, B, A, S) under the rules in force and under the new ones.
    pub before: [u32; 4],
    pub after: [u32; 4],
    pub up: u32,
    pub down: u32,
}

/// Evaluates every record under both rule sets.
pub fn level_shift(now: &GrowthRules, proposed: &GrowthRules, records: &[Record]) -> LevelShift {
    let mut shift = LevelShift::default();
    for record in records {
        let (was, will) = (now.level_of(record), proposed.level_of(record));
        shift.before[was as usize] += 1;
        shift.after[will as usize] += 1;
        match will.cmp(&was) {
            std::cmp::Ordering::Greater => shift.up += 1,
            std::cmp::Ordering::Less => shift.down += 1,
            std::cmp::Ordering::Equal => {}
        }
    }
    shift
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_read_with_one_decimal_rounded_half_up() {
        let average = |sum: i64, count: i64| {
            average_text(
                Record { rating_sum: sum, rating_count: count, ..Record::default() }.average_rating_x100().unwrap(),
            )
        };
        assert_eq!(average(28, 6), "4.7");
        assert_eq!(average(9, 2), "4.5");
        assert_eq!(average(93, 20), "4.7", "4.65 rounds up");
        assert_eq!(average(464, 100), "4.6");
        assert_eq!(average(5, 1), "5.0");
        assert_eq!(average(1, 1), "1.0");
        assert_eq!(average(299, 100), "3.0");
    }

    #[test]
    fn the_open_application_cap_grows_with_level() {
        let caps: Vec<u32> = Level::ALL.into_iter().map(Level::open_application_cap).collect();
        assert_eq!(caps, [5, 10, 20, 40]);
    }

    const RULES: GrowthRules = GrowthRules::LAUNCH;

    fn form() -> GrowthRulesForm {
        GrowthRulesForm::of(&RULES)
    }

    #[test]
    fn the_rules_round_trip_through_the_admin_form() {
        assert_eq!(
            form().a,
            LevelForm { finished_tasks: "12".into(), average_rating: "4.3".into(), skill_breadth: "4".into() }
        );
        assert_eq!(form().validate(), Ok(RULES));
        let mut doubled = form();
        doubled.xp_per_difficulty = " 40 ".into();
        doubled.s.average_rating = "4.75".into();
        let rules = doubled.validate().unwrap();
        assert_eq!(rules.task_reward(difficulty(2)).xp, 80);
        assert_eq!(rules.requirement(Level::S).average_rating_x100, 475);
    }

    #[test]
    fn the_admin_form_refuses_numbers_out_of_range_and_levels_out_of_order() {
        let problems = |change: fn(&mut GrowthRulesForm)| {
            let mut f = form();
            change(&mut f);
            f.validate().unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect::<Vec<_>>()
        };
        assert_eq!(problems(|f| f.xp_per_difficulty = "".into()), [(Field::XpWeight, Problem::Required)]);
        assert_eq!(
            problems(|f| f.skill_points_per_difficulty = "0".into()),
            [(Field::SkillPointsWeight, Problem::NumberOutOfRange { min: 1, max: 1_000 })]
        );
        assert_eq!(
            problems(|f| f.check_in_points = "1e3".into()),
            [(Field::CheckInPoints, Problem::NumberOutOfRange { min: 0, max: 100 })]
        );
        for bad in ["5.5", "0.9", "4.333", "四", "-4", "4.-1"] {
            let mut f = form();
            f.b.average_rating = bad.into();
            let errors = f.validate().unwrap_err();
            assert_eq!(
                errors[0],
                FieldError::new(Field::LevelB, Problem::NumberOutOfRange { min: 1, max: 5 }),
                "{bad}"
            );
        }
        // A needs fewer tasks than B: A is out of order, and one message is enough for its row.
        assert_eq!(problems(|f| f.a.finished_tasks = "2".into()), [(Field::LevelA, Problem::LevelsOutOfOrder)]);
        // S identical to A could never be told apart.
        assert_eq!(problems(|f| f.s = f.a.clone()), [(Field::LevelS, Problem::LevelsOutOfOrder)]);
    }

    #[test]
    fn star_averages_print_as_typed() {
        assert_eq!(stars_text(430), "4.3");
        assert_eq!(stars_text(385), "3.85");
        assert_eq!(stars_text(400), "4");
        assert_eq!(parse_stars("4"), Some(400));
        assert_eq!(parse_stars("3.85"), Some(385));
        assert_eq!(parse_stars("5.00"), Some(500));
    }

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
        assert_eq!(RULES.task_reward(difficulty(1)), TaskReward { skill_points: 10, xp: 20 });
        assert_eq!(RULES.task_reward(difficulty(5)), TaskReward { skill_points: 50, xp: 100 });
        assert_eq!(RULES.rated_reward(difficulty(5), Stars::new(5).unwrap()), TaskReward { skill_points: 75, xp: 150 });
        assert_eq!(RULES.rated_reward(difficulty(5), Stars::new(1).unwrap()), TaskReward { skill_points: 25, xp: 50 });
        assert_eq!(RULES.rated_reward(difficulty(3), Stars::new(3).unwrap()), RULES.task_reward(difficulty(3)));
    }

    #[test]
    fn a_rating_adjusts_the_base_both_ways_and_the_sum_is_the_rated_value() {
        for level in 1..=5 {
            for stars in 1..=5 {
                let (d, s) = (difficulty(level), Stars::new(stars).unwrap());
                let base = RULES.task_reward(d);
                let adjustment = base.rating_adjustment(s);
                assert_eq!(base.xp + adjustment.xp, RULES.rated_reward(d, s).xp);
                assert_eq!(base.skill_points + adjustment.skill_points, RULES.rated_reward(d, s).skill_points);
                assert_eq!(adjustment.xp < 0, stars < 3, "only ratings below 3★ take points back");
            }
        }
    }

    #[test]
    fn a_rating_adjusts_the_base_that_was_paid_not_todays() {
        // Paid at launch weights, rated 1★ after an admin multiplied them by 100: half of what was
        // paid comes back, never more.
        let paid = RULES.task_reward(difficulty(2));
        assert_eq!(paid.rating_adjustment(Stars::new(1).unwrap()), TaskReward { skill_points: -10, xp: -20 });
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
        assert_eq!(RULES.level_of(&record(0, None, 0)), Level::C);
        assert_eq!(RULES.level_of(&record(3, Some(380), 2)), Level::B, "exactly on every B threshold");
        assert_eq!(RULES.level_of(&record(2, Some(500), 9)), Level::C, "one task short");
        assert_eq!(RULES.level_of(&record(3, Some(379), 2)), Level::C, "just under the rating");
        assert_eq!(RULES.level_of(&record(3, Some(500), 1)), Level::C, "one skill is not breadth");
        assert_eq!(RULES.level_of(&record(50, None, 9)), Level::C, "unrated work cannot be judged");
        assert_eq!(RULES.level_of(&record(12, Some(430), 4)), Level::A);
        assert_eq!(RULES.level_of(&record(30, Some(460), 6)), Level::S);
        assert_eq!(RULES.level_of(&record(30, Some(459), 6)), Level::A, "S slips back to A under 4.6★");
    }

    #[test]
    fn the_panel_says_what_is_missing_for_the_next_level() {
        let (next, missing) = RULES.missing_for_next(&record(1, Some(400), 1)).unwrap();
        assert_eq!(next, Level::B);
        assert_eq!(missing, LevelRequirement { finished_tasks: 2, average_rating_x100: 0, skill_breadth: 1 });
        assert_eq!(RULES.missing_for_next(&record(30, Some(500), 6)), None, "S is the top");
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

    #[test]
    fn a_preview_counts_who_would_move() {
        let now = GrowthRules::default();
        let mut stricter = now;
        stricter.levels[0].finished_tasks = 5;
        let b_record = Record { finished_tasks: 3, rating_sum: 12, rating_count: 3, skill_breadth: 2 };
        let newcomer = Record::default();
        let shift = level_shift(&now, &stricter, &[b_record, newcomer, b_record]);
        assert_eq!(shift.before, [1, 2, 0, 0]);
        assert_eq!(shift.after, [3, 0, 0, 0]);
        assert_eq!((shift.up, shift.down), (0, 2));
        assert_eq!(level_shift(&stricter, &now, &[b_record]).up, 1);
    }
}
