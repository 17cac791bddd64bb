//! The wire types of `api::second_factor`: what its server functions return, as data (no I/O).

use serde::{Deserialize, Serialize};

/// Where the account's authenticator stands, as the security page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TotpState {
    Off,
    /// A secret was made and waits for a code from the app: its QR code (inline SVG drawn on the
    /// server from our own data) and the same secret in base32 for typing in by hand.
    Enrolling {
        secret: String,
        qr_svg: String,
    },
    On {
        recovery_codes_left: i64,
    },
}

/// What just happened, shown once by the page the form returns to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TotpOutcome {
    /// Switched on: the recovery codes, shown this once and never again.
    Enabled {
        recovery_codes: Vec<String>,
    },
    Disabled,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpStatus {
    pub state: TotpState,
    pub outcome: Option<TotpOutcome>,
}
