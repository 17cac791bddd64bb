//! The account's own fields, the same wherever they are asked: the e-mail address, the current
//! password (asked again before a sensitive change), a new password, and a code from the
//! authenticator app. Each names its input as the server functions' argument is named.

use crate::{components::form::TextField, domain::validation::Field, error::AppError, i18n::*};
use leptos::prelude::*;

#[component]
pub fn EmailField(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name="email"
            field=Field::Email
            input_type="email"
            autocomplete="username"
            label=Signal::derive(move || t_string!(i18n, field_email).to_string())
            error
        />
    }
}

/// The account's password, asked again. `name` is the server function's argument (`password`, or
/// `current_password` where a new one is typed too); `hint` says why it is asked, where that is
/// not obvious.
#[component]
pub fn CurrentPasswordField(
    name: &'static str,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional_no_strip, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name
            field=Field::Password
            input_type="password"
            autocomplete="current-password"
            label=Signal::derive(move || t_string!(i18n, field_current_password).to_string())
            hint
            error
        />
    }
}

/// A new password (`new_password`), with the rules and what changing it does under it.
#[component]
pub fn NewPasswordField(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name="new_password"
            field=Field::NewPassword
            input_type="password"
            autocomplete="new-password"
            label=Signal::derive(move || t_string!(i18n, field_new_password).to_string())
            hint=Signal::derive(move || t_string!(i18n, field_new_password_hint).to_string())
            error
        />
    }
}

/// A code from the authenticator app (`code`); phones offer it from their one-time-code store.
#[component]
pub fn SecondFactorCodeField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(optional_no_strip, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    view! { <TextField name="code" field=Field::Code autocomplete="one-time-code" label hint error /> }
}
