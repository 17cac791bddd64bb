//! Turns error codes from the server into sentences in the reader's language.

use crate::{
    domain::validation::{Field, FieldError, Problem},
    error::AppError,
    i18n::*,
};
use leptos::prelude::*;

pub fn problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, error_required).to_string(),
        Problem::TooShort { min } => t_string!(i18n, error_too_short, min = min).to_string(),
        Problem::TooLong { max } => t_string!(i18n, error_too_long, max = max).to_string(),
        Problem::InvalidEmail => t_string!(i18n, error_invalid_email).to_string(),
        Problem::EmailTaken => t_string!(i18n, error_email_taken).to_string(),
        Problem::NotAllowed => t_string!(i18n, error_not_allowed).to_string(),
    }
}

pub fn error_text(i18n: leptos_i18n::I18nContext<Locale>, error: &AppError) -> String {
    match error {
        // Field problems are shown under their fields; this is the summary for anything else.
        AppError::Invalid { fields } => fields
            .first()
            .map(|f| problem_text(i18n, f.problem))
            .unwrap_or_else(|| t_string!(i18n, error_request).to_string()),
        AppError::Unauthorized => t_string!(i18n, error_unauthorized).to_string(),
        AppError::Forbidden => t_string!(i18n, error_forbidden).to_string(),
        AppError::CrossOrigin => t_string!(i18n, error_cross_origin).to_string(),
        AppError::RateLimited => t_string!(i18n, error_rate_limited).to_string(),
        AppError::WrongCredentials => t_string!(i18n, error_wrong_credentials).to_string(),
        AppError::NotFound => t_string!(i18n, error_not_found).to_string(),
        AppError::Internal => t_string!(i18n, error_internal).to_string(),
        AppError::Request { .. } => t_string!(i18n, error_request).to_string(),
    }
}

/// The message for one field, if the last submission reported a problem with it.
pub fn field_message(
    i18n: leptos_i18n::I18nContext<Locale>,
    error: Option<&AppError>,
    field: Field,
) -> Option<String> {
    error?
        .field_errors()
        .iter()
        .find(|e: &&FieldError| e.field == field)
        .map(|e| problem_text(i18n, e.problem))
}

/// A red notice for errors that belong to no single field (wrong password, rate limit, ...).
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error
            .get()
            .filter(|e| e.field_errors().is_empty())
            .map(|e| {
                view! {
                    <p
                        role="alert"
                        class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
                    >
                        {error_text(i18n, &e)}
                    </p>
                }
            })
    }
}

/// A whole-page error state (for example a list that failed to load).
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div
            role="alert"
            class="rounded-xl border border-red-200 bg-red-50 p-6 text-center text-sm text-red-700"
        >
            {move || error_text(i18n, &error)}
        </div>
    }
}
