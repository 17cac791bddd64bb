//! A developer's profile: the name, headline, introduction and skills shown on their pages. A
//! complete profile is the first step of the week-one onboarding challenge.

use super::{
    account::{DISPLAY_NAME_MAX_CHARS, DISPLAY_NAME_MIN_CHARS},
    validation::{check_length, check_visible_text, Field, FieldError, Problem},
};
use serde::{Deserialize, Serialize};

pub const HEADLINE_MAX_CHARS: u32 = 60;
/// Long enough to say something about oneself, short enough for a card.
pub const BIO_MIN_CHARS: u32 = 10;
pub const BIO_MAX_CHARS: u32 = 500;
pub const MAX_SKILLS: u32 = 12;

/// The profile form as submitted; `skills` are skill-tag slugs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    #[serde(default)]
    pub skills: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    pub headline: String,
    pub bio: String,
    pub skills: Vec<String>,
}

impl ProfileForm {
    /// Every problem at once. Every field is required: a profile is saved complete or not at all.
    pub fn validate(&self) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field, value: &str, min, max| {
            let value = value.trim();
            let multiline = field == Field::Bio;
            errors.extend(
                check_length(field, value, min, max).and_then(|()| check_visible_text(field, value, multiline)).err(),
            );
            value.to_string()
        };
        let display_name = text(Field::DisplayName, &self.display_name, DISPLAY_NAME_MIN_CHARS, DISPLAY_NAME_MAX_CHARS);
        let headline = text(Field::Headline, &self.headline, 1, HEADLINE_MAX_CHARS);
        let bio = text(Field::Bio, &self.bio, BIO_MIN_CHARS, BIO_MAX_CHARS);
        let mut skills: Vec<String> =
            self.skills.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        skills.sort();
        skills.dedup();
        if skills.is_empty() {
            errors.push(FieldError::new(Field::Tags, Problem::Required));
        } else if skills.len() > MAX_SKILLS as usize {
            errors.push(FieldError::new(Field::Tags, Problem::TooMany { max: MAX_SKILLS }));
        }
        if errors.is_empty() {
            Ok(Profile { display_name, headline, bio, skills })
        } else {
            Err(errors)
        }
    }
}

/// A handle is the address of the public card, `/u/<handle>`: lowercase so it reads the same
/// however it is typed, and short enough to print on a CV.
pub const HANDLE_MIN_CHARS: u32 = 3;
pub const HANDLE_MAX_CHARS: u32 = 30;

/// Handles that would pass for the platform's own voice or collide with its paths (`/u/api` would
/// read like an endpoint, `/u/admin` like a staff page). Compared after lower-casing.
const RESERVED_HANDLES: &[&str] = &[
    "admin",
    "administrator",
    "api",
    "assets",
    "codelink",
    "community",
    "contests",
    "credit",
    "developers",
    "draws",
    "favicon",
    "files",
    "growth",
    "healthz",
    "help",
    "kefu",
    "leaderboard",
    "learn",
    "login",
    "logout",
    "mall",
    "me",
    "membership",
    "merchants",
    "metrics",
    "moderator",
    "notifications",
    "null",
    "official",
    "pkg",
    "profile",
    "public",
    "readyz",
    "register",
    "robots",
    "root",
    "sandbox",
    "security",
    "service",
    "settings",
    "sitemap",
    "staff",
    "static",
    "support",
    "system",
    "tasks",
    "undefined",
    "verify",
    "wallet",
    "www",
];

/// True for a handle a user may not take: a reserved word, or one dressed as staff
/// (`admin-2`, `codelink_cs`, `official-hr`).
pub fn is_reserved_handle(handle: &str) -> bool {
    RESERVED_HANDLES.contains(&handle)
        || ["admin", "codelink", "official"].iter().any(|staff| handle.starts_with(staff))
        || handle.contains("codelink")
}

/// The owner's choices for their public record. The record itself (tasks, ratings, comments) is
/// not editable: the whole card can be hidden, or merchants' names withheld under an NDA.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardSettings {
    pub handle: String,
    #[serde(default)]
    pub public: bool,
    #[serde(default)]
    pub hide_merchants: bool,
}

impl CardSettings {
    /// The settings with the handle normalised (trimmed, lowercase), or what is wrong with it.
    pub fn validate(&self) -> Result<CardSettings, FieldError> {
        let handle = self.handle.trim().to_lowercase();
        check_length(Field::Handle, &handle, HANDLE_MIN_CHARS, HANDLE_MAX_CHARS)?;
        let mut chars = handle.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !(first_ok && rest_ok) {
            return Err(FieldError::new(Field::Handle, Problem::InvalidHandle));
        }
        if is_reserved_handle(&handle) {
            return Err(FieldError::new(Field::Handle, Problem::Reserved));
        }
        Ok(CardSettings { handle, ..self.clone() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm {
        ProfileForm {
            display_name: " 李雷 ".into(),
            headline: "Rust 后端工程师".into(),
            bio: "五年后端经验，做过支付和高并发系统。".into(),
            skills: vec!["rust".into(), "postgresql".into(), "rust".into()],
        }
    }

    #[test]
    fn a_complete_profile_is_trimmed_and_skills_deduplicated() {
        let profile = form().validate().unwrap();
        assert_eq!(profile.display_name, "李雷");
        assert_eq!(profile.skills, vec!["postgresql".to_string(), "rust".to_string()]);
    }

    #[test]
    fn every_missing_part_is_reported_at_once() {
        let errors = ProfileForm { display_name: "李雷".into(), ..Default::default() }.validate().unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Headline, Field::Bio, Field::Tags]);
    }

    #[test]
    fn a_short_introduction_or_too_many_skills_is_refused() {
        let short = ProfileForm { bio: "太短了".into(), ..form() }.validate().unwrap_err();
        assert_eq!(short, vec![FieldError::new(Field::Bio, Problem::TooShort { min: BIO_MIN_CHARS })]);
        let many = ProfileForm { skills: (0..13).map(|n| format!("s{n}")).collect(), ..form() };
        assert_eq!(many.validate().unwrap_err(), vec![FieldError::new(Field::Tags, Problem::TooMany { max: 12 })]);
    }
}

#[cfg(test)]
mod card_settings_tests {
    use super::*;

    fn settings(handle: &str) -> CardSettings {
        CardSettings { handle: handle.into(), public: true, hide_merchants: false }
    }

    #[test]
    fn reserved_and_staff_like_handles_are_refused() {
        for handle in ["admin", "ADMIN", " api ", "sandbox", "admin-2", "codelink_cs", "my-codelink", "official-hr"] {
            assert_eq!(settings(handle).validate(), Err(FieldError::new(Field::Handle, Problem::Reserved)), "{handle}");
        }
        for handle in ["adm1n-fan", "lilei", "badminton"] {
            assert!(settings(handle).validate().is_ok(), "{handle}");
        }
    }

    #[test]
    fn handles_are_normalised_to_lowercase() {
        assert_eq!(settings("  Li-Lei_2026 ").validate().unwrap().handle, "li-lei_2026");
    }

    #[test]
    fn handles_must_be_short_ascii_and_start_with_a_letter_or_digit() {
        let problem = |h: &str| settings(h).validate().unwrap_err().problem;
        assert_eq!(problem("ab"), Problem::TooShort { min: 3 });
        assert_eq!(problem(&"a".repeat(31)), Problem::TooLong { max: 30 });
        for bad in ["-lilei", "li lei", "李雷lei", "li/lei", "li.lei", "<script>"] {
            assert_eq!(problem(bad), Problem::InvalidHandle, "{bad}");
        }
        assert!(settings("007").validate().is_ok());
    }
}
