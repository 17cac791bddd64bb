//! The disputes screen: open disputes, and one dispute's case with the form that settles it.

use super::{loading, AdminShell};
use crate::{
    api::console::{admin_dispute, admin_disputes},
    components::{
        errors::{field_message, ErrorPanel, FormAlert},
        form::ErrorLine,
        status::event_kind,
        style::{CARD, INPUT, PRIMARY},
    },
    domain::validation::Field,
    i18n::*,
    views::console::DisputeCase,
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_params_map};

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
                            <ErrorLine message=Signal::derive(move || field_message(i18n, error.get().as_ref(), Field::Amount)) />
                            <textarea name="decision" rows="4" class=INPUT data-testid="decision-text" aria-label=move || t_string!(i18n, admin_decision) placeholder=move || t_string!(i18n, admin_decision)></textarea>
                            <ErrorLine message=Signal::derive(move || field_message(i18n, error.get().as_ref(), Field::Reason)) />
                            <FormAlert error />
                            <button type="submit" class=format!("{PRIMARY} w-full") data-testid="settle" disabled=move || settle.pending().get()>{t!(i18n, action_settle)}</button>
                        </ActionForm>
                    }.into_any(),
                }}
            </aside>
        </div>
    }
}
