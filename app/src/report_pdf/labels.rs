//! The report's words and how it writes numbers. The words are in the locale files
//! (`app/locales/*.json`, keys `report_pdf_*` and `month_name_*`) like every other string the
//! site shows, so a translation is edited in one place and a missing one fails the build.

use super::Suggestion;
use crate::i18n::*;

/// The report's fixed words in one language, read once per report so that the sections can use
/// them as plain fields.
pub(super) struct Labels {
    locale: Locale,
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

impl Labels {
    pub(super) fn new(locale: Locale) -> Self {
        Self {
            locale,
            title: td_string!(locale, report_pdf_title),
            level: td_string!(locale, report_pdf_level),
            tasks_finished: td_string!(locale, report_pdf_tasks_finished),
            earnings: td_string!(locale, report_pdf_earnings),
            earnings_note: td_string!(locale, report_pdf_earnings_note),
            average_rating: td_string!(locale, report_pdf_average_rating),
            no_rating: td_string!(locale, report_pdf_no_rating),
            xp_gained: td_string!(locale, report_pdf_xp_gained),
            rank_change: td_string!(locale, report_pdf_rank_change),
            unranked: td_string!(locale, report_pdf_unranked),
            newly_ranked: td_string!(locale, report_pdf_newly_ranked),
            rank_unchanged: td_string!(locale, report_pdf_rank_unchanged),
            skill_growth: td_string!(locale, report_pdf_skill_growth),
            previous_month_end: td_string!(locale, report_pdf_previous_month_end),
            this_month_end: td_string!(locale, report_pdf_this_month_end),
            no_skills: td_string!(locale, report_pdf_no_skills),
            no_tasks: td_string!(locale, report_pdf_no_tasks),
            not_rated: td_string!(locale, report_pdf_not_rated),
            badges_and_challenges: td_string!(locale, report_pdf_badges_and_challenges),
            badges: td_string!(locale, report_pdf_badges),
            challenges: td_string!(locale, report_pdf_challenges),
            no_badges_or_challenges: td_string!(locale, report_pdf_no_badges_or_challenges),
            suggestions: td_string!(locale, report_pdf_suggestions),
            no_suggestions: td_string!(locale, report_pdf_no_suggestions),
        }
    }

    /// "2026年10月", "October 2026". `month` is 1..=12 (the caller checks).
    pub(super) fn month(&self, year: i32, month: u8) -> String {
        let locale = self.locale;
        let names = [
            td_string!(locale, month_name_1),
            td_string!(locale, month_name_2),
            td_string!(locale, month_name_3),
            td_string!(locale, month_name_4),
            td_string!(locale, month_name_5),
            td_string!(locale, month_name_6),
            td_string!(locale, month_name_7),
            td_string!(locale, month_name_8),
            td_string!(locale, month_name_9),
            td_string!(locale, month_name_10),
            td_string!(locale, month_name_11),
            td_string!(locale, month_name_12),
        ];
        td_string!(locale, report_pdf_month, year = year, month = names[usize::from(month) - 1])
    }

    // The locale files have no plural forms, so English singulars are keys of their own.

    pub(super) fn distinct_skills(&self, count: usize) -> String {
        match count {
            1 => td_string!(self.locale, report_pdf_in_one_skill).to_owned(),
            count => td_string!(self.locale, report_pdf_across_skills, count = count),
        }
    }

    pub(super) fn rating_count(&self, count: usize) -> String {
        match count {
            1 => td_string!(self.locale, report_pdf_from_one_rating).to_owned(),
            count => td_string!(self.locale, report_pdf_from_ratings, count = count),
        }
    }

    pub(super) fn xp_total(&self, xp: i64) -> String {
        td_string!(self.locale, report_pdf_xp_total, xp = group_thousands(xp))
    }

    pub(super) fn ranked_developers(&self, count: i64) -> String {
        td_string!(self.locale, report_pdf_ranked_developers, count = group_thousands(count))
    }

    pub(super) fn suggestion(&self, suggestion: &Suggestion) -> String {
        let Suggestion { skill, open_tasks, your_points } = suggestion;
        match *open_tasks {
            1 => td_string!(self.locale, report_pdf_suggestion_one_task, skill = skill, points = your_points),
            _ => td_string!(
                self.locale,
                report_pdf_suggestion,
                open_tasks = open_tasks,
                skill = skill,
                points = your_points
            ),
        }
    }

    /// A reviewer's comment in quotes. English uses straight quotes: the CJK font's curly ones are
    /// full-width, which looks loose in Latin text.
    pub(super) fn quoted(&self, text: &str) -> String {
        td_string!(self.locale, report_pdf_quoted, text = text)
    }

    pub(super) fn page_number(&self, page: usize, pages: usize) -> String {
        td_string!(self.locale, report_pdf_page_number, page = page, pages = pages)
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
