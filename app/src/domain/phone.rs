//! Phone numbers and one-time SMS codes (手机号验证码): the rules, with no I/O. A developer or
//! merchant binds a mainland mobile number to their account once (proved by a code), and can then
//! log in with a fresh code instead of a password, as Chinese users expect.

use super::validation::Problem;
use serde::{Deserialize, Serialize};

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// How long a code may be used after it was sent.
pub const CODE_LIFETIME_SECS: i64 = 5 * 60;
/// Wrong guesses a code survives; the next wrong one ends it. Six digits and five guesses give an
/// attacker one chance in 200,000 per code sent, and sending is slowed by the limits below.
pub const MAX_FAILED_ATTEMPTS: i32 = 5;
/// The least time between two codes to one number for one purpose.
pub const RESEND_AFTER_SECS: i64 = 60;
/// Codes one number may be sent in a day (China time), whoever asks: SMS costs money, and a
/// stranger must not be able to flood someone's phone.
pub const DAILY_CODES_PER_NUMBER: i64 = 10;

/// A mainland China mobile number, kept as E.164 (`+8613812345678`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Reads a number as people type it: with or without +86 / 0086, with spaces, dashes or
    /// brackets between the digits. Mobile numbers are 11 digits starting 13–19.
    pub fn parse(input: &str) -> Result<Self, Problem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Problem::Required);
        }
        if trimmed.chars().count() > 32 {
            return Err(Problem::InvalidPhone);
        }
        let kept: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
        // After a '+', only China's country code is ours: "+1 415 555 0100" is 11 digits too.
        let (international, digits) = match kept.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, kept.as_str()),
        };
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Problem::InvalidPhone);
        }
        let national = match digits.len() {
            11 if !international => digits,
            13 if digits.starts_with("86") => &digits[2..],
            15 if !international && digits.starts_with("0086") => &digits[4..],
            _ => return Err(Problem::InvalidPhone),
        };
        let bytes = national.as_bytes();
        if bytes[0] != b'1' || !(b'3'..=b'9').contains(&bytes[1]) {
            return Err(Problem::InvalidPhone);
        }
        Ok(PhoneNumber(format!("+86{national}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The 11 national digits, as a form shows them back.
    pub fn national(&self) -> &str {
        &self.0[3..]
    }

    /// `138****5678`: enough for its owner to recognise, too little for anyone else.
    pub fn masked(&self) -> String {
        mask(self.national())
    }
}

/// Masks the middle four of 11 national digits (anything else is masked whole).
pub fn mask(national: &str) -> String {
    if national.len() == 11 && national.is_ascii() {
        format!("{}****{}", &national[..3], &national[7..])
    } else {
        "****".to_string()
    }
}

/// What a code is for. A code proves one thing only: a binding code cannot log anyone in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    Login,
    Bind,
    /// Resetting a forgotten password (`api::security`); anyone may ask, like a login code.
    Reset,
}

impl CodePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            CodePurpose::Login => "login",
            CodePurpose::Bind => "bind",
            CodePurpose::Reset => "reset",
        }
    }
}

/// The six digits of a code drawn from a random number (uniform enough: 2^32 is not a multiple
/// of 10^6, which skews each code's chance by less than one part in 4,000).
pub fn code_from(random: u32) -> String {
    format!("{:0width$}", random % 10u32.pow(CODE_DIGITS as u32), width = CODE_DIGITS)
}

/// Only digits are compared, so "123 456" and full-width "１２３４５６" from a phone keyboard work.
pub fn normalise_code(input: &str) -> Result<String, Problem> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if digits.is_empty() {
        return Err(Problem::Required);
    }
    if digits.len() != CODE_DIGITS || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::InvalidCode);
    }
    Ok(digits)
}

/// Seconds until another code may be sent, given the newest one's age (0: now).
pub fn resend_in(newest_age_secs: Option<i64>) -> u32 {
    newest_age_secs.map_or(0, |age| (RESEND_AFTER_SECS - age).max(0) as u32)
}

/// Whether another code may be sent now, given the newest one's age and today's count.
pub fn may_send(newest_age_secs: Option<i64>, sent_today: i64) -> Result<(), Problem> {
    let seconds = resend_in(newest_age_secs);
    if seconds > 0 {
        return Err(Problem::ResendTooSoon { seconds });
    }
    if sent_today >= DAILY_CODES_PER_NUMBER {
        return Err(Problem::TooMany { max: DAILY_CODES_PER_NUMBER as u32 });
    }
    Ok(())
}

/// The newest code for a number and purpose, as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredCode {
    pub age_secs: i64,
    pub failed_attempts: i32,
    pub used: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Wrong digits; the code stays good for `attempts_left` more tries (0: it is now spent).
    Wrong {
        attempts_left: u32,
    },
    /// Used, out of tries, or too old: a new one must be sent.
    Dead,
}

/// Judges a typed code against the newest one sent (`matches`: its digits are right).
pub fn judge(code: StoredCode, matches: bool) -> Verdict {
    if code.used || code.failed_attempts >= MAX_FAILED_ATTEMPTS || code.age_secs >= CODE_LIFETIME_SECS {
        return Verdict::Dead;
    }
    if matches {
        Verdict::Accepted
    } else {
        Verdict::Wrong { attempts_left: (MAX_FAILED_ATTEMPTS - code.failed_attempts - 1).max(0) as u32 }
    }
}

impl Verdict {
    /// The problem shown under the code field when the code was not accepted.
    pub fn problem(self) -> Option<Problem> {
        match self {
            Verdict::Accepted => None,
            Verdict::Wrong { attempts_left: 0 } | Verdict::Dead => Some(Problem::CodeExpired),
            Verdict::Wrong { attempts_left } => Some(Problem::WrongCode { attempts_left }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_read_the_ways_people_type_them() {
        for typed in
            ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "8613812345678", "0086 13812345678"]
        {
            assert_eq!(PhoneNumber::parse(typed).unwrap().e164(), "+8613812345678", "{typed}");
        }
        let number = PhoneNumber::parse("19912345678").unwrap();
        assert_eq!((number.national(), number.masked().as_str()), ("19912345678", "199****5678"));
    }

    #[test]
    fn other_inputs_are_refused_with_a_reason() {
        assert_eq!(PhoneNumber::parse("  "), Err(Problem::Required));
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "23812345678",
            "138l2345678",
            "+1 415 555 0100",
            "010-12345678",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(Problem::InvalidPhone), "{bad}");
        }
        assert_eq!(PhoneNumber::parse(&"1".repeat(10_000)), Err(Problem::InvalidPhone));
    }

    #[test]
    fn codes_are_six_digits_and_typed_codes_are_normalised() {
        assert_eq!(code_from(42), "000042");
        assert_eq!(code_from(u32::MAX), "967295");
        assert_eq!(normalise_code(" 123 456 "), Ok("123456".into()));
        assert_eq!(normalise_code("１２３４５６"), Ok("123456".into()));
        assert_eq!(normalise_code(""), Err(Problem::Required));
        assert_eq!(normalise_code("12345"), Err(Problem::InvalidCode));
        assert_eq!(normalise_code("12345a"), Err(Problem::InvalidCode));
    }

    #[test]
    fn sending_waits_a_minute_between_codes_and_stops_after_ten_a_day() {
        assert_eq!(may_send(None, 0), Ok(()));
        assert_eq!(may_send(Some(0), 1), Err(Problem::ResendTooSoon { seconds: 60 }));
        assert_eq!(may_send(Some(59), 1), Err(Problem::ResendTooSoon { seconds: 1 }));
        assert_eq!(may_send(Some(60), 9), Ok(()));
        assert_eq!(may_send(Some(3600), 10), Err(Problem::TooMany { max: 10 }));
        assert_eq!((resend_in(None), resend_in(Some(45)), resend_in(Some(600))), (0, 15, 0));
    }

    #[test]
    fn a_code_is_good_once_within_five_minutes_and_five_wrong_guesses() {
        let fresh = StoredCode { age_secs: 10, failed_attempts: 0, used: false };
        assert_eq!(judge(fresh, true), Verdict::Accepted);
        assert_eq!(judge(fresh, false), Verdict::Wrong { attempts_left: 4 });
        assert_eq!(judge(fresh, false).problem(), Some(Problem::WrongCode { attempts_left: 4 }));
        let last_try = StoredCode { failed_attempts: 4, ..fresh };
        assert_eq!(judge(last_try, false), Verdict::Wrong { attempts_left: 0 });
        assert_eq!(judge(last_try, false).problem(), Some(Problem::CodeExpired));
        assert_eq!(judge(last_try, true), Verdict::Accepted);
        assert_eq!(judge(StoredCode { failed_attempts: 5, ..fresh }, true), Verdict::Dead, "out of tries");
        assert_eq!(judge(StoredCode { used: true, ..fresh }, true), Verdict::Dead, "used");
        assert_eq!(judge(StoredCode { age_secs: CODE_LIFETIME_SECS, ..fresh }, true), Verdict::Dead, "too old");
        assert_eq!(Verdict::Accepted.problem(), None);
    }
}
