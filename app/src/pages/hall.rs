//! The task hall (home page): open tasks from the database, newest first, paged through `?page=`.

use crate::{
    api::hall::hall_page,
    components::{errors::ErrorPanel, pager::Pager, task_card::TaskCard},
    domain::paging::PageNumber,
    i18n::*,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HallPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| PageNumber::parse(query.read().get("page").as_deref()).get());
    let hall = Resource::new(move || page.get(), hall_page);
    view! {
        <section class="mb-6">
            <h1 class="text-2xl font-bold tracking-tight text-slate-900 sm:text-3xl">
                {t!(i18n, hall_title)}
            </h1>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, tagline)}</p>
        </section>
        // Transition keeps the current page on screen while the next one loads.
        <Transition fallback=HallSkeleton>
            {move || Suspend::new(async move {
                match hall.await {
                    Ok(result) if result.tasks.is_empty() => view! { <EmptyHall /> }.into_any(),
                    Ok(result) => {
                        let total = result.total;
                        let viewer_level = result.viewer_level;
                        view! {
                            <p class="mb-3 text-sm text-slate-600" data-testid="hall-count">
                                {move || t_string!(i18n, hall_subtitle, count = total)}
                            </p>
                            <div class="grid gap-3 md:grid-cols-2" data-testid="task-list">
                                {result
                                    .tasks
                                    .into_iter()
                                    .map(|task| view! { <TaskCard task viewer_level=viewer_level /> })
                                    .collect_view()}
                            </div>
                            <Pager page=result.page pages=result.pages />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EmptyHall() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-16 text-center">
            <p class="text-base font-medium text-slate-700">{t!(i18n, hall_empty_title)}</p>
            <p class="mt-1 text-sm text-slate-500">{t!(i18n, hall_empty_hint)}</p>
        </div>
    }
}

#[component]
fn HallSkeleton() -> impl IntoView {
    view! {
        <div class="grid gap-3 md:grid-cols-2" aria-busy="true">
            {(0..6)
                .map(|_| {
                    view! {
                        <div class="h-36 animate-pulse rounded-xl border border-slate-200 bg-white p-5">
                            <div class="h-4 w-2/3 rounded bg-slate-100"></div>
                            <div class="mt-4 h-3 w-1/3 rounded bg-slate-100"></div>
                            <div class="mt-6 h-3 w-1/2 rounded bg-slate-100"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
