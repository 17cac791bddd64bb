use crate::{
    api::auth::Register,
    components::{
        errors::{field_message, FormAlert},
        form::{label_text, Labelled, SubmitButton, TextField},
        task_card::merchant_kind_label,
    },
    domain::{account::MerchantKind, validation::Field},
    i18n::*,
    pages::{legal::ConsentBox, login::AuthCard},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    // A friend's invite link: /register?invite=<code>; the code travels with the form.
    let invite = use_query_map().with_untracked(|q| q.get("invite")).filter(|code| !code.is_empty());
    view! {
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, register_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, register_subtitle).to_string())
        >
            <RegisterForm invite />
            <p class="mt-5 text-center text-sm text-slate-500">
                {t!(i18n, register_have_account)}
                " "
                <A href="/login" attr:class="font-medium text-blue-600 hover:underline">
                    {t!(i18n, nav_login)}
                </A>
            </p>
        </AuthCard>
    }
}

/// A plain form, like the login: a refused sign-up comes back with its errors under the fields and
/// what was typed put back (`KeepTypedValues`).
#[component]
fn RegisterForm(invite: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let kind_message = Memo::new(move |_| field_message(i18n, error.get().as_ref(), Field::MerchantKind));
    let consent_message = Memo::new(move |_| {
        field_message(i18n, error.get().as_ref(), Field::Consent)
            .map(|_| t_string!(i18n, legal_consent_required).to_string())
    });
    // Each page load asks a new question: each challenge answer is good once.
    let challenge = Resource::new(|| (), |_| crate::api::auth::registration_challenge());
    let role_option = "flex cursor-pointer items-center justify-center gap-2 rounded-lg border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 has-[:checked]:border-blue-500 has-[:checked]:bg-blue-50 has-[:checked]:text-blue-700";
    view! {
            <ActionForm action attr:novalidate=true>
                <div class="group space-y-4">
                    {invite.map(|code| {
                        view! {
                            <input type="hidden" name="invite" value=code />
                            <p class="rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="invited-banner">
                                {t!(i18n, register_invited)}
                            </p>
                        }
                    })}
                    <fieldset class="space-y-1.5">
                        <legend class="mb-1.5 block text-sm font-medium text-slate-700">
                            {t!(i18n, field_role)}
                        </legend>
                        <div class="grid grid-cols-2 gap-2">
                            <label class=role_option>
                                <input
                                    type="radio"
                                    name="role"
                                    value="developer"
                                    checked=true
                                    class="accent-blue-600"
                                />
                                {t!(i18n, role_developer)}
                            </label>
                            <label class=role_option>
                                <input
                                    type="radio"
                                    name="role"
                                    value="merchant"
                                    id="role-merchant"
                                    class="accent-blue-600"
                                />
                                {t!(i18n, role_merchant)}
                            </label>
                        </div>
                    </fieldset>
                    // Shown by CSS while "merchant" is checked: it works before any script runs.
                    <Labelled
                        label=label_text(|i| t_string!(i, field_merchant_kind))
                        id="field-merchant_kind"
                        message=kind_message
                        class="hidden space-y-1.5 group-has-[#role-merchant:checked]:block"
                    >
                        <select
                            id="field-merchant_kind"
                            name="merchant_kind"
                            class="block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm"
                        >
                            {[MerchantKind::Company, MerchantKind::Team, MerchantKind::Individual]
                                .into_iter()
                                .map(|kind| {
                                    view! {
                                        <option value=kind.as_str()>
                                            {move || merchant_kind_label(i18n, kind)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </Labelled>
                    <TextField
                        name="display_name"
                        field=Field::DisplayName
                        autocomplete="nickname"
                        label=Signal::derive(move || t_string!(i18n, field_display_name).to_string())
                        error
                    />
                    <TextField
                        name="email"
                        field=Field::Email
                        input_type="email"
                        autocomplete="email"
                        label=Signal::derive(move || t_string!(i18n, field_email).to_string())
                        error
                    />
                    <TextField
                        name="password"
                        field=Field::Password
                        input_type="password"
                        autocomplete="new-password"
                        label=Signal::derive(move || t_string!(i18n, field_password).to_string())
                        hint=Signal::derive(move || t_string!(i18n, field_password_hint).to_string())
                        error
                    />
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            challenge.await.ok().flatten().map(|question| {
                                view! {
                                    <div class="rounded-lg bg-slate-50 p-3" data-testid="challenge">
                                        <p class="mb-2 text-xs text-slate-600">{t!(i18n, register_challenge_hint)}</p>
                                        <TextField
                                            name="challenge"
                                            field=Field::Challenge
                                            label=Signal::derive(move || question.clone())
                                            error
                                        />
                                    </div>
                                }
                            })
                        })}
                    </Suspense>
                    <ConsentBox message=consent_message name="consent" />
                    <FormAlert error />
                    <SubmitButton
                        label=Signal::derive(move || t_string!(i18n, register_submit).to_string())
                        pending=action.pending()
                    />
                </div>
            </ActionForm>
    }
}
