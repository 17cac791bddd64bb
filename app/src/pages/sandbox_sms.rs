//! The sandbox phone: what the demo's SMS gateway "sent" to a number, so the demo and the tests can
//! log in with a code without a real phone. It answers only while the local gateway is in use.

use crate::{
    api::phone::sandbox_sms,
    components::{
        errors::ErrorPanel,
        style::{CARD, INPUT, SECONDARY},
    },
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SandboxSmsPage() -> impl IntoView {
    let i18n = use_i18n();
    let phone = use_query_map().read_untracked().get("phone").unwrap_or_default();
    let typed = phone.clone();
    let inbox = Resource::new(
        move || phone.clone(),
        |phone| async move {
            if phone.is_empty() {
                Ok(None)
            } else {
                sandbox_sms(phone).await.map(Some)
            }
        },
    );
    view! {
        <div class="mx-auto max-w-sm space-y-4">
            <div class="text-center">
                <h1 class="text-xl font-bold text-slate-900">{t!(i18n, sandbox_sms_title)}</h1>
                <div class="mt-2 inline-flex rounded-full bg-amber-50 px-3 py-1 text-xs font-medium text-amber-800">
                    {t!(i18n, sandbox_sms_badge)}
                </div>
            </div>
            <form method="get" action="/sandbox/sms" class="flex gap-2">
                <input
                    name="phone"
                    type="tel"
                    class=INPUT
                    value=typed
                    aria-label=move || t_string!(i18n, field_phone)
                    placeholder=move || t_string!(i18n, field_phone)
                />
                <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap")>{t!(i18n, sandbox_sms_open)}</button>
            </form>
            <Suspense fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
                {move || Suspend::new(async move {
                    match inbox.await {
                        Ok(None) => ().into_any(),
                        Ok(Some((masked, messages))) => view! {
                            <div class=format!("{CARD} space-y-3") data-testid="sandbox-inbox">
                                <div class="flex items-center justify-between text-sm">
                                    <span class="font-mono font-medium text-slate-700">{masked}</span>
                                    <a href="" class="text-blue-700 hover:underline">{t!(i18n, sandbox_sms_refresh)}</a>
                                </div>
                                {if messages.is_empty() {
                                    view! { <p class="py-6 text-center text-sm text-slate-500">{t!(i18n, sandbox_sms_empty)}</p> }.into_any()
                                } else {
                                    messages
                                        .into_iter()
                                        .map(|message| view! {
                                            <div class="rounded-2xl rounded-tl-sm bg-slate-100 px-3 py-2" data-testid="sandbox-sms">
                                                <p class="text-sm text-slate-800">{message.body}</p>
                                                <p class="mt-1 text-right text-xs text-slate-500">{message.sent_at}</p>
                                            </div>
                                        })
                                        .collect_view()
                                        .into_any()
                                }}
                            </div>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
