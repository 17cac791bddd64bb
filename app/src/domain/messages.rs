//! Task conversations: what a message may hold, and the masking of contact details typed before a
//! developer is chosen, which keeps the deal (and the money) on the escrowed platform.

use super::validation::{check_length, Field, FieldError};

pub const BODY_CHARS: u32 = 2_000;
/// One attachment per message, at most this large.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// What masked details are replaced with; the page explains why in the reader's language.
pub const MASK: &str = "***";

/// A message needs text or a file; text alone is bounded.
pub fn check_body(body: &str, has_file: bool) -> Result<&str, FieldError> {
    let body = body.trim();
    check_length(Field::Message, body, if has_file { 0 } else { 1 }, BODY_CHARS)?;
    Ok(body)
}

/// Whether this conversation's messages are masked: until its developer is the one chosen.
pub fn masks_contacts(chosen_developer: Option<uuid::Uuid>, conversation_developer: uuid::Uuid) -> bool {
    chosen_developer != Some(conversation_developer)
}

#[cfg(feature = "ssr")]
mod masking {
    use super::MASK;
    use regex::Regex;
    use std::sync::LazyLock;

    /// Phone numbers (mainland mobiles with or without +86 and separators, landlines with an area
    /// code), e-mail addresses, and WeChat or QQ ids named as such ("微信: abc_123", "vx abc123",
    /// "QQ 12345678"). Plain numbers without such a name (amounts, dates, versions) are left alone.
    static CONTACT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?xi)
            (?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}
            | \b0\d{2,3}-\d{7,8}\b
            | [a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}
            | (?:微信|威信|v信|weixin|wechat|vx|wx)\s*(?:号|id)?\s*[:：]?\s*[a-z][-_a-z0-9]{5,19}
            | (?:qq|扣扣)\s*(?:号)?\s*[:：]?\s*[1-9]\d{4,11}
            ",
        )
        .expect("the contact pattern compiles")
    });

    /// The one gate for text between a developer and a merchant: what is kept (and shown) of a
    /// text sent in the conversation of `developer` on a task whose chosen developer is
    /// `chosen_developer`, with whether anything was masked. Messages and application pitches
    /// (always sent before a choice) pass here, so a phone number cannot reach the merchant by
    /// another field than the one the masking was written for.
    pub fn guard_contacts(text: &str, chosen_developer: Option<uuid::Uuid>, developer: uuid::Uuid) -> (String, bool) {
        if super::masks_contacts(chosen_developer, developer) {
            mask_contacts(text)
        } else {
            (text.to_string(), false)
        }
    }

    /// The text with every contact detail replaced by the mask, and whether anything was.
    pub fn mask_contacts(text: &str) -> (String, bool) {
        let masked = CONTACT.replace_all(text, MASK);
        let changed = masked != text;
        (masked.into_owned(), changed)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn phones_emails_and_named_ids_are_masked() {
            for (sent, expected) in [
                ("我的手机 13812345678，随时联系", "我的手机 ***，随时联系"),
                ("call +86 138-1234-5678 please", "call *** please"),
                ("座机 010-62345678", "座机 ***"),
                ("邮箱 li.lei@example.com 发需求", "邮箱 *** 发需求"),
                ("加我微信：lilei_2024 聊", "加我*** 聊"),
                ("vx abc12345", "***"),
                ("WeChat ID: dev-wang88", "***"),
                ("QQ号 12345678", "***"),
            ] {
                assert_eq!(mask_contacts(sent), (expected.to_string(), true), "{sent}");
            }
        }

        #[test]
        fn ordinary_numbers_and_words_are_left_alone() {
            for text in [
                "报酬 1500 元，3 天交付，版本 1.2.3",
                "订单号 20261124 的数据看板",
                "用 Rust 和 PostgreSQL 16 实现",
                "微信小程序开发经验",
                "see https://github.com/codelink/app for the repo",
            ] {
                assert_eq!(mask_contacts(text), (text.to_string(), false), "{text}");
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use masking::guard_contacts;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::Problem;

    #[test]
    fn a_message_needs_text_or_a_file() {
        assert_eq!(check_body("  你好 ", false), Ok("你好"));
        assert_eq!(check_body("", true), Ok(""));
        assert_eq!(check_body(" ", false), Err(FieldError::new(Field::Message, Problem::Required)));
        assert!(check_body(&"字".repeat(2_001), false).is_err());
    }

    #[test]
    fn only_the_chosen_developers_conversation_is_unmasked() {
        let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        assert!(masks_contacts(None, a));
        assert!(masks_contacts(Some(b), a));
        assert!(!masks_contacts(Some(a), a));
    }
}
