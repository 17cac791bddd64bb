//! "为你推荐": how well an open task fits a developer, from the skills they declared on their
//! profile and earned on finished tasks, their level and their ratings. A pure function, so the
//! ranking is explainable ("匹配: Rust, PostgreSQL") and unit-tested.

use super::growth::Level;

/// What the matcher knows about a developer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeveloperFit {
    /// Tag slugs declared on the profile.
    pub declared: Vec<String>,
    /// Tag slugs with skill points earned on finished tasks.
    pub earned: Vec<(String, i64)>,
    pub level: Option<Level>,
    /// Average stars ×100; None before the first rating.
    pub average_rating_x100: Option<i64>,
}

/// What the matcher knows about a task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskFit {
    pub tags: Vec<String>,
    /// 1–5.
    pub difficulty: i16,
    pub min_level: Option<Level>,
}

/// A task's fit: a score to rank by (higher first) and the tags that matched, for the one-line
/// reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    pub score: i64,
    pub matched: Vec<String>,
}

/// None when the task shares no skill with the developer, or their level does not unlock it yet.
///
/// - Each shared skill: 30 if earned on finished work (up to 30 more for the points behind it),
///   20 if only declared.
/// - Difficulty near the developer's level (C: 1–2, B: 2–3, A: 3–4, S: 4–5) adds up to 20, less 10
///   per step away.
/// - A strong record (4.5★ or better) adds 10 to the harder tasks (4–5), where it counts most.
pub fn fit(task: &TaskFit, developer: &DeveloperFit) -> Option<Fit> {
    let level = developer.level.unwrap_or(Level::C);
    if !level.unlocks(task.min_level) {
        return None;
    }
    let mut score = 0;
    let mut matched = Vec::new();
    for tag in &task.tags {
        if let Some((_, points)) = developer.earned.iter().find(|(slug, points)| slug == tag && *points > 0) {
            score += 30 + (*points / 10).min(30);
            matched.push(tag.clone());
        } else if developer.declared.contains(tag) {
            score += 20;
            matched.push(tag.clone());
        }
    }
    if matched.is_empty() {
        return None;
    }
    let comfortable = match level {
        Level::C => 1..=2,
        Level::B => 2..=3,
        Level::A => 3..=4,
        Level::S => 4..=5,
    };
    let distance = if comfortable.contains(&task.difficulty) {
        0
    } else if task.difficulty < *comfortable.start() {
        comfortable.start() - task.difficulty
    } else {
        task.difficulty - comfortable.end()
    };
    score += 20 - 10 * distance as i64;
    if developer.average_rating_x100.is_some_and(|average| average >= 450) && task.difficulty >= 4 {
        score += 10;
    }
    Some(Fit { score, matched })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(tags: &[&str], difficulty: i16) -> TaskFit {
        TaskFit { tags: tags.iter().map(|t| t.to_string()).collect(), difficulty, min_level: None }
    }

    fn developer(declared: &[&str], earned: &[(&str, i64)], level: Level) -> DeveloperFit {
        DeveloperFit {
            declared: declared.iter().map(|t| t.to_string()).collect(),
            earned: earned.iter().map(|(t, p)| (t.to_string(), *p)).collect(),
            level: Some(level),
            average_rating_x100: None,
        }
    }

    #[test]
    fn no_shared_skill_is_no_recommendation() {
        assert_eq!(fit(&task(&["design"], 2), &developer(&["rust"], &[], Level::C)), None);
    }

    #[test]
    fn earned_skills_weigh_more_than_declared_ones_and_are_named() {
        let dev = developer(&["vue"], &[("rust", 120)], Level::C);
        let rust = fit(&task(&["rust", "postgresql"], 2), &dev).unwrap();
        let vue = fit(&task(&["vue"], 2), &dev).unwrap();
        assert!(rust.score > vue.score);
        assert_eq!(rust.matched, ["rust"]);
        assert_eq!(rust.score, 30 + 12 + 20);
    }

    #[test]
    fn two_shared_skills_beat_one() {
        let dev = developer(&["rust", "postgresql"], &[], Level::B);
        let both = fit(&task(&["rust", "postgresql"], 3), &dev).unwrap();
        let one = fit(&task(&["rust"], 3), &dev).unwrap();
        assert!(both.score > one.score);
        assert_eq!(both.matched, ["rust", "postgresql"]);
    }

    #[test]
    fn difficulty_near_the_level_fits_best() {
        let beginner = developer(&["rust"], &[], Level::C);
        let easy = fit(&task(&["rust"], 1), &beginner).unwrap().score;
        let hard = fit(&task(&["rust"], 5), &beginner).unwrap().score;
        assert!(easy > hard);
        let expert = developer(&["rust"], &[], Level::S);
        assert!(fit(&task(&["rust"], 5), &expert).unwrap().score > fit(&task(&["rust"], 1), &expert).unwrap().score);
    }

    #[test]
    fn a_locked_task_is_not_recommended_and_a_strong_record_lifts_hard_work() {
        let mut dev = developer(&["rust"], &[], Level::B);
        let mut locked = task(&["rust"], 4);
        locked.min_level = Some(Level::A);
        assert_eq!(fit(&locked, &dev), None);
        let before = fit(&task(&["rust"], 4), &dev).unwrap().score;
        dev.average_rating_x100 = Some(470);
        assert_eq!(fit(&task(&["rust"], 4), &dev).unwrap().score, before + 10);
        assert_eq!(
            fit(&task(&["rust"], 2), &dev).unwrap().score,
            fit(&task(&["rust"], 2), &developer(&["rust"], &[], Level::B)).unwrap().score
        );
    }
}
