//! The console's operational screens: dashboard, moderation queue, challenges, disputes, users,
//! audit log and accounting exports.

use super::{
    config::{ExportProgress, Stat, TrustSection},
    AdminShell,
};
use crate::{
    api::{
        audit::audit_log,
        console::{
            admin_dispute, admin_disputes, admin_users, dashboard, AdjustPointsFn, CreateChallengeFn,
            SetChallengeActiveFn, StartCsvExportFn, CSV_EXPORT_STARTED,
        },
        moderation::{moderation_queue, ModerateTaskFn, ResolveReportFn, SetBlockedWordFn, SuspendUserFn},
        trust::{trust_overview, LiftRestrictionFn, ResolveFlagFn},
    },
    components::{
        errors::{field_message, restriction_text, ErrorPanel, FormAlert},
        status::event_kind,
        style::{CARD, DANGER, INPUT, PRIMARY, SECONDARY},
    },
    domain::{
        challenges::{Activity, Cadence},
        moderation::Hold,
        validation::Field,
    },
    error::AppError,
    i18n::*,
    pages::growth::activity_label,
    views::{
        console::{AdminChallenge, AdminUser, Dashboard, DayFigures, DisputeCase},
        moderation::ModerationQueue,
    },
};
use leptos::prelude::*;
use leptos_router::{
    components::{Form, A},
    hooks::{use_params_map, use_query_map},
};

fn loading() -> impl IntoView {
    view! { <div class="h-40 animate-pulse rounded-xl bg-slate-100"></div> }
}

// ---------------------------------------------------------------------------------------------
// Dashboard

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

/// GMV per day as bars, with the day's funded task count above each; an SVG drawn on the server, so
/// the chart needs no script.
#[component]
fn DayChart(days: Vec<DayFigures>) -> impl IntoView {
    let max = days.iter().map(|d| d.gmv.fen()).max().unwrap_or(0).max(1);
    let (width, height, bar) = (600.0_f64, 160.0_f64, 600.0_f64 / days.len().max(1) as f64);
    view! {
        <svg viewBox=format!("0 0 {width} {}", height + 20.0) class="mt-4 h-48 w-full" role="img" data-testid="day-chart">
            {days
                .iter()
                .enumerate()
                .map(|(i, day)| {
                    let h = (day.gmv.fen() as f64 / max as f64 * (height - 16.0)).max(if day.gmv.fen() > 0 { 2.0 } else { 0.0 });
                    let x = i as f64 * bar + 2.0;
                    view! {
                        <g>
                            <title>{format!("{} · {} · {}", day.day, day.gmv.display_yuan(), day.tasks_funded)}</title>
                            <rect x=x y=height - h width=(bar - 4.0).max(1.0) height=h rx="2" class="fill-blue-500" />
                            {(i % 5 == 4 || i + 1 == days.len()).then(|| view! {
                                <text x=x y=height + 14.0 class="fill-slate-400" font-size="10">{day.day.clone()}</text>
                            })}
                        </g>
                    }
                })
                .collect_view()}
        </svg>
    }
}

// ---------------------------------------------------------------------------------------------
// Moderation

/// The review queue, reports and block list, then restricted users and held rewards: one resource
/// for the page, as on the growth page.
#[component]
pub fn ModerationPage() -> impl IntoView {
    let moderate = ServerAction::<ModerateTaskFn>::new();
    let resolve = ServerAction::<ResolveReportFn>::new();
    let suspend = ServerAction::<SuspendUserFn>::new();
    let words = ServerAction::<SetBlockedWordFn>::new();
    let lift = ServerAction::<LiftRestrictionFn>::new();
    let release = ServerAction::<ResolveFlagFn>::new();
    let data =
        Resource::new(|| (), |_| async { Ok::<_, AppError>((moderation_queue().await?, trust_overview().await?)) });
    view! {
        <AdminShell active="moderation">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok((queue, overview)) => view! {
                            <ModerationView queue moderate resolve suspend words />
                            <TrustSection overview lift resolve=release />
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

#[component]
fn ModerationView(
    queue: ModerationQueue,
    moderate: ServerAction<ModerateTaskFn>,
    resolve: ServerAction<ResolveReportFn>,
    suspend: ServerAction<SuspendUserFn>,
    words: ServerAction<SetBlockedWordFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let ModerationQueue { tasks, reports, blocked_words } = queue;
    let moderate_error = Signal::derive(move || moderate.value().get().and_then(Result::err));
    let suspend_error = Signal::derive(move || suspend.value().get().and_then(Result::err));
    view! {
        <section class=CARD data-testid="review-queue">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_review_queue)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_review_queue_hint)}</p>
            <FormAlert error=moderate_error />
            {tasks.is_empty().then(|| view! { <p class="mt-4 text-sm text-slate-500">{t!(i18n, admin_queue_empty)}</p> })}
            <ul class="mt-3 divide-y divide-slate-100">
                {tasks
                    .into_iter()
                    .map(|task| {
                        let hold = match &task.hold {
                            Some(Hold::BlockedWords { words }) => t_string!(i18n, admin_hold_blocked, words = words.join("、")).to_string(),
                            _ => t_string!(i18n, admin_hold_new_merchant).to_string(),
                        };
                        let (approve_id, reject_id) = (task.id.to_string(), task.id.to_string());
                        view! {
                            <li class="py-3" data-testid="queued-task">
                                <div class="flex flex-wrap items-baseline justify-between gap-2">
                                    <A href=format!("/tasks/{}", task.id) attr:class="font-medium text-slate-900 hover:text-blue-700">{task.title.clone()}</A>
                                    <span class="text-sm tabular-nums text-slate-700">{task.reward.display_yuan()}</span>
                                </div>
                                <p class="mt-1 text-xs text-slate-500">{format!("{} · {} · ", task.merchant, task.published)}<span class="text-amber-700">{hold}</span></p>
                                <div class="mt-2 flex flex-wrap items-start gap-2">
                                    <ActionForm action=moderate>
                                        <input type="hidden" name="task" value=approve_id />
                                        <input type="hidden" name="action" value="approve" />
                                        <input type="hidden" name="reason" value="" />
                                        <button type="submit" class=PRIMARY data-testid="approve-task">{t!(i18n, action_approve)}</button>
                                    </ActionForm>
                                    <ActionForm action=moderate attr:class="flex flex-1 flex-wrap gap-2">
                                        <input type="hidden" name="task" value=reject_id />
                                        <input type="hidden" name="action" value="reject" />
                                        <input name="reason" class=format!("{INPUT} min-w-[12rem] flex-1") placeholder=move || t_string!(i18n, admin_reject_reason) aria-label=move || t_string!(i18n, admin_reject_reason) />
                                        <button type="submit" class=DANGER data-testid="reject-task">{t!(i18n, action_reject)}</button>
                                    </ActionForm>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class=format!("{CARD} mt-6") data-testid="reports">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_reports_queue)}</h2>
            <FormAlert error=suspend_error />
            {reports.is_empty().then(|| view! { <p class="mt-4 text-sm text-slate-500">{t!(i18n, admin_reports_empty)}</p> })}
            <ul class="mt-3 divide-y divide-slate-100">
                {reports
                    .into_iter()
                    .map(|report| {
                        let report_id = report.id.to_string();
                        view! {
                            <li class="space-y-2 py-3" data-testid="user-report">
                                <p class="text-sm text-slate-800">
                                    {report.task_title.clone().map(|title| view! { <span class="font-medium">{title}" · "</span> })}
                                    {report.user_name.clone().unwrap_or_default()}
                                </p>
                                <p class="text-sm text-slate-600">{format!("“{}” — {} · {}", report.reason, report.reporter, report.at)}</p>
                                <div class="flex flex-wrap gap-2">
                                    <ActionForm action=resolve>
                                        <input type="hidden" name="report" value=report_id.clone() />
                                        <input type="hidden" name="outcome" value="dismissed" />
                                        <button type="submit" class=SECONDARY>{t!(i18n, action_dismiss)}</button>
                                    </ActionForm>
                                    {report.task_id.map(|task| view! {
                                        <ActionForm action=moderate attr:class="flex gap-2">
                                            <input type="hidden" name="task" value=task.to_string() />
                                            <input type="hidden" name="action" value="hide" />
                                            <input name="reason" class=INPUT value=report.reason.clone() aria-label=move || t_string!(i18n, admin_reject_reason) />
                                            <button type="submit" class=DANGER>{t!(i18n, action_hide_task)}</button>
                                        </ActionForm>
                                    })}
                                    {report.user_id.map(|user| view! { <SuspendForm user=user.to_string() suspend /> })}
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class=format!("{CARD} mt-6") data-testid="block-list">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_block_list)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_block_list_hint)}</p>
            <ActionForm action=words attr:class="mt-3 flex gap-2">
                <input type="hidden" name="blocked" value="true" />
                <input name="word" class=INPUT aria-label=move || t_string!(i18n, admin_block_word) placeholder=move || t_string!(i18n, admin_block_word) data-testid="block-word" />
                <button type="submit" class=SECONDARY data-testid="add-block-word">{t!(i18n, action_add)}</button>
            </ActionForm>
            <ul class="mt-3 flex flex-wrap gap-2">
                {blocked_words
                    .into_iter()
                    .map(|word| view! {
                        <li>
                            <ActionForm action=words attr:class="inline-flex items-center gap-1 rounded-full bg-slate-100 px-3 py-1 text-sm text-slate-700">
                                <input type="hidden" name="word" value=word.clone() />
                                <input type="hidden" name="blocked" value="false" />
                                {word.clone()}
                                <button type="submit" class="text-slate-400 hover:text-red-600" aria-label=move || t_string!(i18n, action_remove)>"×"</button>
                            </ActionForm>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Suspend a user for a number of days with a reason they are shown.
#[component]
fn SuspendForm(user: String, suspend: ServerAction<SuspendUserFn>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=suspend attr:class="flex flex-wrap gap-2">
            <input type="hidden" name="user" value=user />
            <input name="days" inputmode="numeric" class=format!("{INPUT} w-20") value="7" aria-label=move || t_string!(i18n, admin_suspend_days) />
            <input name="reason" class=format!("{INPUT} min-w-[10rem] flex-1") placeholder=move || t_string!(i18n, admin_suspend_reason) aria-label=move || t_string!(i18n, admin_suspend_reason) />
            <button type="submit" class=DANGER data-testid="suspend-user">{t!(i18n, action_suspend)}</button>
        </ActionForm>
    }
}

// ---------------------------------------------------------------------------------------------
// Challenges (on the growth configuration screen)

#[component]
pub fn ChallengesSection(
    list: Vec<AdminChallenge>,
    create: ServerAction<CreateChallengeFn>,
    toggle: ServerAction<SetChallengeActiveFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(()))));
    let message = move |field| move || field_message(i18n, error.get().as_ref(), field);
    let text = move |name: &'static str, label: Signal<String>, field: Field| {
        view! {
            <div class="space-y-1">
                <label for=format!("challenge-{name}") class="block text-xs font-medium text-slate-600">{move || label.get()}</label>
                <input id=format!("challenge-{name}") name=format!("form[{name}]") class=INPUT />
                <p class="text-xs text-red-600">{message(field)}</p>
            </div>
        }
    };
    let label =
        move |f: fn(leptos_i18n::I18nContext<Locale>) -> &'static str| Signal::derive(move || f(i18n).to_string());
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-challenges">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_challenges_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_challenges_hint)}</p>
            <ChallengeList list toggle />
            <ActionForm action=create attr:class="mt-4 grid gap-3 sm:grid-cols-2" attr:novalidate=true>
                {text("slug", label(|i| t_string!(i, field_slug)), Field::Slug)}
                {text("growth_points", label(|i| t_string!(i, growth_points)), Field::Points)}
                {text("name_zh", label(|i| t_string!(i, field_name_zh)), Field::NameZh)}
                {text("name_en", label(|i| t_string!(i, field_name_en)), Field::NameEn)}
                {text("description_zh", label(|i| t_string!(i, field_description_zh)), Field::DescriptionZh)}
                {text("description_en", label(|i| t_string!(i, field_description_en)), Field::DescriptionEn)}
                <div class="space-y-1">
                    <label for="challenge-cadence" class="block text-xs font-medium text-slate-600">{t!(i18n, field_challenge_cadence)}</label>
                    <select id="challenge-cadence" name="form[cadence]" class=INPUT>
                        <option value="weekly">{t!(i18n, cadence_weekly)}</option>
                        <option value="daily">{t!(i18n, cadence_daily)}</option>
                        <option value="onboarding">{t!(i18n, cadence_onboarding)}</option>
                        <option value="dated">{t!(i18n, cadence_dated)}</option>
                    </select>
                    <p class="text-xs text-red-600">{message(Field::Cadence)}</p>
                </div>
                <div class="grid grid-cols-3 gap-2">
                    <div class="space-y-1">
                        <label for="challenge-start" class="block text-xs font-medium text-slate-600">{t!(i18n, field_challenge_start)}</label>
                        <input id="challenge-start" name="form[start]" type="date" class=INPUT />
                        <p class="text-xs text-red-600">{message(Field::EffectiveFrom)}</p>
                    </div>
                    <div class="space-y-1">
                        <label for="challenge-end" class="block text-xs font-medium text-slate-600">{t!(i18n, field_challenge_end)}</label>
                        <input id="challenge-end" name="form[end]" type="date" class=INPUT />
                        <p class="text-xs text-red-600">{message(Field::EndDate)}</p>
                    </div>
                    <div class="space-y-1">
                        <label for="challenge-days" class="block text-xs font-medium text-slate-600">{t!(i18n, field_challenge_days)}</label>
                        <input id="challenge-days" name="form[onboarding_days]" inputmode="numeric" class=INPUT />
                        <p class="text-xs text-red-600">{message(Field::Days)}</p>
                    </div>
                </div>
                <div class="space-y-1">
                    <label for="challenge-activity" class="block text-xs font-medium text-slate-600">{t!(i18n, field_challenge_activity)}</label>
                    <select id="challenge-activity" name="form[activity]" class=INPUT>
                        {Activity::ALL
                            .into_iter()
                            .map(|a| view! { <option value=a.as_str()>{move || activity_label(i18n, a)}</option> })
                            .collect_view()}
                    </select>
                    <p class="text-xs text-red-600">{message(Field::Rule)}</p>
                </div>
                {text("count", label(|i| t_string!(i, field_challenge_count)), Field::Goal)}
                <label class="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
                    <input type="checkbox" name="form[with_badge]" value="true" class="h-4 w-4 rounded border-slate-300" />
                    {t!(i18n, field_challenge_with_badge)}
                </label>
                <label class="flex items-center gap-2 text-sm text-slate-700">
                    <input type="checkbox" name="form[advanced]" value="true" class="h-4 w-4 rounded border-slate-300" />
                    {t!(i18n, field_challenge_advanced)}
                </label>
                <div class="sm:col-span-2">
                    <FormAlert error />
                    {move || created.get().then(|| view! { <p class="text-xs text-emerald-700" role="status">{t!(i18n, admin_challenge_created)}</p> })}
                    <button type="submit" class=PRIMARY data-testid="create-challenge" disabled=move || create.pending().get()>
                        {t!(i18n, action_create_challenge)}
                    </button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChallengeList(list: Vec<AdminChallenge>, toggle: ServerAction<SetChallengeActiveFn>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="mt-3 divide-y divide-slate-100">
            {list
                .into_iter()
                .map(|c| {
                    let (name_zh, name_en) = (c.name_zh.clone(), c.name_en.clone());
                    let cadence = c.rule.cadence;
                    let testid = format!("admin-challenge-{}", c.slug);
                    view! {
                        <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid=testid>
                            <div>
                                <div class="font-medium text-slate-900">
                                    {move || if i18n.get_locale() == Locale::zh_CN { name_zh.clone() } else { name_en.clone() }}
                                    {(!c.active).then(|| view! { <span class="ml-2 text-xs text-slate-400">{t!(i18n, admin_challenge_off)}</span> })}
                                </div>
                                <div class="text-xs text-slate-500">
                                    {move || cadence_label(i18n, cadence)}
                                    {format!(" · +{} · {} ✓", c.growth_points, c.completions)}
                                    {c.badge.clone().map(|b| format!(" · 🏅 {b}"))}
                                </div>
                            </div>
                            <ActionForm action=toggle>
                                <input type="hidden" name="slug" value=c.slug.clone() />
                                <input type="hidden" name="active" value=(!c.active).to_string() />
                                <button type="submit" class=SECONDARY>
                                    {move || if c.active { t_string!(i18n, action_deactivate) } else { t_string!(i18n, action_activate) }}
                                </button>
                            </ActionForm>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn cadence_label(i18n: leptos_i18n::I18nContext<Locale>, cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::Daily => t_string!(i18n, cadence_daily),
        Cadence::Weekly => t_string!(i18n, cadence_weekly),
        Cadence::Onboarding { .. } => t_string!(i18n, cadence_onboarding),
        Cadence::Dated { .. } => t_string!(i18n, cadence_dated),
    }
}

// ---------------------------------------------------------------------------------------------
// Disputes

#[component]
pub fn DisputesPage() -> impl IntoView {
    let i18n = use_i18n();
    let disputes = Resource::new(|| (), |_| admin_disputes());
    view! {
        <AdminShell active="disputes">
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match disputes.await {
                        Ok(list) if list.is_empty() => view! { <p class=format!("{CARD} text-sm text-slate-500")>{t!(i18n, admin_disputes_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class=format!("{CARD} divide-y divide-slate-100") data-testid="dispute-list">
                                {list.into_iter().map(|d| view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-3">
                                        <div>
                                            <A href=format!("/admin/disputes/{}", d.milestone) attr:class="font-medium text-slate-900 hover:text-blue-700" attr:data-testid="open-dispute">{d.title.clone()}</A>
                                            <p class="text-xs text-slate-500">{format!("{} ↔ {} · {}", d.merchant, d.developer, d.opened)}</p>
                                        </div>
                                        <span class="tabular-nums text-slate-800">{d.amount.display_yuan()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        </AdminShell>
    }
}

#[component]
pub fn DisputeCasePage() -> impl IntoView {
    let params = use_params_map();
    let settle = ServerAction::<crate::api::admin::SettleDisputeFn>::new();
    let case = Resource::new(
        move || params.read().get("milestone"),
        |milestone| async move {
            let milestone = milestone.and_then(|m| m.parse().ok()).ok_or(crate::error::AppError::NotFound)?;
            admin_dispute(milestone).await
        },
    );
    view! {
        <AdminShell active="disputes">
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match case.await {
                        Ok(case) => view! { <CaseView case settle /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

#[component]
fn CaseView(case: DisputeCase, settle: ServerAction<crate::api::admin::SettleDisputeFn>) -> impl IntoView {
    let i18n = use_i18n();
    let DisputeCase { summary, statement, response, commission_bps, timeline, deliveries, messages, decision } = case;
    let error = Signal::derive(move || settle.value().get().and_then(Result::err));
    let (opener, other) = if summary.opened_by_merchant {
        (summary.merchant.clone(), summary.developer.clone())
    } else {
        (summary.developer.clone(), summary.merchant.clone())
    };
    view! {
        <div class="grid gap-6 lg:grid-cols-[1fr_22rem]" data-testid="dispute-case">
            <div class="space-y-6">
                <section class=CARD>
                    <A href=format!("/tasks/{}", summary.task) attr:class="text-lg font-semibold text-slate-900 hover:text-blue-700">{summary.title.clone()}</A>
                    <p class="mt-1 text-sm text-slate-600">{format!("{} ↔ {} · {} · {}%", summary.merchant, summary.developer, summary.amount.display_yuan(), commission_bps as f64 / 100.0)}</p>
                    <div class="mt-4 grid gap-3 sm:grid-cols-2">
                        <div class="rounded-lg bg-amber-50 p-3">
                            <div class="text-xs font-medium text-amber-800">{move || t_string!(i18n, admin_statement_of, name = opener.clone()).to_string()}</div>
                            <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800" data-testid="statement">{statement}</p>
                        </div>
                        <div class="rounded-lg bg-slate-50 p-3">
                            <div class="text-xs font-medium text-slate-600">{move || t_string!(i18n, admin_statement_of, name = other.clone()).to_string()}</div>
                            <p class="mt-1 whitespace-pre-wrap text-sm text-slate-800" data-testid="response">
                                {response.unwrap_or_else(|| t_string!(i18n, admin_no_response).to_string())}
                            </p>
                        </div>
                    </div>
                </section>
                <section class=CARD>
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_case_deliveries)}</h2>
                    {deliveries.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">"—"</p> })}
                    <ul class="mt-2 space-y-3">
                        {deliveries.into_iter().map(|d| view! {
                            <li class="rounded-lg border border-slate-100 p-3 text-sm">
                                <div class="text-xs text-slate-500">{d.at}</div>
                                <p class="mt-1 whitespace-pre-wrap text-slate-800">{d.message}</p>
                                {d.links.into_iter().map(|l| view! { <a href=l.clone() rel="nofollow noopener" target="_blank" class="block truncate text-blue-700">{l.clone()}</a> }).collect_view()}
                                {d.files.into_iter().map(|(id, name)| view! { <a href=format!("/files/{id}") rel="external" class="block text-blue-700">{"📎 "}{name}</a> }).collect_view()}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
                <section class=CARD>
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_case_messages)}</h2>
                    {messages.is_empty().then(|| view! { <p class="mt-2 text-sm text-slate-500">"—"</p> })}
                    <ul class="mt-2 space-y-2">
                        {messages.into_iter().map(|m| {
                            let tone = if m.from_merchant { "bg-slate-50" } else { "bg-blue-50" };
                            view! {
                                <li class=format!("rounded-lg p-2 text-sm {tone}")>
                                    <div class="text-xs text-slate-500">{format!("{} · {}", m.author, m.at)}</div>
                                    <p class="whitespace-pre-wrap text-slate-800">{m.body}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
                <section class=CARD>
                    <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_case_timeline)}</h2>
                    <ol class="mt-2 space-y-1 text-sm">
                        {timeline.into_iter().map(|e| view! {
                            <li class="flex gap-3">
                                <span class="w-32 shrink-0 tabular-nums text-xs text-slate-500">{e.at}</span>
                                <span class="text-slate-800">{move || event_kind(i18n, &e.kind)}{e.actor.map(|a| format!(" · {a}"))}{(!e.note.is_empty()).then(|| format!(" — {}", e.note))}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                </section>
            </div>
            <aside class=format!("{CARD} h-fit") data-testid="settle-panel">
                <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_settle_title)}</h2>
                {match decision {
                    Some(decision) => view! {
                        <p class="mt-2 rounded-lg bg-emerald-50 p-3 text-sm text-emerald-800" data-testid="decision">{decision}</p>
                    }.into_any(),
                    None => view! {
                        <ActionForm action=settle attr:class="mt-3 space-y-3" attr:novalidate=true>
                            <input type="hidden" name="milestone" value=summary.milestone.to_string() />
                            <div class="flex gap-2">
                                <select name="split" class=format!("{INPUT} w-32") aria-label=move || t_string!(i18n, admin_split_by)>
                                    <option value="percent">{t!(i18n, admin_split_percent)}</option>
                                    <option value="amount">{t!(i18n, admin_split_amount)}</option>
                                </select>
                                <input name="developer_share" class=INPUT inputmode="decimal" data-testid="developer-share" aria-label=move || t_string!(i18n, admin_developer_share) placeholder="70" />
                            </div>
                            <p class="text-xs text-slate-500">{t!(i18n, admin_settle_hint)}</p>
                            <p class="text-xs text-red-600">{move || field_message(i18n, error.get().as_ref(), Field::Amount)}</p>
                            <textarea name="decision" rows="4" class=INPUT data-testid="decision-text" aria-label=move || t_string!(i18n, admin_decision) placeholder=move || t_string!(i18n, admin_decision)></textarea>
                            <p class="text-xs text-red-600">{move || field_message(i18n, error.get().as_ref(), Field::Reason)}</p>
                            <FormAlert error />
                            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="settle" disabled=move || settle.pending().get()>{t!(i18n, action_settle)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </aside>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Users

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let suspend = ServerAction::<SuspendUserFn>::new();
    let adjust = ServerAction::<AdjustPointsFn>::new();
    let lift = ServerAction::<LiftRestrictionFn>::new();
    let invite = ServerAction::<crate::api::contests::InviteMentorFn>::new();
    let users = Resource::new(move || query.read().get("q").unwrap_or_default(), admin_users);
    let errors = Signal::derive(move || {
        suspend.value().get().and_then(Result::err).or_else(|| adjust.value().get().and_then(Result::err))
    });
    view! {
        <AdminShell active="users">
            <Form method="GET" action="" attr:class="mb-4 flex gap-2">
                <input name="q" class=INPUT value=move || query.read().get("q").unwrap_or_default() placeholder=move || t_string!(i18n, admin_user_search) aria-label=move || t_string!(i18n, admin_user_search) />
                <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap")>{t!(i18n, action_search)}</button>
            </Form>
            <FormAlert error=errors />
            <p class="mb-2 text-xs text-red-600">{move || field_message(i18n, errors.get().as_ref(), Field::Points)}{move || field_message(i18n, errors.get().as_ref(), Field::Reason)}</p>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) if list.is_empty() => view! { <p class=format!("{CARD} text-sm text-slate-500")>{t!(i18n, admin_users_empty)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="space-y-3" data-testid="admin-users">
                                {list.into_iter().map(|user| view! { <UserRow user suspend adjust lift invite /> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

#[component]
fn UserRow(
    user: AdminUser,
    suspend: ServerAction<SuspendUserFn>,
    adjust: ServerAction<AdjustPointsFn>,
    lift: ServerAction<LiftRestrictionFn>,
    invite: ServerAction<crate::api::contests::InviteMentorFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.id.to_string();
    let invited = user.invited_mentor;
    let invite_id = id.clone();
    let is_developer = user.role == "developer";
    let restriction = user.restriction.clone();
    view! {
        <li class=CARD data-testid="admin-user">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <div>
                    <span class="font-medium text-slate-900">{user.display_name.clone()}</span>
                    <span class="ml-2 text-xs text-slate-500">{format!("{} · {} · {}", user.email, user.role, user.joined)}</span>
                </div>
                <div class="text-sm tabular-nums text-slate-700">
                    {user.level.clone().map(|l| format!("{l} · "))}
                    {is_developer.then(|| format!("{} · ", t_string!(i18n, admin_points_label, points = user.growth_points)))}
                    {user.available.display_yuan()}
                </div>
            </div>
            {user.handle.clone().map(|h| view! { <A href=format!("/u/{h}") attr:class="text-xs text-blue-700">{format!("/u/{h}")}</A> })}
            {restriction.map(|r| {
                let user_id = id.clone();
                view! {
                    <div class="mt-2 flex flex-wrap items-center gap-2 rounded-lg bg-amber-50 p-2 text-sm text-amber-800" data-testid="user-restricted">
                        <span>{move || restriction_text(i18n, r.reason, &r.until)}</span>
                        <ActionForm action=lift>
                            <input type="hidden" name="user" value=user_id />
                            <button type="submit" class=SECONDARY>{t!(i18n, action_lift_restriction)}</button>
                        </ActionForm>
                    </div>
                }
            })}
            <div class="mt-3 flex flex-col gap-2 sm:flex-row">
                {(user.role != "admin").then(|| view! { <SuspendForm user=id.clone() suspend /> })}
                {is_developer.then(|| view! {
                    <ActionForm action=adjust attr:class="flex flex-wrap gap-2">
                        <input type="hidden" name="user" value=id.clone() />
                        <input name="points" inputmode="numeric" class=format!("{INPUT} w-24") placeholder="+50" aria-label=move || t_string!(i18n, admin_adjust_points) />
                        <input name="reason" class=format!("{INPUT} min-w-[10rem] flex-1") placeholder=move || t_string!(i18n, admin_adjust_reason) aria-label=move || t_string!(i18n, admin_adjust_reason) />
                        <button type="submit" class=SECONDARY>{t!(i18n, action_adjust_points)}</button>
                    </ActionForm>
                })}
                {(user.role != "admin").then(|| view! {
                    <ActionForm action=invite>
                        <input type="hidden" name="user" value=invite_id />
                        <input type="hidden" name="invited" value=(!invited).to_string() />
                        <button type="submit" class=SECONDARY data-testid="invite-mentor">
                            {move || if invited { t_string!(i18n, admin_uninvite_mentor) } else { t_string!(i18n, admin_invite_mentor) }}
                        </button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

// ---------------------------------------------------------------------------------------------
// Audit log

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let log = Resource::new(
        move || {
            let q = query.read();
            (q.get("q").unwrap_or_default(), q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1))
        },
        |(q, page)| audit_log(q, page),
    );
    view! {
        <AdminShell active="audit">
            <p class="mb-3 text-xs text-slate-500">{t!(i18n, admin_audit_hint)}</p>
            <Form method="GET" action="" attr:class="mb-4 flex gap-2">
                <input name="q" class=INPUT value=move || query.read().get("q").unwrap_or_default() placeholder=move || t_string!(i18n, admin_audit_search) aria-label=move || t_string!(i18n, admin_audit_search) />
                <button type="submit" class=format!("{SECONDARY} shrink-0 whitespace-nowrap")>{t!(i18n, action_search)}</button>
            </Form>
            <Transition fallback=loading>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(page) if page.entries.is_empty() => view! { <p class=format!("{CARD} text-sm text-slate-500")>{t!(i18n, admin_audit_empty)}</p> }.into_any(),
                        Ok(page) => view! {
                            <div class=format!("{CARD} overflow-x-auto")>
                                <table class="w-full min-w-[40rem] text-sm" data-testid="audit-log">
                                    <thead>
                                        <tr class="border-b border-slate-100 text-left text-xs text-slate-500">
                                            <th class="py-2 font-medium">{t!(i18n, admin_audit_when)}</th>
                                            <th class="py-2 font-medium">{t!(i18n, admin_audit_who)}</th>
                                            <th class="py-2 font-medium">{t!(i18n, admin_audit_what)}</th>
                                            <th class="py-2 font-medium">{t!(i18n, admin_audit_change)}</th>
                                        </tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100 align-top">
                                        {page.entries.into_iter().map(|e| view! {
                                            <tr data-testid="audit-entry">
                                                <td class="py-2 pr-3 tabular-nums text-xs text-slate-500">{e.at}</td>
                                                <td class="py-2 pr-3 text-slate-800">{e.admin}</td>
                                                <td class="py-2 pr-3">
                                                    <div class="font-mono text-xs text-slate-900" data-testid="audit-action">{e.action}</div>
                                                    <div class="break-all font-mono text-xs text-slate-500">{e.subject}</div>
                                                    {(!e.reason.is_empty()).then(|| view! { <div class="text-xs text-slate-700">{e.reason.clone()}</div> })}
                                                </td>
                                                <td class="py-2 font-mono text-xs text-slate-600">
                                                    <div class="break-all">{e.before.unwrap_or_else(|| "—".into())}</div>
                                                    <div class="break-all text-slate-900">{"→ "}{e.after.unwrap_or_else(|| "—".into())}</div>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <p class="mt-3 text-xs text-slate-500">{move || t_string!(i18n, admin_audit_total, total = page.total, page = page.page, pages = page.pages).to_string()}</p>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </AdminShell>
    }
}

// ---------------------------------------------------------------------------------------------
// Accounting exports (on the money screen)

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
                <div class="space-y-1">
                    <label for="csv-kind" class="block text-sm font-medium text-slate-700">{t!(i18n, admin_csv_kind)}</label>
                    <select id="csv-kind" name="kind" class=INPUT>
                        <option value="tasks">{t!(i18n, admin_csv_tasks)}</option>
                        <option value="payouts">{t!(i18n, admin_csv_payouts)}</option>
                        <option value="commission">{t!(i18n, admin_csv_commission)}</option>
                    </select>
                </div>
                <div class="space-y-1">
                    <label for="csv-month" class="block text-sm font-medium text-slate-700">{t!(i18n, field_report_month)}</label>
                    <input id="csv-month" name="month" type="month" class=INPUT />
                </div>
                <button type="submit" class=PRIMARY data-testid="start-csv-export">{t!(i18n, action_export_csv)}</button>
                <p class="text-xs text-red-600 sm:col-span-3">{move || field_message(i18n, error.get().as_ref(), Field::Month)}</p>
            </ActionForm>
            <FormAlert error />
            <ExportProgress started_as=CSV_EXPORT_STARTED />
        </section>
    }
}
