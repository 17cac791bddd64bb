use crate::{
    api::auth::Login,
    components::{
        errors::FormAlert,
        form::{SubmitButton, TextField},
    },
    domain::{account::EMAIL_MAX_CHARS, validation::Field},
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, login_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, login_subtitle).to_string())
        >
            <LoginForm />
            <p class="mt-5 text-center text-sm text-slate-500">
                {t!(i18n, login_no_account)}
                " "
                <A href="/register" attr:class="font-medium text-blue-600 hover:underline">
                    {t!(i18n, nav_register)}
                </A>
            </p>
        </AuthCard>
    }
}

/// A plain form: it posts, and the server either starts the session and sends the browser to the
/// hall, or sends it back here with the error under its field (the email is typed back in by
/// `KeepTypedValues`; a password never is).
#[component]
fn LoginForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Login>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:novalidate=true>
            <div class="space-y-4">
                <TextField
                    name="email"
                    field=Field::Email
                    input_type="email"
                    autocomplete="username"
                    max_chars=EMAIL_MAX_CHARS
                    label=Signal::derive(move || t_string!(i18n, field_email).to_string())
                    error
                />
                <TextField
                    name="password"
                    field=Field::Password
                    input_type="password"
                    autocomplete="current-password"
                    label=Signal::derive(move || t_string!(i18n, field_password).to_string())
                    error
                />
                <FormAlert error />
                <SubmitButton
                    label=Signal::derive(move || t_string!(i18n, login_submit).to_string())
                    pending=action.pending()
                />
            </div>
        </ActionForm>
    }
}

/// The centred card that holds the login and registration forms.
#[component]
pub fn AuthCard(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] subtitle: Signal<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="mx-auto w-full max-w-md">
            <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
                <h1 class="text-xl font-bold text-slate-900">{move || title.get()}</h1>
                <p class="mt-1 mb-6 text-sm text-slate-500">{move || subtitle.get()}</p>
                {children()}
            </div>
        </div>
    }
}
