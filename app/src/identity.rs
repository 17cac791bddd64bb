//! Real-name verification (实名认证), server only. A production deployment asks a licensed
//! provider whether a name and resident ID number belong together; that call sits behind
//! `IdentityVerifier`. The local provider, which the demo and the tests use, can only check what
//! the number itself proves (its check character and date of birth, `domain::contests`).

use crate::domain::contests::resident_id_valid;

#[derive(Debug, PartialEq, Eq)]
pub enum IdentityRefusal {
    /// Not a well-formed resident ID number.
    InvalidNumber,
    /// The provider says the name and number do not belong together.
    Mismatch,
}

pub trait IdentityVerifier: Send + Sync {
    fn verify(&self, real_name: &str, id_number: &str) -> Result<(), IdentityRefusal>;
}

/// Accepts every well-formed number; it cannot know whose it is.
pub struct LocalVerifier;

impl IdentityVerifier for LocalVerifier {
    fn verify(&self, _real_name: &str, id_number: &str) -> Result<(), IdentityRefusal> {
        if resident_id_valid(id_number) {
            Ok(())
        } else {
            Err(IdentityRefusal::InvalidNumber)
        }
    }
}
