//! The password and devices sections of `/security` (the page itself is `pages::security`). Plain
//! forms: each posts, and the page comes back with the outcome or the error under its field.

use crate::{
    api::security::{
        security_overview, ChangePasswordFn, Device, LogOutDeviceFn, LogOutOtherDevicesFn, SecurityChange,
    },
    components::{
        errors::{ErrorPanel, FormAlert},
        form::{SubmitButton, TextField},
    },
    domain::validation::Field,
    i18n::*,
    pages::task::{CARD, DANGER, SECONDARY},
};
use leptos::prelude::*;

/// Both sections, from one read of the account's devices and of what the last form changed.
#[component]
pub fn AccountSecuritySections() -> impl IntoView {
    let overview = Resource::new(|| (), |_| security_overview());
    view! {
        <Suspense fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => {
                        let changed = overview.change == Some(SecurityChange::PasswordChanged);
                        view! {
                            <PasswordSection changed />
                            <DevicesSection devices=overview.devices change=overview.change />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Change the password: the current one, then the new one. Other devices are logged out.
#[component]
fn PasswordSection(changed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let change = ServerAction::<ChangePasswordFn>::new();
    let error = Signal::derive(move || change.value().get().and_then(Result::err));
    view! {
        <section id="password" class=format!("{CARD} space-y-4") data-testid="password-section">
            <div>
                <h2 class="font-semibold text-slate-900">{t!(i18n, security_password_title)}</h2>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, security_password_intro)}</p>
            </div>
            {changed.then(|| view! {
                <p class="text-sm font-medium text-emerald-700" role="status" data-testid="password-changed">
                    {t!(i18n, security_password_changed)}
                </p>
            })}
            <ActionForm action=change attr:class="max-w-sm space-y-4" attr:novalidate=true attr:data-testid="change-password-form">
                <TextField
                    name="current_password"
                    field=Field::Password
                    input_type="password"
                    autocomplete="current-password"
                    label=Signal::derive(move || t_string!(i18n, field_current_password).to_string())
                    error
                />
                <TextField
                    name="new_password"
                    field=Field::NewPassword
                    input_type="password"
                    autocomplete="new-password"
                    label=Signal::derive(move || t_string!(i18n, field_new_password).to_string())
                    hint=Signal::derive(move || t_string!(i18n, field_new_password_hint).to_string())
                    error
                />
                <FormAlert error />
                <SubmitButton
                    label=Signal::derive(move || t_string!(i18n, security_password_submit).to_string())
                    pending=change.pending()
                />
            </ActionForm>
        </section>
    }
}

/// The devices the account is logged in on, this one first marked, each with "log out".
#[component]
fn DevicesSection(devices: Vec<Device>, change: Option<SecurityChange>) -> impl IntoView {
    let i18n = use_i18n();
    let log_out_others = ServerAction::<LogOutOtherDevicesFn>::new();
    let others_error = Signal::derive(move || log_out_others.value().get().and_then(Result::err));
    let has_others = devices.iter().any(|d| !d.current);
    let status = move || match change {
        Some(SecurityChange::DeviceLoggedOut) => Some(t_string!(i18n, security_device_logged_out).to_string()),
        Some(SecurityChange::OthersLoggedOut { count }) => {
            Some(t_string!(i18n, security_others_logged_out, n = count).to_string())
        }
        _ => None,
    };
    view! {
        <section id="devices" class=format!("{CARD} space-y-4") data-testid="devices-section">
            <div>
                <h2 class="font-semibold text-slate-900">{t!(i18n, security_devices_title)}</h2>
                <p class="mt-1 text-sm text-slate-500">{t!(i18n, security_devices_intro)}</p>
            </div>
            {move || status().map(|text| view! {
                <p class="text-sm font-medium text-emerald-700" role="status" data-testid="devices-changed">{text}</p>
            })}
            <ul class="divide-y divide-slate-100" data-testid="device-list">
                {devices.into_iter().map(|device| view! { <DeviceRow device /> }).collect_view()}
            </ul>
            {has_others.then(|| view! {
                <ActionForm action=log_out_others attr:data-testid="log-out-others-form">
                    <button type="submit" class=DANGER>{t!(i18n, security_log_out_others)}</button>
                </ActionForm>
                <FormAlert error=others_error />
            })}
        </section>
    }
}

#[component]
fn DeviceRow(device: Device) -> impl IntoView {
    let i18n = use_i18n();
    let log_out = ServerAction::<LogOutDeviceFn>::new();
    let error = Signal::derive(move || log_out.value().get().and_then(Result::err));
    let Device { id, name, address, signed_in_at, last_seen_at, current } = device;
    let name = move || name.clone().unwrap_or_else(|| t_string!(i18n, security_device_unknown).to_string());
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="device">
            <div class="min-w-0 text-sm">
                <p class="flex flex-wrap items-center gap-2 font-medium text-slate-900">
                    <span data-testid="device-name">{name}</span>
                    {current.then(|| view! {
                        <span class="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700" data-testid="current-device">
                            {t!(i18n, security_device_current)}
                        </span>
                    })}
                </p>
                <p class="mt-0.5 text-xs text-slate-500">
                    <span class="font-mono">{address}</span>
                    " · "
                    {move || t_string!(i18n, security_device_signed_in, at = signed_in_at.clone())}
                    " · "
                    {move || t_string!(i18n, security_device_last_seen, at = last_seen_at.clone())}
                </p>
                <FormAlert error />
            </div>
            <ActionForm action=log_out attr:data-testid="log-out-device-form">
                <input type="hidden" name="device" value=id.to_string() />
                <button type="submit" class=SECONDARY>
                    {move || if current {
                        t_string!(i18n, nav_logout).to_string()
                    } else {
                        t_string!(i18n, security_log_out_device).to_string()
                    }}
                </button>
            </ActionForm>
        </li>
    }
}
