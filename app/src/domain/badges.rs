//! Badges: each is a rule over a developer's record, stored as data so that admins can create new
//! badges from these rule kinds without a code change. A badge, once earned, is kept: rules decide
//! when it is earned, never when it is taken away.
//!
//! Days are numbered from 1970-01-01 in China Standard Time (what PostgreSQL's
//! `china_date(t) - DATE '1970-01-01'` gives); weeks run Monday to Sunday.

use super::periods::week_number;
use super::validation::{check_length, check_slug, Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BadgeRule {
    /// Finish `count` tasks of at least `min_difficulty` (1–5).
    FinishedTasks { count: u32, min_difficulty: i16 },
    /// An average of at least `min_stars_x100` (480 is 4.8★) over the last `over_last` rated tasks.
    AverageRating { min_stars_x100: u32, over_last: u32 },
    /// Finish at least one task in each of `weeks` consecutive weeks.
    WeeklyStreak { weeks: u32 },
    /// Check in on `days` consecutive days.
    DailyStreak { days: u32 },
    /// Earn points in `count` different skills.
    SkillBreadth { count: u32 },
    /// Given by completing a challenge (see `domain::challenges`), never by the record alone.
    ByChallenge,
}

/// The bounds an admin-made rule must stay within, so that no badge is unreachable or free.
pub const MAX_COUNT: u32 = 1_000;

impl BadgeRule {
    pub fn check(&self) -> Result<(), FieldError> {
        let within = |n: u32| (1..=MAX_COUNT).contains(&n);
        let ok = match *self {
            BadgeRule::FinishedTasks { count, min_difficulty } => within(count) && (1..=5).contains(&min_difficulty),
            BadgeRule::AverageRating { min_stars_x100, over_last } => {
                (100..=500).contains(&min_stars_x100) && within(over_last)
            }
            BadgeRule::WeeklyStreak { weeks: n } | BadgeRule::DailyStreak { days: n } => within(n),
            BadgeRule::SkillBreadth { count } => within(count),
            BadgeRule::ByChallenge => true,
        };
        ok.then_some(()).ok_or(FieldError::new(Field::Rule, Problem::NotAllowed))
    }

    /// How far `facts` go towards this badge.
    pub fn progress(&self, facts: &Facts) -> Progress {
        match *self {
            BadgeRule::FinishedTasks { count, min_difficulty } => {
                let have = facts.finished.iter().filter(|t| t.difficulty >= min_difficulty).count() as u32;
                Progress::counted(have, count)
            }
            BadgeRule::AverageRating { min_stars_x100, over_last } => {
                let rated = &facts.ratings;
                let last = &rated[rated.len().saturating_sub(over_last as usize)..];
                let have = last.len() as u32;
                let high_enough = last.iter().map(|&s| u32::from(s)).sum::<u32>() * 100 >= min_stars_x100 * have.max(1);
                Progress { have, need: over_last, earned: have == over_last && high_enough }
            }
            BadgeRule::WeeklyStreak { weeks } => {
                let mut weeks_active: Vec<i32> = facts.finished.iter().map(|t| week_number(t.day)).collect();
                weeks_active.dedup();
                streak(&weeks_active, week_number(facts.today), weeks)
            }
            BadgeRule::DailyStreak { days } => streak(&facts.check_in_days, facts.today, days),
            BadgeRule::SkillBreadth { count } => Progress::counted(facts.skills, count),
            BadgeRule::ByChallenge => Progress { have: 0, need: 1, earned: false },
        }
    }
}

/// The admin's form for a new badge, as submitted. `count` is the rule's N (tasks, ratings, weeks,
/// days or skills); `threshold` is the minimum difficulty (1–5) for finished tasks, or the minimum
/// average ("4.8") for ratings, and is ignored by the other kinds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BadgeForm {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub kind: String,
    pub count: String,
    #[serde(default)]
    pub threshold: String,
    pub growth_points: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewBadge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub rule: BadgeRule,
    pub growth_points: i32,
}

pub const RULE_KINDS: [&str; 5] =
    ["finished_tasks", "average_rating", "weekly_streak", "daily_streak", "skill_breadth"];
pub const MAX_GROWTH_POINTS: i32 = 10_000;

impl BadgeForm {
    pub fn validate(&self) -> Result<NewBadge, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = check_slug(&self.slug).map_err(|e| errors.push(e)).ok();
        let text = |field, value: &str, max| {
            let value = value.trim().to_string();
            check_length(field, &value, 1, max).map(|_| value)
        };
        let name_zh = text(Field::NameZh, &self.name_zh, 20).map_err(|e| errors.push(e)).ok();
        let name_en = text(Field::NameEn, &self.name_en, 40).map_err(|e| errors.push(e)).ok();
        let description_zh = text(Field::DescriptionZh, &self.description_zh, 200).map_err(|e| errors.push(e)).ok();
        let description_en = text(Field::DescriptionEn, &self.description_en, 400).map_err(|e| errors.push(e)).ok();
        let rule = self.rule().map_err(|e| errors.push(e)).ok();
        let growth_points =
            self.growth_points.trim().parse::<i32>().ok().filter(|p| (0..=MAX_GROWTH_POINTS).contains(p));
        if growth_points.is_none() {
            errors.push(FieldError::new(Field::Points, Problem::NotAllowed));
        }
        match (slug, name_zh, name_en, description_zh, description_en, rule, growth_points) {
            (
                Some(slug),
                Some(name_zh),
                Some(name_en),
                Some(description_zh),
                Some(description_en),
                Some(rule),
                Some(growth_points),
            ) if errors.is_empty() => {
                Ok(NewBadge { slug, name_zh, name_en, description_zh, description_en, rule, growth_points })
            }
            _ => Err(errors),
        }
    }

    fn rule(&self) -> Result<BadgeRule, FieldError> {
        let bad = FieldError::new(Field::Rule, Problem::NotAllowed);
        let count = self.count.trim().parse::<u32>().map_err(|_| bad)?;
        let threshold = self.threshold.trim();
        let rule = match self.kind.trim() {
            "finished_tasks" => BadgeRule::FinishedTasks {
                count,
                min_difficulty: if threshold.is_empty() { 1 } else { threshold.parse().map_err(|_| bad)? },
            },
            "average_rating" => {
                BadgeRule::AverageRating { min_stars_x100: stars_x100(threshold).ok_or(bad)?, over_last: count }
            }
            "weekly_streak" => BadgeRule::WeeklyStreak { weeks: count },
            "daily_streak" => BadgeRule::DailyStreak { days: count },
            "skill_breadth" => BadgeRule::SkillBreadth { count },
            _ => return Err(bad),
        };
        rule.check().map(|_| rule)
    }
}

/// "4.8" → 480, "5" → 500; at most two decimals.
fn stars_x100(text: &str) -> Option<u32> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.len() != 1 || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(whole.parse::<u32>().ok()? * 100 + format!("{frac:0<2}").parse::<u32>().ok()?)
}

/// What the rules look at: finished tasks in the order they finished, check-in days ascending, and
/// the number of skills with points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub today: i32,
    pub finished: Vec<FinishedTask>,
    pub check_in_days: Vec<i32>,
    pub skills: u32,
    /// Merchants' ratings of the developer's finished tasks, in the order they were given (not the
    /// order the tasks finished: "the last five ratings" are the five most recently given).
    pub ratings: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FinishedTask {
    pub difficulty: i16,
    pub day: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Shown as "have / need".
    pub have: u32,
    pub need: u32,
    pub earned: bool,
}

impl Progress {
    fn counted(have: u32, need: u32) -> Self {
        Progress { have: have.min(need), need, earned: have >= need }
    }
}

/// The days checked in in a row, up to today (or yesterday, before today's check-in).
pub fn check_in_streak(facts: &Facts) -> u32 {
    streak(&facts.check_in_days, facts.today, u32::MAX).have
}

/// Earned once any run of consecutive `units` (ascending, no duplicates) reaches `need`. Before
/// that, `have` is the run still alive: one that includes `now` or the unit before it (today's
/// check-in may still come), so a broken streak shows as starting over.
fn streak(units: &[i32], now: i32, need: u32) -> Progress {
    let mut longest = 0;
    let mut run = 0;
    let mut previous = None;
    for &unit in units {
        run = if previous == Some(unit - 1) { run + 1 } else { 1 };
        longest = longest.max(run);
        previous = Some(unit);
    }
    let alive = match previous {
        Some(last) if last >= now - 1 => run,
        _ => 0,
    };
    if longest >= need {
        Progress { have: need, need, earned: true }
    } else {
        Progress { have: alive, need, earned: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(difficulty: i16, day: i32) -> FinishedTask {
        FinishedTask { difficulty, day }
    }

    fn facts(finished: Vec<FinishedTask>) -> Facts {
        Facts { today: 100, finished, ..Facts::default() }
    }

    #[test]
    fn the_first_finished_task_earns_first_task() {
        let rule = BadgeRule::FinishedTasks { count: 1, min_difficulty: 1 };
        assert!(!rule.progress(&facts(vec![])).earned);
        assert_eq!(rule.progress(&facts(vec![task(1, 99)])), Progress { have: 1, need: 1, earned: true });
    }

    #[test]
    fn challenger_counts_only_hard_tasks() {
        let rule = BadgeRule::FinishedTasks { count: 3, min_difficulty: 4 };
        let mixed = facts(vec![task(5, 1), task(3, 2), task(4, 3), task(1, 4)]);
        assert_eq!(rule.progress(&mixed), Progress { have: 2, need: 3, earned: false });
        let mut hard = mixed.clone();
        hard.finished.push(task(4, 5));
        assert!(rule.progress(&hard).earned);
    }

    #[test]
    fn top_rated_needs_enough_ratings_and_a_high_recent_average() {
        let rule = BadgeRule::AverageRating { min_stars_x100: 480, over_last: 5 };
        let rated = |stars: &[u8]| Facts { ratings: stars.to_vec(), ..Facts::default() };
        assert_eq!(rule.progress(&rated(&[5, 5, 5, 5])), Progress { have: 4, need: 5, earned: false });
        assert!(rule.progress(&rated(&[5, 5, 5, 5, 4])).earned, "4.8 exactly");
        assert!(!rule.progress(&rated(&[5, 5, 5, 4, 4])).earned, "4.6");
        // Only the last five count: an early 1★ is forgiven, a recent one is not.
        assert!(rule.progress(&rated(&[1, 5, 5, 5, 5, 5])).earned);
        assert!(!rule.progress(&rated(&[5, 5, 5, 5, 5, 1])).earned);
        // Unrated tasks are not ratings: five ratings over six finished tasks earn it.
        let mut gaps = rated(&[5, 5, 5, 5, 5]);
        gaps.finished = (0..6).map(|day| task(3, day)).collect();
        assert!(rule.progress(&gaps).earned);
    }

    #[test]
    fn a_daily_streak_is_broken_by_one_missed_day() {
        let rule = BadgeRule::DailyStreak { days: 7 };
        let checked = |days: &[i32]| Facts { today: 100, check_in_days: days.to_vec(), ..Facts::default() };
        assert!(rule.progress(&checked(&[94, 95, 96, 97, 98, 99, 100])).earned);
        let broken = checked(&[93, 94, 95, 97, 98, 99, 100]);
        assert_eq!(rule.progress(&broken), Progress { have: 4, need: 7, earned: false });
        // Today's check-in may still come: yesterday's run is alive; the day before's is not.
        assert_eq!(rule.progress(&checked(&[97, 98, 99])).have, 3);
        assert_eq!(rule.progress(&checked(&[96, 97, 98])).have, 0);
        assert_eq!(check_in_streak(&broken), 4);
        // Once earned, it stays earned when the streak later breaks.
        assert!(rule.progress(&checked(&[80, 81, 82, 83, 84, 85, 86, 99])).earned);
    }

    #[test]
    fn a_weekly_streak_needs_a_task_in_each_week_monday_to_sunday() {
        // Day 4 (1970-01-05) was a Monday.
        assert_eq!(week_number(3), week_number(-3), "Monday 1969-12-29 and Sunday 1970-01-04 share a week");
        assert_eq!(week_number(4), week_number(3) + 1);
        assert_eq!(week_number(10), week_number(4), "Sunday ends the week that Monday began");
        let rule = BadgeRule::WeeklyStreak { weeks: 4 };
        let monday = 4 + 7 * 10;
        let weekly = |offsets: &[i32]| Facts {
            today: monday + 7 * 3 + 2,
            finished: offsets.iter().map(|d| task(2, monday + d)).collect(),
            ..Facts::default()
        };
        assert!(rule.progress(&weekly(&[0, 13, 14, 27])).earned, "Sunday of one week then Monday of the next");
        assert_eq!(rule.progress(&weekly(&[0, 1, 2, 21])).have, 1, "two tasks in one week are one week");
    }

    #[test]
    fn skill_breadth_counts_distinct_skills() {
        let rule = BadgeRule::SkillBreadth { count: 3 };
        assert!(!rule.progress(&Facts { skills: 2, ..Facts::default() }).earned);
        assert!(rule.progress(&Facts { skills: 3, ..Facts::default() }).earned);
    }

    fn badge_form() -> BadgeForm {
        BadgeForm {
            slug: "Polyglot".into(),
            name_zh: "多面手".into(),
            name_en: "Polyglot".into(),
            description_zh: "在 3 项技能上获得积分。".into(),
            description_en: "Earn points in 3 skills.".into(),
            kind: "skill_breadth".into(),
            count: "3".into(),
            threshold: String::new(),
            growth_points: "30".into(),
        }
    }

    #[test]
    fn an_admin_form_becomes_a_badge_rule() {
        let badge = badge_form().validate().unwrap();
        assert_eq!(
            (badge.slug.as_str(), badge.rule, badge.growth_points),
            ("polyglot", BadgeRule::SkillBreadth { count: 3 }, 30)
        );
        let rated =
            BadgeForm { kind: "average_rating".into(), count: "10".into(), threshold: "4.5".into(), ..badge_form() };
        assert_eq!(rated.validate().unwrap().rule, BadgeRule::AverageRating { min_stars_x100: 450, over_last: 10 });
        let hard =
            BadgeForm { kind: "finished_tasks".into(), count: "5".into(), threshold: "5".into(), ..badge_form() };
        assert_eq!(hard.validate().unwrap().rule, BadgeRule::FinishedTasks { count: 5, min_difficulty: 5 });
    }

    #[test]
    fn a_bad_badge_form_reports_each_field() {
        let bad = BadgeForm {
            slug: "有 空格".into(),
            name_zh: "".into(),
            kind: "average_rating".into(),
            count: "5".into(),
            threshold: "5.5".into(),
            growth_points: "-1".into(),
            ..badge_form()
        };
        let fields: Vec<Field> = bad.validate().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Slug, Field::NameZh, Field::Rule, Field::Points]);
        for (kind, count) in [("finished_tasks", "0"), ("mystery", "3"), ("daily_streak", "x")] {
            let form = BadgeForm { kind: kind.into(), count: count.into(), ..badge_form() };
            assert_eq!(form.validate().unwrap_err(), vec![FieldError::new(Field::Rule, Problem::NotAllowed)], "{kind}");
        }
    }

    #[test]
    fn admin_rules_stay_reachable_and_never_free() {
        assert!(BadgeRule::FinishedTasks { count: 0, min_difficulty: 1 }.check().is_err());
        assert!(BadgeRule::FinishedTasks { count: 5, min_difficulty: 6 }.check().is_err());
        assert!(BadgeRule::AverageRating { min_stars_x100: 501, over_last: 3 }.check().is_err());
        assert!(BadgeRule::DailyStreak { days: MAX_COUNT + 1 }.check().is_err());
        assert!(BadgeRule::WeeklyStreak { weeks: 4 }.check().is_ok());
        let stored = r#"{"kind":"finished_tasks","count":3,"min_difficulty":4}"#;
        assert_eq!(
            serde_json::from_str::<BadgeRule>(stored).unwrap(),
            BadgeRule::FinishedTasks { count: 3, min_difficulty: 4 }
        );
    }
}
