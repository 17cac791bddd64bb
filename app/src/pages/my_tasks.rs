//! "My tasks": a merchant's posted tasks with pending applications to answer, or the tasks a developer
//! applied to with where each application stands.

use crate::{
    api::tasks::my_tasks,
    components::{
        errors::ErrorPanel,
        layout::use_session,
        money::StatusBadge,
        status,
        style::{CARD, PRIMARY},
        withdraw::WithdrawApplication,
    },
    domain::{
        account::Role,
        lifecycle::{withdraw, Party},
    },
    i18n::*,
    views::tasks::MyTaskRow,
};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn MyTasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let rows = Resource::new(|| (), |_| my_tasks());
    let role = move || session.user.get().and_then(|r| r.ok()).flatten().map(|u| u.role);
    let is_merchant = move || role() == Some(Role::Merchant);
    view! {
        <div class="mb-5 flex items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, my_tasks_title)}</h1>
            <Transition fallback=|| ()>
                {move || is_merchant().then(|| view! { <A href="/tasks/new" attr:class=PRIMARY>{t!(i18n, nav_post_task)}</A> })}
                {move || (role() == Some(Role::Developer)).then(|| view! {
                    <A href="/invitations" attr:class="whitespace-nowrap text-sm text-blue-700 hover:underline" attr:data-testid="my-invitations">
                        {t!(i18n, invitations_link)}
                    </A>
                })}
            </Transition>
        </div>
        <Transition fallback=|| view! { <div class="h-48 animate-pulse rounded-xl bg-white"></div> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) if rows.is_empty() => view! {
                        <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center text-sm text-slate-500">
                            {t!(i18n, my_tasks_empty)}
                        </div>
                    }
                        .into_any(),
                    Ok(rows) => view! {
                        <ul class=format!("{CARD} divide-y divide-slate-100 !py-1") data-testid="my-tasks">
                            {rows.into_iter().map(|row| view! { <MyTaskLine row /> }).collect_view()}
                        </ul>
                    }
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn MyTaskLine(row: MyTaskRow) -> impl IntoView {
    let i18n = use_i18n();
    let task_status = row.status;
    let (_, tone) = status::task_status(i18n, task_status);
    view! {
        <li class="flex flex-wrap items-center justify-between gap-2 py-3">
            <div class="min-w-0">
                <A href=format!("/tasks/{}", row.id) attr:class="font-medium text-slate-900 hover:text-blue-700">
                    {row.title.clone()}
                </A>
                <div class="mt-0.5 text-xs text-slate-500">
                    {row.reward.display_yuan()}
                    " · "
                    {move || t_string!(i18n, task_deadline, date = row.deadline.clone())}
                    {row.pending_applications.filter(|n| *n > 0).map(|n| view! {
                        " · "
                        <span class="font-medium text-blue-700">{move || t_string!(i18n, my_tasks_pending, count = n)}</span>
                    })}
                </div>
            </div>
            <div class="flex flex-wrap items-center gap-1.5">
                {row.application.filter(|a| withdraw(*a, Party::Developer).is_ok()).map(|_| view! {
                    <WithdrawApplication task=row.id hint=false />
                })}
                {row.application.map(|application| {
                    let (_, tone) = status::application_status(i18n, application);
                    view! { <StatusBadge label=Signal::derive(move || status::application_status(i18n, application).0.to_string()) tone /> }
                })}
                <StatusBadge label=Signal::derive(move || status::task_status(i18n, task_status).0.to_string()) tone />
            </div>
        </li>
    }
}
