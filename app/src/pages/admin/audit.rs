//! The audit log screen: every admin action, filtered.

use super::{loading, AdminShell};
use crate::{
    api::audit::audit_log,
    components::{
        errors::ErrorPanel,
        style::{CARD, INPUT, SECONDARY},
    },
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};

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
