//! The wire types of `api::credentials`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};

/// The checker's answer, in the order a reader cares about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CredentialVerdict {
    /// Signed by CodeLink, unedited, not revoked.
    /// `handle` is None while the owner's card is hidden.
    Genuine { subject: String, handle: Option<String>, achievement: String, issued_on: String },
    /// Genuine, but CodeLink withdrew it.
    Revoked { subject: String, handle: Option<String>, achievement: String, revoked_on: String, reason: String },
    /// CodeLink's key and format, but the content was changed after signing.
    Tampered,
    /// Signed by someone else (or not in our format).
    OtherIssuer,
    /// Our signature over an id with no record here.
    Unrecorded,
    /// Not a credential at all.
    Malformed,
}
