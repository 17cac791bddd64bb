//! Account security rules (ASVS V2/V3), with no I/O: new passwords, how long a reset link lives,
//! how a device is named on the devices page, and when a login is announced as a new device.
//! SMS reset codes follow `domain::phone` (six digits, five minutes, five tries).

use super::{
    account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS},
    validation::{check_length, Field, FieldError},
};

/// How long an e-mailed reset link works: long enough to find the mail, short enough that an old
/// mailbox copy is useless.
pub const RESET_LINK_LIFETIME_SECS: i64 = 30 * 60;
/// Random bytes in a reset link's token (written as 64 hex digits).
pub const RESET_TOKEN_BYTES: usize = 32;
/// A device's "last seen" is written at most this often: every request checks the device, but a
/// write per request would cost more than the check.
pub const LAST_SEEN_EVERY_SECS: i64 = 60;
/// Sessions end after this many idle days (`server::startup`'s session expiry); a device not seen
/// for as long is no longer listed.
pub const DEVICE_IDLE_DAYS: i64 = 14;
/// A user agent is kept up to this many characters (a header can be kilobytes of nothing useful).
pub const USER_AGENT_MAX_CHARS: usize = 512;

/// A new password follows the sign-up rules (`domain::account`), reported under its own field so
/// the change form can tell it from the current password.
pub fn check_new_password(password: &str) -> Result<(), FieldError> {
    check_length(Field::NewPassword, password, PASSWORD_MIN_CHARS, PASSWORD_MAX_CHARS)
}

/// Whether `token` has the shape of a reset link's token (64 lower-case hex digits), so anything
/// else is refused before it reaches the database.
pub fn is_reset_token(token: &str) -> bool {
    token.len() == RESET_TOKEN_BYTES * 2 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A login is announced when its user agent + address pair is new for the account, and the
/// account had logged in before: the first login after signing up is not news to anyone.
pub fn new_device_notice_due(pairs_known_before: i64, pair_is_new: bool) -> bool {
    pair_is_new && pairs_known_before > 0
}

/// "Chrome · Windows": the browser and system a User-Agent names, in a form people recognise, or
/// `None` when it names neither (the page then says "unknown device").
pub fn device_summary(user_agent: &str) -> Option<String> {
    let has = |needle: &str| user_agent.contains(needle);
    // Order matters: Edge, Opera and the Chinese browsers also say "Chrome" and "Safari", Chrome
    // says "Safari", and an iPad says "Mac OS X".
    let browser = [
        ("MicroMessenger", "WeChat"),
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("QQBrowser", "QQ Browser"),
        ("UCBrowser", "UC Browser"),
        ("SamsungBrowser", "Samsung Internet"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    let system = [
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("HarmonyOS", "HarmonyOS"),
        ("Android", "Android"),
        ("Windows", "Windows"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .into_iter()
    .find(|(needle, _)| has(needle))
    .map(|(_, name)| name);
    match (browser, system) {
        (Some(browser), Some(system)) => Some(format!("{browser} · {system}")),
        (Some(one), None) | (None, Some(one)) => Some(one.to_string()),
        (None, None) => None,
    }
}

/// A user agent as stored: trimmed and cut to `USER_AGENT_MAX_CHARS`.
pub fn stored_user_agent(user_agent: &str) -> String {
    user_agent.trim().chars().take(USER_AGENT_MAX_CHARS).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::Problem;

    #[test]
    fn user_agents_are_summarised_as_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                "Chrome · Windows",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                "Edge · Windows",
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                "Safari · macOS",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49",
                "WeChat · iOS",
            ),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox · Linux"),
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
                "Chrome · Android",
            ),
            (
                "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
                "Chrome · iPadOS",
            ),
            ("curl/8.5.0", "curl"),
        ];
        for (agent, expected) in cases {
            assert_eq!(device_summary(agent).as_deref(), Some(expected), "{agent}");
        }
        assert_eq!(device_summary(""), None);
        assert_eq!(device_summary("python-requests/2.32"), None);
    }

    #[test]
    fn new_passwords_follow_the_sign_up_rules_under_their_own_field() {
        assert_eq!(check_new_password("correct horse"), Ok(()));
        assert_eq!(check_new_password(""), Err(FieldError::new(Field::NewPassword, Problem::Required)));
        assert_eq!(
            check_new_password("short"),
            Err(FieldError::new(Field::NewPassword, Problem::TooShort { min: PASSWORD_MIN_CHARS }))
        );
        assert_eq!(
            check_new_password(&"x".repeat(PASSWORD_MAX_CHARS as usize + 1)),
            Err(FieldError::new(Field::NewPassword, Problem::TooLong { max: PASSWORD_MAX_CHARS }))
        );
    }

    #[test]
    fn reset_tokens_are_64_hex_digits_and_links_last_half_an_hour() {
        assert!(is_reset_token(&"ab01".repeat(16)));
        assert!(!is_reset_token(&"AB01".repeat(16)), "only the form we write");
        assert!(!is_reset_token(&"ab01".repeat(15)));
        assert!(!is_reset_token(&"zz01".repeat(16)));
        assert!(!is_reset_token(""));
        assert_eq!(RESET_LINK_LIFETIME_SECS, 1800);
    }

    #[test]
    fn only_a_new_pair_on_an_account_that_logged_in_before_is_announced() {
        assert!(!new_device_notice_due(0, true), "the first login after signing up");
        assert!(new_device_notice_due(1, true));
        assert!(!new_device_notice_due(3, false), "a device seen before");
    }

    #[test]
    fn stored_user_agents_are_trimmed_and_bounded() {
        assert_eq!(stored_user_agent("  curl/8 "), "curl/8");
        assert_eq!(stored_user_agent(&"界".repeat(2000)).chars().count(), USER_AGENT_MAX_CHARS);
    }
}
