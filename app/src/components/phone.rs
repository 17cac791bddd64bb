//! The two steps of proving a mobile number, shared by the login page and the profile: the number
//! and "send code", then where the code went, with "send again" and (in the demo) the sandbox
//! phone. Both are plain forms; the page's own form takes the code.

use crate::{
    api::phone::{code_sent, SendPhoneCodeFn},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{FieldMessage, SubmitButton, TextField},
    },
    domain::{phone::CodePurpose, validation::Field},
    i18n::*,
};
use leptos::prelude::*;

/// Step one: the number, and a button that texts it a code.
#[component]
pub fn SendCodeForm(purpose: CodePurpose) -> impl IntoView {
    let i18n = use_i18n();
    let send = ServerAction::<SendPhoneCodeFn>::new();
    let error = Signal::derive(move || send.value().get().and_then(Result::err));
    view! {
        <ActionForm action=send attr:novalidate=true attr:data-testid="send-code-form">
            <input type="hidden" name="purpose" value=purpose.as_str() />
            <div class="space-y-4">
                <TextField
                    name="phone"
                    field=Field::Phone
                    input_type="tel"
                    autocomplete="tel-national"
                    label=Signal::derive(move || t_string!(i18n, field_phone).to_string())
                    hint=Signal::derive(move || t_string!(i18n, field_phone_hint).to_string())
                    error
                />
                <FormAlert error />
                <SubmitButton
                    label=Signal::derive(move || t_string!(i18n, phone_send_code).to_string())
                    pending=send.pending()
                />
            </div>
        </ActionForm>
    }
}

/// Step two's heading: where the code went and for how long, "send again" (the server says when
/// that is allowed), another number, and in the demo a link to the sandbox phone.
#[component]
pub fn CodeSentNote(purpose: CodePurpose, phone: String, restart_href: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let sent = Resource::new(move || phone.clone(), move |phone| code_sent(phone, purpose));
    let resend = ServerAction::<SendPhoneCodeFn>::new();
    let resend_error = Signal::derive(move || resend.value().get().and_then(Result::err));
    let resend_message = Memo::new(move |_| field_message(i18n, resend_error.get().as_ref(), Field::Phone));
    view! {
        <Suspense fallback=|| view! { <div class="h-16 animate-pulse rounded-lg bg-slate-100"></div> }>
            {move || Suspend::new(async move {
                match sent.await {
                    Ok(sent) => {
                        let masked = sent.masked.clone();
                        let sandbox_href = format!("/sandbox/sms?phone={}", sent.national);
                        view! {
                            <div class="space-y-3 text-sm" data-testid="code-sent">
                                <p class="text-slate-700">{move || t_string!(i18n, phone_code_sent, number = masked.clone())}</p>
                                <div class="flex flex-wrap items-center gap-x-4 gap-y-1">
                                    <ActionForm action=resend>
                                        <input type="hidden" name="purpose" value=purpose.as_str() />
                                        <input type="hidden" name="phone" value=sent.national.clone() />
                                        <button type="submit" class="font-medium text-blue-700 hover:underline" data-testid="resend-code">
                                            {t!(i18n, phone_resend)}
                                        </button>
                                    </ActionForm>
                                    {(sent.resend_in > 0).then(|| {
                                        let seconds = sent.resend_in;
                                        view! { <span class="text-xs text-slate-500">{move || t_string!(i18n, phone_resend_in, seconds = seconds)}</span> }
                                    })}
                                    <a href=restart_href class="text-slate-600 hover:underline">{t!(i18n, phone_change_number)}</a>
                                </div>
                                <FieldMessage message=resend_message />
                                <FormAlert error=resend_error />
                                {sent.sandbox.then(|| view! {
                                    <p class="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900">
                                        {t!(i18n, phone_sandbox_hint)}
                                        " "
                                        <a href=sandbox_href target="_blank" class="font-semibold underline" data-testid="sandbox-phone-link">
                                            {t!(i18n, phone_open_sandbox)}
                                        </a>
                                    </p>
                                })}
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The code field of step two (the page's form around it says what the code is for).
#[component]
pub fn CodeField(#[prop(into)] error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            name="code"
            field=Field::Code
            input_type="text"
            autocomplete="one-time-code"
            label=Signal::derive(move || t_string!(i18n, field_code).to_string())
            error
        />
    }
}
