//! The console's first screen: today's and all-time figures, what waits for an admin, and GMV per day.

use super::{loading, AdminShell};
use crate::{
    api::console::dashboard,
    components::{errors::ErrorPanel, style::CARD},
    i18n::*,
    views::console::{Dashboard, DayFigures},
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let figures = Resource::new(|| (), |_| dashboard());
    view! {
        <AdminShell active="dashboard">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match figures.await {
                        Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AdminShell>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let i18n = use_i18n();
    let Dashboard { totals, today, open_disputes, applications_overdue, awaiting_review, open_reports, days } =
        dashboard;
    let label = |f: fn(leptos_i18n::I18nContext<Locale>) -> &'static str| Signal::derive(move || f(i18n).to_string());
    view! {
        <section class="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="dashboard-totals">
            <Stat label=label(|i| t_string!(i, admin_users)) value=totals.users />
            <Stat label=label(|i| t_string!(i, admin_developers)) value=totals.developers />
            <Stat label=label(|i| t_string!(i, admin_merchants)) value=totals.merchants />
            <Stat label=label(|i| t_string!(i, admin_open_tasks)) value=totals.open_tasks />
            <Stat label=label(|i| t_string!(i, admin_all_tasks)) value=totals.all_tasks />
        </section>
        <section data-testid="dashboard-today">
            <h2 class="mb-3 text-sm font-semibold text-slate-500">{t!(i18n, admin_today)}</h2>
            <div class="grid grid-cols-2 gap-3 sm:grid-cols-4">
                <Stat label=label(|i| t_string!(i, admin_new_users)) value=today.new_users />
                <Stat label=label(|i| t_string!(i, admin_tasks_posted)) value=today.tasks_posted />
                <Stat label=label(|i| t_string!(i, admin_tasks_funded)) value=today.tasks_funded />
                <Stat label=label(|i| t_string!(i, admin_tasks_completed)) value=today.tasks_completed />
            </div>
            // One amount per row on a phone: "¥1,334,250.00" in a half-width card ran past its border.
            <div class="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2">
                <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                    <div class="text-xs text-slate-500">{t!(i18n, admin_gmv)}</div>
                    <div class="mt-1 whitespace-nowrap text-2xl font-bold tabular-nums text-slate-900" data-testid="today-gmv">{today.gmv.display_yuan()}</div>
                </div>
                <div class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                    <div class="text-xs text-slate-500">{t!(i18n, admin_commission_earned)}</div>
                    <div class="mt-1 whitespace-nowrap text-2xl font-bold tabular-nums text-emerald-700" data-testid="today-commission">{today.commission.display_yuan()}</div>
                </div>
            </div>
        </section>
        <section class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="dashboard-attention">
            <Attention href="/admin/disputes" label=label(|i| t_string!(i, admin_open_disputes)) value=open_disputes />
            <Attention href="/admin/moderation" label=label(|i| t_string!(i, admin_awaiting_review)) value=awaiting_review />
            <Attention href="/admin/moderation" label=label(|i| t_string!(i, admin_open_reports)) value=open_reports />
            <Attention href="/admin/users" label=label(|i| t_string!(i, admin_applications_overdue)) value=applications_overdue />
        </section>
        <section class=format!("{CARD} mt-6")>
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_last_30_days)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_chart_hint)}</p>
            <DayChart days />
        </section>
    }
}

#[component]
fn Attention(href: &'static str, label: Signal<String>, value: i64) -> impl IntoView {
    let tone = if value > 0 { "border-amber-300 bg-amber-50" } else { "border-slate-200 bg-white" };
    view! {
        <A href=href attr:class=format!("block rounded-xl border p-4 shadow-sm hover:shadow {tone}")>
            <div class="text-xs text-slate-600">{move || label.get()}</div>
            <div class="mt-1 text-2xl font-bold tabular-nums text-slate-900">{value}</div>
        </A>
    }
}

/// GMV per day as bars, with the day's figures in each bar's tooltip; an SVG drawn on the server, so
/// the chart needs no script. The bars stretch to the card's width; the day labels are text under
/// them, not inside the SVG, so they keep their size on a phone (inside a 600-unit drawing scaled to
/// 343 px they were 6 px) and the last one ends at the right edge instead of being cut off.
#[component]
fn DayChart(days: Vec<DayFigures>) -> impl IntoView {
    let max = days.iter().map(|d| d.gmv.fen()).max().unwrap_or(0).max(1);
    let count = days.len().max(1);
    let (width, height, bar) = (600.0_f64, 160.0_f64, 600.0_f64 / count as f64);
    // Every fifth day and the last, skipping a fifth day too close to the last to fit beside it.
    let labelled = |i: usize| i + 1 == days.len() || (i % 5 == 4 && i + 3 < days.len());
    let labels = days
        .iter()
        .enumerate()
        .filter(|(i, _)| labelled(*i))
        .map(|(i, day)| {
            let style = if i + 1 == days.len() {
                "right: 0".to_string()
            } else {
                format!("left: {:.2}%; transform: translateX(-50%)", (i as f64 + 0.5) * 100.0 / count as f64)
            };
            view! { <span class="absolute top-0 whitespace-nowrap" style=style>{day.day.clone()}</span> }
        })
        .collect_view();
    view! {
        <div class="mt-4">
            <svg
                viewBox=format!("0 0 {width} {height}")
                preserveAspectRatio="none"
                class="h-40 w-full"
                role="img"
                data-testid="day-chart"
            >
                {days
                    .iter()
                    .enumerate()
                    .map(|(i, day)| {
                        let h = (day.gmv.fen() as f64 / max as f64 * (height - 4.0)).max(if day.gmv.fen() > 0 { 2.0 } else { 0.0 });
                        let x = i as f64 * bar + 2.0;
                        view! {
                            <g>
                                <title>{format!("{} · {} · {}", day.day, day.gmv.display_yuan(), day.tasks_funded)}</title>
                                <rect x=x y=height - h width=(bar - 4.0).max(1.0) height=h class="fill-blue-500" />
                            </g>
                        }
                    })
                    .collect_view()}
            </svg>
            <div class="relative mt-1 h-4 text-[11px] leading-4 tabular-nums text-slate-500" aria-hidden="true" data-testid="day-chart-labels">
                {labels}
            </div>
        </div>
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
