//! The vocabulary of input problems. A problem is a code, not a sentence: the client turns it into a
//! message in the reader's language, so the server never has to know who is reading.

use super::money::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    Password,
    DisplayName,
    Role,
    MerchantKind,
    Title,
    Category,
    Description,
    Tags,
    Difficulty,
    Reward,
    Deadline,
    ChangeRounds,
    Milestones,
    Amount,
    Pitch,
    Message,
    Links,
    Files,
    /// A developer's portfolio as a whole (how many items), and the finished task pinned to it.
    Portfolio,
    PinnedTask,
    Rating,
    Reason,
    /// A commission rate typed as a percentage.
    Rate,
    /// The day from which a setting applies.
    EffectiveFrom,
    /// A badge's rule (kind and parameters).
    Rule,
    /// How many months a membership purchase covers.
    Months,
    /// A task promotion offer.
    Promotion,
    /// A membership plan's benefit numbers.
    DailyApplications,
    OpenTasks,
    /// Real-name registration for mentor challenges.
    RealName,
    IdNumber,
    /// A badge's address-safe name, and its names and descriptions in both languages.
    Slug,
    NameZh,
    NameEn,
    DescriptionZh,
    DescriptionEn,
    /// Growth points a badge awards.
    Points,
    /// A developer's one-line headline and introduction.
    Headline,
    Bio,
    /// The lowest developer level a task accepts.
    MinLevel,
    /// The growth rules' weights, and what each level needs (one row of three numbers each).
    SkillPointsWeight,
    XpWeight,
    CheckInPoints,
    LevelB,
    LevelA,
    LevelS,
    /// A saved hall search.
    Search,
    /// A public handle (`/u/<handle>`).
    Handle,
    /// An Open Badges credential to check, pasted, or linked.
    Credential,
    Link,
    /// A report month, "2026-10".
    Month,
    Challenge,
    /// A challenge's cadence, goal count, onboarding days and a dated campaign's last day.
    Cadence,
    Goal,
    Days,
    EndDate,
    /// A block-list word.
    Word,
    /// A mobile number, and the SMS code sent to it.
    Phone,
    Code,
    /// A points-mall item, and a resume card theme.
    Item,
    Theme,
    /// A new password (changing or resetting it), and a reset link's token.
    NewPassword,
    Token,
    /// An invitation to apply: the merchant's task it invites to, the developer invited, its note.
    InvitationTask,
    Invitee,
    InvitationNote,
    /// A quote's amount for the milestone at this position (1-based; a task paid in one piece has
    /// one), its delivery date and its note (`domain::quotes`).
    QuoteAmount(u8),
    QuoteDeliverBy,
    QuoteNote,
    /// A developer's availability (接单中 / 忙碌 / 暂停接单), the day it lasts until, and their
    /// expected hourly rate.
    Availability,
    AvailableUntil,
    ExpectedRate,
    /// Sign-up's consent to the terms and the privacy policy (`domain::legal`).
    Consent,
    /// A help-centre contact message's topic, and an admin's reply to it (`domain::support`).
    Topic,
    Reply,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Problem {
    Required,
    TooShort {
        min: u32,
    },
    TooLong {
        max: u32,
    },
    InvalidEmail,
    EmailTaken,
    /// A unique name (a badge's slug) already in use.
    Taken,
    /// Not a valid handle: letters, digits, '-' and '_', starting with a letter or digit.
    InvalidHandle,
    /// A report is made once its month is over.
    MonthNotOver,
    NotAllowed,
    InvalidAmount,
    AmountOutOfRange {
        min_fen: i64,
        max_fen: i64,
    },
    InvalidDate,
    DateInPast,
    TooMany {
        max: u32,
    },
    /// Milestone amounts must add up to the reward.
    MilestonesDontAddUp,
    /// A percentage outside `min_bps..=max_bps` (basis points: 500 is 5 %).
    PercentOutOfRange {
        min_bps: u32,
        max_bps: u32,
    },
    /// One file over `max_mb`, or all of a delivery's files over `total_mb`.
    FileTooLarge {
        max_mb: u32,
        total_mb: u32,
    },
    /// A file sent as an image whose content is not PNG, JPEG, WebP or GIF (`domain::portfolio`).
    NotAnImage,
    /// A task pinned to a portfolio by someone other than the developer who finished it, or unfinished.
    NotYourFinishedTask,
    /// A task already in the portfolio.
    AlreadyPinned,
    /// A whole number (or, for star averages, a number of stars) outside `min..=max`.
    NumberOutOfRange {
        min: i64,
        max: i64,
    },
    /// A level that asks no more than the level below it.
    LevelsOutOfOrder,
    WrongAnswer,
    /// Not a mainland mobile number (11 digits starting 13–19, optionally after +86).
    InvalidPhone,
    /// The number is bound to another account.
    PhoneTaken,
    /// An SMS code is six digits.
    InvalidCode,
    /// Wrong code; it survives `attempts_left` more tries.
    WrongCode {
        attempts_left: u32,
    },
    /// The code was used, tried too often or is too old: a new one must be sent.
    CodeExpired,
    /// A new code to this number may be sent in `seconds`.
    ResendTooSoon {
        seconds: u32,
    },
    /// Growth points `short` of a mall item's price.
    NotEnoughPoints {
        short: u32,
    },
    /// A mall item that is bought once, bought already.
    AlreadyOwned,
    /// The account's current password, asked again before a sensitive change, does not match.
    WrongPassword,
    /// A password-reset link that was used, is too old, or was never sent.
    ResetLinkInvalid,
    /// Neither an authenticator app's 6 digits nor a recovery code (`domain::second_factor`).
    InvalidSecondFactorCode,
    /// Not the app's current code, nor an unused recovery code (or that code was just used).
    WrongSecondFactorCode,
    /// The login waiting for its second factor is older than five minutes, or there is none.
    SecondStepExpired,
    /// Control characters, direction overrides, or nothing visible at all (see `check_visible_text`).
    HiddenCharacters,
    /// A name the platform keeps for itself (a handle such as `admin` or `api`).
    Reserved,
    /// An invitation to apply that may not be sent (`domain::invitations::check_invite`).
    Invitation {
        reason: InvitationProblem,
    },
    /// A date after the last one allowed, `latest_day` (days since 1970-01-01).
    DateTooLate {
        latest_day: i32,
    },
    /// A quote's note without an amount or a date to go with it.
    QuoteWithoutTerms,
    /// A day further ahead than `max_days` from today.
    DateTooFar {
        max_days: u32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}

/// An address-safe name for a badge or challenge (`/growth` links use it): 2–40 lower-case letters,
/// digits, '-' or '_', returned lower-cased.
pub fn check_slug(input: &str) -> Result<String, FieldError> {
    let slug = input.trim().to_lowercase();
    let ok = (2..=40).contains(&slug.len())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    match (ok, slug.is_empty()) {
        (true, _) => Ok(slug),
        (false, true) => Err(FieldError::new(Field::Slug, Problem::Required)),
        (false, false) => Err(FieldError::new(Field::Slug, Problem::NotAllowed)),
    }
}

/// Checks a free-text value's length in characters (not bytes: "张三" is two characters).
pub fn check_length(field: Field, value: &str, min: u32, max: u32) -> Result<(), FieldError> {
    let count = value.chars().count();
    if count == 0 && min > 0 {
        Err(FieldError::new(field, Problem::Required))
    } else if count < min as usize {
        Err(FieldError::new(field, Problem::TooShort { min }))
    } else if count > max as usize {
        Err(FieldError::new(field, Problem::TooLong { max }))
    } else {
        Ok(())
    }
}

/// Text people read as a name, title or introduction must show what it says: no control characters
/// (line breaks only where `multiline`), no bidi embeddings, overrides or isolates (a name could read
/// backwards and impersonate another), and at least one visible character (a name of zero-width
/// spaces looks empty on every page). Zero-width joiners inside visible text stay allowed: emoji
/// sequences and some scripts need them.
pub fn check_visible_text(field: Field, value: &str, multiline: bool) -> Result<(), FieldError> {
    let hidden =
        |c: char| is_direction_control(c) || (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if value.chars().any(hidden) || (!value.is_empty() && value.chars().all(is_invisible)) {
        Err(FieldError::new(field, Problem::HiddenCharacters))
    } else {
        Ok(())
    }
}

/// Unicode's explicit direction formatting characters (UAX #9): marks, embeddings, overrides,
/// isolates and the Arabic letter mark.
fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no visible space: white space, zero-width spaces and joiners, the word
/// joiner and invisible operators, the byte-order mark, the soft hyphen, and the Hangul and
/// Mongolian fillers people paste to fake an empty name.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || is_direction_control(c)
        || matches!(
            c,
            '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{180E}' | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}' | '\u{3164}' | '\u{FEFF}' | '\u{FFA0}'
        )
}

/// Parses an amount of yuan as typed (see `Money::parse_yuan`) and checks it lies in `min..=max` fen.
pub fn check_amount(field: Field, text: &str, (min_fen, max_fen): (i64, i64)) -> Result<Money, FieldError> {
    let problem = match Money::parse_yuan(text) {
        _ if text.trim().is_empty() => Problem::Required,
        None => Problem::InvalidAmount,
        Some(m) if m.fen() < min_fen || m.fen() > max_fen => Problem::AmountOutOfRange { min_fen, max_fen },
        Some(m) => return Ok(m),
    };
    Err(FieldError::new(field, problem))
}

/// Parses a whole number as typed and checks it lies in `min..=max`.
pub fn check_number(field: Field, text: &str, min: i64, max: i64) -> Result<i64, FieldError> {
    match text.trim().parse::<i64>() {
        _ if text.trim().is_empty() => Err(FieldError::new(field, Problem::Required)),
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, Problem::NumberOutOfRange { min, max })),
    }
}

/// Why an invitation is refused. Each is said under the form field it concerns (`field`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationProblem {
    /// The task is another merchant's.
    NotYourTask,
    /// The task does not take applications (a draft, under review, in progress, over).
    TaskNotOpen,
    CannotInviteYourself,
    /// Only developers apply to tasks.
    NotADeveloper,
    AlreadyInvited,
    AlreadyApplied,
    /// The developer has paused invitations (暂停接单).
    NotTakingInvitations,
    /// The task sent `PER_TASK_CAP` invitations already.
    TaskFull,
}

impl InvitationProblem {
    /// The field the problem is shown under: the task select or the invited developer.
    pub fn field(self) -> Field {
        match self {
            InvitationProblem::NotYourTask | InvitationProblem::TaskNotOpen | InvitationProblem::TaskFull => {
                Field::InvitationTask
            }
            _ => Field::Invitee,
        }
    }

    pub fn into_field_error(self) -> FieldError {
        FieldError::new(self.field(), Problem::Invitation { reason: self })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_refuses_hidden_and_direction_characters() {
        let refused = Err(FieldError::new(Field::DisplayName, Problem::HiddenCharacters));
        for name in [
            "\u{200B}\u{200B}\u{200B}",
            "\u{3164}\u{3164}",
            "\u{FEFF}\u{2060}",
            "李\u{202E}雷",
            "ab\u{2066}c",
            "a\u{7}b",
        ] {
            assert_eq!(check_visible_text(Field::DisplayName, name, false), refused, "{name:?}");
        }
        assert_eq!(check_visible_text(Field::DisplayName, "a\nb", false), refused);
        for name in ["李雷", "Li Lei", "👩\u{200D}💻 Ada", "</title><svg onload=alert(1)>", ""] {
            assert_eq!(check_visible_text(Field::DisplayName, name, false), Ok(()), "{name:?}");
        }
        assert_eq!(check_visible_text(Field::Bio, "第一行\n第二行", true), Ok(()));
        assert_eq!(
            check_visible_text(Field::Bio, "x\u{202D}y", true),
            Err(FieldError::new(Field::Bio, Problem::HiddenCharacters))
        );
    }

    #[test]
    fn whole_numbers_are_required_parsed_and_bounded() {
        assert_eq!(check_number(Field::OpenTasks, " 42 ", 0, 100), Ok(42));
        assert_eq!(
            check_number(Field::OpenTasks, "", 0, 100),
            Err(FieldError::new(Field::OpenTasks, Problem::Required))
        );
        for bad in ["101", "-1", "4.5", "四十"] {
            assert_eq!(
                check_number(Field::OpenTasks, bad, 0, 100),
                Err(FieldError::new(Field::OpenTasks, Problem::NumberOutOfRange { min: 0, max: 100 })),
                "{bad}"
            );
        }
    }

    #[test]
    fn amounts_are_required_parsed_and_bounded() {
        assert_eq!(check_amount(Field::Amount, "12.5", (100, 10_000)), Ok(Money::from_fen(1_250)));
        assert_eq!(
            check_amount(Field::Amount, " ", (100, 10_000)),
            Err(FieldError::new(Field::Amount, Problem::Required))
        );
        assert_eq!(
            check_amount(Field::Amount, "abc", (100, 10_000)),
            Err(FieldError::new(Field::Amount, Problem::InvalidAmount))
        );
        assert_eq!(
            check_amount(Field::Amount, "0.5", (100, 10_000)),
            Err(FieldError::new(Field::Amount, Problem::AmountOutOfRange { min_fen: 100, max_fen: 10_000 }))
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check_length(Field::DisplayName, "张三", 2, 4), Ok(()));
        assert_eq!(
            check_length(Field::DisplayName, "", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::Required))
        );
        assert_eq!(
            check_length(Field::DisplayName, "张", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::TooShort { min: 2 }))
        );
        assert_eq!(
            check_length(Field::DisplayName, "张三李四王", 2, 4),
            Err(FieldError::new(Field::DisplayName, Problem::TooLong { max: 4 }))
        );
    }
}

/// Where to send a reader back to after a detour (`?back=`, `?next=`), as a `Location` header value:
/// a path on this site, else the home page. `//host` and `/\host` are other sites to a browser, and
/// browsers drop tabs and line breaks while reading a URL (`/\t/host` is `//host`), so a control
/// character or a backslash anywhere makes the path foreign. What remains outside visible ASCII
/// (Chinese words in a query) is percent-encoded, since a header carries visible ASCII only.
pub fn local_location(back: &str) -> String {
    let local = back.starts_with('/') && !back.starts_with("//") && !back.chars().any(|c| c == '\\' || c.is_control());
    if !local {
        return "/".into();
    }
    back.bytes().map(|b| if b.is_ascii_graphic() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

#[cfg(test)]
mod local_location_tests {
    use super::local_location;

    #[test]
    fn only_paths_on_this_site_are_kept() {
        assert_eq!(local_location("/tasks/1?tab=a"), "/tasks/1?tab=a");
        assert_eq!(local_location("/?q=数"), "/?q=%E6%95%B0");
        for foreign in [
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\u{0}",
            "https://evil.example/",
            "",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(local_location(foreign), "/", "{foreign:?}");
        }
    }
}
