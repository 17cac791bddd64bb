//! The money screen: membership prices, commission per category, accounting CSV exports and
//! growth-report ZIPs (reconciliation is its own file).

use super::AdminShell;
use crate::{
    api::{
        admin::{commission_schedule, SetCommissionRateFn},
        console::{StartCsvExportFn, CSV_EXPORT_STARTED},
        reports::{report_export, StartReportExportFn, REPORT_EXPORT_STARTED},
    },
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::{label_text, ErrorLine, LabelAround, LabelOver, SMALL_LABEL_AROUND},
        live::RefreshWhileRunning,
        style::{CARD, INPUT, PRIMARY, SECONDARY},
        task_card::category_label,
    },
    domain::{tasks::Category, validation::Field},
    i18n::*,
    views::admin::CommissionSchedule,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Money settings and accounting: commission per category, CSV exports, growth-report ZIPs.
#[component]
pub fn MoneyPage() -> impl IntoView {
    view! {
        <AdminShell active="money">
            <CommissionSection />
            <super::reconciliation::ReconciliationSection />
            <PlanPrices />
            <CsvExportSection />
            <ReportExportSection />
        </AdminShell>
    }
}

/// Membership prices and benefit numbers, one form per plan. Periods already bought keep their price.
#[component]
fn PlanPrices() -> impl IntoView {
    use crate::{
        api::membership::{admin_plans, SavePlanFn},
        domain::membership::Plan,
    };
    let i18n = use_i18n();
    let save = ServerAction::<SavePlanFn>::new();
    let plans = Resource::new(|| (), |_| admin_plans());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(()))));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="plan-prices">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_plans_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_plans_hint)}</p>
            <FormAlert error />
            {move || saved.get().then(|| view! { <p class="mt-2 text-xs text-emerald-700" role="status">{t!(i18n, admin_saved)}</p> })}
            <Transition fallback=|| view! { <div class="mt-3 h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    plans.await.ok().map(|plans| view! {
                        <div class="mt-3 grid gap-4 lg:grid-cols-3">
                            {plans.into_iter().map(|terms| {
                                let name = move || match terms.plan {
                                    Plan::GrowthPass => t_string!(i18n, plan_growth_pass),
                                    Plan::Premium => t_string!(i18n, plan_premium),
                                    Plan::Enterprise => t_string!(i18n, plan_enterprise),
                                };
                                let slug = terms.plan.as_str();
                                view! {
                                    <ActionForm action=save attr:class="space-y-2 rounded-lg border border-slate-200 p-3" attr:novalidate=true>
                                        <h3 class="text-sm font-semibold text-slate-900">{name}</h3>
                                        <input type="hidden" name="plan" value=slug />
                                        <LabelAround label=label_text(|i| t_string!(i, admin_plan_price)) message=message(Field::Amount) class=SMALL_LABEL_AROUND>
                                            <input name="price" value=terms.monthly_price.plain_yuan() class=format!("{INPUT} mt-1") data-testid=format!("plan-price-{slug}") />
                                        </LabelAround>
                                        <LabelAround label=label_text(|i| t_string!(i, admin_plan_daily_applications)) class=SMALL_LABEL_AROUND>
                                            <input name="daily_applications" value=terms.daily_applications.to_string() class=format!("{INPUT} mt-1") />
                                        </LabelAround>
                                        <LabelAround label=label_text(|i| t_string!(i, admin_plan_open_tasks)) class=SMALL_LABEL_AROUND>
                                            <input name="open_tasks" value=terms.open_tasks.to_string() class=format!("{INPUT} mt-1") />
                                        </LabelAround>
                                        <LabelAround label=label_text(|i| t_string!(i, admin_plan_discount)) class=SMALL_LABEL_AROUND>
                                            <input name="discount_percent" value=(terms.commission_discount_bps / 100).to_string() class=format!("{INPUT} mt-1") />
                                        </LabelAround>
                                        <LabelAround label=label_text(|i| t_string!(i, admin_change_reason)) class=SMALL_LABEL_AROUND>
                                            <input name="reason" class=format!("{INPUT} mt-1") />
                                        </LabelAround>
                                        <button type="submit" class=format!("{SECONDARY} w-full")>{t!(i18n, action_save_plan)}</button>
                                    </ActionForm>
                                }
                            }).collect_view()}
                        </div>
                    })
                })}
            </Transition>
        </section>
    }
}

/// Per-category commission: the rate in effect, scheduled changes, and the form to schedule one.
#[component]
fn CommissionSection() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetCommissionRateFn>::new();
    let schedule = Resource::new(|| (), |_| commission_schedule());
    let error = Signal::derive(move || set.value().get().and_then(Result::err));
    let saved = Signal::derive(move || matches!(set.value().get(), Some(Ok(()))));
    let message = move |field| Memo::new(move |_| field_message(i18n, error.get().as_ref(), field));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="commission-rates">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_commission_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_commission_hint)}</p>
            <div class="mt-4 grid gap-5 md:grid-cols-[1fr_18rem]">
                <Transition fallback=|| view! { <div class="h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                    {move || Suspend::new(async move {
                        match schedule.await {
                            Ok(schedule) => view! { <RateTable schedule /> }.into_any(),
                            Err(error) => view! { <ErrorPanel error /> }.into_any(),
                        }
                    })}
                </Transition>
                <ActionForm action=set attr:class="space-y-3" attr:novalidate=true>
                    <LabelOver label=label_text(|i| t_string!(i, field_category)) id="rate-category" message=message(Field::Category)>
                        <select id="rate-category" name="category" class=INPUT>
                            {Category::ALL
                                .into_iter()
                                .map(|c| view! { <option value=c.slug()>{move || category_label(i18n, c)}</option> })
                                .collect_view()}
                        </select>
                    </LabelOver>
                    <LabelOver label=label_text(|i| t_string!(i, admin_commission_rate)) id="rate-percent" message=message(Field::Rate) error_testid="rate-error">
                        <input id="rate-percent" name="percent" inputmode="decimal" class=INPUT placeholder="10" />
                    </LabelOver>
                    <LabelOver label=label_text(|i| t_string!(i, admin_commission_from)) id="rate-from" message=message(Field::EffectiveFrom)>
                        <input id="rate-from" name="from" type="date" class=INPUT />
                    </LabelOver>
                    // Under its field's block, as close as the block's own lines (the form's gap less 0.5rem).
                    <p class="-mt-2 text-xs text-slate-500">{t!(i18n, admin_commission_from_hint)}</p>
                    <FormAlert error />
                    {move || saved.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_commission_saved)}</p> })}
                    <button type="submit" class=format!("{PRIMARY} w-full") data-testid="save-rate" disabled=move || set.pending().get()>
                        {t!(i18n, action_schedule_rate)}
                    </button>
                </ActionForm>
            </div>
        </section>
    }
}

#[component]
fn RateTable(schedule: CommissionSchedule) -> impl IntoView {
    let i18n = use_i18n();
    let CommissionSchedule { current, upcoming } = schedule;
    view! {
        <table class="w-full text-sm">
            <thead>
                <tr class="border-b border-slate-100 text-left text-xs text-slate-500">
                    <th class="py-2 font-medium">{t!(i18n, field_category)}</th>
                    <th class="py-2 text-right font-medium">{t!(i18n, admin_commission_current)}</th>
                    <th class="py-2 text-right font-medium">{t!(i18n, admin_commission_upcoming)}</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {current
                    .into_iter()
                    .map(|(category, rate)| {
                        let next: Vec<String> = upcoming
                            .iter()
                            .filter(|s| s.category == category)
                            .map(|s| format!("{} · {}", s.from, s.rate.percent_label()))
                            .collect();
                        view! {
                            <tr data-testid=format!("rate-{}", category.slug())>
                                <td class="py-2 text-slate-800">{move || category_label(i18n, category)}</td>
                                <td class="py-2 text-right font-medium tabular-nums text-slate-900" data-testid="rate-now">{rate.percent_label()}</td>
                                <td class="whitespace-normal py-2 text-right text-xs tabular-nums text-slate-500">{if next.is_empty() { "—".to_string() } else { next.join(", ") }}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// A month's growth reports for all developers (or the listed ones) as one ZIP, built in the
/// background; the progress bar follows it until the download is ready.
#[component]
fn ReportExportSection() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartReportExportFn>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="report-export">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_reports_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_reports_hint)}</p>
            <ActionForm action=start attr:class="mt-4 grid gap-3 sm:grid-cols-[10rem_8rem_1fr_auto] sm:items-end" attr:novalidate=true>
                <LabelOver label=label_text(|i| t_string!(i, field_report_month)) id="export-month">
                    <input id="export-month" name="month" type="month" class=INPUT data-testid="export-month" />
                </LabelOver>
                <LabelOver label=label_text(|i| t_string!(i, field_report_language)) id="export-language">
                    <select id="export-language" name="language" class=INPUT>
                        <option value="zh">"中文"</option>
                        <option value="en">"English"</option>
                    </select>
                </LabelOver>
                <LabelOver label=label_text(|i| t_string!(i, field_report_handles)) id="export-handles">
                    <input id="export-handles" name="handles" class=INPUT placeholder="dev01, dev02" />
                </LabelOver>
                <button type="submit" class=PRIMARY data-testid="start-export">
                    {t!(i18n, action_export_reports)}
                </button>
                <ErrorLine
                    message=Signal::derive(move || field_message(i18n, error.get().as_ref(), Field::Month))
                    testid="export-month-error"
                    class="text-xs text-red-600 sm:col-span-4"
                />
            </ActionForm>
            <FormAlert error />
            <ExportProgress started_as=REPORT_EXPORT_STARTED />
        </section>
    }
}

/// The progress of the export named in the page's address under `started_as` (the start form
/// comes back with it there). While it runs, `RefreshWhileRunning` re-reads the bar from the page.
#[component]
fn ExportProgress(started_as: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let started = use_query_map().with_untracked(|q| q.get(started_as).and_then(|id| id.parse::<uuid::Uuid>().ok()));
    let progress = Resource::new(
        move || started,
        |id| async move {
            match id {
                Some(id) => report_export(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let region = format!("{started_as}-progress");
    let csv = started_as == crate::api::console::CSV_EXPORT_STARTED;
    view! {
        <div id=region.clone()>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    progress.await.ok().flatten().map(|export| {
                        let percent = if export.total == 0 { 100 } else { export.done * 100 / export.total };
                        view! {
                            <div class="mt-3 space-y-2" data-testid="export-progress" data-running=(!export.finished).then_some("true")>
                                <div class="h-2 overflow-hidden rounded-full bg-slate-100">
                                    <div class="h-full rounded-full bg-blue-600 transition-all" style=format!("width: {percent}%")></div>
                                </div>
                                <p class="text-sm text-slate-600">
                                    {move || t_string!(i18n, admin_reports_progress, month = export.month.clone(), done = export.done, total = export.total)}
                                </p>
                                {export.failed.then(|| view! { <p class="text-sm text-red-600">{t!(i18n, admin_reports_failed)}</p> })}
                                {(export.finished && !export.failed).then(|| view! {
                                    <a href=format!("/admin/exports/{}", export.id) rel="external" class=PRIMARY data-testid="download-export">
                                        {move || if csv { t_string!(i18n, admin_csv_download) } else { t_string!(i18n, admin_reports_download) }}
                                    </a>
                                })}
                            </div>
                        }
                    })
                })}
            </Suspense>
        </div>
        <RefreshWhileRunning region />
    }
}

/// Starting an export posts and comes back to this page with the export's id in the address
/// (`?csv_export=`), where its progress shows until the file is ready.
#[component]
pub fn CsvExportSection() -> impl IntoView {
    let i18n = use_i18n();
    let start = ServerAction::<StartCsvExportFn>::new();
    let error = Signal::derive(move || start.value().get().and_then(Result::err));
    view! {
        <section class=format!("{CARD} mt-6") data-testid="csv-export">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_csv_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_csv_hint)}</p>
            <ActionForm action=start attr:class="mt-4 grid gap-3 sm:grid-cols-[12rem_10rem_auto] sm:items-end" attr:novalidate=true>
                <LabelOver label=label_text(|i| t_string!(i, admin_csv_kind)) id="csv-kind">
                    <select id="csv-kind" name="kind" class=INPUT>
                        <option value="tasks">{t!(i18n, admin_csv_tasks)}</option>
                        <option value="payouts">{t!(i18n, admin_csv_payouts)}</option>
                        <option value="commission">{t!(i18n, admin_csv_commission)}</option>
                    </select>
                </LabelOver>
                <LabelOver label=label_text(|i| t_string!(i, field_report_month)) id="csv-month">
                    <input id="csv-month" name="month" type="month" class=INPUT />
                </LabelOver>
                <button type="submit" class=PRIMARY data-testid="start-csv-export">{t!(i18n, action_export_csv)}</button>
                <ErrorLine
                    message=Signal::derive(move || field_message(i18n, error.get().as_ref(), Field::Month))
                    class="text-xs text-red-600 sm:col-span-3"
                />
            </ActionForm>
            <FormAlert error />
            <ExportProgress started_as=CSV_EXPORT_STARTED />
        </section>
    }
}
