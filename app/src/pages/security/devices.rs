//! The devices the account is logged in on, the one reading the page marked, each with "log out",
//! and "log out all the others".

use super::{Done, Section};
use crate::{
    api::security::{LogOutDeviceFn, LogOutOtherDevicesFn},
    components::{
        errors::FormAlert,
        style::{DANGER, SECONDARY},
    },
    i18n::*,
    views::security::{Device, SecurityChange},
};
use leptos::prelude::*;

#[component]
pub(super) fn DevicesSection(devices: Vec<Device>, change: Option<SecurityChange>) -> impl IntoView {
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
        <Section
            id="devices"
            testid="devices-section"
            title=Signal::derive(move || t_string!(i18n, security_devices_title).to_string())
            intro=Signal::derive(move || t_string!(i18n, security_devices_intro).to_string())
        >
            {move || status().map(|text| view! { <Done testid="devices-changed">{text}</Done> })}
            <ul class="divide-y divide-slate-100" data-testid="device-list">
                {devices.into_iter().map(|device| view! { <DeviceRow device /> }).collect_view()}
            </ul>
            {has_others.then(|| view! {
                <ActionForm action=log_out_others attr:data-testid="log-out-others-form">
                    <button type="submit" class=DANGER>{t!(i18n, security_log_out_others)}</button>
                </ActionForm>
                <FormAlert error=others_error />
            })}
        </Section>
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
                // Each fact stays whole on its line: a date must not break at its hyphens.
                <p class="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-500">
                    <span class="font-mono">{address}</span>
                    <span class="whitespace-nowrap">{move || t_string!(i18n, security_device_signed_in, at = signed_in_at.clone())}</span>
                    <span class="whitespace-nowrap">{move || t_string!(i18n, security_device_last_seen, at = last_seen_at.clone())}</span>
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
