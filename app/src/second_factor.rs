//! The TOTP second factor on the server: secrets, codes, the enrolment QR code, recovery codes,
//! and what the session remembers about it. The rules that need no secret (time steps, the
//! five-minute wait, the codes' format) are in `domain::second_factor`; storage in
//! `db::second_factor`; the server functions in `api::second_factor`.

use crate::domain::second_factor::{accepted_step, recovery_code, step_at, DIGITS, RECOVERY_CODES, STEP_SECONDS};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use totp_rs::{Algorithm, Secret, TOTP};
use tower_sessions::Session;
use uuid::Uuid;

/// The name authenticator apps list the account under.
pub const ISSUER: &str = "CodeLink";

/// A new shared secret: 160 random bits (RFC 4226's recommended length), in the base32 that apps
/// take when it is typed in by hand.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)?;
    Ok(Secret::Raw(bytes.to_vec()).to_encoded().to_string())
}

/// SHA-1, 6 digits, 30 s: what every authenticator app assumes from an `otpauth://` link. The
/// window is checked step by step in `domain::second_factor`, so totp-rs itself allows no skew.
fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    // A colon would end the label's issuer part in the link; addresses never need one.
    let account = account.replace(':', "");
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, bytes, Some(ISSUER.into()), account).ok()
}

/// The code an app shows for `secret` at `unix_seconds`.
pub fn code_at(secret: &str, unix_seconds: u64) -> Option<String> {
    Some(totp(secret, "")?.generate(unix_seconds))
}

/// The time step `code` is accepted for at `unix_seconds`, given the last step used (a code works
/// once). Each comparison is totp-rs's constant-time one.
pub fn accept_code(secret: &str, code: &str, unix_seconds: u64, last_used: Option<u64>) -> Option<u64> {
    let totp = totp(secret, "")?;
    accepted_step(step_at(unix_seconds), last_used, |step| totp.check(code, step * STEP_SECONDS))
}

/// The link an app scans, labelled `CodeLink:<account>`.
pub fn otpauth_url(secret: &str, account: &str) -> Option<String> {
    Some(totp(secret, account)?.get_url())
}

/// The QR code of `text` as inline SVG, drawn on the server (no image crates, no script).
pub fn qr_svg(text: &str) -> Option<String> {
    let svg = qrcode::QrCode::new(text.as_bytes())
        .ok()?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    // Inline in HTML the XML prolog is noise: the document starts at <svg.
    svg.find("<svg").map(|start| svg[start..].to_string())
}

/// Ten fresh recovery codes, each with the salt and MAC to store.
///
/// Why an HMAC-SHA256 with a random salt per code, not argon2 like passwords: a recovery code is 60
/// random bits, not something a person chose, so there is no dictionary for a slow hash to slow
/// down; the per-code salt stops precomputed tables and makes each stored row a separate search.
/// Guessing online is stopped by the login limiter long before. A fast check also keeps a login
/// with a recovery code from spending ten argon2 runs (one per unused code).
pub fn new_recovery_codes() -> Result<Vec<NewRecoveryCode>, getrandom::Error> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut random = [0u8; 24];
            getrandom::fill(&mut random)?;
            let code = recovery_code(u64::from_le_bytes(random[..8].try_into().expect("8 bytes")));
            let salt = random[8..].to_vec();
            let mac = recovery_mac(&salt, &code);
            Ok(NewRecoveryCode { code, salt, mac })
        })
        .collect()
}

pub struct NewRecoveryCode {
    /// Shown once, then forgotten.
    pub code: String,
    pub salt: Vec<u8>,
    pub mac: Vec<u8>,
}

pub fn recovery_mac(salt: &[u8], code: &str) -> Vec<u8> {
    recovery_hmac(salt, code).finalize().into_bytes().to_vec()
}

/// Whether `code` (normalised) is the one stored as `salt` and `mac`, compared in constant time.
pub fn recovery_code_matches(salt: &[u8], mac: &[u8], code: &str) -> bool {
    recovery_hmac(salt, code).verify_slice(mac).is_ok()
}

fn recovery_hmac(salt: &[u8], code: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(salt).expect("HMAC takes a key of any length");
    mac.update(code.as_bytes());
    mac
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The session key naming the user whose second factor this session has proven (at login, or by
/// enrolling one in it). A user id, not a flag: a session that changes hands at a later login
/// without a logout must not carry the proof over to the next account.
const PASSED: &str = "second_factor_passed";
/// A login whose first factor was right, waiting for its second.
const PENDING_LOGIN: &str = "second_factor_pending_login";
/// The secret being enrolled, until a code from the app confirms it.
const ENROLMENT: &str = "second_factor_enrolment";

#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct PendingLogin {
    pub user: Uuid,
    /// Unix seconds when the first factor was proven.
    pub since: i64,
}

type SessionResult<T> = Result<T, tower_sessions::session::Error>;

pub async fn passed(session: &Session, user: Uuid) -> SessionResult<bool> {
    Ok(session.get::<Uuid>(PASSED).await? == Some(user))
}

pub async fn mark_passed(session: &Session, user: Uuid) -> SessionResult<()> {
    session.insert(PASSED, user).await
}

pub async fn forget_passed(session: &Session) -> SessionResult<()> {
    session.remove::<Uuid>(PASSED).await.map(|_| ())
}

pub async fn set_pending_login(session: &Session, user: Uuid) -> SessionResult<()> {
    session.insert(PENDING_LOGIN, PendingLogin { user, since: unix_now() as i64 }).await
}

pub async fn pending_login(session: &Session) -> SessionResult<Option<PendingLogin>> {
    session.get(PENDING_LOGIN).await
}

pub async fn end_pending_login(session: &Session) -> SessionResult<()> {
    session.remove::<PendingLogin>(PENDING_LOGIN).await.map(|_| ())
}

pub async fn set_enrolment(session: &Session, secret: &str) -> SessionResult<()> {
    session.insert(ENROLMENT, secret).await
}

pub async fn enrolment(session: &Session) -> SessionResult<Option<String>> {
    session.get(ENROLMENT).await
}

pub async fn end_enrolment(session: &Session) -> SessionResult<()> {
    session.remove::<String>(ENROLMENT).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's own test vector for SHA-1 (its 8 digits' last six): the key is "12345678901234567890".
    #[test]
    fn codes_match_the_rfc_test_vector() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(accept_code(&secret, "081804", 1_111_111_109 + 30, None), Some(1_111_111_109 / 30));
        assert_eq!(accept_code(&secret, "081804", 1_111_111_109 + 30, Some(1_111_111_109 / 30)), None);
    }

    /// The demo admin's published key gives what end2end/tests/helpers.ts `totpCode` computes.
    #[test]
    fn the_demo_key_agrees_with_the_browser_tests_helper() {
        assert_eq!(code_at("CODELINK2FADEMOADMINSECRETKEY234", 1_800_000_000).as_deref(), Some("595426"));
    }

    #[test]
    fn a_new_secret_makes_a_scannable_link() {
        let secret = new_secret().unwrap();
        assert_eq!(secret.len(), 32, "160 bits in base32");
        let url = otpauth_url(&secret, "li.lei@example.cn").unwrap();
        assert!(url.starts_with("otpauth://totp/CodeLink:li.lei%40example.cn?secret="), "{url}");
        assert!(qr_svg(&url).unwrap().starts_with("<svg"));
    }

    #[test]
    fn recovery_codes_are_checked_against_their_own_salt() {
        let codes = new_recovery_codes().unwrap();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let first = &codes[0];
        assert!(recovery_code_matches(&first.salt, &first.mac, &first.code));
        assert!(!recovery_code_matches(&codes[1].salt, &codes[1].mac, &first.code));
    }
}
