//! Which month a growth report covers. A report is only made for a month that is over (China
//! time), so the stored file never has to change once someone has downloaded it.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReportMonth {
    pub year: i32,
    /// 1..=12.
    pub month: u8,
}

impl ReportMonth {
    pub fn new(year: i32, month: u8) -> Option<Self> {
        ((1..=12).contains(&month) && (2000..=9999).contains(&year)).then_some(ReportMonth { year, month })
    }

    /// "2026-10".
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        ReportMonth::new(year.parse().ok()?, month.parse().ok()?)
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            ReportMonth { year: self.year - 1, month: 12 }
        } else {
            ReportMonth { month: self.month - 1, ..self }
        }
    }

    /// Whether the month has ended by `current` (the month it is now).
    pub fn is_over(self, current: ReportMonth) -> bool {
        self < current
    }

    /// The `count` months before `current`, most recent first: what the growth panel offers.
    pub fn recent(current: ReportMonth, count: usize) -> Vec<ReportMonth> {
        std::iter::successors(Some(current.previous()), |m| Some(m.previous())).take(count).collect()
    }

    /// The first day, "2026-10-01", as PostgreSQL reads a DATE.
    pub fn first_day(self) -> String {
        format!("{self}-01")
    }
}

impl fmt::Display for ReportMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> ReportMonth {
        ReportMonth::parse(text).unwrap()
    }

    #[test]
    fn months_parse_only_in_their_canonical_form() {
        assert_eq!(month("2026-10"), ReportMonth { year: 2026, month: 10 });
        assert_eq!(month("2026-10").to_string(), "2026-10");
        for bad in ["2026-13", "2026-00", "2026-1", "26-10", "2026/10", "", "2026-10-01", "abcd-ef"] {
            assert_eq!(ReportMonth::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_finished_months_have_reports() {
        let now = month("2026-11");
        assert!(month("2026-10").is_over(now));
        assert!(month("2025-12").is_over(now));
        assert!(!month("2026-11").is_over(now));
        assert!(!month("2027-01").is_over(now));
    }

    #[test]
    fn recent_months_cross_the_year_boundary() {
        let months: Vec<String> = ReportMonth::recent(month("2026-02"), 3).iter().map(ToString::to_string).collect();
        assert_eq!(months, ["2026-01", "2025-12", "2025-11"]);
        assert_eq!(month("2026-01").first_day(), "2026-01-01");
    }
}
