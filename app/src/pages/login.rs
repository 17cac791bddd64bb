use crate::{
    api::{auth::Login, phone::LoginWithCodeFn},
    components::{
        account_fields::EmailField,
        errors::FormAlert,
        form::{SubmitButton, TextField},
        phone::{CodeField, CodeSentNote, SendCodeForm},
    },
    domain::{phone::CodePurpose, validation::Field},
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // `?by=phone` logs in with an SMS code; `&phone=` once the code was sent.
    let by_phone = query.read_untracked().get("by").as_deref() == Some("phone");
    let phone = query.read_untracked().get("phone").filter(|p| !p.is_empty());
    // `?reset=done`: back from `/reset-password` with a new password.
    let just_reset = query.read_untracked().get("reset").as_deref() == Some("done");
    view! {
        <AuthCard
            title=Signal::derive(move || t_string!(i18n, login_title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, login_subtitle).to_string())
        >
            <ByPhoneTabs
                path="/login"
                by_phone
                label=Signal::derive(move || t_string!(i18n, login_title).to_string())
                first=Signal::derive(move || t_string!(i18n, login_tab_password).to_string())
                phone=Signal::derive(move || t_string!(i18n, login_tab_phone).to_string())
                phone_testid="login-by-phone"
            />
            {just_reset.then(|| view! {
                <p class="mb-4 rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" role="status" data-testid="password-reset-done">
                    {t!(i18n, reset_done)}
                </p>
            })}
            {match (by_phone, phone) {
                (false, _) => view! { <LoginForm /> }.into_any(),
                (true, None) => view! { <SendCodeForm purpose=CodePurpose::Login /> }.into_any(),
                (true, Some(phone)) => view! { <CodeLoginForm phone /> }.into_any(),
            }}
            <p class="mt-4 text-right text-sm">
                <a href="/reset-password" class="text-slate-600 hover:text-blue-700 hover:underline" data-testid="forgot-password">
                    {t!(i18n, login_forgot_password)}
                </a>
            </p>
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
                <EmailField error />
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

/// Step two of logging in by SMS: the code just sent to `phone`.
#[component]
fn CodeLoginForm(phone: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LoginWithCodeFn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <div class="space-y-4">
            <CodeSentNote purpose=CodePurpose::Login phone=phone.clone() restart_href="/login?by=phone" />
            <ActionForm action attr:novalidate=true attr:data-testid="code-login-form">
                <input type="hidden" name="phone" value=phone />
                <div class="space-y-4">
                    <CodeField error />
                    <FormAlert error />
                    <SubmitButton
                        label=Signal::derive(move || t_string!(i18n, login_submit).to_string())
                        pending=action.pending()
                    />
                </div>
            </ActionForm>
        </div>
    }
}

/// The two ways of a logged-out page (`/login`, `/reset-password`) as tabs: the first at `path`, by
/// SMS code at `path?by=phone`. Links, not buttons: each way is its own address, rendered on the
/// server.
#[component]
pub fn ByPhoneTabs(
    path: &'static str,
    by_phone: bool,
    /// What the tabs choose between, for screen readers.
    #[prop(into)]
    label: Signal<String>,
    #[prop(into)] first: Signal<String>,
    #[prop(into)] phone: Signal<String>,
    phone_testid: &'static str,
) -> impl IntoView {
    let tab = |active: bool| {
        if active {
            "flex-1 rounded-md bg-white px-3 py-1.5 text-center text-sm font-semibold text-slate-900 shadow-sm"
        } else {
            "flex-1 rounded-md px-3 py-1.5 text-center text-sm font-medium text-slate-500 hover:text-slate-800"
        }
    };
    view! {
        <nav class="mb-5 flex gap-1 rounded-lg bg-slate-100 p-1" aria-label=move || label.get()>
            <a href=path class=tab(!by_phone) aria-current=(!by_phone).then_some("page")>{move || first.get()}</a>
            <a href=format!("{path}?by=phone") class=tab(by_phone) aria-current=by_phone.then_some("page") data-testid=phone_testid>
                {move || phone.get()}
            </a>
        </nav>
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
