//! The rules of the TOTP second factor (RFC 6238) that need no secret: which time steps a code may
//! come from, how long a half-finished login waits, and what a typed code or recovery code is.
//! The codes themselves are computed on the server (`crate::second_factor`).

use super::validation::Problem;

/// Authenticator apps' standard: SHA-1, 6 digits, a new code every 30 seconds.
pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: usize = 6;
/// Codes from one step before or after the server's are accepted too: phones' clocks drift, and
/// people type a code as it changes.
pub const STEP_TOLERANCE: u64 = 1;
/// How long a login whose password (or SMS code) was right waits for its second factor.
pub const PENDING_LOGIN_SECS: i64 = 5 * 60;
/// Recovery codes made at enrolment, each good once.
pub const RECOVERY_CODES: usize = 10;
/// Twelve characters of Crockford's base32: 60 random bits each.
pub const RECOVERY_CODE_CHARS: usize = 12;
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// The time step a moment (Unix seconds) falls in.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The step a typed code is accepted for, if any: one within the tolerance around `now_step` whose
/// code `matches`, and later than the last step accepted for this account. So a code works once,
/// and an older code stops working once a newer one was used.
pub fn accepted_step(now_step: u64, last_used: Option<u64>, matches: impl Fn(u64) -> bool) -> Option<u64> {
    (now_step.saturating_sub(STEP_TOLERANCE)..=now_step + STEP_TOLERANCE)
        .filter(|step| last_used.is_none_or(|last| *step > last))
        .find(|step| matches(*step))
}

/// Whether a login that passed its first factor at `started` (Unix seconds) may still finish.
pub fn pending_login_alive(started: i64, now: i64) -> bool {
    (0..=PENDING_LOGIN_SECS).contains(&(now - started))
}

/// What the second-step field holds: the app's current code, or one of the recovery codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypedCode {
    Totp(String),
    /// Normalised: lower case, no separators, Crockford's look-alikes mapped.
    Recovery(String),
}

/// Reads a typed code. Spaces and hyphens are ignored, case too; in a recovery code `i`/`l` read
/// as `1` and `o` as `0`, as Crockford's base32 intends, so a code copied by hand still works.
pub fn parse_typed_code(input: &str) -> Result<TypedCode, Problem> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.is_empty() {
        return Err(Problem::Required);
    }
    if compact.len() == DIGITS && compact.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(TypedCode::Totp(compact));
    }
    let recovery: String = compact
        .to_ascii_lowercase()
        .chars()
        .map(|c| match c {
            'i' | 'l' => '1',
            'o' => '0',
            other => other,
        })
        .collect();
    if recovery.len() == RECOVERY_CODE_CHARS && recovery.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        Ok(TypedCode::Recovery(recovery))
    } else {
        Err(Problem::InvalidSecondFactorCode)
    }
}

/// A recovery code made from 60 random bits (the low 60 of `random`).
pub fn recovery_code(random: u64) -> String {
    (0..RECOVERY_CODE_CHARS).map(|i| RECOVERY_ALPHABET[((random >> (5 * i)) & 31) as usize] as char).collect()
}

/// A recovery code as shown to be written down: `abcd-efgh-jkmn`.
pub fn display_recovery_code(code: &str) -> String {
    code.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let now = 1_000;
        for step in [999, 1_000, 1_001] {
            assert_eq!(accepted_step(now, None, |s| s == step), Some(step));
        }
        for step in [997, 998, 1_002] {
            assert_eq!(accepted_step(now, None, |s| s == step), None, "step {step}");
        }
    }

    #[test]
    fn a_code_works_once_and_never_after_a_newer_one() {
        assert_eq!(accepted_step(1_000, Some(1_000), |s| s == 1_000), None, "replayed in its own step");
        assert_eq!(accepted_step(1_001, Some(1_000), |s| s == 1_000), None, "replayed a step later");
        assert_eq!(accepted_step(1_000, Some(1_000), |s| s == 999), None, "older than the last one used");
        assert_eq!(accepted_step(1_001, Some(1_000), |s| s == 1_001), Some(1_001), "the next code works");
    }

    #[test]
    fn the_first_steps_after_the_epoch_do_not_underflow() {
        assert_eq!(accepted_step(0, None, |s| s == 0), Some(0));
        assert_eq!(step_at(59), 1);
    }

    #[test]
    fn a_pending_login_lasts_five_minutes() {
        assert!(pending_login_alive(1_000, 1_000));
        assert!(pending_login_alive(1_000, 1_300));
        assert!(!pending_login_alive(1_000, 1_301));
        assert!(!pending_login_alive(1_000, 999), "a marker from the future is refused");
    }

    #[test]
    fn typed_codes_are_read_as_totp_or_recovery() {
        assert_eq!(parse_typed_code(" 123 456 "), Ok(TypedCode::Totp("123456".into())));
        assert_eq!(parse_typed_code("ABCD-EFGH-JK10"), Ok(TypedCode::Recovery("abcdefghjk10".into())));
        assert_eq!(parse_typed_code("abcd efgh jkIO"), Ok(TypedCode::Recovery("abcdefghjk10".into())));
        assert_eq!(parse_typed_code(""), Err(Problem::Required));
        for wrong in ["12345", "1234567", "abcd-efgh-jku0", "abcd-efgh", "12345a"] {
            assert_eq!(parse_typed_code(wrong), Err(Problem::InvalidSecondFactorCode), "{wrong}");
        }
    }

    #[test]
    fn recovery_codes_read_back_as_themselves() {
        for random in [0, u64::MAX, 0x0123_4567_89ab_cdef] {
            let code = recovery_code(random);
            assert_eq!(code.len(), RECOVERY_CODE_CHARS);
            assert_eq!(parse_typed_code(&display_recovery_code(&code)), Ok(TypedCode::Recovery(code)));
        }
        assert_eq!(display_recovery_code("abcdefghjkmn"), "abcd-efgh-jkmn");
        assert_ne!(recovery_code(1), recovery_code(2));
    }
}
