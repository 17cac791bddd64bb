//! Changing the password: the current one, then the new one. Every other device is logged out.

use super::{Done, Section};
use crate::{
    api::security::ChangePasswordFn,
    components::{
        account_fields::{CurrentPasswordField, NewPasswordField},
        errors::FormAlert,
        form::SubmitButton,
    },
    i18n::*,
};
use leptos::prelude::*;

#[component]
pub(super) fn PasswordSection(changed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePasswordFn>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    view! {
        <Section
            id="password"
            testid="password-section"
            title=Signal::derive(move || t_string!(i18n, security_password_title).to_string())
            intro=Signal::derive(move || t_string!(i18n, security_password_intro).to_string())
        >
            {changed.then(|| view! { <Done testid="password-changed">{t!(i18n, security_password_changed)}</Done> })}
            <ActionForm action=change attr:class="max-w-sm space-y-4" attr:novalidate=true attr:data-testid="change-password-form">
                <CurrentPasswordField name="current_password" error />
                <NewPasswordField error />
                <FormAlert error />
                <SubmitButton
                    label=Signal::derive(move || t_string!(i18n, security_password_submit).to_string())
                    pending=change.pending()
                />
            </ActionForm>
        </Section>
    }
}
