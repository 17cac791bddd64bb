//! Money as integer fen (1 yuan = 100 fen). Floats never touch an amount: a float cannot represent
//! 0.10 exactly, and a ledger that drifts by a fen is a ledger nobody trusts.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const fn from_fen(fen: i64) -> Self {
        Money(fen)
    }

    pub const fn fen(self) -> i64 {
        self.0
    }

    /// "¥1,234.50": yuan with two decimals and thousands separators, the way Chinese shops print prices.
    pub fn display_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (yuan, fen) = (abs / 100, abs % 100);
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}¥{grouped}.{fen:02}")
    }

    /// "1234.5", "¥1,234.50", "１２３" (full-width digits from a Chinese IME): yuan with at most two
    /// decimals. None for anything else, including negative amounts and more than ¥10 亿.
    pub fn parse_yuan(input: &str) -> Option<Money> {
        let normalised: String = input
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' | '。' => '.',
                _ => c,
            })
            .collect();
        let (yuan, fen) = match normalised.split_once('.') {
            Some((yuan, fen)) => (yuan, fen),
            None => (normalised.as_str(), ""),
        };
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(yuan) || yuan.len() > 10 || (!fen.is_empty() && !digits(fen)) || fen.len() > 2 {
            return None;
        }
        let yuan: i64 = yuan.parse().ok()?;
        let fen: i64 = format!("{fen:0<2}").parse().ok()?;
        (yuan <= 1_000_000_000).then(|| Money(yuan * 100 + fen))
    }

    /// "1234.50": the plain form an input field shows.
    pub fn plain_yuan(self) -> String {
        format!("{}.{:02}", self.0 / 100, self.0.abs() % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_two_decimals_and_grouping() {
        assert_eq!(Money::from_fen(0).display_yuan(), "¥0.00");
        assert_eq!(Money::from_fen(5).display_yuan(), "¥0.05");
        assert_eq!(Money::from_fen(4250).display_yuan(), "¥42.50");
        assert_eq!(Money::from_fen(100_000).display_yuan(), "¥1,000.00");
        assert_eq!(Money::from_fen(123_456_789).display_yuan(), "¥1,234,567.89");
        assert_eq!(Money::from_fen(-1999).display_yuan(), "-¥19.99");
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse_yuan("1234.5"), Some(Money::from_fen(123_450)));
        assert_eq!(Money::parse_yuan(" ¥1,234.56 "), Some(Money::from_fen(123_456)));
        assert_eq!(Money::parse_yuan("￥８８"), Some(Money::from_fen(8_800)));
        assert_eq!(Money::parse_yuan("0.05"), Some(Money::from_fen(5)));
        for bad in ["", "-5", "1.234", "abc", "1e5", ".5", "99999999999", "1.2.3"] {
            assert_eq!(Money::parse_yuan(bad), None, "{bad:?}");
        }
        assert_eq!(Money::from_fen(123_450).plain_yuan(), "1234.50");
    }

    #[test]
    fn serialises_as_plain_fen() {
        assert_eq!(serde_json::to_string(&Money::from_fen(1250)).unwrap(), "1250");
    }
}
