//! `/login/2fa`: the second step of logging in, for an account with two-step verification on. The
//! password (or SMS code) was right; the login waits in the session for five minutes until a code
//! from the authenticator app, or one recovery code, is typed here.

use crate::{
    api::second_factor::LoginSecondStepFn,
    components::{account_fields::SecondFactorCodeField, errors::FormAlert, form::SubmitButton},
    i18n::*,
    pages::login::AuthCard,
};
use leptos::prelude::*;

#[component]
pub fn SecondStepPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LoginSecondStepFn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, login_second_step_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, login_second_step_subtitle).to_string())
        >
            <ActionForm action attr:novalidate=true attr:data-testid="second-step-form">
                <div class="space-y-4">
                    <SecondFactorCodeField
                        label=Signal::derive(move || t_string!(i18n, field_second_factor_code).to_string())
                        hint=Signal::derive(move || t_string!(i18n, field_second_factor_code_hint).to_string())
                        error
                    />
                    <FormAlert error />
                    <SubmitButton
                        label=Signal::derive(move || t_string!(i18n, login_second_step_submit).to_string())
                        pending=action.pending()
                    />
                </div>
            </ActionForm>
            <p class="mt-5 text-center text-sm">
                <a href="/login" class="font-medium text-blue-600 hover:underline">{t!(i18n, login_second_step_restart)}</a>
            </p>
        </AuthCard>
    }
}
