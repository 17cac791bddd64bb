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
    fn serialises_as_plain_fen() {
        assert_eq!(serde_json::to_string(&Money::from_fen(1250)).unwrap(), "1250");
    }
}
