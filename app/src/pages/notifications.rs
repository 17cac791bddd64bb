//! `/notifications?before=<id>`: everything the user was told, newest first, with what waits on
//! them marked, and "mark all read". Opening a task reads its notifications on its own
//! (`api::notifications::read_task_notifications`). Older pages are plain links, so the list works without JS.

use crate::{
    api::{
        notifications::{notifications, ReadAllNotificationsFn},
        trust::{email_preferences, SetEmailPreferenceFn},
    },
    components::{
        errors::ErrorPanel,
        style::{CARD, SECONDARY},
    },
    i18n::*,
    views::notifications::Notice,
    words::{notice_short_name, notice_text},
};
use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_query_map};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let read_all = ServerAction::<ReadAllNotificationsFn>::new();
    let query = use_query_map();
    let before = Memo::new(move |_| query.read().get("before").and_then(|b| b.parse::<i64>().ok()));
    let page = Resource::new(move || before.get(), notifications);
    view! {
        <div class="mx-auto max-w-3xl">
            <div class="mb-5 flex flex-wrap items-end justify-between gap-3">
                <div>
                    <h1 class="text-2xl font-bold tracking-tight text-slate-900">{t!(i18n, notifications_title)}</h1>
                    <p class="mt-1 text-sm text-slate-500">{t!(i18n, notifications_subtitle)}</p>
                </div>
                <ActionForm action=read_all>
                    <button type="submit" class=SECONDARY data-testid="read-all">
                        {t!(i18n, notifications_read_all)}
                    </button>
                </ActionForm>
            </div>
            <Transition fallback=|| view! { <div class="h-64 animate-pulse rounded-xl bg-white"></div> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.notices.is_empty() => view! {
                            <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center text-sm text-slate-500">
                                {t!(i18n, notifications_empty)}
                            </div>
                        }
                            .into_any(),
                        Ok(page) => view! {
                            <p class="mb-2 text-sm text-slate-600" data-testid="unread-summary">
                                {move || t_string!(i18n, notifications_unread, count = page.unread)}
                            </p>
                            <ul class=format!("{CARD} divide-y divide-slate-100 !p-0") data-testid="notifications">
                                {page.notices.into_iter().map(|notice| view! { <NoticeLine notice /> }).collect_view()}
                            </ul>
                            <nav class="mt-4 flex justify-between text-sm">
                                {before.get().map(|_| view! {
                                    <A href="/notifications" attr:class="text-blue-700 hover:underline">{t!(i18n, notifications_newest)}</A>
                                })}
                                <span></span>
                                {page.older.map(|older| view! {
                                    <A href=format!("/notifications?before={older}") attr:class="text-blue-700 hover:underline">
                                        {t!(i18n, notifications_older)}
                                    </A>
                                })}
                            </nav>
                        }
                            .into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <EmailPreferences />
        </div>
    }
}

/// Which kinds also arrive by e-mail, one small form per kind; drawn once the page is live.
#[component]
fn EmailPreferences() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetEmailPreferenceFn>::new();
    let preferences = Resource::new(|| (), |_| email_preferences());
    view! {
        <section class=format!("{CARD} mt-6") data-testid="email-preferences">
            <h2 class="text-base font-semibold text-slate-900">{t!(i18n, email_prefs_title)}</h2>
            <p class="mt-1 text-xs text-slate-500">{t!(i18n, email_prefs_hint)}</p>
            <Transition fallback=|| view! { <div class="mt-3 h-40 animate-pulse rounded-lg bg-slate-50"></div> }>
                {move || Suspend::new(async move {
                    preferences.await.ok().map(|preferences| view! {
                        <ul class="mt-3 grid gap-x-6 sm:grid-cols-2">
                            {preferences
                                .into_iter()
                                .map(|(kind, on)| view! {
                                    <li class="flex items-center justify-between gap-3 border-b border-slate-100 py-2 text-sm">
                                        <span class="text-slate-700">{move || notice_short_name(i18n.get_locale(), kind)}</span>
                                        <ActionForm action=set attr:class="shrink-0">
                                            <input type="hidden" name="kind" value=kind.as_str() />
                                            <input type="hidden" name="enabled" value=(!on).to_string() />
                                            <button
                                                type="submit"
                                                class=if on {
                                                    "rounded-full bg-blue-600 px-3 py-1 text-xs font-medium text-white"
                                                } else {
                                                    "rounded-full bg-slate-100 px-3 py-1 text-xs text-slate-600 hover:bg-slate-200"
                                                }
                                                aria-pressed=on.to_string()
                                                data-testid=format!("email-{}", kind.as_str())
                                            >
                                                {move || if on { t_string!(i18n, email_on) } else { t_string!(i18n, email_off) }}
                                            </button>
                                        </ActionForm>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    })
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NoticeLine(notice: Notice) -> impl IntoView {
    let i18n = use_i18n();
    let Notice { kind, task_title, note, href, created_at, unread, pending, .. } = notice;
    let text = move || notice_text(i18n.get_locale(), kind);
    let row = if unread { "bg-blue-50/50" } else { "" };
    view! {
        <li class=row>
            <A href=href attr:class="flex gap-3 px-4 py-3 hover:bg-slate-50 sm:px-5">
                <span
                    class=if unread { "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-blue-600" } else { "mt-1.5 h-2 w-2 shrink-0 rounded-full bg-transparent" }
                    aria-hidden="true"
                ></span>
                <span class="min-w-0 flex-1">
                    <span class="flex flex-wrap items-center gap-2">
                        <span class=if unread { "font-semibold text-slate-900" } else { "text-slate-700" }>{text}</span>
                        {pending.then(|| view! {
                            <span class="rounded bg-amber-50 px-1.5 py-0.5 text-xs font-medium text-amber-800">
                                {t!(i18n, notifications_needs_action)}
                            </span>
                        })}
                    </span>
                    {task_title.map(|title| view! { <span class="mt-0.5 block truncate text-sm text-slate-600">{title}</span> })}
                    {note.map(|note| view! { <span class="mt-0.5 block text-sm text-slate-500">"“" {note} "”"</span> })}
                    <span class="mt-1 block text-xs text-slate-500">{created_at}</span>
                </span>
            </A>
        </li>
    }
}
