//! Challenges: goals over what a developer does within a window of time (today, this week, or the
//! first N days after joining), stored as data like badges. Completing one earns its reward once per
//! window. Pure rules over counts; `db::challenges` gathers the counts and records completions.
//!
//! Days are numbered from 1970-01-01 in China Standard Time, as in `badges`.

use super::periods::Window as CalendarWindow;
use serde::{Deserialize, Serialize};

/// Something a developer did that challenges count. Each is a growth event of its own kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    ProfileCompleted,
    HallBrowsed,
    Applied,
    TaskFinished,
    TaskRated,
    /// Someone registered through the developer's invite link.
    Invited,
    CheckedIn,
    /// A visible post on the community board.
    CommunityPost,
    /// A course or article from the learning section, marked as finished.
    CourseFinished,
}

impl Activity {
    pub const ALL: [Activity; 9] = [
        Activity::ProfileCompleted,
        Activity::HallBrowsed,
        Activity::Applied,
        Activity::TaskFinished,
        Activity::TaskRated,
        Activity::Invited,
        Activity::CheckedIn,
        Activity::CommunityPost,
        Activity::CourseFinished,
    ];

    /// Its name in a stored rule ("task_finished").
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::ProfileCompleted => "profile_completed",
            Activity::HallBrowsed => "hall_browsed",
            Activity::Applied => "applied",
            Activity::TaskFinished => "task_finished",
            Activity::TaskRated => "task_rated",
            Activity::Invited => "invited",
            Activity::CheckedIn => "checked_in",
            Activity::CommunityPost => "community_post",
            Activity::CourseFinished => "course_finished",
        }
    }

    /// The `growth_events.kind` that records it.
    pub fn event_kind(self) -> &'static str {
        match self {
            Activity::ProfileCompleted => "profile_completed",
            Activity::HallBrowsed => "hall_browsed",
            Activity::Applied => "applied",
            Activity::TaskFinished => "task_completed",
            Activity::TaskRated => "task_rated",
            Activity::Invited => "invited",
            Activity::CheckedIn => "checked_in",
            Activity::CommunityPost => "community_post",
            Activity::CourseFinished => "course_finished",
        }
    }

    pub fn from_event_kind(kind: &str) -> Option<Activity> {
        Activity::ALL.into_iter().find(|a| a.event_kind() == kind)
    }
}

/// The day number (China Standard Time, which has no daylight saving) of a Unix time in seconds.
pub fn china_day(unix_seconds: i64) -> i32 {
    (unix_seconds + 8 * 3600).div_euclid(86_400) as i32
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cadence {
    /// Again every day.
    Daily,
    /// Again every week, Monday to Sunday.
    Weekly,
    /// Once, within the first `until_day` days after registration (day 0 is the day of joining).
    Onboarding { until_day: u32 },
    /// A campaign on fixed days (`start_day` to `end_day`, inclusive, China time), such as a
    /// Wednesday task carnival: it counts only inside those days, once per developer.
    Dated { start_day: i32, end_day: i32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub activity: Activity,
    pub count: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRule {
    pub cadence: Cadence,
    pub goals: Vec<Goal>,
    /// One goal is enough (the weekly growth challenge: a task OR a post OR an invitation);
    /// otherwise every goal must be met.
    pub any_of: bool,
}

/// The days a challenge counts, `start..end` (end exclusive). `start` identifies the window: a
/// completion is recorded once per (challenge, developer, start).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: i32,
    pub end: i32,
}

impl Window {
    pub fn contains(self, day: i32) -> bool {
        (self.start..self.end).contains(&day)
    }

    /// Days left including today, for "剩余 N 天".
    pub fn days_left(self, today: i32) -> i32 {
        (self.end - today).max(0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalProgress {
    pub activity: Activity,
    pub have: u32,
    pub need: u32,
}

impl GoalProgress {
    pub fn met(self) -> bool {
        self.have >= self.need
    }
}

impl ChallengeRule {
    /// The window open on `today` for a developer who joined on `joined`; None once an onboarding
    /// challenge's days are over.
    pub fn window(&self, today: i32, joined: i32) -> Option<Window> {
        match self.cadence {
            Cadence::Daily => Some(Window { start: today, end: today + 1 }),
            Cadence::Weekly => {
                let monday = CalendarWindow::Week.start(today);
                Some(Window { start: monday, end: monday + 7 })
            }
            Cadence::Onboarding { until_day } => {
                let window = Window { start: joined, end: joined + until_day as i32 };
                window.contains(today).then_some(window)
            }
            Cadence::Dated { start_day, end_day } => {
                let window = Window { start: start_day, end: end_day + 1 };
                window.contains(today).then_some(window)
            }
        }
    }

    pub fn counts(&self, activity: Activity) -> bool {
        self.goals.iter().any(|g| g.activity == activity)
    }

    /// Each goal's progress, given the days on which each activity happened.
    pub fn progress(&self, window: Window, days: &[(Activity, i32)]) -> Vec<GoalProgress> {
        self.goals
            .iter()
            .map(|goal| {
                let have = days.iter().filter(|(a, day)| *a == goal.activity && window.contains(*day)).count() as u32;
                GoalProgress { activity: goal.activity, have: have.min(goal.count), need: goal.count }
            })
            .collect()
    }

    pub fn is_done(&self, progress: &[GoalProgress]) -> bool {
        if self.any_of {
            progress.iter().any(|g| g.met())
        } else {
            progress.iter().all(|g| g.met())
        }
    }
}

/// Days since 1970-01-01 for a "YYYY-MM-DD" calendar date (the numbering `china_day` uses).
pub fn day_of_date(date: &str) -> Option<i32> {
    if !super::tasks::is_calendar_date(date) {
        return None;
    }
    let (y, m, d) =
        (date[0..4].parse::<i64>().ok()?, date[5..7].parse::<i64>().ok()?, date[8..10].parse::<i64>().ok()?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) as i32)
}

/// A challenge as an admin types it in the console.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChallengeForm {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// "daily", "weekly", "onboarding" or "dated".
    pub cadence: String,
    /// Onboarding: days after joining (1–90).
    #[serde(default)]
    pub onboarding_days: String,
    /// Dated: first and last day, "YYYY-MM-DD".
    #[serde(default)]
    pub start: String,
    #[serde(default)]
    pub end: String,
    pub activity: String,
    pub count: String,
    pub growth_points: String,
    /// Completing it also awards a badge of the same name.
    #[serde(default)]
    pub with_badge: bool,
    /// Only growth-pass holders can take it on (进阶挑战).
    #[serde(default)]
    pub advanced: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewChallenge {
    pub slug: String,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub rule: ChallengeRule,
    pub growth_points: i32,
    pub with_badge: bool,
    pub advanced: bool,
}

impl ChallengeForm {
    /// Checks every field at once. A dated campaign may not end before it starts, nor last longer
    /// than a year.
    pub fn validate(&self) -> Result<NewChallenge, Vec<super::validation::FieldError>> {
        use super::validation::{check_length, check_slug, Field, FieldError, Problem};
        let mut errors = Vec::new();
        let slug = check_slug(&self.slug).map_err(|e| errors.push(e)).ok();
        let mut text = |field, value: &str, max| {
            let value = value.trim().to_string();
            check_length(field, &value, 1, max).map_err(|e| errors.push(e)).ok().map(|_| value)
        };
        let name_zh = text(Field::NameZh, &self.name_zh, 20);
        let name_en = text(Field::NameEn, &self.name_en, 40);
        let description_zh = text(Field::DescriptionZh, &self.description_zh, 200);
        let description_en = text(Field::DescriptionEn, &self.description_en, 400);
        let cadence = match self.cadence.as_str() {
            "daily" => Some(Cadence::Daily),
            "weekly" => Some(Cadence::Weekly),
            "onboarding" => match self.onboarding_days.trim().parse::<u32>() {
                Ok(days) if (1..=90).contains(&days) => Some(Cadence::Onboarding { until_day: days }),
                _ => {
                    errors.push(FieldError::new(Field::Days, Problem::NotAllowed));
                    None
                }
            },
            "dated" => {
                let start = day_of_date(self.start.trim());
                let end = day_of_date(self.end.trim());
                if start.is_none() {
                    errors.push(FieldError::new(Field::EffectiveFrom, Problem::InvalidDate));
                }
                match (start, end) {
                    (_, None) => {
                        errors.push(FieldError::new(Field::EndDate, Problem::InvalidDate));
                        None
                    }
                    (Some(start), Some(end)) if end < start || end - start > 366 => {
                        errors.push(FieldError::new(Field::EndDate, Problem::NotAllowed));
                        None
                    }
                    (Some(start_day), Some(end_day)) => Some(Cadence::Dated { start_day, end_day }),
                    (None, Some(_)) => None,
                }
            }
            _ => {
                errors.push(FieldError::new(Field::Cadence, Problem::Required));
                None
            }
        };
        let activity = Activity::ALL.into_iter().find(|a| a.as_str() == self.activity);
        if activity.is_none() {
            errors.push(FieldError::new(Field::Rule, Problem::Required));
        }
        let count = self.count.trim().parse::<u32>().ok().filter(|c| (1..=100).contains(c));
        if count.is_none() {
            errors.push(FieldError::new(Field::Goal, Problem::NotAllowed));
        }
        let growth_points = self
            .growth_points
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|p| (0..=super::badges::MAX_GROWTH_POINTS).contains(p));
        if growth_points.is_none() {
            errors.push(FieldError::new(Field::Points, Problem::NotAllowed));
        }
        match (slug, name_zh, name_en, description_zh, description_en, cadence, activity, count, growth_points) {
            (
                Some(slug),
                Some(name_zh),
                Some(name_en),
                Some(description_zh),
                Some(description_en),
                Some(cadence),
                Some(activity),
                Some(count),
                Some(growth_points),
            ) if errors.is_empty() => Ok(NewChallenge {
                slug,
                name_zh,
                name_en,
                description_zh,
                description_en,
                rule: ChallengeRule { cadence, goals: vec![Goal { activity, count }], any_of: false },
                growth_points,
                with_badge: self.with_badge,
                advanced: self.advanced,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(cadence: Cadence, goals: &[(Activity, u32)], any_of: bool) -> ChallengeRule {
        ChallengeRule {
            cadence,
            goals: goals.iter().map(|&(activity, count)| Goal { activity, count }).collect(),
            any_of,
        }
    }

    #[test]
    fn onboarding_window_runs_from_joining_and_closes() {
        let welcome = rule(
            Cadence::Onboarding { until_day: 7 },
            &[(Activity::ProfileCompleted, 1), (Activity::HallBrowsed, 1)],
            false,
        );
        assert_eq!(welcome.window(100, 100), Some(Window { start: 100, end: 107 }));
        assert_eq!(welcome.window(106, 100).map(|w| w.days_left(106)), Some(1), "the last day still counts");
        assert_eq!(welcome.window(107, 100), None, "day 7 is too late");
    }

    #[test]
    fn all_goals_or_any_goal() {
        let window = Window { start: 100, end: 107 };
        let welcome = rule(
            Cadence::Onboarding { until_day: 7 },
            &[(Activity::ProfileCompleted, 1), (Activity::HallBrowsed, 1)],
            false,
        );
        let half = [(Activity::ProfileCompleted, 101)];
        assert!(!welcome.is_done(&welcome.progress(window, &half)));
        let both = [(Activity::ProfileCompleted, 101), (Activity::HallBrowsed, 103)];
        assert!(welcome.is_done(&welcome.progress(window, &both)));

        let weekly = rule(Cadence::Weekly, &[(Activity::TaskFinished, 1), (Activity::Invited, 1)], true);
        let invited = [(Activity::Invited, 102)];
        assert!(weekly.is_done(&weekly.progress(window, &invited)));
        assert!(!weekly.is_done(&weekly.progress(window, &[])));
    }

    #[test]
    fn activity_outside_the_window_does_not_count() {
        let daily = rule(Cadence::Daily, &[(Activity::CheckedIn, 1)], false);
        let today = daily.window(200, 0).unwrap();
        assert!(!daily.is_done(&daily.progress(today, &[(Activity::CheckedIn, 199)])), "yesterday's check-in");
        assert!(daily.is_done(&daily.progress(today, &[(Activity::CheckedIn, 200)])));
    }

    #[test]
    fn counts_are_capped_at_the_goal() {
        let weekly = rule(Cadence::Weekly, &[(Activity::TaskRated, 2)], false);
        let window = weekly.window(200, 0).unwrap();
        let days: Vec<(Activity, i32)> = (window.start..window.end).map(|d| (Activity::TaskRated, d)).collect();
        assert_eq!(weekly.progress(window, &days)[0], GoalProgress { activity: Activity::TaskRated, have: 2, need: 2 });
        assert!(!weekly.is_done(&weekly.progress(window, &days[..1])));
    }

    #[test]
    fn china_days_turn_at_midnight_beijing_time() {
        assert_eq!(china_day(0), 0, "08:00 on 1970-01-01 in Beijing");
        assert_eq!(china_day(16 * 3600 - 1), 0, "23:59:59 Beijing");
        assert_eq!(china_day(16 * 3600), 1, "midnight Beijing is 16:00 UTC");
        assert_eq!(china_day(-8 * 3600 - 1), -1);
    }

    #[test]
    fn weeks_run_monday_to_sunday() {
        let weekly = rule(Cadence::Weekly, &[(Activity::TaskFinished, 1)], false);
        // Day 4 is Monday 1970-01-05; day 10 the Sunday after it.
        assert_eq!(weekly.window(4, 0), Some(Window { start: 4, end: 11 }));
        assert_eq!(weekly.window(10, 0), Some(Window { start: 4, end: 11 }));
        assert_eq!(weekly.window(11, 0), Some(Window { start: 11, end: 18 }));
    }

    #[test]
    fn activities_map_to_event_kinds_both_ways() {
        for activity in Activity::ALL {
            assert_eq!(Activity::from_event_kind(activity.event_kind()), Some(activity));
        }
        assert_eq!(Activity::from_event_kind("badge_earned"), None);
        for activity in Activity::ALL {
            let json = serde_json::to_value(activity).unwrap();
            assert_eq!(json.as_str(), Some(activity.as_str()), "as_str is the stored rule's spelling");
        }
    }

    #[test]
    fn calendar_days_number_like_china_day() {
        assert_eq!(day_of_date("2000-01-01"), Some(10_957));
        assert_eq!(day_of_date("2025-11-25"), Some(china_day(1_764_000_000)));
        assert_eq!(day_of_date("2024-03-01"), Some(day_of_date("2024-02-29").unwrap() + 1));
        assert_eq!(day_of_date("2026-02-30"), None);
    }

    #[test]
    fn a_dated_campaign_counts_only_on_its_days() {
        let carnival = rule(Cadence::Dated { start_day: 300, end_day: 300 }, &[(Activity::TaskFinished, 1)], false);
        assert_eq!(carnival.window(299, 0), None);
        assert_eq!(carnival.window(300, 0), Some(Window { start: 300, end: 301 }));
        assert_eq!(carnival.window(301, 0), None);
    }

    fn weekly_form() -> ChallengeForm {
        ChallengeForm {
            slug: "weekly-sprint".into(),
            name_zh: "每周冲刺".into(),
            name_en: "Weekly sprint".into(),
            description_zh: "本周完成 1 个任务".into(),
            description_en: "Finish a task this week".into(),
            cadence: "weekly".into(),
            activity: "task_finished".into(),
            count: "1".into(),
            growth_points: "50".into(),
            with_badge: true,
            ..Default::default()
        }
    }

    #[test]
    fn an_admins_challenge_form_becomes_a_rule() {
        let made = weekly_form().validate().unwrap();
        assert_eq!(made.rule.cadence, Cadence::Weekly);
        assert_eq!(made.rule.goals, vec![Goal { activity: Activity::TaskFinished, count: 1 }]);
        assert!(made.with_badge);

        let dated = ChallengeForm {
            cadence: "dated".into(),
            start: "2026-11-25".into(),
            end: "2026-11-25".into(),
            ..weekly_form()
        };
        let day = day_of_date("2026-11-25").unwrap();
        assert_eq!(dated.validate().unwrap().rule.cadence, Cadence::Dated { start_day: day, end_day: day });
    }

    #[test]
    fn a_bad_challenge_form_names_every_field() {
        use crate::domain::validation::Field;
        let bad = ChallengeForm {
            slug: "Bad Slug!".into(),
            cadence: "dated".into(),
            start: "2026-11-25".into(),
            end: "2026-11-20".into(),
            activity: "flying".into(),
            count: "0".into(),
            growth_points: "-1".into(),
            ..weekly_form()
        };
        let fields: Vec<Field> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Slug, Field::EndDate, Field::Rule, Field::Goal, Field::Points]);
    }
}
