//! Talent search (找开发者): what a developer says about taking work (availability and an expected
//! hourly rate), what a merchant asks for (`TalentQuery`), and how developers are ranked for it
//! (`ranking`). Days are China calendar days written "YYYY-MM-DD", as `db::periods::today` gives them.

mod query;
mod ranking;

pub use query::{talent_tsquery, tenths_text, words_tsquery, TalentQuery};
pub use ranking::{fit, rank, standing, Standing, TalentFacts, TalentFit};

use super::{
    money::Money,
    periods::{civil_from_days, days_from_civil},
    tasks::is_calendar_date,
    validation::{check_amount, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// Results on one page of `/developers`.
pub const TALENT_PAGE_SIZE: i64 = 20;
/// A search ranks at most this many matches (the strongest by `standing` first), so a broad search
/// costs what a narrow one does; beyond them the count reads "500+".
pub const TALENT_CANDIDATES: i64 = 500;
/// An until-day may be at most this far ahead: "away for a year" is the longest plan worth showing.
pub const MAX_AWAY_DAYS: u32 = 365;
/// The expected hourly rate, when stated: ¥10 to ¥5,000 an hour.
pub const RATE_RANGE_FEN: (i64, i64) = (1_000, 500_000);

/// What a developer says about new work, as stored (`users.availability`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AvailabilityStatus {
    /// 接单中: open to new work.
    #[default]
    Available,
    /// 忙碌: working, may still take something on.
    Busy,
    /// 暂停接单: not taking work; invitations are refused.
    Paused,
}

impl AvailabilityStatus {
    pub const ALL: [AvailabilityStatus; 3] =
        [AvailabilityStatus::Available, AvailabilityStatus::Busy, AvailabilityStatus::Paused];

    pub fn as_str(self) -> &'static str {
        match self {
            AvailabilityStatus::Available => "available",
            AvailabilityStatus::Busy => "busy",
            AvailabilityStatus::Paused => "paused",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        AvailabilityStatus::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// A developer's availability: busy or paused either until changed (`until` None) or through the
/// day `until`, after which they count as available again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    #[default]
    Available,
    Busy {
        until: Option<String>,
    },
    Paused {
        until: Option<String>,
    },
}

impl Availability {
    /// From the stored columns; an unknown status reads as available (the column is CHECKed).
    pub fn from_parts(status: &str, until: Option<String>) -> Self {
        match AvailabilityStatus::parse(status) {
            Some(AvailabilityStatus::Busy) => Availability::Busy { until },
            Some(AvailabilityStatus::Paused) => Availability::Paused { until },
            _ => Availability::Available,
        }
    }

    pub fn status(&self) -> AvailabilityStatus {
        match self {
            Availability::Available => AvailabilityStatus::Available,
            Availability::Busy { .. } => AvailabilityStatus::Busy,
            Availability::Paused { .. } => AvailabilityStatus::Paused,
        }
    }

    pub fn until(&self) -> Option<&str> {
        match self {
            Availability::Available => None,
            Availability::Busy { until } | Availability::Paused { until } => until.as_deref(),
        }
    }

    /// The availability as it stands on `today`: once the until-day is over, available.
    /// (`read::talent`'s SQL filter says the same: `available_until < today` is available.)
    pub fn on(&self, today: &str) -> Availability {
        match self.until() {
            Some(until) if until < today => Availability::Available,
            _ => self.clone(),
        }
    }

    /// Whether a merchant may invite this developer on `today`: everyone but a paused developer.
    pub fn accepts_invitations(&self, today: &str) -> bool {
        !matches!(self.on(today), Availability::Paused { .. })
    }
}

/// The availability form on `/profile`, as typed: a status, an optional until-day and an optional
/// hourly rate in yuan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityForm {
    pub status: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub rate: String,
}

/// A validated availability form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkTerms {
    pub availability: Availability,
    /// Per hour; None when not stated.
    pub expected_rate: Option<Money>,
}

impl AvailabilityForm {
    /// Every problem at once. An until-day is kept only for busy or paused (available needs none),
    /// and must fall between `today` and `MAX_AWAY_DAYS` ahead.
    pub fn validate(&self, today: &str) -> Result<WorkTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = AvailabilityStatus::parse(self.status.trim());
        if status.is_none() {
            errors.push(FieldError::new(Field::Availability, Problem::NotAllowed));
        }
        let until = match (status, self.until.trim()) {
            (Some(AvailabilityStatus::Available), _) | (_, "") => None,
            (_, until) => match check_until(until, today) {
                Ok(until) => Some(until),
                Err(problem) => {
                    errors.push(FieldError::new(Field::AvailableUntil, problem));
                    None
                }
            },
        };
        let expected_rate = match self.rate.trim() {
            "" => None,
            rate => check_amount(Field::ExpectedRate, rate, RATE_RANGE_FEN).map_err(|e| errors.push(e)).ok(),
        };
        let availability = match status {
            Some(AvailabilityStatus::Busy) => Availability::Busy { until },
            Some(AvailabilityStatus::Paused) => Availability::Paused { until },
            _ => Availability::Available,
        };
        if errors.is_empty() {
            Ok(WorkTerms { availability, expected_rate })
        } else {
            Err(errors)
        }
    }

    /// The form filled in with what is saved.
    pub fn of(terms: &WorkTerms) -> Self {
        AvailabilityForm {
            status: terms.availability.status().as_str().to_string(),
            until: terms.availability.until().unwrap_or_default().to_string(),
            rate: terms.expected_rate.map(|rate| yuan_text(rate.fen())).unwrap_or_default(),
        }
    }
}

/// Fen as yuan typed back into a form: "300", "150.5".
fn yuan_text(fen: i64) -> String {
    let text = format!("{}.{:02}", fen / 100, fen % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn check_until(until: &str, today: &str) -> Result<String, Problem> {
    let (Some(day), Some(first)) = (day_number(until), day_number(today)) else {
        return Err(Problem::InvalidDate);
    };
    if day < first {
        Err(Problem::DateInPast)
    } else if day - first > MAX_AWAY_DAYS as i32 {
        Err(Problem::DateTooFar { max_days: MAX_AWAY_DAYS })
    } else {
        Ok(until.to_string())
    }
}

/// The last until-day the form takes when today is `today`: `MAX_AWAY_DAYS` ahead.
pub fn latest_until(today: &str) -> Option<String> {
    let (year, month, day) = civil_from_days(day_number(today)? + MAX_AWAY_DAYS as i32);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// The day number of a "YYYY-MM-DD" calendar day.
fn day_number(text: &str) -> Option<i32> {
    if !is_calendar_date(text) {
        return None;
    }
    let mut parts = text.split('-').map(|part| part.parse::<u32>().ok());
    let (Some(Some(year)), Some(Some(month)), Some(Some(day))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    Some(days_from_civil(year as i32, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: &str = "2026-12-07";

    fn form(status: &str, until: &str, rate: &str) -> AvailabilityForm {
        AvailabilityForm { status: status.into(), until: until.into(), rate: rate.into() }
    }

    #[test]
    fn away_until_a_day_counts_as_available_the_day_after() {
        let busy = Availability::Busy { until: Some("2026-12-10".into()) };
        assert_eq!(busy.on("2026-12-10"), busy, "the until-day itself is still away");
        assert_eq!(busy.on("2026-12-11"), Availability::Available);
        let paused = Availability::Paused { until: None };
        assert_eq!(paused.on("2030-01-01"), paused, "paused until changed stays paused");
    }

    #[test]
    fn only_a_paused_developer_refuses_invitations() {
        assert!(Availability::Available.accepts_invitations(TODAY));
        assert!(Availability::Busy { until: None }.accepts_invitations(TODAY));
        let paused = Availability::Paused { until: Some("2026-12-31".into()) };
        assert!(!paused.accepts_invitations(TODAY));
        assert!(!paused.accepts_invitations("2026-12-31"));
        assert!(paused.accepts_invitations("2027-01-01"), "China day after the until-day");
    }

    #[test]
    fn a_valid_form_keeps_the_until_day_only_when_away() {
        let terms = form("paused", "2027-01-15", "300").validate(TODAY).unwrap();
        assert_eq!(terms.availability, Availability::Paused { until: Some("2027-01-15".into()) });
        assert_eq!(terms.expected_rate, Some(Money::from_fen(30_000)));
        let available = form("available", "2027-01-15", "").validate(TODAY).unwrap();
        assert_eq!(available, WorkTerms { availability: Availability::Available, expected_rate: None });
        assert_eq!(
            form(" busy ", " ", "150.5").validate(TODAY).unwrap(),
            WorkTerms {
                availability: Availability::Busy { until: None },
                expected_rate: Some(Money::from_fen(15_050))
            }
        );
        assert_eq!(form("busy", TODAY, "").validate(TODAY).unwrap().availability.until(), Some(TODAY));
    }

    #[test]
    fn bad_days_and_rates_are_each_reported() {
        let problems = |f: AvailabilityForm| f.validate(TODAY).unwrap_err();
        assert_eq!(
            problems(form("holiday", "", "abc")),
            vec![
                FieldError::new(Field::Availability, Problem::NotAllowed),
                FieldError::new(Field::ExpectedRate, Problem::InvalidAmount)
            ]
        );
        assert_eq!(
            problems(form("busy", "2026-12-06", "")),
            vec![FieldError::new(Field::AvailableUntil, Problem::DateInPast)]
        );
        assert_eq!(
            problems(form("paused", "2027-12-08", "")),
            vec![FieldError::new(Field::AvailableUntil, Problem::DateTooFar { max_days: 365 })]
        );
        assert!(form("paused", "2027-12-07", "").validate(TODAY).is_ok(), "exactly a year ahead");
        assert_eq!(latest_until(TODAY).as_deref(), Some("2027-12-07"));
        assert_eq!(latest_until("2028-02-29").as_deref(), Some("2029-02-28"));
        assert_eq!(
            problems(form("busy", "2026-02-30", "")),
            vec![FieldError::new(Field::AvailableUntil, Problem::InvalidDate)]
        );
        let range = Problem::AmountOutOfRange { min_fen: RATE_RANGE_FEN.0, max_fen: RATE_RANGE_FEN.1 };
        for rate in ["9.99", "5000.01", "0"] {
            assert_eq!(
                problems(form("available", "", rate)),
                vec![FieldError::new(Field::ExpectedRate, range)],
                "{rate}"
            );
        }
    }

    #[test]
    fn a_saved_setting_fills_the_form_back() {
        let terms = WorkTerms {
            availability: Availability::Busy { until: Some("2027-01-01".into()) },
            expected_rate: Some(Money::from_fen(15_050)),
        };
        assert_eq!(AvailabilityForm::of(&terms), form("busy", "2027-01-01", "150.5"));
        assert_eq!(AvailabilityForm::of(&terms).validate(TODAY).unwrap(), terms);
        assert_eq!(Availability::from_parts("paused", None), Availability::Paused { until: None });
        assert_eq!(Availability::from_parts("??", Some("x".into())), Availability::Available);
    }
}
