//! Moderation rules: which published tasks wait for an admin, how long a suspension may be, and how
//! an admin's dispute decision divides the escrow. Pure; `db::moderation` applies them.

use super::money::Money;
use serde::{Deserialize, Serialize};

/// A new merchant's first tasks wait for approval; from the next one on they publish directly.
pub const REVIEWED_FIRST_TASKS: u32 = 2;

/// Suspensions run from one day to a year.
pub const SUSPENSION_DAYS: std::ops::RangeInclusive<u32> = 1..=365;

/// Why a published task waits for an admin instead of going to the hall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hold {
    /// The merchant has fewer than `REVIEWED_FIRST_TASKS` approved tasks.
    NewMerchant,
    /// The text contains words on the admins' block list (listed as found).
    BlockedWords { words: Vec<String> },
}

impl Hold {
    /// As stored in `tasks.moderation_note` and shown to admins: "new_merchant" or "blocked: a, b".
    pub fn note(&self) -> String {
        match self {
            Hold::NewMerchant => "new_merchant".into(),
            Hold::BlockedWords { words } => format!("blocked: {}", words.join(", ")),
        }
    }

    pub fn from_note(note: &str) -> Option<Hold> {
        if note == "new_merchant" {
            return Some(Hold::NewMerchant);
        }
        let words = note.strip_prefix("blocked: ")?;
        Some(Hold::BlockedWords { words: words.split(", ").map(str::to_string).collect() })
    }
}

/// Decides whether a task being published waits for review. Blocked words win over the newcomer
/// rule, because they are what the admin must look at.
pub fn hold_for_review(approved_before: u32, text: &str, blocked: &[String]) -> Option<Hold> {
    let words = blocked_words_in(text, blocked);
    if !words.is_empty() {
        Some(Hold::BlockedWords { words })
    } else if approved_before < REVIEWED_FIRST_TASKS {
        Some(Hold::NewMerchant)
    } else {
        None
    }
}

/// The block-list entries found in `text`, case-insensitively and as substrings: Chinese has no
/// spaces to split on, so "刷单" must be found inside "招人刷单返现".
pub fn blocked_words_in(text: &str, blocked: &[String]) -> Vec<String> {
    let haystack = text.to_lowercase();
    let mut found: Vec<String> = blocked
        .iter()
        .map(|word| word.trim().to_lowercase())
        .filter(|word| !word.is_empty() && haystack.contains(word.as_str()))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Cleans a block-list entry as typed: trimmed, lower-case, 1–40 characters.
pub fn normalise_blocked_word(input: &str) -> Option<String> {
    let word = input.trim().to_lowercase();
    (1..=40).contains(&word.chars().count()).then_some(word)
}

/// How an admin divides a disputed milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitBy {
    /// The developer's share as a percentage (0–100) of the disputed amount.
    Percent,
    /// The developer's share in yuan.
    Amount,
}

/// The developer's share of `disputed` as the admin typed it. Percentages round down to the fen,
/// so the merchant gets the odd fen. None when it is not a number or exceeds the amount.
pub fn developer_share(disputed: Money, by: SplitBy, input: &str) -> Option<Money> {
    let share = match by {
        SplitBy::Amount => Money::parse_yuan(input)?,
        SplitBy::Percent => {
            let percent: u32 = input.trim().trim_end_matches(['%', '％']).trim().parse().ok()?;
            if percent > 100 {
                return None;
            }
            Money::from_fen(disputed.fen() * percent as i64 / 100)
        }
    };
    (share <= disputed).then_some(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_new_merchants_first_tasks_wait_then_publish_directly() {
        assert_eq!(hold_for_review(0, "做一个小程序", &[]), Some(Hold::NewMerchant));
        assert_eq!(hold_for_review(1, "做一个小程序", &[]), Some(Hold::NewMerchant));
        assert_eq!(hold_for_review(REVIEWED_FIRST_TASKS, "做一个小程序", &[]), None);
    }

    #[test]
    fn blocked_words_are_found_inside_chinese_text_and_in_any_case() {
        let blocked = list(&["刷单", "Crypto Pump"]);
        assert_eq!(
            hold_for_review(10, "招人刷单返现，另有 crypto pump 群", &blocked),
            Some(Hold::BlockedWords { words: list(&["crypto pump", "刷单"]) })
        );
        assert_eq!(hold_for_review(10, "做一个数据分析看板", &blocked), None);
        assert_eq!(
            hold_for_review(0, "刷单", &blocked),
            Some(Hold::BlockedWords { words: list(&["刷单"]) }),
            "blocked words are named even for a new merchant"
        );
    }

    #[test]
    fn a_hold_survives_its_stored_note() {
        for hold in [Hold::NewMerchant, Hold::BlockedWords { words: list(&["a b", "刷单"]) }] {
            assert_eq!(Hold::from_note(&hold.note()), Some(hold));
        }
        assert_eq!(Hold::from_note(""), None);
    }

    #[test]
    fn block_list_entries_are_trimmed_and_bounded() {
        assert_eq!(normalise_blocked_word("  VPN "), Some("vpn".into()));
        assert_eq!(normalise_blocked_word("   "), None);
        assert_eq!(normalise_blocked_word(&"字".repeat(41)), None);
    }

    #[test]
    fn a_dispute_splits_by_percent_or_amount_and_never_beyond_the_escrow() {
        let disputed = Money::from_fen(100_001);
        assert_eq!(developer_share(disputed, SplitBy::Percent, "70"), Some(Money::from_fen(70_000)));
        assert_eq!(developer_share(disputed, SplitBy::Percent, "70%"), Some(Money::from_fen(70_000)));
        assert_eq!(developer_share(disputed, SplitBy::Percent, "100"), Some(disputed));
        assert_eq!(developer_share(disputed, SplitBy::Percent, "101"), None);
        assert_eq!(developer_share(disputed, SplitBy::Percent, "-5"), None);
        assert_eq!(developer_share(disputed, SplitBy::Amount, "300.5"), Some(Money::from_fen(30_050)));
        assert_eq!(developer_share(disputed, SplitBy::Amount, "1000.02"), None);
        assert_eq!(developer_share(disputed, SplitBy::Amount, "abc"), None);
    }
}
