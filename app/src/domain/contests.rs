//! Mentor challenges (导师特训挑战): who may run one, what a challenge and an award must say, and
//! the resident-ID check behind the real-name registration participants need.

use super::{
    growth::Level,
    money::Money,
    validation::{check_amount, check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

/// Prizes admins allow: ¥100 to ¥50,000.
pub const PRIZE_RANGE_FEN: (i64, i64) = (10_000, 5_000_000);

/// A mentor is a developer at level S, or an expert an admin invited.
pub fn may_mentor(level: Level, invited: bool) -> bool {
    invited || level == Level::S
}

/// A mainland resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check
/// character, with a plausible date of birth. `X` may be lower-case.
pub fn resident_id_valid(id: &str) -> bool {
    let id = id.trim().to_ascii_uppercase();
    let bytes = id.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = bytes[..17].iter().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    if CHECK[(sum % 11) as usize] != bytes[17] {
        return false;
    }
    let number = |range: std::ops::Range<usize>| id[range].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(6..10), number(10..12), number(12..14));
    (1900..=2100).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// A real name as the ID card has it: 2–20 characters, letters (any script), '·' and spaces.
pub fn check_real_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    check_length(Field::RealName, name, 2, 20)?;
    if !name.chars().all(|c| c.is_alphabetic() || c == '·' || c == ' ') {
        return Err(FieldError::new(Field::RealName, Problem::NotAllowed));
    }
    Ok(name.to_string())
}

/// A real-name registration as typed: the name checked, the resident ID number normalised (upper
/// case, trimmed) and well formed, or the field errors of both. Whether the two belong together is
/// the identity provider's answer, asked after this (`identity::IdentityVerifier`).
pub fn check_identity(real_name: &str, id_number: &str) -> Result<(String, String), Vec<FieldError>> {
    let name = check_real_name(real_name);
    let number = id_number.trim().to_ascii_uppercase();
    let mut fields: Vec<FieldError> = name.as_ref().err().copied().into_iter().collect();
    if !resident_id_valid(&number) {
        fields.push(FieldError::new(Field::IdNumber, Problem::NotAllowed));
    }
    match name {
        Ok(name) if fields.is_empty() => Ok((name, number)),
        _ => Err(fields),
    }
}

/// A challenge entry as typed: the write-up (10 to 5,000 characters) and an optional http(s) link
/// of at most 500 characters, both trimmed.
pub fn check_entry(submission: &str, link: &str) -> Result<(String, String), Vec<FieldError>> {
    let (submission, link) = (submission.trim(), link.trim());
    let mut fields: Vec<FieldError> = check_length(Field::Message, submission, 10, 5_000).err().into_iter().collect();
    let web_link = link.starts_with("https://") || link.starts_with("http://");
    if !link.is_empty() && !web_link || link.len() > 500 {
        fields.push(FieldError::new(Field::Link, Problem::NotAllowed));
    }
    if fields.is_empty() {
        Ok((submission.to_string(), link.to_string()))
    } else {
        Err(fields)
    }
}

/// A challenge as its mentor types it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestForm {
    pub title: String,
    pub brief: String,
    /// Yuan.
    pub prize: String,
    /// The last day to submit, "YYYY-MM-DD" (China time, inclusive).
    pub submit_by: String,
    #[serde(default)]
    pub advanced: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContest {
    pub title: String,
    pub brief: String,
    pub prize: Money,
    pub submit_by: String,
    pub advanced: bool,
}

impl ContestForm {
    /// Every field's problem at once; `today` is China's date ("YYYY-MM-DD"), and the last day
    /// may not be before it.
    pub fn validate(&self, today: &str) -> Result<NewContest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim().to_string();
        let brief = self.brief.trim().to_string();
        if let Err(e) =
            check_length(Field::Title, &title, 4, 80).and_then(|()| check_visible_text(Field::Title, &title, false))
        {
            errors.push(e);
        }
        if let Err(e) = check_length(Field::Description, &brief, 10, 5_000) {
            errors.push(e);
        }
        let prize = check_amount(Field::Reward, &self.prize, PRIZE_RANGE_FEN).map_err(|e| errors.push(e)).ok();
        let submit_by = self.submit_by.trim().to_string();
        match super::challenges::day_of_date(&submit_by) {
            None => errors.push(FieldError::new(Field::Deadline, Problem::InvalidDate)),
            Some(_) if submit_by.as_str() < today => errors.push(FieldError::new(Field::Deadline, Problem::DateInPast)),
            Some(_) => {}
        }
        match prize {
            Some(prize) if errors.is_empty() => {
                Ok(NewContest { title, brief, prize, submit_by, advanced: self.advanced })
            }
            _ => Err(errors),
        }
    }
}

/// The mentor's decision: a review of the winning entry and a recommendation letter.
pub fn check_award(review: &str, recommendation: &str) -> Result<(String, String), Vec<FieldError>> {
    let (review, recommendation) = (review.trim(), recommendation.trim());
    let errors: Vec<FieldError> = [
        check_length(Field::Reason, review, 10, 2_000).err(),
        check_length(Field::Message, recommendation, 10, 2_000).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if errors.is_empty() {
        Ok((review.to_string(), recommendation.to_string()))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_carry_their_check_character() {
        // The standard's published example, and a number ending in X.
        assert!(resident_id_valid("11010519491231002X"));
        assert!(resident_id_valid("11010519491231002x"));
        assert!(resident_id_valid("440524199003071236"));
        assert!(!resident_id_valid("110105194912310021"), "wrong check character");
        assert!(!resident_id_valid("110105194913310021"), "a right check character, but no 13th month");
        assert!(!resident_id_valid("1101051949123100"), "too short");
        assert!(!resident_id_valid("11010519491231002X1"));
        assert!(!resident_id_valid("A1010519491231002X"));
    }

    #[test]
    fn real_names_are_names() {
        assert_eq!(check_real_name(" 张三 "), Ok("张三".into()));
        assert_eq!(check_real_name("阿依古丽·买买提"), Ok("阿依古丽·买买提".into()));
        assert_eq!(check_real_name("张").unwrap_err().problem, Problem::TooShort { min: 2 });
        assert_eq!(check_real_name("张3").unwrap_err().problem, Problem::NotAllowed);
    }

    #[test]
    fn mentors_are_level_s_or_invited() {
        assert!(may_mentor(Level::S, false));
        assert!(may_mentor(Level::C, true));
        assert!(!may_mentor(Level::A, false));
    }

    #[test]
    fn a_challenge_needs_a_brief_a_prize_in_range_and_a_future_last_day() {
        let form = ContestForm {
            title: "高并发订单系统设计".into(),
            brief: "设计一个每秒一万单的下单接口，说明取舍。".into(),
            prize: "2000".into(),
            submit_by: "2026-12-31".into(),
            advanced: true,
        };
        let contest = form.validate("2026-11-24").expect("valid");
        assert_eq!((contest.prize, contest.advanced), (Money::from_fen(200_000), true));
        let bad = ContestForm { prize: "50".into(), submit_by: "2026-11-01".into(), ..form };
        let fields: Vec<Field> = bad.validate("2026-11-24").unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Reward, Field::Deadline]);
    }

    #[test]
    fn an_award_says_why_and_recommends() {
        assert!(check_award("架构清晰，压测数据扎实。", "推荐该开发者承担高并发后端工作。").is_ok());
        let fields: Vec<Field> = check_award("好", "").unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Reason, Field::Message]);
    }

    #[test]
    fn identity_and_entries_are_checked_before_anything_is_asked_or_written() {
        let fields = |result: Result<(String, String), Vec<FieldError>>| -> Vec<Field> {
            result.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(check_identity("李", "123")), [Field::RealName, Field::IdNumber]);
        assert_eq!(
            check_identity(" 李雷 ", "11010519491231002x "),
            Ok(("李雷".to_string(), "11010519491231002X".to_string()))
        );
        assert_eq!(fields(check_entry("short", "ftp://x")), [Field::Message, Field::Link]);
        assert_eq!(
            check_entry("  a write-up long enough ", " https://example.com/repo "),
            Ok(("a write-up long enough".to_string(), "https://example.com/repo".to_string()))
        );
        assert!(check_entry("a write-up long enough", "").is_ok(), "the link is optional");
    }
}
