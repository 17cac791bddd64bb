//! One typed error for every server function. It travels to the browser as JSON and is turned into a
//! sentence there, in the reader's language (see `components::errors`); the server only picks a code.

use crate::domain::{lifecycle::Refusal, money::Money, validation::FieldError};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    /// Bad input: one entry per field, shown under that field.
    #[error("invalid input: {fields:?}")]
    Invalid { fields: Vec<FieldError> },
    #[error("login required")]
    Unauthorized,
    #[error("not allowed for this account")]
    Forbidden,
    /// An admin function, called by an admin whose session has not passed a second factor (none
    /// is enrolled yet): they enrol on `/security` first.
    #[error("second factor required")]
    SecondFactorRequired,
    /// A state-changing request that did not come from our own pages (CSRF defence).
    #[error("cross-site request refused")]
    CrossOrigin,
    #[error("too many attempts")]
    RateLimited,
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("not found")]
    NotFound,
    /// The task or milestone is not in a state that allows this (see `domain::lifecycle`).
    #[error("refused: {reason:?}")]
    Refused { reason: Refusal },
    /// Not enough balance; `shortfall` is what a top-up must add.
    /// Too many bad reviews or lost disputes: applying (developer) or publishing (merchant) is
    /// paused until `until`, or until an admin lifts it.
    #[error("restricted until {until}: {reason:?}")]
    Restricted { reason: crate::domain::credit::RestrictionReason, until: String },
    #[error("insufficient funds, {shortfall:?} short")]
    InsufficientFunds { shortfall: Money },
    /// Something failed on our side; the details are in the server log, never in the response.
    #[error("internal error")]
    Internal,
    /// The request never reached our code intact (network down, undecodable arguments, ...).
    #[error("request failed: {message}")]
    Request { message: String },
    /// The request's body is larger than the server accepts (413).
    #[error("request body too large")]
    TooLarge,
}

impl AppError {
    pub fn field(error: FieldError) -> Self {
        AppError::Invalid { fields: vec![error] }
    }

    /// The HTTP status a JSON client receives with this error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 422,
            AppError::Unauthorized | AppError::WrongCredentials => 401,
            AppError::Forbidden
            | AppError::SecondFactorRequired
            | AppError::CrossOrigin
            | AppError::Restricted { .. } => 403,
            AppError::RateLimited => 429,
            AppError::NotFound => 404,
            AppError::Refused { .. } | AppError::InsufficientFunds { .. } => 409,
            AppError::Request { .. } => 400,
            AppError::TooLarge => 413,
            AppError::Internal => 500,
        }
    }

    /// A multipart body that could not be read: cut off at the server's size limit while it
    /// streamed (413), or not well-formed (400).
    pub fn unreadable_body(error: impl std::error::Error + 'static) -> Self {
        // The limit's error is the cause of the decoder's "failed to read stream".
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&error);
        while let Some(error) = cause {
            if error.to_string().contains("length limit exceeded") {
                return AppError::TooLarge;
            }
            cause = error.source();
        }
        AppError::Request { message: "malformed multipart body".into() }
    }

    /// The problems reported for form fields, if this is an input error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid { fields } => fields,
            _ => &[],
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request { message: value.to_string() }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

impl From<Refusal> for AppError {
    fn from(reason: Refusal) -> Self {
        AppError::Refused { reason }
    }
}

/// Logs an unexpected failure on our side and answers with `AppError::Internal`: the details stay
/// in the server log, never in the response.
#[cfg(feature = "ssr")]
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "unexpected server error");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validation::{Field, Problem};

    #[test]
    fn travels_as_tagged_json() {
        let error = AppError::field(FieldError::new(Field::Email, Problem::EmailTaken));
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(json, r#"{"code":"invalid","fields":[{"field":"email","problem":{"kind":"email_taken"}}]}"#);
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        assert_eq!(error.status(), 422);
    }
}
