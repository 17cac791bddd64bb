//! Paid memberships and task promotion: what each plan unlocks over the free tier, how bought
//! periods stack, and what ending one early gives back. Prices and benefit numbers are data that
//! admins edit (`membership_plans`); the rules over them live here.
//!
//! The free tier stays useful on purpose (the seeds' complaint about platforms that charge to
//! apply or to withdraw): applying needs no membership, and no plan touches withdrawals.

use super::{
    account::Role,
    money::Money,
    validation::{check_amount, check_number, Field, FieldError},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    /// 成长通行证: advanced challenges.
    GrowthPass,
    /// 高级会员: more applications a day and a highlighted profile.
    Premium,
    /// 企业会员: a lower commission and more open tasks.
    Enterprise,
}

impl Plan {
    pub const ALL: [Plan; 3] = [Plan::GrowthPass, Plan::Premium, Plan::Enterprise];

    pub fn as_str(self) -> &'static str {
        match self {
            Plan::GrowthPass => "growth_pass",
            Plan::Premium => "premium",
            Plan::Enterprise => "enterprise",
        }
    }

    pub fn parse(s: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|plan| plan.as_str() == s)
    }

    /// Who may buy it.
    pub fn audience(self) -> Role {
        match self {
            Plan::GrowthPass | Plan::Premium => Role::Developer,
            Plan::Enterprise => Role::Merchant,
        }
    }
}

/// A plan's price per month and the numbers behind its benefits, as admins set them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTerms {
    pub plan: Plan,
    pub monthly_price: Money,
    /// Premium: applications a day (instead of the free tier's).
    pub daily_applications: u32,
    /// Enterprise: tasks open at once (instead of the free tier's).
    pub open_tasks: u32,
    /// Enterprise: basis points off the commission, never below the 5 % floor.
    pub commission_discount_bps: u32,
}

/// What the free tier allows. Generous on purpose: a developer sending more than this many
/// thoughtful applications a day is rare, and a merchant with this many open tasks at once runs a
/// business that can afford 企业会员.
pub const FREE_DAILY_APPLICATIONS: u32 = 20;
pub const FREE_OPEN_TASKS: u32 = 100;

/// Bounds admins can set, so a typo cannot price a plan at ¥0 or ¥1,000,000.
pub const PRICE_RANGE_FEN: (i64, i64) = (100, 100_000);
pub const MAX_DISCOUNT_BPS: u32 = 500;

/// What a user may do, given the plans they hold now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefits {
    pub daily_applications: u32,
    pub open_tasks: u32,
    pub commission_discount_bps: u32,
    pub advanced_challenges: bool,
    pub highlighted: bool,
}

impl Benefits {
    pub const FREE: Benefits = Benefits {
        daily_applications: FREE_DAILY_APPLICATIONS,
        open_tasks: FREE_OPEN_TASKS,
        commission_discount_bps: 0,
        advanced_challenges: false,
        highlighted: false,
    };

    /// The free tier raised by every plan held; a plan never lowers a number below the free tier's.
    pub fn of(held: &[PlanTerms]) -> Benefits {
        held.iter().fold(Benefits::FREE, |mut benefits, terms| {
            match terms.plan {
                Plan::GrowthPass => benefits.advanced_challenges = true,
                Plan::Premium => {
                    benefits.daily_applications = benefits.daily_applications.max(terms.daily_applications);
                    benefits.highlighted = true;
                }
                Plan::Enterprise => {
                    benefits.open_tasks = benefits.open_tasks.max(terms.open_tasks);
                    benefits.commission_discount_bps =
                        benefits.commission_discount_bps.max(terms.commission_discount_bps.min(MAX_DISCOUNT_BPS));
                }
            }
            benefits
        })
    }
}

/// An admin's edit of a plan's terms, as typed: price in yuan, discount in whole percent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanForm {
    pub price: String,
    pub daily_applications: String,
    pub open_tasks: String,
    pub discount_percent: String,
}

impl PlanForm {
    /// The terms, or every field's problem at once.
    pub fn parse(&self, plan: Plan) -> Result<PlanTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut keep = |result: Result<i64, FieldError>| result.map_err(|e| errors.push(e)).unwrap_or(0);
        let price = keep(check_amount(Field::Amount, &self.price, PRICE_RANGE_FEN).map(Money::fen));
        let daily_applications = keep(check_number(Field::DailyApplications, &self.daily_applications, 0, 1_000));
        let open_tasks = keep(check_number(Field::OpenTasks, &self.open_tasks, 0, 10_000));
        let discount = keep(check_number(Field::Rate, &self.discount_percent, 0, i64::from(MAX_DISCOUNT_BPS / 100)));
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PlanTerms {
            plan,
            monthly_price: Money::from_fen(price),
            daily_applications: daily_applications as u32,
            open_tasks: open_tasks as u32,
            commission_discount_bps: discount as u32 * 100,
        })
    }
}

/// Months a purchase may cover at once.
pub const MONTH_CHOICES: [u8; 3] = [1, 3, 12];

/// A purchase of `months` months: twelve months cost ten, three cost three.
pub fn price_of(monthly: Money, months: u8) -> Money {
    let charged_months = if months >= 12 { i64::from(months) - 2 } else { i64::from(months) };
    Money::from_fen(monthly.fen() * charged_months)
}

const DAY: i64 = 86_400;
const CHINA_OFFSET: i64 = 8 * 3600;

/// The period a purchase covers, in Unix seconds: it starts now, or where the running period of the
/// same plan ends (buying early never loses days), and runs `months` calendar months in China time
/// (31 January plus one month is 28 or 29 February).
pub fn period(now: i64, running_until: Option<i64>, months: u8) -> (i64, i64) {
    let start = running_until.map_or(now, |until| until.max(now));
    (start, add_months(start, u32::from(months)))
}

/// `at` plus `months` calendar months at the same China-time clock reading, the day clamped to the
/// target month's length.
pub fn add_months(at: i64, months: u32) -> i64 {
    let local = at + CHINA_OFFSET;
    let (days, second_of_day) = (local.div_euclid(DAY), local.rem_euclid(DAY));
    let (year, month, day) = civil_from_days(days);
    let month_index = year * 12 + i64::from(month) - 1 + i64::from(months);
    let (year, month) = (month_index.div_euclid(12), (month_index.rem_euclid(12) + 1) as u32);
    let day = day.min(days_in_month(year, month));
    days_from_civil(year, month, day) * DAY + second_of_day - CHINA_OFFSET
}

/// What ending a bought period at `now` gives back: all of it before it starts, nothing once it is
/// over, and in between the whole days not yet begun, pro rata (rounded down to the fen, so the
/// refund never exceeds what was paid). A day already begun counts as used, from its first
/// second: the period's first day has begun the moment it starts, so the quote a member reads just
/// after buying is what cancelling then refunds (it used to read "all of it" for that one second).
pub fn refund(paid: Money, start: i64, end: i64, now: i64) -> Money {
    if now < start {
        return paid;
    }
    if now >= end || end <= start {
        return Money::from_fen(0);
    }
    let total_days = (end - start + DAY - 1) / DAY;
    let days_begun = (now - start) / DAY + 1;
    let unused_days = (total_days - days_begun).max(0);
    Money::from_fen((i128::from(paid.fen()) * i128::from(unused_days) / i128::from(total_days)) as i64)
}

/// Paid promotion of a task in the hall. Promoted tasks are always labelled as such.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    /// 置顶: shown in the promoted strip above the hall's results.
    Pin,
    /// 加急: an "urgent" label on the task's card.
    Urgent,
}

impl PromotionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PromotionKind::Pin => "pin",
            PromotionKind::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<PromotionKind> {
        [PromotionKind::Pin, PromotionKind::Urgent].into_iter().find(|kind| kind.as_str() == s)
    }
}

/// One promotion a merchant can buy for an open task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromotionOffer {
    pub kind: PromotionKind,
    pub days: u8,
    pub price: Money,
}

/// The offers, ¥30–¥80 as the business plan prices them.
pub const PROMOTION_OFFERS: [PromotionOffer; 4] = [
    PromotionOffer { kind: PromotionKind::Pin, days: 3, price: Money::from_fen(3_000) },
    PromotionOffer { kind: PromotionKind::Pin, days: 7, price: Money::from_fen(6_000) },
    PromotionOffer { kind: PromotionKind::Pin, days: 14, price: Money::from_fen(8_000) },
    PromotionOffer { kind: PromotionKind::Urgent, days: 7, price: Money::from_fen(3_000) },
];

pub fn promotion_offer(kind: PromotionKind, days: u8) -> Option<PromotionOffer> {
    PROMOTION_OFFERS.into_iter().find(|offer| offer.kind == kind && offer.days == days)
}

/// How many pinned tasks the hall shows above its results at most, so promotion never crowds out
/// the results a developer asked for.
pub const PINNED_SHOWN: i64 = 3;

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day number from 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix seconds of a China-time date and clock reading.
    fn china(year: i64, month: u32, day: u32, hour: i64) -> i64 {
        days_from_civil(year, month, day) * DAY + hour * 3600 - CHINA_OFFSET
    }

    fn terms(plan: Plan) -> PlanTerms {
        PlanTerms {
            plan,
            monthly_price: Money::from_fen(1_990),
            daily_applications: 60,
            open_tasks: 1_000,
            commission_discount_bps: 300,
        }
    }

    #[test]
    fn a_month_is_a_calendar_month_in_china_time() {
        assert_eq!(add_months(china(2026, 1, 15, 10), 1), china(2026, 2, 15, 10));
        assert_eq!(add_months(china(2026, 1, 31, 23), 1), china(2026, 2, 28, 23), "clamped to February");
        assert_eq!(add_months(china(2028, 1, 31, 0), 1), china(2028, 2, 29, 0), "leap year");
        assert_eq!(add_months(china(2026, 11, 30, 8), 3), china(2027, 2, 28, 8), "across the year");
        assert_eq!(add_months(china(2026, 12, 1, 1), 12), china(2027, 12, 1, 1));
        // 00:30 in China is the previous day in UTC: the month follows China's calendar.
        assert_eq!(add_months(china(2026, 3, 1, 0), 1), china(2026, 4, 1, 0));
    }

    #[test]
    fn buying_while_a_period_runs_starts_where_it_ends() {
        let now = china(2026, 11, 24, 12);
        assert_eq!(period(now, None, 1), (now, china(2026, 12, 24, 12)));
        let running_until = china(2026, 12, 10, 9);
        assert_eq!(period(now, Some(running_until), 1), (running_until, china(2027, 1, 10, 9)));
        // A period that already ended does not pull the new one into the past.
        assert_eq!(period(now, Some(china(2026, 1, 1, 0)), 1).0, now);
    }

    #[test]
    fn a_year_costs_ten_months() {
        let monthly = Money::from_fen(4_900);
        assert_eq!(price_of(monthly, 1), Money::from_fen(4_900));
        assert_eq!(price_of(monthly, 3), Money::from_fen(14_700));
        assert_eq!(price_of(monthly, 12), Money::from_fen(49_000));
    }

    #[test]
    fn ending_early_refunds_the_whole_days_not_yet_begun() {
        let paid = Money::from_fen(4_900);
        let start = china(2026, 11, 1, 0);
        let end = china(2026, 12, 1, 0); // 30 days
        assert_eq!(refund(paid, start, end, start - 1), paid, "not started: all of it");
        assert_eq!(refund(paid, start, end, start), Money::from_fen(4_736), "the first day began: 4900*29/30");
        assert_eq!(refund(paid, start, end, start + 1), Money::from_fen(4_736), "29 of 30 days");
        assert_eq!(refund(paid, start, end, china(2026, 11, 16, 0) - 1), Money::from_fen(2_450), "15 of 30 days");
        assert_eq!(
            refund(paid, start, end, china(2026, 11, 16, 0)),
            Money::from_fen(2_286),
            "the 16th began at midnight"
        );
        assert_eq!(refund(paid, start, end, end - 1), Money::from_fen(0), "the last day has begun");
        assert_eq!(refund(paid, start, end, end + DAY), Money::from_fen(0));
    }

    #[test]
    fn a_refund_never_exceeds_the_price() {
        let paid = Money::from_fen(19_900);
        let (start, end) = (china(2026, 1, 31, 5), china(2026, 2, 28, 5));
        for hour in 0..(31 * 24) {
            let back = refund(paid, start, end, start + hour * 3600);
            assert!(back <= paid && back.fen() >= 0);
        }
    }

    #[test]
    fn plans_raise_the_free_tier_and_never_lower_it() {
        assert_eq!(Benefits::of(&[]), Benefits::FREE);
        let premium = Benefits::of(&[terms(Plan::Premium)]);
        assert_eq!(premium.daily_applications, 60);
        assert!(premium.highlighted && !premium.advanced_challenges);
        let pass = Benefits::of(&[terms(Plan::GrowthPass)]);
        assert!(pass.advanced_challenges);
        assert_eq!(pass.daily_applications, FREE_DAILY_APPLICATIONS);
        let enterprise = Benefits::of(&[terms(Plan::Enterprise)]);
        assert_eq!((enterprise.open_tasks, enterprise.commission_discount_bps), (1_000, 300));
        let stingy =
            PlanTerms { daily_applications: 1, open_tasks: 1, commission_discount_bps: 9_999, ..terms(Plan::Premium) };
        let benefits = Benefits::of(&[stingy, PlanTerms { plan: Plan::Enterprise, ..stingy }]);
        assert_eq!(benefits.daily_applications, FREE_DAILY_APPLICATIONS);
        assert_eq!(benefits.open_tasks, FREE_OPEN_TASKS);
        assert_eq!(benefits.commission_discount_bps, MAX_DISCOUNT_BPS, "capped");
    }

    #[test]
    fn an_admins_plan_form_is_checked_field_by_field() {
        let form = PlanForm {
            price: "49".into(),
            daily_applications: "0".into(),
            open_tasks: "0".into(),
            discount_percent: "3".into(),
        };
        let terms = form.parse(Plan::GrowthPass).expect("valid");
        assert_eq!((terms.monthly_price, terms.commission_discount_bps), (Money::from_fen(4_900), 300));
        let bad = PlanForm { price: "0".into(), open_tasks: "lots".into(), discount_percent: "9".into(), ..form };
        let fields: Vec<Field> = bad.parse(Plan::Enterprise).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Amount, Field::OpenTasks, Field::Rate]);
    }

    #[test]
    fn plans_are_sold_to_their_audience() {
        assert_eq!(Plan::GrowthPass.audience(), Role::Developer);
        assert_eq!(Plan::Premium.audience(), Role::Developer);
        assert_eq!(Plan::Enterprise.audience(), Role::Merchant);
        for plan in Plan::ALL {
            assert_eq!(Plan::parse(plan.as_str()), Some(plan));
        }
    }

    #[test]
    fn promotions_cost_thirty_to_eighty_yuan() {
        for offer in PROMOTION_OFFERS {
            assert!((3_000..=8_000).contains(&offer.price.fen()), "{offer:?}");
        }
        assert_eq!(promotion_offer(PromotionKind::Pin, 7).map(|o| o.price), Some(Money::from_fen(6_000)));
        assert_eq!(promotion_offer(PromotionKind::Urgent, 3), None);
    }
}
