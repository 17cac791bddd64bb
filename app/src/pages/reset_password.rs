//! `/reset-password` (忘记密码): ask for a link by e-mail, or a code by SMS to the bound number,
//! then choose a new password. Every answer reads the same whether or not the account exists.
//! Steps live in the address: `?sent=email` after asking for a link, `?token=` from the link,
//! `?by=phone` (and `&phone=` once a code went out) for the SMS way.

use crate::{
    api::security::{RequestPasswordResetFn, ResetPasswordWithCodeFn, ResetPasswordWithLinkFn},
    components::{
        account_fields::{EmailField, NewPasswordField},
        errors::{field_message, FormAlert},
        form::{FieldMessage, SubmitButton},
        phone::{CodeField, CodeSentNote, SendCodeForm},
    },
    domain::{
        account_security::RESET_LINK_LIFETIME_SECS,
        phone::CodePurpose,
        validation::{Field, Problem},
    },
    i18n::*,
    pages::login::{AuthCard, ByPhoneTabs},
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let by_phone = query.read_untracked().get("by").as_deref() == Some("phone");
    let phone = query.read_untracked().get("phone").filter(|p| !p.is_empty());
    let token = query.read_untracked().get("token").filter(|t| !t.is_empty());
    let sent = query.read_untracked().get("sent").as_deref() == Some("email");
    let step = match (token, by_phone, phone) {
        (Some(token), _, _) => view! { <NewPasswordByLink token /> }.into_any(),
        (None, true, Some(phone)) => view! { <NewPasswordByCode phone /> }.into_any(),
        (None, true, None) => view! { <SendCodeForm purpose=CodePurpose::Reset /> }.into_any(),
        (None, false, _) if sent => view! {
            <p class="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status" data-testid="reset-link-sent">
                {move || t_string!(i18n, reset_link_sent, minutes = RESET_LINK_LIFETIME_SECS / 60)}
            </p>
        }
        .into_any(),
        (None, false, _) => view! { <AskForLink /> }.into_any(),
    };
    view! {
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, reset_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, reset_subtitle).to_string())
        >
            <ByPhoneTabs
                path="/reset-password"
                by_phone
                label=Signal::derive(move || t_string!(i18n, reset_title).to_string())
                first=Signal::derive(move || t_string!(i18n, reset_tab_email).to_string())
                phone=Signal::derive(move || t_string!(i18n, reset_tab_phone).to_string())
                phone_testid="reset-by-phone"
            />
            {step}
            <p class="mt-5 text-center text-sm text-slate-500">
                <a href="/login" class="font-medium text-blue-600 hover:underline">{t!(i18n, reset_back_to_login)}</a>
            </p>
        </AuthCard>
    }
}

#[component]
fn AskForLink() -> impl IntoView {
    let i18n = use_i18n();
    let ask = ServerAction::<RequestPasswordResetFn>::new();
    let error = Signal::derive(move || ask.value().get().and_then(Result::err));
    view! {
        <ActionForm action=ask attr:novalidate=true attr:data-testid="reset-email-form">
            <div class="space-y-4">
                <EmailField error />
                <FormAlert error />
                <SubmitButton label=Signal::derive(move || t_string!(i18n, reset_send_link).to_string()) pending=ask.pending() />
            </div>
        </ActionForm>
    }
}

#[component]
fn NewPasswordByLink(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPasswordWithLinkFn>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    let dead_link = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::Token));
    let link_is_dead =
        move || error.get().is_some_and(|e| e.field_errors().iter().any(|f| f.problem == Problem::ResetLinkInvalid));
    view! {
        <ActionForm action=reset attr:novalidate=true attr:data-testid="reset-link-form">
            <input type="hidden" name="token" value=token />
            <div class="space-y-4">
                // A dead link is said above the form, the new password's problems under its field.
                <FieldMessage message=dead_link />
                // A dead link leaves nothing to type here: only the way to a new one.
                {move || if link_is_dead() {
                    view! {
                        <a href="/reset-password" class="block text-sm font-medium text-blue-600 hover:underline">{t!(i18n, reset_ask_again)}</a>
                    }.into_any()
                } else {
                    view! {
                        <NewPasswordField error />
                        <FormAlert error />
                        <SubmitButton label=Signal::derive(move || t_string!(i18n, reset_submit).to_string()) pending=reset.pending() />
                    }.into_any()
                }}
            </div>
        </ActionForm>
    }
}

#[component]
fn NewPasswordByCode(phone: String) -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetPasswordWithCodeFn>::new();
    let error = Signal::derive(move || reset.value().get().and_then(Result::err));
    view! {
        <div class="space-y-4">
            <CodeSentNote purpose=CodePurpose::Reset phone=phone.clone() restart_href="/reset-password?by=phone" />
            <ActionForm action=reset attr:novalidate=true attr:data-testid="reset-code-form">
                <input type="hidden" name="phone" value=phone />
                <div class="space-y-4">
                    <CodeField error />
                    <NewPasswordField error />
                    <FormAlert error />
                    <SubmitButton label=Signal::derive(move || t_string!(i18n, reset_submit).to_string()) pending=reset.pending() />
                </div>
            </ActionForm>
        </div>
    }
}
