use crate::{api::admin::admin_overview, components::errors::ErrorPanel, i18n::*};
use leptos::prelude::*;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <h1 class="mb-6 text-2xl font-bold text-slate-900">{t!(i18n, admin_title)}</h1>
        <Suspense fallback=move || view! { <p class="text-sm text-slate-500">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        view! {
                            <div class="grid grid-cols-2 gap-3 sm:grid-cols-5">
                                <Stat label=Signal::derive(move || t_string!(i18n, admin_users).to_string()) value=o.users />
                                <Stat label=Signal::derive(move || t_string!(i18n, admin_developers).to_string()) value=o.developers />
                                <Stat label=Signal::derive(move || t_string!(i18n, admin_merchants).to_string()) value=o.merchants />
                                <Stat label=Signal::derive(move || t_string!(i18n, admin_open_tasks).to_string()) value=o.open_tasks />
                                <Stat label=Signal::derive(move || t_string!(i18n, admin_all_tasks).to_string()) value=o.all_tasks />
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

#[component]
fn Stat(#[prop(into)] label: Signal<String>, value: i64) -> impl IntoView {
    view! {
        <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <div class="text-xs text-slate-500">{move || label.get()}</div>
            <div class="mt-1 text-2xl font-bold tabular-nums text-slate-900">{value}</div>
        </div>
    }
}
