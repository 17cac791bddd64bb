//! `/security` (账号安全): the account's security settings, one section per file, all plain forms
//! that post and come back here with the outcome or the error under its field.
//! - `password`: change the password (every other device is logged out);
//! - `devices`: where the account is logged in; log out one device or all the others;
//! - `totp`: two-step verification with an authenticator app.
//!
//! The server functions are `api::security` (password, devices) and `api::second_factor` (TOTP).
//! Resetting a forgotten password, logged out, is another page: `pages::reset_password`.

mod devices;
mod password;
mod totp;

use crate::{
    api::security::security_overview,
    components::{errors::ErrorPanel, style::CARD},
    i18n::*,
    views::security::SecurityChange,
};
use leptos::prelude::*;

#[component]
pub fn SecurityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, security_title)}</h1>
        <p class="mb-5 mt-1 text-sm text-slate-500">{t!(i18n, security_subtitle)}</p>
        <div class="max-w-2xl space-y-5">
            <PasswordAndDevices />
            <totp::TotpSection />
        </div>
    }
}

/// The password and devices sections, from one read of the account's devices and of what the last
/// form changed.
#[component]
fn PasswordAndDevices() -> impl IntoView {
    let overview = Resource::new(|| (), |_| security_overview());
    view! {
        <Suspense fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
                        let changed = overview.change == Some(SecurityChange::PasswordChanged);
                        view! {
                            <password::PasswordSection changed />
                            <devices::DevicesSection devices=overview.devices change=overview.change />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One section of the page: its anchor (forms come back to `/security#<id>`), heading and a line
/// on what it does.
#[component]
fn Section(
    id: &'static str,
    testid: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] intro: Signal<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section id=id class=format!("{CARD} space-y-4") data-testid=testid>
            <div>
                <h2 class="font-semibold text-slate-900">{move || title.get()}</h2>
                <p class="mt-1 text-sm text-slate-500">{move || intro.get()}</p>
            </div>
            {children()}
        </section>
    }
}

/// What the last form of a section did, said once at its top.
#[component]
fn Done(testid: &'static str, children: Children) -> impl IntoView {
    view! { <p class="text-sm font-medium text-emerald-700" role="status" data-testid=testid>{children()}</p> }
}
