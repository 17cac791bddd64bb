//! Two-step verification with an authenticator app (TOTP): switch it on (QR code or typed key,
//! then a code confirms it and ten recovery codes are shown once), see how many recovery codes are
//! left, switch it off with the password and a code.

use super::{Done, Section};
use crate::{
    api::second_factor::{totp_status, ConfirmTotpFn, DisableTotpFn, StartTotpFn},
    components::{
        account_fields::{CurrentPasswordField, SecondFactorCodeField},
        errors::{ErrorPanel, FormAlert},
        form::SubmitButton,
        style::{DANGER, PRIMARY},
    },
    i18n::*,
    views::second_factor::{TotpOutcome, TotpState, TotpStatus},
};
use leptos::prelude::*;

/// The section: where the account's authenticator stands, and the form for its next step.
#[component]
pub(super) fn TotpSection() -> impl IntoView {
    let i18n = use_i18n();
    let status = Resource::new(|| (), |_| totp_status());
    view! {
        <Section
            id="totp"
            testid="totp-section"
            title=Signal::derive(move || t_string!(i18n, totp_title).to_string())
            intro=Signal::derive(move || t_string!(i18n, totp_intro).to_string())
        >
            <Suspense fallback=|| view! { <div class="h-24 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(TotpStatus { state, outcome }) => view! {
                            {outcome.map(|outcome| view! { <TotpOutcomeNote outcome /> })}
                            {match state {
                                TotpState::Off => view! { <TotpStartForm /> }.into_any(),
                                TotpState::Enrolling { secret, qr_svg } => view! { <TotpConfirmForm secret qr_svg /> }.into_any(),
                                TotpState::On { recovery_codes_left } => view! { <TotpOn recovery_codes_left /> }.into_any(),
                            }}
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </Section>
    }
}

/// What the last form did: switched off, or switched on with the recovery codes (shown this once).
#[component]
fn TotpOutcomeNote(outcome: TotpOutcome) -> impl IntoView {
    let i18n = use_i18n();
    match outcome {
        TotpOutcome::Disabled => view! { <Done testid="totp-disabled">{t!(i18n, totp_just_disabled)}</Done> }.into_any(),
        TotpOutcome::Enabled { recovery_codes } => view! {
            <div class="space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4" role="status">
                <p class="text-sm font-medium text-emerald-700" data-testid="totp-enabled">{t!(i18n, totp_just_enabled)}</p>
                <h3 class="font-semibold text-amber-900">{t!(i18n, totp_recovery_title)}</h3>
                <p class="text-sm text-amber-900">{t!(i18n, totp_recovery_hint)}</p>
                <ol class="grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-slate-900" data-testid="recovery-codes">
                    {recovery_codes.into_iter().map(|code| view! { <li>{code}</li> }).collect_view()}
                </ol>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn TotpStartForm() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartTotpFn>::new();
    view! {
        <p class="text-sm text-slate-600">
            <span class="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-600">{t!(i18n, totp_off)}</span>
        </p>
        <ActionForm action=start>
            <button type="submit" class=PRIMARY data-testid="totp-start">{t!(i18n, totp_start)}</button>
        </ActionForm>
    }
}

/// The secret to scan or type, and the code that proves the app holds it.
#[component]
fn TotpConfirmForm(secret: String, qr_svg: String) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = ServerAction::<ConfirmTotpFn>::new();
    let error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    // Groups of four are easier to type; apps ignore the spaces.
    let grouped =
        secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
    view! {
        <p class="text-sm text-slate-700">{t!(i18n, totp_scan)}</p>
        // Stacked on a phone: the code beside a 200 px picture would get a sliver of the screen.
        <div class="flex flex-col items-start gap-5 sm:flex-row">
            // Drawn on the server from our own otpauth:// link: plain SVG paths, no script.
            <div class="h-[200px] w-[200px] shrink-0 [&>svg]:h-full [&>svg]:w-full" role="img" aria-label=move || t_string!(i18n, totp_qr_label) inner_html=qr_svg data-testid="totp-qr"></div>
            <div class="w-full min-w-0 flex-1 space-y-4">
                <div>
                    <p class="text-xs text-slate-500">{t!(i18n, totp_manual)}</p>
                    <code class="mt-1 block break-normal rounded bg-slate-50 px-2 py-1 font-mono text-sm text-slate-900" data-testid="totp-secret">{grouped}</code>
                </div>
                <ActionForm action=confirm attr:novalidate=true attr:data-testid="totp-confirm-form">
                    <div class="space-y-3">
                        <SecondFactorCodeField label=Signal::derive(move || t_string!(i18n, totp_code_label).to_string()) error />
                        <FormAlert error />
                        <SubmitButton label=Signal::derive(move || t_string!(i18n, totp_confirm).to_string()) pending=confirm.pending() />
                    </div>
                </ActionForm>
            </div>
        </div>
    }
}

/// Switched on: how many recovery codes are left, and switching off (password and a code).
#[component]
fn TotpOn(recovery_codes_left: i64) -> impl IntoView {
    let i18n = use_i18n();
    let disable = ServerAction::<DisableTotpFn>::new();
    let error = Signal::derive(move || disable.value().get().and_then(Result::err));
    view! {
        <p class="flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="totp-on">
            <span class="rounded-full bg-emerald-50 px-2.5 py-0.5 text-xs font-medium text-emerald-700">{t!(i18n, totp_on)}</span>
            <span>{move || t_string!(i18n, totp_recovery_left, count = recovery_codes_left)}</span>
        </p>
        <details class="border-t border-slate-100 pt-4" open=move || error.get().is_some()>
            <summary class="cursor-pointer text-sm text-slate-600 hover:text-slate-900">{t!(i18n, totp_disable)}</summary>
            <ActionForm action=disable attr:class="mt-3 max-w-sm space-y-3" attr:novalidate=true attr:data-testid="totp-disable-form">
                <p class="text-xs text-slate-500">{t!(i18n, totp_disable_hint)}</p>
                <CurrentPasswordField name="password" error />
                <SecondFactorCodeField label=Signal::derive(move || t_string!(i18n, field_second_factor_code).to_string()) error />
                <FormAlert error />
                <button type="submit" class=format!("{DANGER} w-full")>{t!(i18n, totp_disable)}</button>
            </ActionForm>
        </details>
    }
}
