//! The report's own words and how it writes numbers, in each language.

use super::Suggestion;
use crate::i18n::Locale;

pub(super) struct Labels {
    language: Locale,
    pub(super) title: &'static str,
    pub(super) level: &'static str,
    pub(super) tasks_finished: &'static str,
    pub(super) earnings: &'static str,
    pub(super) earnings_note: &'static str,
    pub(super) average_rating: &'static str,
    pub(super) no_rating: &'static str,
    pub(super) xp_gained: &'static str,
    pub(super) rank_change: &'static str,
    pub(super) unranked: &'static str,
    pub(super) newly_ranked: &'static str,
    pub(super) rank_unchanged: &'static str,
    pub(super) skill_growth: &'static str,
    pub(super) previous_month_end: &'static str,
    pub(super) this_month_end: &'static str,
    pub(super) no_skills: &'static str,
    pub(super) no_tasks: &'static str,
    pub(super) not_rated: &'static str,
    pub(super) badges_and_challenges: &'static str,
    pub(super) badges: &'static str,
    pub(super) challenges: &'static str,
    pub(super) no_badges_or_challenges: &'static str,
    pub(super) suggestions: &'static str,
    pub(super) no_suggestions: &'static str,
}

pub(super) const ZH: Labels = Labels {
    language: Locale::zh_CN,
    title: "成长月报",
    level: "等级",
    tasks_finished: "本月完成任务",
    earnings: "收入",
    earnings_note: "本月已到账",
    average_rating: "平均评分",
    no_rating: "暂无评分",
    xp_gained: "获得经验",
    rank_change: "排名变化",
    unranked: "未上榜",
    newly_ranked: "新上榜",
    rank_unchanged: "持平",
    skill_growth: "技能成长",
    previous_month_end: "上月末",
    this_month_end: "本月末",
    no_skills: "还没有技能积分记录",
    no_tasks: "本月没有完成的任务",
    not_rated: "未评分",
    badges_and_challenges: "徽章与挑战",
    badges: "徽章",
    challenges: "挑战",
    no_badges_or_challenges: "本月没有获得徽章或完成挑战",
    suggestions: "成长建议",
    no_suggestions: "大厅里需求旺盛的技能你都已具备，继续保持！",
};

pub(super) const EN: Labels = Labels {
    language: Locale::en,
    title: "Monthly growth report",
    level: "LEVEL",
    tasks_finished: "Tasks finished",
    earnings: "Earnings",
    earnings_note: "paid out this month",
    average_rating: "Average rating",
    no_rating: "no ratings yet",
    xp_gained: "XP gained",
    rank_change: "Rank change",
    unranked: "unranked",
    newly_ranked: "new",
    rank_unchanged: "no change",
    skill_growth: "Skill growth",
    previous_month_end: "End of last month",
    this_month_end: "End of this month",
    no_skills: "No skill points recorded yet",
    no_tasks: "No tasks finished this month",
    not_rated: "Not rated",
    badges_and_challenges: "Badges & challenges",
    badges: "Badges",
    challenges: "Challenges",
    no_badges_or_challenges: "No badges earned or challenges completed this month",
    suggestions: "Suggestions",
    no_suggestions: "Your profile covers the skills in demand in the hall. Keep it up!",
};

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Labels {
    pub(super) fn for_language(language: Locale) -> &'static Labels {
        match language {
            Locale::zh_CN => &ZH,
            Locale::en => &EN,
        }
    }

    pub(super) fn month(&self, year: i32, month: u8) -> String {
        match self.language {
            Locale::zh_CN => format!("{year}年{month}月"),
            Locale::en => format!("{} {year}", MONTH_NAMES[usize::from(month) - 1]),
        }
    }

    pub(super) fn distinct_skills(&self, count: usize) -> String {
        match self.language {
            Locale::zh_CN => format!("涉及 {count} 项技能"),
            Locale::en if count == 1 => "in 1 skill".to_owned(),
            Locale::en => format!("across {count} skills"),
        }
    }

    pub(super) fn rating_count(&self, count: usize) -> String {
        match self.language {
            Locale::zh_CN => format!("基于 {count} 个评分"),
            Locale::en if count == 1 => "from 1 rating".to_owned(),
            Locale::en => format!("from {count} ratings"),
        }
    }

    pub(super) fn xp_total(&self, xp: i64) -> String {
        match self.language {
            Locale::zh_CN => format!("累计 {} XP", group_thousands(xp)),
            Locale::en => format!("{} XP in total", group_thousands(xp)),
        }
    }

    pub(super) fn ranked_developers(&self, count: i64) -> String {
        match self.language {
            Locale::zh_CN => format!("共 {} 名开发者上榜", group_thousands(count)),
            Locale::en => format!("of {} ranked developers", group_thousands(count)),
        }
    }

    pub(super) fn suggestion(&self, suggestion: &Suggestion) -> String {
        let Suggestion { skill, open_tasks, your_points } = suggestion;
        match self.language {
            Locale::zh_CN => {
                format!("大厅里有 {open_tasks} 个需要 {skill} 的开放任务，你的 {skill} 积分是 {your_points}")
            }
            Locale::en if *open_tasks == 1 => {
                format!("1 open task in the hall needs {skill}; your {skill} points: {your_points}")
            }
            Locale::en => {
                format!("{open_tasks} open tasks in the hall need {skill}; your {skill} points: {your_points}")
            }
        }
    }

    pub(super) fn quoted(&self, text: &str) -> String {
        match self.language {
            Locale::zh_CN => format!("“{text}”"),
            // The CJK font's curly quotes are full-width, which looks loose in English.
            Locale::en => format!("\"{text}\""),
        }
    }

    pub(super) fn page_number(&self, page: usize, pages: usize) -> String {
        match self.language {
            Locale::zh_CN => format!("第 {page} 页，共 {pages} 页"),
            Locale::en => format!("Page {page} of {pages}"),
        }
    }
}

/// "+1,240" for gains, "-30" for losses, "0".
pub(super) fn format_signed(value: i64) -> String {
    let sign = if value > 0 { "+" } else { "" };
    format!("{sign}{}", group_thousands(value))
}

pub(super) fn group_thousands(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", group_digits(value.unsigned_abs()))
}

fn group_digits(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trend {
    Up,
    Down,
    Flat,
}

/// "#12 → #7" and the movement "↑5", or "未上榜" when unranked at both ends.
pub(super) fn rank_change(
    labels: &Labels,
    before: Option<i64>,
    after: Option<i64>,
) -> (String, Option<(String, Trend)>) {
    let unranked = labels.unranked;
    match (before, after) {
        (Some(before), Some(after)) => {
            let movement = match after.cmp(&before) {
                std::cmp::Ordering::Less => (format!("↑{}", before - after), Trend::Up),
                std::cmp::Ordering::Greater => (format!("↓{}", after - before), Trend::Down),
                std::cmp::Ordering::Equal => (labels.rank_unchanged.to_owned(), Trend::Flat),
            };
            (format!("#{before} → #{after}"), Some(movement))
        }
        (None, Some(after)) => (format!("{unranked} → #{after}"), Some((labels.newly_ranked.to_owned(), Trend::Up))),
        (Some(before), None) => (format!("#{before} → {unranked}"), None),
        (None, None) => (unranked.to_owned(), None),
    }
}
