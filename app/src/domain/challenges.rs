//! Challenges: goals over what a developer does within a window of time (today, this week, or the
//! first N days after joining), stored as data like badges. Completing one earns its reward once per
//! window. Pure rules over counts; `db::challenges` gathers the counts and records completions.
//!
//! Days are numbered from 1970-01-01 in China Standard Time, as in `badges`.

use super::badges::week_of;
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
    /// Counted once the community board exists; until then nothing produces it.
    CommunityPost,
}

impl Activity {
    pub const ALL: [Activity; 8] = [
        Activity::ProfileCompleted,
        Activity::HallBrowsed,
        Activity::Applied,
        Activity::TaskFinished,
        Activity::TaskRated,
        Activity::Invited,
        Activity::CheckedIn,
        Activity::CommunityPost,
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
                // week_of counts weeks from the Monday 1969-12-29 (day -3).
                let monday = week_of(today) * 7 - 3;
                Some(Window { start: monday, end: monday + 7 })
            }
            Cadence::Onboarding { until_day } => {
                let window = Window { start: joined, end: joined + until_day as i32 };
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
}
