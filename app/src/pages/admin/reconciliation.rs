//! The reconciliation list on /admin/money: provider events that contradicted a settled deposit or
//! withdrawal (a "paid" after a "failed"), each with every event the provider sent about it.

use crate::{
    api::wallet::reconciliation,
    components::{errors::ErrorPanel, style::CARD},
    i18n::*,
    views::wallet::Discrepancy,
};
use leptos::prelude::*;

#[component]
pub fn ReconciliationSection() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| reconciliation());
    view! {
        <section class=format!("{CARD} mt-6") data-testid="reconciliation">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, admin_reconciliation_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, admin_reconciliation_hint)}</p>
            <Transition fallback=|| view! { <div class="mt-3 h-20 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => {
                            view! { <p class="mt-3 text-sm text-slate-500">{t!(i18n, admin_reconciliation_empty)}</p> }.into_any()
                        }
                        Ok(items) => view! {
                            <ul class="mt-3 divide-y divide-slate-100">
                                {items.into_iter().map(|item| view! { <Item item /> }).collect_view()}
                            </ul>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Item(item: Discrepancy) -> impl IntoView {
    let i18n = use_i18n();
    let deposit = item.kind == "payment";
    let open = item.state == "open";
    view! {
        <li class="py-3 text-sm" data-testid="discrepancy">
            <div class="flex flex-wrap items-center justify-between gap-2">
                <span class="font-medium text-slate-900">
                    {move || if deposit { t_string!(i18n, admin_reconciliation_deposit) } else { t_string!(i18n, admin_reconciliation_withdrawal) }}
                    " · " {item.user_name.clone()} " · " {item.amount.display_yuan()}
                </span>
                <span class=if open { "rounded bg-amber-50 px-2 py-0.5 text-xs text-amber-800" } else { "rounded bg-emerald-50 px-2 py-0.5 text-xs text-emerald-800" }>
                    {move || if open { t_string!(i18n, admin_reconciliation_open) } else { t_string!(i18n, admin_reconciliation_credited) }}
                </span>
            </div>
            <div class="mt-1 font-mono text-xs text-slate-500">{item.reference.to_string()} " · " {item.opened_at.clone()}</div>
            {item.provider_answer.clone().map(|answer| view! {
                <div class="mt-1 text-xs text-slate-600">{t!(i18n, admin_reconciliation_provider_says)} ": " {answer}</div>
            })}
            <ol class="mt-1 space-y-0.5 text-xs text-slate-600">
                {item.events.into_iter().map(|event| {
                    let succeeded = event.succeeded;
                    view! {
                        <li>
                            {event.received_at} " · " {event.source} " · "
                            {move || if succeeded { t_string!(i18n, admin_reconciliation_event_paid) } else { t_string!(i18n, admin_reconciliation_event_failed) }}
                            " · " {event.amount.display_yuan()} " · " <span class="font-mono">{event.provider_txn}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </li>
    }
}
