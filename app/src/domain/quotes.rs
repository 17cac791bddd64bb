//! Quotes (报价): an applicant's own terms for a task, and what choosing that applicant agrees.
//!
//! The rules, checked here and nowhere else:
//! - **Amount.** A quote may name an amount for each milestone (a task paid in one piece has one
//!   milestone, its reward). Each lies within 50 %–200 % of that milestone's amount now, in whole
//!   fen: at least half rounded **up** (so never below half) and at most exactly twice. A milestone
//!   left empty keeps its amount.
//! - **Date.** A delivery date from today (China time) to the task's deadline plus
//!   `LATEST_DAYS_AFTER_DEADLINE` days, both included. Earlier than the deadline is fine.
//! - **Note.** At most `NOTE_MAX_CHARS` characters of visible text; the database masks contact
//!   details in it like a pitch (`messages::guard_contacts`). A note alone is not a quote: a quote
//!   proposes an amount, a date or both.
//! - **Agreement.** Choosing a quoted application agrees its terms in the choice's transaction: the
//!   quoted amounts replace the milestones', the reward becomes their sum, the date becomes the
//!   task's deadline (the one date reminders and on-time records read; the deadline before is kept in
//!   the timeline), and the escrow moves by the difference in one movement keyed by the task
//!   (`ledger::Movement::agreed_terms`): a top-up from the merchant's balance or a refund to it.

use super::{
    money::Money,
    periods::{civil_from_days, days_from_civil},
    tasks::{is_calendar_date, MAX_MILESTONES},
    validation::{check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// The lowest quote, as a share of the milestone's amount.
pub const MIN_PERCENT: i64 = 50;
/// The highest quote, as a share of the milestone's amount.
pub const MAX_PERCENT: i64 = 200;
pub const NOTE_MAX_CHARS: u32 = 500;
/// How far past the task's deadline a quoted delivery date may fall.
pub const LATEST_DAYS_AFTER_DEADLINE: i32 = 30;

/// The apply form's optional "报价 / Propose terms" section, exactly as submitted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteForm {
    /// One per milestone, in order ("" keeps that milestone's amount).
    #[serde(default)]
    pub amounts: Vec<String>,
    /// "YYYY-MM-DD", or "" to keep the task's deadline.
    #[serde(default)]
    pub deliver_by: String,
    #[serde(default)]
    pub note: String,
}

/// The terms a quote is checked against: the task's milestone amounts now (in order), its deadline
/// and today, both "YYYY-MM-DD" in China time.
#[derive(Clone, Copy, Debug)]
pub struct QuoteBasis<'a> {
    pub milestones: &'a [Money],
    pub deadline: &'a str,
    pub today: &'a str,
}

/// A quote that passed every rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    /// The agreed amount of every milestone, in order; None: the amounts stay.
    pub amounts: Option<Vec<Money>>,
    pub deliver_by: Option<String>,
    pub note: String,
}

/// The lowest and highest amount a quote may name for a milestone of `base`.
pub fn amount_bounds(base: Money) -> (Money, Money) {
    // i128: no amount, however large, overflows the multiplication.
    let fen = base.fen() as i128;
    let min = (fen * MIN_PERCENT as i128 + 99) / 100;
    let max = fen * MAX_PERCENT as i128 / 100;
    (Money::from_fen(min as i64), Money::from_fen(max as i64))
}

/// The last delivery date a quote may name on a task due on `deadline` ("YYYY-MM-DD").
pub fn latest_delivery(deadline: &str) -> Option<String> {
    day_number(deadline).map(|day| date_of(day + LATEST_DAYS_AFTER_DEADLINE))
}

impl QuoteForm {
    /// Whether the form proposes anything (an amount or a date).
    pub fn proposes_terms(&self) -> bool {
        self.amounts.iter().any(|a| !a.trim().is_empty()) || !self.deliver_by.trim().is_empty()
    }

    /// The checks that need nothing but the form, run before anything is read: the note's length and
    /// text, amounts that are amounts, a date that is a date.
    pub fn check_shape(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.amounts.len() > MAX_MILESTONES as usize {
            errors.push(FieldError::new(Field::QuoteAmount(1), Problem::TooMany { max: MAX_MILESTONES }));
        } else {
            for (i, text) in self.amounts.iter().enumerate() {
                if !text.trim().is_empty() && Money::parse_yuan(text).is_none() {
                    errors.push(FieldError::new(Field::QuoteAmount(i as u8 + 1), Problem::InvalidAmount));
                }
            }
        }
        let date = self.deliver_by.trim();
        if !date.is_empty() && !is_calendar_date(date) {
            errors.push(FieldError::new(Field::QuoteDeliverBy, Problem::InvalidDate));
        }
        let note = self.note.trim();
        let note_error = check_length(Field::QuoteNote, note, 0, NOTE_MAX_CHARS)
            .and_then(|()| check_visible_text(Field::QuoteNote, note, true))
            .err();
        match note_error {
            Some(error) => errors.push(error),
            None if !note.is_empty() && !self.proposes_terms() => {
                errors.push(FieldError::new(Field::QuoteNote, Problem::QuoteWithoutTerms))
            }
            None => {}
        }
        errors
    }

    /// Every rule against the task's terms now. `Ok(None)`: the form proposes nothing.
    pub fn check(&self, basis: QuoteBasis) -> Result<Option<Quote>, Vec<FieldError>> {
        let mut errors = self.check_shape();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut amounts = basis.milestones.to_vec();
        let mut any_amount = false;
        for (i, text) in self.amounts.iter().enumerate().filter(|(_, text)| !text.trim().is_empty()) {
            let field = Field::QuoteAmount(i as u8 + 1);
            let (Some(base), Some(amount)) = (basis.milestones.get(i), Money::parse_yuan(text)) else {
                errors.push(FieldError::new(field, Problem::NotAllowed));
                continue;
            };
            let (min, max) = amount_bounds(*base);
            if amount < min || amount > max {
                errors
                    .push(FieldError::new(field, Problem::AmountOutOfRange { min_fen: min.fen(), max_fen: max.fen() }));
            }
            amounts[i] = amount;
            any_amount = true;
        }
        let date = self.deliver_by.trim();
        if !date.is_empty() {
            if let Some(problem) = date_problem(date, basis) {
                errors.push(FieldError::new(Field::QuoteDeliverBy, problem));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if !self.proposes_terms() {
            return Ok(None);
        }
        Ok(Some(Quote {
            amounts: any_amount.then_some(amounts),
            deliver_by: (!date.is_empty()).then(|| date.to_string()),
            note: self.note.trim().to_string(),
        }))
    }
}

fn date_problem(date: &str, basis: QuoteBasis) -> Option<Problem> {
    let day = day_number(date)?;
    if date < basis.today {
        return Some(Problem::DateInPast);
    }
    let latest = day_number(basis.deadline)? + LATEST_DAYS_AFTER_DEADLINE;
    (day > latest).then_some(Problem::DateTooLate { latest_day: latest })
}

/// The day number (days since 1970-01-01) of a "YYYY-MM-DD" date.
fn day_number(date: &str) -> Option<i32> {
    if !is_calendar_date(date) {
        return None;
    }
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    Some(days_from_civil(y as i32, m, d))
}

/// "YYYY-MM-DD" of a day number.
pub fn date_of(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What a choice agreed, as the timeline records it: the reward and the deadline before and after,
/// each only when it changed. Stored as the event's note in a form the page reads back and words
/// in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgreedTerms {
    pub reward: Option<(Money, Money)>,
    pub deadline: Option<(String, String)>,
}

impl AgreedTerms {
    /// "reward=100000>120000;deadline=2026-12-31>2027-01-10".
    pub fn note(&self) -> String {
        let mut parts = Vec::new();
        if let Some((from, to)) = self.reward {
            parts.push(format!("reward={}>{}", from.fen(), to.fen()));
        }
        if let Some((from, to)) = &self.deadline {
            parts.push(format!("deadline={from}>{to}"));
        }
        parts.join(";")
    }

    pub fn parse(note: &str) -> Option<Self> {
        let mut terms = AgreedTerms { reward: None, deadline: None };
        for part in note.split(';').filter(|p| !p.is_empty()) {
            let (name, change) = part.split_once('=')?;
            let (from, to) = change.split_once('>')?;
            match name {
                "reward" => {
                    terms.reward = Some((Money::from_fen(from.parse().ok()?), Money::from_fen(to.parse().ok()?)))
                }
                "deadline" if is_calendar_date(from) && is_calendar_date(to) => {
                    terms.deadline = Some((from.to_string(), to.to_string()))
                }
                _ => return None,
            }
        }
        Some(terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    fn basis(milestones: &[Money]) -> QuoteBasis<'_> {
        QuoteBasis { milestones, deadline: "2026-12-31", today: "2026-12-01" }
    }

    fn amount(text: &str) -> QuoteForm {
        QuoteForm { amounts: vec![text.into()], ..Default::default() }
    }

    fn problems(result: Result<Option<Quote>, Vec<FieldError>>) -> Vec<FieldError> {
        result.expect_err("refused")
    }

    #[test]
    fn amounts_lie_within_half_and_double_at_the_exact_bounds() {
        let reward = [fen(100_000)];
        let out = Problem::AmountOutOfRange { min_fen: 50_000, max_fen: 200_000 };
        assert_eq!(problems(amount("490").check(basis(&reward))), [FieldError::new(Field::QuoteAmount(1), out)]);
        assert_eq!(problems(amount("499.99").check(basis(&reward))), [FieldError::new(Field::QuoteAmount(1), out)]);
        for ok in ["500", "1000", "2000"] {
            let quote = amount(ok).check(basis(&reward)).unwrap().unwrap();
            assert_eq!(quote.amounts, Some(vec![Money::parse_yuan(ok).unwrap()]), "{ok}");
        }
        assert_eq!(problems(amount("2000.01").check(basis(&reward))), [FieldError::new(Field::QuoteAmount(1), out)]);
        assert_eq!(problems(amount("2010").check(basis(&reward))), [FieldError::new(Field::QuoteAmount(1), out)]);
    }

    #[test]
    fn half_of_an_odd_amount_rounds_up_so_a_quote_is_never_under_half() {
        assert_eq!(amount_bounds(fen(101)), (fen(51), fen(202)));
        assert_eq!(amount_bounds(fen(1)), (fen(1), fen(2)));
        assert_eq!(amount_bounds(fen(100_000_000)), (fen(50_000_000), fen(200_000_000)));
        assert_eq!(amount_bounds(fen(i64::MAX / 4)).1.fen(), i64::MAX / 4 * 2, "no overflow");
    }

    #[test]
    fn each_milestone_is_bounded_by_its_own_amount_and_empty_ones_keep_theirs() {
        let milestones = [fen(10_000), fen(30_000)];
        let form = QuoteForm { amounts: vec!["".into(), "450".into()], ..Default::default() };
        let quote = form.check(basis(&milestones)).unwrap().unwrap();
        assert_eq!(quote.amounts, Some(vec![fen(10_000), fen(45_000)]));

        // ¥40 is within half of the whole reward (¥400) but not of the first milestone's ¥100.
        let form = QuoteForm { amounts: vec!["40".into(), "601".into()], ..Default::default() };
        assert_eq!(
            problems(form.check(basis(&milestones))),
            [
                FieldError::new(Field::QuoteAmount(1), Problem::AmountOutOfRange { min_fen: 5_000, max_fen: 20_000 }),
                FieldError::new(Field::QuoteAmount(2), Problem::AmountOutOfRange { min_fen: 15_000, max_fen: 60_000 }),
            ]
        );
        // An amount for a milestone the task does not have.
        let form = QuoteForm { amounts: vec!["100".into(), "300".into(), "5".into()], ..Default::default() };
        assert_eq!(
            problems(form.check(basis(&milestones))),
            [FieldError::new(Field::QuoteAmount(3), Problem::NotAllowed)]
        );
        let form = QuoteForm { amounts: vec!["1".into(); 6], ..Default::default() };
        assert_eq!(form.check_shape(), [FieldError::new(Field::QuoteAmount(1), Problem::TooMany { max: 5 })]);
    }

    #[test]
    fn amounts_must_be_amounts() {
        let reward = [fen(100_000)];
        for bad in ["abc", "-600", "1.234", "1e3"] {
            assert_eq!(
                problems(amount(bad).check(basis(&reward))),
                [FieldError::new(Field::QuoteAmount(1), Problem::InvalidAmount)],
                "{bad}"
            );
        }
    }

    #[test]
    fn dates_run_from_today_to_thirty_days_after_the_deadline() {
        let reward = [fen(100_000)];
        let date = |d: &str| QuoteForm { deliver_by: d.into(), ..Default::default() }.check(basis(&reward));
        assert_eq!(problems(date("2026-11-30")), [FieldError::new(Field::QuoteDeliverBy, Problem::DateInPast)]);
        assert_eq!(date("2026-12-01").unwrap().unwrap().deliver_by.as_deref(), Some("2026-12-01"));
        assert_eq!(date("2027-01-30").unwrap().unwrap().amounts, None, "a date alone keeps the amounts");
        let latest = days_from_civil(2027, 1, 30);
        assert_eq!(
            problems(date("2027-01-31")),
            [FieldError::new(Field::QuoteDeliverBy, Problem::DateTooLate { latest_day: latest })]
        );
        assert_eq!(date_of(latest), "2027-01-30");
        assert_eq!(latest_delivery("2026-12-31").as_deref(), Some("2027-01-30"));
        assert_eq!(latest_delivery("2027-02-15").as_deref(), Some("2027-03-17"), "across a short month");
        for bad in ["2026-02-30", "31/12/2026", "tomorrow"] {
            assert_eq!(problems(date(bad)), [FieldError::new(Field::QuoteDeliverBy, Problem::InvalidDate)], "{bad}");
        }
    }

    #[test]
    fn notes_are_short_visible_and_never_a_quote_alone() {
        let reward = [fen(100_000)];
        let with_note = |note: String| QuoteForm { amounts: vec!["1200".into()], note, ..Default::default() };
        assert!(with_note("三天交付，含测试".repeat(62)).check(basis(&reward)).is_ok(), "496 characters");
        assert_eq!(
            problems(with_note("长".repeat(501)).check(basis(&reward))),
            [FieldError::new(Field::QuoteNote, Problem::TooLong { max: 500 })]
        );
        assert_eq!(
            problems(with_note("a\u{202E}b".into()).check(basis(&reward))),
            [FieldError::new(Field::QuoteNote, Problem::HiddenCharacters)]
        );
        let note_only = QuoteForm { note: "可以谈".into(), ..Default::default() };
        assert_eq!(
            problems(note_only.check(basis(&reward))),
            [FieldError::new(Field::QuoteNote, Problem::QuoteWithoutTerms)]
        );
        assert_eq!(QuoteForm::default().check(basis(&reward)), Ok(None), "an empty section is no quote");
        let quote = with_note("  含部署  ".into()).check(basis(&reward)).unwrap().unwrap();
        assert_eq!(quote.note, "含部署");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let reward = [fen(100_000)];
        let form = QuoteForm { amounts: vec!["1".into()], deliver_by: "2020-01-01".into(), note: String::new() };
        let fields: Vec<Field> = problems(form.check(basis(&reward))).into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::QuoteAmount(1), Field::QuoteDeliverBy]);
    }

    #[test]
    fn agreed_terms_round_trip_through_the_timeline_note() {
        let terms = AgreedTerms {
            reward: Some((fen(100_000), fen(120_050))),
            deadline: Some(("2026-12-31".into(), "2027-01-10".into())),
        };
        assert_eq!(terms.note(), "reward=100000>120050;deadline=2026-12-31>2027-01-10");
        assert_eq!(AgreedTerms::parse(&terms.note()), Some(terms));
        let date_only = AgreedTerms { reward: None, deadline: Some(("2026-12-31".into(), "2026-12-20".into())) };
        assert_eq!(AgreedTerms::parse(&date_only.note()), Some(date_only));
        for bad in ["reward=1", "price=1>2", "deadline=x>y", "reward=a>b"] {
            assert_eq!(AgreedTerms::parse(bad), None, "{bad}");
        }
    }
}
