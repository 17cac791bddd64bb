//! The platform commission, itemised the same way for the merchant (before publishing), the developer
//! (before applying and on the payout) and the ledger (on release).
//!
//! Rates are basis points (1 bp = 0.01 %), so every figure stays an integer. The commission is
//! rounded **down** to the fen: any rounding remainder goes to the developer, never to the platform.

use super::{
    level::Level,
    money::Money,
    tasks::Category,
    validation::{Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// A commission rate in basis points, within the 5 %–15 % band the platform promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct CommissionRate(u32);

impl CommissionRate {
    pub const MIN_BPS: u32 = 500;
    pub const MAX_BPS: u32 = 1_500;
    pub const DEFAULT: CommissionRate = CommissionRate(1_000);

    pub fn from_bps(bps: u32) -> Option<Self> {
        (Self::MIN_BPS..=Self::MAX_BPS).contains(&bps).then_some(CommissionRate(bps))
    }

    pub fn bps(self) -> u32 {
        self.0
    }

    /// Lowered by `discount_bps` for higher developer levels, but never below the 5 % floor.
    pub fn discounted(self, discount_bps: u32) -> Self {
        CommissionRate(self.0.saturating_sub(discount_bps).max(Self::MIN_BPS))
    }

    /// The rate a developer at `level` is paid at on a task funded at this rate: the one place the
    /// level discount is applied, by the payout and by every page that itemises one.
    pub fn for_payee(self, level: Level) -> Self {
        self.discounted(level.commission_discount_bps())
    }

    /// A rate typed by an admin as a percentage: "8", "8.5", "12.25%" (at most two decimals).
    pub fn parse_percent(text: &str) -> Result<Self, FieldError> {
        let out_of_range =
            FieldError::new(Field::Rate, Problem::PercentOutOfRange { min_bps: Self::MIN_BPS, max_bps: Self::MAX_BPS });
        let text = text.trim().trim_end_matches(['%', '％']).trim();
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
        if text.is_empty() {
            return Err(FieldError::new(Field::Rate, Problem::Required));
        }
        if !digits(whole) || !(frac.is_empty() || digits(frac)) {
            return Err(out_of_range);
        }
        let hundredths = format!("{frac:0<2}").parse::<u32>().map_err(|_| out_of_range)?;
        let bps = whole.parse::<u32>().map_err(|_| out_of_range)? * 100 + hundredths;
        CommissionRate::from_bps(bps).ok_or(out_of_range)
    }

    /// "10%" or "12.5%": for labels next to the itemised amounts.
    pub fn percent_label(self) -> String {
        percent_label(self.0)
    }
}

/// Basis points as a percentage without trailing zeros: 1000 → "10%", 1250 → "12.5%", 875 → "8.75%".
pub fn percent_label(bps: u32) -> String {
    let whole = bps / 100;
    match bps % 100 {
        0 => format!("{whole}%"),
        frac if frac % 10 == 0 => format!("{whole}.{}%", frac / 10),
        frac => format!("{whole}.{frac:02}%"),
    }
}

impl TryFrom<u32> for CommissionRate {
    type Error = String;
    fn try_from(bps: u32) -> Result<Self, String> {
        CommissionRate::from_bps(bps).ok_or_else(|| format!("commission {bps} bp is outside 5%–15%"))
    }
}

impl From<CommissionRate> for u32 {
    fn from(rate: CommissionRate) -> u32 {
        rate.0
    }
}

/// The commission rates in effect at one moment, newest first: `(Some(category), rate)` for a
/// category's own rate, `(None, rate)` for the platform default that categories without one pay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RateBook(pub Vec<(Option<Category>, CommissionRate)>);

impl RateBook {
    /// A category's newest own rate, else the default.
    pub fn rate_for(&self, category: Category) -> CommissionRate {
        self.newest(Some(category)).unwrap_or_else(|| self.default_rate())
    }

    /// The newest platform default, else 10 %.
    pub fn default_rate(&self) -> CommissionRate {
        self.newest(None).unwrap_or(CommissionRate::DEFAULT)
    }

    fn newest(&self, category: Option<Category>) -> Option<CommissionRate> {
        self.0.iter().find(|(c, _)| *c == category).map(|(_, rate)| *rate)
    }
}

/// The rates one merchant's tasks are funded at: the rate book less the merchant's membership
/// discount. The task form's preview, a draft's figures and publishing all ask this one rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MerchantRates {
    pub book: RateBook,
    pub discount_bps: u32,
}

impl MerchantRates {
    /// The rate a task of `category` is funded at now (the platform default before one is chosen).
    pub fn rate_for(&self, category: Option<Category>) -> CommissionRate {
        category.map_or_else(|| self.book.default_rate(), |c| self.book.rate_for(c)).discounted(self.discount_bps)
    }
}

/// What a reward becomes on release: every fen accounted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayoutSplit {
    pub reward: Money,
    pub rate: CommissionRate,
    pub commission: Money,
    pub developer_receives: Money,
}

impl PayoutSplit {
    pub fn of(reward: Money, rate: CommissionRate) -> Self {
        // i128 so that no reward, however large, can overflow the multiplication.
        let commission = (reward.fen() as i128 * rate.bps() as i128 / 10_000) as i64;
        PayoutSplit {
            reward,
            rate,
            commission: Money::from_fen(commission),
            developer_receives: Money::from_fen(reward.fen() - commission),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merchants_rate_is_the_book_less_their_discount_never_under_the_floor() {
        let design = CommissionRate::from_bps(1_200).unwrap();
        let book = RateBook(vec![(Some(Category::Design), design), (None, CommissionRate::DEFAULT)]);
        let enterprise = MerchantRates { book: book.clone(), discount_bps: 300 };
        assert_eq!(enterprise.rate_for(None).bps(), 700, "the default 10% less 3 points, as publishing charges");
        assert_eq!(enterprise.rate_for(Some(Category::Design)).bps(), 900);
        let generous = MerchantRates { book, discount_bps: 900 };
        assert_eq!(generous.rate_for(None).bps(), CommissionRate::MIN_BPS);
    }

    #[test]
    fn rates_stay_in_the_promised_band() {
        assert!(CommissionRate::from_bps(499).is_none());
        assert!(CommissionRate::from_bps(500).is_some());
        assert!(CommissionRate::from_bps(1_500).is_some());
        assert!(CommissionRate::from_bps(1_501).is_none());
        assert_eq!(CommissionRate::DEFAULT.discounted(200).bps(), 800);
        assert_eq!(CommissionRate::DEFAULT.discounted(9_999).bps(), 500, "never below 5%");
    }

    #[test]
    fn higher_levels_are_paid_at_lower_rates_never_under_the_floor() {
        use crate::domain::growth::Level;
        let rates: Vec<u32> =
            [Level::C, Level::B, Level::A, Level::S].map(|level| CommissionRate::DEFAULT.for_payee(level).bps()).into();
        assert!(rates.windows(2).all(|pair| pair[0] >= pair[1]), "{rates:?}");
        assert_eq!(CommissionRate::DEFAULT.for_payee(Level::C), CommissionRate::DEFAULT);
        let floor = CommissionRate::from_bps(CommissionRate::MIN_BPS).unwrap();
        assert_eq!(floor.for_payee(Level::S), floor);
    }

    #[test]
    fn split_adds_up_and_rounds_in_the_developers_favour() {
        let split = PayoutSplit::of(Money::from_fen(5_000), CommissionRate::DEFAULT);
        assert_eq!(split.commission, Money::from_fen(500));
        assert_eq!(split.developer_receives, Money::from_fen(4_500));

        // 10% of ¥0.99 is 9.9 fen: the platform takes 9, the developer gets 90.
        let odd = PayoutSplit::of(Money::from_fen(99), CommissionRate::DEFAULT);
        assert_eq!((odd.commission.fen(), odd.developer_receives.fen()), (9, 90));

        for fen in [1, 7, 333, 12_345, 99_999_999, i64::MAX / 2] {
            for bps in [500, 875, 1_000, 1_500] {
                let s = PayoutSplit::of(Money::from_fen(fen), CommissionRate::from_bps(bps).unwrap());
                assert_eq!(s.commission.fen() + s.developer_receives.fen(), fen, "no fen lost");
                assert!(s.commission.fen() >= 0 && s.developer_receives.fen() > 0);
            }
        }
    }

    #[test]
    fn admins_type_rates_as_percentages_within_the_band() {
        let bps = |text: &str| CommissionRate::parse_percent(text).map(CommissionRate::bps);
        assert_eq!(bps("8"), Ok(800));
        assert_eq!(bps(" 12.5% "), Ok(1_250));
        assert_eq!(bps("8.75"), Ok(875));
        assert_eq!(bps("15"), Ok(1_500));
        assert_eq!(bps("5.0"), Ok(500));
        assert_eq!(bps(""), Err(FieldError::new(Field::Rate, Problem::Required)));
        for bad in ["4.99", "15.01", "16", "8.755", "-8", "abc", "1e1", "100", ".5"] {
            assert_eq!(
                bps(bad),
                Err(FieldError::new(Field::Rate, Problem::PercentOutOfRange { min_bps: 500, max_bps: 1_500 })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_category_pays_its_own_newest_rate_else_the_default() {
        let rate = |bps| CommissionRate::from_bps(bps).unwrap();
        let book = RateBook(vec![
            (Some(Category::Data), rate(800)),
            (None, rate(1_200)),
            (Some(Category::Data), rate(900)),
            (None, rate(1_000)),
        ]);
        assert_eq!(book.rate_for(Category::Data).bps(), 800);
        assert_eq!(book.rate_for(Category::Backend).bps(), 1_200);
        assert_eq!(RateBook::default().rate_for(Category::Design), CommissionRate::DEFAULT);
    }

    #[test]
    fn percent_labels() {
        assert_eq!(CommissionRate::DEFAULT.percent_label(), "10%");
        assert_eq!(CommissionRate::from_bps(1_250).unwrap().percent_label(), "12.5%");
        assert_eq!(CommissionRate::from_bps(875).unwrap().percent_label(), "8.75%");
    }
}
