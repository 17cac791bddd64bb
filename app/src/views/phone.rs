//! The wire types of `api::phone`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};

/// The second step of a phone check, once a code was sent: whom to, and when another may go.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeSent {
    /// The 11 digits, carried by the code form.
    pub national: String,
    /// `138****5678`, as the page shows it.
    pub masked: String,
    /// Seconds until "resend" is allowed (0: now).
    pub resend_in: u32,
    /// The demo's gateway keeps messages for the sandbox phone (`/sandbox/sms`).
    pub sandbox: bool,
}

/// A message the local gateway kept, as the sandbox phone shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxMessage {
    pub body: String,
    pub sent_at: String,
}

/// What the profile's number section says after a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhoneChange {
    Bound,
    Unbound,
}
