//! A task's attributes, and the rules a merchant's task form must pass. The lifecycle (what happens
//! to a task after it is written) is in `lifecycle`.

use super::{
    level::Level,
    money::Money,
    validation::{check_amount, check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// Difficulty 1–5, shown as 入门/初级/中级/高级/专家 (Beginner … Expert).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i16", into = "i16")]
pub struct Difficulty(i16);

impl Difficulty {
    pub const MIN: i16 = 1;
    pub const MAX: i16 = 5;

    pub fn new(level: i16) -> Option<Self> {
        (Self::MIN..=Self::MAX).contains(&level).then_some(Difficulty(level))
    }

    pub fn level(self) -> i16 {
        self.0
    }
}

impl TryFrom<i16> for Difficulty {
    type Error = String;
    fn try_from(level: i16) -> Result<Self, Self::Error> {
        Difficulty::new(level).ok_or_else(|| format!("difficulty {level} is outside 1–5"))
    }
}

impl From<Difficulty> for i16 {
    fn from(d: Difficulty) -> i16 {
        d.0
    }
}

/// The kind of work a task is, chosen by the merchant. The platform's commission is set per category
/// (admins, 5–15 %); a category without its own rate pays the platform default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Backend,
    Frontend,
    Mobile,
    Data,
    Design,
    Devops,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Backend,
        Category::Frontend,
        Category::Mobile,
        Category::Data,
        Category::Design,
        Category::Devops,
        Category::Other,
    ];

    /// The name stored in the database and used in forms and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Backend => "backend",
            Category::Frontend => "frontend",
            Category::Mobile => "mobile",
            Category::Data => "data",
            Category::Design => "design",
            Category::Devops => "devops",
            Category::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }
}

pub const TITLE_CHARS: (u32, u32) = (4, 120);
pub const DESCRIPTION_CHARS: (u32, u32) = (20, 20_000);
pub const MAX_TAGS: u32 = 8;
pub const MAX_MILESTONES: u32 = 5;
pub const MAX_CHANGE_ROUNDS: i16 = 10;
pub const DEFAULT_CHANGE_ROUNDS: i16 = 2;
/// ¥10 to ¥1,000,000 per task.
pub const REWARD_RANGE_FEN: (i64, i64) = (1_000, 100_000_000);
pub const MILESTONE_TITLE_CHARS: u32 = 60;

/// A milestone as typed into the form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MilestoneForm {
    pub title: String,
    pub amount: String,
}

/// The merchant's task form, exactly as submitted (strings, so that nothing is lost before checking).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskForm {
    pub title: String,
    /// A `Category` slug; empty until the merchant picks one.
    #[serde(default)]
    pub category: String,
    pub description: String,
    pub tags: Vec<String>,
    pub difficulty: String,
    pub reward: String,
    /// "YYYY-MM-DD", the last day (China Standard Time) on which the work is due.
    pub deadline: String,
    pub change_rounds: String,
    /// Empty: the task is paid in one piece.
    #[serde(default)]
    pub milestones: Vec<MilestoneForm>,
    /// "", "B", "A" or "S": the lowest developer level that may apply (levels unlock better-paid
    /// work); empty for everyone.
    #[serde(default)]
    pub min_level: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NewMilestone {
    pub title: String,
    pub amount: Money,
}

/// A task form that passed every rule.
#[derive(Clone, Debug, PartialEq)]
pub struct NewTask {
    pub title: String,
    pub category: Category,
    pub description: String,
    pub tags: Vec<String>,
    pub difficulty: Difficulty,
    pub deadline: String,
    pub change_rounds: i16,
    /// At least one; their amounts add up to the reward.
    pub milestones: Vec<NewMilestone>,
    /// None: any level may apply. Never C, which every developer has.
    pub min_level: Option<Level>,
}

impl NewTask {
    pub fn reward(&self) -> Money {
        Money::from_fen(self.milestones.iter().map(|m| m.amount.fen()).sum())
    }
}

impl TaskForm {
    /// Checks every field and reports every problem at once. `today` is "YYYY-MM-DD" in China
    /// Standard Time; the deadline may be today or later.
    pub fn validate(&self, today: &str) -> Result<NewTask, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim().to_string();
        let description = self.description.trim().to_string();
        let (min, max) = TITLE_CHARS;
        errors.extend(
            check_length(Field::Title, &title, min, max)
                .and_then(|()| check_visible_text(Field::Title, &title, false))
                .err(),
        );
        let (min, max) = DESCRIPTION_CHARS;
        errors.extend(check_length(Field::Description, &description, min, max).err());

        let category = Category::from_slug(self.category.trim());
        if category.is_none() {
            let problem = if self.category.trim().is_empty() { Problem::Required } else { Problem::NotAllowed };
            errors.push(FieldError::new(Field::Category, problem));
        }

        let mut tags: Vec<String> = self.tags.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
        tags.sort();
        tags.dedup();
        if tags.is_empty() {
            errors.push(FieldError::new(Field::Tags, Problem::Required));
        } else if tags.len() > MAX_TAGS as usize {
            errors.push(FieldError::new(Field::Tags, Problem::TooMany { max: MAX_TAGS }));
        }

        let difficulty = self.difficulty.trim().parse::<i16>().ok().and_then(Difficulty::new);
        if difficulty.is_none() {
            errors.push(FieldError::new(Field::Difficulty, Problem::Required));
        }

        let reward = parse_amount(Field::Reward, &self.reward, REWARD_RANGE_FEN, &mut errors);

        let deadline = self.deadline.trim().to_string();
        if deadline.is_empty() {
            errors.push(FieldError::new(Field::Deadline, Problem::Required));
        } else if !is_calendar_date(&deadline) {
            errors.push(FieldError::new(Field::Deadline, Problem::InvalidDate));
        } else if deadline.as_str() < today {
            errors.push(FieldError::new(Field::Deadline, Problem::DateInPast));
        }

        let change_rounds = match self.change_rounds.trim() {
            "" => Some(DEFAULT_CHANGE_ROUNDS),
            text => text.parse::<i16>().ok().filter(|n| (0..=MAX_CHANGE_ROUNDS).contains(n)),
        };
        if change_rounds.is_none() {
            errors.push(FieldError::new(Field::ChangeRounds, Problem::NotAllowed));
        }

        let rows: Vec<&MilestoneForm> =
            self.milestones.iter().filter(|m| !(m.title.trim().is_empty() && m.amount.trim().is_empty())).collect();
        let mut milestones = Vec::new();
        if rows.len() > MAX_MILESTONES as usize {
            errors.push(FieldError::new(Field::Milestones, Problem::TooMany { max: MAX_MILESTONES }));
        } else if rows.is_empty() {
            if let Some(amount) = reward {
                milestones.push(NewMilestone { title: String::new(), amount });
            }
        } else {
            for row in &rows {
                let title = row.title.trim().to_string();
                if let Err(e) = check_length(Field::Milestones, &title, 1, MILESTONE_TITLE_CHARS) {
                    errors.push(e);
                }
                let amount = parse_amount(Field::Milestones, &row.amount, (1, REWARD_RANGE_FEN.1), &mut errors);
                if let Some(amount) = amount {
                    milestones.push(NewMilestone { title, amount });
                }
            }
            let sum: i64 = milestones.iter().map(|m| m.amount.fen()).sum();
            if milestones.len() == rows.len() && reward.is_some_and(|r| r.fen() != sum) {
                errors.push(FieldError::new(Field::Milestones, Problem::MilestonesDontAddUp));
            }
        }

        let min_level = match self.min_level.trim() {
            "" | "C" => Some(None),
            text => Level::parse(text).map(Some),
        };
        if min_level.is_none() {
            errors.push(FieldError::new(Field::MinLevel, Problem::NotAllowed));
        }

        // Report each field once: its first problem is the one to fix first.
        let mut seen = Vec::new();
        errors.retain(|e| {
            let first = !seen.contains(&e.field);
            seen.push(e.field);
            first
        });
        match (errors.is_empty(), category, difficulty, change_rounds, min_level) {
            (true, Some(category), Some(difficulty), Some(change_rounds), Some(min_level)) => Ok(NewTask {
                title,
                category,
                description,
                tags,
                difficulty,
                deadline,
                change_rounds,
                milestones,
                min_level,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_amount(field: Field, text: &str, range: (i64, i64), errors: &mut Vec<FieldError>) -> Option<Money> {
    check_amount(field, text, range).map_err(|e| errors.push(e)).ok()
}

/// "YYYY-MM-DD" naming a real day (2026-02-30 is not one).
pub fn is_calendar_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (2000..=2100).contains(&y) && (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> TaskForm {
        TaskForm {
            title: "微信小程序商城开发".into(),
            category: "mobile".into(),
            description: "做一个带购物车和支付的小程序商城，需要对接后端接口。".into(),
            tags: vec!["miniprogram".into(), "vue".into()],
            difficulty: "3".into(),
            reward: "3,000".into(),
            deadline: "2026-12-31".into(),
            change_rounds: "".into(),
            milestones: vec![],
            min_level: "".into(),
        }
    }

    #[test]
    fn a_minimum_level_is_optional_and_must_be_a_level() {
        assert_eq!(form().validate("2026-11-23").unwrap().min_level, None);
        let a = TaskForm { min_level: "A".into(), ..form() };
        assert_eq!(a.validate("2026-11-23").unwrap().min_level, Some(Level::A));
        let c = TaskForm { min_level: "C".into(), ..form() };
        assert_eq!(c.validate("2026-11-23").unwrap().min_level, None, "everyone is at least C");
        let bad = TaskForm { min_level: "SSS".into(), ..form() };
        assert_eq!(
            bad.validate("2026-11-23").unwrap_err(),
            vec![FieldError::new(Field::MinLevel, Problem::NotAllowed)]
        );
    }

    #[test]
    fn a_good_form_becomes_a_one_milestone_task() {
        let task = form().validate("2026-11-23").unwrap();
        assert_eq!(task.reward(), Money::from_fen(300_000));
        assert_eq!(task.change_rounds, DEFAULT_CHANGE_ROUNDS);
        assert_eq!(task.milestones, vec![NewMilestone { title: String::new(), amount: Money::from_fen(300_000) }]);
    }

    #[test]
    fn milestones_must_add_up_to_the_reward() {
        let mut f = form();
        f.milestones = vec![
            MilestoneForm { title: "定金".into(), amount: "900".into() },
            MilestoneForm { title: "尾款".into(), amount: "2100".into() },
        ];
        assert_eq!(f.validate("2026-11-23").unwrap().milestones.len(), 2);
        f.milestones[1].amount = "2000".into();
        assert_eq!(
            f.validate("2026-11-23").unwrap_err(),
            vec![FieldError::new(Field::Milestones, Problem::MilestonesDontAddUp)]
        );
    }

    #[test]
    fn every_bad_field_is_reported_once() {
        let bad = TaskForm {
            title: "x".into(),
            category: "blockchain".into(),
            description: "".into(),
            tags: vec![],
            difficulty: "9".into(),
            reward: "5".into(),
            deadline: "2026-02-30".into(),
            change_rounds: "99".into(),
            milestones: vec![],
            min_level: "Z".into(),
        };
        let fields: Vec<Field> = bad.validate("2026-11-23").unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Title,
                Field::Description,
                Field::Category,
                Field::Tags,
                Field::Difficulty,
                Field::Reward,
                Field::Deadline,
                Field::ChangeRounds,
                Field::MinLevel,
            ]
        );
    }

    #[test]
    fn the_category_is_chosen_from_the_list() {
        assert_eq!(form().validate("2026-11-23").unwrap().category, Category::Mobile);
        let mut f = form();
        f.category = " ".into();
        assert_eq!(f.validate("2026-11-23").unwrap_err(), vec![FieldError::new(Field::Category, Problem::Required)]);
        for category in Category::ALL {
            assert_eq!(Category::from_slug(category.slug()), Some(category));
        }
    }

    #[test]
    fn deadlines_are_real_future_days() {
        let mut f = form();
        f.deadline = "2026-11-22".into();
        assert_eq!(f.validate("2026-11-23").unwrap_err(), vec![FieldError::new(Field::Deadline, Problem::DateInPast)]);
        assert!(is_calendar_date("2028-02-29"));
        assert!(!is_calendar_date("2027-02-29"));
        assert!(!is_calendar_date("2026-13-01"));
        assert!(!is_calendar_date("26-1-1"));
    }

    #[test]
    fn difficulty_is_one_to_five() {
        assert!(Difficulty::new(0).is_none());
        assert_eq!(Difficulty::new(1).map(Difficulty::level), Some(1));
        assert_eq!(Difficulty::new(5).map(Difficulty::level), Some(5));
        assert!(Difficulty::new(6).is_none());
        assert!(serde_json::from_str::<Difficulty>("9").is_err());
    }
}
