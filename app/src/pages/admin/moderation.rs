//! The moderation screen: the review queue, reports and block list, then restricted users, held
//! rewards and the local mail outbox.

use super::{loading, AdminShell};
use crate::{
    api::{
        moderation::{moderation_queue, ModerateTaskFn, ResolveReportFn, SetBlockedWordFn, SuspendUserFn},
        trust::{trust_overview, LiftRestrictionFn, ResolveFlagFn},
    },
    components::{
        errors::{ErrorPanel, FormAlert},
        style::{CARD, DANGER, INPUT, PRIMARY, SECONDARY},
    },
    domain::moderation::Hold,
    error::AppError,
    i18n::*,
    views::{moderation::ModerationQueue, trust::TrustOverview},
};
use leptos::prelude::*;
use leptos_router::components::A;

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
                                <button type="submit" class="text-slate-500 hover:text-red-600" aria-label=move || t_string!(i18n, action_remove)>"×"</button>
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
pub(super) fn SuspendForm(user: String, suspend: ServerAction<SuspendUserFn>) -> impl IntoView {
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

/// Restricted users (lift), tasks held as possible farming (release or withhold) and the mail the
/// local transport kept.
#[component]
fn TrustSection(
    overview: TrustOverview,
    lift: ServerAction<LiftRestrictionFn>,
    resolve: ServerAction<ResolveFlagFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class=format!("{CARD} mt-6") data-testid="admin-trust">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_trust_title)}</h2>
            <TrustLists overview lift resolve />
        </section>
    }
}

#[component]
fn TrustLists(
    overview: TrustOverview,
    lift: ServerAction<LiftRestrictionFn>,
    resolve: ServerAction<ResolveFlagFn>,
) -> impl IntoView {
    let i18n = use_i18n();
    let none = move || view! { <p class="text-sm text-slate-500">{t!(i18n, admin_none)}</p> };
    let heading = "mt-4 mb-2 text-sm font-semibold text-slate-700";
    view! {
        <h3 class=heading>{t!(i18n, admin_restricted)}</h3>
        {if overview.restricted.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="divide-y divide-slate-100 text-sm">
                    {overview
                        .restricted
                        .into_iter()
                        .map(|user| {
                            let until = user.restriction.until.clone();
                            let reason = user.restriction.reason;
                            view! {
                                <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                    <span>
                                        <span class="font-medium text-slate-800">{user.display_name.clone()}</span>
                                        <span class="ml-2 text-xs text-slate-500">
                                            {move || crate::components::errors::restriction_text(i18n, reason, &until)}
                                        </span>
                                    </span>
                                    <ActionForm action=lift>
                                        <input type="hidden" name="user" value=user.user_id.to_string() />
                                        <button type="submit" class=SECONDARY>{t!(i18n, admin_lift)}</button>
                                    </ActionForm>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h3 class=heading>{t!(i18n, admin_flags)}</h3>
        {if overview.flags.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="divide-y divide-slate-100 text-sm" data-testid="abuse-flags">
                    {overview
                        .flags
                        .into_iter()
                        .map(|flag| {
                            let shared_address = flag.reason == "shared_address";
                            view! {
                                <li class="space-y-2 py-2">
                                    <div>
                                        <a href=format!("/tasks/{}", flag.task_id) class="font-medium text-blue-700 hover:underline">{flag.task_title.clone()}</a>
                                        <div class="text-xs text-slate-500">
                                            {flag.merchant_name.clone()} " → " {flag.developer_name.clone()} " · "
                                            {move || if shared_address {
                                                t_string!(i18n, admin_flag_shared_address)
                                            } else {
                                                t_string!(i18n, admin_flag_shared_payment_account)
                                            }}
                                            " " <code>{flag.evidence.clone()}</code> " · " {flag.flagged_at.clone()}
                                        </div>
                                    </div>
                                    <div class="flex flex-wrap gap-2">
                                        <ActionForm action=resolve>
                                            <input type="hidden" name="task" value=flag.task_id.to_string() />
                                            <input type="hidden" name="release" value="true" />
                                            <button type="submit" class=SECONDARY>{t!(i18n, admin_flag_release)}</button>
                                        </ActionForm>
                                        <ActionForm action=resolve>
                                            <input type="hidden" name="task" value=flag.task_id.to_string() />
                                            <input type="hidden" name="release" value="false" />
                                            <button type="submit" class=DANGER>{t!(i18n, admin_flag_withhold)}</button>
                                        </ActionForm>
                                    </div>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
        <h3 class=heading>{t!(i18n, admin_outbox)}</h3>
        {if overview.outbox.is_empty() {
            none().into_any()
        } else {
            view! {
                <ul class="space-y-2 text-sm" data-testid="mail-outbox">
                    {overview
                        .outbox
                        .into_iter()
                        .map(|mail| view! {
                            <li class="rounded-lg bg-slate-50 px-3 py-2">
                                <div class="flex flex-wrap justify-between gap-2 text-xs text-slate-500">
                                    <span>{mail.to.clone()}</span>
                                    <span>{mail.sent_at.clone()}</span>
                                </div>
                                <div class="font-medium text-slate-800">{mail.subject.clone()}</div>
                                <pre class="mt-1 whitespace-pre-wrap font-sans text-xs text-slate-600">{mail.body.clone()}</pre>
                            </li>
                        })
                        .collect_view()}
                </ul>
            }
                .into_any()
        }}
    }
}
